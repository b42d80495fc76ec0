import type { WaveNetWeights } from '../model/weights';
import type { EngineKind } from './engine';
import type { TakeRequest, TakeResult } from './takes';

/** Main thread → worker: one job, the takes at `indices` of the caller's request list. */
export interface WorkerJob {
  weights: WaveNetWeights;
  requests: TakeRequest[];
  indices: number[];
  maxBatch: number;
  engine: EngineKind;
  progressEvery: number;
}

/** Worker → main thread. */
export type WorkerMessage =
  | { type: 'progress'; take: number; done: number; total: number }
  | { type: 'done'; results: { take: number; result: TakeResult }[] }
  | { type: 'error'; message: string; stack?: string };
