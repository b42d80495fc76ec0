/**
 * What to play for a stretch of the timeline, as plain data: the pieces of clips that sound in
 * [from, to) and each piece's gain envelope as breakpoints for Web Audio linear ramps. The live
 * player and the offline render both schedule from this, so the preview the user hears and the
 * render the tests compare with the export are the same code.
 *
 * Why our own envelope instead of Tone's Player fadeIn/fadeOut: Tone starts its fade-in at
 * whatever time the source starts, so starting playback in the middle of a fade (or of a clip
 * with a fade-in) would fade in again from zero. Breakpoints taken from laws.ts' envelope give the
 * exact export envelope from any starting frame.
 */
import { clipEnd, type Arrangement, type Clip, type SourceRef } from '../../../src-shared/arrange/model';
import { dbToGain, envelopeAt, isAudible } from '../../../src-shared/mix/laws';

/** A point of a piecewise-linear gain curve, on the timeline (arrangement frames). */
export interface GainPoint {
  frame: number;
  value: number;
}

/** One clip (or the part of it inside the scheduled range) ready to schedule. */
export interface Piece {
  trackIndex: number;
  clipId: string;
  source: SourceRef;
  /** Timeline frame where the piece starts sounding. */
  at: number;
  /** Source frame (at the arrangement rate) played at `at`. */
  offset: number;
  /** Frames the piece plays. */
  length: number;
  /** Gain (clip gain × fade envelope): set the first point, ramp linearly to each following one. */
  gain: GainPoint[];
}

/** Envelope value at clip frame k, extended to k = length (0 after a fade-out, else the held value). */
function envelopeEdge(c: Clip, k: number): number {
  if (k < c.length) return envelopeAt(k, c.length, c.fadeIn, c.fadeOut);
  if (c.fadeOut > 0) return 0;
  return c.fadeIn > 0 && k < c.fadeIn ? k / c.fadeIn : 1;
}

/** Corners of a clip's envelope in clip frames: between consecutive corners it is linear. */
export function envelopeCorners(c: Pick<Clip, 'length' | 'fadeIn' | 'fadeOut'>): number[] {
  const fadeOutStart = c.length - c.fadeOut;
  const corners = new Set<number>([0, c.length]);
  if (c.fadeIn > 0) corners.add(Math.min(c.fadeIn, fadeOutStart));
  if (c.fadeOut > 0) corners.add(fadeOutStart);
  return [...corners].filter((k) => k >= 0 && k <= c.length).sort((a, b) => a - b);
}

/**
 * Gain points for clip frames [k0, k1): the value at k0, then every corner after it up to the
 * first corner at or beyond k1 (ramping past the piece's end is harmless: the source stops there).
 */
export function pieceGain(c: Clip, k0: number, k1: number): GainPoint[] {
  const g = dbToGain(c.gainDb);
  const points: GainPoint[] = [{ frame: c.position + k0, value: g * envelopeEdge(c, k0) }];
  for (const k of envelopeCorners(c)) {
    if (k <= k0) continue;
    points.push({ frame: c.position + k, value: g * envelopeEdge(c, k) });
    if (k >= k1) break;
  }
  return points;
}

/** Pieces of every audible clip sounding in [from, to), sorted by start. Solo overrides mute (laws.ts). */
export function planPieces(arr: Arrangement, from: number, to: number): Piece[] {
  const anySolo = arr.tracks.some((t) => t.solo);
  const pieces: Piece[] = [];
  arr.tracks.forEach((track, trackIndex) => {
    if (!isAudible(track, anySolo)) return;
    for (const c of track.clips) {
      const start = Math.max(from, c.position);
      const end = Math.min(to, clipEnd(c));
      if (end <= start) continue;
      const k0 = start - c.position;
      pieces.push({ trackIndex, clipId: c.id, source: c.source, at: start, offset: c.sourceOffset + k0, length: end - start, gain: pieceGain(c, k0, end - c.position) });
    }
  });
  return pieces.sort((a, b) => a.at - b.at);
}

/** A stretch of the timeline mapped onto the audio clock: frame `from` plays at context time `time`. */
export interface Segment {
  from: number;
  to: number;
  time: number;
}

/**
 * The segment after `prev` when looping [loop.start, loop.end): playback runs from wherever it
 * started up to the loop end, then jumps back to the loop start, forever.
 */
export function nextLoopSegment(prev: Segment, rate: number, loop: { start: number; end: number }): Segment {
  return { from: loop.start, to: loop.end, time: prev.time + (prev.to - prev.from) / rate };
}

/** The timeline frame heard at context time `t`, given the segments played so far (oldest first). */
export function frameAtTime(segments: readonly Segment[], rate: number, t: number): number {
  if (segments.length === 0) return 0;
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (t >= s.time) return Math.min(s.to, s.from + (t - s.time) * rate);
  }
  return segments[0].from;
}

/** Stable key of a source for caches. */
export function sourceKey(ref: SourceRef): string {
  return `${ref.kind}:${ref.id}`;
}
