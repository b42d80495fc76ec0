/**
 * The page's side of the live generator: fetches the checkpoint's card (contract `checkpoints.live`)
 * and weights (media kind `weights`, checked against the card's sha256), starts the generation
 * worker and the mixing worklet, joins them with a MessageChannel, and keeps the counters.
 */
import type { Client } from '../../../../src-preload/client';
import type { LiveModel } from '../../../../src-preload/contract';
import type { FromWorker, MixerToPage, PageToMixer, ToWorker, VoiceSpec } from './protocol';
import processorUrl from './mixer-processor.ts?worker&url';
import LiveWorker from './worker.ts?worker';

export interface LiveVoiceStart {
  /** The label to condition on (null = unconditioned). */
  label: string | null;
  /** Sampling seed (same seed + checkpoint + label => same audio). */
  seed: number;
  /** Linear gain 0..1. */
  gain: number;
  /** Default: the product's default sampling settings (temperature 1). */
  temperature?: number;
  /** Optional, as in the Generate form: top-k, top-p, and guidance (default the checkpoint's for a labelled voice). */
  topK?: number;
  topP?: number;
  guidance?: number;
  /** Samples (model rate) to generate, after which the voice ends by itself; default: until released. */
  length?: number;
}

export interface LiveGeneratorStats {
  voicesActive: number;
  underruns: number;
  /** Generated ahead of the playhead, worst playing voice (0 when none plays). */
  aheadMs: number;
  /** Voices this machine sustains in real time, with headroom (timed at load, then kept current from the live voices). */
  maxVoices: number;
  /** AudioContext baseLatency + outputLatency. */
  outputLatencyMs: number;
}

export interface LiveGenerator {
  readonly sampleRate: number;
  readonly labels: readonly string[];
  /** Starts a voice; audio begins as soon as its first block is generated. Returns a voice id. */
  startVoice(v: LiveVoiceStart): number;
  /** Fades a voice out over fadeMs then frees it (note-off). */
  releaseVoice(id: number, fadeMs: number): void;
  /** Stops and frees a voice at once (voice stealing). */
  stopVoice(id: number): void;
  stopAll(): void;
  stats(): LiveGeneratorStats;
  /** Fires with (voiceId, audioContextTime) when a voice's first sample is scheduled to sound. */
  onVoiceSounding(cb: (id: number, atTime: number) => void): () => void;
  /** The node carrying the mixed voices (connect to destination / a recorder). */
  readonly output: AudioNode;
  dispose(): void;
}

/** Where the generator gets a checkpoint: the contract client and the connection's media URLs (`Studio` has both). */
export interface LiveModelSource {
  client: Client;
  mediaUrl(kind: 'weights', id: string): string;
}

export interface LiveGeneratorOptions {
  /** Keep every live voice's generated samples (up to 30 s) for `captured` (tests, comparisons). */
  capture?: boolean;
  /** Samples per generated block (default 64: 4 ms at 16 kHz; 128 made the first sound ~10 ms later). */
  blockSize?: number;
  /** Generation workers, each with its own engines (default: one per core but one, at most 4). */
  workers?: number;
}

/** What the generator measured at load, and extras beyond the agreed interface (tests, the Takes view). */
export interface LiveGeneratorDetails {
  /** Kernel speed on one voice of the usual kind, as a multiple of real time (timed at load, then kept current from the live voices). */
  readonly realtime: number;
  readonly stepMicros: number;
  /** Generation workers the voices are spread over. */
  workers: number;
  checkpointId: string;
  /** Peak |sample| the mixer has output. */
  peak(): number;
  /** Voices started and not yet ended. */
  voices(): number[];
  /** A voice's samples as generated (before gain), with `capture` on. */
  captured(id: number): Promise<Float32Array>;
  /** Generates a voice offline in the worker (no playback): the same samples a live voice makes. */
  render(v: Omit<LiveVoiceStart, 'gain'> & { length: number }): Promise<Float32Array>;
  /** Fires when a voice has ended (faded out, stopped, or played its length). */
  onVoiceEnded(cb: (id: number) => void): () => void;
  /** A voice the worker could not start (an unknown label…). */
  onVoiceFailed(cb: (id: number, message: string) => void): () => void;
}

/** sha256 hex of bytes (WebCrypto; the page is a secure context: 127.0.0.1 or wavehouse://). */
async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchWeights(source: LiveModelSource, model: LiveModel): Promise<ArrayBuffer> {
  const res = await fetch(source.mediaUrl('weights', model.weightsMediaId));
  if (!res.ok) throw new Error(`the checkpoint's weights could not be fetched (HTTP ${res.status})`);
  const bytes = await res.arrayBuffer();
  if (bytes.byteLength !== model.weightsBytes) throw new Error(`the checkpoint's weights are ${bytes.byteLength} bytes, the card says ${model.weightsBytes}`);
  if (crypto.subtle) {
    const hash = await sha256Hex(bytes);
    if (hash !== model.weightsSha256) throw new Error(`the checkpoint's weights do not match their card (sha256 ${hash.slice(0, 12)}…, card ${model.weightsSha256.slice(0, 12)}…)`);
  }
  return bytes;
}

/** Loads a checkpoint's weights in workers running the same wasm kernel as the studio and returns a ready generator. */
export async function createLiveGenerator(
  ctx: AudioContext, source: LiveModelSource, checkpointId: string, options: LiveGeneratorOptions = {},
): Promise<LiveGenerator & LiveGeneratorDetails> {
  const model = await source.client.invoke('checkpoints.live', { id: checkpointId });
  const [weights] = await Promise.all([fetchWeights(source, model), ctx.audioWorklet.addModule(processorUrl)]);
  const rate = model.config.sampleRate;
  const blockSize = options.blockSize ?? 64;
  // Two blocks before a voice plays (8 ms at 16 kHz): one would run dry as soon as the next block is late.
  const node = new AudioWorkletNode(ctx, 'wavehouse-live-mixer', {
    numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { modelRate: rate, prebuffer: 2 * blockSize },
  });
  const toMixer = (m: PageToMixer, transfer: Transferable[] = []) => node.port.postMessage(m, transfer);
  // One worker per spare core (each its own engines): voices are spread over them.
  const count = Math.max(1, Math.floor(options.workers ?? Math.min(4, (navigator.hardwareConcurrency || 2) - 1)));
  const workers: Worker[] = [];
  const loading: Promise<Extract<FromWorker, { type: 'ready' }>>[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new LiveWorker();
    workers.push(worker);
    const channel = new MessageChannel();
    toMixer({ type: 'connect', port: channel.port1 }, [channel.port1]);
    loading.push(
      new Promise((resolve, reject) => {
        worker.onerror = (e) => reject(new Error(`the live generator's worker failed: ${e.message}`));
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          if (e.data.type === 'ready') resolve(e.data);
          else if (e.data.type === 'failed') reject(new Error(e.data.message));
        };
      }),
    );
    // The last worker gets the weights' buffer itself, the others a copy.
    const bytes = i === count - 1 ? weights : weights.slice(0);
    const load: ToWorker = { type: 'load', model, weights: bytes, mixer: channel.port2, blockSize, capture: options.capture ?? false };
    worker.postMessage(load, [bytes, channel.port2]);
  }
  let loaded: Extract<FromWorker, { type: 'ready' }>[];
  try {
    // The workers time the kernel at the same time, so each measures with the others running.
    loaded = await Promise.all(loading);
  } catch (e) {
    for (const w of workers) w.terminate();
    node.disconnect();
    throw e;
  }
  /** Each worker's current figures (updated from its live voices: `speed` messages). */
  const speed = loaded.map((l) => ({ maxVoices: l.maxVoices, realtime: l.realtime, stepMicros: l.stepMicros }));
  const maxVoices = () => speed.reduce((n, l) => n + l.maxVoices, 0);
  /** The worker each voice runs on, and each worker's live voices. */
  const home = new Map<number, number>();
  const load = workers.map(() => new Set<number>());

  let nextId = 1;
  let nextRequest = 1;
  let disposed = false;
  const pending = new Map<number, { resolve: (s: Float32Array) => void; reject: (e: Error) => void }>();
  const sounding = new Set<(id: number, at: number) => void>();
  const failed = new Set<(id: number, message: string) => void>();
  const live = new Set<number>();
  let mixStats: Extract<MixerToPage, { type: 'stats' }> = { type: 'stats', active: 0, underruns: 0, worstAheadSamples: null, voices: [], peak: 0 };

  const onWorker = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === 'result') {
      const p = pending.get(m.requestId);
      pending.delete(m.requestId);
      if (m.samples) p?.resolve(m.samples);
      else p?.reject(new Error(m.error ?? 'the live generator failed'));
    } else if (m.type === 'speed') {
      const i = workers.findIndex((w) => w === e.target);
      if (i >= 0) speed[i] = { maxVoices: m.maxVoices, realtime: m.realtime, stepMicros: m.stepMicros };
    } else if (m.type === 'voice-failed') {
      gone(m.id);
      toMixer({ type: 'stop', id: m.id });
      for (const cb of failed) cb(m.id, m.message);
    }
  };
  for (const w of workers) w.onmessage = onWorker;
  const ended = new Set<(id: number) => void>();
  const gone = (id: number) => {
    live.delete(id);
    const w = home.get(id);
    if (w !== undefined) load[w].delete(id);
  };
  node.port.onmessage = (e: MessageEvent<MixerToPage>) => {
    const m = e.data;
    if (m.type === 'stats') mixStats = m;
    else if (m.type === 'sounding') for (const cb of sounding) cb(m.id, m.time);
    else {
      gone(m.id);
      for (const cb of ended) cb(m.id);
    }
  };

  const ask = (worker: number, m: ToWorker & { requestId: number }) =>
    new Promise<Float32Array>((resolve, reject) => {
      pending.set(m.requestId, { resolve, reject });
      workers[worker].postMessage(m);
    });
  /** The worker with the most room: fewest voices for what it sustains. */
  const pick = () => {
    let best = 0;
    const room = (i: number) => load[i].size / Math.max(1, speed[i].maxVoices);
    for (let i = 1; i < workers.length; i++) if (room(i) < room(best) || (room(i) === room(best) && load[i].size < load[best].size)) best = i;
    return best;
  };
  const check = (v: { seed: number; label: string | null }) => {
    if (disposed) throw new Error('the live generator is disposed');
    if (!Number.isInteger(v.seed) || v.seed < 0 || v.seed > 2 ** 31 - 1) throw new Error(`a voice's seed must be an integer in [0, 2^31), got ${v.seed}`);
    if (v.label !== null && !model.labels.includes(v.label)) throw new Error(`the model knows no label "${v.label}" (it knows ${model.labels.join(', ') || 'none'})`);
  };
  const stop = (id: number) => {
    const w = home.get(id);
    if (w !== undefined) workers[w].postMessage({ type: 'stop', id } satisfies ToWorker);
    toMixer({ type: 'stop', id });
  };
  const spec = (v: Omit<LiveVoiceStart, 'gain'>): VoiceSpec => ({ label: v.label, seed: v.seed, temperature: v.temperature, topK: v.topK, topP: v.topP, guidance: v.guidance, length: v.length });

  return {
    sampleRate: rate,
    labels: model.labels,
    output: node,
    get realtime() {
      return speed.reduce((a, l) => a + l.realtime, 0) / speed.length;
    },
    get stepMicros() {
      return speed.reduce((a, l) => a + l.stepMicros, 0) / speed.length;
    },
    workers: workers.length,
    checkpointId,
    startVoice(v) {
      check(v);
      const id = nextId++;
      const w = pick();
      live.add(id);
      home.set(id, w);
      load[w].add(id);
      // The worklet first, so the voice's gain is known when its first block arrives.
      toMixer({ type: 'start', id, gain: Math.max(0, Math.min(1, v.gain)) });
      workers[w].postMessage({ type: 'start', id, voice: spec(v) } satisfies ToWorker);
      return id;
    },
    releaseVoice(id, fadeMs) {
      toMixer({ type: 'release', id, fadeSamples: Math.max(1, (fadeMs / 1000) * rate) });
    },
    stopVoice: stop,
    stopAll() {
      for (const id of live) stop(id);
    },
    stats() {
      return {
        voicesActive: live.size,
        underruns: mixStats.underruns,
        aheadMs: mixStats.worstAheadSamples === null ? 0 : (mixStats.worstAheadSamples / rate) * 1000,
        maxVoices: maxVoices(),
        outputLatencyMs: ((ctx.baseLatency ?? 0) + (ctx.outputLatency ?? 0)) * 1000,
      };
    },
    onVoiceSounding(cb) {
      sounding.add(cb);
      return () => sounding.delete(cb);
    },
    onVoiceEnded(cb) {
      ended.add(cb);
      return () => ended.delete(cb);
    },
    onVoiceFailed(cb) {
      failed.add(cb);
      return () => failed.delete(cb);
    },
    peak: () => mixStats.peak,
    voices: () => [...live],
    captured: (id) => ask(home.get(id) ?? 0, { type: 'captured', requestId: nextRequest++, id }),
    render(v) {
      check(v);
      return ask(0, { type: 'render', requestId: nextRequest++, voice: { ...spec(v), length: v.length } });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      toMixer({ type: 'dispose' });
      node.disconnect();
      for (const w of workers) w.terminate();
      for (const p of pending.values()) p.reject(new Error('the live generator is disposed'));
      pending.clear();
    },
  };
}
