import type { WaveNetConfig } from '../../../src-shared/model/config';
import { PRESETS } from '../../../src-shared/model/config';
import { mulberry32 } from '../../../src-shared/model/weights';

/** The two preset shapes, conditioned on 3 labels as the tests use them. */
export const SHAPES: Record<'sketch' | 'studio', WaveNetConfig> = {
  sketch: { ...PRESETS.sketch, numLabels: 3 },
  studio: { ...PRESETS.studio, numLabels: 3 },
};

/** A shape where no channel count is a multiple of 8, to exercise the kernel's padding. */
export const ODD: WaveNetConfig = {
  ...PRESETS.sketch, residualChannels: 13, dilationChannels: 22, skipChannels: 9, quantization: 37, layersPerStack: 5, stacks: 2, numLabels: 2,
};

/** A class sequence that wanders like audio (a noisy sine in μ-law class space) but covers many classes. */
export function classSequence(T: number, Q: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const out = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    const v = 0.5 * Math.sin(t * 0.031 + seed) + 0.45 * (rand() * 2 - 1);
    out[t] = Math.min(Q - 1, Math.max(0, Math.round(((v + 1) / 2) * (Q - 1))));
  }
  return out;
}

/** Largest |a[t][q] - b[t][q]| where a has row stride `strideA` at `offsetA`. */
export function maxAbsDiffRow(a: ArrayLike<number>, offsetA: number, b: ArrayLike<number>, offsetB: number, Q: number): number {
  let m = 0;
  for (let q = 0; q < Q; q++) m = Math.max(m, Math.abs(a[offsetA + q] - b[offsetB + q]));
  return m;
}
