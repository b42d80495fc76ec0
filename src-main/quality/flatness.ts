/** Spectral flatness: near 0 for tones, near 1 for white noise, the quickest "is this noise?" figure. */
import { powerSpectra } from '../../src-shared/pitch/spectrum';

/**
 * Mean over frames of geometric / arithmetic mean of the power spectrum (60 Hz – 7 kHz, frames of
 * 1024), counting only frames within 40 dB of the loudest so a silent tail does not pull it down.
 */
export function spectralFlatness(audio: Float32Array, rate: number): number {
  const spec = powerSpectra(audio, rate, 1024, 512);
  const lo = Math.max(1, Math.ceil(60 / spec.binHz));
  const hi = Math.min(spec.bins - 1, Math.floor(Math.min(7000, rate / 2 - 1) / spec.binHz));
  const energies: number[] = [];
  for (let f = 0; f < spec.frames; f++) {
    let e = 0;
    for (let k = lo; k <= hi; k++) e += spec.power[f * spec.bins + k];
    energies.push(e);
  }
  const loudest = Math.max(...energies);
  if (!(loudest > 0)) return 0;
  let sum = 0;
  let n = 0;
  for (let f = 0; f < spec.frames; f++) {
    if (energies[f] < loudest * 1e-4) continue;
    let logSum = 0;
    let arith = 0;
    for (let k = lo; k <= hi; k++) {
      const p = spec.power[f * spec.bins + k] + 1e-20;
      logSum += Math.log(p);
      arith += p;
    }
    const count = hi - lo + 1;
    sum += Math.exp(logSum / count) / (arith / count);
    n++;
  }
  return n ? sum / n : 0;
}
