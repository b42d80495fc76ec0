/**
 * Pure timeline math for the arrange view: frames ↔ pixels, zoom, the ruler's ticks, snapping and
 * the clamped results of dragging a clip's body, edges and fade handles. No DOM, no Svelte, so the
 * unit tests cover it under Node and the view stays thin.
 */
import { barFrames, beatFrames, clipEnd, snapToGrid, type Arrangement, type Clip } from '../../../src-shared/arrange/model';

export type Snap = 'bar' | 'beat' | 'off';
type Tempo = Pick<Arrangement, 'sampleRate' | 'tempo' | 'timeSignature'>;

/** Zoom limits in pixels per second: a few minutes on screen … single cycles of a bass note. */
export const ZOOM_MIN = 4;
export const ZOOM_MAX = 4000;
/** One zoom step (+/−, Ctrl+wheel notch). */
export const ZOOM_STEP = 1.25;

export function clampZoom(pxPerSecond: number): number {
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, pxPerSecond));
}

/** The scrollLeft that keeps the frame under `anchorX` (relative to the viewport) in place across a zoom. */
export function scrollForZoom(scrollLeft: number, anchorX: number, oldPxPerFrame: number, newPxPerFrame: number): number {
  const frameAtAnchor = (scrollLeft + anchorX) / oldPxPerFrame;
  return Math.max(0, frameAtAnchor * newPxPerFrame - anchorX);
}

/** Snaps a frame to the bar or beat grid (nearest), or rounds it to a whole frame when snapping is off. */
export function snapFrame(arr: Tempo, frame: number, snap: Snap): number {
  if (snap === 'off') return Math.max(0, Math.round(frame));
  return snapToGrid(arr, frame, snap);
}

/** Clips that intersect [start, end) — what the view draws (the rest stay out of the DOM). */
export function visibleClips(clips: readonly Clip[], start: number, end: number): Clip[] {
  const out: Clip[] = [];
  for (const c of clips) if (c.position < end && clipEnd(c) > start) out.push(c);
  return out;
}

export interface RulerTick {
  frame: number;
  /** Bars carry a label; beats are minor lines. */
  kind: 'bar' | 'beat';
  label?: string;
}

/**
 * Ticks for [start, end): every bar (or every 2nd, 4th… bar when zoomed out, so labels stay at
 * least `minLabelPx` apart) and beats when they are at least `minBeatPx` apart.
 */
export function rulerTicks(arr: Tempo, start: number, end: number, pxPerFrame: number, minLabelPx = 56, minBeatPx = 12): RulerTick[] {
  const bar = barFrames(arr);
  const beat = beatFrames(arr);
  let barStep = 1;
  while (bar * barStep * pxPerFrame < minLabelPx) barStep *= 2;
  const showBeats = barStep === 1 && beat * pxPerFrame >= minBeatPx;
  const ticks: RulerTick[] = [];
  const firstBar = Math.max(0, Math.floor(start / bar / barStep) * barStep);
  for (let b = firstBar; b * bar < end; b += barStep) {
    const frame = Math.round(b * bar);
    if (frame >= start) ticks.push({ frame, kind: 'bar', label: String(b + 1) });
    if (showBeats) {
      for (let k = 1; k < arr.timeSignature.numerator; k++) {
        const f = Math.round(b * bar + k * beat);
        if (f >= start && f < end) ticks.push({ frame: f, kind: 'beat' });
      }
    }
  }
  return ticks;
}

/** "mm:ss.mmm" of a frame count. */
export function formatClock(frames: number, rate: number): string {
  const ms = Math.max(0, Math.round((frames / rate) * 1000));
  const m = Math.floor(ms / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

// ---- drag results (all clamped so the edit they become is always valid) ----------------------

/** Position of a moved clip: snapped (the clip's start lands on the grid) and never before 0. */
export function movedPosition(arr: Tempo, clip: Clip, deltaFrames: number, snap: Snap): number {
  return snapFrame(arr, Math.max(0, clip.position + deltaFrames), snap);
}

/** New start of a clip whose left edge is dragged to `frame`: not before the source start, leaves ≥ 1 frame. */
export function trimmedStart(arr: Tempo, clip: Clip, frame: number, snap: Snap): number {
  const earliest = Math.max(0, clip.position - clip.sourceOffset);
  const latest = clipEnd(clip) - 1;
  return Math.min(latest, Math.max(earliest, snapFrame(arr, frame, snap)));
}

/** New end of a clip whose right edge is dragged to `frame`: not past the source end, leaves ≥ 1 frame. */
export function trimmedEnd(arr: Tempo, clip: Clip, frame: number, snap: Snap): number {
  const earliest = clip.position + 1;
  const latest = clip.position + clip.sourceLength - clip.sourceOffset;
  return Math.min(latest, Math.max(earliest, snapFrame(arr, frame, snap)));
}

/** Fade length when a fade handle is dragged to `frame` on the timeline (fades are not snapped). */
export function fadeLength(clip: Clip, which: 'in' | 'out', frame: number): number {
  const f = which === 'in' ? frame - clip.position : clipEnd(clip) - frame;
  return Math.min(clip.length, Math.max(0, Math.round(f)));
}

/** The clip with a trim applied the way `trimStart`/`trimEnd` edits do (for the live drag preview). */
export function previewTrim(clip: Clip, edge: 'start' | 'end', frame: number): Clip {
  if (edge === 'end') {
    const length = frame - clip.position;
    return { ...clip, length, fadeIn: Math.min(clip.fadeIn, length), fadeOut: Math.min(clip.fadeOut, length) };
  }
  const delta = frame - clip.position;
  const length = clip.length - delta;
  return { ...clip, position: frame, sourceOffset: clip.sourceOffset + delta, length, fadeIn: Math.min(clip.fadeIn, length), fadeOut: Math.min(clip.fadeOut, length) };
}

/** Track index under a pointer that moved `dy` pixels from a clip on track `from`, clamped to the tracks. */
export function trackAfterDrag(from: number, dy: number, rowHeight: number, trackCount: number): number {
  return Math.min(trackCount - 1, Math.max(0, from + Math.round(dy / rowHeight)));
}

/** The source part a clip shows, as fractions of the source (for Waveform's from/to). */
export function clipSourceSpan(clip: Clip): { from: number; to: number } {
  const n = Math.max(1, clip.sourceLength);
  return { from: clip.sourceOffset / n, to: (clip.sourceOffset + clip.length) / n };
}

/** A short duration for lists: "0.48 s", "12.3 s", "2:05". */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
