import { describe, expect, it } from 'vitest';
import { createWavEncoder, decodeWav, encodeWav } from '../../../src-main/audio';

function noise(frames: number, channels: number, seed: number): Float32Array[] {
  let s = seed;
  return Array.from({ length: channels }, () => {
    const a = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      a[i] = (s / 2 ** 32) * 2.2 - 1.1; // a little beyond full scale, to exercise clipping
    }
    return a;
  });
}

/** Encodes in uneven blocks, the way the export streams stems. */
function streamed(channels: Float32Array[], rate: number, opts: Parameters<typeof encodeWav>[2], blocks: number[]): Uint8Array {
  const frames = channels[0].length;
  const enc = createWavEncoder(channels.length, rate, frames, opts);
  const parts = [enc.header];
  let at = 0;
  for (let b = 0; at < frames; b++) {
    const n = Math.min(blocks[b % blocks.length], frames - at);
    parts.push(enc.encode(channels.map((c) => c.subarray(at, at + n)), n));
    at += n;
  }
  parts.push(enc.trailer);
  return Buffer.concat(parts);
}

describe('streaming WAV encoder', () => {
  const cases = [
    { bits: 16 as const, dither: 'tpdf' as const, channels: 2, frames: 10_001 },
    { bits: 24 as const, channels: 1, frames: 4_097 }, // odd data size: needs the pad byte
    { bits: '32f' as const, channels: 2, frames: 3_000 },
    { bits: 16 as const, dither: 'none' as const, channels: 3, frames: 777 },
  ];
  for (const c of cases) {
    it(`equals the whole-file encoder byte for byte (${c.bits}-bit, ${c.channels} ch, ${c.frames} frames)`, () => {
      const audio = noise(c.frames, c.channels, c.frames);
      const opts = { bits: c.bits, dither: c.dither, seed: 7, bext: { timeReference: 48_000 * 3600, originator: 'Wavehouse' } };
      const whole = encodeWav(audio, 48_000, opts);
      const inBlocks = streamed(audio, 48_000, opts, [1000, 1, 4096, 333]);
      expect(Buffer.from(inBlocks).equals(Buffer.from(whole))).toBe(true);
      expect(decodeWav(inBlocks).frames).toBe(c.frames);
    });
  }

  it('refuses more frames than the header promised', () => {
    const enc = createWavEncoder(1, 8000, 10, { bits: 16 });
    enc.encode([new Float32Array(6)]);
    expect(() => enc.encode([new Float32Array(6)])).toThrow(/header promised 10/);
  });
});
