/**
 * Adam over the flat parameter vector, a warmup + decay learning-rate schedule and global-norm
 * gradient clipping. Plain typed-array math: the state is three Float32Arrays and a step count,
 * saved and restored bit-exactly, so a resumed run continues identically.
 */

export interface AdamOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const DEFAULT_ADAM: AdamOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Adam's complete state. */
export interface AdamState {
  /** Updates applied so far. */
  step: number;
  m: Float32Array;
  v: Float32Array;
}

/** A learning-rate schedule: linear warmup to `peak`, then cosine or exponential decay. */
export interface LrSchedule {
  peak: number;
  warmupSteps: number;
  decay: 'cosine' | 'exponential' | 'none';
  /** Cosine: steps over which lr falls from peak to `floor`. */
  decaySteps?: number;
  /** Exponential: lr halves every `halfLife` steps after warmup. */
  halfLife?: number;
  /** Lowest learning rate (cosine end point, exponential floor). */
  floor?: number;
}

/**
 * Learning rate for update number `step` (0-based). `progress` (0…1), when given, places a cosine
 * decay instead of the step count: a time-budgeted run decays over its minutes, not its steps.
 */
export function learningRate(s: LrSchedule, step: number, progress?: number): number {
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  const floor = s.floor ?? 0;
  const t = step - s.warmupSteps;
  if (s.decay === 'cosine') {
    const span = Math.max(1, s.decaySteps ?? 1);
    const p = Math.min(1, Math.max(progress ?? 0, t / span));
    return floor + 0.5 * (s.peak - floor) * (1 + Math.cos(Math.PI * p));
  }
  if (s.decay === 'exponential') return Math.max(floor, s.peak * 0.5 ** (t / Math.max(1, s.halfLife ?? 1)));
  return s.peak;
}

/** Euclidean norm of a gradient vector (float64 accumulation). */
export function globalNorm(g: Float32Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

/** Scales g in place so its global norm is at most maxNorm; returns the norm before clipping. */
export function clipByGlobalNorm(g: Float32Array, maxNorm: number): number {
  const norm = globalNorm(g);
  if (norm > maxNorm && norm > 0) {
    const k = maxNorm / norm;
    for (let i = 0; i < g.length; i++) g[i] *= k;
  }
  return norm;
}

/** Fresh Adam state for n parameters. */
export function adamInit(n: number): AdamState {
  return { step: 0, m: new Float32Array(n), v: new Float32Array(n) };
}

/** One Adam update of `params` in place with gradient `g` and learning rate `lr` (bias-corrected). */
export function adamUpdate(params: Float32Array, g: Float32Array, state: AdamState, lr: number, o: AdamOptions = DEFAULT_ADAM): void {
  const t = state.step + 1;
  const c1 = 1 - o.beta1 ** t;
  const c2 = 1 - o.beta2 ** t;
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const gi = g[i];
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * gi;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * gi * gi;
    params[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + o.epsilon);
  }
  state.step = t;
}
