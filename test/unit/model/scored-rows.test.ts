import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src-main/model/backend';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { receptiveField } from '../../../src-shared/model/config';
import { flattenWeights } from '../../../src-shared/model/params';
import { wasmGradMode } from '../../../src-main/model/tf-ops';
import { canTrimRows, paramTensors, scoredLogits, wavenetLogits } from '../../../src-main/model/tfjs-wavenet';
import { mulberry32, randomWeights } from '../../../src-shared/model/weights';
import type { Batch } from '../../../src-main/training/batch';
import { lossAndGrads, sequenceLosses } from '../../../src-main/training/grad';

const config: WaveNetConfig = { sampleRate: 16000, residualChannels: 8, dilationChannels: 12, skipChannels: 10, layersPerStack: 4, stacks: 2, quantization: 64, numLabels: 3, excitationChannels: 3 };
const context = receptiveField(config) - 1; // 30

function batchOf(B: number, L: number, T: number, seed: number, opts: { excitation?: boolean; tokens?: boolean } = {}): Batch {
  const r = mulberry32(seed);
  const labels = Int32Array.from({ length: B }, (_, b) => b % 3);
  return {
    B, L, T,
    inputs: Int32Array.from({ length: B * L }, () => Math.floor(r() * 64)),
    targets: Int32Array.from({ length: B * T }, () => Math.floor(r() * 64)),
    labels,
    ...(opts.tokens ? { conditions: Float32Array.from({ length: B * 3 }, () => (r() < 0.5 ? 1 : 0)) } : {}),
    ...(opts.excitation !== false ? { excitation: Float32Array.from({ length: B * L * 3 }, () => r() * 2 - 1) } : {}),
  };
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

afterEach(() => {
  wasmGradMode.layer = 'kernel';
});

describe('scored rows only: the trimmed forward equals the full window', () => {
  const flat = flattenWeights(randomWeights(config, 3));
  const cases: [string, number, number, number, { excitation?: boolean; tokens?: boolean }][] = [
    ['one sequence, exact window', 1, 40 + context, 40, {}],
    ['three sequences, label rows, longer window', 3, 25 + context + 7, 25, { tokens: true }],
    ['two sequences without excitation', 2, 17 + context, 17, { excitation: false }],
  ];
  for (const backend of ['wasm', 'wasm-ops', 'cpu'] as const) {
    for (const [name, B, L, T, opts] of cases) {
      it(`${backend}: ${name} (B=${B}, L=${L}, T=${T}): logits, loss, gradients and validation losses`, async () => {
        await initBackend({ force: backend === 'cpu' ? 'cpu' : 'wasm' });
        if (backend === 'wasm-ops') wasmGradMode.layer = 'ops';
        const batch = batchOf(B, L, T, B * 100 + L, opts);
        expect(canTrimRows(config, L, T)).toBe(true);
        const [full, trimmed] = tf.tidy(() => {
          const params = paramTensors(config, flat);
          const inputs = tf.tensor2d(batch.inputs, [B, L], 'int32');
          const labels = batch.conditions ? tf.tensor2d(batch.conditions, [B, 3]) : tf.tensor1d(batch.labels, 'int32');
          const excitation = batch.excitation ? tf.tensor2d(batch.excitation, [B * L, 3]) : undefined;
          const all = tf.reshape(wavenetLogits(config, params, inputs, labels, { excitation }), [B, L, 64]);
          return [tf.slice(all, [0, L - T, 0], [B, T, 64]).dataSync() as Float32Array, scoredLogits(config, params, inputs, labels, T, { excitation }).dataSync() as Float32Array];
        });
        expect(trimmed.length).toBe(B * T * 64);
        expect(relErr(trimmed, full)).toBeLessThan(1e-5);
        const a = lossAndGrads(config, flat, batch, { trimRows: false });
        const b = lossAndGrads(config, flat, batch);
        expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5);
        expect(relErr(b.grads, a.grads)).toBeLessThan(1e-5);
        expect(Array.from(b.grads).some((g) => g !== 0)).toBe(true);
        const v = sequenceLosses(config, flat, batch);
        expect(v.length).toBe(B);
        // Validation through the trimmed path equals each sequence's loss from the full path.
        for (let s = 0; s < B; s++) {
          const one = lossAndGrads(config, flat, { ...batch, B: 1, inputs: batch.inputs.slice(s * L, (s + 1) * L), targets: batch.targets.slice(s * T, (s + 1) * T), labels: batch.labels.slice(s, s + 1),
            conditions: batch.conditions?.slice(s * 3, s * 3 + 3), excitation: batch.excitation?.slice(s * L * 3, (s + 1) * L * 3) }, { trimRows: false });
          expect(Math.abs(v[s] - one.loss)).toBeLessThan(1e-4);
        }
      });
    }
  }

  it('windows shorter than T + receptive field − 1 keep the full path (zero padding is part of their result)', async () => {
    await initBackend({ force: 'wasm' });
    expect(canTrimRows(config, 20 + context - 1, 20)).toBe(false);
    expect(canTrimRows(config, 20, 20)).toBe(false);
    const batch = batchOf(1, 20 + context - 1, 20, 5);
    const a = lossAndGrads(config, flat, batch, { trimRows: false });
    const b = lossAndGrads(config, flat, batch);
    expect(b.loss).toBe(a.loss);
    expect(() => tf.tidy(() => scoredLogits(config, paramTensors(config, flat), tf.zeros([1, 40], 'int32') as tf.Tensor2D, tf.tensor1d([0], 'int32'), 20))).toThrow(/cannot score 20 positions/);
  });
});
