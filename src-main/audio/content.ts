/**
 * Degenerate content: audio that decodes cleanly but holds nothing to learn from. Pure and linear in
 * the number of samples, so every import can afford it.
 */
import type { AudioWarning } from './types';

/** Below −80 dBFS everywhere counts as silence (under the noise floor of any real recording). */
const SILENCE = 1e-4;
/** A channel whose samples all lie within this span is a constant: about one 12-bit step. */
const FLAT_SPAN = 2 ** -12;
/** |x| at or above this is full scale (−0.009 dBFS; int16 full scale is 0.99997). */
const FULL = 0.999;
/** Full-scale samples only count in runs this long: single peaks touch full scale in normal masters. */
const RUN = 3;
/** Share of samples in full-scale runs from which the file is flagged. */
const FULL_SHARE = 0.01;

const db = (x: number): string => (x > 0 ? `${(20 * Math.log10(x)).toFixed(1)} dBFS` : '−∞ dBFS');

/** Warnings for silent, DC-only and clipped/square content; empty for ordinary audio. */
export function contentWarnings(data: Float32Array[]): AudioWarning[] {
  const total = data.reduce((n, c) => n + c.length, 0);
  if (total === 0) return [];
  let peak = 0;
  let flat = true;
  let offset = 0;
  let inRuns = 0;
  for (const ch of data) {
    let min = Infinity;
    let max = -Infinity;
    let run = 0;
    let sign = 0;
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i];
      if (v < min) min = v;
      if (v > max) max = v;
      const s = v >= FULL ? 1 : v <= -FULL ? -1 : 0;
      if (s !== 0 && s === sign) run++;
      else {
        if (run >= RUN) inRuns += run;
        run = s !== 0 ? 1 : 0;
        sign = s;
      }
    }
    if (run >= RUN) inRuns += run;
    peak = Math.max(peak, Math.abs(min), Math.abs(max));
    if (max - min > FLAT_SPAN) flat = false;
    else if (Math.abs(offset) < Math.abs((min + max) / 2)) offset = (min + max) / 2;
  }
  if (peak < SILENCE) return [{ code: 'silent', message: `the audio is silent (peak ${db(peak)}): there is nothing in it to learn from` }];
  if (flat) return [{ code: 'dc-only', message: `the audio is a constant offset of ${offset.toFixed(4)} (DC) with no signal in it` }];
  if (inRuns >= FULL_SHARE * total)
    return [{ code: 'full-scale', message: `${((100 * inRuns) / total).toFixed(1)}% of the samples sit at full scale in runs: clipped audio or a square wave` }];
  return [];
}
