import type { EventName, EventPayload } from '../../src-preload/contract';
import type { Db } from '../db/database';

/** What a job implementation gets: its parameters, the data dir, a DB connection, progress and cancel. */
export interface JobContext<P = unknown> {
  jobId: string;
  params: P;
  dataDir: string;
  /** This process's own connection to the studio database (WAL allows it beside main's). */
  db: Db;
  /** Aborted when the user cancels; implementations check it between units of work. */
  signal: AbortSignal;
  /** Reports progress in [0, 1]; calls are throttled, the last one always goes out. */
  progress(fraction: number, message: string): void;
  /** Publishes a contract event to the UI. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/** A job kind's implementation; its return value is stored as the job's result. */
export type JobRun<P = unknown> = (ctx: JobContext<P>) => Promise<unknown>;

/** Thrown by an implementation that noticed the abort signal. */
export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

/** Throws JobCancelled when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelled();
}
