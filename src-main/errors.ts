import type { ErrorCode, WireError } from '../src-preload/contract';

/** An expected failure with a stable code; crosses the wire as a WireError, never as a stack trace. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toWire(): WireError {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
  }
}

/** Shorthand for a NOT_FOUND error naming what was missing. */
export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${what} ${id} does not exist`, 'id');
}
