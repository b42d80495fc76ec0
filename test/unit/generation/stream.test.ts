import { describe, expect, it } from 'vitest';
import { decodeSamples, encodeSamples } from '../../../src-preload/sample-codec';
import { generateTakes } from '../../../src-main/generation/pool';
import { StreamCursor } from '../../../src-shared/generation/stream';
import { runTakes } from '../../../src-shared/generation/takes';
import { createWasmEngine } from '../../../src-shared/generation/engineWasm';
import { randomWeights } from '../../../src-shared/model/weights';
import { SHAPES } from './helpers';

const weights = randomWeights(SHAPES.sketch, 11);

/** Concatenates streamed chunks per take, failing on a gap, an overlap or a chunk out of order. */
function collect(): { chunks: Map<number, number[]>; starts: Map<number, number[]>; on: (take: number, start: number, c: Int32Array) => void } {
  const chunks = new Map<number, number[]>();
  const starts = new Map<number, number[]>();
  return {
    chunks,
    starts,
    on(take, start, c) {
      const have = chunks.get(take) ?? [];
      if (start !== have.length) throw new Error(`take ${take}: chunk at ${start} after ${have.length} samples`);
      chunks.set(take, [...have, ...c]);
      starts.set(take, [...(starts.get(take) ?? []), start]);
    },
  };
}

describe('StreamCursor', () => {
  it('hands out every sample once and in order: a short first chunk, then steady ones, then the rest', () => {
    const cursor = new StreamCursor([10_000], [0], { first: 1000, every: 3000 });
    expect(cursor.nextAt).toBe(1000);
    expect(cursor.advance(1000)).toEqual([{ take: 0, start: 0, end: 1000 }]);
    expect(cursor.nextAt).toBe(4000);
    expect(cursor.advance(4000)).toEqual([{ take: 0, start: 1000, end: 4000 }]);
    expect(cursor.advance(4000)).toEqual([]);
    // Past the end of the take: only up to its length.
    expect(cursor.advance(12_000)).toEqual([{ take: 0, start: 4000, end: 10_000 }]);
    expect(cursor.advance(13_000)).toEqual([]);
  });

  it('counts samples from the end of each take\'s prime, and takes of different lengths end on their own', () => {
    // Take 0 has a prime of 5 (first sample predicted at step 4), take 1 a prime of 1.
    const cursor = new StreamCursor([100, 30], [4, 0], { first: 10, every: 50 });
    expect(cursor.nextAt).toBe(10);
    expect(cursor.advance(10)).toEqual([{ take: 0, start: 0, end: 6 }, { take: 1, start: 0, end: 10 }]);
    expect(cursor.advance(60)).toEqual([{ take: 0, start: 6, end: 56 }, { take: 1, start: 10, end: 30 }]);
    expect(cursor.advance(104)).toEqual([{ take: 0, start: 56, end: 100 }]);
  });

  it('refuses chunk sizes below one sample', () => {
    expect(() => new StreamCursor([10], [0], { first: 0, every: 10 })).toThrow(/≥ 1/);
  });
});

describe('sample codec', () => {
  it('round-trips float32 samples bit for bit, including -0, subnormals and extremes', () => {
    const samples = new Float32Array([0, -0, 1, -1, 1e-40, -3.4e38, 0.1, Math.PI, NaN]);
    const back = decodeSamples(encodeSamples(samples));
    expect(Buffer.from(back.buffer).equals(Buffer.from(samples.buffer))).toBe(true);
    // Larger than one String.fromCharCode slice.
    const long = new Float32Array(50_000).map((_, i) => Math.sin(i * 0.01));
    expect(Array.from(decodeSamples(encodeSamples(long)))).toEqual(Array.from(long));
  });

  it('refuses text that is not whole float32 samples', () => {
    expect(() => decodeSamples(btoa('abc'))).toThrow(/whole number/);
  });
});

describe('streamed takes', () => {
  it('runTakes streams each take in order; the chunks concatenate to the finished classes, which streaming does not change', async () => {
    const requests = [
      { seed: 3, length: 2500, label: 1, temperature: 0.9 },
      { seed: 4, length: 1200, label: 2, temperature: 1, prime: [128, 140, 90] },
    ];
    const sink = collect();
    const streamed = await runTakes(await createWasmEngine(weights, 2), requests, { onSamples: sink.on, streamPlan: { first: 300, every: 700 } });
    const plain = await runTakes(await createWasmEngine(weights, 2), requests);
    expect(Array.from(streamed[0].classes)).toEqual(Array.from(plain[0].classes));
    expect(Array.from(streamed[1].classes)).toEqual(Array.from(plain[1].classes));
    expect(sink.chunks.get(0)).toEqual(Array.from(plain[0].classes));
    expect(sink.chunks.get(1)).toEqual(Array.from(plain[1].classes));
    expect(sink.starts.get(0)).toEqual([0, 300, 1000, 1700, 2400]);
  });

  it('through worker threads only the asked-for takes stream, and they arrive before the results', async () => {
    const requests = [0, 1, 2].map((i) => ({ seed: 20 + i, length: 1500, label: 1 }));
    const sink = collect();
    let resolved = false;
    const results = await generateTakes(weights, requests, {
      workers: 2,
      streamTakes: [0, 2],
      streamPlan: { first: 256, every: 512 },
      onSamples: (take, start, classes) => {
        expect(resolved).toBe(false);
        sink.on(take, start, classes);
      },
    });
    resolved = true;
    expect([...sink.chunks.keys()].sort()).toEqual([0, 2]);
    expect(sink.chunks.get(0)).toEqual(Array.from(results[0].classes));
    expect(sink.chunks.get(2)).toEqual(Array.from(results[2].classes));
    expect(sink.starts.get(0)![0]).toBe(0);
    expect(sink.starts.get(0)![1]).toBe(256);
  });
});
