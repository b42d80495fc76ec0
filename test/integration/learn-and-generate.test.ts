/**
 * End to end on the model: the sketch preset, trained data-parallel on a two-label toy set (a low and
 * a high periodic tone), reaches validation NLL under 1 bit/sample for both labels, and the incremental
 * engine then generates takes whose spectra follow the label asked for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src-main/audio';
import { createWasmEngine, generateTakes, logitAgreement, runTakes } from '../../src-main/generation';
import { generateToFolder } from '../../src-main/generation/to-folder';
import { loadCheckpoint, saveCheckpoint } from '../../src-main/model/checkpoint';
import { tempDir } from '../helpers/tmp';
import { initBackend } from '../../src-main/model/backend';
import { PRESETS, receptiveField, type WaveNetConfig } from '../../src-shared/model/config';
import { flattenWeights, unflattenWeights } from '../../src-shared/model/params';
import { randomWeights } from '../../src-shared/model/weights';
import { ParallelEngine } from '../../src-main/training/parallel';
import { WindowSampler } from '../../src-main/training/sampler';
import { dropLabels, oneHotRows } from '../../src-main/training/label-tokens';
import { Trainer } from '../../src-main/training/trainer';
import { library, wave } from '../unit/training/helpers';

const config: WaveNetConfig = { ...PRESETS.sketch, numLabels: 2 };
const LOW = 40; // samples per period: 400 Hz at 16 kHz
const HIGH = 16; // 1000 Hz

/** Power of `x` at `freq` Hz (Goertzel), normalised by length. */
function powerAt(x: Float32Array, freq: number, rate: number): number {
  const w = (2 * Math.PI * freq) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i] + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - c * s1 * s2) / x.length;
}

describe('the sketch preset learns a two-label toy set and generates by label', () => {
  let trainer: Trainer;
  let engine: ParallelEngine;

  beforeAll(async () => {
    await initBackend({ force: 'wasm' });
  });

  it('reaches validation NLL under 1 bit/sample for both labels', async () => {
    const lib = library([0, 1, 2].flatMap((k) => [
      { id: `low${k}`, label: 0, audio: wave('sine', 6000, LOW, k * 7) },
      { id: `high${k}`, label: 1, audio: wave('sine', 6000, HIGH, k * 3) },
    ]));
    const sampler = new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: receptiveField(config), T: 256, seed: 3, validationFraction: 0.34, onsetShare: 0.25 });
    engine = await ParallelEngine.create(config, { replicas: 2 });
    trainer = new Trainer(config, flattenWeights(randomWeights(config, 5)), engine, {
      schedule: { peak: 4e-3, warmupSteps: 10, decay: 'cosine', decaySteps: 200, floor: 3e-4 },
      clipNorm: 1,
    });
    const validation = await sampler.validationBatches(8, 2);
    // Train until both labels are under 1 bit (checked every 20 steps), at most 200 steps.
    let e = await trainer.evaluate(validation);
    expect(e.bits).toBeGreaterThan(5); // untrained: near log2(256)
    while (trainer.step < 80 || (trainer.step < 200 && !(e.perLabel[0] < 1 && e.perLabel[1] < 1))) {
      for (let i = 0; i < 20; i++) {
        // Windows start at an onset a quarter of the time and go without their label 15% of the time,
        // as the training job does: generation from silence is guided by the label (classifier-free).
        const batch = await sampler.nextBatch(4);
        await trainer.trainStep({ ...batch, conditions: dropLabels(oneHotRows(batch.labels, 2), 2, 0.15, 3, trainer.step) });
      }
      e = await trainer.evaluate(validation);
    }
    expect(e.perLabel[0], `after ${trainer.step} steps`).toBeLessThan(1);
    expect(e.perLabel[1], `after ${trainer.step} steps`).toBeLessThan(1);
  }, 600_000);

  it('generates takes whose spectra match the label asked for (most of them, guided by the label)', async () => {
    await engine.dispose();
    const weights = unflattenWeights(config, trainer.params);
    const seconds = 0.5;
    const labels = [0, 1, 0, 1, 0, 1, 0, 1];
    const follows = async (guidance: number) => {
      const takes = await generateTakes(
        weights,
        labels.map((label, i) => ({ seed: 10 + i, length: seconds * config.sampleRate, label, temperature: 1, guidance })),
        { workers: 2 },
      );
      return takes.map((take, i) => {
        const audio = take.audio.subarray(2000); // past the settling at the start
        const low = powerAt(audio, 400, config.sampleRate);
        const high = powerAt(audio, 1000, config.sampleRate);
        return labels[i] === 0 ? low > 10 * high : high > 10 * low;
      });
    };
    const plain = await follows(1);
    const guided = await follows(3);
    // Each label's takes mostly follow it (one tone, 10x the other's power), and guidance does not lose any.
    for (const label of [0, 1]) expect(guided.filter((ok, i) => ok && labels[i] === label).length, `label ${label}: ${guided}`).toBeGreaterThanOrEqual(3);
    expect(guided.filter(Boolean).length).toBeGreaterThanOrEqual(plain.filter(Boolean).length);
  }, 120_000);

  it('from the saved checkpoint, the int16 engine stays within tolerance of f32 and a seed gives the same WAV bytes', async () => {
    // The trained weights through a real checkpoint file and the CLI's generate --mp path.
    const dir = tempDir('wavehouse-precision-');
    try {
      const { cardPath } = await saveCheckpoint(join(dir.path, 'ck'), { weights: trainer.params, config, labels: ['low', 'high'], step: trainer.step });
      const { weights } = await loadCheckpoint(cardPath);
      // Tolerance on trained weights (README "Precision"), teacher-forced on a take of the f32 engine.
      const f32 = await createWasmEngine(weights, 1, { precision: 'f32' });
      for (const label of [0, 1]) {
        const [take] = await runTakes(f32, [{ seed: 3 + label, length: 4000, label, temperature: 1 }]);
        const m = logitAgreement(f32, await createWasmEngine(weights, 1), [take.classes], [label]);
        expect(m.maxAbsLogit).toBeGreaterThan(5); // trained: sharp logits
        expect(m.maxAbsDiff).toBeGreaterThan(0);
        expect(m.maxAbsDiff).toBeLessThanOrEqual(2e-3 * m.maxAbsLogit);
        expect(m.argmaxAgreement).toBeGreaterThanOrEqual(0.999);
        expect(m.maxTotalVariation).toBeLessThanOrEqual(5e-3);
      }
      // Same checkpoint, seed, settings and precision: the same bytes, in a worker or not, run after run.
      const io = { err: () => {} };
      const opts = { seconds: 0.25, count: 2, temperature: 1, label: 'high', seed: 77 };
      const [a1, a2] = await generateToFolder(cardPath, join(dir.path, 'a'), opts, io);
      const [b1] = await generateToFolder(cardPath, join(dir.path, 'b'), opts, io);
      const [f1] = await generateToFolder(cardPath, join(dir.path, 'f'), { ...opts, engine: 'wasm-f32' }, io);
      const bytes = (p: string) => readFileSync(p);
      expect(bytes(b1).equals(bytes(a1))).toBe(true);
      expect(bytes(a2).equals(bytes(a1))).toBe(false); // the next seed is another take
      expect(bytes(a1).length).toBe(bytes(f1).length);
      // A single take runs on the caller's thread (no worker to boot): the same bytes as in a worker.
      const [single] = await generateToFolder(cardPath, join(dir.path, 's'), { ...opts, count: 1 }, io);
      expect(bytes(single).equals(bytes(a1))).toBe(true);
      const [inline] = await generateTakes(weights, [{ seed: 77, length: 4000, label: 1, temperature: 1 }], { workers: 0 });
      expect(Buffer.from(encodeWav([inline.audio], 16000, { bits: '32f' })).equals(bytes(a1))).toBe(true);
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
