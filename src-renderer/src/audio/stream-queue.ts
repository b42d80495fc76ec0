/**
 * The live take's playback queue, as the AudioWorklet runs it (pure, so Node tests run it too):
 * chunks in, render quanta out, with counters of what was played and how often the queue ran dry.
 */

/** Counters the worklet reports to the page. */
export interface StreamStats {
  /** Samples of the take played so far. */
  played: number;
  /** Times playback ran dry before the take's end (each dry spell counts once). */
  underruns: number;
  /** Samples output as silence while waiting for data after playback started. */
  starvedFrames: number;
  /** Largest |sample| played: a non-zero value means something was heard. */
  peak: number;
  /** Samples received and not yet played. */
  queued: number;
  started: boolean;
  finished: boolean;
}

export class StreamQueue {
  #chunks: Float32Array[] = [];
  /** Read position in the first chunk. */
  #head = 0;
  #playing = false;
  #ended = false;
  /** Samples to hold before (re)starting: the prebuffer, doubled after every dry spell up to `maxPrebuffer`. */
  #need: number;
  #stats: StreamStats = { played: 0, underruns: 0, starvedFrames: 0, peak: 0, queued: 0, started: false, finished: false };

  /**
   * `prebuffer`: samples to hold before playing, so the first chunk does not run dry at once. After a
   * dry spell playback waits for twice as much before resuming (up to `maxPrebuffer`): a model slower
   * than real time then plays in longer stretches with fewer gaps instead of stuttering every chunk.
   */
  constructor(
    prebuffer: number,
    private readonly maxPrebuffer = prebuffer * 16,
  ) {
    this.#need = prebuffer;
  }

  /** Appends the take's next samples (in order). */
  push(samples: Float32Array): void {
    if (this.#ended) throw new Error('stream: samples after the end of the take');
    if (samples.length === 0) return;
    this.#chunks.push(samples);
    this.#stats.queued += samples.length;
  }

  /** Marks the take complete: running dry from now on is its end, not an underrun. */
  end(): void {
    this.#ended = true;
  }

  get stats(): StreamStats {
    return { ...this.#stats, finished: this.#ended && this.#stats.queued === 0 };
  }

  /** Fills `out` (one render quantum) with the next samples, silence where there are none; returns the samples played. */
  pull(out: Float32Array): number {
    const s = this.#stats;
    if (!this.#playing) {
      if (s.queued >= this.#need || (this.#ended && s.queued > 0)) {
        this.#playing = true;
        s.started = true;
      } else {
        out.fill(0);
        // Waiting again after a dry spell is part of it (silence the listener hears).
        if (s.started && !this.#ended) s.starvedFrames += out.length;
        return 0;
      }
    }
    let written = 0;
    while (written < out.length && this.#chunks.length > 0) {
      const chunk = this.#chunks[0];
      const n = Math.min(out.length - written, chunk.length - this.#head);
      for (let i = 0; i < n; i++) {
        const v = chunk[this.#head + i];
        out[written + i] = v;
        if (Math.abs(v) > s.peak) s.peak = Math.abs(v);
      }
      written += n;
      this.#head += n;
      if (this.#head === chunk.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
    }
    out.fill(0, written);
    s.played += written;
    s.queued -= written;
    if (written < out.length && !this.#ended) {
      s.underruns++;
      s.starvedFrames += out.length - written;
      this.#playing = false;
      this.#need = Math.min(this.#need * 2, this.maxPrebuffer);
    }
    return written;
  }
}
