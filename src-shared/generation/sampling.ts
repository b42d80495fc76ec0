import { mulberry32 } from '../model/weights';

/** How a class is drawn from the logits. */
export interface SamplingSettings {
  /** Softmax temperature; 0 picks the most likely class (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely classes (ties at the k-th probability are kept). */
  topK?: number;
  /** Nucleus: keep the most likely classes whose probabilities first sum to at least p (0 < p <= 1). */
  topP?: number;
}

/** Throws a specific error for settings that cannot be sampled from. */
export function validateSampling(s: SamplingSettings): void {
  const t = s.temperature ?? 1;
  if (!Number.isFinite(t) || t < 0) throw new Error(`sampling: temperature must be >= 0, got ${t}`);
  if (s.topK !== undefined && (!Number.isInteger(s.topK) || s.topK < 1)) throw new Error(`sampling: topK must be a positive integer, got ${s.topK}`);
  if (s.topP !== undefined && !(s.topP > 0 && s.topP <= 1)) throw new Error(`sampling: topP must be in (0, 1], got ${s.topP}`);
}

/** A seeded stream of uniforms in [0, 1): mulberry32, so a seed replays the same take bit for bit. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

/**
 * Draws one class from logits[offset .. offset + Q). `scratch` (length >= 2Q) avoids allocation per
 * sample. Only Math.exp and plain float arithmetic in a fixed order: the same inputs and `rand`
 * give the same class on every run and thread.
 */
export function sampleClass(
  logits: Float32Array, offset: number, Q: number, settings: SamplingSettings, rand: () => number, scratch: Float64Array,
): number {
  const temperature = settings.temperature ?? 1;
  if (temperature === 0) return argmax(logits, offset, Q);
  let max = -Infinity;
  for (let q = 0; q < Q; q++) max = Math.max(max, logits[offset + q]);
  // Unnormalised softmax at temperature, shifted by the max so exp never overflows.
  const p = scratch.subarray(Q, 2 * Q);
  const inv = 1 / temperature;
  for (let q = 0; q < Q; q++) p[q] = Math.exp((logits[offset + q] - max) * inv);
  return sampleFromWeights(p, 0, Q, settings, rand, scratch);
}

/** Index of the largest of values[offset .. offset + Q) (the first on ties). */
export function argmax(values: ArrayLike<number>, offset: number, Q: number): number {
  let best = 0;
  for (let q = 1; q < Q; q++) if (values[offset + q] > values[offset + best]) best = q;
  return best;
}

/**
 * Draws one class from unnormalised probabilities p[offset .. offset + Q) (softmax numerators at the
 * temperature already), applying top-k / top-p. Uses scratch[0 .. Q) for sorting when they are set.
 */
export function sampleFromWeights(
  p: ArrayLike<number>, offset: number, Q: number, settings: SamplingSettings, rand: () => number, scratch: Float64Array,
): number {
  const threshold = cutoff(p, offset, Q, settings, scratch);
  let total = 0;
  for (let q = 0; q < Q; q++) if (p[offset + q] >= threshold) total += p[offset + q];
  const u = rand() * total;
  let acc = 0;
  let last = -1;
  for (let q = 0; q < Q; q++) {
    const w = p[offset + q];
    if (w < threshold) continue;
    acc += w;
    last = q;
    if (u < acc) return q;
  }
  return last >= 0 ? last : argmax(p, offset, Q); // u landed on the rounding edge of the sum
}

/** The smallest probability still kept by top-k / top-p (0 keeps everything). */
function cutoff(p: ArrayLike<number>, offset: number, Q: number, settings: SamplingSettings, scratch: Float64Array): number {
  const k = settings.topK !== undefined && settings.topK < Q ? settings.topK : Q;
  const topP = settings.topP ?? 1;
  if (k >= Q && topP >= 1) return 0;
  const sorted = scratch.subarray(0, Q);
  for (let q = 0; q < Q; q++) sorted[q] = p[offset + q];
  sorted.sort();
  sorted.reverse(); // descending
  let threshold = sorted[k - 1];
  if (topP < 1) {
    let total = 0;
    for (let i = 0; i < k; i++) total += sorted[i];
    let acc = 0;
    for (let i = 0; i < k; i++) {
      acc += sorted[i];
      if (acc >= topP * total) { threshold = sorted[i]; break; }
    }
  }
  return threshold;
}
