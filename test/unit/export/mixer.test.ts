import { describe, expect, it, vi } from 'vitest';
import { applyEdit, createArrangement, createClip, createTrack, type Arrangement, type Track } from '../../../src-main/arrange';
import { dbToGain, envelopeAt, isAudible, mixArrangement, mixBlocks, panMono, panStereo, planMix, type SourceAudio } from '../../../src-main/export';
import { dc, impulses, linearResampler, sine, sourceTable } from '../../fixtures/golden/scenes';

const R = 48000;
const take = (id: string) => ({ kind: 'take' as const, id });
const mono = (x: Float32Array, rate = R): SourceAudio => ({ sampleRate: rate, channels: [x] });

function arrangement(...tracks: Track[]): Arrangement {
  return createArrangement({ sampleRate: R, tracks });
}

function track(id: string, clips: Track['clips'], props: Partial<Track> = {}): Track {
  return { ...createTrack(id, id, props), clips };
}

describe('laws', () => {
  it('dB to gain is 10^(dB/20): −6.0206 dB halves, −6 dB is 0.501187, +6 dB is 1.995', () => {
    expect(dbToGain(20 * Math.log10(0.5))).toBeCloseTo(0.5, 12);
    expect(dbToGain(-6)).toBeCloseTo(0.501187, 6);
    expect(dbToGain(6)).toBeCloseTo(1.995262, 6);
    expect(dbToGain(0)).toBe(1);
  });

  it('mono pan is equal power: centre −3.01 dB both sides, hard sides 1/0, power constant', () => {
    const [l, r] = panMono(0);
    expect(l).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r).toBeCloseTo(Math.SQRT1_2, 12);
    expect(panMono(-1)).toEqual([1, 0]);
    expect(panMono(1)[0]).toBeCloseTo(0, 12);
    expect(panMono(1)[1]).toBe(1);
    for (const p of [-0.9, -0.3, 0.2, 0.77]) {
      const [a, b] = panMono(p);
      expect(a * a + b * b).toBeCloseTo(1, 12);
    }
    // pan −0.5 → θ = π/8.
    expect(panMono(-0.5)[0]).toBeCloseTo(Math.cos(Math.PI / 8), 12);
  });

  it('stereo pan is the StereoPannerNode balance law: centre passes through, hard left folds R into L', () => {
    const c = panStereo(0);
    expect(c.ll).toBe(1);
    expect(c.rl).toBeCloseTo(0, 12);
    expect(c.lr).toBe(0);
    expect(c.rr).toBe(1);
    const left = panStereo(-1);
    expect(left).toEqual({ ll: 1, rl: 1, lr: 0, rr: 0 });
    const right = panStereo(0.5);
    expect(right.ll).toBeCloseTo(Math.cos(Math.PI / 4), 12);
    expect(right.lr).toBeCloseTo(Math.sin(Math.PI / 4), 12);
    expect(right.rr).toBe(1);
    expect(right.rl).toBe(0);
  });

  it('linear fades: first frame silent, k/F up, (F − j)/F down, overlap holds the reached value', () => {
    expect(envelopeAt(0, 100, 10, 0)).toBe(0);
    expect(envelopeAt(5, 100, 10, 0)).toBe(0.5);
    expect(envelopeAt(10, 100, 10, 0)).toBe(1);
    expect(envelopeAt(90, 100, 0, 10)).toBe(1);
    expect(envelopeAt(95, 100, 0, 10)).toBe(0.5);
    expect(envelopeAt(99, 100, 0, 10)).toBeCloseTo(0.1, 12);
    expect(envelopeAt(60, 100, 80, 40)).toBe(0.75); // fade-out starts at 60 from 60/80
    expect(envelopeAt(80, 100, 80, 40)).toBeCloseTo(0.75 * 0.5, 12);
  });

  it('solo overrides mute', () => {
    expect(isAudible({ mute: true, solo: true }, true)).toBe(true);
    expect(isAudible({ mute: false, solo: false }, true)).toBe(false);
    expect(isAudible({ mute: true, solo: false }, false)).toBe(false);
    expect(isAudible({ mute: false, solo: false }, false)).toBe(true);
  });
});

describe('mixer', () => {
  it('a −6 dB clip on a hard-left track has 0.501187 of the source amplitude; −6.0206 dB exactly half', async () => {
    const src = sourceTable({ s: mono(sine(440, R, 1000)) });
    for (const [db, want] of [[-6, 0.501187], [20 * Math.log10(0.5), 0.5]] as const) {
      const arr = arrangement(track('t', [createClip('c', take('s'), 1000, 0, { gainDb: db })], { pan: -1 }));
      const r = await mixArrangement(arr, src);
      const s = sine(440, R, 1000);
      for (const i of [7, 55, 300, 999]) expect(r.mix[0][i]).toBeCloseTo(s[i] * want, 6);
      expect(Math.max(...r.mix[1].map(Math.abs))).toBe(0);
    }
  });

  it('a centred mono source gives cos(π/4) on both sides; track gain multiplies', async () => {
    const arr = arrangement(track('t', [createClip('c', take('d'), 10, 0)], { gainDb: -3 }));
    const r = await mixArrangement(arr, sourceTable({ d: mono(dc(10)) }));
    expect(r.mix[0][3]).toBeCloseTo(Math.SQRT1_2 * dbToGain(-3), 6);
    expect(r.mix[1][3]).toBeCloseTo(Math.SQRT1_2 * dbToGain(-3), 6);
  });

  it('a stereo source at centre passes through unchanged; at hard left R folds into L', async () => {
    const st: SourceAudio = { sampleRate: R, channels: [dc(10, 0.25), dc(10, 0.5)] };
    const centre = await mixArrangement(arrangement(track('t', [createClip('c', take('st'), 10, 0)])), sourceTable({ st }));
    expect(centre.mix[0][0]).toBeCloseTo(0.25, 7);
    expect(centre.mix[1][0]).toBe(0.5);
    const left = await mixArrangement(arrangement(track('t', [createClip('c', take('st'), 10, 0)], { pan: -1 })), sourceTable({ st }));
    expect(left.mix[0][0]).toBe(0.75);
    expect(left.mix[1][0]).toBeCloseTo(0, 7);
  });

  it('overlapping clips on one track sum; source offset and trimmed length pick the right frames', async () => {
    const imp = impulses(1000, 10); // frame 10k holds (k + 1)/100
    const arr = arrangement(
      track('t', [createClip('a', take('i'), 1000, 5, { sourceOffset: 20, length: 31 }), createClip('b', take('d'), 100, 0, { length: 40 })], { pan: -1 }),
    );
    const r = await mixArrangement(arr, sourceTable({ i: mono(imp), d: mono(dc(100, 0.5)) }));
    expect(r.frames).toBe(40);
    // Clip a plays source frames 20..50 at timeline 5..35: impulses at source 20, 30, 40, 50 → timeline 5, 15, 25, 35.
    expect(r.mix[0][5]).toBeCloseTo(0.5 + 3 / 100, 6);
    expect(r.mix[0][15]).toBeCloseTo(0.5 + 4 / 100, 6);
    expect(r.mix[0][35]).toBeCloseTo(0.5 + 6 / 100, 6);
    expect(r.mix[0][36]).toBe(0.5); // trimmed: source frame 60 is not played
    expect(r.mix[0][6]).toBe(0.5);
  });

  it('mixdown is exactly the float32 sum of stems, and the render does not depend on block size', async () => {
    const arr = arrangement(
      track('a', [createClip('a', take('s'), 5000, 0, { fadeIn: 700, fadeOut: 900 })], { pan: 0.4 }),
      track('b', [createClip('b', take('s'), 5000, 1234, { length: 3000, gainDb: -4 })], { pan: -0.8, gainDb: 3 }),
    );
    const src = sourceTable({ s: mono(sine(123, R, 5000, 0.9)) });
    const big = await mixArrangement(arr, src, { blockSize: 8192 });
    const small = await mixArrangement(arr, src, { blockSize: 61 });
    expect(small.mix).toEqual(big.mix);
    expect(small.stems).toEqual(big.stems);
    for (let c = 0; c < 2; c++) {
      const sum = new Float32Array(big.frames);
      for (const s of big.stems) for (let i = 0; i < sum.length; i++) sum[i] += s.channels[c][i];
      expect(big.mix[c]).toEqual(sum);
    }
  });

  it('splitting a clip (no fade at the cut) renders identically', async () => {
    const arr = arrangement(track('t', [createClip('c', take('s'), 3000, 100, { sourceOffset: 50, length: 2500, fadeIn: 100, fadeOut: 300, gainDb: -2 })], { pan: 0.3 }));
    const split = applyEdit(arr, { type: 'splitClip', clipId: 'c', at: 1111, newClipId: 'c2' }).next;
    const src = sourceTable({ s: mono(sine(333, R, 3000)) });
    expect((await mixArrangement(split, src)).mix).toEqual((await mixArrangement(arr, src)).mix);
  });

  it('renders a range only, and an empty arrangement to zero frames', async () => {
    const arr = arrangement(track('t', [createClip('c', take('i'), 1000, 100)], { pan: -1 }));
    const src = sourceTable({ i: mono(impulses(1000, 10)) });
    const r = await mixArrangement(arr, src, { range: { start: 150, end: 250 } });
    expect(r.frames).toBe(100);
    expect(r.mix[0][0]).toBeCloseTo(6 / 100, 7); // timeline 150 = source frame 50
    expect((await mixArrangement(arrangement(), src)).frames).toBe(0);
  });

  it('resamples each distinct source once, straight to the output rate, and refuses without a resampler', async () => {
    const arr = arrangement(
      track('a', [createClip('a', take('lo'), 3000, 0), createClip('b', take('lo'), 3000, 3000)]),
      track('b', [createClip('c', take('lo'), 3000, 10)]),
    );
    const src = sourceTable({ lo: mono(dc(1000, 0.5), 16000) });
    const resample = vi.fn(linearResampler);
    const r = await mixArrangement(arr, src, { resample });
    expect(resample).toHaveBeenCalledTimes(1);
    expect(resample.mock.calls[0].slice(1)).toEqual([16000, 48000]);
    expect(r.frames).toBe(6000);
    await expect(mixArrangement(arr, src)).rejects.toThrow(/16000 Hz, output is 48000 Hz, and no resampler/);
    // At a 44.1 kHz output, positions scale by 44100/48000 (the second clip starts at 2756.25 → 2756).
    const r44 = await mixArrangement(arr, src, { resample, rate: 44100 });
    expect(r44.frames).toBe(5513);
    expect(resample.mock.calls.at(-1)!.slice(1)).toEqual([16000, 44100]);
  });

  it('muted and non-soloed tracks render silent stems but keep their place', async () => {
    const arr = arrangement(track('a', [createClip('a', take('d'), 10, 0)], { mute: true }), track('b', [createClip('b', take('d'), 10, 0)]));
    const plan = await planMix(arr, sourceTable({ d: mono(dc(10)) }));
    expect(plan.tracks.map((t) => t.audible)).toEqual([false, true]);
    const [block] = [...mixBlocks(plan, 16)];
    expect(Array.from(block.stems[0][0])).toEqual(new Array(10).fill(0));
    expect(block.mix[0][0]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('rejects an invalid arrangement before rendering', async () => {
    const bad = arrangement(track('a', [{ ...createClip('a', take('d'), 10, 0), length: 11 }]));
    await expect(mixArrangement(bad, sourceTable({ d: mono(dc(10)) }))).rejects.toThrow(/runs past the end of the source/);
  });
});
