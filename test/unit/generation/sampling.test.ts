import { describe, expect, it } from 'vitest';
import { sampleClass, seededRandom, validateSampling } from '../../../src-shared/generation/sampling';

const Q = 8;
const logits = Float32Array.from([0.1, 2.0, -1.0, 1.5, 0.0, 3.0, -0.5, 0.7]);
const scratch = new Float64Array(2 * Q);

/** Empirical class frequencies from n draws. */
function frequencies(settings: Parameters<typeof sampleClass>[3], n: number, seed = 1): number[] {
  const rand = seededRandom(seed);
  const counts = new Array(Q).fill(0);
  for (let i = 0; i < n; i++) counts[sampleClass(logits, 0, Q, settings, rand, scratch)]++;
  return counts.map((c) => c / n);
}

function softmax(l: number[], temperature: number): number[] {
  const m = Math.max(...l);
  const e = l.map((v) => Math.exp((v - m) / temperature));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('sampling', () => {
  it('temperature 0 is argmax and consumes no randomness', () => {
    let calls = 0;
    const rand = () => (calls++, 0.5);
    expect(sampleClass(logits, 0, Q, { temperature: 0 }, rand, scratch)).toBe(5);
    expect(calls).toBe(0);
    // offset picks the right row
    const two = new Float32Array(2 * Q);
    two.set(logits, Q);
    two[2] = 9;
    expect(sampleClass(two, 0, Q, { temperature: 0 }, rand, scratch)).toBe(2);
    expect(sampleClass(two, Q, Q, { temperature: 0 }, rand, scratch)).toBe(5);
  });

  it('matches the softmax distribution at temperatures 1 and 0.5 (40k draws, 0.01 tolerance)', () => {
    for (const temperature of [1, 0.5]) {
      const want = softmax(Array.from(logits), temperature);
      const got = frequencies({ temperature }, 40_000);
      for (let q = 0; q < Q; q++) expect(Math.abs(got[q] - want[q])).toBeLessThan(0.01);
    }
  });

  it('top-k keeps only the k most likely classes, renormalised', () => {
    const got = frequencies({ temperature: 1, topK: 2 }, 20_000);
    const p = softmax(Array.from(logits), 1);
    expect(got.filter((f) => f > 0).length).toBe(2);
    expect(Math.abs(got[5] - p[5] / (p[5] + p[1]))).toBeLessThan(0.015);
  });

  it('top-p keeps the smallest set of classes reaching p', () => {
    const p = softmax(Array.from(logits), 1); // sorted: 5 (.52), 1 (.19), 3 (.12), …
    const kept = frequencies({ temperature: 1, topP: 0.75 }, 20_000)
      .map((f, q) => (f > 0 ? q : -1)).filter((q) => q >= 0);
    expect(p[5] + p[1]).toBeLessThan(0.75);
    expect(kept).toEqual([1, 3, 5]);
  });

  it('the same seed replays the same draws; different seeds differ', () => {
    const draw = (seed: number) => {
      const rand = seededRandom(seed);
      return Array.from({ length: 200 }, () => sampleClass(logits, 0, Q, { temperature: 1.3, topP: 0.9 }, rand, scratch));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('rejects impossible settings', () => {
    expect(() => validateSampling({ temperature: -1 })).toThrow(/temperature/);
    expect(() => validateSampling({ topK: 0 })).toThrow(/topK/);
    expect(() => validateSampling({ topP: 1.5 })).toThrow(/topP/);
    expect(() => validateSampling({ temperature: 0.8, topK: 5, topP: 0.9 })).not.toThrow();
  });
});
