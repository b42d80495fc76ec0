/**
 * Pitch content of audio: a 12-bin chroma vector from long-window power spectra, and the check that
 * a take's strongest pitch classes are the ones its label names.
 */
import { parseMusicalLabel, type MusicalLabel } from './labels';
import { powerSpectra } from './spectrum';

/** Lowest and highest frequency counted (below: rumble and window leakage; above: mostly harmonics). */
const MIN_HZ = 60;
const MAX_HZ = 2100;

/**
 * Energy per pitch class (C = 0), normalised to sum 1. Each bin's magnitude counts towards its
 * nearest semitone, weighted down the further it lies from the semitone's centre, so energy between
 * notes (noise) spreads evenly instead of voting. Magnitude, not power: power lets one loud partial
 * outvote the other two notes of a chord.
 */
export function chroma(audio: Float32Array, rate: number): Float64Array {
  const spec = powerSpectra(audio, rate, 4096, 2048);
  const out = new Float64Array(12);
  const lo = Math.max(1, Math.ceil(MIN_HZ / spec.binHz));
  const hi = Math.min(spec.bins - 1, Math.floor(MAX_HZ / spec.binHz));
  for (let k = lo; k <= hi; k++) {
    const midi = 69 + 12 * Math.log2((k * spec.binHz) / 440);
    const nearest = Math.round(midi);
    const weight = Math.max(0, 1 - 2 * Math.abs(midi - nearest)); // 1 at the centre, 0 half a semitone away
    if (weight === 0) continue;
    let mag = 0;
    for (let f = 0; f < spec.frames; f++) mag += Math.sqrt(spec.power[f * spec.bins + k]);
    out[((nearest % 12) + 12) % 12] += weight * mag;
  }
  const sum = out.reduce((a, b) => a + b, 0);
  if (sum > 0) for (let i = 0; i < 12; i++) out[i] /= sum;
  return out;
}

/** Pitch classes in order of strength (strongest first). */
export function strongestPitchClasses(c: Float64Array, n: number): number[] {
  return [...c.keys()].sort((a, b) => c[b] - c[a] || a - b).slice(0, n);
}

export interface LabelCheck {
  /** Whether the audio's pitch content matches the label (null: the label names no note or chord). */
  matches: boolean | null;
  /** The strongest pitch classes found (3 for chords, 1 for notes). */
  found: number[];
  expected: number[];
}

/**
 * Does the audio sound like its label? A chord label ("C major") matches when its three pitch
 * classes are the audio's three strongest; a quality label ("minor") when the three strongest form
 * that quality at some root; a note label ("A3") when its pitch class is the strongest.
 */
export function checkLabel(audio: Float32Array, rate: number, label: string | MusicalLabel | null): LabelCheck {
  const meaning = typeof label === 'string' ? parseMusicalLabel(label) : label;
  if (!meaning) return { matches: null, found: [], expected: [] };
  const c = chroma(audio, rate);
  if (meaning.kind === 'note') {
    const found = strongestPitchClasses(c, 1);
    return { matches: found[0] === meaning.pitchClass && c[found[0]] > 0, found, expected: [meaning.pitchClass] };
  }
  const found = strongestPitchClasses(c, 3);
  const foundSet = [...found].sort((a, b) => a - b);
  if (meaning.kind === 'chord') {
    return { matches: sameSet(foundSet, meaning.pitchClasses), found, expected: meaning.pitchClasses };
  }
  for (let root = 0; root < 12; root++) {
    const pcs = meaning.intervals.map((i) => (root + i) % 12).sort((a, b) => a - b);
    if (sameSet(foundSet, pcs)) return { matches: true, found, expected: pcs };
  }
  return { matches: false, found, expected: [] };
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
