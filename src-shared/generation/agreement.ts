import type { StepEngine } from './engine';

/** How closely two engines agree when fed the same inputs (teacher forcing). */
export interface LogitAgreement {
  steps: number;
  /** Largest |a - b| over every step, take and class. */
  maxAbsDiff: number;
  /** Root mean square of a - b. */
  rmsDiff: number;
  /** Largest |a| seen: the scale maxAbsDiff is to be read against. */
  maxAbsLogit: number;
  /** Share of (step, take) where both engines' most likely class is the same. */
  argmaxAgreement: number;
  /** Largest total variation distance between softmax(a) and softmax(b) (temperature 1) at one step. */
  maxTotalVariation: number;
  /** Mean of that distance over steps and takes. */
  meanTotalVariation: number;
}

/**
 * Feeds inputs[b][t] to both engines (same batch, reset with `labels`) and measures how far apart
 * their logits and temperature-1 distributions are: the tolerance of a precision against f32.
 */
export function logitAgreement(a: StepEngine, b: StepEngine, inputs: ArrayLike<number>[], labels: ArrayLike<number>): LogitAgreement {
  const n = inputs.length;
  if (a.batch !== n || b.batch !== n) throw new Error(`agreement: engines of batch ${a.batch} and ${b.batch} for ${n} input streams`);
  const Q = a.classes;
  const T = Math.min(...inputs.map((x) => x.length));
  a.reset(labels);
  b.reset(labels);
  const step = new Int32Array(n);
  const pa = new Float64Array(Q);
  const pb = new Float64Array(Q);
  let maxAbsDiff = 0, sumSq = 0, maxAbsLogit = 0, agree = 0, maxTv = 0, sumTv = 0;
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < n; k++) step[k] = inputs[k][t];
    const la = a.step(step).slice();
    const lb = b.step(step);
    for (let k = 0; k < n; k++) {
      const oa = k * a.logitsStride, ob = k * b.logitsStride;
      let ia = 0, ib = 0;
      for (let q = 0; q < Q; q++) {
        const d = Math.abs(la[oa + q] - lb[ob + q]);
        maxAbsDiff = Math.max(maxAbsDiff, d);
        sumSq += d * d;
        maxAbsLogit = Math.max(maxAbsLogit, Math.abs(la[oa + q]));
        if (la[oa + q] > la[oa + ia]) ia = q;
        if (lb[ob + q] > lb[ob + ib]) ib = q;
      }
      if (ia === ib) agree++;
      let za = 0, zb = 0;
      for (let q = 0; q < Q; q++) {
        za += (pa[q] = Math.exp(la[oa + q] - la[oa + ia]));
        zb += (pb[q] = Math.exp(lb[ob + q] - lb[ob + ib]));
      }
      let tv = 0;
      for (let q = 0; q < Q; q++) tv += Math.abs(pa[q] / za - pb[q] / zb);
      maxTv = Math.max(maxTv, tv / 2);
      sumTv += tv / 2;
    }
  }
  const cells = T * n;
  return {
    steps: T,
    maxAbsDiff,
    rmsDiff: Math.sqrt(sumSq / (cells * Q)),
    maxAbsLogit,
    argmaxAgreement: agree / cells,
    maxTotalVariation: maxTv,
    meanTotalVariation: sumTv / cells,
  };
}
