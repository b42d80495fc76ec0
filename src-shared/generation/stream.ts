/**
 * Streaming a take while it is generated: when a running take hands out its newest samples.
 * Pure (no Node, no DOM) so the engine loop, the worker and tests share it.
 */

/** Chunk sizes in samples: a short first chunk so playback starts at once, then steady chunks. */
export interface StreamPlan {
  first: number;
  every: number;
}

/** 64 ms chunks at 16 kHz: the player starts on two of them (live-take.svelte.ts), ~16 events a second. */
export const DEFAULT_STREAM_PLAN: StreamPlan = { first: 1024, every: 1024 };

/** A run of new samples of one take: [start, end) in the take's own sample index. */
export interface StreamSpan {
  take: number;
  start: number;
  end: number;
}

/**
 * Tracks how much of each take has been handed out, so every sample goes out exactly once and in
 * order, however the steps are grouped. `lengths` are the takes' lengths, `offsets` the step at which
 * each take's first sample is predicted (its prime length − 1).
 */
export class StreamCursor {
  readonly #sent: Int32Array;
  #nextAt: number;

  constructor(
    private readonly lengths: number[],
    private readonly offsets: number[],
    private readonly plan: StreamPlan = DEFAULT_STREAM_PLAN,
  ) {
    if (!(plan.first >= 1 && plan.every >= 1)) throw new RangeError(`stream: chunk sizes must be ≥ 1, got ${plan.first}/${plan.every}`);
    this.#sent = new Int32Array(lengths.length);
    // Chunk boundaries count generated samples of the earliest take, not steps, so a long prime does not delay the first chunk.
    this.#nextAt = Math.min(...offsets) + plan.first;
  }

  /** The step count at which the next chunk is due (the engine loop compares one number per step). */
  get nextAt(): number {
    return this.#nextAt;
  }

  /** Samples of take `b` generated after `steps` engine steps. */
  produced(b: number, steps: number): number {
    return Math.min(this.lengths[b], Math.max(0, steps - this.offsets[b]));
  }

  /** The spans generated but not yet handed out after `steps` steps; marks them sent and schedules the next chunk. */
  advance(steps: number): StreamSpan[] {
    const spans: StreamSpan[] = [];
    for (let b = 0; b < this.lengths.length; b++) {
      const end = this.produced(b, steps);
      if (end > this.#sent[b]) spans.push({ take: b, start: this.#sent[b], end });
      this.#sent[b] = Math.max(this.#sent[b], end);
    }
    while (this.#nextAt <= steps) this.#nextAt += this.plan.every;
    return spans;
  }
}
