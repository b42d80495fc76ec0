/**
 * μ-law companding as the WaveNet paper uses it: F(x) = sign(x)·ln(1+μ|x|)/ln(1+μ) with μ = Q−1,
 * then F ∈ [-1, 1] mapped linearly onto Q integer classes 0…Q−1 (round to nearest), so
 * class 0 is −1, class Q−1 is +1, and silence lands on the middle class (Q/2 for even Q).
 */

/** Class array type for Q classes: bytes for the usual Q ≤ 256, 32-bit ints beyond. */
export type MuLawClasses = Uint8Array | Int32Array;

/** Encodes samples (clamped to [-1, 1]; NaN as 0) to μ-law class indices in 0…Q−1. */
export function muLawEncode(x: Float32Array, Q = 256): MuLawClasses {
  if (!Number.isInteger(Q) || Q < 2) throw new RangeError(`μ-law needs an integer Q ≥ 2, got ${Q}`);
  const mu = Q - 1;
  const inv = 1 / Math.log1p(mu);
  const out = Q <= 256 ? new Uint8Array(x.length) : new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let v = x[i];
    v = v > 1 ? 1 : v < -1 ? -1 : v === v ? v : 0;
    const f = Math.sign(v) * Math.log1p(mu * Math.abs(v)) * inv;
    out[i] = Math.floor(((f + 1) / 2) * mu + 0.5);
  }
  return out;
}

/** Decodes μ-law class indices back to samples in [-1, 1] (inverse of muLawEncode up to quantisation). */
export function muLawDecode(classes: ArrayLike<number>, Q = 256): Float32Array {
  if (!Number.isInteger(Q) || Q < 2) throw new RangeError(`μ-law needs an integer Q ≥ 2, got ${Q}`);
  const mu = Q - 1;
  const out = new Float32Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    const c = Math.min(mu, Math.max(0, classes[i]));
    const f = (2 * c) / mu - 1;
    out[i] = (Math.sign(f) * Math.expm1(Math.abs(f) * Math.log1p(mu))) / mu;
  }
  return out;
}
