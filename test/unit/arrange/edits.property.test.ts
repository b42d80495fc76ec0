import { describe, expect, it } from 'vitest';
import { applyEdit, EditError, parseEdit, UndoHistory, validateArrangement, type Arrangement, type Edit } from '../../../src-main/arrange';
import { Rand, randomArrangement, randomEdit } from './random';

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('edits: property tests over seeded random sequences', () => {
  it('every accepted edit has an inverse that restores the exact previous state, and edits never mutate their input', () => {
    let accepted = 0;
    let rejected = 0;
    const seenTypes = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const r = new Rand(seed);
      let arr = deepFreeze(randomArrangement(r));
      for (let step = 0; step < 60; step++) {
        const edit = randomEdit(r, arr);
        const before = json(arr);
        let result;
        try {
          result = applyEdit(arr, edit); // frozen input: any mutation would throw a TypeError here
        } catch (e) {
          expect(e).toBeInstanceOf(EditError);
          expect(arr).toStrictEqual(before);
          rejected++;
          continue;
        }
        accepted++;
        seenTypes.add(edit.type);
        const { next, inverse } = result;
        validateArrangement(next);
        // The inverse survives a JSON round trip unchanged (no undefined fields, no shared refs needed).
        expect(parseEdit(json(inverse))).toStrictEqual(inverse);
        const back = applyEdit(deepFreeze(next), json(inverse)).next;
        expect(back).toStrictEqual(before);
        arr = next;
      }
    }
    // The generator must actually exercise both paths and every edit type.
    expect(accepted).toBeGreaterThan(1500);
    expect(rejected).toBeGreaterThan(100);
    expect([...seenTypes].sort()).toEqual(
      ['addClip', 'addTrack', 'batch', 'duplicateClips', 'moveClip', 'moveTrack', 'removeClips', 'removeTrack', 'renameTrack', 'setClip', 'setFades', 'setLoop', 'setTempo', 'setTimeSignature', 'setTrack', 'splitClip', 'trimEnd', 'trimStart'].sort(),
    );
  });

  it('undoing a whole random session returns to the start; redoing it all returns to the end (through a JSON restart)', () => {
    for (let seed = 100; seed < 130; seed++) {
      const r = new Rand(seed);
      const start = randomArrangement(r);
      let arr: Arrangement = start;
      let history = new UndoHistory();
      const states: Arrangement[] = [arr];
      for (let step = 0; step < 40; step++) {
        const edit = randomEdit(r, arr);
        try {
          arr = history.apply(arr, edit);
          states.push(arr);
        } catch (e) {
          expect(e).toBeInstanceOf(EditError);
        }
        // Simulate an app restart now and then: history goes to JSON and comes back.
        if (step % 13 === 0) history = UndoHistory.fromJSON(JSON.stringify(history));
      }
      const end = arr;
      for (let i = states.length - 2; i >= 0; i--) {
        arr = history.undo(arr)!;
        expect(arr).toStrictEqual(states[i]);
      }
      expect(history.undo(arr)).toBeNull();
      history = UndoHistory.fromJSON(json(history.toJSON()));
      for (let i = 1; i < states.length; i++) {
        arr = history.redo(arr)!;
        expect(arr).toStrictEqual(states[i]);
      }
      expect(history.redo(arr)).toBeNull();
      expect(arr).toStrictEqual(end);
    }
  });

  it('random edits parse back from JSON identically (the command format is plain JSON)', () => {
    const r = new Rand(7);
    const arr = randomArrangement(r);
    let parsed = 0;
    for (let i = 0; i < 300; i++) {
      const e: Edit = randomEdit(r, arr);
      try {
        expect(parseEdit(json(e))).toStrictEqual(json(e));
        parsed++;
      } catch (err) {
        // Only shape errors (e.g. a negative frame in a new clip) may be refused at parse time.
        expect(err).toBeInstanceOf(EditError);
        expect((err as EditError).code).toBe('bad-edit');
      }
    }
    expect(parsed).toBeGreaterThan(270);
  });
});
