import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/model/backend';
import { loadCheckpoint, saveCheckpoint } from '../../../src-main/model/checkpoint';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { flatSize, flattenWeights } from '../../../src-shared/model/params';
import { paramTensors, wavenetLogits } from '../../../src-main/model/tfjs-wavenet';
import { randomWeights } from '../../../src-shared/model/weights';
import { conditionRows, labelTokens, perLabelParams, tokenConfig } from '../../../src-main/training/label-tokens';

const base: WaveNetConfig = { sampleRate: 16000, residualChannels: 8, dilationChannels: 16, skipChannels: 16, layersPerStack: 4, stacks: 1, quantization: 256, numLabels: 0 };

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('label tokens', () => {
  it('give chord and note labels their pitch classes (and octaves) as shared tokens', () => {
    const lt = labelTokens(['C major', 'A minor', 'C4', 'kick'])!;
    expect(lt.tokens.slice(0, 4)).toEqual(['label:C major', 'label:A minor', 'label:C4', 'label:kick']);
    const names = (c: number) => lt.rows[c].map((t) => lt.tokens[t]).sort();
    expect(names(0)).toEqual(['label:C major', 'pc:0', 'pc:4', 'pc:7']);
    expect(names(1)).toEqual(['label:A minor', 'pc:0', 'pc:4', 'pc:9']);
    expect(names(2)).toEqual(['label:C4', 'octave:4', 'pc:0']);
    expect(names(3)).toEqual(['label:kick']);
    // Nothing shared: plain per-label conditioning.
    expect(labelTokens(['sine', 'high'])).toBeNull();
    expect(labelTokens(['C major'])).toBeNull();
  });

  it('a token model and its per-label weights compute the same logits', () => {
    const labels = ['C major', 'A minor', 'E major'];
    const lt = labelTokens(labels)!;
    const config = { ...base, numLabels: labels.length };
    const tokenFlat = flattenWeights(randomWeights(tokenConfig(config, lt), 3));
    const perLabel = perLabelParams(config, lt, tokenFlat);
    expect(perLabel.length).toBe(flatSize(config));
    const T = 40;
    const inputs = Int32Array.from({ length: 3 * T }, (_, i) => (i * 37) % 256);
    const batchLabels = [2, 0, 1];
    const viaTokens = tf.tidy(() =>
      wavenetLogits(tokenConfig(config, lt), paramTensors(tokenConfig(config, lt), tokenFlat), tf.tensor2d(inputs, [3, T], 'int32'), tf.tensor2d(conditionRows(lt, batchLabels), [3, lt.tokens.length])).dataSync(),
    );
    const viaLabels = tf.tidy(() => wavenetLogits(config, paramTensors(config, perLabel), tf.tensor2d(inputs, [3, T], 'int32'), tf.tensor1d(batchLabels, 'int32')).dataSync());
    let max = 0;
    for (let i = 0; i < viaTokens.length; i++) max = Math.max(max, Math.abs(viaTokens[i] - viaLabels[i]));
    expect(max).toBeLessThan(1e-4);
  });

  it('a checkpoint keeps per-label weights for generation and token parameters + Adam state for resuming', async () => {
    const labels = ['C major', 'A minor'];
    const lt = labelTokens(labels)!;
    const config = { ...base, numLabels: 2 };
    const tokenFlat = flattenWeights(randomWeights(tokenConfig(config, lt), 4));
    const m = tokenFlat.map((x) => x * 0.5);
    const v = tokenFlat.map((x) => x * x);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wavehouse-tokens-'));
    try {
      const { cardPath } = await saveCheckpoint(dir, { weights: perLabelParams(config, lt, tokenFlat), config, labels, step: 7, optimizer: { step: 7, m, v }, trainingParams: tokenFlat });
      const loaded = await loadCheckpoint(cardPath);
      expect(loaded.card.config.numLabels).toBe(2);
      expect(loaded.params.length).toBe(flatSize(config));
      expect(Array.from(loaded.trainingParams!)).toEqual(Array.from(tokenFlat));
      expect(Array.from(loaded.optimizer!.m)).toEqual(Array.from(m));
      // Without training parameters an optimizer of another size is refused.
      await expect(saveCheckpoint(dir, { weights: perLabelParams(config, lt, tokenFlat), config, labels, step: 8, optimizer: { step: 8, m, v } })).rejects.toThrow(/optimizer state/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
