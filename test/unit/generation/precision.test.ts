/**
 * The wasm engine's stored-weight precisions against its f32 form: int16 (the default) and bf16 stay
 * within the stated tolerance of f32 logits, keep a take independent of how takes are batched, and
 * the int16 kernel's integer sums cannot overflow whatever the weights and inputs.
 */
import { describe, expect, it } from 'vitest';
import { randomWeights } from '../../../src-shared/model/weights';
import { createWasmEngine } from '../../../src-shared/generation/engineWasm';
import { createEngine } from '../../../src-shared/generation/engine';
import { runTakes } from '../../../src-shared/generation/takes';
import { instantiateKernel } from '../../../src-shared/generation/kernelModule';
import type { WeightPrecision } from '../../../src-shared/generation/pack';
import { bf16Bits, bf16Value, I16_COLUMN_L1_MAX, packPanels, roundBf16, toI16Block } from '../../../src-shared/generation/pack';
import { logitAgreement } from '../../../src-shared/generation/agreement';
import { classSequence, ODD, SHAPES } from './helpers';

describe('stored-weight precision against the f32 engine', () => {
  // Tolerance (README "Precision"): max |logit - f32 logit| <= tol * max(1, max |f32 logit|),
  // and the sampling distributions differ by at most `tv` in total variation at every step.
  const cases: { name: string; precision: WeightPrecision; tol: number; tv: number }[] = [
    { name: 'int16', precision: 'i16', tol: 2e-3, tv: 1e-3 },
    { name: 'bf16', precision: 'bf16', tol: 2e-2, tv: 1e-2 },
  ];
  for (const { name, precision, tol, tv } of cases) {
    it(`${name}: studio shape, 3000 teacher-forced steps, conditioned`, async () => {
      const w = randomWeights(SHAPES.studio, 22);
      const input = classSequence(3000, 256, 7);
      const a = await createWasmEngine(w, 1, { precision: 'f32' });
      const b = await createWasmEngine(w, 1, { precision });
      const m = logitAgreement(a, b, [input], [2]);
      expect(m.maxAbsLogit).toBeGreaterThan(1); // logits are not trivially small
      expect(m.maxAbsDiff).toBeGreaterThan(0); // it is a different engine (guards the comparison)
      expect(m.maxAbsDiff).toBeLessThanOrEqual(tol * Math.max(1, m.maxAbsLogit));
      expect(m.maxTotalVariation).toBeLessThanOrEqual(tv);
    });
  }

  it('int16: padded odd shape (an unpaired last panel) in a batch of 6 takes with labels', async () => {
    const w = randomWeights(ODD, 31);
    const inputs = Array.from({ length: 6 }, (_, b) => classSequence(1500, ODD.quantization, 40 + b));
    const labels = inputs.map((_, b) => b % ODD.numLabels);
    const m = logitAgreement(await createWasmEngine(w, 6, { precision: 'f32' }), await createWasmEngine(w, 6), inputs, labels);
    expect(m.maxAbsDiff).toBeLessThanOrEqual(2e-3 * Math.max(1, m.maxAbsLogit));
    expect(m.maxTotalVariation).toBeLessThanOrEqual(1e-3);
  });

  for (const precision of ['i16', 'bf16'] as const) {
    it(`${precision}: a take's logits are bit-identical alone or in a batch (odd shape: 4-take and 1-take kernels)`, async () => {
      const w = randomWeights(ODD, 3);
      const T = 500;
      const inputs = Array.from({ length: 6 }, (_, b) => classSequence(T, ODD.quantization, b));
      const alone = await createWasmEngine(w, 1, { precision });
      const batch = await createWasmEngine(w, 6, { precision });
      for (const take of [1, 5]) {
        alone.reset([take % 2]);
        batch.reset([0, 1, 0, 1, 0, 1]);
        for (let t = 0; t < T; t++) {
          const a = alone.step([inputs[take][t]]).slice(0, ODD.quantization);
          const at = take * batch.logitsStride;
          const b = batch.step(inputs.map((inp) => inp[t])).slice(at, at + ODD.quantization);
          if (t % 61 === 0 || t === T - 1) expect(Array.from(b)).toEqual(Array.from(a));
        }
      }
    });
  }

  it("the default engine kind 'wasm' is the int16 engine (bit for bit), not bf16 or f32", async () => {
    const w = randomWeights(SHAPES.studio, 5);
    const input = classSequence(400, 256, 3);
    const kinds = [await createEngine(w, 1, 'wasm'), await createWasmEngine(w, 1, { precision: 'i16' }), await createWasmEngine(w, 1, { precision: 'bf16' }), await createEngine(w, 1, 'wasm-f32')];
    kinds.forEach((e) => e.reset([1]));
    let sameAsBf16 = true, sameAsF32 = true;
    for (let t = 0; t < input.length; t++) {
      const [a, i16, bf16, f32] = kinds.map((e) => Array.from(e.step([input[t]]).slice(0, 256)));
      expect(a).toEqual(i16);
      sameAsBf16 &&= a.every((v, q) => v === bf16[q]);
      sameAsF32 &&= a.every((v, q) => v === f32[q]);
    }
    expect(sameAsBf16).toBe(false);
    expect(sameAsF32).toBe(false);
  });

  it('a take is the same bytes for the same seed and engine kind, on the studio shape; the kind (precision) is part of what a take is', async () => {
    const w = randomWeights(SHAPES.studio, 8);
    const request = { seed: 77, length: 1500, label: 1, temperature: 1 };
    const take = async (kind: 'wasm' | 'wasm-f32') => (await runTakes(await createEngine(w, 1, kind), [request]))[0];
    const [a, b, f] = [await take('wasm'), await take('wasm'), await take('wasm-f32')];
    expect(Buffer.from(a.audio.buffer).equals(Buffer.from(b.audio.buffer))).toBe(true);
    expect(Array.from(a.classes)).toEqual(Array.from(b.classes));
    expect(new Set(a.classes).size).toBeGreaterThan(10); // a real take, not a constant
    // Sampling amplifies a tiny logit difference into a different path sooner or later.
    expect(Array.from(f.classes)).not.toEqual(Array.from(a.classes));
  });

  it('rejects an unknown precision', async () => {
    await expect(createWasmEngine(randomWeights(ODD, 1), 1, { precision: 'f16' as never })).rejects.toThrow(/precision must be/);
  });
});

describe('int16 kernel sums', () => {
  const K = 128;
  const N = 16;
  // Columns chosen to break a kernel that scaled by the column maximum alone: all-equal weights
  // (sum of |W| = K * max), alternating signs, one large weight among small ones, zeros, and tiny.
  const column = (k: number, c: number): number => {
    switch (c) {
      case 0: return 1;
      case 1: return k % 2 ? -0.75 : 0.75;
      case 2: return k === 17 ? 5 : 1e-3 * (k % 7);
      case 3: return 0;
      case 4: return 1e-30 * (k + 1);
      default: return Math.sin(k * 0.37 + c) * (c % 3 === 0 ? 1e3 : 1);
    }
  };
  const panels = packPanels(K, N, column);

  it('every column keeps its sum of |W_q| within INT32_MAX / 8191, and W_q * scale recovers W', () => {
    const block = toI16Block(panels, K, N);
    const scales = new Float32Array(block.buffer, 0, N);
    const q = new Int16Array(block.buffer, N * 4, K * N);
    // Panels 0 and 1 are interleaved row pair by row pair: column c < 16, row k at this int16 index.
    const index = (k: number, c: number) => (c >> 3) * 16 + (k >> 1) * 32 + ((c & 7) >> 2) * 8 + (c & 3) * 2 + (k & 1);
    for (let c = 0; c < N; c++) {
      let l1 = 0;
      let colMax = 0;
      for (let k = 0; k < K; k++) colMax = Math.max(colMax, Math.abs(column(k, c)));
      for (let k = 0; k < K; k++) {
        const v = q[index(k, c)];
        l1 += Math.abs(v);
        expect(Math.abs(v * scales[c] - column(k, c))).toBeLessThanOrEqual(colMax * 2e-4 + 1e-38);
      }
      expect(l1).toBeLessThanOrEqual(I16_COLUMN_L1_MAX);
    }
    expect(scales[3]).toBe(0);
  });

  it('inputs at full scale aligned with the weights give the exact sums (no int32 overflow)', async () => {
    const k = await instantiateKernel(1 << 20);
    const x = 1024, y = x + 2 * K * 4, w = y + 2 * N * 4 + 64, qbuf = w + (N + (K * N) / 2) * 4 + 64, sx = qbuf + 2 * K * 2 + 64;
    const block = toI16Block(panels, K, N);
    new Uint32Array(k.memory.buffer, w, block.length).set(block);
    const mem = new Float32Array(k.memory.buffer);
    // Take 0: every input +2.5; take 1: the signs of column 1, so that column's terms all add up.
    for (let i = 0; i < K; i++) {
      mem[x / 4 + i] = 2.5;
      mem[x / 4 + K + i] = i % 2 ? -2.5 : 2.5;
    }
    k.gemmI16(x, K, 2, w, K, N, y, N, 0, 0, qbuf, sx);
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < N; c++) {
        let want = 0;
        let mag = 0;
        for (let i = 0; i < K; i++) {
          want += mem[x / 4 + b * K + i] * column(i, c);
          mag += Math.abs(mem[x / 4 + b * K + i] * column(i, c));
        }
        expect(Math.abs(mem[y / 4 + b * N + c] - want), `take ${b} column ${c}`).toBeLessThanOrEqual(mag * 2e-4 + 1e-30);
      }
    }
    expect(mem[y / 4]).toBeCloseTo(2.5 * K, 1); // column 0: 320, far beyond what a max-scaled int16 x int16 sum fits
  });
});

describe('bfloat16 rounding', () => {
  it('rounds to nearest, ties to even, and keeps NaN and infinities', () => {
    expect(roundBf16(1)).toBe(1);
    expect(roundBf16(1 + 2 ** -8)).toBe(1); // a tie: to the even mantissa
    expect(roundBf16(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6); // a tie: up to the even mantissa
    expect(roundBf16(1 + 2 ** -8 + 2 ** -20)).toBe(1 + 2 ** -7); // above the tie: up
    expect(roundBf16(-0.1)).toBeCloseTo(-0.1, 2);
    expect(bf16Value(bf16Bits(Infinity))).toBe(Infinity);
    expect(Number.isNaN(bf16Value(bf16Bits(NaN)))).toBe(true);
    expect(bf16Value(bf16Bits(3.4e38))).toBe(Infinity); // past bf16's largest finite value
  });
});
