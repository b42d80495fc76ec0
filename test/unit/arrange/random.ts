/** Seeded random arrangements and edits for property-style tests. */
import type { Arrangement, Clip, Edit, Track } from '../../../src-main/arrange';
import { clipEnd, createArrangement, createTrack } from '../../../src-main/arrange';
import { mulberry32 as prng } from '../../../src-shared/random';

/** The shared seeded PRNG, under the name these tests use. */
export { mulberry32 as prng } from '../../../src-shared/random';

export class Rand {
  private next: () => number;
  private counter = 0;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  id(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }
}

/** A random valid clip. */
export function randomClip(r: Rand, id = r.id('c')): Clip {
  const sourceLength = r.int(10, 5000);
  const sourceOffset = r.int(0, sourceLength - 1);
  const length = r.int(1, sourceLength - sourceOffset);
  return {
    id,
    source: { kind: r.pick(['take', 'sample'] as const), id: r.id('s') },
    sourceLength,
    position: r.int(0, 20000),
    sourceOffset,
    length,
    fadeIn: r.int(0, length),
    fadeOut: r.int(0, length),
    gainDb: r.int(-240, 120) / 10,
  };
}

/** A random valid track with a few clips. */
export function randomTrack(r: Rand): Track {
  const t = createTrack(r.id('t'), `Track ${r.int(1, 99)}`, { gainDb: r.int(-200, 60) / 10, pan: r.int(-10, 10) / 10, mute: r.bool(0.2), solo: r.bool(0.2) });
  t.clips = Array.from({ length: r.int(0, 4) }, () => randomClip(r));
  return t;
}

/** A random valid arrangement. */
export function randomArrangement(r: Rand): Arrangement {
  return createArrangement({ sampleRate: 48000, tempo: r.int(60, 180), tracks: Array.from({ length: r.int(1, 4) }, () => randomTrack(r)) });
}

function anyClip(r: Rand, arr: Arrangement): Clip | null {
  const clips = arr.tracks.flatMap((t) => t.clips);
  return clips.length ? r.pick(clips) : null;
}

/**
 * A random edit for `arr`: mostly valid, sometimes deliberately invalid (bad ids, trims past the
 * source, negative positions) so that rejection paths are exercised too.
 */
export function randomEdit(r: Rand, arr: Arrangement, depth = 0): Edit {
  const c = anyClip(r, arr) ?? randomClip(r, 'missing');
  const t = arr.tracks.length ? r.pick(arr.tracks) : createTrack('missing', 'x');
  const wild = r.bool(0.1); // push values outside their valid ranges
  const kinds = ['addTrack', 'removeTrack', 'moveTrack', 'renameTrack', 'setTrack', 'addClip', 'removeClips', 'moveClip', 'trimStart', 'trimEnd', 'setFades', 'setClip', 'splitClip', 'duplicateClips', 'setTempo', 'setTimeSignature', 'setLoop', 'batch'] as const;
  const kind = r.pick(depth > 0 ? kinds.slice(0, -1) : kinds);
  switch (kind) {
    case 'addTrack':
      return { type: 'addTrack', track: randomTrack(r), ...(r.bool() ? { index: r.int(0, arr.tracks.length + (wild ? 3 : 0)) } : {}) };
    case 'removeTrack':
      return { type: 'removeTrack', trackId: wild ? 'nope' : t.id };
    case 'moveTrack':
      return { type: 'moveTrack', trackId: t.id, index: r.int(0, Math.max(0, arr.tracks.length - 1) + (wild ? 2 : 0)) };
    case 'renameTrack':
      return { type: 'renameTrack', trackId: t.id, name: wild ? '   ' : `Renamed ${r.int(0, 999)}` };
    case 'setTrack':
      return { type: 'setTrack', trackId: t.id, props: r.pick([{ gainDb: r.int(-100, 100) / 10 }, { pan: wild ? 1.5 : r.int(-10, 10) / 10 }, { mute: r.bool() }, { solo: r.bool(), colour: '#123456' }]) };
    case 'addClip':
      return { type: 'addClip', trackId: t.id, clip: wild ? { ...randomClip(r), position: -5 } : randomClip(r), ...(r.bool() ? { index: r.int(0, t.clips.length) } : {}) };
    case 'removeClips': {
      const ids = arr.tracks.flatMap((tr) => tr.clips.map((x) => x.id)).filter(() => r.bool(0.4));
      return { type: 'removeClips', clipIds: ids.length ? ids : [c.id] };
    }
    case 'moveClip': {
      const to = r.bool(0.5) ? r.pick(arr.tracks.length ? arr.tracks : [t]) : undefined;
      return { type: 'moveClip', clipId: c.id, position: wild ? -1 : r.int(0, 30000), ...(to ? { trackId: to.id } : {}), ...(to && r.bool() ? { index: r.int(0, to.clips.length) } : {}) };
    }
    case 'trimStart':
      return { type: 'trimStart', clipId: c.id, start: Math.max(0, c.position + r.int(-c.sourceOffset - (wild ? 50 : 0), c.length - (wild ? 0 : 1))) };
    case 'trimEnd':
      return { type: 'trimEnd', clipId: c.id, end: clipEnd(c) + r.int(-(c.length - 1), c.sourceLength - c.sourceOffset - c.length + (wild ? 50 : 0)) };
    case 'setFades':
      return { type: 'setFades', clipId: c.id, fadeIn: r.int(0, c.length + (wild ? 10 : 0)), ...(r.bool() ? { fadeOut: r.int(0, c.length) } : {}) };
    case 'setClip':
      return { type: 'setClip', clipId: c.id, props: r.pick([{ gainDb: r.int(-200, 100) / 10 }, { position: r.int(0, 9000) }, { sourceOffset: r.int(0, c.sourceLength) }]) };
    case 'splitClip':
      return { type: 'splitClip', clipId: c.id, at: c.position + r.int(wild ? 0 : 1, c.length - (wild ? 0 : 1)), newClipId: r.id('c') };
    case 'duplicateClips':
      return { type: 'duplicateClips', clipIds: [c.id], newClipIds: [r.id('c')], ...(r.bool() ? { offset: r.int(0, 4000) } : {}) };
    case 'setTempo':
      return { type: 'setTempo', tempo: wild ? 5 : r.int(40, 240) };
    case 'setTimeSignature':
      return { type: 'setTimeSignature', timeSignature: { numerator: r.int(1, 12), denominator: wild ? 3 : r.pick([2, 4, 8]) } };
    case 'setLoop':
      return { type: 'setLoop', loop: r.bool(0.2) ? null : (() => { const s = r.int(0, 10000); return { start: s, end: wild ? s : s + r.int(1, 10000) }; })() };
    case 'batch':
      return { type: 'batch', edits: Array.from({ length: r.int(1, 3) }, () => randomEdit(r, arr, depth + 1)) };
  }
}
