/**
 * The live generator's mixer, as its AudioWorklet runs it (pure, so Node tests run it too): one
 * StreamQueue per voice (blocks in, render quanta out, dry spells counted), per-voice gain, linear
 * fade-out on release, a short ramp on stop, and the mix at the model's rate resampled to the
 * context's rate when they differ.
 */
import { StreamQueue } from '../stream-queue';

/** A voice's counters, reported to the page and the worker. */
export interface VoiceStats {
  id: number;
  /** Samples of the voice played so far (model rate). */
  played: number;
  /** Samples received and not yet played. */
  queued: number;
  underruns: number;
  /** Whether its first sample has been played. */
  started: boolean;
  released: boolean;
}

/** What happened during one render call (so the worklet can tell the page at once). */
export interface MixEvents {
  /** Voices whose first sample was played, with the frame (of this render call's output) it was played at. */
  sounding: { id: number; frame: number }[];
  /** Voices that finished (fade done, stopped, or a finite voice played out) and were freed. */
  ended: number[];
}

/** Samples a stopped voice ramps down over, so stealing a voice does not click (~3 ms at 16 kHz). */
const STOP_RAMP = 48;

interface Voice {
  id: number;
  queue: StreamQueue;
  gain: number;
  /** Whether `start` arrived (blocks may arrive first: the worker and the page post on different ports). */
  live: boolean;
  /** Remaining and total fade samples once released (0 total: not released). */
  fadeLeft: number;
  fadeTotal: number;
  underrunsSeen: number;
  scratch: Float32Array;
}

export class VoiceMixer {
  #voices = new Map<number, Voice>();
  /** Voices stopped before all their blocks arrived: their late blocks are dropped. */
  #dead = new Set<number>();
  #underruns = 0;
  /** Voices freed outside a render call, reported with the next one. */
  #pendingEnded: number[] = [];
  /** Model-rate mix not yet consumed by the resampler. */
  #mix = new Float32Array(0);
  #mixHead = 0;
  #mixLength = 0;
  /** Resampler phase: position (in model-rate samples) of the next output frame within #mix. */
  #phase = 0;
  readonly #step: number;

  /**
   * `modelRate`: the rate voices are generated at; `outputRate`: the context's. `prebuffer`: model
   * samples a voice holds before it starts playing (StreamQueue doubles it after a dry spell).
   */
  constructor(
    readonly modelRate: number,
    readonly outputRate: number,
    private readonly prebuffer: number,
  ) {
    this.#step = modelRate / outputRate;
  }

  /** Dry spells of every voice so far, freed ones included. */
  get underruns(): number {
    let n = this.#underruns;
    for (const v of this.#voices.values()) n += v.queue.stats.underruns;
    return n;
  }

  /** Voices playing or waiting for their first samples. */
  get active(): number {
    let n = 0;
    for (const v of this.#voices.values()) if (v.live) n++;
    return n;
  }

  #voice(id: number): Voice {
    let v = this.#voices.get(id);
    if (!v) {
      v = { id, queue: new StreamQueue(this.prebuffer, this.prebuffer * 16), gain: 0, live: false, fadeLeft: 0, fadeTotal: 0, underrunsSeen: 0, scratch: new Float32Array(0) };
      this.#voices.set(id, v);
    }
    return v;
  }

  /** A voice begins (its samples may already be queued). */
  start(id: number, gain: number): void {
    if (this.#dead.has(id)) return;
    const v = this.#voice(id);
    v.live = true;
    v.gain = gain;
  }

  /** The voice's next generated samples, in order. */
  push(id: number, samples: Float32Array): void {
    if (this.#dead.has(id)) return;
    this.#voice(id).queue.push(samples);
  }

  /** The voice has no more samples (a voice of finite length): running dry is its end, not an underrun. */
  end(id: number): void {
    const v = this.#voices.get(id);
    if (v) v.queue.end();
  }

  /** Note-off: fade the voice out over `fadeSamples` (model rate), then free it. */
  release(id: number, fadeSamples: number): void {
    const v = this.#voices.get(id);
    if (!v || v.fadeTotal > 0) return;
    v.fadeTotal = Math.max(1, Math.round(fadeSamples));
    v.fadeLeft = v.fadeTotal;
  }

  /** Stops a voice at once (a few ms ramp against clicks), then frees it. */
  stop(id: number): void {
    const v = this.#voices.get(id);
    if (!v) {
      this.#dead.add(id);
      return;
    }
    if (!v.queue.stats.started) {
      this.#free(v);
      this.#pendingEnded.push(id);
      return;
    }
    if (v.fadeTotal === 0 || v.fadeLeft > STOP_RAMP) {
      // Continue from the gain the fade has reached, down to 0 over the ramp.
      const level = v.fadeTotal === 0 ? 1 : v.fadeLeft / v.fadeTotal;
      v.gain *= level;
      v.fadeTotal = STOP_RAMP;
      v.fadeLeft = STOP_RAMP;
    }
  }

  /** Every voice's counters. */
  stats(): VoiceStats[] {
    return [...this.#voices.values()].filter((v) => v.live).map((v) => {
      const s = v.queue.stats;
      return { id: v.id, played: s.played, queued: s.queued, underruns: s.underruns, started: s.started, released: v.fadeTotal > 0 };
    });
  }

  #free(v: Voice): void {
    this.#underruns += v.queue.stats.underruns;
    this.#voices.delete(v.id);
    this.#dead.add(v.id);
    // Ids only grow: keep the set small.
    if (this.#dead.size > 256) this.#dead.delete(this.#dead.values().next().value!);
  }

  /** Mixes `n` model-rate samples of every live voice into `into` (added), collecting events. */
  #mixVoices(into: Float32Array, n: number, events: MixEvents, frameOf: (i: number) => number): void {
    for (const v of [...this.#voices.values()]) {
      if (!v.live) continue;
      if (v.scratch.length < n) v.scratch = new Float32Array(n);
      const buf = v.scratch.subarray(0, n);
      const wasStarted = v.queue.stats.started;
      v.queue.pull(buf);
      const s = v.queue.stats;
      // A queue starts playing at the start of a pull.
      if (!wasStarted && s.started) events.sounding.push({ id: v.id, frame: frameOf(0) });
      let done = false;
      for (let i = 0; i < n; i++) {
        let g = v.gain;
        if (v.fadeTotal > 0) {
          if (v.fadeLeft <= 0) {
            done = true;
            break;
          }
          g *= v.fadeLeft / v.fadeTotal;
          v.fadeLeft--;
        }
        into[i] += g * buf[i];
      }
      if (done || (v.fadeTotal > 0 && v.fadeLeft <= 0) || s.finished) {
        this.#free(v);
        events.ended.push(v.id);
      }
    }
  }

  /** Renders one output block (the worklet's render quantum) at the output rate. */
  render(out: Float32Array): MixEvents {
    const events: MixEvents = { sounding: [], ended: this.#pendingEnded };
    this.#pendingEnded = [];
    out.fill(0);
    if (this.#step === 1) {
      this.#mixVoices(out, out.length, events, (i) => i);
      return events;
    }
    // Linear interpolation from the model rate: make sure the mix covers every frame's two neighbours.
    const lastPos = this.#phase + (out.length - 1) * this.#step;
    const need = Math.floor(lastPos) + 2;
    const have = this.#mixLength - this.#mixHead;
    if (need > have) {
      const add = need - have;
      const next = new Float32Array(need);
      next.set(this.#mix.subarray(this.#mixHead, this.#mixLength));
      const fresh = next.subarray(have);
      const phase = this.#phase, step = this.#step;
      this.#mixVoices(fresh, add, events, (i) => Math.max(0, Math.min(out.length - 1, Math.ceil((have + i - phase) / step))));
      this.#mix = next;
      this.#mixHead = 0;
      this.#mixLength = need;
    }
    const m = this.#mix;
    for (let f = 0; f < out.length; f++) {
      const pos = this.#phase + f * this.#step;
      const i = Math.floor(pos);
      const t = pos - i;
      out[f] = m[this.#mixHead + i] * (1 - t) + m[this.#mixHead + i + 1] * t;
    }
    const advance = this.#phase + out.length * this.#step;
    const whole = Math.floor(advance);
    this.#mixHead += whole;
    this.#phase = advance - whole;
    return events;
  }
}
