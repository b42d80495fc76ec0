import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '../../../src-main/model/checkpoint';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { flattenWeights } from '../../../src-shared/model/params';
import { randomWeights } from '../../../src-shared/model/weights';

const config: WaveNetConfig = {
  sampleRate: 16000, residualChannels: 4, dilationChannels: 6, skipChannels: 5,
  layersPerStack: 3, stacks: 1, quantization: 16, numLabels: 2,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wh-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkpoints', () => {
  it('round-trip weights, Adam state, card fields and training state', async () => {
    const w = randomWeights(config, 1);
    const flat = flattenWeights(w);
    const m = flat.map((v) => v * 0.5);
    const v = flat.map((x) => x * x);
    const { card, cardPath, binPath } = await saveCheckpoint(dir, {
      weights: w, optimizer: { step: 42, m, v }, labels: ['sine', 'saw'], step: 42,
      metrics: { validBits: 1.25 }, trainingState: { sampler: { rng: 123 } },
    });
    expect(path.basename(cardPath)).toBe('step-00000042.json');
    expect(card.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await readdir(dir)).sort()).toEqual(['step-00000042.json', 'step-00000042.whck']); // no temp files left
    for (const p of [cardPath, binPath]) {
      const ck = await loadCheckpoint(p);
      expect(Array.from(ck.params)).toEqual(Array.from(flat));
      expect(Array.from(ck.weights.layers[2].cond)).toEqual(Array.from(w.layers[2].cond));
      expect(ck.optimizer!.step).toBe(42);
      expect(Array.from(ck.optimizer!.v)).toEqual(Array.from(v));
      expect(ck.card).toMatchObject({ labels: ['sine', 'saw'], sampleRate: 16000, step: 42, metrics: { validBits: 1.25 }, trainingState: { sampler: { rng: 123 } } });
    }
  });

  it('rejects a weights file whose hash does not match the card', async () => {
    const { binPath, cardPath } = await saveCheckpoint(dir, { weights: randomWeights(config, 2), labels: ['a', 'b'], step: 1 });
    const bytes = await readFile(binPath);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(binPath, bytes);
    await expect(loadCheckpoint(cardPath)).rejects.toThrow(/weights hash mismatch/);
  });

  it('rejects truncated files and shape mismatches with a clear error', async () => {
    const { binPath, cardPath } = await saveCheckpoint(dir, { weights: randomWeights(config, 3), labels: ['a', 'b'], step: 1 });
    const bytes = await readFile(binPath);
    await writeFile(binPath, bytes.subarray(0, bytes.length - 8));
    await expect(loadCheckpoint(cardPath)).rejects.toThrow(/truncated/);
    await writeFile(binPath, bytes);
    const card = JSON.parse(await readFile(cardPath, 'utf8'));
    card.config.skipChannels = 6;
    await writeFile(cardPath, JSON.stringify(card));
    await expect(loadCheckpoint(cardPath)).rejects.toThrow(/shape mismatch/);
    await expect(loadCheckpoint(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read model card/);
  });

  it('refuses to save inconsistent input', async () => {
    await expect(saveCheckpoint(dir, { weights: randomWeights(config, 4), labels: ['only-one'], step: 1 })).rejects.toThrow(/label names/);
    await expect(saveCheckpoint(dir, { weights: new Float32Array(3), config, labels: ['a', 'b'], step: 1 })).rejects.toThrow(/parameters/);
  });
});
