import { EditError } from './errors';
import { LIMITS, type Arrangement, type Clip, type LoopRegion, type TimeSignature, type Track } from './model';

// Messages name the object and field so a rejected edit can be shown to the user as is.

function frameField(what: string, field: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new EditError('invalid-value', `${what}: ${field} must be a whole number of frames, got ${String(v)}`);
  if (v < min) throw new EditError('out-of-range', `${what}: ${field} must be ≥ ${min}, got ${v}`);
  return v;
}

function finiteField(what: string, field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new EditError('invalid-value', `${what}: ${field} must be a finite number, got ${String(v)}`);
  if (v < min || v > max) throw new EditError('out-of-range', `${what}: ${field} must be within [${min}, ${max}], got ${v}`);
  return v;
}

function idField(what: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new EditError('invalid-value', `${what}: id must be a non-empty string of at most 200 characters`);
  return v;
}

/** Throws EditError unless the clip is self-consistent (frames are integers, fits its source, fades fit). */
export function validateClip(clip: Clip): void {
  const what = `clip ${String(clip?.id)}`;
  idField(what, clip.id);
  if (!clip.source || (clip.source.kind !== 'take' && clip.source.kind !== 'sample')) throw new EditError('invalid-value', `${what}: source.kind must be "take" or "sample"`);
  idField(`${what} source`, clip.source.id);
  const sourceLength = frameField(what, 'sourceLength', clip.sourceLength, 1);
  frameField(what, 'position', clip.position, 0);
  const offset = frameField(what, 'sourceOffset', clip.sourceOffset, 0);
  const length = frameField(what, 'length', clip.length, 1);
  if (offset + length > sourceLength) {
    throw new EditError('out-of-range', `${what}: sourceOffset + length (${offset} + ${length}) runs past the end of the source (${sourceLength} frames)`);
  }
  const fadeIn = frameField(what, 'fadeIn', clip.fadeIn, 0);
  const fadeOut = frameField(what, 'fadeOut', clip.fadeOut, 0);
  if (fadeIn > length) throw new EditError('out-of-range', `${what}: fadeIn (${fadeIn}) is longer than the clip (${length})`);
  if (fadeOut > length) throw new EditError('out-of-range', `${what}: fadeOut (${fadeOut}) is longer than the clip (${length})`);
  finiteField(what, 'gainDb', clip.gainDb, LIMITS.gainDbMin, LIMITS.gainDbMax);
}

/** Throws EditError unless the track's own fields are valid (clips are checked separately). */
export function validateTrackProps(track: Omit<Track, 'clips'>): void {
  const what = `track ${String(track?.id)}`;
  idField(what, track.id);
  if (typeof track.name !== 'string' || track.name.trim().length === 0 || track.name.length > LIMITS.nameMax) {
    throw new EditError('invalid-value', `${what}: name must be 1–${LIMITS.nameMax} characters and not blank`);
  }
  if (typeof track.colour !== 'string' || track.colour.length === 0 || track.colour.length > 64) throw new EditError('invalid-value', `${what}: colour must be a CSS colour string`);
  finiteField(what, 'gainDb', track.gainDb, LIMITS.gainDbMin, LIMITS.gainDbMax);
  finiteField(what, 'pan', track.pan, -1, 1);
  if (typeof track.mute !== 'boolean') throw new EditError('invalid-value', `${what}: mute must be true or false`);
  if (typeof track.solo !== 'boolean') throw new EditError('invalid-value', `${what}: solo must be true or false`);
}

/** Throws EditError unless the track and all its clips are valid. */
export function validateTrack(track: Track): void {
  validateTrackProps(track);
  if (!Array.isArray(track.clips)) throw new EditError('invalid-value', `track ${track.id}: clips must be an array`);
  for (const c of track.clips) validateClip(c);
}

/** Throws EditError unless tempo is within the supported range. */
export function validateTempo(tempo: number): void {
  finiteField('arrangement', 'tempo', tempo, LIMITS.tempoMin, LIMITS.tempoMax);
}

/** Throws EditError unless numerator is 1..64 and denominator a power of two up to 64. */
export function validateTimeSignature(ts: TimeSignature): void {
  if (!ts || !Number.isInteger(ts.numerator) || ts.numerator < 1 || ts.numerator > 64) throw new EditError('invalid-value', `arrangement: time signature numerator must be 1–64`);
  if (![1, 2, 4, 8, 16, 32, 64].includes(ts.denominator)) throw new EditError('invalid-value', `arrangement: time signature denominator must be a power of two up to 64`);
}

/** Throws EditError unless the loop is null or a non-empty region at non-negative frames. */
export function validateLoop(loop: LoopRegion | null): void {
  if (loop === null) return;
  frameField('loop', 'start', loop.start, 0);
  frameField('loop', 'end', loop.end, 0);
  if (loop.end <= loop.start) throw new EditError('out-of-range', `loop: end (${loop.end}) must be after start (${loop.start})`);
}

/** Throws EditError unless the whole arrangement is valid, with track ids and clip ids each unique. */
export function validateArrangement(arr: Arrangement): void {
  if (!Number.isSafeInteger(arr.sampleRate) || arr.sampleRate < 1000 || arr.sampleRate > 768000) throw new EditError('invalid-value', `arrangement: sampleRate must be a whole number of Hz in [1000, 768000]`);
  validateTempo(arr.tempo);
  validateTimeSignature(arr.timeSignature);
  validateLoop(arr.loop);
  const trackIds = new Set<string>();
  const clipIds = new Set<string>();
  for (const t of arr.tracks) {
    validateTrack(t);
    if (trackIds.has(t.id)) throw new EditError('duplicate-id', `track id ${t.id} is used twice`);
    trackIds.add(t.id);
    for (const c of t.clips) {
      if (clipIds.has(c.id)) throw new EditError('duplicate-id', `clip id ${c.id} is used twice`);
      clipIds.add(c.id);
    }
  }
}
