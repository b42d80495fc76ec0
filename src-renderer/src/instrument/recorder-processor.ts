/**
 * AudioWorklet processor that taps the instrument's mixed output (bundled on its own by Vite,
 * `?worker&url`): while recording, it mixes its input to mono and posts blocks of samples to the page;
 * on 'stop' it posts what it holds and then 'stopped' with the total, so nothing is lost or doubled.
 * Its output is silence (it is connected to the destination only so the graph pulls it).
 */

declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** Page → processor. */
export type RecorderIn = { type: 'start' } | { type: 'stop' } | { type: 'close' };
/** Processor → page. */
export type RecorderOut = { type: 'block'; samples: Float32Array } | { type: 'stopped'; total: number };

const BLOCK = 2048;

class RecorderProcessor extends AudioWorkletProcessor {
  #on = false;
  #closed = false;
  #block = new Float32Array(BLOCK);
  #filled = 0;
  #total = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<RecorderIn>) => {
      if (e.data.type === 'start') {
        this.#on = true;
        this.#total = 0;
        this.#filled = 0;
      } else if (e.data.type === 'stop') {
        this.#on = false;
        this.#post();
        this.port.postMessage({ type: 'stopped', total: this.#total } satisfies RecorderOut);
      } else this.#closed = true;
    };
  }

  #post(): void {
    if (this.#filled === 0) return;
    const samples = this.#block.slice(0, this.#filled);
    this.port.postMessage({ type: 'block', samples } satisfies RecorderOut, [samples.buffer]);
    this.#filled = 0;
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.#on) {
      const channels = inputs[0] ?? [];
      // An unconnected input has no channels: that is silence, and still time that passed.
      const frames = channels[0]?.length ?? 128;
      for (let i = 0; i < frames; i++) {
        let v = 0;
        for (const c of channels) v += c[i];
        this.#block[this.#filled++] = channels.length > 1 ? v / channels.length : v;
        if (this.#filled === BLOCK) this.#post();
      }
      this.#total += frames;
    }
    return !this.#closed;
  }
}

registerProcessor('wavehouse-recorder', RecorderProcessor);
