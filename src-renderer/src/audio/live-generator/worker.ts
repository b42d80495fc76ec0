/**
 * The live generator's Web Worker: the same wasm kernel and take logic as the studio's generation
 * jobs (src-shared/generation: createEngine, TakeVoice), one engine per voice (each its own kernel
 * state), blocks posted straight to the mixing AudioWorklet, each voice kept a little ahead of what
 * the worklet reports it has played. At load it times the kernel to say how many voices it sustains.
 */
import { createEngine, type StepEngine } from '../../../../src-shared/generation/engine';
import { TakeVoice, voiceRows, type VoiceRequest } from '../../../../src-shared/generation/voice';
import { cardTakeVoicing, takeGuidance } from '../../../../src-shared/model/card';
import { unflattenWeights } from '../../../../src-shared/model/params';
import { withNullLabel, type WaveNetWeights } from '../../../../src-shared/model/weights';
import type { LiveModel } from '../../../../src-preload/contract';
import type { FromWorker, MixerToWorker, ToWorker, VoiceSpec, WorkerToMixer } from './protocol';

/** How far ahead of its playhead each voice is generated (seconds): room for the page's hiccups. */
const AHEAD_SECONDS = 0.15;
/** Share of one core the voices may use: the rest is for the audio thread, the page, and jitter. */
const HEADROOM = 0.8;
/** At most this much of a voice is kept for `captured` (tests). */
const CAPTURE_SECONDS = 30;

interface Live {
  id: number;
  voice: TakeVoice;
  engine: StepEngine;
  rows: number;
  length: number;
  generated: number;
  played: number;
  capture: Float32Array[] | null;
}

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let model: LiveModel | null = null;
let weights: WaveNetWeights | null = null;
let mixer: MessagePort | null = null;
let blockSize = 64;
let capture = false;
const pool = new Map<number, StepEngine[]>();
const voices = new Map<number, Live>();
/** Voices stopped or ended: a start that is still creating its engine is dropped. */
const gone = new Set<number>();
const captured = new Map<number, Float32Array[]>();
let wake: (() => void) | null = null;
/** Engine rows of the usual voice (the one timed at load), and its running speed: µs per sample. */
let usualRows = 1;
let stepMicrosAvg = 0;
let reportedVoices = -1;
let lastSpeedReport = 0;
let running = false;

/** The take request a voice of `spec` makes, exactly as the generation job builds it (generation-job.ts). */
function requestOf(spec: VoiceSpec): { request: VoiceRequest; rows: number } {
  const m = model!;
  let label = 0;
  if (spec.label !== null) {
    label = m.labels.indexOf(spec.label);
    if (label < 0) throw new Error(`the model knows no label "${spec.label}" (it knows ${m.labels.join(', ') || 'none'})`);
  }
  const conditional = m.config.numLabels > 0;
  const card = { config: m.config, guidance: m.guidance ?? undefined, excitation: m.voicings ? { voicings: m.voicings } : undefined };
  // generateInThread runs an unconditional model's takes without guidance.
  const guidance = conditional ? takeGuidance(card, spec.label !== null, spec.guidance) : undefined;
  const request: VoiceRequest = { seed: spec.seed, label, temperature: spec.temperature ?? 1, topK: spec.topK, topP: spec.topP, guidance, voicing: cardTakeVoicing(card, spec.label, spec.seed) };
  return { request, rows: voiceRows(request) };
}

/** The weights engines run: with the "no label" row guidance needs (it leaves every other label's numbers unchanged). */
function engineWeights(): WaveNetWeights {
  return weights!.config.numLabels > 0 ? withNullLabel(weights!) : weights!;
}

let runWeights: WaveNetWeights | null = null;

async function engineFor(rows: number): Promise<StepEngine> {
  const free = pool.get(rows)?.pop();
  return free ?? createEngine(runWeights!, rows);
}

function release(engine: StepEngine): void {
  const list = pool.get(engine.batch) ?? [];
  list.push(engine);
  pool.set(engine.batch, list);
}

function voiceOf(engine: StepEngine, request: VoiceRequest): TakeVoice {
  return new TakeVoice(engine, request, weights!.config.numLabels);
}

/** Times the kernel on a voice of the usual kind: samples per second on this core. */
function measure(engine: StepEngine, request: VoiceRequest): { perSecond: number; stepMicros: number } {
  const voice = voiceOf(engine, request);
  const block = new Int32Array(256);
  voice.nextClasses(256, block); // warm-up (tiering, caches)
  let steps = 0;
  const t0 = performance.now();
  let elapsed = 0;
  // At least 100 ms of work and 1024 steps, so the figure is not timer noise.
  while (steps < 1024 || elapsed < 100) {
    voice.nextClasses(256, block);
    steps += 256;
    elapsed = performance.now() - t0;
    if (elapsed > 1500) break;
  }
  return { perSecond: (steps / elapsed) * 1000, stepMicros: (elapsed * 1000) / steps };
}

async function load(m: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  model = m.model;
  mixer = m.mixer;
  blockSize = m.blockSize;
  capture = m.capture;
  weights = unflattenWeights(m.model.config, new Float32Array(m.weights));
  runWeights = engineWeights();
  mixer.onmessage = (e: MessageEvent<MixerToWorker>) => onMixer(e.data);
  // The usual voice: labelled (guided when the model has guidance) if the model has labels.
  const { request, rows } = requestOf({ label: model.labels[0] ?? null, seed: 1 });
  const engine = await createEngine(runWeights, rows);
  const { perSecond, stepMicros } = measure(engine, request);
  const realtime = perSecond / model.config.sampleRate;
  const maxVoices = Math.max(0, Math.floor(realtime * HEADROOM));
  usualRows = rows;
  stepMicrosAvg = stepMicros;
  reportedVoices = maxVoices;
  lastSpeedReport = performance.now();
  release(engine);
  // Engines for the voices it sustains, made now so a key press does not wait for packing weights.
  for (let i = 1; i < Math.max(1, maxVoices); i++) release(await createEngine(runWeights, rows));
  post({ type: 'ready', maxVoices, realtime, stepMicros, engine: 'wasm' });
}

function onMixer(m: MixerToWorker): void {
  if (m.type === 'played') {
    for (const v of m.voices) {
      const live = voices.get(v.id);
      if (live) live.played = v.played;
    }
  } else free(m.id);
  wake?.();
}

function free(id: number): void {
  gone.add(id);
  const live = voices.get(id);
  if (!live) return;
  voices.delete(id);
  release(live.engine);
}

async function start(id: number, spec: VoiceSpec): Promise<void> {
  try {
    const { request, rows } = requestOf(spec);
    const engine = await engineFor(rows);
    if (gone.has(id)) return release(engine);
    const length = spec.length ?? Infinity;
    const live: Live = { id, voice: voiceOf(engine, request), engine, rows, length, generated: 0, played: 0, capture: capture ? [] : null };
    if (live.capture) {
      captured.set(id, live.capture);
      // Only the latest voices' samples are kept.
      if (captured.size > 16) captured.delete(captured.keys().next().value!);
    }
    voices.set(id, live);
    void loop();
  } catch (e) {
    post({ type: 'voice-failed', id, message: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * Keeps the load-time figure current from the live voices' blocks (a moving average over ~1 s of
 * blocks): a machine that was busy at load, or becomes busy, reports the voices it sustains now.
 */
function noteSpeed(micros: number): void {
  stepMicrosAvg += (micros - stepMicrosAvg) * 0.01;
  const now = performance.now();
  if (now - lastSpeedReport < 1000) return;
  lastSpeedReport = now;
  const realtime = 1e6 / stepMicrosAvg / model!.config.sampleRate;
  const maxVoices = Math.max(0, Math.floor(realtime * HEADROOM));
  if (maxVoices === reportedVoices) return;
  reportedVoices = maxVoices;
  post({ type: 'speed', maxVoices, realtime, stepMicros: stepMicrosAvg });
}

/** Lets queued messages (starts, stops, the worklet's reports) run between blocks. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => ((wake = null), resolve()), ms);
    wake = () => {
      clearTimeout(t);
      wake = null;
      resolve();
    };
  });
}

/** Generates block after block for the voice furthest behind, while any voice is below its target. */
async function loop(): Promise<void> {
  if (running) return;
  running = true;
  try {
    const rate = model!.config.sampleRate;
    const target = Math.max(4 * blockSize, Math.round(AHEAD_SECONDS * rate));
    while (voices.size > 0) {
      let next: Live | null = null;
      for (const v of voices.values()) {
        if (v.generated >= v.length) continue;
        const ahead = v.generated - v.played;
        if (ahead < target && (!next || ahead < next.generated - next.played)) next = v;
      }
      if (!next) {
        await sleep(5);
        continue;
      }
      const n = Math.min(blockSize, next.length - next.generated);
      const t0 = performance.now();
      const samples = next.voice.next(n);
      if (next.rows === usualRows) noteSpeed(((performance.now() - t0) * 1000) / n);
      next.generated += n;
      if (next.capture && next.generated <= CAPTURE_SECONDS * rate) next.capture.push(samples.slice());
      mixer!.postMessage({ type: 'block', id: next.id, samples } satisfies WorkerToMixer, [samples.buffer]);
      if (next.generated >= next.length) {
        mixer!.postMessage({ type: 'end', id: next.id } satisfies WorkerToMixer);
        free(next.id);
      }
      await yieldToMessages();
    }
  } finally {
    running = false;
  }
}

async function render(requestId: number, spec: VoiceSpec & { length: number }): Promise<void> {
  try {
    const { request, rows } = requestOf(spec);
    const engine = await createEngine(runWeights!, rows);
    const voice = voiceOf(engine, request);
    const out = new Float32Array(spec.length);
    for (let at = 0; at < spec.length; at += 4096) {
      out.set(voice.next(Math.min(4096, spec.length - at)), at);
      await yieldToMessages();
    }
    post({ type: 'result', requestId, samples: out }, [out.buffer]);
  } catch (e) {
    post({ type: 'result', requestId, error: e instanceof Error ? e.message : String(e) });
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'load') {
    load(m).catch((err) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
  } else if (m.type === 'start') {
    if (!model) return post({ type: 'voice-failed', id: m.id, message: 'the model is not loaded yet' });
    void start(m.id, m.voice);
  } else if (m.type === 'stop') {
    free(m.id);
  } else if (m.type === 'render') {
    void render(m.requestId, m.voice);
  } else if (m.type === 'captured') {
    const parts = captured.get(m.id);
    const samples = concat(parts ?? []);
    post(parts ? { type: 'result', requestId: m.requestId, samples } : { type: 'result', requestId: m.requestId, error: `no captured voice ${m.id}` }, parts ? [samples.buffer] : []);
  }
  wake?.();
};
