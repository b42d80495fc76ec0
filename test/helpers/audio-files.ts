import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeWav } from '../../src-main/audio/wav-encode';

/** A sine of `seconds` at `freq` Hz, `channels` channels. */
export function sine(seconds: number, rate: number, freq = 440, channels = 1, amplitude = 0.5): Float32Array[] {
  const n = Math.round(seconds * rate);
  return Array.from({ length: channels }, () => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
    return a;
  });
}

/** Writes a 16-bit WAV of a sine to root/rel, creating folders. */
export function writeSineWav(root: string, rel: string, { seconds = 0.25, rate = 16000, freq = 440, channels = 1 } = {}): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeWav(sine(seconds, rate, freq, channels), rate, { bits: 16, dither: 'none' }));
  return path;
}

/** Writes `count` WAV files into root/sub-NN folders (a library big enough to take a while). */
export function writeManyWavs(root: string, count: number, opts: { seconds?: number; rate?: number; channels?: number } = {}): void {
  const bytes = encodeWav(sine(opts.seconds ?? 1, opts.rate ?? 44100, 330, opts.channels ?? 2), opts.rate ?? 44100, { bits: 16, dither: 'none' });
  for (let i = 0; i < count; i++) {
    const path = join(root, `sub-${String(i % 10).padStart(2, '0')}`, `take-${i}.wav`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}
