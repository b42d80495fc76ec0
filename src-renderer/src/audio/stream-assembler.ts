/**
 * Puts a streamed take back together from its chunks: in order, each sample once, whatever order
 * the chunks arrive in; hands out the newly contiguous samples for playback and waveform peaks.
 */

export class StreamAssembler {
  readonly samples: Float32Array;
  /** Samples [0, contiguous) have arrived. */
  contiguous = 0;
  /** Chunks that arrived ahead of a gap, by start. */
  #ahead = new Map<number, Float32Array>();

  constructor(readonly total: number) {
    this.samples = new Float32Array(total);
  }

  get complete(): boolean {
    return this.contiguous === this.total;
  }

  /** Adds a chunk; returns the samples that became contiguous (possibly none), in order. */
  add(start: number, chunk: Float32Array): Float32Array {
    if (!Number.isInteger(start) || start < 0 || start + chunk.length > this.total) {
      throw new RangeError(`stream: chunk [${start}, ${start + chunk.length}) outside the take's ${this.total} samples`);
    }
    const from = this.contiguous;
    // Samples already placed (a repeated chunk) are ignored; a chunk beyond a gap waits.
    if (start + chunk.length <= this.contiguous) return this.samples.subarray(from, from);
    if (start > this.contiguous) {
      this.#ahead.set(start, chunk);
      return this.samples.subarray(from, from);
    }
    this.#place(start, chunk);
    for (let next = this.#ahead.get(this.contiguous); next; next = this.#ahead.get(this.contiguous)) {
      this.#ahead.delete(this.contiguous);
      this.#place(this.contiguous, next);
    }
    for (const [s, c] of this.#ahead) if (s + c.length <= this.contiguous) this.#ahead.delete(s);
    return this.samples.subarray(from, this.contiguous);
  }

  #place(start: number, chunk: Float32Array): void {
    const skip = this.contiguous - start;
    this.samples.set(chunk.subarray(skip), this.contiguous);
    this.contiguous = start + chunk.length;
  }
}

/** Min/max per bin of `bins` bins over `total` samples, updated as samples arrive (the growing waveform). */
export class GrowingPeaks {
  readonly min: Float32Array;
  readonly max: Float32Array;
  /** Bins [0, filled) have all their samples. */
  filled = 0;

  constructor(readonly total: number, readonly bins: number) {
    this.min = new Float32Array(bins);
    this.max = new Float32Array(bins);
  }

  /** Folds samples [start, start + samples.length) of the take into their bins. */
  add(start: number, samples: Float32Array): void {
    const per = this.total / this.bins;
    for (let i = 0; i < samples.length; i++) {
      const bin = Math.min(this.bins - 1, Math.floor((start + i) / per));
      const v = samples[i];
      if (v < this.min[bin]) this.min[bin] = v;
      if (v > this.max[bin]) this.max[bin] = v;
    }
    const end = start + samples.length;
    this.filled = end >= this.total ? this.bins : Math.floor(end / per);
  }

  /** (min, max) pairs in ±127 per bin, the form the Waveform component draws; bins not reached yet are flat. */
  toPairs(): Int8Array {
    const out = new Int8Array(this.bins * 2);
    for (let b = 0; b < this.bins; b++) {
      out[2 * b] = Math.max(-127, Math.round(this.min[b] * 127));
      out[2 * b + 1] = Math.min(127, Math.round(this.max[b] * 127));
    }
    return out;
  }
}
