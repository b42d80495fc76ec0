/**
 * Key-to-sound latency, measured per note: from the input event's timestamp (keydown or MIDI
 * message, performance.now() clock) to the moment the voice's first sample leaves the speaker —
 * the generator's onVoiceSounding time (AudioContext clock) mapped to performance.now() and carried
 * on through the output latency: through getOutputTimestamp() where the browser gives one
 * (heardAtFromStamp), else from currentTime plus the context's base and output latency (heardAtMs). Pure: the session does the clock mapping.
 */

export interface LatencyFigures {
  /** The latest note's latency, ms. */
  last: number | null;
  /** Median of the last `window` notes, ms. */
  median: number | null;
  /** Notes measured (in the window). */
  count: number;
}

export class LatencyMeter {
  #pending = new Map<number, number>();
  #samples: number[] = [];

  constructor(private readonly window = 50) {}

  /** A voice was started for an input event at `inputAt` (ms). */
  pressed(voiceId: number, inputAt: number): void {
    this.#pending.set(voiceId, inputAt);
    // A voice stolen before it sounded never reports: do not let such entries pile up.
    if (this.#pending.size > 256) this.#pending.delete(this.#pending.keys().next().value!);
  }

  /** The voice's first sample reaches the listener at `heardAt` (ms, same clock); returns its latency or null if unknown. */
  sounded(voiceId: number, heardAt: number): number | null {
    const inputAt = this.#pending.get(voiceId);
    if (inputAt === undefined) return null;
    this.#pending.delete(voiceId);
    const ms = heardAt - inputAt;
    this.#samples.push(ms);
    if (this.#samples.length > this.window) this.#samples.shift();
    return ms;
  }

  figures(): LatencyFigures {
    const n = this.#samples.length;
    if (n === 0) return { last: null, median: null, count: 0 };
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { last: this.#samples[n - 1], median, count: n };
  }

  /** Every measurement in the window, oldest first (for tests and reports). */
  samples(): number[] {
    return [...this.#samples];
  }
}

/**
 * When a sample scheduled at AudioContext time `atTime` (s) is heard, on the performance.now() clock:
 * `nowMs` and `currentTime` are read together; the sample is rendered (atTime − currentTime) s later
 * and reaches the listener `outputLatencyMs` (the context's baseLatency + outputLatency) after that.
 * currentTime advances by render quanta, so this is exact to one quantum (8 ms at 16 kHz, 2.7 ms at 48 kHz).
 */
export function heardAtMs(atTime: number, currentTime: number, nowMs: number, outputLatencyMs: number): number {
  return nowMs + (atTime - currentTime) * 1000 + outputLatencyMs;
}

/**
 * The same through an AudioContext.getOutputTimestamp() reading: the frame at `contextTime` (s) reaches
 * the listener at `performanceTime` (ms) — Chromium computes contextTime as the rendered position minus
 * the base and output latency, so the latency is already in it. Anchored to the device callback
 * rather than to currentTime, which moves in whole render quanta and, on a device that renders several
 * quanta per callback, in bursts (measured: up to 24 ms off at 16 kHz in headless Chromium). Null when
 * the reading is not usable yet (before the first callback both are 0).
 */
export function heardAtFromStamp(atTime: number, stamp: { contextTime?: number; performanceTime?: number } | null | undefined): number | null {
  if (!stamp || !stamp.performanceTime || stamp.contextTime === undefined) return null;
  return stamp.performanceTime + (atTime - stamp.contextTime) * 1000;
}
