import { describe, expect, it } from 'vitest';
import { adamInit, adamUpdate, clipByGlobalNorm, globalNorm, learningRate } from '../../../src-main/training/optimizer';

describe('learning-rate schedule', () => {
  it('warms up linearly then decays by cosine to the floor', () => {
    const s = { peak: 1e-3, warmupSteps: 10, decay: 'cosine' as const, decaySteps: 100, floor: 1e-5 };
    expect(learningRate(s, 0)).toBeCloseTo(1e-4, 12);
    expect(learningRate(s, 9)).toBeCloseTo(1e-3, 12);
    expect(learningRate(s, 10)).toBeCloseTo(1e-3, 12);
    expect(learningRate(s, 60)).toBeCloseTo((1e-3 + 1e-5) / 2, 12);
    expect(learningRate(s, 110)).toBeCloseTo(1e-5, 12);
    expect(learningRate(s, 10_000)).toBeCloseTo(1e-5, 12);
  });

  it('exponential decay halves every halfLife steps, not below the floor', () => {
    const s = { peak: 1e-3, warmupSteps: 0, decay: 'exponential' as const, halfLife: 50, floor: 2e-4 };
    expect(learningRate(s, 50)).toBeCloseTo(5e-4, 12);
    expect(learningRate(s, 100)).toBeCloseTo(2.5e-4, 12);
    expect(learningRate(s, 1000)).toBe(2e-4);
  });
});

describe('global-norm clipping', () => {
  it('scales down only gradients above the limit', () => {
    const g = new Float32Array([3, 4]);
    expect(clipByGlobalNorm(g, 10)).toBe(5);
    expect(Array.from(g)).toEqual([3, 4]);
    expect(clipByGlobalNorm(g, 1)).toBe(5);
    expect(globalNorm(g)).toBeCloseTo(1, 6);
    expect(g[0]).toBeCloseTo(0.6, 6);
  });
});

describe('Adam', () => {
  it('first step moves each parameter by lr against the gradient sign (bias correction)', () => {
    const p = new Float32Array([1, -2, 0.5]);
    const s = adamInit(3);
    adamUpdate(p, new Float32Array([0.3, -5, 0]), s, 0.1);
    expect(p[0]).toBeCloseTo(0.9, 5);
    expect(p[1]).toBeCloseTo(-1.9, 5);
    expect(p[2]).toBe(0.5);
    expect(s.step).toBe(1);
  });

  it('minimises a quadratic, and a restored state continues identically', () => {
    const target = [3, -1, 0.25];
    const grad = (p: Float32Array) => Float32Array.from(p, (v, i) => 2 * (v - target[i]));
    const p = new Float32Array(3);
    const s = adamInit(3);
    for (let i = 0; i < 50; i++) adamUpdate(p, grad(p), s, 0.1);
    const saved = { step: s.step, m: s.m.slice(), v: s.v.slice() };
    const q = p.slice();
    for (let i = 0; i < 450; i++) adamUpdate(p, grad(p), s, 0.05);
    for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(target[i], 2);
    for (let i = 0; i < 450; i++) adamUpdate(q, grad(q), saved, 0.05);
    expect(Array.from(q)).toEqual(Array.from(p));
  });
});
