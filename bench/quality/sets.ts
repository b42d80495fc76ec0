/**
 * The labelled sets the quality bench trains on: the demo library, and sets rendered here with
 * fluidsynth (cached under the OS temp folder, re-rendered when missing).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chordMidi, renderMidi } from '../../resources/scripts/fluid';
import { PITCH_NAMES, QUALITIES } from '../../src-main/quality';

export interface QualitySet {
  name: string;
  /** Folder of WAV files to import. */
  dir: string;
  /** How labels are assigned at import: folder names, or a file-name pattern. */
  labels: { folder: true } | { pattern: string; labelFrom: string[] };
  /** Seconds of each take generated per label. */
  takeSeconds: number;
  description: string;
}

const CACHE = join(tmpdir(), 'wavehouse-bench-sets');

/** Renders `files` (name → MIDI) into the set's cache folder unless it is complete. */
function rendered(name: string, files: [string, Uint8Array][], seconds: number): string {
  const dir = join(CACHE, name);
  if (existsSync(dir) && readdirSync(dir).length === files.length) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const [file, midi] of files) renderMidi(midi, join(partial, file), 16000, seconds);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** The 96 triads: 12 roots × octaves 3–4 × 4 qualities on the piano, 2.5 s, labels "<root> <quality>". */
export function triads96(): QualitySet {
  const files: [string, Uint8Array][] = [];
  for (let pc = 0; pc < 12; pc++) {
    for (const octave of [3, 4]) {
      for (const [quality, intervals] of Object.entries(QUALITIES)) {
        const root = 12 * (octave + 1) + pc;
        files.push([`${PITCH_NAMES[pc]}${octave}_${quality}.wav`, chordMidi(intervals.map((i) => root + i), 0, 2.0)]);
      }
    }
  }
  return {
    name: 'triads96',
    dir: rendered('triads96', files, 2.5),
    labels: { pattern: '{root}{octave}_{quality}', labelFrom: ['root', 'quality'] },
    takeSeconds: 2.5,
    description: '96 piano triads, 48 labels "<root> <quality>" (two octaves each)',
  };
}

/** Single nylon-guitar notes (GM 24) over 12 pitch classes × octaves 3–5, 2 s, labels "<note>" (e.g. "F#4"), one clip per label. */
export function guitarNotes(): QualitySet {
  const files: [string, Uint8Array][] = [];
  for (const octave of [3, 4, 5]) {
    for (let pc = 0; pc < 12; pc++) files.push([`${PITCH_NAMES[pc]}${octave}.wav`, chordMidi([12 * (octave + 1) + pc], 24, 1.5, 100)]);
  }
  return {
    name: 'guitar-notes',
    dir: rendered('guitar-notes', files, 2.0),
    labels: { pattern: '{note}', labelFrom: ['note'] },
    takeSeconds: 2,
    description: '36 nylon-guitar notes, one clip per label "<note><octave>"',
  };
}

/** The demo library shipped with the studio: 28 piano triads, labelled by quality (folder names). */
export function demoTriads(): QualitySet {
  return {
    name: 'demo',
    dir: fileURLToPath(new URL('../../resources/demo/piano-triads', import.meta.url)),
    labels: { folder: true },
    takeSeconds: 2,
    description: 'the demo library: 28 piano triads, labels = quality (folder)',
  };
}

export const SETS: Record<string, () => QualitySet> = { demo: demoTriads, triads96, 'guitar-notes': guitarNotes };
