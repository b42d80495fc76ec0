/**
 * Rendering General MIDI notes and chords to WAV with fluidsynth + the FluidR3 soundfont + sox, for
 * the demo library and the benchmark sets (apt-get install -y fluidsynth fluid-soundfont-gm sox).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
const TICKS_PER_QUARTER = 480; // at the default 120 BPM a quarter is 0.5 s

/** MIDI variable-length quantity. */
function vlq(n: number): number[] {
  const bytes = [n & 0x7f];
  while ((n >>= 7) > 0) bytes.unshift((n & 0x7f) | 0x80);
  return bytes;
}

/** A format-0 Standard MIDI File: GM `program` playing `notes` together for `holdSeconds`, then releasing them. */
export function chordMidi(notes: number[], program = 0, holdSeconds = 1.5, velocity = 90): Uint8Array {
  const hold = Math.round(holdSeconds * 2 * TICKS_PER_QUARTER);
  const events: number[] = [0, 0xc0, program];
  for (const n of notes) events.push(0, 0x90, n, velocity);
  notes.forEach((n, i) => events.push(...vlq(i === 0 ? hold : 0), 0x80, n, 0));
  events.push(...vlq(TICKS_PER_QUARTER), 0xff, 0x2f, 0); // end of track after the release tail
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, TICKS_PER_QUARTER >> 8, TICKS_PER_QUARTER & 0xff];
  const len = events.length;
  const track = [0x4d, 0x54, 0x72, 0x6b, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff, ...events];
  return new Uint8Array([...header, ...track]);
}

/** Renders a MIDI file to `out`: mono 16-bit at `rate`, exactly `seconds` long, peak-normalised to -1 dBFS. */
export function renderMidi(midi: Uint8Array, out: string, rate = 16000, seconds = 2): void {
  const work = mkdtempSync(join(tmpdir(), 'wavehouse-fluid-'));
  try {
    const mid = join(work, 'in.mid');
    const raw = join(work, 'raw.wav');
    writeFileSync(mid, midi);
    execFileSync('fluidsynth', ['-ni', '-q', '-R', '0', '-C', '0', '-g', '0.9', '-r', '44100', '-F', raw, SOUNDFONT, mid], { stdio: 'ignore' });
    execFileSync('sox', [raw, '-r', String(rate), '-c', '1', '-b', '16', out, 'trim', '0', String(seconds), 'gain', '-n', '-1'], { stdio: 'ignore' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
