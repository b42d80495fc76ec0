/**
 * The training core: cross-entropy on μ-law targets, Adam with a learning-rate schedule and
 * global-norm clipping, one trainStep(batch) at a time, validation NLL in bits/sample.
 */
import type { WaveNetConfig } from '../../src-shared/model/config';
import { flatSize } from '../../src-shared/model/params';
import type { Batch } from './batch';
import type { GradientEngine } from './engine';
import { adamInit, adamUpdate, clipByGlobalNorm, DEFAULT_ADAM, learningRate, type AdamOptions, type AdamState, type LrSchedule } from './optimizer';

/** Nats → bits. */
export const BITS_PER_NAT = 1 / Math.LN2;

export interface TrainerOptions {
  schedule: LrSchedule;
  /** Clip the gradient's global norm to this (Infinity disables). */
  clipNorm: number;
  adam?: AdamOptions;
  /** Share of the run done (0…1) by another measure than steps, e.g. elapsed minutes of a time budget. */
  progress?: () => number;
}

export interface StepResult {
  /** Update number just applied (1-based). */
  step: number;
  /** Training loss of the batch before the update, nats. */
  loss: number;
  /** Same in bits/sample. */
  bits: number;
  /** Gradient norm before clipping. */
  gradNorm: number;
  lr: number;
}

export interface Evaluation {
  /** Mean NLL over all validation sequences, bits/sample. */
  bits: number;
  /** Mean NLL per label, bits/sample. */
  perLabel: Record<number, number>;
}

export class Trainer {
  readonly config: WaveNetConfig;
  /** Current parameters (flat canonical layout), updated in place. */
  readonly params: Float32Array;
  private adam: AdamState;

  constructor(
    config: WaveNetConfig,
    params: Float32Array,
    private readonly engine: GradientEngine,
    private readonly opts: TrainerOptions,
    state?: AdamState,
  ) {
    if (params.length !== flatSize(config)) throw new Error(`Trainer: ${params.length} parameters, config needs ${flatSize(config)}`);
    this.config = config;
    this.params = params;
    this.adam = state ? { step: state.step, m: state.m.slice(), v: state.v.slice() } : adamInit(params.length);
    if (this.adam.m.length !== params.length || this.adam.v.length !== params.length) throw new Error('Trainer: optimizer state does not match the parameter count');
  }

  /** Updates applied so far. */
  get step(): number {
    return this.adam.step;
  }

  /** A copy of the optimizer state (for checkpoints). */
  optimizerState(): AdamState {
    return { step: this.adam.step, m: this.adam.m.slice(), v: this.adam.v.slice() };
  }

  /** One optimisation step on a batch: loss + gradients, clip, Adam update. */
  async trainStep(batch: Batch): Promise<StepResult> {
    const { loss, grads } = await this.engine.lossAndGrads(this.params, batch);
    if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${this.step + 1}: loss ${loss}`);
    const gradNorm = clipByGlobalNorm(grads, this.opts.clipNorm);
    const lr = learningRate(this.opts.schedule, this.adam.step, this.opts.progress?.());
    adamUpdate(this.params, grads, this.adam, lr, this.opts.adam ?? DEFAULT_ADAM);
    return { step: this.adam.step, loss, bits: loss * BITS_PER_NAT, gradNorm, lr };
  }

  /** Validation NLL (bits/sample) over batches, overall and per label. */
  async evaluate(batches: Batch[]): Promise<Evaluation> {
    return evaluate(this.engine, this.params, batches);
  }
}

/** Mean NLL in bits/sample of `params` over batches, overall and per label (sequences weighted by their scored samples). */
export async function evaluate(engine: GradientEngine, params: Float32Array, batches: Batch[]): Promise<Evaluation> {
  let sum = 0;
  let n = 0;
  const per = new Map<number, { sum: number; n: number }>();
  for (const b of batches) {
    const losses = await engine.sequenceLosses(params, b);
    losses.forEach((l, i) => {
      sum += l * b.T;
      n += b.T;
      const e = per.get(b.labels[i]) ?? { sum: 0, n: 0 };
      e.sum += l * b.T;
      e.n += b.T;
      per.set(b.labels[i], e);
    });
  }
  const perLabel: Record<number, number> = {};
  for (const [label, e] of per) perLabel[label] = (e.sum / e.n) * BITS_PER_NAT;
  return { bits: n ? (sum / n) * BITS_PER_NAT : NaN, perLabel };
}
