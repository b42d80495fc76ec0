import { describe, expect, it } from 'vitest';
import { muLawEncode } from '../../../src-shared/audio/mulaw';
import { fromOnset, heldOutSegment, MAX_HOLDOUT_FRACTION, splitClips, WindowSampler } from '../../../src-main/training/sampler';
import { mulberry32 } from '../../../src-shared/random';
import { library, wave } from './helpers';

const clips = Array.from({ length: 10 }, (_, k) => ({ id: `c${k}`, label: k % 2, audio: wave(k % 2 ? 'saw' : 'sine', 1000 + 100 * k, 20 + k) }));

describe('WindowSampler', () => {
  it('draws seeded windows of receptive field + T with targets from the clip', async () => {
    const lib = library(clips);
    const mk = () => new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: 33, T: 64, seed: 3 });
    const a = await mk().nextBatch(5);
    const b = await mk().nextBatch(5);
    expect(a.B).toBe(5);
    expect(a.L).toBe(33 + 64 - 1);
    expect(a.inputs.length).toBe(5 * a.L);
    expect(a.targets.length).toBe(5 * 64);
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
    // Each target is the input one step later (same window).
    for (let j = 0; j < 63; j++) expect(a.targets[j]).toBe(a.inputs[a.L - 64 + j + 1]);
    // And windows are real μ-law audio from a clip with the batch's label.
    expect(clips.some((c) => c.label === a.labels[0] && findIn(muLawEncode(c.audio), a.targets.subarray(0, 64)))).toBe(true);
    const other = await new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: 33, T: 64, seed: 4 }).nextBatch(5);
    expect(Array.from(other.inputs)).not.toEqual(Array.from(a.inputs));
  });

  it('holds out a time segment of every clip (≤ 15%, after the attack) and trains on every clip', async () => {
    // One clip per label, as in a small library: every label must still train. Noise, so a run of
    // targets identifies where in its clip it came from.
    const long = Array.from({ length: 6 }, (_, k) => ({ id: `l${k}`, label: k, audio: noise(12_000 + 1000 * k, k + 1) }));
    const lib = library(long);
    const RF = 33;
    const T = 64;
    const s = new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: RF, T, seed: 1, validationFraction: 0.1 });
    expect(s.scheme).toBe('segment');
    expect(s.train.map((c) => c.id).sort()).toEqual(long.map((c) => c.id).sort());
    expect(s.validation).toHaveLength(long.length);
    expect(s.heldOutShare).toBeGreaterThan(0.05);
    expect(s.heldOutShare).toBeLessThanOrEqual(MAX_HOLDOUT_FRACTION);
    for (const c of long) {
      const seg = s.segments.get(c.id)!;
      expect(seg.start).toBeGreaterThanOrEqual(Math.min(4000, c.audio.length / 4));
      expect(seg.start + seg.length).toBeLessThanOrEqual(c.audio.length);
      expect(seg.length / c.audio.length).toBeLessThanOrEqual(MAX_HOLDOUT_FRACTION);
    }
    // A fraction above the cap is capped.
    expect(heldOutSegment('x', 40_000, 1, 0.5, 4000, 100)!.length).toBeLessThanOrEqual(0.15 * 40_000);

    // No training target ever falls in a held-out segment: find each window's targets in its clip.
    const encoded = new Map(long.map((c) => [c.label, muLawEncode(c.audio)]));
    for (let i = 0; i < 40; i++) {
      const b = await s.nextBatch(4);
      for (let k = 0; k < b.B; k++) {
        const clip = long[b.labels[k]];
        const seg = s.segments.get(clip.id)!;
        const classes = encoded.get(clip.label)!;
        const targets = b.targets.subarray(k * T, (k + 1) * T);
        const at = positionsOf(classes, targets);
        expect(at).toHaveLength(1);
        expect(at[0] + T <= seg.start || at[0] >= seg.start + seg.length).toBe(true);
      }
    }

    // Validation scores every held-out sample exactly once, with the clip's own audio as context.
    const vb = await s.validationBatches();
    const scored = vb.reduce((n, b) => n + b.B * b.T, 0);
    expect(scored).toBe([...s.segments.values()].reduce((n, g) => n + g.length, 0));
    for (const b of vb) {
      for (let k = 0; k < b.B; k++) {
        const clip = long[b.labels[k]];
        const seg = s.segments.get(clip.id)!;
        const classes = encoded.get(clip.label)!;
        const [p] = positionsOf(classes, b.targets.subarray(k * b.T, (k + 1) * b.T));
        expect(p >= seg.start && p + b.T <= seg.start + seg.length).toBe(true);
      }
    }
  });

  it('keeps held-out targets out of training when the loader trims clips to their onset', async () => {
    const clips = Array.from({ length: 3 }, (_, k) => {
      const audio = noise(10_000, 20 + k);
      audio.fill(0, 0, 60); // 60 samples of silence before the onset
      return { id: `t${k}`, label: k, audio };
    });
    const refs = clips.map((c) => ({ id: c.id, label: c.label, frames: c.audio.length }));
    const trimmed = new Map(clips.map((c) => [c.id, fromOnset(c.audio)]));
    expect(trimmed.get('t0')!.length).toBe(10_000 - 60 + 4);
    const T = 64;
    const s = new WindowSampler({ clips: refs, loader: async (id) => ({ label: clips.find((c) => c.id === id)!.label, audio: trimmed.get(id)! }), receptiveField: 33, T, seed: 4, validationFraction: 0.15, onsetShare: 0.3 });
    const vb = await s.validationBatches();
    const held = new Map<number, [number, number]>();
    for (const b of vb) {
      for (let k = 0; k < b.B; k++) {
        const [p] = positionsOf(muLawEncode(trimmed.get(clips[b.labels[k]].id)!), b.targets.subarray(k * b.T, (k + 1) * b.T));
        const span = held.get(b.labels[k]);
        held.set(b.labels[k], span ? [Math.min(span[0], p), Math.max(span[1], p + b.T)] : [p, p + b.T]);
      }
    }
    expect(held.size).toBe(3);
    for (let i = 0; i < 30; i++) {
      const b = await s.nextBatch(4);
      for (let k = 0; k < b.B; k++) {
        const [a, e] = held.get(b.labels[k])!;
        const [p] = positionsOf(muLawEncode(trimmed.get(clips[b.labels[k]].id)!), b.targets.subarray(k * T, (k + 1) * T));
        expect(p + T <= a || p >= e).toBe(true);
      }
    }
  });

  it('holds out nothing from clips too short to spare a segment, and still trains on them', async () => {
    const short = [0, 1].map((k) => ({ id: `s${k}`, label: k, audio: wave('sine', 300, 20) }));
    const lib = library(short);
    const s = new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: 33, T: 64, seed: 1 });
    expect(s.validation).toHaveLength(0);
    expect(s.train).toHaveLength(2);
    expect((await s.validationBatches()).length).toBe(0);
  });

  it('keeps whole-clip hold-out for runs that began with it (validationIds)', async () => {
    const { train, validation } = splitClips(library(clips).refs, 1, 0.2);
    expect(validation.map((c) => c.label).sort()).toEqual([0, 1]);
    expect(train.length + validation.length).toBe(10);
    const held = new Set(validation.map((c) => c.id));
    const lib = library(clips);
    const seen = new Set<string>();
    const orig = lib.loader;
    const spy = new WindowSampler({ clips: lib.refs, loader: async (id) => (seen.add(id), orig(id)), receptiveField: 9, T: 16, seed: 1, validationIds: [...held] });
    expect(spy.scheme).toBe('clips');
    for (let i = 0; i < 20; i++) await spy.nextBatch(4);
    for (const id of seen) expect(held.has(id)).toBe(false);
    const vb = await spy.validationBatches(4, 2);
    expect(vb.reduce((n, b) => n + b.B, 0)).toBe(2 * validation.length);
  });

  it('keeps the clip cache within its byte budget, reloading evicted clips', async () => {
    const lib = library(clips);
    const s = new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: 9, T: 16, seed: 2, validationFraction: 0, cacheBytes: 2500 });
    let maxBytes = 0;
    for (let i = 0; i < 30; i++) {
      await s.nextBatch(2);
      maxBytes = Math.max(maxBytes, s.cache.bytes);
    }
    expect(maxBytes).toBeLessThanOrEqual(2500);
    expect(lib.loads()).toBeGreaterThan(10); // clips were evicted and loaded again
  });

  it('restores its position exactly from state()', async () => {
    const lib = library(clips);
    const a = new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: 9, T: 16, seed: 5 });
    await a.nextBatch(3);
    const st = a.state();
    const next = await a.nextBatch(3);
    // Same seed (it also fixes the validation split), fresh position, then restored.
    const b = new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: 9, T: 16, seed: 5 });
    b.setState(st);
    expect(Array.from((await b.nextBatch(3)).inputs)).toEqual(Array.from(next.inputs));
  });
});

/** Seeded white noise in [-0.5, 0.5). */
function noise(frames: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: frames }, () => r() - 0.5);
}

/** Every start position of `needle` in `hay`. */
function positionsOf(hay: ArrayLike<number>, needle: ArrayLike<number>): number[] {
  const out: number[] = [];
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    out.push(i);
  }
  return out;
}

function findIn(hay: ArrayLike<number>, needle: ArrayLike<number>): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
