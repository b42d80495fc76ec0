import type { WaveNetWeights } from '../../src-shared/model/weights';
import type { EngineKind } from '../../src-shared/generation/engine';
import type { StreamPlan } from '../../src-shared/generation/stream';
import type { TakeRequest, TakeResult } from '../../src-shared/generation/takes';

/** Main thread → worker: one job, the takes at `indices` of the caller's request list. */
export interface WorkerJob {
  weights: WaveNetWeights;
  requests: TakeRequest[];
  indices: number[];
  maxBatch: number;
  engine: EngineKind;
  progressEvery: number;
  /** Takes (indices of the caller's list) whose samples are posted as they are generated. */
  streamTakes?: number[];
  streamPlan?: StreamPlan;
}

/** Worker → main thread. */
export type WorkerMessage =
  | { type: 'progress'; take: number; done: number; total: number }
  | { type: 'samples'; take: number; start: number; classes: Int32Array }
  | { type: 'done'; results: { take: number; result: TakeResult }[] }
  | { type: 'error'; message: string; stack?: string };
