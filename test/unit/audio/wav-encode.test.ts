import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { encodeWav } from '../../../src-main/audio/wav-encode';
import { decodeWav } from '../../../src-main/audio/wav';

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
/** Offset of a chunk's body by walking the chunk list (independent of the decoder). */
function chunkAt(b: Uint8Array, id: string): number {
  for (let p = 12; p + 8 <= b.length; p += 8 + dv(b).getUint32(p + 4, true) + (dv(b).getUint32(p + 4, true) & 1))
    if (ascii(b, p, 4) === id) return p + 8;
  return -1;
}
const ramp = (n: number, scale: number) => Float32Array.from({ length: n }, (_, i) => (i - n / 2) / scale);

describe('encodeWav', () => {
  it('16-bit stereo without dither: plain PCM header, exact round trip', () => {
    const l = Float32Array.from([0, 1 / 32768, -1, 32767 / 32768, 0.5]);
    const r = Float32Array.from([-0.5, 0.25, 100 / 32768, -100 / 32768, 0]);
    const b = encodeWav([l, r], 44100, { bits: 16, dither: 'none' });
    const f = chunkAt(b, 'fmt ');
    expect(dv(b).getUint32(f - 4, true)).toBe(16);
    expect(dv(b).getUint16(f, true)).toBe(1);
    expect(b.length).toBe(44 + 5 * 4);
    const a = decodeWav(b);
    expect(a).toMatchObject({ channels: 2, sampleRate: 44100, bitDepth: 16, format: 'pcm', codec: 'wav', frames: 5, warnings: [] });
    expect(Array.from(a.data[0])).toEqual(Array.from(l));
    expect(Array.from(a.data[1])).toEqual(Array.from(r));
  });

  it('clips to full scale (+1 → 32767, −2 → −32768) and writes NaN as 0', () => {
    const b = encodeWav([Float32Array.from([1, 2, -2, NaN])], 8000, { bits: 16, dither: 'none' });
    const d = chunkAt(b, 'data');
    expect([0, 1, 2, 3].map((i) => dv(b).getInt16(d + 2 * i, true))).toEqual([32767, 32767, -32768, 0]);
  });

  it('TPDF dither is deterministic per seed, bounded, and unbiased', () => {
    const x = new Float32Array(20000).fill(0.3 / 32768); // a DC of 0.3 LSB: plain rounding would give all zeros
    const a = encodeWav([x], 16000, { bits: 16, seed: 7 });
    expect(encodeWav([x], 16000, { bits: 16, seed: 7 })).toEqual(a);
    expect(encodeWav([x], 16000, { bits: 16, seed: 8 })).not.toEqual(a);
    const y = decodeWav(a).data[0];
    let sum = 0;
    for (const v of y) {
      expect(Math.abs(v * 32768 - 0.3)).toBeLessThan(1.5 + 1e-9);
      sum += v * 32768;
    }
    expect(sum / y.length).toBeCloseTo(0.3, 1); // the dithered mean keeps the sub-LSB level
    expect(encodeWav([x], 16000, { bits: 16, dither: 'none' }).subarray(44).every((v) => v === 0)).toBe(true);
  });

  it('24-bit: WAVE_FORMAT_EXTENSIBLE (PCM > 16 bits) with exact round trip', () => {
    const x = Float32Array.from([-1, 8388607 / 8388608, 1 / 8388608, -12345 / 8388608, 0]);
    const b = encodeWav([x], 96000, { bits: 24 });
    const f = chunkAt(b, 'fmt ');
    expect(dv(b).getUint16(f, true)).toBe(0xfffe);
    expect(dv(b).getUint16(f + 24, true)).toBe(1); // sub-format PCM
    expect(dv(b).getUint32(f + 20, true)).toBe(4); // mono: front centre
    const a = decodeWav(b);
    expect(a).toMatchObject({ bitDepth: 24, format: 'pcm', sampleRate: 96000 });
    expect(Array.from(a.data[0])).toEqual(Array.from(x));
  });

  it('32-bit float stereo: plain IEEE float header with fact chunk, bit-exact', () => {
    const x = ramp(101, 60);
    const b = encodeWav([x, x.map((v) => -v)], 48000, { bits: '32f' });
    expect(dv(b).getUint16(chunkAt(b, 'fmt '), true)).toBe(3);
    expect(dv(b).getUint32(chunkAt(b, 'fact'), true)).toBe(101);
    const a = decodeWav(b);
    const clipped = x.map((v) => Math.max(-1, Math.min(1, v)));
    expect(Array.from(a.data[0])).toEqual(Array.from(clipped));
    expect(a.warnings).toEqual([]);
  });

  it('more than 2 channels: extensible float with no speaker mask', () => {
    const chs = [0, 1, 2, 3, 4, 5].map((c) => Float32Array.from([c / 10, -c / 10]));
    const b = encodeWav(chs, 44100, { bits: '32f' });
    const f = chunkAt(b, 'fmt ');
    expect(dv(b).getUint16(f, true)).toBe(0xfffe);
    expect(dv(b).getUint16(f + 24, true)).toBe(3);
    expect(dv(b).getUint32(f + 20, true)).toBe(0);
    const a = decodeWav(b);
    expect(a.channels).toBe(6);
    for (let c = 0; c < 6; c++) expect(Array.from(a.data[c])).toEqual(Array.from(chs[c]));
  });

  it('BWF bext chunk: description, originator, 64-bit time reference', () => {
    const t = 2 ** 32 + 12345; // > 4 G samples since midnight is legal at 192 kHz
    const b = encodeWav([new Float32Array(3)], 48000, { bits: 24, bext: { description: 'Take 7', originator: 'Wavehouse', timeReference: t } });
    const p = chunkAt(b, 'bext');
    expect(dv(b).getUint32(p - 4, true)).toBe(602);
    expect(ascii(b, p, 6)).toBe('Take 7');
    expect(b[p + 6]).toBe(0);
    expect(ascii(b, p + 256, 9)).toBe('Wavehouse');
    expect(dv(b).getUint32(p + 338, true)).toBe(12345);
    expect(dv(b).getUint32(p + 342, true)).toBe(1);
    expect(dv(b).getUint16(p + 346, true)).toBe(1);
    expect(decodeWav(b).frames).toBe(3);
  });

  it('rejects ragged channels and bad rates', () => {
    expect(() => encodeWav([new Float32Array(2), new Float32Array(3)], 44100, { bits: 16 })).toThrow(RangeError);
    expect(() => encodeWav([new Float32Array(2)], 0, { bits: 16 })).toThrow(RangeError);
    expect(() => encodeWav([], 44100, { bits: 16 })).toThrow(RangeError);
  });

  it('wavefile (an independent reader) agrees on 24-bit samples', () => {
    const x = Float32Array.from([0.5, -0.25, 1 / 8388608]);
    const w = new wavefile.WaveFile(encodeWav([x], 44100, { bits: 24 }));
    expect(w.bitDepth).toBe('24');
    expect(Array.from(w.getSamples(false, Int32Array) as unknown as Int32Array)).toEqual([4194304, -2097152, 1]);
  });
});

const soxi = existsSync('/usr/bin/soxi') ? '/usr/bin/soxi' : null;
describe.runIf(soxi)('sox reads what encodeWav writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wh-enc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases: [string, Float32Array[], 16 | 24 | '32f', RegExp][] = [
    ['s16', [ramp(1000, 2000), ramp(1000, 3000)], 16, /Channels\s*: 2[\s\S]*Sample Rate\s*: 44100[\s\S]*Precision\s*: 16-bit[\s\S]*Duration\s*: 00:00:00.02 = 1000 samples/],
    ['s24', [ramp(1000, 2000)], 24, /Channels\s*: 1[\s\S]*Precision\s*: 24-bit[\s\S]*1000 samples/],
    ['f32x6', Array.from({ length: 6 }, () => ramp(1000, 2000)), '32f', /Channels\s*: 6[\s\S]*Precision\s*: 25-bit[\s\S]*1000 samples[\s\S]*Floating Point PCM/],
  ];
  for (const [name, chs, bits, expected] of cases)
    it(`${name} is accepted by soxi`, () => {
      const path = join(dir, `${name}.wav`);
      writeFileSync(path, encodeWav(chs, 44100, { bits, bext: { timeReference: 0, description: name } }));
      expect(execFileSync(soxi!, [path], { encoding: 'utf8' })).toMatch(expected);
    });
});
