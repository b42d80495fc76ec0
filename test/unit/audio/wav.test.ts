import { describe, expect, it } from 'vitest';
import { decodeWav, probeWav } from '../../../src-main/audio/wav';
import { AudioDecodeError } from '../../../src-main/audio/types';
import { chunk, concat, ds64, floatData, fmt, pcmData, riff, u32, wav16 } from './wav-builder';

const f32 = (xs: number[]): number[] => xs.map((x) => Math.fround(x));
const col = (frames: number[][], ch: number): number[] => frames.map((f) => f[ch]);

/** Runs `fn` and returns the AudioDecodeError it throws (failing if it throws anything else or nothing). */
function decodeError(fn: () => unknown): AudioDecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AudioDecodeError);
    return e as AudioDecodeError;
  }
  throw new Error('expected an AudioDecodeError, nothing was thrown');
}

describe('decodeWav: sample formats with exact values', () => {
  it('8-bit unsigned mono', () => {
    const raw = [0, 128, 255, 1, 64];
    const a = decodeWav(riff([fmt({ channels: 1, rate: 8000, bits: 8 }), chunk('data', Uint8Array.from(raw))]));
    expect(a).toMatchObject({ sampleRate: 8000, channels: 1, bitDepth: 8, format: 'pcm', codec: 'wav', frames: 5, truncated: false });
    expect(Array.from(a.data[0])).toEqual(f32(raw.map((v) => (v - 128) / 128)));
    expect(a.warnings).toEqual([]);
  });

  it('16-bit stereo incl. full-scale extremes', () => {
    const frames = [[-32768, 32767], [0, -1], [1, 12345], [-12345, 256]];
    const a = decodeWav(wav16(frames, 44100));
    expect(a).toMatchObject({ sampleRate: 44100, channels: 2, bitDepth: 16, format: 'pcm', frames: 4 });
    expect(Array.from(a.data[0])).toEqual(f32(col(frames, 0).map((v) => v / 32768)));
    expect(Array.from(a.data[1])).toEqual(f32(col(frames, 1).map((v) => v / 32768)));
    expect(a.data[0][0]).toBe(-1);
  });

  it('24-bit, 3 channels, 96 kHz', () => {
    const frames = [[-8388608, 8388607, 0], [1, -1, 4194304], [123456, -654321, 7]];
    const a = decodeWav(riff([fmt({ channels: 3, rate: 96000, bits: 24, extensible: { subTag: 1, mask: 7 } }), chunk('data', pcmData(frames, 3))]));
    expect(a).toMatchObject({ sampleRate: 96000, channels: 3, bitDepth: 24, format: 'pcm', frames: 3 });
    for (let c = 0; c < 3; c++) expect(Array.from(a.data[c])).toEqual(f32(col(frames, c).map((v) => v / 8388608)));
  });

  it('32-bit integer PCM (plain header) at 192 kHz', () => {
    const frames = [[-2147483648], [2147483647], [0], [65536], [-1]];
    const a = decodeWav(riff([fmt({ channels: 1, rate: 192000, bits: 32 }), chunk('data', pcmData(frames, 4))]));
    expect(a).toMatchObject({ sampleRate: 192000, bitDepth: 32, format: 'pcm', frames: 5 });
    expect(Array.from(a.data[0])).toEqual(f32(col(frames, 0).map((v) => v / 2147483648)));
  });

  it('24 valid bits left-justified in a 32-bit extensible container', () => {
    const vals = [-8388608, 8388607, 1, -2];
    const a = decodeWav(
      riff([fmt({ channels: 1, rate: 48000, bits: 32, extensible: { subTag: 1, validBits: 24 } }), chunk('data', pcmData(vals.map((v) => [v * 256]), 4))]),
    );
    expect(a.bitDepth).toBe(24);
    expect(Array.from(a.data[0])).toEqual(f32(vals.map((v) => v / 8388608)));
  });

  it('32-bit float: exact values, out-of-range clipped, NaN silenced, and said so', () => {
    const vals = [0.5, -0.25, 1, -1, 1.5, -3, NaN, 0.1];
    const a = decodeWav(riff([fmt({ tag: 3, channels: 1, rate: 44100, bits: 32 }), chunk('data', floatData(vals.map((v) => [v]), 4))]));
    expect(a).toMatchObject({ format: 'float', bitDepth: 32, frames: 8 });
    expect(Array.from(a.data[0])).toEqual(f32([0.5, -0.25, 1, -1, 1, -1, 0, 0.1]));
    expect(a.warnings).toEqual([
      { code: 'non-finite', message: '1 float samples were NaN or infinite and were replaced by silence' },
      { code: 'out-of-range', message: '2 float samples lay beyond ±1 (peak ±3.00) and were clipped to ±1' },
    ]);
  });

  it('64-bit float stereo', () => {
    const frames = [[0.123456789, -0.987654321], [1e-9, -0]];
    const a = decodeWav(riff([fmt({ tag: 3, channels: 2, rate: 22050, bits: 64 }), chunk('data', floatData(frames, 8))]));
    expect(a).toMatchObject({ format: 'float', bitDepth: 64, channels: 2, frames: 2 });
    expect(Array.from(a.data[0])).toEqual(f32(col(frames, 0)));
    expect(Array.from(a.data[1])).toEqual(f32(col(frames, 1)));
  });

  it('WAVE_FORMAT_EXTENSIBLE float, 6 channels (5.1)', () => {
    const frames = [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [-0.1, -0.2, -0.3, -0.4, -0.5, -0.6]];
    const a = decodeWav(riff([fmt({ channels: 6, rate: 48000, bits: 32, extensible: { subTag: 3, mask: 0x3f } }), chunk('data', floatData(frames, 4))]));
    expect(a).toMatchObject({ channels: 6, format: 'float', frames: 2 });
    for (let c = 0; c < 6; c++) expect(Array.from(a.data[c])).toEqual(f32(col(frames, c)));
  });
});

describe('decodeWav: containers and chunk layouts', () => {
  const frames = [[100, -100], [200, -200], [300, -300]];
  const expectFrames = (a: ReturnType<typeof decodeWav>) => {
    expect(a.frames).toBe(3);
    expect(Array.from(a.data[1])).toEqual(f32([-100, -200, -300].map((v) => v / 32768)));
  };

  it('RF64 with ds64 sizes and 0xFFFFFFFF chunk sizes', () => {
    const data = pcmData(frames, 2);
    const bytes = riff([ds64(0, data.length, 3), fmt({ channels: 2, rate: 44100, bits: 16 }), chunk('data', data, { declaredSize: 0xffffffff })], { rf64: true });
    const a = decodeWav(bytes);
    expect(a.codec).toBe('rf64');
    expect(a.truncated).toBe(false);
    expectFrames(a);
  });

  it('BW64 header is read like RF64', () => {
    const data = pcmData(frames, 2);
    const a = decodeWav(riff([ds64(0, data.length, 3), fmt({ channels: 2, rate: 44100, bits: 16 }), chunk('data', data, { declaredSize: 0xffffffff })], { head: 'BW64' }));
    expect(a.codec).toBe('rf64');
    expectFrames(a);
  });

  it('LIST/bext/cue/fact/JUNK/PAD chunks in any order, fmt after data, odd chunk with pad byte', () => {
    const bytes = riff([
      chunk('JUNK', new Uint8Array(28)),
      chunk('bext', new Uint8Array(603)), // odd: pad byte follows
      chunk('data', pcmData(frames, 2)),
      chunk('LIST', 'INFOISFT\x05\x00\x00\x00abcd\x00'), // odd-sized body
      chunk('fact', u32(3)),
      chunk('cue ', u32(0)),
      fmt({ channels: 2, rate: 44100, bits: 16 }),
      chunk('PAD ', new Uint8Array(7)),
    ]);
    const a = decodeWav(bytes);
    expectFrames(a);
    expect(a.warnings).toEqual([]);
  });

  it('odd-sized chunk whose writer forgot the pad byte', () => {
    const a = decodeWav(riff([chunk('LIST', 'odd', { noPad: true }), fmt({ channels: 2, rate: 44100, bits: 16 }), chunk('data', pcmData(frames, 2))]));
    expectFrames(a);
    expect(a.warnings.map((w) => w.code)).toEqual(['missing-pad-byte']);
    expect(a.warnings[0].message).toMatch(/odd size 3 without its pad byte/);
  });

  it('a RIFF size that lies is ignored (bounded by the real length)', () => {
    const a = decodeWav(riff([fmt({ channels: 2, rate: 44100, bits: 16 }), chunk('data', pcmData(frames, 2))], { riffSize: 0x7fffffff }));
    expectFrames(a);
  });

  it('bytes at an odd offset inside a larger buffer decode the same (no alignment assumption)', () => {
    const bytes = riff([fmt({ tag: 3, channels: 2, rate: 44100, bits: 32 }), chunk('data', floatData([[0.5, -0.5], [0.25, 0.125]], 4))]);
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 1);
    const shifted = big.subarray(1, 1 + bytes.length);
    expect(decodeWav(shifted).data).toEqual(decodeWav(bytes).data);
    const w = wav16(frames);
    const big16 = new Uint8Array(w.length + 1);
    big16.set(w, 1);
    expectFrames(decodeWav(big16.subarray(1)));
  });

  it('8 kHz and 192 kHz rates', () => {
    expect(decodeWav(wav16([[1]], 8000)).sampleRate).toBe(8000);
    expect(decodeWav(wav16([[1]], 192000)).sampleRate).toBe(192000);
  });

  it('probeWav reports format and frames without decoding', () => {
    const info = probeWav(riff([fmt({ channels: 2, rate: 48000, bits: 24 }), chunk('data', new Uint8Array(6 * 1000))]));
    expect(info).toEqual({ sampleRate: 48000, channels: 2, bitDepth: 24, format: 'pcm', codec: 'wav', frames: 1000, warnings: [] });
    expect('data' in info).toBe(false);
  });
});

describe('decodeWav: bad input gives a specific AudioDecodeError', () => {
  const good = wav16([[1000], [2000], [3000], [4000]]);
  const fmt16 = fmt({ channels: 1, rate: 44100, bits: 16 });

  it('empty file', () => {
    const e = decodeError(() => decodeWav(new Uint8Array(0)));
    expect(e.code).toBe('empty');
    expect(e.reason).toMatch(/0 bytes/);
  });

  it('truncated data chunk: lenient decodes what is there and flags it; strict throws', () => {
    const cut = good.subarray(0, good.length - 3); // 4 frames declared, 2.5 present
    const a = decodeWav(cut);
    expect(a.truncated).toBe(true);
    expect(a.frames).toBe(2);
    expect(Array.from(a.data[0])).toEqual(f32([1000 / 32768, 2000 / 32768]));
    expect(a.warnings.map((w) => w.code)).toEqual(['truncated']);
    expect(a.warnings[0].message).toMatch(/declares 8 bytes but only 5 are present/);
    expect(probeWav(cut).frames).toBe(2);
    const e = decodeError(() => decodeWav(cut, { strict: true }));
    expect(e.code).toBe('truncated');
    expect(e.reason).toMatch(/declares 8 bytes but only 5/);
  });

  it('data chunk that declares bytes but has none is truncated even when lenient', () => {
    const e = decodeError(() => decodeWav(good.subarray(0, good.length - 8)));
    expect(e.code).toBe('truncated');
  });

  it('file cut inside the RIFF header', () => {
    expect(decodeError(() => decodeWav(good.subarray(0, 7))).code).toBe('truncated');
  });

  it('data chunk claiming 4 GB: decodes the 4 real frames and allocates only those', () => {
    const liar = riff([fmt16, chunk('data', pcmData([[1], [2], [3], [4]], 2), { declaredSize: 0xfffffffe })]);
    const a = decodeWav(liar);
    expect(a.truncated).toBe(true);
    expect(a.data[0].length).toBe(4);
    expect(a.data[0].buffer.byteLength).toBe(16);
  });

  it('RF64 ds64 claiming petabytes is bounded by the file', () => {
    const data = pcmData([[5], [6]], 2);
    const a = decodeWav(riff([ds64(0, 2 ** 50, 2 ** 49), fmt16, chunk('data', data, { declaredSize: 0xffffffff })], { rf64: true }));
    expect(a.frames).toBe(2);
    expect(a.truncated).toBe(true);
  });

  it('unset data size (0xFFFFFFFF in plain RIFF, a crashed recorder) reads to end of file without flagging truncation', () => {
    const a = decodeWav(riff([fmt16, chunk('data', pcmData([[7], [8], [9]], 2), { declaredSize: 0xffffffff })]));
    expect(a.frames).toBe(3);
    expect(a.truncated).toBe(false);
    expect(a.warnings.map((w) => w.code)).toEqual(['data-size-unset']);
  });

  it('a chunk before fmt claiming gigabytes', () => {
    const e = decodeError(() => decodeWav(riff([chunk('LIST', 'abcd', { declaredSize: 0x7ffffff0 }), fmt16, chunk('data', new Uint8Array(4))])));
    expect(e.code).toBe('bad-chunk');
    expect(e.reason).toMatch(/'LIST' at byte 12 declares 2147483632 bytes but only 40 remain/);
  });

  it('a lying chunk after fmt and data is ignored with a warning', () => {
    const bytes = concat(good, new TextEncoder().encode('LIST'), u32(999999), new Uint8Array(2));
    const a = decodeWav(bytes);
    expect(a.frames).toBe(4);
    expect(a.warnings.map((w) => w.code)).toEqual(['chunk-overrun']);
    expect(a.warnings[0].message).toMatch(/'LIST'.*declares 999999/);
  });

  it('garbage where a chunk id should be', () => {
    const e = decodeError(() => decodeWav(riff([chunk('JUNK', Uint8Array.of(0, 1), { declaredSize: 0 }), fmt16, chunk('data', new Uint8Array(2))])));
    expect(e.code).toBe('bad-chunk');
    expect(e.reason).toMatch(/unreadable chunk id/);
  });

  it('zero channels', () => {
    const e = decodeError(() => decodeWav(riff([fmt({ channels: 0, rate: 44100, bits: 16, blockAlign: 2 }), chunk('data', new Uint8Array(4))])));
    expect(e.code).toBe('bad-header');
    expect(e.reason).toMatch(/0 channels/);
  });

  it('zero sample rate', () => {
    const e = decodeError(() => decodeWav(riff([fmt({ channels: 1, rate: 0, bits: 16 }), chunk('data', new Uint8Array(4))])));
    expect(e.code).toBe('bad-header');
    expect(e.reason).toMatch(/sample rate of 0 Hz/);
  });

  it('zero bits per sample, and 24-bit "float"', () => {
    expect(decodeError(() => decodeWav(riff([fmt({ channels: 1, rate: 8000, bits: 0, blockAlign: 1 }), chunk('data', new Uint8Array(4))]))).reason).toMatch(/0 bits/);
    const e = decodeError(() => decodeWav(riff([fmt({ tag: 3, channels: 1, rate: 8000, bits: 24 }), chunk('data', new Uint8Array(6))])));
    expect(e.code).toBe('bad-header');
    expect(e.reason).toMatch(/IEEE float with 24 bits/);
  });

  it('fmt chunk too short', () => {
    const e = decodeError(() => decodeWav(riff([chunk('fmt ', new Uint8Array(14)), chunk('data', new Uint8Array(4))])));
    expect(e.code).toBe('bad-header');
    expect(e.reason).toMatch(/fmt chunk is 14 bytes/);
  });

  it('ADPCM (tag 0x0002) is an unsupported codec, named', () => {
    const e = decodeError(() => decodeWav(riff([fmt({ tag: 2, channels: 1, rate: 22050, bits: 4, blockAlign: 256 }), chunk('data', new Uint8Array(256))])));
    expect(e.code).toBe('unsupported-codec');
    expect(e.reason).toMatch(/0x0002 \(Microsoft ADPCM\)/);
  });

  it('MP3-in-WAV (tag 0x0055) is an unsupported codec, named', () => {
    const e = decodeError(() => decodeWav(riff([fmt({ tag: 0x55, channels: 2, rate: 44100, bits: 0, blockAlign: 1 }), chunk('data', new Uint8Array(100))])));
    expect(e.code).toBe('unsupported-codec');
    expect(e.reason).toMatch(/0x0055 \(MP3\)/);
  });

  it('extensible with a non-PCM sub-format GUID', () => {
    const guidTail = [0x21, 0x07, 0xd3, 0x11, 0x86, 0x44, 0xc8, 0xc1, 0xca, 0x00, 0x00, 0x00, 0x00, 0x00]; // ambisonic B-format
    const e = decodeError(() => decodeWav(riff([fmt({ channels: 4, rate: 48000, bits: 16, extensible: { subTag: 1, guidTail } }), chunk('data', new Uint8Array(8))])));
    expect(e.code).toBe('unsupported-codec');
    expect(e.reason).toMatch(/sub-format/);
  });

  it('a PNG renamed .wav', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const e = decodeError(() => decodeWav(png));
    expect(e.code).toBe('not-audio');
    expect(e.reason).toMatch(/PNG image/);
  });

  it('a text file renamed .wav', () => {
    const e = decodeError(() => decodeWav(new TextEncoder().encode('These are my session notes.\nTake 3 was best.\n')));
    expect(e.code).toBe('not-audio');
    expect(e.reason).toMatch(/text file/);
  });

  it('an AVI (RIFF but not WAVE)', () => {
    const e = decodeError(() => decodeWav(concat(new TextEncoder().encode('RIFF'), u32(4), new TextEncoder().encode('AVI '))));
    expect(e.code).toBe('not-audio');
    expect(e.reason).toMatch(/RIFF 'AVI '/);
  });

  it('unrecognisable binary', () => {
    const e = decodeError(() => decodeWav(Uint8Array.from([0, 1, 2, 3, 0xfe, 0xfd, 0, 0, 7, 7, 7, 7, 1])));
    expect(e.code).toBe('unknown-format');
    expect(e.reason).toMatch(/00 01 02 03/);
  });

  it('missing fmt chunk', () => {
    const e = decodeError(() => decodeWav(riff([chunk('LIST', 'abcd'), chunk('data', new Uint8Array(4))])));
    expect(e.code).toBe('missing-fmt');
    expect(e.reason).toMatch(/chunks: LIST, data/);
  });

  it('missing data chunk', () => {
    const e = decodeError(() => decodeWav(riff([fmt16, chunk('LIST', 'abcd')])));
    expect(e.code).toBe('missing-data');
  });

  it('fuzz: 3000 seeded mutations and cuts only ever return audio or throw AudioDecodeError', () => {
    const base = riff([chunk('bext', new Uint8Array(11)), fmt({ channels: 2, rate: 44100, bits: 24, extensible: { subTag: 1 } }), chunk('data', pcmData([[1, 2], [3, 4], [5, 6]], 3)), chunk('LIST', 'abc')]);
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      let b = base.slice(0, 1 + Math.floor(rnd() * base.length));
      for (let k = 0; k < 1 + rnd() * 4; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      if (rnd() < 0.3) b = b.slice(0, Math.floor(rnd() * b.length));
      try {
        const a = decodeWav(b);
        for (const ch of a.data) expect(ch.length).toBe(a.frames);
        expect(a.frames * a.channels).toBeLessThanOrEqual(b.length);
        decoded++;
      } catch (e) {
        if (!(e instanceof AudioDecodeError)) throw e;
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });
});
