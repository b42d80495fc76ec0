import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src-main/model/backend';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { flattenWeights, paramSpecs, unflattenWeights } from '../../../src-shared/model/params';
import { referenceForward } from '../../../src-main/model/reference';
import { mulberry32, randomWeights } from '../../../src-shared/model/weights';
import { batchFromWindows } from '../../../src-main/training/batch';
import { lossAndGrads } from '../../../src-main/training/grad';

const config: WaveNetConfig = {
  sampleRate: 16000, residualChannels: 4, dilationChannels: 6, skipChannels: 5,
  layersPerStack: 3, stacks: 2, quantization: 16, numLabels: 2,
};

function windows(n: number, len: number, seed: number): number[][] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: len }, () => Math.floor(r() * config.quantization)));
}

/** Float64 mean cross-entropy of the reference forward pass: the finite-difference oracle. */
function referenceLoss(flat: Float32Array, ws: number[][], labels: number[], T: number): number {
  const w = unflattenWeights(config, flat);
  const Q = config.quantization;
  let total = 0;
  ws.forEach((win, b) => {
    const L = win.length - 1;
    const logits = referenceForward(w, win.slice(0, L), labels[b]);
    for (let j = 0; j < T; j++) {
      const row = logits.subarray((L - T + j) * Q, (L - T + j + 1) * Q);
      const m = Math.max(...row);
      let s = 0;
      for (const v of row) s += Math.exp(v - m);
      total += m + Math.log(s) - row[win[L - T + j + 1]];
    }
  });
  return total / (ws.length * T);
}

describe('gradients', () => {
  const ws = windows(2, 25, 3);
  const labels = [1, 0];
  const T = 12;
  const batch = batchFromWindows(ws, labels, T);
  // Doubles keep finite differences accurate: the oracle runs in float64, only parameters are f32.
  const flat = flattenWeights(randomWeights(config, 21));

  it('exist on wasm (no missing kernel) and match finite differences of the reference', async () => {
    await initBackend({ force: 'wasm' });
    const before = tf.memory().numTensors;
    const { loss, grads } = lossAndGrads(config, flat, batch);
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(loss - referenceLoss(flat, ws, labels, T))).toBeLessThan(1e-5);
    // Check a few entries of every tensor (including cond, biases, embedding rows in use).
    const rand = mulberry32(9);
    let checked = 0;
    for (const spec of paramSpecs(config)) {
      for (let k = 0; k < 2 && spec.size > 0; k++) {
        const i = spec.offset + Math.floor(rand() * spec.size);
        // Small step: relu kinks in the output layers make larger steps inaccurate (unit-variance embeddings make them likelier).
        const eps = 1e-4;
        const plus = flat.slice(); plus[i] += eps;
        const minus = flat.slice(); minus[i] -= eps;
        const fd = (referenceLoss(plus, ws, labels, T) - referenceLoss(minus, ws, labels, T)) / (2 * eps);
        expect(Math.abs(grads[i] - fd), `${spec.name}[${i - spec.offset}] fd=${fd} got=${grads[i]}`).toBeLessThan(2e-4 + 1e-2 * Math.abs(fd));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // Not all zero: the check above would pass trivially on an untouched tensor.
    expect(grads.reduce((a, g) => a + Math.abs(g), 0)).toBeGreaterThan(0.1);
  });

  it('agree between the cpu and wasm backends', async () => {
    await initBackend({ force: 'cpu' });
    const cpu = lossAndGrads(config, flat, batch);
    await initBackend({ force: 'wasm' });
    const wasm = lossAndGrads(config, flat, batch);
    expect(Math.abs(cpu.loss - wasm.loss)).toBeLessThan(1e-5);
    let m = 0;
    for (let i = 0; i < cpu.grads.length; i++) m = Math.max(m, Math.abs(cpu.grads[i] - wasm.grads[i]));
    expect(m).toBeLessThan(1e-5);
  });

  it('tf.variableGrads works on wasm for the model loss', async () => {
    await initBackend({ force: 'wasm' });
    const { paramTensors } = await import('../../../src-main/model/tfjs-wavenet');
    const { batchLoss } = await import('../../../src-main/training/grad');
    const vars = paramTensors(config, flat).map((t, i) => tf.variable(t, true, `wn${Date.now()}_${i}`));
    const { value, grads } = tf.variableGrads(() => batchLoss(config, vars, batch));
    // The last layer's residual 1x1 feeds nothing: no gradient for those two variables.
    expect(Object.keys(grads).length).toBe(vars.length - 2);
    const ref = lossAndGrads(config, flat, batch);
    expect(value.dataSync()[0]).toBeCloseTo(ref.loss, 5);
    const specs = paramSpecs(config);
    const g0 = grads[vars[1].name].dataSync();
    expect(Array.from(g0).map((v) => Number(v.toFixed(5)))).toEqual(Array.from(ref.grads.subarray(specs[1].offset, specs[1].offset + specs[1].size)).map((v) => Number(v.toFixed(5))));
    tf.dispose([value, ...Object.values(grads), ...vars]);
  });
});

it('micro-batched gradients equal one-pass gradients', async () => {
  await initBackend({ force: 'wasm' });
  const ws = windows(3, 25, 8);
  const batch = batchFromWindows(ws, [0, 1, 1], 12);
  const flat = flattenWeights(randomWeights(config, 22));
  const one = lossAndGrads(config, flat, batch);
  const micro = lossAndGrads(config, flat, batch, undefined, 24); // one sequence per pass
  expect(Math.abs(one.loss - micro.loss)).toBeLessThan(1e-6);
  let m = 0;
  for (let i = 0; i < one.grads.length; i++) m = Math.max(m, Math.abs(one.grads[i] - micro.grads[i]));
  expect(m).toBeLessThan(1e-6);
});
