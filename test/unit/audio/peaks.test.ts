import { describe, expect, it } from 'vitest';
import { computePeaks, mixToMono } from '../../../src-main/audio/peaks';

describe('computePeaks', () => {
  it('gives min/max per bucket, scaled to ±127 and rounded outward', () => {
    const x = Float32Array.from([0, 0.5, -0.5, 1, -1, 0.001, 0, 0]);
    const p = computePeaks(x, 4);
    expect(p).toBeInstanceOf(Int8Array);
    // buckets: [0,0.5] [-0.5,1] [-1,0.001] [0,0]
    expect(Array.from(p)).toEqual([0, 64, -64, 127, -127, 1, 0, 0]);
  });

  it('uses a fixed bucket count (512 by default) whatever the length', () => {
    const x = new Float32Array(100_003).map((_, i) => Math.sin(i / 10));
    const p = computePeaks(x);
    expect(p.length).toBe(1024);
    for (let b = 0; b < 512; b++) expect(p[2 * b]).toBeLessThanOrEqual(p[2 * b + 1]);
    expect(Math.max(...p)).toBe(127);
  });

  it('shows every sample when there are fewer samples than buckets, and zeros for silence', () => {
    const p = computePeaks(Float32Array.from([0.5, -0.5]), 4);
    expect(Array.from(p)).toEqual([63, 64, 63, 64, -64, -63, -64, -63]);
    expect(Array.from(computePeaks(new Float32Array(0), 3))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('takes min/max across channels (out-of-phase content stays visible)', () => {
    const l = Float32Array.from([0.5, 0.5]);
    const r = Float32Array.from([-0.5, -0.5]);
    expect(Array.from(computePeaks([l, r], 1))).toEqual([-64, 64]);
  });
});

describe('mixToMono', () => {
  it('averages channels exactly', () => {
    const m = mixToMono([Float32Array.from([1, 0.5, -1]), Float32Array.from([0, 0.5, 1]), Float32Array.from([0.5, 0.5, 0])]);
    expect(Array.from(m)).toEqual([0.5, 0.5, 0]);
  });
  it('copies mono instead of aliasing it, and rejects ragged channels', () => {
    const a = Float32Array.from([0.25]);
    const m = mixToMono([a]);
    m[0] = 1;
    expect(a[0]).toBe(0.25);
    expect(() => mixToMono([a, new Float32Array(2)])).toThrow(RangeError);
  });
});
