/** Short-time power spectra of mono audio (Hann window), the basis of every quality measure here. */
import FFT from 'fft.js';

export interface Spectra {
  /** Power per frame, frames × (size/2 + 1), row-major. */
  power: Float32Array;
  frames: number;
  bins: number;
  /** Hz per bin. */
  binHz: number;
}

const ffts = new Map<number, FFT>();

/** Power spectra of frames of `size` samples every `hop` samples (a clip shorter than one frame is zero-padded). */
export function powerSpectra(audio: Float32Array, rate: number, size = 4096, hop = 2048): Spectra {
  let fft = ffts.get(size);
  if (!fft) ffts.set(size, (fft = new FFT(size)));
  const bins = size / 2 + 1;
  const frames = Math.max(1, Math.floor((audio.length - size) / hop) + 1);
  const power = new Float32Array(frames * bins);
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  const input = new Array<number>(size);
  const out = fft.createComplexArray() as number[];
  for (let f = 0; f < frames; f++) {
    const start = f * hop;
    for (let i = 0; i < size; i++) input[i] = (audio[start + i] ?? 0) * window[i];
    fft.realTransform(out, input);
    for (let k = 0; k < bins; k++) power[f * bins + k] = out[2 * k] ** 2 + out[2 * k + 1] ** 2;
  }
  return { power, frames, bins, binHz: rate / size };
}
