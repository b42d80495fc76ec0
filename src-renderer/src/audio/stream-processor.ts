/**
 * AudioWorklet processor of the live take (bundled on its own by Vite, `?worker&url`): plays the
 * chunks the page posts through a StreamQueue and posts its counters back every ~50 ms and at changes.
 */
import { StreamQueue, type StreamStats } from './stream-queue';

// The AudioWorkletGlobalScope is not in TypeScript's DOM library.
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** Page → processor. */
export type StreamIn = { type: 'chunk'; samples: Float32Array } | { type: 'end' } | { type: 'stop' };
/** Processor → page. */
export type StreamOut = { type: 'stats'; stats: StreamStats };

class StreamProcessor extends AudioWorkletProcessor {
  #queue: StreamQueue;
  #stopped = false;
  #sinceReport = 0;
  #reportEvery: number;

  constructor(options: { processorOptions?: { prebuffer?: number } }) {
    super();
    this.#queue = new StreamQueue(options.processorOptions?.prebuffer ?? 1024);
    this.#reportEvery = Math.round(sampleRate * 0.05);
    this.port.onmessage = (e: MessageEvent<StreamIn>) => {
      if (e.data.type === 'chunk') this.#queue.push(e.data.samples);
      else if (e.data.type === 'end') this.#queue.end();
      else this.#stopped = true;
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    const before = this.#queue.stats;
    this.#queue.pull(out[0]);
    for (let c = 1; c < out.length; c++) out[c].set(out[0]);
    const after = this.#queue.stats;
    this.#sinceReport += out[0].length;
    // Report at once when playback starts, runs dry or ends (the page measures latency from it).
    if (this.#sinceReport >= this.#reportEvery || after.started !== before.started || after.underruns !== before.underruns || after.finished) {
      this.#sinceReport = 0;
      this.port.postMessage({ type: 'stats', stats: after } satisfies StreamOut);
    }
    return !this.#stopped && !after.finished;
  }
}

registerProcessor('wavehouse-stream', StreamProcessor);
