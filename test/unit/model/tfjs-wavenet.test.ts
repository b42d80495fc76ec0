import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src-main/model/backend';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { parameterCount } from '../../../src-shared/model/config';
import { flatSize, flattenWeights, unflattenWeights } from '../../../src-shared/model/params';
import { referenceForward } from '../../../src-main/model/reference';
import { TfWaveNet, type ConvMode } from '../../../src-main/model/tfjs-wavenet';
import { mulberry32, randomWeights } from '../../../src-shared/model/weights';

const base: WaveNetConfig = {
  sampleRate: 16000, residualChannels: 6, dilationChannels: 8, skipChannels: 7,
  layersPerStack: 4, stacks: 2, quantization: 32, numLabels: 0,
};

function randomInput(T: number, Q: number, seed: number): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: T }, () => Math.floor(r() * Q));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('flat parameter layout', () => {
  it('round-trips WaveNetWeights and matches parameterCount', () => {
    const config = { ...base, numLabels: 3 };
    const w = randomWeights(config, 5);
    const flat = flattenWeights(w);
    expect(flat.length).toBe(parameterCount(config));
    expect(flatSize(config)).toBe(parameterCount(config));
    const back = unflattenWeights(config, flat);
    expect(Array.from(back.layers[3].skipW)).toEqual(Array.from(w.layers[3].skipW));
    expect(back.layers[3].dilation).toBe(8);
    expect(() => unflattenWeights(config, flat.subarray(1))).toThrow(/expected/);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`tfjs WaveNet forward on ${backend}`, () => {
    for (const convMode of ['split', 'concat'] as ConvMode[]) {
      it(`equals referenceForward unconditioned (${convMode})`, async () => {
        await initBackend({ force: backend });
        const w = randomWeights(base, 11);
        const model = TfWaveNet.fromWeights(w);
        const T = 50;
        const a = randomInput(T, base.quantization, 1);
        const b = randomInput(T, base.quantization, 2);
        const logits = model.forward([a, b], undefined, { convMode });
        expect(logits.shape).toEqual([2 * T, base.quantization]);
        const got = logits.dataSync();
        const ref = new Float32Array([...referenceForward(w, a), ...referenceForward(w, b)]);
        expect(maxAbsDiff(got, ref)).toBeLessThan(1e-5);
        logits.dispose();
        model.dispose();
      });
    }

    it('equals referenceForward conditioned, for several labels in one batch', async () => {
      await initBackend({ force: backend });
      const config = { ...base, numLabels: 3 };
      const w = randomWeights(config, 12);
      const model = TfWaveNet.fromWeights(w);
      const T = 40;
      const a = randomInput(T, config.quantization, 3);
      const labels = [2, 0, 1];
      const logits = model.forward([a, a, a], labels);
      const got = logits.dataSync();
      const parts = labels.map((l) => referenceForward(w, a, l));
      expect(maxAbsDiff(got, new Float32Array(parts.flatMap((p) => Array.from(p))))).toBeLessThan(1e-5);
      // Labels matter: the same input under different labels gives different logits.
      expect(maxAbsDiff(parts[0], parts[1])).toBeGreaterThan(1e-3);
      logits.dispose();
      model.dispose();
    });

    it('exports the weights it was loaded from', async () => {
      await initBackend({ force: backend });
      const w = randomWeights({ ...base, numLabels: 2 }, 13);
      const before = tf.memory().numTensors;
      const model = TfWaveNet.fromWeights(w);
      expect(Array.from(model.toWeights().layers[5].convNow)).toEqual(Array.from(w.layers[5].convNow));
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

it('matches the reference at full 256-class quantization', async () => {
  await initBackend({ force: 'wasm' });
  const config: WaveNetConfig = { ...base, quantization: 256, numLabels: 2 };
  const w = randomWeights(config, 14);
  const model = TfWaveNet.fromWeights(w);
  const a = randomInput(30, 256, 4);
  const logits = model.forward([a], [1]);
  expect(maxAbsDiff(logits.dataSync(), referenceForward(w, a, 1))).toBeLessThan(1e-5);
  logits.dispose();
  model.dispose();
});
