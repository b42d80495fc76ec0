import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src-main/model/backend';
import { mulberry32 } from '../../../src-shared/model/weights';
import { dense, denseAdd, gatedUnit, shiftConcat, wasmGradMode } from '../../../src-main/model/tf-ops';

function randn(shape: [number, number], seed: number): tf.Tensor2D {
  const r = mulberry32(seed);
  return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => r() * 4 - 2), shape);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Value and gradient (for upstream gradient `dy`) of op(x), as plain arrays. */
function valueAndGrad(op: (x: tf.Tensor2D) => tf.Tensor2D, x: tf.Tensor2D, dy: tf.Tensor2D) {
  return tf.tidy(() => {
    // dy is the upstream gradient: the backward pass is exactly dyᵀ·∂op/∂x (no other ops' gradients involved).
    const { value, grads } = tf.engine().gradients(() => op(x), [x], dy);
    return { y: Array.from(value.dataSync()), dx: Array.from(grads[0].dataSync()) };
  });
}

afterEach(() => {
  wasmGradMode.layer = 'kernel';
  wasmGradMode.fuseAdd = true;
});

describe('fused layer ops: wasm kernels equal the plain formulation', () => {
  // Widths that exercise the SIMD body and the scalar tail; dilations below, at and above T.
  for (const [B, T, R, d] of [[2, 9, 8, 1], [3, 7, 5, 2], [1, 6, 4, 6], [2, 5, 3, 8]] as const) {
    it(`shiftConcat B=${B} T=${T} R=${R} d=${d}: value is [x[t−d] | x[t]] and the gradient matches`, async () => {
      await initBackend({ force: 'wasm' });
      const x = randn([B * T, R], 1);
      const dy = randn([B * T, 2 * R], 2);
      // Plain oracle of the value.
      const xv = x.dataSync();
      const want = new Float32Array(B * T * 2 * R);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let c = 0; c < R; c++) {
        const row = (b * T + t) * 2 * R;
        want[row + c] = t >= d ? xv[(b * T + t - d) * R + c] : 0;
        want[row + R + c] = xv[(b * T + t) * R + c];
      }
      wasmGradMode.layer = 'kernel';
      const k = valueAndGrad((v) => shiftConcat(v, B, d), x, dy);
      wasmGradMode.layer = 'ops';
      const o = valueAndGrad((v) => shiftConcat(v, B, d), x, dy);
      expect(maxAbsDiff(k.y, want)).toBe(0);
      expect(maxAbsDiff(o.y, want)).toBe(0);
      expect(maxAbsDiff(k.dx, o.dx)).toBeLessThan(1e-6);
      // The gradient of a linear map is its adjoint: <op(x), dy> = <x, op*(dy)> for any x.
      const lhs = want.reduce((s, v, i) => s + v * dy.dataSync()[i], 0);
      const rhs = Array.from(xv).reduce((s, v, i) => s + v * k.dx[i], 0);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4);
      tf.dispose([x, dy]);
    });
  }

  for (const [N, G] of [[10, 8], [7, 3], [33, 32]] as const) {
    it(`gatedUnit N=${N} G=${G}: tanh·sigmoid and its gradient`, async () => {
      await initBackend({ force: 'wasm' });
      const h = randn([N, 2 * G], 3);
      const dz = randn([N, G], 4);
      wasmGradMode.layer = 'kernel';
      const k = valueAndGrad(gatedUnit, h, dz);
      wasmGradMode.layer = 'ops';
      const o = valueAndGrad(gatedUnit, h, dz);
      const hv = h.dataSync();
      const want = new Float64Array(N * G);
      for (let n = 0; n < N; n++) for (let j = 0; j < G; j++) want[n * G + j] = Math.tanh(hv[n * 2 * G + j]) / (1 + Math.exp(-hv[n * 2 * G + G + j]));
      expect(maxAbsDiff(k.y, want)).toBeLessThan(1e-6);
      expect(maxAbsDiff(k.dx, o.dx)).toBeLessThan(1e-6);
      // And against central differences of the float64 gate, entry by entry.
      const dzv = dz.dataSync();
      for (let n = 0; n < N; n++) for (let c = 0; c < 2 * G; c++) {
        const j = c % G;
        const f = (v: number) => {
          const hf = c < G ? v : hv[n * 2 * G + j];
          const hg = c < G ? hv[n * 2 * G + G + j] : v;
          return Math.tanh(hf) / (1 + Math.exp(-hg)) * dzv[n * G + j];
        };
        const x0 = hv[n * 2 * G + c];
        const fd = (f(x0 + 1e-4) - f(x0 - 1e-4)) / 2e-4;
        expect(Math.abs(k.dx[n * 2 * G + c] - fd)).toBeLessThan(1e-4);
      }
      tf.dispose([h, dz]);
    });
  }

  for (const [N, K, M] of [[9, 4, 8], [7, 3, 5], [40, 32, 64]] as const) {
    it(`denseAdd N=${N} K=${K} M=${M}: acc + x·W + b and all four gradients equal acc + dense(x, W, b)`, async () => {
      await initBackend({ force: 'wasm' });
      const [acc, x, w, dy] = [randn([N, M], 5), randn([N, K], 6), randn([K, M], 7), randn([N, M], 8)];
      const b = tf.tensor1d(Float32Array.from({ length: M }, (_, i) => i / M - 0.5));
      const run = (f: () => tf.Tensor) =>
        tf.tidy(() => {
          const { value, grads } = tf.engine().gradients(f, [acc, x, w, b], dy);
          return [value, ...grads].map((t) => Array.from(t.dataSync()));
        });
      wasmGradMode.fuseAdd = true;
      const fused = run(() => denseAdd(acc, x, w, b));
      wasmGradMode.fuseAdd = false;
      const plain = run(() => denseAdd(acc, x, w, b));
      const reference = run(() => tf.add(acc, dense(x, w, b)));
      for (let i = 0; i < 5; i++) {
        expect(maxAbsDiff(fused[i], reference[i])).toBeLessThan(1e-5);
        expect(maxAbsDiff(plain[i], reference[i])).toBeLessThan(1e-5);
      }
      // The accumulator's gradient is the upstream gradient.
      expect(maxAbsDiff(fused[1], dy.dataSync())).toBe(0);
      tf.dispose([acc, x, w, dy, b]);
    });
  }
});
