import { describe, expect, it } from 'vitest';
import { referenceForward } from '../../../src-main/model/reference';
import { randomWeights } from '../../../src-shared/model/weights';
import { createJsEngine } from '../../../src-shared/generation/engineJs';
import { classSequence, ODD, SHAPES } from './helpers';
import { timeBatchedForward } from './timeBatchedReference';

describe('test references', () => {
  it('the time-batched reference equals referenceForward on a short sequence (both presets, conditioned)', () => {
    for (const [i, config] of [SHAPES.sketch, SHAPES.studio, ODD].entries()) {
      const w = randomWeights(config, 11 + i);
      const input = classSequence(200, config.quantization, i);
      const label = config.numLabels - 1;
      const slow = referenceForward(w, input, label);
      const fast = timeBatchedForward(w, input, label);
      let m = 0;
      for (let j = 0; j < slow.length; j++) m = Math.max(m, Math.abs(slow[j] - fast[j]));
      expect(m).toBeLessThan(1e-5); // both f64; referenceForward rounds its output to f32
    }
  });

  it('the readable TypeScript engine equals referenceForward step by step, several takes and labels', () => {
    const config = SHAPES.sketch;
    const w = randomWeights(config, 5);
    const T = 300;
    const inputs = [0, 1, 2].map((s) => classSequence(T, config.quantization, 100 + s));
    const refs = [0, 1, 2].map((b) => referenceForward(w, inputs[b], b));
    const engine = createJsEngine(w, 3);
    engine.reset([0, 1, 2]);
    let m = 0;
    for (let t = 0; t < T; t++) {
      const logits = engine.step([inputs[0][t], inputs[1][t], inputs[2][t]]);
      for (let b = 0; b < 3; b++) for (let q = 0; q < config.quantization; q++) m = Math.max(m, Math.abs(logits[b * 256 + q] - refs[b][t * 256 + q]));
    }
    expect(m).toBeLessThan(1e-5);
  });
});
