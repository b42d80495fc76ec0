/**
 * AudioWorklet processor of the live generator (bundled on its own by Vite, `?worker&url`): mixes
 * the voices the generation worker sends straight to it (VoiceMixer), tells the worker how far each
 * voice has played so it keeps them ahead, and tells the page when a voice sounds, ends, and its counters.
 */
import type { MixerToPage, MixerToWorker, PageToMixer, WorkerToMixer } from './protocol';
import { VoiceMixer } from './voice-mixer';

// The AudioWorkletGlobalScope is not in TypeScript's DOM library.
declare const sampleRate: number;
declare const currentTime: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

class LiveMixerProcessor extends AudioWorkletProcessor {
  #mixer: VoiceMixer;
  /** One port per generation worker (voices are spread over them). */
  #workers: MessagePort[] = [];
  #disposed = false;
  #sinceReport = 0;
  #reportEvery: number;
  #peak = 0;
  #underrunsReported = -1;

  constructor(options: { processorOptions: { modelRate: number; prebuffer: number } }) {
    super();
    const { modelRate, prebuffer } = options.processorOptions;
    this.#mixer = new VoiceMixer(modelRate, sampleRate, prebuffer);
    // Report every ~10 ms: the worker paces generation by it.
    this.#reportEvery = Math.round(sampleRate * 0.01);
    this.port.onmessage = (e: MessageEvent<PageToMixer>) => {
      const m = e.data;
      if (m.type === 'connect') {
        this.#workers.push(m.port);
        m.port.onmessage = (w: MessageEvent<WorkerToMixer>) => {
          if (w.data.type === 'block') this.#mixer.push(w.data.id, w.data.samples);
          else this.#mixer.end(w.data.id);
        };
      } else if (m.type === 'start') this.#mixer.start(m.id, m.gain);
      else if (m.type === 'release') this.#mixer.release(m.id, m.fadeSamples);
      else if (m.type === 'stop') this.#mixer.stop(m.id);
      else this.#disposed = true;
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    const events = this.#mixer.render(out[0]);
    for (let c = 1; c < out.length; c++) out[c].set(out[0]);
    for (let i = 0; i < out[0].length; i++) {
      const a = Math.abs(out[0][i]);
      if (a > this.#peak) this.#peak = a;
    }
    for (const s of events.sounding) this.port.postMessage({ type: 'sounding', id: s.id, time: currentTime + s.frame / sampleRate } satisfies MixerToPage);
    for (const id of events.ended) {
      this.port.postMessage({ type: 'ended', id } satisfies MixerToPage);
      for (const w of this.#workers) w.postMessage({ type: 'ended', id } satisfies MixerToWorker);
    }
    this.#sinceReport += out[0].length;
    const underruns = this.#mixer.underruns;
    if (this.#sinceReport >= this.#reportEvery || underruns !== this.#underrunsReported || events.sounding.length > 0 || events.ended.length > 0) {
      this.#sinceReport = 0;
      this.#underrunsReported = underruns;
      const voices = this.#mixer.stats();
      const played = { type: 'played', voices: voices.map((v) => ({ id: v.id, played: v.played, queued: v.queued })) } satisfies MixerToWorker;
      for (const w of this.#workers) w.postMessage(played);
      // Worst voice: the least generated ahead of its playhead, among voices already playing.
      const playing = voices.filter((v) => v.started && !v.released);
      const worst = playing.length ? Math.min(...playing.map((v) => v.queued)) : null;
      this.port.postMessage({ type: 'stats', active: this.#mixer.active, underruns, worstAheadSamples: worst, voices: voices.map((v) => ({ id: v.id, played: v.played, queued: v.queued, underruns: v.underruns })), peak: this.#peak } satisfies MixerToPage);
    }
    return !this.#disposed;
  }
}

registerProcessor('wavehouse-live-mixer', LiveMixerProcessor);
