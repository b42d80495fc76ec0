import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, mixToMono } from '../../../src-main/audio';
import { mulberry32 } from '../../../src-shared/random';
import { checkLabel, fingerprint, fingerprintDistance, memorisationThreshold, nearestClip, parseMusicalLabel, PITCH_NAMES, spectralFlatness, type Fingerprint } from '../../../src-main/quality';

// The demo library: 28 real piano triads rendered from the FluidR3 soundfont, named {root}4_{quality}.wav.
const DEMO = fileURLToPath(new URL('../../../resources/demo/piano-triads', import.meta.url));
const clips: { root: string; quality: string; audio: Float32Array; rate: number }[] = [];

beforeAll(async () => {
  for (const quality of readdirSync(DEMO).filter((d) => !d.includes('.'))) {
    for (const f of readdirSync(join(DEMO, quality)).filter((f) => f.endsWith('.wav')).sort()) {
      const a = await decodeAudio(readFileSync(join(DEMO, quality, f)));
      clips.push({ root: f.replace(/\d.*$/, ''), quality, audio: mixToMono(a.data), rate: a.sampleRate });
    }
  }
});

function whiteNoise(n: number, seed = 1): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 0.6);
}

function tone(freqs: number[], seconds: number, rate = 16000): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => freqs.reduce((s, f) => s + Math.sin((2 * Math.PI * f * i) / rate), 0) / freqs.length);
}

describe('musical labels', () => {
  it('reads chords, qualities and notes, and nothing else', () => {
    expect(parseMusicalLabel('C major')).toMatchObject({ kind: 'chord', pitchClasses: [0, 4, 7] });
    expect(parseMusicalLabel('F# minor')).toMatchObject({ kind: 'chord', pitchClasses: [1, 6, 9] });
    expect(parseMusicalLabel('Bb dim')).toMatchObject({ kind: 'chord', pitchClasses: [1, 4, 10] });
    expect(parseMusicalLabel('Cs4_augmented')).toMatchObject({ kind: 'chord', pitchClasses: [1, 5, 9] });
    expect(parseMusicalLabel('minor')).toMatchObject({ kind: 'quality', intervals: [0, 3, 7] });
    expect(parseMusicalLabel('A3')).toEqual({ kind: 'note', pitchClass: 9, octave: 3 });
    expect(parseMusicalLabel('kick')).toBeNull();
    expect(parseMusicalLabel('C sharpish')).toBeNull();
  });
});

describe('chroma label check', () => {
  it('recognises every real triad under its own label and none under a wrong root', () => {
    expect(clips).toHaveLength(28);
    for (const c of clips) {
      expect(checkLabel(c.audio, c.rate, `${c.root} ${c.quality}`).matches, `${c.root} ${c.quality}`).toBe(true);
      const wrongRoot = PITCH_NAMES[(PITCH_NAMES.indexOf(c.root) + 1) % 12];
      expect(checkLabel(c.audio, c.rate, `${wrongRoot} ${c.quality}`).matches).toBe(false);
      expect(checkLabel(c.audio, c.rate, c.quality).matches).toBe(true);
    }
  });

  it('tells qualities apart and refuses noise', () => {
    const major = clips.filter((c) => c.quality === 'major');
    for (const c of major) expect(checkLabel(c.audio, c.rate, 'minor').matches).toBe(false);
    const n = whiteNoise(32000);
    const asChord = PITCH_NAMES.filter((r) => checkLabel(n, 16000, `${r} major`).matches).length;
    expect(asChord).toBeLessThanOrEqual(1);
    expect(checkLabel(n, 16000, 'kick').matches).toBeNull();
  });

  it('finds a single note by its pitch class', () => {
    const a3 = tone([220, 440, 660], 1);
    expect(checkLabel(a3, 16000, 'A3').matches).toBe(true);
    expect(checkLabel(a3, 16000, 'G3').matches).toBe(false);
  });
});

describe('spectral flatness', () => {
  it('is near 0 for the real chords and high for white noise', () => {
    for (const c of clips) expect(spectralFlatness(c.audio, c.rate)).toBeLessThan(0.02);
    expect(spectralFlatness(whiteNoise(32000), 16000)).toBeGreaterThan(0.4);
  });
});

describe('nearest training clip', () => {
  let prints: Fingerprint[];
  beforeAll(() => {
    prints = clips.map((c) => fingerprint(c.audio, c.rate));
  });

  it('finds a clip itself at distance 0 and flags a near copy as memorised, but no other library clip', () => {
    const threshold = memorisationThreshold(prints);
    expect(threshold).toBeGreaterThan(0);
    expect(fingerprintDistance(prints[3], prints[3])).toBe(0);
    // The same clip with faint noise (−50 dB) and a 10 ms delay: a copy.
    const copy = new Float32Array(clips[3].audio.length);
    const n = whiteNoise(copy.length, 9);
    for (let i = 160; i < copy.length; i++) copy[i] = clips[3].audio[i - 160] + n[i] * 0.005;
    const near = nearestClip(fingerprint(copy, 16000), prints);
    expect(near.index).toBe(3);
    expect(near.distance).toBeLessThan(threshold);
    // Different recordings in the library are never that close to each other.
    for (let i = 0; i < prints.length; i++) expect(nearestClip(prints[i], prints, i).distance).toBeGreaterThan(threshold);
    // Noise is far from everything.
    expect(nearestClip(fingerprint(whiteNoise(32000), 16000), prints).distance).toBeGreaterThan(5 * threshold);
  });
});
