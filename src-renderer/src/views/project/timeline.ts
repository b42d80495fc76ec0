/**
 * "Add to timeline" as one arrangement edit: the take goes at the end of the first track, and a
 * track named "Takes" is created first when the arrangement has none (one batch, so one undo).
 * Pure: ids come from the caller.
 */
import type { Edit } from '../../../../src-shared/arrange/edits';
import { clipEnd, createClip, createTrack, sourceLengthAt, type Arrangement } from '../../../../src-shared/arrange/model';

export interface TakeSource {
  id: string;
  frames: number;
  sampleRate: number;
}

export interface AppendPlan {
  edit: Edit;
  trackId: string;
  trackName: string;
  /** Timeline frame where the clip starts. */
  position: number;
  /** The same in seconds, for messages. */
  seconds: number;
  clipId: string;
}

export const TAKES_TRACK_NAME = 'Takes';

export function appendTakeEdit(arrangement: Arrangement, take: TakeSource, ids: { clipId: string; trackId: string }): AppendPlan {
  const length = sourceLengthAt(take.frames, take.sampleRate, arrangement.sampleRate);
  const first = arrangement.tracks[0];
  if (first) {
    const position = first.clips.reduce((end, c) => Math.max(end, clipEnd(c)), 0);
    const clip = createClip(ids.clipId, { kind: 'take', id: take.id }, length, position);
    return { edit: { type: 'addClip', trackId: first.id, clip }, trackId: first.id, trackName: first.name, position, seconds: position / arrangement.sampleRate, clipId: ids.clipId };
  }
  const track = createTrack(ids.trackId, TAKES_TRACK_NAME);
  const clip = createClip(ids.clipId, { kind: 'take', id: take.id }, length, 0);
  return {
    edit: { type: 'batch', edits: [{ type: 'addTrack', track }, { type: 'addClip', trackId: track.id, clip }] },
    trackId: track.id,
    trackName: track.name,
    position: 0,
    seconds: 0,
    clipId: ids.clipId,
  };
}
