import { describe, expect, it } from 'vitest';
import { resample, resampleChannels } from '../../../src-main/audio/resample';

const sine = (freq: number, rate: number, n: number, amp = 0.5) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate));

/** Amplitude of the `freq` component over a window (single-bin DFT), away from the edges. */
function toneAmplitude(x: Float32Array, freq: number, rate: number, from: number, to: number): number {
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    const ph = (2 * Math.PI * freq * i) / rate;
    re += x[i] * Math.cos(ph);
    im += x[i] * Math.sin(ph);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}
const rms = (x: Float32Array, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
};

describe('resample (libsamplerate WASM)', () => {
  it('44.1 kHz → 16 kHz keeps a 1 kHz sine at its frequency and amplitude', async () => {
    const x = sine(1000, 44100, 44100);
    const y = await resample(x, 44100, 16000);
    expect(y.length).toBe(16000);
    // 1 kHz at 16 kHz: a whole number of cycles in 16000 samples, so the single bin is exact.
    expect(toneAmplitude(y, 1000, 16000, 1600, 14400)).toBeCloseTo(0.5, 3);
    // Nearly all energy is in that tone: residual after removing it is tiny.
    const residual = Float32Array.from(y.subarray(1600, 14400), (v, i) => v - 0.5 * Math.sin((2 * Math.PI * 1000 * (i + 1600)) / 16000));
    expect(rms(residual, 0, residual.length)).toBeLessThan(1e-3);
  });

  it('48 kHz → 16 kHz rejects a 10 kHz tone (above the new 8 kHz Nyquist) by more than 90 dB (measured: best −153, medium −122, fastest −101)', async () => {
    const x = sine(10000, 48000, 48000, 0.9);
    for (const q of ['best', 'medium', 'fastest'] as const) {
      const y = await resample(x, 48000, 16000, q);
      const leak = rms(y, 1600, 14400) / rms(x, 0, x.length);
      const db = 20 * Math.log10(leak);
      expect(db, `quality ${q}: ${db.toFixed(1)} dB`).toBeLessThan(-90);
    }
    // Control: linear interpolation is not band-limited, so the same measurement sees the alias at 6 kHz.
    const lin = await resample(x, 48000, 16000, 'linear');
    expect(20 * Math.log10(rms(lin, 1600, 14400) / rms(x, 0, x.length))).toBeGreaterThan(-20);
  });

  it('upsamples long input correctly (the wrapper alone truncates outputs over ~1M samples)', async () => {
    const x = sine(440, 8000, 44100);
    const y = await resample(x, 8000, 192000, 'fastest');
    expect(y.length).toBe(44100 * 24);
    expect(toneAmplitude(y, 440, 192000, 48000, 48000 + 192000 * 4)).toBeCloseTo(0.5, 2);
    expect(rms(y, y.length - 100000, y.length - 5000)).toBeGreaterThan(0.3); // the tail is real signal, not zeros
  });

  it('equal rates copy; empty stays empty; bad rates reject', async () => {
    const x = Float32Array.from([0.1, 0.2]);
    const y = await resample(x, 16000, 16000);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(y).not.toBe(x);
    expect((await resample(new Float32Array(0), 44100, 16000)).length).toBe(0);
    await expect(resample(x, 0, 16000)).rejects.toThrow(RangeError);
    await expect(resample(x, 44100.5, 16000)).rejects.toThrow(RangeError);
  });

  it('resampleChannels resamples each channel and is repeatable (converter state is reset between calls)', async () => {
    const a = sine(300, 22050, 4000);
    const [y1, y2] = await resampleChannels([a, a], 22050, 16000);
    expect(y1.length).toBe(Math.round((4000 * 16000) / 22050));
    expect(Array.from(y2)).toEqual(Array.from(y1));
  });
});
