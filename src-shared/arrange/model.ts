/**
 * The arrangement model: Ardour's clip ("region") model reduced to what Wavehouse needs.
 *
 * Every time and length is an integer count of sample frames at the arrangement's own sample rate.
 * Why samples and not seconds: clip edges, fades and the loop must land on exact frames so that a
 * split, a trim or an undo restores bit-identical audio; seconds would need rounding on every use
 * and two edits that look equal in seconds could differ by a frame. Integers also serialise to JSON
 * without drift. Musical time (bars/beats) is derived on demand from tempo and time signature, so a
 * tempo change does not move clips (they live in audio time, like Ardour's default audio regions).
 */

/** Where a clip's audio comes from: a generated take or an imported library sample. */
export interface SourceRef {
  kind: 'take' | 'sample';
  id: string;
}

/** One placement of a source on a track. */
export interface Clip {
  id: string;
  source: SourceRef;
  /** Frames of the source at the arrangement rate (after resampling); bounds sourceOffset + length. */
  sourceLength: number;
  /** Timeline start of the clip. */
  position: number;
  /** First source frame played. */
  sourceOffset: number;
  /** Frames played; the clip covers [position, position + length). */
  length: number;
  /** Fade lengths in frames, each within [0, length] (linear ramps, see export/laws.ts). */
  fadeIn: number;
  fadeOut: number;
  gainDb: number;
}

/** A track: a stereo channel strip holding clips (overlapping clips sum). */
export interface Track {
  id: string;
  name: string;
  /** CSS colour, e.g. "#e07a5f". */
  colour: string;
  gainDb: number;
  /** −1 (left) … 1 (right). */
  pan: number;
  mute: boolean;
  solo: boolean;
  clips: Clip[];
}

export interface TimeSignature {
  /** Beats per bar. */
  numerator: number;
  /** Note value of one beat (power of two). */
  denominator: number;
}

/** Loop region [start, end) in frames. */
export interface LoopRegion {
  start: number;
  end: number;
}

export interface Arrangement {
  /** Frames per second of every position in this arrangement; fixed at creation. */
  sampleRate: number;
  /** Quarter notes per minute (the DAW convention, independent of the time signature denominator). */
  tempo: number;
  timeSignature: TimeSignature;
  loop: LoopRegion | null;
  tracks: Track[];
}

/** Limits shared by validation and UI. */
export const LIMITS = {
  tempoMin: 20,
  tempoMax: 999,
  gainDbMin: -96,
  gainDbMax: 24,
  nameMax: 200,
} as const;

/** A new empty arrangement with DAW defaults (120 BPM, 4/4, no loop). */
export function createArrangement(opts: Partial<Omit<Arrangement, 'tracks'>> & { tracks?: Track[] } = {}): Arrangement {
  return {
    sampleRate: opts.sampleRate ?? 48000,
    tempo: opts.tempo ?? 120,
    timeSignature: opts.timeSignature ?? { numerator: 4, denominator: 4 },
    loop: opts.loop ?? null,
    tracks: opts.tracks ?? [],
  };
}

/** A new track with neutral mixer settings. */
export function createTrack(id: string, name: string, props: Partial<Omit<Track, 'id' | 'name'>> = {}): Track {
  return { id, name, colour: '#8aa1b1', gainDb: 0, pan: 0, mute: false, solo: false, clips: [], ...props };
}

/** A new clip playing the whole source from `position` with no fades and unity gain. */
export function createClip(id: string, source: SourceRef, sourceLength: number, position: number, props: Partial<Omit<Clip, 'id' | 'source' | 'sourceLength' | 'position'>> = {}): Clip {
  return { id, source: { ...source }, sourceLength, position, sourceOffset: 0, length: sourceLength, fadeIn: 0, fadeOut: 0, gainDb: 0, ...props };
}

/** Source length in arrangement frames for a source of `frames` at `sourceRate` (what a resampler yields). */
export function sourceLengthAt(frames: number, sourceRate: number, arrangementRate: number): number {
  return sourceRate === arrangementRate ? frames : Math.round((frames * arrangementRate) / sourceRate);
}

/** Exclusive end frame of a clip. */
export function clipEnd(clip: Clip): number {
  return clip.position + clip.length;
}

/** True when [aStart, aEnd) and [bStart, bEnd) share at least one frame. */
export function rangesOverlap(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/** Clips of a track that sound anywhere in [start, end), in track order. */
export function clipsInRange(track: Track, start: number, end: number): Clip[] {
  return track.clips.filter((c) => rangesOverlap(c.position, clipEnd(c), start, end));
}

/** Pairs of clips on the same track that overlap in time (they will sum when mixed). */
export function overlappingClips(track: Track): Array<[Clip, Clip]> {
  const sorted = [...track.clips].sort((a, b) => a.position - b.position);
  const pairs: Array<[Clip, Clip]> = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].position < clipEnd(sorted[i]); j++) pairs.push([sorted[i], sorted[j]]);
  }
  return pairs;
}

/** End frame of the last clip on any track (0 for an empty arrangement). */
export function arrangementEnd(arr: Arrangement): number {
  let end = 0;
  for (const t of arr.tracks) for (const c of t.clips) end = Math.max(end, clipEnd(c));
  return end;
}

/** Where a clip lives: its track, the track's index and the clip's index in that track. */
export interface ClipLocation {
  track: Track;
  trackIndex: number;
  clip: Clip;
  clipIndex: number;
}

/** Finds a clip by id anywhere in the arrangement, or null. */
export function findClip(arr: Arrangement, clipId: string): ClipLocation | null {
  for (let ti = 0; ti < arr.tracks.length; ti++) {
    const track = arr.tracks[ti];
    const ci = track.clips.findIndex((c) => c.id === clipId);
    if (ci >= 0) return { track, trackIndex: ti, clip: track.clips[ci], clipIndex: ci };
  }
  return null;
}

/** Index of a track by id, or −1. */
export function trackIndex(arr: Arrangement, trackId: string): number {
  return arr.tracks.findIndex((t) => t.id === trackId);
}

// ---- musical time ----------------------------------------------------------------------------

/** Ticks per beat in bars|beats|ticks positions (960 PPQ-style resolution, as in most DAWs). */
export const TICKS_PER_BEAT = 960;

/** Frames in one quarter note (fractional). */
export function quarterFrames(arr: Pick<Arrangement, 'sampleRate' | 'tempo'>): number {
  return (arr.sampleRate * 60) / arr.tempo;
}

/** Frames in one beat of the time signature (a 1/denominator note; fractional). */
export function beatFrames(arr: Pick<Arrangement, 'sampleRate' | 'tempo' | 'timeSignature'>): number {
  return (quarterFrames(arr) * 4) / arr.timeSignature.denominator;
}

/** Frames in one bar (fractional). */
export function barFrames(arr: Pick<Arrangement, 'sampleRate' | 'tempo' | 'timeSignature'>): number {
  return beatFrames(arr) * arr.timeSignature.numerator;
}

/** A musical position: 1-based bar and beat, ticks within the beat. */
export interface BarsBeats {
  bar: number;
  beat: number;
  tick: number;
}

/** Musical position of a frame; ticks are rounded to the nearest tick (carrying into beat/bar). */
export function framesToBarsBeats(arr: Pick<Arrangement, 'sampleRate' | 'tempo' | 'timeSignature'>, frames: number): BarsBeats {
  const totalTicks = Math.round((frames / beatFrames(arr)) * TICKS_PER_BEAT);
  const beatsTotal = Math.floor(totalTicks / TICKS_PER_BEAT);
  const tick = totalTicks - beatsTotal * TICKS_PER_BEAT;
  const n = arr.timeSignature.numerator;
  return { bar: Math.floor(beatsTotal / n) + 1, beat: (beatsTotal % n) + 1, tick };
}

/** Frame of a musical position (rounded to the nearest frame). */
export function barsBeatsToFrames(arr: Pick<Arrangement, 'sampleRate' | 'tempo' | 'timeSignature'>, pos: { bar: number; beat?: number; tick?: number }): number {
  const beats = (pos.bar - 1) * arr.timeSignature.numerator + ((pos.beat ?? 1) - 1) + (pos.tick ?? 0) / TICKS_PER_BEAT;
  return Math.round(beats * beatFrames(arr));
}

/** Grid for snapping: a bar, a beat, or a 1/n note (n = 4 is a quarter, 16 a sixteenth…). */
export type Grid = 'bar' | 'beat' | { note: number };

/** Frames in one grid step (fractional). */
export function gridFrames(arr: Pick<Arrangement, 'sampleRate' | 'tempo' | 'timeSignature'>, grid: Grid): number {
  if (grid === 'bar') return barFrames(arr);
  if (grid === 'beat') return beatFrames(arr);
  return (quarterFrames(arr) * 4) / grid.note;
}

/** Snaps a frame to the grid (nearest by default); grid lines are rounded to whole frames. */
export function snapToGrid(arr: Pick<Arrangement, 'sampleRate' | 'tempo' | 'timeSignature'>, frames: number, grid: Grid, mode: 'nearest' | 'floor' | 'ceil' = 'nearest'): number {
  const step = gridFrames(arr, grid);
  const q = frames / step;
  // Tolerate float error so a frame already on a (rounded) grid line does not jump a whole step.
  const k = mode === 'floor' ? Math.floor(q + 1e-9) : mode === 'ceil' ? Math.ceil(q - 1e-9) : Math.round(q);
  return Math.max(0, Math.round(k * step));
}

/** Seconds of a frame count at the arrangement rate. */
export function framesToSeconds(arr: Pick<Arrangement, 'sampleRate'>, frames: number): number {
  return frames / arr.sampleRate;
}

/** Frame count of a duration in seconds at the arrangement rate (rounded). */
export function secondsToFrames(arr: Pick<Arrangement, 'sampleRate'>, seconds: number): number {
  return Math.round(seconds * arr.sampleRate);
}
