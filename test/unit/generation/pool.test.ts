import { describe, expect, it } from 'vitest';
import { randomWeights } from '../../../src-shared/model/weights';
import { generateTakes } from '../../../src-main/generation/pool';
import type { TakeRequest } from '../../../src-shared/generation/takes';
import { SHAPES } from './helpers';

const weights = randomWeights(SHAPES.sketch, 13);
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('generateTakes over worker threads', () => {
  it('same seed gives bit-identical audio in workers and inline; different seeds differ', async () => {
    const requests: TakeRequest[] = [
      { seed: 7, length: 4000, temperature: 1, label: 1 },
      { seed: 8, length: 3000, temperature: 0.9, topK: 32, label: 2, prime: [128, 131, 135] },
      { seed: 7, length: 4000, temperature: 1, label: 1 }, // same as the first
    ];
    const progress = new Map<number, number>();
    const inWorkers = await generateTakes(weights, requests, { workers: 2, progressEvery: 1000, onProgress: (t, done) => progress.set(t, done) });
    const inline = await generateTakes(weights, requests, { workers: 0 });
    expect(inWorkers).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      expect(inWorkers[i].audio).toBeInstanceOf(Float32Array);
      expect(bits(inWorkers[i].audio).equals(bits(inline[i].audio))).toBe(true);
    }
    expect(bits(inWorkers[0].audio).equals(bits(inWorkers[2].audio))).toBe(true); // worker 0 and worker 1 agree too
    expect(bits(inWorkers[0].audio).equals(bits(inWorkers[1].audio.subarray(0, 3000)))).toBe(false);
    const other = await generateTakes(weights, [{ ...requests[0], seed: 9 }], { workers: 1 });
    expect(bits(other[0].audio).equals(bits(inWorkers[0].audio))).toBe(false);
    expect(progress.get(0)).toBe(4000);
    expect(progress.get(1)).toBe(3000);
  }, 60_000);

  it('aborting stops every worker within a second and returns nothing', async () => {
    const controller = new AbortController();
    const requests = Array.from({ length: 4 }, (_, i) => ({ seed: i, length: 16000 * 600 })); // ten minutes of audio each
    let started = false;
    const run = generateTakes(weights, requests, {
      workers: 2,
      progressEvery: 2000,
      signal: controller.signal,
      onProgress: () => {
        if (!started) {
          started = true;
          setTimeout(() => controller.abort(), 200);
        }
      },
    });
    const t0 = performance.now();
    let abortedAt = 0;
    controller.signal.addEventListener('abort', () => (abortedAt = performance.now()));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(abortedAt).toBeGreaterThan(t0);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
  }, 60_000);

  it('inline runs abort too, and an already-aborted signal never starts', async () => {
    const controller = new AbortController();
    const run = generateTakes(weights, [{ seed: 1, length: 16000 * 600 }], { workers: 0, signal: controller.signal, progressEvery: 1000 });
    setTimeout(() => controller.abort(), 300);
    const t0 = performance.now();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(1500);
    await expect(generateTakes(weights, [{ seed: 1, length: 10 }], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
