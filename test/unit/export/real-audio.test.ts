/**
 * The export wired to the project's real audio module: the WAV encoder (TPDF dither at 16 bits)
 * and the libsamplerate resampler. Imports the files directly until src-main/audio/index.ts exists.
 */
import { describe, expect, it } from 'vitest';
import { createArrangement, createClip, createTrack, sourceLengthAt } from '../../../src-main/arrange';
import { resampleChannels } from '../../../src-main/audio/resample';
import { decodeWav } from '../../../src-main/audio/wav';
import { encodeWav } from '../../../src-main/audio/wav-encode';
import { mixArrangement, renderStems, type EncodeFn } from '../../../src-main/export';
import { sine, sourceTable } from '../../fixtures/golden/scenes';

const R = 48000;
const encode: EncodeFn = (ch, rate, o) => encodeWav(ch, rate, { bits: o.bits });

function scene() {
  return createArrangement({
    sampleRate: R,
    tracks: [
      { ...createTrack('a', 'Quiet sine', { pan: -0.25, gainDb: -20 }), clips: [createClip('a1', { kind: 'take', id: 's' }, 24000, 0, { fadeIn: 2400, fadeOut: 4800 })] },
      { ...createTrack('b', 'Loud sine', { pan: 0.6 }), clips: [createClip('b1', { kind: 'take', id: 's' }, 24000, 12000, { gainDb: -1 })] },
    ],
  });
}
const sources = sourceTable({ s: { sampleRate: R, channels: [sine(997, R, 24000, 0.9)] } });

describe('export through the real WAV encoder', () => {
  it('32-bit float files decode to exactly the mixer output', async () => {
    const r = await renderStems(scene(), sources, { bits: '32f', encode });
    const m = await mixArrangement(scene(), sources);
    const mix = decodeWav(r.files[2].bytes!);
    expect(mix.sampleRate).toBe(R);
    expect(mix.data[0]).toEqual(m.mix[0]);
    expect(decodeWav(r.files[0].bytes!).data[1]).toEqual(m.stems[0].channels[1]);
  });

  it('16-bit files are TPDF-dithered: error within ±1.5 LSB, unbiased, and not the plain rounding error', async () => {
    const r = await renderStems(scene(), sources, { bits: 16, encode });
    const m = await mixArrangement(scene(), sources);
    const got = decodeWav(r.files[0].bytes!).data[0];
    const want = m.stems[0].channels[0];
    const lsb = 1 / 32768;
    let maxErr = 0;
    let sum = 0;
    let sumSq = 0;
    let differsFromRounding = 0;
    for (let i = 0; i < want.length; i++) {
      const e = (got[i] - want[i]) / lsb;
      maxErr = Math.max(maxErr, Math.abs(e));
      sum += e;
      sumSq += e * e;
      if (Math.round(want[i] * 32768) !== Math.round(got[i] * 32768)) differsFromRounding++;
    }
    const n = want.length;
    expect(maxErr).toBeLessThanOrEqual(1.5 + 1e-9);
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    // Rounding alone gives error power 1/12 LSB²; TPDF adds 1/6 → about 1/4 in total.
    expect(sumSq / n).toBeGreaterThan(0.2);
    expect(sumSq / n).toBeLessThan(0.3);
    expect(differsFromRounding / n).toBeGreaterThan(0.1);
  });

  it('24-bit files are undithered and within half an LSB', async () => {
    const r = await renderStems(scene(), sources, { bits: 24, encode });
    const m = await mixArrangement(scene(), sources);
    const got = decodeWav(r.files[2].bytes!).data[1];
    let maxErr = 0;
    for (let i = 0; i < got.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - m.mix[1][i]));
    expect(maxErr).toBeLessThanOrEqual(0.5 / 8388608 + 1e-12);
  });
});

describe('export through libsamplerate', () => {
  it('a 16 kHz take placed on a 48 kHz timeline comes out as the same sine, time-aligned', async () => {
    const take = sine(440, 16000, 16000, 0.5);
    const frames = sourceLengthAt(take.length, 16000, R);
    const arr = createArrangement({ sampleRate: R, tracks: [{ ...createTrack('a', 'Take', { pan: -1 }), clips: [createClip('a1', { kind: 'take', id: 'lo' }, frames, 1000)] }] });
    const r = await mixArrangement(arr, sourceTable({ lo: { sampleRate: 16000, channels: [take] } }), { resample: resampleChannels });
    const ideal = sine(440, R, frames, 0.5);
    let maxErr = 0;
    // Away from the edges (where the band-limited filter rings against the cut), it is the ideal sine.
    for (let i = 2000; i < frames - 2000; i++) maxErr = Math.max(maxErr, Math.abs(r.mix[0][1000 + i] - ideal[i]));
    expect(maxErr).toBeLessThan(2e-3);
    expect(r.frames).toBe(1000 + 48000);
  });

  it('a 48 kHz arrangement exported at 44.1 kHz keeps pitch and length', async () => {
    const arr = createArrangement({ sampleRate: R, tracks: [{ ...createTrack('a', 'Tone', { pan: -1 }), clips: [createClip('a1', { kind: 'take', id: 's' }, 48000, 0)] }] });
    const src = sourceTable({ s: { sampleRate: R, channels: [sine(1000, R, 48000, 0.5)] } });
    const r = await renderStems(arr, src, { bits: '32f', rate: 44100, encode, resample: resampleChannels });
    const out = decodeWav(r.files[1].bytes!);
    expect(out.sampleRate).toBe(44100);
    expect(out.frames).toBe(44100);
    const ideal = sine(1000, 44100, 44100, 0.5);
    let maxErr = 0;
    for (let i = 2000; i < 42000; i++) maxErr = Math.max(maxErr, Math.abs(out.data[0][i] - ideal[i]));
    expect(maxErr).toBeLessThan(2e-3);
  });
});
