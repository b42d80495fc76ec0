import { describe, expect, it } from 'vitest';
import { muLawEncode } from '../../../src-main/audio/mulaw';
import { splitClips, WindowSampler } from '../../../src-main/training/sampler';
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

  it('holds out whole clips per label and never trains on them', async () => {
    const { train, validation } = splitClips(library(clips).refs, 1, 0.2);
    expect(validation.map((c) => c.label).sort()).toEqual([0, 1]);
    expect(train.length + validation.length).toBe(10);
    const held = new Set(validation.map((c) => c.id));
    const lib = library(clips);
    const s = new WindowSampler({ clips: lib.refs, loader: lib.loader, receptiveField: 9, T: 16, seed: 1, validationFraction: 0.2, cacheBytes: 1 << 20 });
    expect(new Set(s.validation.map((c) => c.id))).toEqual(held);
    const seen = new Set<string>();
    const orig = lib.loader;
    const spy = new WindowSampler({ clips: lib.refs, loader: async (id) => (seen.add(id), orig(id)), receptiveField: 9, T: 16, seed: 1, validationFraction: 0.2 });
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

function findIn(hay: ArrayLike<number>, needle: ArrayLike<number>): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
