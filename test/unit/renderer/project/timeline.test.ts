import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../../../src-shared/arrange/edits';
import { createArrangement, createClip, createTrack } from '../../../../src-shared/arrange/model';
import { appendTakeEdit } from '../../../../src-renderer/src/views/project/timeline';
import { overridesFrom } from '../../../../src-renderer/src/views/project/training-settings';

const TAKE = { id: 'take1', frames: 2000, sampleRate: 8000 };
const IDS = { clipId: 'clip-new', trackId: 'track-new' };

describe('add a take to the timeline', () => {
  it('creates a "Takes" track with the clip at 0 in one batch when there is no track', () => {
    const arrangement = createArrangement();
    const plan = appendTakeEdit(arrangement, TAKE, IDS);
    expect(plan.edit.type).toBe('batch');
    const { next } = applyEdit(arrangement, plan.edit);
    expect(next.tracks).toHaveLength(1);
    expect(next.tracks[0]).toMatchObject({ id: 'track-new', name: 'Takes' });
    // 2000 frames at 8 kHz are 12000 frames at the arrangement's 48 kHz.
    expect(next.tracks[0].clips[0]).toMatchObject({ id: 'clip-new', source: { kind: 'take', id: 'take1' }, position: 0, length: 12000, sourceLength: 12000 });
  });

  it('appends after the last clip of the first track', () => {
    const first = createTrack('a', 'Drums', { clips: [createClip('c1', { kind: 'sample', id: 's' }, 1000, 500), createClip('c2', { kind: 'sample', id: 's' }, 1000, 100)] });
    const second = createTrack('b', 'Other', { clips: [createClip('c3', { kind: 'sample', id: 's' }, 1000, 90_000)] });
    const arrangement = createArrangement({ sampleRate: 8000, tracks: [first, second] });
    const plan = appendTakeEdit(arrangement, TAKE, IDS);
    expect(plan).toMatchObject({ trackId: 'a', trackName: 'Drums', position: 1500 });
    const { next } = applyEdit(arrangement, plan.edit);
    expect(next.tracks[0].clips.at(-1)).toMatchObject({ id: 'clip-new', position: 1500, length: 2000 });
  });
});

describe('training settings overrides', () => {
  it('sends only the fields the user filled in', () => {
    // A step count alone trains to those steps (no time budget); a budget alone is not capped by steps.
    expect(overridesFrom({ steps: 60, windowT: null, learningRate: NaN, checkpointEvery: 20 })).toEqual({ steps: 60, checkpointEvery: 20, minutes: null });
    expect(overridesFrom({ minutes: 12 })).toEqual({ minutes: 12, steps: 10_000_000 });
  });
});
