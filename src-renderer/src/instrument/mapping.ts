/**
 * Which label each key and MIDI note plays. Pure: the defaults, merging a stored mapping with the
 * labels a checkpoint knows, and the checks the editor shows (the backend checks the same on save).
 *
 * Default scheme (documented in docs/architecture.md, "Instrument"):
 * - a note label ("C4", "F#3"; no octave means octave 4) plays its own MIDI note (C4 = 60);
 * - a chord label ("C major", "Bb4 minor") plays the MIDI note of its root, in the octave the label
 *   names or else in its quality's band: minor in octave 3 (48–59), major 4 (60–71), diminished 2
 *   (36–47), augmented 5 (72–83), suspended/other 6 — so 48 triads fill four octaves without clashing;
 * - computer keys follow a piano: the row a w s e d f t g y h u j k o l p ; ' is the 18 semitones from
 *   the C at or below the lowest pitched label (in the band with the most labels for chords);
 * - every other label (and any pitched label a key or note was already taken from) gets the next free
 *   key (unused piano-row keys first, then 1…0, z…/, q r i [ ] - = \) and the next free note from C2 (36).
 */
import { INSTRUMENT_KEY_CODES, PIANO_ROW_CODES } from '../../../src-shared/instrument/keys';
import { parseMusicalLabel } from '../../../src-shared/pitch/labels';

/** One label's key and note (null: not playable that way). */
export interface MappingEntry {
  label: string;
  /** KeyboardEvent.code of the computer key, or null. */
  key: string | null;
  /** MIDI note number 0–127, or null. */
  note: number | null;
}

/** Octave of a chord's root by quality, when its label names none. */
export const QUALITY_OCTAVE: Record<string, number> = { minor: 3, major: 4, diminished: 2, augmented: 5 };
const OTHER_QUALITY_OCTAVE = 6;
/** Octave of a note label without one ("G"). */
export const DEFAULT_NOTE_OCTAVE = 4;
/** Where labels without a pitch start taking notes (C2, the GM drum map's neighbourhood). */
export const FIRST_FREE_NOTE = 36;

const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** "C4" for 60 (scientific pitch, C4 = middle C = 60). */
export function noteName(note: number): string {
  return `${NOTE_NAMES[note % 12]}${Math.floor(note / 12) - 1}`;
}

/** The MIDI note a label names by the scheme above, or null when it names no pitch. */
export function labelNote(label: string): number | null {
  const m = parseMusicalLabel(label);
  if (!m || m.kind === 'quality') return null;
  // The octave the label names, if any (parseMusicalLabel keeps it for notes; chords are reparsed).
  const octaveOf = /^[A-Ga-g](?:#|♯|s|b|♭)?(-?\d)/.exec(label.trim());
  const named = octaveOf ? Number(octaveOf[1]) : null;
  const pc = m.kind === 'note' ? m.pitchClass : m.root;
  const octave = named ?? (m.kind === 'note' ? DEFAULT_NOTE_OCTAVE : (QUALITY_OCTAVE[m.quality] ?? OTHER_QUALITY_OCTAVE));
  const note = 12 * (octave + 1) + pc;
  return note >= 0 && note <= 127 ? note : null;
}

/** The default mapping for a checkpoint's labels, avoiding keys and notes already `taken`. */
export function defaultMapping(labels: readonly string[], taken: { keys?: Iterable<string>; notes?: Iterable<number> } = {}): MappingEntry[] {
  const usedKeys = new Set<string>(taken.keys ?? []);
  const usedNotes = new Set<number>(taken.notes ?? []);
  const notes = new Map<string, number>();
  for (const label of labels) {
    const n = labelNote(label);
    if (n !== null && !usedNotes.has(n) && ![...notes.values()].includes(n)) notes.set(label, n);
  }
  // The piano row starts at the C of the lowest note in the most populated octave band.
  const byOctave = new Map<number, number>();
  for (const n of notes.values()) byOctave.set(Math.floor(n / 12), (byOctave.get(Math.floor(n / 12)) ?? 0) + 1);
  let baseOctave: number | null = null;
  for (const [octave, count] of byOctave) {
    const best = baseOctave === null ? -1 : byOctave.get(baseOctave)!;
    if (count > best || (count === best && octave < baseOctave!)) baseOctave = octave;
  }
  const keys = new Map<string, string>();
  if (baseOctave !== null) {
    for (const [label, n] of notes) {
      const code = PIANO_ROW_CODES[n - baseOctave * 12];
      if (code && !usedKeys.has(code)) {
        keys.set(label, code);
        usedKeys.add(code);
      }
    }
  }
  for (const n of notes.values()) usedNotes.add(n);
  const spareKeys = INSTRUMENT_KEY_CODES.filter((c) => !usedKeys.has(c));
  let nextNote = FIRST_FREE_NOTE;
  return labels.map((label) => {
    let key = keys.get(label) ?? null;
    if (key === null && spareKeys.length) key = spareKeys.shift()!;
    let note = notes.get(label) ?? null;
    if (note === null) {
      while (nextNote <= 127 && usedNotes.has(nextNote)) nextNote++;
      if (nextNote <= 127) {
        note = nextNote;
        usedNotes.add(note);
      }
    }
    return { label, key, note };
  });
}

/**
 * The mapping in force for `labels`: the stored entry where the user set one, the default for the
 * rest (defaults never take a key or note a stored entry uses). Stored entries for labels this
 * checkpoint does not know are left out (they stay stored for a checkpoint that does).
 */
export function resolveMapping(labels: readonly string[], stored: readonly MappingEntry[]): MappingEntry[] {
  const known = new Set(labels);
  const own = new Map(stored.filter((e) => known.has(e.label)).map((e) => [e.label, e]));
  const taken = {
    keys: [...own.values()].flatMap((e) => (e.key ? [e.key] : [])),
    notes: [...own.values()].flatMap((e) => (e.note !== null ? [e.note] : [])),
  };
  const defaults = defaultMapping(labels.filter((l) => !own.has(l)), taken);
  const byLabel = new Map(defaults.map((e) => [e.label, e]));
  return labels.map((label) => own.get(label) ?? byLabel.get(label)!);
}

/** Problems that would make a mapping ambiguous: a key or note given to two labels. Empty when fine. */
export function mappingProblems(entries: readonly MappingEntry[]): string[] {
  const problems: string[] = [];
  const keys = new Map<string, string>();
  const notes = new Map<number, string>();
  for (const e of entries) {
    if (e.key !== null) {
      if (!INSTRUMENT_KEY_CODES.includes(e.key)) problems.push(`"${e.label}": ${e.key} is not a key the instrument can use`);
      else if (keys.has(e.key)) problems.push(`"${e.label}" and "${keys.get(e.key)}" share a key`);
      else keys.set(e.key, e.label);
    }
    if (e.note !== null) {
      if (!Number.isInteger(e.note) || e.note < 0 || e.note > 127) problems.push(`"${e.label}": note ${e.note} is outside MIDI's 0–127`);
      else if (notes.has(e.note)) problems.push(`"${e.label}" and "${notes.get(e.note)}" share note ${noteName(e.note)}`);
      else notes.set(e.note, e.label);
    }
  }
  return problems;
}

/** Lookup tables from a resolved mapping: key code → label, MIDI note → label. */
export function mappingIndex(entries: readonly MappingEntry[]): { byKey: Map<string, string>; byNote: Map<number, string> } {
  const byKey = new Map<string, string>();
  const byNote = new Map<number, string>();
  for (const e of entries) {
    if (e.key !== null && !byKey.has(e.key)) byKey.set(e.key, e.label);
    if (e.note !== null && !byNote.has(e.note)) byNote.set(e.note, e.label);
  }
  return { byKey, byNote };
}
