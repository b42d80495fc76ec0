import { describe, expect, it } from 'vitest';
import { INSTRUMENT_KEY_CODES, keyCodeLabel, PIANO_ROW_CODES } from '../../../../src-shared/instrument/keys';
import { defaultMapping, labelNote, mappingIndex, mappingProblems, noteName, resolveMapping } from '../../../../src-renderer/src/instrument/mapping';

const TRIADS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'].flatMap((r) => ['major', 'minor', 'diminished', 'augmented'].map((q) => `${r} ${q}`));

describe('labelNote', () => {
  it('gives note labels their own MIDI note (C4 = 60), octave 4 when none is named', () => {
    expect(labelNote('C4')).toBe(60);
    expect(labelNote('F#3')).toBe(54);
    expect(labelNote('Bb2')).toBe(46);
    expect(labelNote('A0')).toBe(21);
    expect(labelNote('G')).toBe(67);
    expect(noteName(54)).toBe('F#3');
    expect(noteName(60)).toBe('C4');
  });
  it('gives chord labels their root in the octave of their quality band, or the octave they name', () => {
    expect(labelNote('C major')).toBe(60);
    expect(labelNote('A minor')).toBe(57);
    expect(labelNote('C diminished')).toBe(36);
    expect(labelNote('E aug')).toBe(76);
    expect(labelNote('Bb4 minor')).toBe(70);
    expect(labelNote('C4_major')).toBe(60);
  });
  it('gives labels without a pitch none', () => {
    for (const l of ['kick', 'major', 'minor', 'snare 2', '']) expect(labelNote(l)).toBeNull();
  });
});

describe('defaultMapping', () => {
  it('lays note labels on the piano row from the C below the lowest note', () => {
    const m = defaultMapping(['C4', 'C#4', 'D4', 'E4', 'C5', 'F5']);
    expect(m.map((e) => [e.label, e.key, e.note])).toEqual([
      ['C4', 'KeyA', 60],
      ['C#4', 'KeyW', 61],
      ['D4', 'KeyS', 62],
      ['E4', 'KeyD', 64],
      ['C5', 'KeyK', 72],
      ['F5', 'Quote', 77],
    ]);
  });
  it('maps all 48 triads to distinct notes in four octave bands and to distinct keys', () => {
    const m = defaultMapping(TRIADS);
    expect(mappingProblems(m)).toEqual([]);
    expect(new Set(m.map((e) => e.note)).size).toBe(48);
    expect(m.find((e) => e.label === 'A minor')!.note).toBe(57);
    expect(m.find((e) => e.label === 'C major')!.note).toBe(60);
    // The four bands are the octaves 2–5.
    expect(Math.min(...m.map((e) => e.note!))).toBe(36);
    expect(Math.max(...m.map((e) => e.note!))).toBe(83);
    // Every band has as many labels (12); the lowest octave wins the tie, so diminished plays the piano row.
    expect(m.find((e) => e.label === 'C diminished')!.key).toBe('KeyA');
    expect(m.find((e) => e.label === 'C# diminished')!.key).toBe('KeyW');
    // 48 labels, 46 keys: two labels are MIDI-only.
    expect(m.filter((e) => e.key !== null)).toHaveLength(INSTRUMENT_KEY_CODES.length);
    expect(m.filter((e) => e.key === null)).toHaveLength(48 - INSTRUMENT_KEY_CODES.length);
  });
  it('gives other labels successive keys (free piano-row keys first) and successive notes from C2', () => {
    const m = defaultMapping(['kick', 'snare', 'hat']);
    expect(m).toEqual([
      { label: 'kick', key: PIANO_ROW_CODES[0], note: 36 },
      { label: 'snare', key: PIANO_ROW_CODES[1], note: 37 },
      { label: 'hat', key: PIANO_ROW_CODES[2], note: 38 },
    ]);
  });
  it('mixes pitched and unpitched labels without clashes', () => {
    const m = defaultMapping(['C2', 'kick', 'D2']);
    expect(mappingProblems(m)).toEqual([]);
    expect(m[0]).toEqual({ label: 'C2', key: 'KeyA', note: 36 });
    expect(m[2]).toEqual({ label: 'D2', key: 'KeyS', note: 38 });
    expect(m[1]).toEqual({ label: 'kick', key: 'KeyW', note: 37 });
  });
  it('gives a second label naming the same note the next free one', () => {
    const m = defaultMapping(['C4', 'c4']);
    expect(m[0].note).toBe(60);
    expect(m[1].note).toBe(36);
    expect(mappingProblems(m)).toEqual([]);
  });
});

describe('resolveMapping', () => {
  it('keeps stored entries, fills the rest with defaults that avoid them, and drops labels the model lacks', () => {
    const stored = [
      { label: 'C4', key: 'KeyZ', note: 62 },
      { label: 'gone', key: 'KeyA', note: 1 },
    ];
    const m = resolveMapping(['C4', 'D4'], stored);
    expect(m[0]).toEqual({ label: 'C4', key: 'KeyZ', note: 62 });
    // D4's own note (62) is taken by the stored C4, so it gets the next free one.
    expect(m[1].label).toBe('D4');
    expect(m[1].note).not.toBe(62);
    expect(m[1].key).not.toBe('KeyZ');
    expect(mappingProblems(m)).toEqual([]);
  });
  it('index looks up labels by key and note', () => {
    const { byKey, byNote } = mappingIndex([{ label: 'x', key: 'KeyA', note: 60 }, { label: 'y', key: null, note: null }]);
    expect(byKey.get('KeyA')).toBe('x');
    expect(byNote.get(60)).toBe('x');
    expect(byKey.size + byNote.size).toBe(2);
  });
});

describe('mappingProblems', () => {
  it('names shared keys, shared notes, unknown keys and notes out of range', () => {
    expect(
      mappingProblems([
        { label: 'a', key: 'KeyA', note: 60 },
        { label: 'b', key: 'KeyA', note: 60 },
        { label: 'c', key: 'F13', note: 128 },
      ]),
    ).toEqual(['"b" and "a" share a key', '"b" and "a" share note C4', '"c": F13 is not a key the instrument can use', '"c": note 128 is outside MIDI\'s 0–127']);
  });
  it('key labels read as on a US keyboard', () => {
    expect(['KeyA', 'Digit0', 'Semicolon', 'Quote', 'Backslash'].map(keyCodeLabel)).toEqual(['A', '0', ';', "'", '\\']);
  });
});
