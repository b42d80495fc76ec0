import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { initBackend } from '../../../src-main/model/backend';
import { wasmColSums, wasmMatMul, wasmMatMulTA } from '../../../src-main/model/grad-kernels';
import { mulberry32 } from '../../../src-shared/model/weights';

function randn(shape: [number, number], seed: number): tf.Tensor2D {
  const r = mulberry32(seed);
  return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => r() * 2 - 1), shape);
}

/** Float64 aᵀ·b and column sums: the oracle. */
function reference(a: Float32Array, b: Float32Array, n: number, k: number, m: number) {
  const c = new Float64Array(k * m);
  const s = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) for (let q = 0; q < m; q++) c[p * m + q] += a[i * k + p] * b[i * m + q];
    for (let q = 0; q < m; q++) s[q] += b[i * m + q];
  }
  return { c, s };
}

describe('wasm gradient kernels', () => {
  // Full SIMD tiles, ragged edges in both directions, rows that are not a multiple of the block size, and degenerate shapes.
  const shapes: [number, number, number][] = [[1, 1, 1], [7, 3, 5], [65, 4, 8], [130, 9, 17], [200, 32, 64], [1000, 6, 256], [3, 0, 4], [0, 4, 8]];
  for (const [n, k, m] of shapes) {
    it(`aᵀ·b and column sums match float64 for N=${n}, K=${k}, M=${m}`, async () => {
      await initBackend({ force: 'wasm' });
      const before = tf.memory().numTensors;
      const a = randn([n, k], n + k);
      const b = randn([n, m], n + m + 1);
      const c = wasmMatMulTA(a, b);
      const s = wasmColSums(b);
      expect(c.shape).toEqual([k, m]);
      expect(s.shape).toEqual([m]);
      const ref = reference(a.dataSync() as Float32Array, b.dataSync() as Float32Array, n, k, m);
      const got = c.dataSync();
      for (let i = 0; i < ref.c.length; i++) expect(Math.abs(got[i] - ref.c[i])).toBeLessThan(1e-5 * (1 + Math.sqrt(n)));
      const gs = s.dataSync();
      for (let i = 0; i < m; i++) expect(Math.abs(gs[i] - ref.s[i])).toBeLessThan(1e-5 * (1 + Math.sqrt(n)));
      tf.dispose([a, b, c, s]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  for (const [n, k, m] of [[1, 1, 1], [5, 3, 7], [9, 4, 8], [130, 9, 17], [64, 64, 256], [3, 0, 4]] as const) {
    it(`x·w (+ bias) matches float64 for N=${n}, K=${k}, M=${m}`, async () => {
      await initBackend({ force: 'wasm' });
      const x = randn([n, k], 3 * n + k);
      const w = randn([k, m], 5 * k + m);
      const bias = tf.tensor1d(Float32Array.from({ length: m }, (_, i) => (i % 5) - 2));
      const xv = x.dataSync(), wv = w.dataSync(), bv = bias.dataSync();
      for (const withBias of [false, true]) {
        const y = wasmMatMul(x, w, withBias ? bias : undefined);
        expect(y.shape).toEqual([n, m]);
        const got = y.dataSync();
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
          let acc = withBias ? bv[j] : 0;
          for (let p = 0; p < k; p++) acc += xv[i * k + p] * wv[p * m + j];
          expect(Math.abs(got[i * m + j] - acc)).toBeLessThan(1e-5 * (1 + Math.sqrt(k)));
        }
        y.dispose();
      }
      tf.dispose([x, w, bias]);
    });
  }

  it('work on tensors allocated after the heap grew (the kernels share the backend memory)', async () => {
    await initBackend({ force: 'wasm' });
    const big = tf.zeros([4096, 1024]); // 16 MB: forces the wasm memory to grow
    const a = randn([300, 8], 1);
    const b = randn([300, 16], 2);
    const ref = tf.matMul(a, b, true, false);
    const got = wasmMatMulTA(a, b);
    const d = tf.abs(tf.sub(got, ref));
    expect(tf.max(d).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose(d);
    tf.dispose([big, a, b, ref, got]);
  });

  it('the committed kernel matches its AssemblyScript source', () => {
    const out = execFileSync(process.execPath, ['src-main/model/wasm/build-grad-kernels.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/up to date/);
  });
});
