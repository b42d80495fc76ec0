import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/model/backend';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { flattenWeights } from '../../../src-shared/model/params';
import { mulberry32, randomWeights } from '../../../src-shared/model/weights';
import { batchFromWindows } from '../../../src-main/training/batch';
import { LocalEngine } from '../../../src-main/training/engine';
import { ParallelEngine, shardBounds } from '../../../src-main/training/parallel';
import { Trainer, type TrainerOptions } from '../../../src-main/training/trainer';

const config: WaveNetConfig = {
  sampleRate: 16000, residualChannels: 8, dilationChannels: 12, skipChannels: 10,
  layersPerStack: 4, stacks: 2, quantization: 64, numLabels: 3,
};
const opts: TrainerOptions = { schedule: { peak: 1e-2, warmupSteps: 2, decay: 'exponential', halfLife: 10 }, clipNorm: 0.5 };

function batch(seed: number, B = 4, len = 81, T = 50) {
  const r = mulberry32(seed);
  const ws = Array.from({ length: B }, () => Array.from({ length: len }, () => Math.floor(r() * config.quantization)));
  return batchFromWindows(ws, ws.map((_, b) => b % 3), T);
}

let engine: ParallelEngine;
beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  engine = await ParallelEngine.create(config, { replicas: 2, backend: 'wasm' });
});
afterAll(async () => {
  await engine?.dispose();
});

describe('data-parallel training over worker replicas', () => {
  it('splits batches into contiguous shards', () => {
    expect(shardBounds(4, 2)).toEqual([[0, 2], [2, 4]]);
    expect(shardBounds(5, 2)).toEqual([[0, 2], [2, 5]]);
    expect(shardBounds(1, 2)).toEqual([[0, 1]]);
  });

  it('replicas run wasm and their averaged gradients equal single-thread gradients', async () => {
    expect(engine.description).toBe('wasm ×2 replicas');
    const params = flattenWeights(randomWeights(config, 4));
    const b = batch(1);
    const local = await new LocalEngine(config).lossAndGrads(params, b);
    const par = await engine.lossAndGrads(params, b);
    expect(Math.abs(par.loss - local.loss)).toBeLessThan(1e-6);
    let m = 0;
    for (let i = 0; i < params.length; i++) m = Math.max(m, Math.abs(par.grads[i] - local.grads[i]));
    expect(m).toBeLessThan(1e-6);
    const losses = await engine.sequenceLosses(params, b);
    const localLosses = await new LocalEngine(config).sequenceLosses(params, b);
    for (let i = 0; i < b.B; i++) expect(losses[i]).toBeCloseTo(localLosses[i], 6);
  });

  it('training with two replicas stays equal to single-process training', async () => {
    const p0 = flattenWeights(randomWeights(config, 5));
    const single = new Trainer(config, p0.slice(), new LocalEngine(config), opts);
    const dp = new Trainer(config, p0.slice(), engine, opts);
    for (let s = 0; s < 4; s++) {
      const b = batch(10 + s);
      const a = await single.trainStep(b);
      const c = await dp.trainStep(b);
      expect(Math.abs(a.loss - c.loss)).toBeLessThan(1e-5);
    }
    let m = 0;
    for (let i = 0; i < p0.length; i++) m = Math.max(m, Math.abs(single.params[i] - dp.params[i]));
    expect(m).toBeLessThan(1e-5);
    // And training moved the weights (the comparison above is not between two untouched copies).
    let moved = 0;
    for (let i = 0; i < p0.length; i++) moved = Math.max(moved, Math.abs(single.params[i] - p0[i]));
    expect(moved).toBeGreaterThan(1e-3);
  });
});
