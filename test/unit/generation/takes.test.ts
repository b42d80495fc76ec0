import { describe, expect, it } from 'vitest';
import { muLawDecode } from '../../../src-shared/audio/mulaw';
import { randomWeights, withNullLabel } from '../../../src-shared/model/weights';
import { createWasmEngine } from '../../../src-shared/generation/engineWasm';
import { generateInThread } from '../../../src-shared/generation/batches';
import { runTakes, silenceClass } from '../../../src-shared/generation/takes';
import { SHAPES } from './helpers';

const weights = randomWeights(SHAPES.sketch, 9);

describe('takes', () => {
  it('primes by teacher forcing: temperature-0 generation continues exactly as the engine predicts after the prime', async () => {
    const prime = [128, 140, 150, 131, 90, 100];
    const [take] = await runTakes(await createWasmEngine(weights, 1), [{ seed: 1, length: 5, temperature: 0, label: 1, prime }]);
    // The same thing by hand: feed the prime, then argmax and feed back.
    const e = await createWasmEngine(weights, 1);
    e.reset([1]);
    let logits: Float32Array = new Float32Array(0);
    for (const c of prime) logits = e.step([c]);
    const want: number[] = [];
    for (let i = 0; i < 5; i++) {
      let best = 0;
      for (let q = 1; q < 256; q++) if (logits[q] > logits[best]) best = q;
      want.push(best);
      logits = e.step([best]);
    }
    expect(Array.from(take.classes)).toEqual(want);
    expect(Array.from(take.audio)).toEqual(Array.from(muLawDecode(want)));
  });

  it('without a prime starts from silence; the prime changes the take', async () => {
    expect(silenceClass(256)).toBe(128);
    const engine = await createWasmEngine(weights, 1);
    const [a] = await runTakes(engine, [{ seed: 5, length: 300 }]);
    const [b] = await runTakes(engine, [{ seed: 5, length: 300, prime: [128] }]);
    const [c] = await runTakes(engine, [{ seed: 5, length: 300, prime: [10, 250, 10, 250] }]);
    expect(Array.from(a.classes)).toEqual(Array.from(b.classes));
    expect(Array.from(a.classes)).not.toEqual(Array.from(c.classes));
  });

  it('a take is identical alone or batched with takes of other lengths, primes and labels', async () => {
    const requests = [
      { seed: 1, length: 700, temperature: 1, label: 0 },
      { seed: 2, length: 300, temperature: 0.7, topK: 20, label: 2, prime: [100, 120, 140] },
      { seed: 3, length: 900, temperature: 1.1, topP: 0.9, label: 1, prime: [128, 129] },
      { seed: 4, length: 50, temperature: 0, label: 1 },
      { seed: 5, length: 500, temperature: 1, label: 2 },
    ];
    const batched = await generateInThread(weights, requests, { maxBatch: 8 });
    for (const [i, r] of requests.entries()) {
      const [alone] = await generateInThread(weights, [r], { maxBatch: 1 });
      expect(alone.audio.length).toBe(r.length);
      expect(Buffer.from(batched[i].audio.buffer).equals(Buffer.from(alone.audio.buffer))).toBe(true);
    }
  });

  it('reports per-take progress up to each total and rejects bad requests', async () => {
    const seen = new Map<number, number[]>();
    await generateInThread(weights, [{ seed: 1, length: 1000 }, { seed: 2, length: 250 }], {
      progressEvery: 100,
      onProgress: (take, done, total) => {
        expect(total).toBe(take === 0 ? 1000 : 250);
        seen.set(take, [...(seen.get(take) ?? []), done]);
      },
    });
    for (const [take, dones] of seen) {
      expect(dones.at(-1)).toBe(take === 0 ? 1000 : 250);
      expect([...dones].sort((x, y) => x - y)).toEqual(dones);
    }
    const engine = await createWasmEngine(weights, 1);
    await expect(runTakes(engine, [{ seed: 1.5, length: 10 }])).rejects.toThrow(/seed/);
    await expect(runTakes(engine, [{ seed: 1, length: 10, prime: [300] }])).rejects.toThrow(/prime class 300/);
    await expect(runTakes(engine, [{ seed: 1, length: 10 }, { seed: 2, length: 10 }])).rejects.toThrow(/batch 1/);
  });
});

describe('classifier-free guidance', () => {
  it('samples from u + g·(c − u): at temperature 0 a guided step picks the argmax of that mix, computed by hand', async () => {
    const C = weights.config.numLabels;
    const guidedModel = withNullLabel(weights);
    const [take] = await runTakes(await createWasmEngine(guidedModel, 2), [{ seed: 1, length: 6, temperature: 0, label: 1, guidance: 2.5 }], { nullLabel: C });
    // By hand: two single-row engines (the label, "no label") fed the same samples.
    const cond = await createWasmEngine(guidedModel, 1);
    const uncond = await createWasmEngine(guidedModel, 1);
    cond.reset([1]);
    uncond.reset([C]);
    let input = silenceClass(256);
    const want: number[] = [];
    for (let i = 0; i < 6; i++) {
      const c = cond.step([input]).slice(0, 256);
      const u = uncond.step([input]).slice(0, 256);
      let best = 0;
      const mix = (q: number) => u[q] + 2.5 * (c[q] - u[q]);
      for (let q = 1; q < 256; q++) if (mix(q) > mix(best)) best = q;
      want.push(best);
      input = best;
    }
    expect(Array.from(take.classes)).toEqual(want);
  });

  it('guidance 1 is plain sampling bit for bit; a guided take is reproducible from its seed and differs from the plain one', async () => {
    const req = { seed: 5, length: 400, temperature: 1, label: 1 };
    const [plain] = await generateInThread(weights, [req]);
    const [one] = await generateInThread(weights, [{ ...req, guidance: 1 }]);
    const [a, b] = await generateInThread(weights, [{ ...req, guidance: 3 }, { ...req, guidance: 3 }]);
    expect(one.classes).toEqual(plain.classes);
    expect(a.classes).toEqual(b.classes);
    expect(a.classes).not.toEqual(plain.classes);
  });

  it('refuses guidance without a "no label" condition and out-of-range guidance, with the reason', async () => {
    const e = await createWasmEngine(weights, 2);
    await expect(runTakes(e, [{ seed: 1, length: 4, label: 0, guidance: 2 }])).rejects.toThrow(/no label/);
    await expect(runTakes(e, [{ seed: 1, length: 4, label: 0, guidance: 2 }, { seed: 2, length: 4 }], { nullLabel: weights.config.numLabels })).rejects.toThrow(/engine rows/);
    await expect(generateInThread(weights, [{ seed: 1, length: 4, label: 0, guidance: 11 }])).rejects.toThrow(/guidance must be in/);
  });
});
