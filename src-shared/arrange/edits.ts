/**
 * Arrangement edits as serialisable commands. `applyEdit` is pure: it never mutates its input, it
 * returns the next arrangement (sharing untouched tracks and clips) and an `inverse` edit that,
 * applied to `next`, gives back a deep-equal copy of the input. Inverses are ordinary edits, so the
 * undo history is plain JSON and survives a restart.
 */
import { EditError } from './errors';
import { clipEnd, findClip, trackIndex, type Arrangement, type Clip, type LoopRegion, type TimeSignature, type Track } from './model';
import { validateClip, validateLoop, validateTempo, validateTimeSignature, validateTrack, validateTrackProps } from './validate';

/** Mixer-strip fields of a track that `setTrack` may change. */
export type TrackProps = Partial<Pick<Track, 'name' | 'colour' | 'gainDb' | 'pan' | 'mute' | 'solo'>>;
/** Clip fields that `setClip` may change (the source and id are fixed for a clip's life). */
export type ClipProps = Partial<Pick<Clip, 'position' | 'sourceOffset' | 'length' | 'fadeIn' | 'fadeOut' | 'gainDb'>>;

/** Every edit the arrangement accepts. Frames are at the arrangement rate. */
export type Edit =
  | { type: 'addTrack'; track: Track; index?: number }
  | { type: 'removeTrack'; trackId: string }
  | { type: 'moveTrack'; trackId: string; index: number }
  | { type: 'renameTrack'; trackId: string; name: string }
  | { type: 'setTrack'; trackId: string; props: TrackProps }
  | { type: 'addClip'; trackId: string; clip: Clip; index?: number }
  | { type: 'addClips'; items: Array<{ trackId: string; clip: Clip; index?: number }> }
  | { type: 'removeClips'; clipIds: string[] }
  | { type: 'moveClip'; clipId: string; position: number; trackId?: string; index?: number }
  | { type: 'trimStart'; clipId: string; start: number }
  | { type: 'trimEnd'; clipId: string; end: number }
  | { type: 'setFades'; clipId: string; fadeIn?: number; fadeOut?: number }
  | { type: 'setClip'; clipId: string; props: ClipProps }
  | { type: 'splitClip'; clipId: string; at: number; newClipId: string }
  | { type: 'duplicateClips'; clipIds: string[]; newClipIds: string[]; offset?: number }
  | { type: 'setTempo'; tempo: number }
  | { type: 'setTimeSignature'; timeSignature: TimeSignature }
  | { type: 'setLoop'; loop: LoopRegion | null }
  | { type: 'batch'; edits: Edit[] };

export type EditType = Edit['type'];

/** Result of applying an edit: the new state and the edit that undoes it. */
export interface Applied {
  next: Arrangement;
  inverse: Edit;
}

// ---- copy-on-write helpers ---------------------------------------------------------------------

function withTrack(arr: Arrangement, ti: number, track: Track): Arrangement {
  const tracks = arr.tracks.slice();
  tracks[ti] = track;
  return { ...arr, tracks };
}

function withClip(arr: Arrangement, ti: number, ci: number, clip: Clip): Arrangement {
  const t = arr.tracks[ti];
  const clips = t.clips.slice();
  clips[ci] = clip;
  return withTrack(arr, ti, { ...t, clips });
}

function cloneClip(c: Clip): Clip {
  return { ...c, source: { ...c.source } };
}

function cloneTrack(t: Track): Track {
  return { ...t, clips: t.clips.map(cloneClip) };
}

function requireTrack(arr: Arrangement, trackId: string): number {
  const ti = trackIndex(arr, trackId);
  if (ti < 0) throw new EditError('not-found', `track ${trackId} does not exist`);
  return ti;
}

function requireClip(arr: Arrangement, clipId: string) {
  const loc = findClip(arr, clipId);
  if (!loc) throw new EditError('not-found', `clip ${clipId} does not exist`);
  return loc;
}

function requireIndex(index: number | undefined, max: number, what: string): number {
  if (index === undefined) return max;
  if (!Number.isInteger(index) || index < 0 || index > max) throw new EditError('out-of-range', `${what}: index must be within [0, ${max}], got ${String(index)}`);
  return index;
}

function requireFrame(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new EditError('invalid-value', `${field} must be a whole number of frames, got ${String(v)}`);
  if (v < min) throw new EditError('out-of-range', `${field} must be ≥ ${min}, got ${v}`);
  return v;
}

function allClipIds(arr: Arrangement): Set<string> {
  const ids = new Set<string>();
  for (const t of arr.tracks) for (const c of t.clips) ids.add(c.id);
  return ids;
}

/** Picks the current values of `keys` from `obj` (for building a setX inverse). */
function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = obj[k];
  return out;
}

const TRACK_PROP_KEYS = ['name', 'colour', 'gainDb', 'pan', 'mute', 'solo'] as const;
const CLIP_PROP_KEYS = ['position', 'sourceOffset', 'length', 'fadeIn', 'fadeOut', 'gainDb'] as const;

function propKeys<K extends string>(props: object, allowed: readonly K[], what: string): K[] {
  if (!props || typeof props !== 'object') throw new EditError('bad-edit', `${what}: props must be an object`);
  const keys = Object.keys(props) as K[];
  for (const k of keys) if (!allowed.includes(k)) throw new EditError('bad-edit', `${what}: ${k} cannot be set (allowed: ${allowed.join(', ')})`);
  return keys;
}

/** Clamps fades into a (possibly shortened) clip; trims keep the fades the user drew where they still fit. */
function clampFades(c: Clip): Clip {
  return { ...c, fadeIn: Math.min(c.fadeIn, c.length), fadeOut: Math.min(c.fadeOut, c.length) };
}

function geometry(c: Clip): ClipProps {
  return pick(c, ['position', 'sourceOffset', 'length', 'fadeIn', 'fadeOut']);
}

// ---- the edits -----------------------------------------------------------------------------------

function addClips(arr: Arrangement, items: Array<{ trackId: string; clip: Clip; index?: number }>): Applied {
  if (!Array.isArray(items) || items.length === 0) throw new EditError('bad-edit', 'addClips: items must be a non-empty array');
  const ids = allClipIds(arr);
  let next = arr;
  for (const item of items) {
    const ti = requireTrack(next, item.trackId);
    validateClip(item.clip);
    if (ids.has(item.clip.id)) throw new EditError('duplicate-id', `clip id ${item.clip.id} is already in use`);
    ids.add(item.clip.id);
    const t = next.tracks[ti];
    const at = requireIndex(item.index, t.clips.length, `clip ${item.clip.id}`);
    const clips = t.clips.slice();
    clips.splice(at, 0, cloneClip(item.clip));
    next = withTrack(next, ti, { ...t, clips });
  }
  return { next, inverse: { type: 'removeClips', clipIds: items.map((i) => i.clip.id) } };
}

function removeClips(arr: Arrangement, clipIds: string[]): Applied {
  if (!Array.isArray(clipIds) || clipIds.length === 0) throw new EditError('bad-edit', 'removeClips: clipIds must be a non-empty array');
  if (new Set(clipIds).size !== clipIds.length) throw new EditError('bad-edit', 'removeClips: a clip id is listed twice');
  const locs = clipIds.map((id) => requireClip(arr, id));
  // Re-inserting in ascending (track, index) order at the original indices rebuilds each track exactly.
  locs.sort((a, b) => a.trackIndex - b.trackIndex || a.clipIndex - b.clipIndex);
  const gone = new Set(clipIds);
  const touched = new Set(locs.map((l) => l.trackIndex));
  const tracks = arr.tracks.map((t, ti) => (touched.has(ti) ? { ...t, clips: t.clips.filter((c) => !gone.has(c.id)) } : t));
  return {
    next: { ...arr, tracks },
    inverse: { type: 'addClips', items: locs.map((l) => ({ trackId: l.track.id, clip: cloneClip(l.clip), index: l.clipIndex })) },
  };
}

function moveClip(arr: Arrangement, e: Extract<Edit, { type: 'moveClip' }>): Applied {
  const loc = requireClip(arr, e.clipId);
  const position = requireFrame(e.position, `clip ${e.clipId}: position`);
  const toTi = e.trackId === undefined ? loc.trackIndex : requireTrack(arr, e.trackId);
  const moved = { ...loc.clip, position };
  const inverse: Edit = { type: 'moveClip', clipId: e.clipId, position: loc.clip.position, trackId: loc.track.id, index: loc.clipIndex };
  if (toTi === loc.trackIndex && (e.index === undefined || e.index === loc.clipIndex)) {
    return { next: withClip(arr, loc.trackIndex, loc.clipIndex, moved), inverse };
  }
  const fromClips = loc.track.clips.filter((_, i) => i !== loc.clipIndex);
  let next = withTrack(arr, loc.trackIndex, { ...loc.track, clips: fromClips });
  const target = next.tracks[toTi];
  const at = requireIndex(e.index, target.clips.length, `clip ${e.clipId}`);
  const clips = target.clips.slice();
  clips.splice(at, 0, moved);
  next = withTrack(next, toTi, { ...target, clips });
  return { next, inverse };
}

function setClipProps(arr: Arrangement, clipId: string, props: ClipProps, what: string, clamp = false): Applied {
  const loc = requireClip(arr, clipId);
  const keys = propKeys(props, CLIP_PROP_KEYS, what);
  let clip: Clip = { ...loc.clip, ...props };
  if (clamp) clip = clampFades(clip);
  validateClip(clip);
  // The inverse restores every field the edit may have changed, including fades clamped by a trim.
  const changed = clamp ? [...new Set([...keys, 'fadeIn', 'fadeOut'] as Array<(typeof CLIP_PROP_KEYS)[number]>)] : keys;
  return { next: withClip(arr, loc.trackIndex, loc.clipIndex, clip), inverse: { type: 'setClip', clipId, props: pick(loc.clip, changed) } };
}

function splitClip(arr: Arrangement, e: Extract<Edit, { type: 'splitClip' }>): Applied {
  const loc = requireClip(arr, e.clipId);
  const c = loc.clip;
  const at = requireFrame(e.at, `split of clip ${c.id}: at`);
  if (at <= c.position || at >= clipEnd(c)) throw new EditError('out-of-range', `split of clip ${c.id}: ${at} is not strictly inside the clip [${c.position}, ${clipEnd(c)})`);
  if (allClipIds(arr).has(e.newClipId)) throw new EditError('duplicate-id', `clip id ${e.newClipId} is already in use`);
  const leftLen = at - c.position;
  // The cut itself gets no fade on either side: the halves are contiguous source frames, so an
  // unfaded split renders bit-identically to the clip it came from.
  const left: Clip = { ...c, length: leftLen, fadeIn: Math.min(c.fadeIn, leftLen), fadeOut: 0 };
  const right: Clip = { ...cloneClip(c), id: e.newClipId, position: at, sourceOffset: c.sourceOffset + leftLen, length: c.length - leftLen, fadeIn: 0, fadeOut: Math.min(c.fadeOut, c.length - leftLen) };
  validateClip(right);
  const clips = loc.track.clips.slice();
  clips.splice(loc.clipIndex, 1, left, right);
  return {
    next: withTrack(arr, loc.trackIndex, { ...loc.track, clips }),
    inverse: { type: 'batch', edits: [{ type: 'removeClips', clipIds: [e.newClipId] }, { type: 'setClip', clipId: c.id, props: pick(c, ['length', 'fadeIn', 'fadeOut']) }] },
  };
}

function duplicateClips(arr: Arrangement, e: Extract<Edit, { type: 'duplicateClips' }>): Applied {
  if (!Array.isArray(e.clipIds) || e.clipIds.length === 0) throw new EditError('bad-edit', 'duplicateClips: clipIds must be a non-empty array');
  if (!Array.isArray(e.newClipIds) || e.newClipIds.length !== e.clipIds.length) throw new EditError('bad-edit', 'duplicateClips: newClipIds must give one new id per clip');
  if (new Set(e.clipIds).size !== e.clipIds.length) throw new EditError('bad-edit', 'duplicateClips: a clip id is listed twice');
  const locs = e.clipIds.map((id) => requireClip(arr, id));
  // Default: the copies land right after the selection as a block, keeping their relative timing.
  const offset = e.offset ?? Math.max(...locs.map((l) => clipEnd(l.clip))) - Math.min(...locs.map((l) => l.clip.position));
  requireFrame(offset, 'duplicateClips: offset', -Number.MAX_SAFE_INTEGER);
  const items = locs.map((l, i) => ({ trackId: l.track.id, clip: { ...cloneClip(l.clip), id: e.newClipIds[i], position: l.clip.position + offset } }));
  return addClips(arr, items);
}

function setTrack(arr: Arrangement, trackId: string, props: TrackProps, what: string): Applied {
  const ti = requireTrack(arr, trackId);
  const keys = propKeys(props, TRACK_PROP_KEYS, what);
  const old = arr.tracks[ti];
  const track = { ...old, ...props };
  validateTrackProps(track);
  return { next: withTrack(arr, ti, track), inverse: { type: 'setTrack', trackId, props: pick(old, keys) } };
}

/** Applies one edit purely; throws EditError (and changes nothing) when the edit is invalid. */
export function applyEdit(arr: Arrangement, edit: Edit): Applied {
  if (!edit || typeof edit !== 'object') throw new EditError('bad-edit', 'an edit must be an object');
  switch (edit.type) {
    case 'addTrack': {
      validateTrack(edit.track);
      if (trackIndex(arr, edit.track.id) >= 0) throw new EditError('duplicate-id', `track id ${edit.track.id} is already in use`);
      const ids = allClipIds(arr);
      for (const c of edit.track.clips) {
        if (ids.has(c.id)) throw new EditError('duplicate-id', `clip id ${c.id} is already in use`);
        ids.add(c.id);
      }
      const at = requireIndex(edit.index, arr.tracks.length, `track ${edit.track.id}`);
      const tracks = arr.tracks.slice();
      tracks.splice(at, 0, cloneTrack(edit.track));
      return { next: { ...arr, tracks }, inverse: { type: 'removeTrack', trackId: edit.track.id } };
    }
    case 'removeTrack': {
      const ti = requireTrack(arr, edit.trackId);
      return { next: { ...arr, tracks: arr.tracks.filter((_, i) => i !== ti) }, inverse: { type: 'addTrack', track: cloneTrack(arr.tracks[ti]), index: ti } };
    }
    case 'moveTrack': {
      const ti = requireTrack(arr, edit.trackId);
      const at = requireIndex(edit.index, arr.tracks.length - 1, `track ${edit.trackId}`);
      const tracks = arr.tracks.slice();
      const [t] = tracks.splice(ti, 1);
      tracks.splice(at, 0, t);
      return { next: { ...arr, tracks }, inverse: { type: 'moveTrack', trackId: edit.trackId, index: ti } };
    }
    case 'renameTrack': {
      const { next, inverse } = setTrack(arr, edit.trackId, { name: edit.name }, `rename of track ${edit.trackId}`);
      return { next, inverse: { type: 'renameTrack', trackId: edit.trackId, name: (inverse as { props: TrackProps }).props.name as string } };
    }
    case 'setTrack':
      return setTrack(arr, edit.trackId, edit.props, `track ${edit.trackId}`);
    case 'addClip':
      return addClips(arr, [{ trackId: edit.trackId, clip: edit.clip, ...(edit.index === undefined ? {} : { index: edit.index }) }]);
    case 'addClips':
      return addClips(arr, edit.items);
    case 'removeClips':
      return removeClips(arr, edit.clipIds);
    case 'moveClip':
      return moveClip(arr, edit);
    case 'trimStart': {
      const c = requireClip(arr, edit.clipId).clip;
      const start = requireFrame(edit.start, `trim of clip ${c.id}: start`);
      const delta = start - c.position;
      if (c.sourceOffset + delta < 0) throw new EditError('out-of-range', `trim of clip ${c.id}: start ${start} reaches before the beginning of the source (earliest is ${c.position - c.sourceOffset})`);
      if (delta >= c.length) throw new EditError('out-of-range', `trim of clip ${c.id}: start ${start} must be before the clip end ${clipEnd(c)}`);
      const props: ClipProps = { position: start, sourceOffset: c.sourceOffset + delta, length: c.length - delta };
      const r = setClipProps(arr, c.id, props, `trim of clip ${c.id}`, true);
      return { next: r.next, inverse: { type: 'setClip', clipId: c.id, props: geometry(c) } };
    }
    case 'trimEnd': {
      const c = requireClip(arr, edit.clipId).clip;
      const end = requireFrame(edit.end, `trim of clip ${c.id}: end`);
      if (end <= c.position) throw new EditError('out-of-range', `trim of clip ${c.id}: end ${end} must be after the clip start ${c.position}`);
      const latest = c.position + c.sourceLength - c.sourceOffset;
      if (end > latest) throw new EditError('out-of-range', `trim of clip ${c.id}: end ${end} runs past the end of the source (latest is ${latest})`);
      const r = setClipProps(arr, c.id, { length: end - c.position }, `trim of clip ${c.id}`, true);
      return { next: r.next, inverse: { type: 'setClip', clipId: c.id, props: geometry(c) } };
    }
    case 'setFades': {
      const props: ClipProps = {};
      if (edit.fadeIn !== undefined) props.fadeIn = edit.fadeIn;
      if (edit.fadeOut !== undefined) props.fadeOut = edit.fadeOut;
      if (Object.keys(props).length === 0) throw new EditError('bad-edit', `setFades of clip ${edit.clipId}: give fadeIn and/or fadeOut`);
      const r = setClipProps(arr, edit.clipId, props, `fades of clip ${edit.clipId}`);
      return { next: r.next, inverse: { type: 'setFades', clipId: edit.clipId, ...(r.inverse as { props: ClipProps }).props } };
    }
    case 'setClip':
      return setClipProps(arr, edit.clipId, edit.props, `clip ${edit.clipId}`);
    case 'splitClip':
      return splitClip(arr, edit);
    case 'duplicateClips':
      return duplicateClips(arr, edit);
    case 'setTempo':
      validateTempo(edit.tempo);
      return { next: { ...arr, tempo: edit.tempo }, inverse: { type: 'setTempo', tempo: arr.tempo } };
    case 'setTimeSignature':
      validateTimeSignature(edit.timeSignature);
      return { next: { ...arr, timeSignature: { ...edit.timeSignature } }, inverse: { type: 'setTimeSignature', timeSignature: { ...arr.timeSignature } } };
    case 'setLoop':
      if (edit.loop === undefined) throw new EditError('bad-edit', 'setLoop: loop must be a region or null');
      validateLoop(edit.loop);
      return { next: { ...arr, loop: edit.loop && { start: edit.loop.start, end: edit.loop.end } }, inverse: { type: 'setLoop', loop: arr.loop && { ...arr.loop } } };
    case 'batch': {
      if (!Array.isArray(edit.edits) || edit.edits.length === 0) throw new EditError('bad-edit', 'batch: edits must be a non-empty array');
      let next = arr;
      const inverses: Edit[] = [];
      for (const e of edit.edits) {
        const r = applyEdit(next, e);
        next = r.next;
        inverses.push(r.inverse);
      }
      return { next, inverse: { type: 'batch', edits: inverses.reverse() } };
    }
    default:
      throw new EditError('bad-edit', `unknown edit type ${JSON.stringify((edit as { type?: unknown }).type)}`);
  }
}

/** Applies edits in order and returns the final state (throws on the first invalid one). */
export function applyEdits(arr: Arrangement, edits: Edit[]): Arrangement {
  return edits.reduce((a, e) => applyEdit(a, e).next, arr);
}
