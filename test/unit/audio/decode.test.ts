import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, probeAudio } from '../../../src-main/audio/decode';
import { decodeWav } from '../../../src-main/audio/wav';
import { encodeWav } from '../../../src-main/audio/wav-encode';
import { AudioDecodeError, type AudioDecodeErrorCode } from '../../../src-main/audio/types';
import { concat } from './wav-builder';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/audio/${name}`, import.meta.url)));
const enc = new TextEncoder();
const be = (n: number, bytes: number) => Uint8Array.from({ length: bytes }, (_, i) => (n >>> (8 * (bytes - 1 - i))) & 0xff);

/** Hand-written big-endian AIFF (44.1 kHz) with the given integer frames. */
function aiff(frames: number[][], bits: 16 | 24, opts: { declaredFrames?: number; aifc?: string } = {}): Uint8Array {
  const ch = frames[0].length;
  const bytes = bits / 8;
  const rate44k1 = Uint8Array.from([0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]);
  let comm = concat(be(ch, 2), be(opts.declaredFrames ?? frames.length, 4), be(bits, 2), rate44k1);
  if (opts.aifc) comm = concat(comm, enc.encode(opts.aifc), Uint8Array.of(0, 0));
  const pcm = concat(...frames.flat().map((v) => be(v & (2 ** bits - 1), bytes)));
  const body = concat(enc.encode(opts.aifc ? 'AIFC' : 'AIFF'), enc.encode('COMM'), be(comm.length, 4), comm, enc.encode('SSND'), be(pcm.length + 8, 4), new Uint8Array(8), pcm);
  return concat(enc.encode('FORM'), be(body.length, 4), body);
}

async function rejection(p: Promise<unknown>): Promise<AudioDecodeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AudioDecodeError);
    return e as AudioDecodeError;
  }
  throw new Error('expected an AudioDecodeError, the promise resolved');
}
const codeOf = async (p: Promise<unknown>): Promise<AudioDecodeErrorCode> => (await rejection(p)).code;

/** Amplitude of a tone (single-bin DFT over whole cycles). */
function toneAmplitude(x: Float32Array, freq: number, rate: number, from: number, n: number): number {
  let re = 0;
  let im = 0;
  for (let i = from; i < from + n; i++) {
    re += x[i] * Math.cos((2 * Math.PI * freq * i) / rate);
    im += x[i] * Math.sin((2 * Math.PI * freq * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / n;
}

describe('decodeAudio: lossless formats match the WAV they were made from, sample for sample', () => {
  for (const [name, wav, info] of [
    ['tone-16.flac', 'tone-16.wav', { codec: 'flac', channels: 2, sampleRate: 44100, bitDepth: 16, frames: 4410 }],
    ['tone-16.aiff', 'tone-16.wav', { codec: 'aiff', channels: 2, sampleRate: 44100, bitDepth: 16, frames: 4410 }],
    ['tone-24.flac', 'tone-24.wav', { codec: 'flac', channels: 1, sampleRate: 48000, bitDepth: 24, frames: 3840 }],
    ['tone-24.aiff', 'tone-24.wav', { codec: 'aiff', channels: 1, sampleRate: 48000, bitDepth: 24, frames: 3840 }],
  ] as const)
    it(name, async () => {
      const a = await decodeAudio(fixture(name));
      const ref = decodeWav(fixture(wav));
      expect(a).toMatchObject({ ...info, format: 'pcm', truncated: false, warnings: [] });
      expect(probeAudio(fixture(name))).toEqual({ ...info, format: 'pcm', warnings: [] });
      for (let c = 0; c < ref.channels; c++) expect(a.data[c]).toEqual(ref.data[c]);
      expect(ref.data[0].some((v) => v !== 0)).toBe(true);
    });

  it('hand-written AIFF gives exact big-endian values', async () => {
    const frames = [[-32768, 32767], [1, -1], [256, -12345]];
    const a = await decodeAudio(aiff(frames, 16));
    expect(a).toMatchObject({ codec: 'aiff', channels: 2, sampleRate: 44100, frames: 3 });
    expect(Array.from(a.data[0])).toEqual(frames.map((f) => Math.fround(f[0] / 32768)));
    expect(Array.from(a.data[1])).toEqual(frames.map((f) => Math.fround(f[1] / 32768)));
  });

  it('WAV bytes go to our own decoder', async () => {
    const a = await decodeAudio(fixture('tone-16.wav'));
    expect(a.codec).toBe('wav');
    expect(a.data[1]).toEqual(decodeWav(fixture('tone-16.wav')).data[1]);
  });
});

describe('decodeAudio: lossy formats', () => {
  for (const [name, codec] of [['tone-1k.mp3', 'mp3'], ['tone-1k.ogg', 'ogg']] as const)
    it(`${name}: 0.5 s of a 1 kHz tone at half scale`, async () => {
      const b = fixture(name);
      expect(probeAudio(b)).toEqual({ codec, format: 'lossy', bitDepth: 0, channels: 1, sampleRate: 44100, frames: 22050, warnings: [] });
      const a = await decodeAudio(b);
      expect(a).toMatchObject({ codec, format: 'lossy', channels: 1, sampleRate: 44100, frames: 22050, truncated: false });
      expect(toneAmplitude(a.data[0], 1000, 44100, 4410, 13230)).toBeGreaterThan(0.45);
      expect(toneAmplitude(a.data[0], 1000, 44100, 4410, 13230)).toBeLessThan(0.55);
      expect(toneAmplitude(a.data[0], 3000, 44100, 4410, 13230)).toBeLessThan(0.01);
    });
});

describe('decodeAudio/probeAudio: bad input', () => {
  it('empty', async () => {
    expect(await codeOf(decodeAudio(new Uint8Array(0)))).toBe('empty');
  });

  it('a PNG and a text file are named as not audio', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const e = await rejection(decodeAudio(png));
    expect(e.code).toBe('not-audio');
    expect(e.reason).toMatch(/PNG/);
    const t = await rejection(decodeAudio(enc.encode('{"not": "audio"}\n')));
    expect(t.code).toBe('not-audio');
    expect(t.reason).toMatch(/text/);
  });

  it('unknown binary', async () => {
    const e = await rejection(decodeAudio(Uint8Array.from([1, 2, 3, 4, 5, 0, 0, 0, 250])));
    expect(e.code).toBe('unknown-format');
    expect(e.reason).toMatch(/01 02 03 04/);
  });

  it('FLAC cut inside STREAMINFO is truncated; cut mid-stream, the decoder yields nothing: decoder-failed', async () => {
    const flac = fixture('tone-16.flac');
    expect(await codeOf(decodeAudio(flac.subarray(0, 20)))).toBe('truncated');
    const e = await rejection(decodeAudio(flac.subarray(0, Math.floor(flac.length * 0.5))));
    expect(e.code).toBe('decoder-failed');
    expect(e.reason).toMatch(/FLAC decoder produced no audio/);
  });

  it('corrupt FLAC frames: decoder-failed', async () => {
    const g = fixture('tone-24.flac');
    for (let i = 100; i < g.length; i += 7) g[i] ^= 0x5a;
    expect(await codeOf(decodeAudio(g))).toBe('decoder-failed');
  });

  it('AIFF shorter than its COMM declares: lenient flags it, strict throws truncated', async () => {
    const b = aiff([[1], [2], [3]], 16, { declaredFrames: 10 });
    const a = await decodeAudio(b);
    expect(a.truncated).toBe(true);
    expect(a.frames).toBe(3);
    expect(probeAudio(b).frames).toBe(3);
    expect(await codeOf(decodeAudio(b, { strict: true }))).toBe('truncated');
  });

  it('MP3 cut in half decodes the first half, flagged', async () => {
    const mp3 = fixture('tone-1k.mp3');
    const a = await decodeAudio(mp3.subarray(0, mp3.length >> 1));
    expect(a.truncated).toBe(true);
    expect(a.frames).toBeGreaterThan(5000);
    expect(a.frames).toBeLessThan(16000);
    expect(a.warnings.map((w) => w.code)).toEqual(['truncated']);
    expect(a.warnings[0].message).toMatch(/of 22050 declared frames/);
    expect(await codeOf(decodeAudio(mp3.subarray(0, mp3.length >> 1), { strict: true }))).toBe('truncated');
  });

  it('AIFF-C with a compressed codec is unsupported', async () => {
    const e = await rejection(decodeAudio(aiff([[1]], 16, { aifc: 'ima4' })));
    expect(e.code).toBe('unsupported-codec');
    expect(e.reason).toMatch(/'ima4'/);
  });

  it('AIFF with zero channels is a bad header', async () => {
    const b = aiff([[1]], 16);
    b[20] = 0;
    b[21] = 0; // COMM numChannels
    expect(await codeOf(decodeAudio(b))).toBe('bad-header');
  });

  it('Ogg carrying something other than Vorbis/Opus', async () => {
    const ogg = fixture('tone-1k.ogg').slice();
    ogg.set(enc.encode('\x01theora'), 28);
    const e = await rejection(decodeAudio(ogg));
    expect(e.code).toBe('unsupported-codec');
  });

  it('ID3v2 tag in front of FLAC is skipped', async () => {
    const tag = concat(enc.encode('ID3'), Uint8Array.of(4, 0, 0, 0, 0, 0, 10), new Uint8Array(10));
    const a = await decodeAudio(concat(tag, fixture('tone-24.flac')));
    expect(a).toMatchObject({ codec: 'flac', frames: 3840 });
  });

  it('fuzzed lossy and lossless files only ever resolve or reject with AudioDecodeError', async () => {
    let s = 99;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const name of ['tone-16.flac', 'tone-16.aiff', 'tone-1k.ogg', 'tone-1k.mp3']) {
      const base = fixture(name);
      for (let i = 0; i < 12; i++) {
        const b = base.slice(0, 1 + Math.floor(rnd() * base.length));
        for (let k = 0; k < 8; k++) b[Math.floor(rnd() * Math.min(b.length, 200))] = Math.floor(rnd() * 256);
        try {
          const a = await decodeAudio(b);
          for (const ch of a.data) expect(ch.length).toBe(a.frames);
        } catch (e) {
          if (!(e instanceof AudioDecodeError)) throw e;
        }
      }
    }
  });
});

const sox = ['/usr/bin/sox', '/usr/local/bin/sox'].find((p) => existsSync(p));
describe.runIf(sox)('FLAC made by sox from our WAV decodes to the exact same samples (full scale included)', () => {
  for (const bits of [16, 24] as const)
    it(`${bits}-bit`, async () => {
      const scale = 2 ** (bits - 1);
      const x = Float32Array.from([-1, (scale - 1) / scale, -1 / scale, 1 / scale, 0, 0.5, -0.5, 12345 / scale]);
      const dir = mkdtempSync(join(tmpdir(), 'wh-flac-'));
      try {
        const wav = encodeWav([x, x.map((v) => -v / 2)], 44100, { bits, dither: 'none' });
        writeFileSync(join(dir, 'in.wav'), wav);
        execFileSync(sox!, [join(dir, 'in.wav'), join(dir, 'out.flac')]);
        const a = await decodeAudio(new Uint8Array(readFileSync(join(dir, 'out.flac'))));
        expect(a).toMatchObject({ codec: 'flac', bitDepth: bits, channels: 2, frames: 8, warnings: [] });
        expect(Array.from(a.data[0])).toEqual(Array.from(x));
        expect(a.data[1]).toEqual(decodeWav(wav).data[1]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
});
