/**
 * Regenerates the demo library (resources/demo/piano-triads): major, minor, diminished and augmented
 * piano triads over seven roots, rendered from the FluidR3 General MIDI soundfont (MIT licence,
 * Debian package fluid-soundfont-gm) with fluidsynth, then mixed to 16 kHz mono 16-bit with sox.
 *
 *   apt-get install -y fluidsynth fluid-soundfont-gm sox
 *   npx tsx resources/scripts/render-demo-library.ts
 *
 * Files are named `{root}{octave}_{quality}.wav` in a folder per quality, so both the folder-name
 * labels and the filename-pattern labels of the import find the chord quality.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
const OUT = fileURLToPath(new URL('../demo/piano-triads', import.meta.url));
const ROOTS: [string, number][] = [['C', 60], ['D', 62], ['E', 64], ['F', 65], ['G', 67], ['A', 69], ['B', 71]];
const QUALITIES: Record<string, number[]> = { major: [0, 4, 7], minor: [0, 3, 7], diminished: [0, 3, 6], augmented: [0, 4, 8] };
const TICKS_PER_QUARTER = 480; // at the default 120 BPM a quarter is 0.5 s
const HOLD_TICKS = 1440; // 1.5 s

/** MIDI variable-length quantity. */
function vlq(n: number): number[] {
  const bytes = [n & 0x7f];
  while ((n >>= 7) > 0) bytes.unshift((n & 0x7f) | 0x80);
  return bytes;
}

/** A format-0 Standard MIDI File: acoustic grand piano playing `notes` together, then releasing them. */
function triadMidi(notes: number[]): Uint8Array {
  const events: number[] = [0, 0xc0, 0]; // program change: piano
  for (const n of notes) events.push(0, 0x90, n, 90);
  notes.forEach((n, i) => events.push(...vlq(i === 0 ? HOLD_TICKS : 0), 0x80, n, 0));
  events.push(...vlq(TICKS_PER_QUARTER), 0xff, 0x2f, 0); // end of track after the release tail
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, TICKS_PER_QUARTER >> 8, TICKS_PER_QUARTER & 0xff];
  const len = events.length;
  const track = [0x4d, 0x54, 0x72, 0x6b, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff, ...events];
  return new Uint8Array([...header, ...track]);
}

const work = mkdtempSync(join(tmpdir(), 'wavehouse-demo-'));
try {
  rmSync(OUT, { recursive: true, force: true });
  for (const [quality, intervals] of Object.entries(QUALITIES)) {
    mkdirSync(join(OUT, quality), { recursive: true });
    for (const [root, midi] of ROOTS) {
      const name = `${root}4_${quality}`;
      const mid = join(work, `${name}.mid`);
      const raw = join(work, `${name}.raw.wav`);
      writeFileSync(mid, triadMidi(intervals.map((i) => midi + i)));
      execFileSync('fluidsynth', ['-ni', '-q', '-R', '0', '-C', '0', '-g', '0.9', '-r', '44100', '-F', raw, SOUNDFONT, mid], { stdio: 'ignore' });
      // 16 kHz mono 16-bit, exactly 2 s, peak-normalised to -1 dBFS.
      execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', join(OUT, quality, `${name}.wav`), 'trim', '0', '2.0', 'gain', '-n', '-1'], { stdio: 'ignore' });
    }
  }
  writeFileSync(
    join(OUT, 'README.md'),
    '# Piano triads (demo library)\n\nMajor, minor, diminished and augmented triads on C4…B4, rendered from the FluidR3 GM soundfont\n' +
      '(Frank Wen, MIT licence) by `resources/scripts/render-demo-library.ts`. 16 kHz, mono, 16-bit, 2 s each.\n',
  );
  console.log(`wrote ${ROOTS.length * Object.keys(QUALITIES).length} files to ${OUT}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
