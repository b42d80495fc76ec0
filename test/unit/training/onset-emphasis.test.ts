import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/model/backend';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { flattenWeights } from '../../../src-shared/model/params';
import { mulberry32, randomWeights } from '../../../src-shared/model/weights';
import { batchFromWindows } from '../../../src-main/training/batch';
import { lossAndGrads } from '../../../src-main/training/grad';
import { WindowSampler } from '../../../src-main/training/sampler';

const config: WaveNetConfig = { sampleRate: 16000, residualChannels: 8, dilationChannels: 12, skipChannels: 10, layersPerStack: 3, stacks: 1, quantization: 64, numLabels: 2 };

describe('onset emphasis', () => {
  beforeAll(async () => void (await initBackend({ force: 'wasm' })));

  it('weighs targets just after an onset up, decaying with tau, and nothing before the clip', async () => {
    const audio = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i / 5) * 0.5);
    const s = new WindowSampler({ clips: [{ id: 'a', label: 0, frames: 4000 }, { id: 'b', label: 1, frames: 4000 }], loader: async (id) => ({ label: id === 'a' ? 0 : 1, audio }), receptiveField: 8, T: 200, seed: 3, validationFraction: 0, onsetShare: 1, onsetEmphasis: { gain: 10, tau: 20 } });
    const b = await s.nextBatch(2);
    // Every window starts one receptive field before its clip: target j is clip sample j.
    expect(b.weights![0]).toBeCloseTo(11, 5);
    expect(b.weights![20]).toBeCloseTo(1 + 10 * Math.exp(-1), 5);
    expect(b.weights![199]).toBeCloseTo(1, 3);
    const plain = await new WindowSampler({ clips: [{ id: 'a', label: 0, frames: 4000 }], loader: async () => ({ label: 0, audio }), receptiveField: 8, T: 200, seed: 3, validationFraction: 0 }).nextBatch(2);
    expect(plain.weights).toBeUndefined();
  });

  it('leaves the loss as the unweighted mean and scales each position\'s gradient by its weight', () => {
    const r = mulberry32(5);
    const ws = Array.from({ length: 2 }, () => Array.from({ length: 41 }, () => Math.floor(r() * 64)));
    const base = batchFromWindows(ws, [0, 1], 30);
    const flat = flattenWeights(randomWeights(config, 7));
    const plain = lossAndGrads(config, flat, base);
    const ones = lossAndGrads(config, flat, { ...base, weights: new Float32Array(60).fill(1) });
    const doubled = lossAndGrads(config, flat, { ...base, weights: new Float32Array(60).fill(2) });
    expect(ones.loss).toBeCloseTo(plain.loss, 5);
    expect(doubled.loss).toBeCloseTo(plain.loss, 5);
    let maxDiff = 0;
    for (let i = 0; i < plain.grads.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(ones.grads[i] - plain.grads[i]), Math.abs(doubled.grads[i] - 2 * plain.grads[i]));
    }
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
