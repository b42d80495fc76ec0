import { describe, expect, it } from 'vitest';
import { decodeAudio, probeAudio } from '../../../src-main/audio/decode';
import { contentWarnings } from '../../../src-main/audio/content';
import { decodeWav } from '../../../src-main/audio/wav';
import { damagedWavs, sine16 } from '../../helpers/damaged-wavs';
import { chunk, fmt, pcmData, riff } from './wav-builder';

const codes = (ws: { code: string }[]) => ws.map((w) => w.code);

describe('import warnings: each damaged WAV reports exactly its code', () => {
  for (const f of damagedWavs()) {
    it(`${f.name} → ${f.warnings.join(', ') || 'no warnings'}`, async () => {
      const a = await decodeAudio(f.bytes);
      expect(codes(a.warnings)).toEqual(f.warnings);
      expect(a.frames).toBe(f.frames);
      // One sentence each: no line breaks, no stack, says something.
      for (const w of a.warnings) expect(w.message).toMatch(/^[^\n]{20,240}$/);
    });
  }

  it('header-level warnings are known from the header alone (probe)', () => {
    for (const f of damagedWavs()) {
      const content = ['non-finite', 'out-of-range', 'silent', 'dc-only', 'full-scale'];
      expect(codes(probeAudio(f.bytes).warnings), f.name).toEqual(f.warnings.filter((c) => !content.includes(c)));
    }
  });
});

describe('what was assumed is what was read', () => {
  const byName = (name: string) => damagedWavs().find((f) => f.name === name)!.bytes;
  const sine = sine16(800).map(([v]) => Math.fround(v / 32768));

  it('a data size of 0 or 0xFFFFFFFF reads the same samples as the clean file', () => {
    for (const name of ['data-size-0.wav', 'data-size-ffffffff.wav', 'riff-size-0.wav', 'missing-pad.wav', 'block-align-0.wav', 'block-align-65535.wav'])
      expect(Array.from(decodeWav(byName(name)).data[0]), name).toEqual(sine);
  });

  it('a real empty data chunk followed by another chunk is not read as audio', () => {
    const b = riff([fmt({ channels: 1, rate: 8000, bits: 16 }), chunk('data', new Uint8Array(0)), chunk('LIST', 'INFOabcd')]);
    const a = decodeWav(b);
    expect(a.frames).toBe(0);
    expect(codes(a.warnings)).toEqual(['no-frames']);
  });

  it('NaN and infinities become silence, ±8.9 becomes ±1, and the messages count them', async () => {
    const nan = await decodeAudio(byName('nan-inf.wav'));
    expect(Array.from(nan.data[0].subarray(400, 403))).toEqual([0, 0, 0]);
    expect(nan.warnings[0].message).toMatch(/^3 float samples were NaN or infinite/);
    const big = await decodeAudio(byName('float-8.9.wav'));
    expect(Array.from(big.data[0].subarray(400, 402))).toEqual([1, -1]);
    expect(big.warnings[0].message).toMatch(/^2 float samples lay beyond ±1 \(peak ±8\.90\)/);
  });

  it('7 bits per sample are read as unsigned bytes', () => {
    const a = decodeWav(byName('bits-7.wav'));
    expect(a.bitDepth).toBe(7);
    expect(a.data[0][2]).toBeCloseTo(sine[2], 1);
  });

  it('the truncated file keeps the frames that are there', () => {
    const a = decodeWav(byName('truncated.wav'));
    expect(a.truncated).toBe(true);
    expect(Array.from(a.data[0])).toEqual(sine.slice(0, 500));
  });
});

describe('contentWarnings thresholds', () => {
  const ch = (xs: number[]) => [Float32Array.from(xs)];
  it('ordinary audio with a few full-scale peaks is not flagged', () => {
    const xs = sine16(4000).map(([v]) => v / 32768);
    xs[100] = 1;
    xs[2000] = -1;
    xs[2001] = -1;
    expect(contentWarnings(ch(xs))).toEqual([]);
  });
  it('a quiet but real signal at −70 dBFS is not silence', () => {
    expect(contentWarnings(ch(sine16(800, 3e-4).map(([v]) => v / 32768)))).toEqual([]);
  });
  it('a stereo file with one silent channel is not flagged; one DC channel beside a signal is not DC-only', () => {
    const sig = Float32Array.from(sine16(800), ([v]) => v / 32768);
    expect(contentWarnings([sig, new Float32Array(800)])).toEqual([]);
    expect(contentWarnings([sig, new Float32Array(800).fill(0.3)])).toEqual([]);
  });
  it('heavily clipped music (runs at the rails) is flagged; the share is in the message', () => {
    const xs = sine16(4000, 3).map(([v]) => Math.max(-1, Math.min(1, v / 32768)));
    const w = contentWarnings(ch(xs));
    expect(codes(w)).toEqual(['full-scale']);
    expect(w[0].message).toMatch(/^\d+\.\d% of the samples sit at full scale/);
  });
  it('no frames, no content warning (no-frames is the header’s)', () => {
    expect(contentWarnings([new Float32Array(0)])).toEqual([]);
  });
});

it('a clean 16-bit file built independently decodes without warnings', async () => {
  const a = await decodeAudio(riff([fmt({ channels: 1, rate: 8000, bits: 16 }), chunk('data', pcmData(sine16(100), 2))]));
  expect(a.warnings).toEqual([]);
});

it('a WAV cut inside its 12-byte header fails as truncated, not as "some other RIFF file"', async () => {
  const cut = riff([fmt({ channels: 1, rate: 8000, bits: 16 }), chunk('data', pcmData(sine16(10), 2))]).subarray(0, 7);
  await expect(decodeAudio(cut)).rejects.toMatchObject({ code: 'truncated', reason: 'the file is 7 bytes, shorter than the 12-byte RIFF header' });
});
