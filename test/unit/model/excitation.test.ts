import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeAudio, mixToMono } from '../../../src-main/audio';
import { createJsEngine } from '../../../src-shared/generation/engineJs';
import { createWasmEngine } from '../../../src-shared/generation/engineWasm';
import { runTakes } from '../../../src-shared/generation/takes';
import { initBackend } from '../../../src-main/model/backend';
import type { WaveNetConfig } from '../../../src-shared/model/config';
import { parameterCount } from '../../../src-shared/model/config';
import { analyseVoicing, labelsNamePitches, midiHz, takeVoicing, writeExcitation } from '../../../src-shared/pitch/excitation';
import { flatSize, flattenWeights, paramSpecs, unflattenWeights } from '../../../src-shared/model/params';
import { referenceForward } from '../../../src-main/model/reference';
import { mulberry32, randomWeights } from '../../../src-shared/model/weights';
import { parseMusicalLabel } from '../../../src-main/quality';
import { batchFromWindows } from '../../../src-main/training/batch';
import { lossAndGrads } from '../../../src-main/training/grad';
import { fromOnset } from '../../../src-main/training/sampler';
import { classSequence, maxAbsDiffRow } from '../generation/helpers';

const DEMO = fileURLToPath(new URL('../../../resources/demo/piano-triads', import.meta.url));

/** A chord of unit sines at known frequencies and phases (radians at sample 0). */
function sines(freqs: number[], phases: number[], rate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) for (let k = 0; k < freqs.length; k++) out[i] += 0.3 * Math.sin((2 * Math.PI * freqs[k] * i) / rate + phases[k]);
  return out;
}

describe('voicing analysis', () => {
  it('finds the frequency and phase of each note a chord label names in a synthetic chord', () => {
    const freqs = [midiHz(57) * 1.004, midiHz(61), midiHz(64) * 0.997]; // A3 C#4 E4, two slightly off pitch
    const phases = [0.4, 2.5, 5.1];
    const v = analyseVoicing(sines(freqs, phases, 16000, 1), 16000, 'A major')!;
    expect(v.freqs.length).toBe(3);
    // Reported in the label's pitch-class order (A, C#, E sorted by pitch class: 1, 4, 9).
    const byPc = (f: number) => Math.round(69 + 12 * Math.log2(f / 440)) % 12;
    for (let k = 0; k < 3; k++) {
      const j = v.freqs.findIndex((f) => byPc(f) === byPc(freqs[k]));
      expect(j).toBeGreaterThanOrEqual(0);
      expect(Math.abs(v.freqs[j] - freqs[k])).toBeLessThan(0.05);
      const dp = Math.abs(((v.phases[j] - phases[k] + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      expect(dp).toBeLessThan(0.05);
    }
  });

  it('finds the named pitch classes on every real piano triad of the demo library, with the root searched for quality labels', async () => {
    let checked = 0;
    for (const quality of readdirSync(DEMO).filter((f) => !f.includes('.'))) {
      for (const file of readdirSync(join(DEMO, quality))) {
        const a = await decodeAudio(readFileSync(join(DEMO, quality, file)));
        const clip = fromOnset(mixToMono(a.data));
        const root = file.split('_')[0].replace(/\d$/, '');
        const chord = parseMusicalLabel(`${root} ${quality}`);
        expect(chord?.kind).toBe('chord');
        const v = analyseVoicing(clip, a.sampleRate, quality)!;
        const pcs = v.freqs.map((f) => ((Math.round(69 + 12 * Math.log2(f / 440)) % 12) + 12) % 12).sort((x, y) => x - y);
        // Augmented triads are symmetric: any of their three roots spells the same pitch classes.
        if (chord?.kind === 'chord') expect(pcs).toEqual(chord.pitchClasses);
        // The sin channel lines up with the audio: it correlates with the clip past its attack.
        const n = Math.min(clip.length, a.sampleRate);
        const ex = new Float32Array(n * 2);
        writeExcitation(v, a.sampleRate, 0, n, ex, 0, 2);
        let sxy = 0, sxx = 0, syy = 0;
        for (let i = Math.floor(0.1 * a.sampleRate); i < n; i++) { sxy += ex[2 * i] * clip[i]; sxx += ex[2 * i] ** 2; syy += clip[i] ** 2; }
        expect(sxy / Math.sqrt(sxx * syy), file).toBeGreaterThan(0.3);
        checked++;
      }
    }
    expect(checked).toBe(28);
  });

  it('names no voicing for labels without pitches, and a model over them gets no excitation', () => {
    expect(analyseVoicing(sines([440], [0], 16000, 0.5), 16000, 'kick')).toBeNull();
    expect(labelsNamePitches(['kick', 'snare'])).toBe(false);
    expect(labelsNamePitches(['kick', 'C major'])).toBe(true);
  });

  it('writes silence before the clip and Σ sin / Σ cos after it; a take voicing follows its seed', () => {
    const out = new Float32Array(20);
    writeExcitation({ freqs: [1000], phases: [0.5] }, 8000, -3, 10, out, 0, 2);
    for (let i = 0; i < 3; i++) expect([out[2 * i], out[2 * i + 1]]).toEqual([0, 0]);
    for (let i = 3; i < 10; i++) {
      expect(out[2 * i]).toBeCloseTo(Math.sin((2 * Math.PI * 1000 * (i - 3)) / 8000 + 0.5), 5);
      expect(out[2 * i + 1]).toBeCloseTo(Math.cos((2 * Math.PI * 1000 * (i - 3)) / 8000 + 0.5), 5);
    }
    // With a third channel, the onset clock: 1 at the clip's first sample, e^(−t/1 s) after, 0 before.
    const three = new Float32Array(30);
    writeExcitation({ freqs: [1000], phases: [0.5] }, 8000, -3, 10, three, 0, 3);
    expect(three[2]).toBe(0);
    expect(three[3 * 3 + 2]).toBeCloseTo(1, 6);
    expect(three[9 * 3 + 2]).toBeCloseTo(Math.exp(-6 / 8000), 6);
    expect(three[9 * 3]).toBeCloseTo(out[9 * 2], 6);
    const options = [[100, 200], [300, 400]];
    expect(takeVoicing(options, 'x', 5)).toEqual(takeVoicing(options, 'x', 5));
    const picked = new Set(Array.from({ length: 20 }, (_, s) => takeVoicing(options, 'x', s)!.freqs[0]));
    expect(picked).toEqual(new Set([100, 300]));
    expect(takeVoicing(undefined, 'A4', 1)!.freqs[0]).toBeCloseTo(440, 6);
    expect(takeVoicing(undefined, 'kick', 1)).toBeNull();
  });
});

const small: WaveNetConfig = {
  sampleRate: 16000, residualChannels: 4, dilationChannels: 6, skipChannels: 5,
  layersPerStack: 3, stacks: 2, quantization: 16, numLabels: 2, excitationChannels: 2,
};

describe('models with pitch excitation', () => {
  it('carry one [E, D] projection per layer in the flat layout', () => {
    const specs = paramSpecs(small).filter((s) => s.name.endsWith('.exc'));
    expect(specs.length).toBe(6);
    expect(specs[0].shape).toEqual([2, 6]);
    expect(flatSize(small)).toBe(parameterCount(small));
    const w = randomWeights(small, 4);
    expect(unflattenWeights(small, flattenWeights(w)).layers[3].exc).toEqual(w.layers[3].exc);
  });

  it('train with gradients equal to finite differences of the reference, excitation weights included', async () => {
    await initBackend({ force: 'wasm' });
    const r = mulberry32(3);
    const ws = Array.from({ length: 2 }, () => Array.from({ length: 25 }, () => Math.floor(r() * 16)));
    const labels = [1, 0];
    const T = 12;
    const L = 24;
    const excitation = Float32Array.from({ length: 2 * L * 2 }, () => r() * 2 - 1);
    const batch = { ...batchFromWindows(ws, labels, T), excitation };
    const flat = flattenWeights(randomWeights(small, 21));
    const refLoss = (f: Float32Array) => {
      const w = unflattenWeights(small, f);
      let total = 0;
      ws.forEach((win, b) => {
        const logits = referenceForward(w, win.slice(0, L), labels[b], excitation.subarray(b * L * 2, (b + 1) * L * 2));
        for (let j = 0; j < T; j++) {
          const row = logits.subarray((L - T + j) * 16, (L - T + j + 1) * 16);
          const m = Math.max(...row);
          let s = 0;
          for (const v of row) s += Math.exp(v - m);
          total += m + Math.log(s) - row[win[L - T + j + 1]];
        }
      });
      return total / (ws.length * T);
    };
    const { loss, grads } = lossAndGrads(small, flat, batch);
    expect(Math.abs(loss - refLoss(flat))).toBeLessThan(1e-5);
    // One sequence per pass takes the fused path (condition in the conv bias): the same gradients.
    const micro = lossAndGrads(small, flat, batch, undefined, L);
    expect(Math.abs(micro.loss - loss)).toBeLessThan(1e-6);
    let worst = 0;
    for (let i = 0; i < grads.length; i++) worst = Math.max(worst, Math.abs(micro.grads[i] - grads[i]));
    expect(worst).toBeLessThan(1e-6);
    // Without the excitation the loss differs: the projection is really used.
    expect(Math.abs(lossAndGrads(small, flat, batchFromWindows(ws, labels, T)).loss - loss)).toBeGreaterThan(1e-3);
    for (const spec of paramSpecs(small).filter((s) => s.name.endsWith('.exc'))) {
      for (const k of [0, 7]) {
        const i = spec.offset + k;
        const eps = 1e-4;
        const plus = flat.slice(); plus[i] += eps;
        const minus = flat.slice(); minus[i] -= eps;
        const fd = (refLoss(plus) - refLoss(minus)) / (2 * eps);
        expect(Math.abs(grads[i] - fd), `${spec.name}[${k}]`).toBeLessThan(2e-4 + 1e-2 * Math.abs(fd));
      }
    }
  });

  it('generate with the WebAssembly (f32) and TypeScript engines equal to the reference, step by step', async () => {
    const config: WaveNetConfig = { ...small, residualChannels: 16, dilationChannels: 32, skipChannels: 16, quantization: 64, layersPerStack: 6 };
    const w = randomWeights(config, 8);
    const T = 400;
    const input = classSequence(T, 64, 3);
    const exc = new Float32Array(T * 2);
    writeExcitation({ freqs: [220, 331], phases: [0.1, 1] }, 16000, 1, T, exc, 0, 2); // row t: the sample after input t
    const ref = referenceForward(w, input, 1, exc);
    for (const engine of [await createWasmEngine(w, 1, { precision: 'f32' }), createJsEngine(w, 1)]) {
      engine.reset([1]);
      let worst = 0;
      for (let t = 0; t < T; t++) worst = Math.max(worst, maxAbsDiffRow(engine.step([input[t]], exc.subarray(2 * t, 2 * t + 2)), 0, ref, t * 64, 64));
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('takes with a voicing are reproducible, differ from takes without one, and the default int16 engine agrees with f32', async () => {
    const config: WaveNetConfig = { ...small, residualChannels: 16, dilationChannels: 32, skipChannels: 16, quantization: 256, layersPerStack: 6 };
    const w = randomWeights(config, 9);
    // Make the excitation loud in every layer so it visibly steers the takes.
    for (const layer of w.layers) for (let i = 0; i < layer.exc!.length; i++) layer.exc![i] *= 8;
    const voicing = { freqs: [440], phases: [0] };
    const run = async (precision: 'f32' | 'i16', v: typeof voicing | null) => {
      const engine = await createWasmEngine(w, 1, { precision });
      return (await runTakes(engine, [{ seed: 4, length: 800, label: 1, temperature: 0, voicing: v }]))[0].classes;
    };
    const a = await run('f32', voicing);
    expect(await run('f32', voicing)).toEqual(a);
    expect(await run('f32', null)).not.toEqual(a);
    const i16 = await run('i16', voicing);
    let same = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - i16[i]) <= 2) same++;
    expect(same / a.length).toBeGreaterThan(0.5);
  });
});
