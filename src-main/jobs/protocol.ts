/** Messages between the main process and a job's worker process. */
import type { EventName, EventPayload, Job } from '../../src-preload/contract';

export type ParentMessage =
  | { type: 'run'; jobId: string; kind: Job['kind']; params: unknown; dataDir: string }
  | { type: 'cancel' }
  /** A spare worker (warm-launcher.ts): import these kinds' modules now, the job comes later. */
  | { type: 'warm'; kinds: Job['kind'][] };

export type ChildMessage =
  | { type: 'progress'; progress: number; message: string }
  | { type: 'event'; name: EventName; payload: EventPayload<EventName> }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: string }
  | { type: 'cancelled' };

/** A running worker process, whatever spawned it (child_process.fork or Electron's utilityProcess). */
export interface WorkerHandle {
  send(message: ParentMessage): void;
  onMessage(listener: (message: ChildMessage) => void): void;
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process at once. */
  kill(): void;
}

/** Starts one worker process for one job. */
export type WorkerLauncher = (jobId: string) => WorkerHandle;
