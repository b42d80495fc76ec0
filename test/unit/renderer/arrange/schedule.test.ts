import { describe, expect, it } from 'vitest';
import { createArrangement, createClip, createTrack, type Clip } from '../../../../src-shared/arrange/model';
import { dbToGain, envelopeAt } from '../../../../src-shared/mix/laws';
import { envelopeCorners, frameAtTime, nextLoopSegment, pieceGain, planPieces, type GainPoint } from '../../../../src-renderer/src/arrange/schedule';

/** Evaluates the piecewise-linear curve the way Web Audio does between a set value and linear ramps. */
function evaluate(points: GainPoint[], frame: number): number {
  if (frame <= points[0].frame) return points[0].value;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (frame <= b.frame) return a.value + ((b.value - a.value) * (frame - a.frame)) / (b.frame - a.frame);
  }
  return points[points.length - 1].value;
}

const src = { kind: 'sample' as const, id: 's' };
const clip = (props: Partial<Clip>): Clip => createClip('c', src, 1000, 100, { length: 600, ...props });

describe('clip envelopes for scheduling', () => {
  const cases: Array<Partial<Clip>> = [
    { fadeIn: 0, fadeOut: 0 },
    { fadeIn: 100, fadeOut: 0 },
    { fadeIn: 0, fadeOut: 250 },
    { fadeIn: 120, fadeOut: 200 },
    { fadeIn: 500, fadeOut: 400 }, // overlapping fades: the fade-out starts from where the fade-in got to
    { fadeIn: 600, fadeOut: 600 },
    { fadeIn: 100, fadeOut: 100, gainDb: -6 },
  ];

  it.each(cases)('equals the export envelope from any start frame (%o)', (props) => {
    const c = clip(props);
    const g = dbToGain(c.gainDb);
    for (const k0 of [0, 1, 57, 119, 120, 333, 400, 599]) {
      const points = pieceGain(c, k0, c.length);
      for (let k = k0; k < c.length; k++) {
        expect(evaluate(points, c.position + k)).toBeCloseTo(g * envelopeAt(k, c.length, c.fadeIn, c.fadeOut), 12);
      }
    }
  });

  it('has corners only where the slope changes', () => {
    expect(envelopeCorners({ length: 600, fadeIn: 0, fadeOut: 0 })).toEqual([0, 600]);
    expect(envelopeCorners({ length: 600, fadeIn: 100, fadeOut: 200 })).toEqual([0, 100, 400, 600]);
    expect(envelopeCorners({ length: 600, fadeIn: 500, fadeOut: 400 })).toEqual([0, 200, 600]);
  });
});

describe('planPieces', () => {
  const arr = createArrangement({
    tracks: [
      createTrack('a', 'A', { clips: [createClip('a1', src, 1000, 0, { length: 500 }), createClip('a2', src, 1000, 800, { sourceOffset: 100, length: 400 })] }),
      createTrack('b', 'B', { mute: true, clips: [createClip('b1', src, 1000, 0)] }),
      createTrack('c', 'C', { clips: [createClip('c1', src, 1000, 300)] }),
    ],
  });

  it('cuts clips to the range, with source offsets, skipping muted tracks', () => {
    const pieces = planPieces(arr, 400, 1000);
    expect(pieces.map((p) => [p.clipId, p.at, p.offset, p.length])).toEqual([
      ['a1', 400, 400, 100],
      ['c1', 400, 100, 600],
      ['a2', 800, 100, 200],
    ]);
  });

  it('lets solo override mute', () => {
    const soloed = { ...arr, tracks: arr.tracks.map((t) => (t.id === 'b' ? { ...t, solo: true } : t)) };
    expect(planPieces(soloed, 0, 2000).map((p) => p.clipId)).toEqual(['b1']);
  });

  it('maps the audio clock back to the timeline across loop passes', () => {
    const rate = 1000;
    const first = { from: 700, to: 1000, time: 10 };
    const second = nextLoopSegment(first, rate, { start: 500, end: 1000 });
    expect(second).toEqual({ from: 500, to: 1000, time: 10.3 });
    expect(frameAtTime([first, second], rate, 9)).toBe(700);
    expect(frameAtTime([first, second], rate, 10.1)).toBeCloseTo(800, 6);
    expect(frameAtTime([first, second], rate, 10.4)).toBeCloseTo(600, 6);
  });
});
