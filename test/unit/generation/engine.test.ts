import { describe, expect, it } from 'vitest';
import { randomWeights } from '../../../src-shared/model/weights';
import { createWasmEngine } from '../../../src-shared/generation/engineWasm';
import { instantiateKernel, KERNEL_FREE_FROM } from '../../../src-shared/generation/kernelModule';
import { classSequence, maxAbsDiffRow, ODD, SHAPES } from './helpers';
import { timeBatchedForward } from './timeBatchedReference';

const STEPS = 10_000;

describe('WebAssembly engine with f32 weights equals the reference', () => {
  for (const name of ['sketch', 'studio'] as const) {
    it(`${name} shape: logits within 1e-4 over ${STEPS} teacher-forced steps, conditioned`, async () => {
      const config = SHAPES[name];
      const w = randomWeights(config, name === 'sketch' ? 21 : 22);
      const input = classSequence(STEPS, config.quantization, 7);
      const label = name === 'sketch' ? 1 : 2;
      const ref = timeBatchedForward(w, input, label);
      const engine = await createWasmEngine(w, 1, { precision: 'f32' });
      engine.reset([label]);
      let worst = 0;
      let scale = 0;
      for (let t = 0; t < STEPS; t++) {
        const logits = engine.step([input[t]]);
        worst = Math.max(worst, maxAbsDiffRow(logits, 0, ref, t * config.quantization, config.quantization));
        scale = Math.max(scale, Math.abs(ref[t * config.quantization]));
      }
      expect(scale).toBeGreaterThan(0.05); // logits are not trivially tiny, so 1e-4 means something
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('batches of takes with different inputs and labels, padded odd shape and sketch, 2000 steps', async () => {
    for (const config of [ODD, SHAPES.sketch]) {
      const w = randomWeights(config, 31);
      const n = 6; // one group of four takes plus two single takes in the kernel
      const T = 2000;
      const inputs = Array.from({ length: n }, (_, b) => classSequence(T, config.quantization, 40 + b));
      const labels = Array.from({ length: n }, (_, b) => b % config.numLabels);
      const refs = inputs.map((inp, b) => timeBatchedForward(w, inp, labels[b]));
      const engine = await createWasmEngine(w, n, { precision: 'f32' });
      engine.reset(labels);
      let worst = 0;
      for (let t = 0; t < T; t++) {
        const logits = engine.step(inputs.map((inp) => inp[t]));
        for (let b = 0; b < n; b++) worst = Math.max(worst, maxAbsDiffRow(logits, b * engine.logitsStride, refs[b], t * config.quantization, config.quantization));
      }
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('a take gives bit-identical logits alone or inside a batch, and reset starts over', async () => {
    const config = SHAPES.sketch;
    const w = randomWeights(config, 3);
    const T = 600;
    const inputs = Array.from({ length: 5 }, (_, b) => classSequence(T, config.quantization, b));
    const alone = await createWasmEngine(w, 1, { precision: 'f32' });
    const batch = await createWasmEngine(w, 5, { precision: 'f32' });
    for (let round = 0; round < 2; round++) {
      alone.reset([2]);
      batch.reset([0, 1, 1, 0, 2]);
      for (let t = 0; t < T; t++) {
        const a = alone.step([inputs[4][t]]).slice(0, 256);
        const b = batch.step(inputs.map((inp) => inp[t])).slice(4 * batch.logitsStride, 4 * batch.logitsStride + 256);
        if (t % 97 === 0 || t === T - 1) expect(Array.from(b)).toEqual(Array.from(a));
      }
    }
  });

  it('softmaxWeights equals exp((logits - max) / T) per take within 2e-6 relative, padding 0', async () => {
    const w = randomWeights(ODD, 4); // Q = 37: padded to 40 in the kernel
    const engine = await createWasmEngine(w, 3);
    engine.reset([0, 1, 0]);
    const temps = [1, 0.5, 2.5];
    for (let t = 0; t < 50; t++) {
      const logits = engine.step([t % 37, (3 * t) % 37, 36 - (t % 37)]).slice();
      const got = engine.softmaxWeights!(temps.map((x) => 1 / x));
      for (let b = 0; b < 3; b++) {
        const row = Array.from(logits.subarray(b * engine.logitsStride, b * engine.logitsStride + 37));
        const max = Math.max(...row);
        for (let q = 0; q < 37; q++) {
          const want = Math.exp((row[q] - max) / temps[b]);
          expect(Math.abs(got[b * engine.logitsStride + q] - want)).toBeLessThanOrEqual(2e-6 * want + 1e-30);
        }
        for (let q = 37; q < engine.logitsStride; q++) expect(got[b * engine.logitsStride + q]).toBe(0);
      }
    }
  });

  it('rejects bad inputs and labels with specific errors', async () => {
    const w = randomWeights(SHAPES.sketch, 1);
    const engine = await createWasmEngine(w, 2);
    expect(() => engine.reset([0, 3])).toThrow(/label 3 out of range/);
    expect(() => engine.step([0, 256])).toThrow(/input class 256 out of range/);
    expect(() => engine.step([0])).toThrow(/expected 2 inputs/);
  });
});

describe('kernel nonlinearities', () => {
  it('gate equals tanh(f) * sigmoid(s) within 3e-7 absolute over the whole range, extremes and infinities included; NaN stays NaN', async () => {
    const k = await instantiateKernel(1 << 20);
    const G = 8;
    const values = [0, -0, 1e-6, -1e-6, 0.3, -0.7, 1, -2.5, 5, -9, 19.9, -20.1, 40, -40, 45, -45, 88, -88, 200, -200, 1e30, -1e30, Infinity, -Infinity];
    const pairs: [number, number][] = [];
    for (const f of values) for (const s of values) pairs.push([f, s]);
    pairs.push([NaN, 1], [1, NaN]);
    const h = 1024, z = h + 2 * G * 4;
    const hv = new Float32Array(k.memory.buffer, h, 2 * G), zv = new Float32Array(k.memory.buffer, z, G);
    let worst = 0;
    for (let i = 0; i < pairs.length; i += G) {
      const chunk = pairs.slice(i, i + G);
      hv.fill(0);
      chunk.forEach(([f, s], g) => { hv[g] = f; hv[G + g] = s; });
      k.gate(h, 1, G, z);
      chunk.forEach(([f, s], g) => {
        const want = Math.tanh(Math.fround(f)) / (1 + Math.exp(-Math.fround(s)));
        if (Number.isNaN(want)) expect(zv[g], `gate(${f}, ${s})`).toBeNaN();
        else {
          expect(Number.isFinite(zv[g]), `gate(${f}, ${s}) = ${zv[g]}`).toBe(true);
          worst = Math.max(worst, Math.abs(zv[g] - want));
        }
      });
    }
    expect(worst).toBeLessThan(3e-7);
  });

  it('softmaxWeights clamps its exponent: far below the max gives 0 or a tiny positive number, never NaN', async () => {
    const k = await instantiateKernel(1 << 20);
    const logits = 1024, invT = 2048, out = 4096;
    new Float32Array(k.memory.buffer, logits, 8).set([0, -1, -100, -1e30, 3, -Infinity, 2.5, 1]);
    new Float32Array(k.memory.buffer, invT, 1)[0] = 1;
    k.softmaxWeights(logits, 1, 8, 8, invT, out);
    const w = Array.from(new Float32Array(k.memory.buffer, out, 8));
    const want = [0, -1, -100, -1e30, 3, -Infinity, 2.5, 1].map((l) => Math.exp(l - 3));
    w.forEach((v, i) => expect(Math.abs(v - want[i]), `class ${i}: ${v} vs ${want[i]}`).toBeLessThanOrEqual(2e-7 * Math.max(1e-30, want[i]) + 1e-37));
  });
});

describe('kernel build', () => {
  it("the kernel's static constants end below the first byte callers may use", async () => {
    const k = await instantiateKernel(1 << 16);
    expect(k.heapBase()).toBeGreaterThan(64); // the constant table is there (at 64, --memoryBase)
    expect(k.heapBase()).toBeLessThanOrEqual(KERNEL_FREE_FROM);
  });

  it('the committed kernel.wasm.ts is what scripts/build-wasm.mjs builds from kernel.as', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('up to date');
    expect(r.status).toBe(0);
  });
});
