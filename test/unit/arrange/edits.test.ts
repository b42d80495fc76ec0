import { describe, expect, it } from 'vitest';
import { applyEdit, createArrangement, createClip, createTrack, EditError, UndoHistory, type Arrangement, type Edit } from '../../../src-main/arrange';

const src = { kind: 'take' as const, id: 'take-1' };

function base(): Arrangement {
  const a = createTrack('t1', 'Drums');
  a.clips = [createClip('c1', src, 10000, 1000, { sourceOffset: 2000, length: 5000, fadeIn: 100, fadeOut: 200, gainDb: -3 })];
  const b = createTrack('t2', 'Bass');
  b.clips = [createClip('c2', { kind: 'sample', id: 'smp' }, 4000, 0)];
  return createArrangement({ tracks: [a, b] });
}

function expectError(arr: Arrangement, edit: Edit, code: string, message: RegExp) {
  try {
    applyEdit(arr, edit);
  } catch (e) {
    expect(e).toBeInstanceOf(EditError);
    expect((e as EditError).code).toBe(code);
    expect((e as EditError).message).toMatch(message);
    return;
  }
  throw new Error(`edit ${edit.type} was accepted`);
}

describe('edits', () => {
  it('split then undo restores the clip; the halves are contiguous in the source', () => {
    const arr = base();
    const { next, inverse } = applyEdit(arr, { type: 'splitClip', clipId: 'c1', at: 3000, newClipId: 'c1b' });
    const [l, r] = next.tracks[0].clips;
    expect(l).toMatchObject({ id: 'c1', position: 1000, sourceOffset: 2000, length: 2000, fadeIn: 100, fadeOut: 0 });
    expect(r).toMatchObject({ id: 'c1b', position: 3000, sourceOffset: 4000, length: 3000, fadeIn: 0, fadeOut: 200, gainDb: -3, source: src });
    expect(applyEdit(next, inverse).next).toStrictEqual(arr);
  });

  it('split clamps a fade that no longer fits the half, and undo brings it back', () => {
    const arr = applyEdit(base(), { type: 'setFades', clipId: 'c1', fadeIn: 4000 }).next;
    const { next, inverse } = applyEdit(arr, { type: 'splitClip', clipId: 'c1', at: 2000, newClipId: 'x' });
    expect(next.tracks[0].clips[0].fadeIn).toBe(1000);
    expect(applyEdit(next, inverse).next).toStrictEqual(arr);
  });

  it('trims move the start with the source and refuse to run past either end of the source', () => {
    const arr = base();
    const t = applyEdit(arr, { type: 'trimStart', clipId: 'c1', start: 1500 }).next.tracks[0].clips[0];
    expect(t).toMatchObject({ position: 1500, sourceOffset: 2500, length: 4500 });
    const e = applyEdit(arr, { type: 'trimEnd', clipId: 'c1', end: 9000 }).next.tracks[0].clips[0];
    expect(e).toMatchObject({ position: 1000, sourceOffset: 2000, length: 8000 });
    expect(applyEdit(arr, { type: 'trimStart', clipId: 'c1', start: 0 }).next.tracks[0].clips[0]).toMatchObject({ position: 0, sourceOffset: 1000, length: 6000 });
    const shallow = applyEdit(arr, { type: 'setClip', clipId: 'c1', props: { sourceOffset: 500 } }).next;
    expectError(shallow, { type: 'trimStart', clipId: 'c1', start: 400 }, 'out-of-range', /before the beginning of the source \(earliest is 500\)/);
    expectError(arr, { type: 'trimEnd', clipId: 'c1', end: 9001 }, 'out-of-range', /past the end of the source \(latest is 9000\)/);
    expectError(arr, { type: 'trimEnd', clipId: 'c1', end: 1000 }, 'out-of-range', /must be after the clip start/);
    expectError(arr, { type: 'trimStart', clipId: 'c1', start: 6000 }, 'out-of-range', /before the clip end/);
  });

  it('a trim that shortens a clip below its fade clamps the fade and the inverse restores it', () => {
    const arr = base();
    const { next, inverse } = applyEdit(arr, { type: 'trimEnd', clipId: 'c1', end: 1150 });
    expect(next.tracks[0].clips[0]).toMatchObject({ length: 150, fadeIn: 100, fadeOut: 150 });
    expect(applyEdit(next, inverse).next).toStrictEqual(arr);
  });

  it('moves a clip across tracks and back to its original index', () => {
    const arr = base();
    const { next, inverse } = applyEdit(arr, { type: 'moveClip', clipId: 'c1', position: 7, trackId: 't2', index: 0 });
    expect(next.tracks[0].clips).toEqual([]);
    expect(next.tracks[1].clips.map((c) => [c.id, c.position])).toEqual([['c1', 7], ['c2', 0]]);
    expect(applyEdit(next, inverse).next).toStrictEqual(arr);
  });

  it('deletes a multi-selection across tracks and undo puts every clip back in place', () => {
    let arr = base();
    arr = applyEdit(arr, { type: 'duplicateClips', clipIds: ['c1', 'c2'], newClipIds: ['d1', 'd2'] }).next;
    // Selection spans 0..6000, so the copies land 6000 later.
    expect(arr.tracks[0].clips[1]).toMatchObject({ id: 'd1', position: 7000 });
    expect(arr.tracks[1].clips[1]).toMatchObject({ id: 'd2', position: 6000 });
    const { next, inverse } = applyEdit(arr, { type: 'removeClips', clipIds: ['d2', 'c1'] });
    expect(next.tracks.map((t) => t.clips.map((c) => c.id))).toEqual([['d1'], ['c2']]);
    expect(applyEdit(next, inverse).next).toStrictEqual(arr);
  });

  it('rejects bad values with clear messages', () => {
    const arr = base();
    expectError(arr, { type: 'moveClip', clipId: 'c1', position: -1 }, 'out-of-range', /position must be ≥ 0, got -1/);
    expectError(arr, { type: 'moveClip', clipId: 'c1', position: 1.5 }, 'invalid-value', /whole number of frames/);
    expectError(arr, { type: 'moveClip', clipId: 'nope', position: 0 }, 'not-found', /clip nope does not exist/);
    expectError(arr, { type: 'setTrack', trackId: 't1', props: { pan: 2 } }, 'out-of-range', /pan must be within \[-1, 1\]/);
    expectError(arr, { type: 'setTrack', trackId: 't1', props: { clips: [] } as never }, 'bad-edit', /clips cannot be set/);
    expectError(arr, { type: 'renameTrack', trackId: 't1', name: '  ' }, 'invalid-value', /not blank/);
    expectError(arr, { type: 'setFades', clipId: 'c1', fadeOut: 5001 }, 'out-of-range', /fadeOut \(5001\) is longer than the clip \(5000\)/);
    expectError(arr, { type: 'addClip', trackId: 't1', clip: createClip('c2', src, 10, 0) }, 'duplicate-id', /c2 is already in use/);
    expectError(arr, { type: 'addTrack', track: createTrack('t1', 'again') }, 'duplicate-id', /track id t1/);
    expectError(arr, { type: 'setClip', clipId: 'c1', props: { sourceOffset: 5001 } }, 'out-of-range', /runs past the end of the source/);
    expectError(arr, { type: 'splitClip', clipId: 'c1', at: 1000, newClipId: 'z' }, 'out-of-range', /not strictly inside/);
    expectError(arr, { type: 'setLoop', loop: { start: 10, end: 10 } }, 'out-of-range', /end \(10\) must be after start/);
    expectError(arr, { type: 'setTempo', tempo: 0 }, 'out-of-range', /tempo/);
    expectError(arr, { type: 'setTimeSignature', timeSignature: { numerator: 4, denominator: 3 } }, 'invalid-value', /power of two/);
    expectError(arr, { type: 'frobnicate' } as never, 'bad-edit', /unknown edit type "frobnicate"/);
    // A batch is all-or-nothing: the failing second step leaves nothing applied (pure), and says why.
    expectError(arr, { type: 'batch', edits: [{ type: 'setTempo', tempo: 90 }, { type: 'removeTrack', trackId: 'zz' }] }, 'not-found', /track zz/);
  });

  it('track edits, tempo and loop round-trip through their inverses', () => {
    const arr = base();
    const edits: Edit[] = [
      { type: 'renameTrack', trackId: 't2', name: 'Sub' },
      { type: 'setTrack', trackId: 't1', props: { gainDb: -6, pan: -0.5, mute: true, solo: true, colour: '#fff' } },
      { type: 'moveTrack', trackId: 't1', index: 1 },
      { type: 'removeTrack', trackId: 't1' },
      { type: 'addTrack', track: createTrack('t3', 'Keys'), index: 0 },
      { type: 'setTempo', tempo: 87.5 },
      { type: 'setTimeSignature', timeSignature: { numerator: 7, denominator: 8 } },
      { type: 'setLoop', loop: { start: 0, end: 96000 } },
    ];
    for (const e of edits) {
      const { next, inverse } = applyEdit(arr, e);
      expect(next).not.toStrictEqual(arr);
      expect(applyEdit(next, inverse).next).toStrictEqual(arr);
    }
  });
});

describe('UndoHistory', () => {
  it('undo, redo after undo, and a new edit clears the redo stack', () => {
    const h = new UndoHistory();
    const s0 = base();
    const s1 = h.apply(s0, { type: 'splitClip', clipId: 'c1', at: 3000, newClipId: 'n' }, 'Split clip');
    const s2 = h.apply(s1, { type: 'moveClip', clipId: 'n', position: 9000 });
    expect(h.undoLabel).toBeUndefined();
    const u1 = h.undo(s2)!;
    expect(u1).toStrictEqual(s1);
    expect(h.undoLabel).toBe('Split clip');
    const u0 = h.undo(u1)!;
    expect(u0).toStrictEqual(s0);
    expect(h.canUndo).toBe(false);
    expect(h.redo(u0)).toStrictEqual(s1);
    expect(h.canRedo).toBe(true);
    h.apply(s1, { type: 'setTempo', tempo: 100 });
    expect(h.canRedo).toBe(false);
    expect(h.redo(s1)).toBeNull();
  });

  it('persists as JSON and keeps working after a restart; a bad file is refused', () => {
    const h = new UndoHistory(3);
    let s = base();
    for (const t of [100, 110, 120, 130]) s = h.apply(s, { type: 'setTempo', tempo: t });
    const restored = UndoHistory.fromJSON(JSON.stringify(h));
    // The limit dropped the oldest step: three undos reach 100, not the original 120.
    for (let i = 0; i < 3; i++) s = restored.undo(s)!;
    expect(s.tempo).toBe(100);
    expect(restored.undo(s)).toBeNull();
    expect(() => UndoHistory.fromJSON({ version: 2, past: [], future: [] })).toThrow(EditError);
    expect(() => UndoHistory.fromJSON({ version: 1, limit: 5, past: [{ edit: { type: 'setTempo' }, inverse: {} }], future: [] })).toThrow(/malformed at tempo/);
  });

  it('an undo against a diverged state throws and leaves the stacks intact', () => {
    const h = new UndoHistory();
    const s1 = h.apply(base(), { type: 'splitClip', clipId: 'c1', at: 3000, newClipId: 'n' });
    const diverged = applyEdit(s1, { type: 'removeClips', clipIds: ['n'] }).next;
    expect(() => h.undo(diverged)).toThrow(/clip n does not exist/);
    expect(h.canUndo).toBe(true);
    expect(h.undo(s1)).toStrictEqual(base());
  });
});
