import { describe, expect, it } from 'vitest';
import {
  arrangementEnd,
  barFrames,
  barsBeatsToFrames,
  beatFrames,
  clipEnd,
  clipsInRange,
  createArrangement,
  createClip,
  createTrack,
  framesToBarsBeats,
  overlappingClips,
  snapToGrid,
  sourceLengthAt,
} from '../../../src-main/arrange';

const arr = createArrangement({ sampleRate: 48000, tempo: 120 });
const src = { kind: 'take' as const, id: 's' };

describe('musical time', () => {
  it('120 BPM 4/4 at 48 kHz: a beat is 24000 frames and a bar 96000', () => {
    expect(beatFrames(arr)).toBe(24000);
    expect(barFrames(arr)).toBe(96000);
  });

  it('6/8 counts eighth-note beats; BPM stays in quarter notes', () => {
    const a = { ...arr, timeSignature: { numerator: 6, denominator: 8 } };
    expect(beatFrames(a)).toBe(12000);
    expect(barFrames(a)).toBe(72000);
    expect(barsBeatsToFrames(a, { bar: 2, beat: 4 })).toBe(72000 + 3 * 12000);
  });

  it('bars|beats|ticks round-trips and carries ticks into beats', () => {
    expect(framesToBarsBeats(arr, 0)).toEqual({ bar: 1, beat: 1, tick: 0 });
    expect(framesToBarsBeats(arr, 96000 + 24000 + 12000)).toEqual({ bar: 2, beat: 2, tick: 480 });
    expect(barsBeatsToFrames(arr, { bar: 2, beat: 2, tick: 480 })).toBe(132000);
    expect(framesToBarsBeats(arr, 23999.99)).toEqual({ bar: 1, beat: 2, tick: 0 });
    // At 44.1 kHz and 97 BPM beats are fractional frames: positions round to the nearest frame.
    const b = createArrangement({ sampleRate: 44100, tempo: 97 });
    for (let bar = 1; bar < 50; bar++) expect(framesToBarsBeats(b, barsBeatsToFrames(b, { bar, beat: 3 }))).toEqual({ bar, beat: 3, tick: 0 });
  });

  it('snaps to bars, beats and note divisions in each mode', () => {
    expect(snapToGrid(arr, 130000, 'bar')).toBe(96000);
    expect(snapToGrid(arr, 150000, 'bar')).toBe(192000);
    expect(snapToGrid(arr, 25000, 'beat', 'floor')).toBe(24000);
    expect(snapToGrid(arr, 24001, 'beat', 'ceil')).toBe(48000);
    expect(snapToGrid(arr, 24000, 'beat', 'ceil')).toBe(24000);
    expect(snapToGrid(arr, 7000, { note: 16 })).toBe(6000);
    expect(snapToGrid(arr, -500, 'bar')).toBe(0);
  });
});

describe('clip helpers', () => {
  const t = createTrack('t', 'T');
  t.clips = [createClip('a', src, 1000, 0), createClip('b', src, 1000, 999), createClip('c', src, 500, 1999), createClip('d', src, 100, 5000)];

  it('clip end is exclusive and overlap needs a shared frame', () => {
    expect(clipEnd(t.clips[0])).toBe(1000);
    expect(overlappingClips(t).map(([x, y]) => x.id + y.id)).toEqual(['ab']);
    expect(clipsInRange(t, 1000, 2000).map((c) => c.id)).toEqual(['b', 'c']);
    expect(clipsInRange(t, 1000, 1999).map((c) => c.id)).toEqual(['b']);
    expect(clipsInRange(t, 1999, 2000).map((c) => c.id)).toEqual(['c']);
    expect(arrangementEnd({ ...arr, tracks: [t] })).toBe(5100);
    expect(arrangementEnd(arr)).toBe(0);
  });

  it('source length at the arrangement rate follows the resampling ratio', () => {
    expect(sourceLengthAt(16000, 16000, 48000)).toBe(48000);
    expect(sourceLengthAt(44100, 44100, 48000)).toBe(48000);
    expect(sourceLengthAt(123, 48000, 48000)).toBe(123);
  });
});
