import { describe, expect, it } from 'vitest';
import { muLawDecode, muLawEncode } from '../../../src-shared/audio/mulaw';

describe('μ-law (WaveNet companding, Q = 256)', () => {
  it('maps known values to the classes the formula gives', () => {
    // Hand-computed from F(x) = sign(x)·ln(1+255|x|)/ln 256, class = floor((F+1)/2·255 + 0.5).
    const x = Float32Array.from([0, 1, -1, 0.5, -0.5, 0.01, -0.01, 0.001, 0.1]);
    expect(Array.from(muLawEncode(x))).toEqual([128, 255, 0, 239, 16, 157, 98, 133, 203]);
  });

  it('decodes classes to the inverse formula', () => {
    const y = muLawDecode(Uint8Array.from([0, 255, 128, 127, 239, 64]));
    expect(y[0]).toBe(-1);
    expect(y[1]).toBe(1);
    expect(y[2]).toBeCloseTo(8.621159565e-5, 11);
    expect(y[3]).toBeCloseTo(-8.621159565e-5, 11);
    expect(y[4]).toBeCloseTo(0.4966766264665899, 7);
    expect(y[5]).toBeCloseTo(-0.05814500388034754, 7);
  });

  it('clamps out-of-range input and treats NaN as silence; returns bytes for Q ≤ 256', () => {
    const c = muLawEncode(Float32Array.from([2, -7, NaN, Infinity, -Infinity]));
    expect(c).toBeInstanceOf(Uint8Array);
    expect(Array.from(c)).toEqual([255, 0, 128, 255, 0]);
  });

  it('round trip error stays within half a quantisation step of F, for every x', () => {
    for (const Q of [256, 1024, 65536]) {
      const mu = Q - 1;
      const n = 20001;
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = -1 + (2 * i) / (n - 1);
      const c = muLawEncode(x, Q);
      if (Q > 256) expect(c).toBeInstanceOf(Int32Array);
      const y = muLawDecode(c, Q);
      for (let i = 0; i < n; i++) {
        // |F(x) − F(y)| ≤ 1/μ (half a step), so 1+μ|y| = (1+μ|x|)·(1+μ)^(±1/μ) and the error is bounded by:
        const bound = ((1 + mu * Math.abs(x[i])) * ((1 + mu) ** (1 / mu) - 1)) / mu + 1e-6;
        expect(Math.abs(y[i] - x[i])).toBeLessThanOrEqual(bound);
        const F = (v: number) => (Math.sign(v) * Math.log1p(mu * Math.abs(v))) / Math.log1p(mu);
        expect(Math.abs(F(y[i]) - F(x[i]))).toBeLessThanOrEqual(1 / mu + 1e-5);
        expect(c[i]).toBeGreaterThanOrEqual(0);
        expect(c[i]).toBeLessThanOrEqual(mu);
      }
      // Monotonic: larger input never gets a smaller class.
      for (let i = 1; i < n; i++) expect(c[i]).toBeGreaterThanOrEqual(c[i - 1]);
    }
  });

  it('every class survives decode→encode unchanged', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(muLawEncode(muLawDecode(all)))).toEqual(Array.from(all));
  });

  it('rejects a nonsense Q', () => {
    expect(() => muLawEncode(new Float32Array(1), 1)).toThrow(RangeError);
    expect(() => muLawDecode([0], 2.5)).toThrow(RangeError);
  });
});
