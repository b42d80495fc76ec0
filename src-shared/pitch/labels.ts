/**
 * Musical meaning of a label, where it has one: "C major", "F# dim", "Bb4 minor", "A3", "G". Chord
 * labels give three pitch classes, note labels one; labels without a root name a quality only
 * ("major") and are checked for the chord's shape at any root.
 */

const LETTERS: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

/** Intervals of each chord quality above its root, in semitones. */
export const QUALITIES: Record<string, number[]> = {
  major: [0, 4, 7],
  minor: [0, 3, 7],
  diminished: [0, 3, 6],
  augmented: [0, 4, 8],
};

const QUALITY_ALIASES: Record<string, keyof typeof QUALITIES> = {
  major: 'major', maj: 'major', M: 'major',
  minor: 'minor', min: 'minor', m: 'minor',
  diminished: 'diminished', dim: 'diminished', '°': 'diminished', o: 'diminished',
  augmented: 'augmented', aug: 'augmented', '+': 'augmented',
};

export const PITCH_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** What a label says about the sound. */
export type MusicalLabel =
  | { kind: 'chord'; root: number; quality: string; pitchClasses: number[] }
  | { kind: 'quality'; quality: string; intervals: number[] }
  | { kind: 'note'; pitchClass: number; octave: number | null };

/** Parses a label into its musical meaning, or null when it names no note or chord. */
export function parseMusicalLabel(label: string): MusicalLabel | null {
  const text = label.trim();
  const qualityOnly = QUALITY_ALIASES[text] ?? QUALITY_ALIASES[text.toLowerCase()];
  if (qualityOnly && text.length > 1) return { kind: 'quality', quality: qualityOnly, intervals: QUALITIES[qualityOnly] };
  // root letter, accidental (#, s for sharp in file names, b, ♯, ♭), optional octave, optional quality.
  const m = /^([A-Ga-g])(#|♯|s|b|♭)?(-?\d)?(?:[\s_-]*([A-Za-z°+]+))?$/.exec(text);
  if (!m) return null;
  let pc = LETTERS[m[1].toLowerCase()];
  if (m[2] === '#' || m[2] === '♯' || m[2] === 's') pc += 1;
  if (m[2] === 'b' || m[2] === '♭') pc -= 1;
  pc = (pc + 12) % 12;
  const octave = m[3] !== undefined ? Number(m[3]) : null;
  if (!m[4]) return { kind: 'note', pitchClass: pc, octave };
  const quality = QUALITY_ALIASES[m[4]] ?? QUALITY_ALIASES[m[4].toLowerCase()];
  if (!quality) return null;
  return { kind: 'chord', root: pc, quality, pitchClasses: QUALITIES[quality].map((i) => (pc + i) % 12).sort((a, b) => a - b) };
}
