/**
 * Gradient engines: where loss and gradients are computed. `LocalEngine` uses the tfjs backend of
 * the current thread; `ParallelEngine` (parallel.ts) splits each batch over worker replicas.
 * Parameters live with the Trainer, so every replica computes at exactly the same weights.
 */
import type { WaveNetConfig } from '../../src-shared/model/config';
import type { Batch } from './batch';
import { lossAndGrads, sequenceLosses, type LossAndGrads } from './grad';

export interface GradientEngine {
  /** Human-readable description (backend, replicas), recorded on the run. */
  readonly description: string;
  /** Mean loss (nats) and flat gradients over the whole batch. */
  lossAndGrads(params: Float32Array, batch: Batch): Promise<LossAndGrads>;
  /** Mean loss (nats) per sequence, no gradients. */
  sequenceLosses(params: Float32Array, batch: Batch): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Computes on this thread's tfjs backend. */
export class LocalEngine implements GradientEngine {
  readonly description: string;

  constructor(private readonly config: WaveNetConfig, backendName = 'local') {
    this.description = backendName;
  }

  /** Loss and gradients on this thread. */
  async lossAndGrads(params: Float32Array, batch: Batch): Promise<LossAndGrads> {
    return lossAndGrads(this.config, params, batch);
  }

  /** Per-sequence losses on this thread. */
  async sequenceLosses(params: Float32Array, batch: Batch): Promise<Float32Array> {
    return sequenceLosses(this.config, params, batch);
  }

  async dispose(): Promise<void> {}
}
