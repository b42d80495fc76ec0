import { randomUUID } from 'node:crypto';

/** A new opaque id (UUID v4). */
export function newId(): string {
  return randomUUID();
}

/** The current time as an ISO string, the one time format the database stores. */
export function nowIso(): string {
  return new Date().toISOString();
}
