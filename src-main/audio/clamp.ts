import type { AudioWarning } from './types';

/** What clamping changed: samples beyond ±1 (and the largest magnitude seen), and NaN/±Infinity ones. */
export interface ClampCount {
  clipped: number;
  peak: number;
  nonFinite: number;
}

/**
 * Clamps decoded samples to our [-1, 1] contract in place (lossy decoders overshoot full scale and
 * float WAVs may legally exceed it); NaN and ±Infinity become silence, since neither says how loud
 * the sample was meant to be. Returns what it changed.
 */
export function clampToUnit(data: Float32Array[]): ClampCount {
  let clipped = 0;
  let nonFinite = 0;
  let peak = 0;
  for (const o of data)
    for (let i = 0; i < o.length; i++) {
      const v = o[i];
      if (v >= -1 && v <= 1) continue; // the common case, and false for NaN
      if (v !== v || v === Infinity || v === -Infinity) (o[i] = 0), nonFinite++;
      else {
        peak = Math.max(peak, Math.abs(v));
        o[i] = v > 0 ? 1 : -1;
        clipped++;
      }
    }
  return { clipped, peak, nonFinite };
}

/** The warnings a clamp deserves; `what` names the samples (e.g. "float samples"). */
export function clampWarnings(c: ClampCount, what: string): AudioWarning[] {
  const out: AudioWarning[] = [];
  if (c.nonFinite) out.push({ code: 'non-finite', message: `${c.nonFinite} ${what} were NaN or infinite and were replaced by silence` });
  if (c.clipped)
    out.push({ code: 'out-of-range', message: `${c.clipped} ${what} lay beyond ±1 (peak ±${c.peak.toPrecision(3)}) and were clipped to ±1` });
  return out;
}
