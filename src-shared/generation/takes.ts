import { muLawDecode } from '../audio/mulaw';
import { writeExcitation, type Voicing } from '../pitch/excitation';
import type { StepEngine } from './engine';
import type { SamplingSettings } from './sampling';
import { argmax, sampleClass, sampleFromWeights, seededRandom, validateSampling } from './sampling';
import { StreamCursor, type StreamPlan } from './stream';

/** One take to generate. */
export interface TakeRequest extends SamplingSettings {
  /** Seed of the sampling stream: same weights, seed and settings give the same take bit for bit. */
  seed: number;
  /** Samples to generate after the prime. */
  length: number;
  /** Global-condition label (0 for an unconditional model). */
  label?: number;
  /** μ-law classes fed first by teacher forcing; generation continues from them. Default: one silence sample. */
  prime?: ArrayLike<number>;
  /**
   * Classifier-free guidance g: each sample is drawn from u + g·(c − u), c the logits with the
   * label, u without it (a second engine row fed the same samples, label RunHooks.nullLabel), so
   * the label decides more than the context does. 1 (default) is plain conditional sampling.
   */
  guidance?: number;
  /**
   * The notes the take plays, for models with pitch excitation (model/excitation.ts; takeVoicing
   * picks them from the label and seed); absent or null: no excitation. The take's first generated
   * sample is the excitation's sample 0.
   */
  voicing?: Voicing | null;
}

/** A finished take: the generated μ-law classes and the decoded audio in [-1, 1]. */
export interface TakeResult {
  classes: Int32Array;
  audio: Float32Array;
}

/** Progress of one take: samples produced so far out of `total`. */
export type TakeProgress = (take: number, done: number, total: number) => void;

export interface RunHooks {
  /** Called every `progressEvery` steps and at the end, per take. */
  onProgress?: TakeProgress;
  progressEvery?: number;
  /** Checked between chunks; when aborted the run throws an AbortError and returns nothing. */
  signal?: AbortSignal;
  /** Awaited between chunks (e.g. to let the event loop deliver an abort); omitted = no yielding. */
  pause?: () => Promise<void>;
  /** The engine's "no label" (withNullLabel), required by takes with guidance ≠ 1. */
  nullLabel?: number;
  /**
   * Streaming: each take's newest μ-law classes (a copy) as they are generated, every sample once
   * and in order, in chunks sized by `streamPlan`; the last chunk arrives before runTakes returns.
   */
  onSamples?: TakeSamples;
  streamPlan?: StreamPlan;
}

/** A streamed run of one take's classes, starting at sample `start` of the take. */
export type TakeSamples = (take: number, start: number, classes: Int32Array) => void;

/** Whether a take runs a second, unconditional engine row. */
export function isGuided(r: TakeRequest): boolean {
  return r.guidance !== undefined && r.guidance !== 1;
}

/** Engine rows a list of takes needs (two per guided take). */
export function engineRows(requests: TakeRequest[]): number {
  return requests.reduce((n, r) => n + (isGuided(r) ? 2 : 1), 0);
}

/** Throws a specific error for a request the engine cannot run. */
export function validateRequest(r: TakeRequest, Q: number): void {
  if (!Number.isInteger(r.seed)) throw new Error(`take: seed must be an integer, got ${r.seed}`);
  if (!Number.isInteger(r.length) || r.length < 0) throw new Error(`take: length must be a non-negative integer, got ${r.length}`);
  validateSampling(r);
  if (r.guidance !== undefined && !(Number.isFinite(r.guidance) && r.guidance >= 0 && r.guidance <= 10)) throw new Error(`take: guidance must be in [0, 10], got ${r.guidance}`);
  for (let i = 0; i < (r.prime?.length ?? 0); i++) {
    const c = r.prime![i];
    if (!Number.isInteger(c) || c < 0 || c >= Q) throw new Error(`take: prime class ${c} at ${i} out of range [0, ${Q})`);
  }
}

/** The class μ-law encodes silence to (the middle class), used when a take has no prime. */
export function silenceClass(Q: number): number {
  return Math.floor((Q - 1) / 2 + 0.5);
}

/**
 * Runs up to engine.batch takes in lockstep: each take is primed by teacher forcing, then samples
 * its own continuation from its own seeded stream. A take's output depends only on its request,
 * never on the other takes in the batch. Takes that finish early idle until the longest is done.
 */
export async function runTakes(engine: StepEngine, requests: TakeRequest[], hooks: RunHooks = {}): Promise<TakeResult[]> {
  const n = requests.length;
  const rowsNeeded = engineRows(requests);
  if (rowsNeeded > engine.batch) throw new Error(`take: ${n} requests need ${rowsNeeded} engine rows, an engine of batch ${engine.batch} has fewer`);
  const Q = engine.classes;
  for (const r of requests) validateRequest(r, Q);
  if (rowsNeeded > n && hooks.nullLabel === undefined) throw new Error('take: guidance needs a model with a "no label" condition (withNullLabel)');
  // Engine row of each take, and of its unconditional twin (-1: not guided).
  const row = new Int32Array(n);
  const twin = new Int32Array(n).fill(-1);
  for (let b = 0, at = 0; b < n; b++) {
    row[b] = at++;
    if (isGuided(requests[b])) twin[b] = at++;
  }
  const primes = requests.map((r) => (r.prime && r.prime.length > 0 ? Array.from(r.prime) : [silenceClass(Q)]));
  const outputs = requests.map((r) => new Int32Array(r.length));
  const rands = requests.map((r) => seededRandom(r.seed));
  const totalSteps = Math.max(0, ...requests.map((r, b) => primes[b].length - 1 + r.length));
  const inputs = new Int32Array(engine.batch);
  const labels = new Int32Array(engine.batch);
  requests.forEach((r, b) => {
    labels[row[b]] = r.label ?? 0;
    if (twin[b] >= 0) labels[twin[b]] = hooks.nullLabel!;
  });
  const scratch = new Float64Array(2 * Q);
  const every = hooks.progressEvery ?? 4000;
  // Engines with a SIMD softmax give the exp() numerators directly (Math.exp is ~25 ns a call).
  const invT = new Float32Array(engine.batch);
  requests.forEach((r, b) => (invT[row[b]] = (r.temperature ?? 1) > 0 ? 1 / (r.temperature ?? 1) : 0));
  const fast = engine.softmaxWeights !== undefined;
  // Pitch excitation: each take's whole track up front, fed row by row (its twin row gets none, as "no label" had in training).
  const E = engine.excitationChannels;
  const tracks = requests.map((r) => {
    if (E === 0 || !r.voicing) return null;
    const track = new Float32Array(r.length * E);
    writeExcitation(r.voicing, engine.sampleRate, 0, r.length, track, 0, E);
    return track;
  });
  const excitation = E > 0 && tracks.some((t) => t) ? new Float32Array(engine.batch * E) : undefined;
  engine.reset(labels);
  const cursor = hooks.onSamples ? new StreamCursor(requests.map((r) => r.length), primes.map((p) => p.length - 1), hooks.streamPlan) : null;
  const stream = (steps: number) => {
    for (const s of cursor!.advance(steps)) hooks.onSamples!(s.take, s.start, outputs[s.take].slice(s.start, s.end));
  };
  let nextChunk = cursor ? cursor.nextAt : Infinity;

  for (let i = 0; i < totalSteps; i++) {
    // Input at step i: the prime while it lasts, then the take's own previous sample.
    for (let b = 0; b < n; b++) {
      const pl = primes[b].length;
      inputs[row[b]] = i < pl ? primes[b][i] : i - pl < requests[b].length ? outputs[b][i - pl] : 0;
      if (twin[b] >= 0) inputs[twin[b]] = inputs[row[b]];
    }
    if (excitation) {
      for (let b = 0; b < n; b++) {
        const track = tracks[b];
        const j = i - (primes[b].length - 1);
        for (let e = 0; e < E; e++) excitation[row[b] * E + e] = track && j >= 0 && j < requests[b].length ? track[j * E + e] : 0;
      }
    }
    const logits = engine.step(inputs, excitation);
    // Guided takes: the conditional row becomes u + g·(c − u) in place (the view is rewritten by every step).
    for (let b = 0; b < n; b++) {
      if (twin[b] < 0) continue;
      const g = requests[b].guidance!;
      const c = row[b] * engine.logitsStride;
      const u = twin[b] * engine.logitsStride;
      for (let q = 0; q < Q; q++) logits[c + q] = logits[u + q] + g * (logits[c + q] - logits[u + q]);
    }
    const weights = fast ? engine.softmaxWeights!(invT) : undefined;
    for (let b = 0; b < n; b++) {
      const j = i - (primes[b].length - 1); // index of the sample these logits predict
      if (j < 0 || j >= requests[b].length) continue;
      const at = row[b] * engine.logitsStride;
      outputs[b][j] = invT[row[b]] === 0
        ? argmax(logits, at, Q)
        : weights
          ? sampleFromWeights(weights, at, Q, requests[b], rands[b], scratch)
          : sampleClass(logits, at, Q, requests[b], rands[b], scratch);
    }
    if (i + 1 >= nextChunk) {
      stream(i + 1);
      nextChunk = cursor!.nextAt;
      // Let the chunk leave now (inline runs share the thread with whoever sends it on).
      if (hooks.pause) await hooks.pause();
    }
    if ((i + 1) % every === 0) {
      if (hooks.signal?.aborted) throw abortError();
      report(hooks, requests, primes, i + 1);
      if (hooks.pause) await hooks.pause();
      if (hooks.signal?.aborted) throw abortError();
    }
  }
  if (cursor) stream(totalSteps);
  report(hooks, requests, primes, totalSteps);
  return outputs.map((classes) => ({ classes, audio: muLawDecode(classes, Q) }));
}

function report(hooks: RunHooks, requests: TakeRequest[], primes: number[][], steps: number): void {
  if (!hooks.onProgress) return;
  requests.forEach((r, b) => hooks.onProgress!(b, Math.min(r.length, Math.max(0, steps - (primes[b].length - 1))), r.length));
}

/** The error a cancelled run rejects with (name 'AbortError', like fetch). */
export function abortError(): Error {
  const e = new Error('generation cancelled');
  e.name = 'AbortError';
  return e;
}
