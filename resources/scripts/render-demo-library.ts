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
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chordMidi, renderMidi } from './fluid';

const OUT = fileURLToPath(new URL('../demo/piano-triads', import.meta.url));
const ROOTS: [string, number][] = [['C', 60], ['D', 62], ['E', 64], ['F', 65], ['G', 67], ['A', 69], ['B', 71]];
const QUALITIES: Record<string, number[]> = { major: [0, 4, 7], minor: [0, 3, 7], diminished: [0, 3, 6], augmented: [0, 4, 8] };

rmSync(OUT, { recursive: true, force: true });
for (const [quality, intervals] of Object.entries(QUALITIES)) {
  mkdirSync(join(OUT, quality), { recursive: true });
  for (const [root, midi] of ROOTS) {
    const name = `${root}4_${quality}`;
    renderMidi(chordMidi(intervals.map((i) => midi + i)), join(OUT, quality, `${name}.wav`));
  }
}
writeFileSync(
  join(OUT, 'README.md'),
  '# Piano triads (demo library)\n\nMajor, minor, diminished and augmented triads on C4…B4, rendered from the FluidR3 GM soundfont\n' +
    '(Frank Wen, MIT licence) by `resources/scripts/render-demo-library.ts`. 16 kHz, mono, 16-bit, 2 s each.\n',
);
console.log(`wrote ${ROOTS.length * Object.keys(QUALITIES).length} files to ${OUT}`);

