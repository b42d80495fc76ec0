/**
 * How close a take is to the clips it was trained on: a log-band spectrogram distance (dB), the
 * nearest clip, and whether the take reproduces one (memorising instead of generalising).
 */
import { powerSpectra } from '../../src-shared/pitch/spectrum';

const BANDS = 40;
/**
 * Band levels are clamped to 45 dB below the clip's loudest band: quieter detail (a generated
 * take's μ-law noise floor, a reverb tail) is not what makes two clips the same sound.
 */
const RANGE_DB = 45;
/** Alignment searched either way, in frames of 512 samples (±0.16 s at 16 kHz). */
const MAX_SHIFT = 5;

/** A clip's log-band spectrogram: frames × 40 bands in dB (45 dB of range), log-spaced 60 Hz – 7 kHz. */
export interface Fingerprint {
  frames: number;
  db: Float32Array;
}

/** The fingerprint of mono audio at `rate`. */
export function fingerprint(audio: Float32Array, rate: number): Fingerprint {
  const spec = powerSpectra(audio, rate, 1024, 512);
  const top = Math.min(7000, rate / 2 - 1);
  const edges = Array.from({ length: BANDS + 1 }, (_, i) => 60 * (top / 60) ** (i / BANDS));
  const db = new Float32Array(spec.frames * BANDS);
  for (let f = 0; f < spec.frames; f++) {
    for (let b = 0; b < BANDS; b++) {
      const lo = Math.max(1, Math.floor(edges[b] / spec.binHz));
      const hi = Math.max(lo, Math.min(spec.bins - 1, Math.floor(edges[b + 1] / spec.binHz)));
      let e = 0;
      for (let k = lo; k <= hi; k++) e += spec.power[f * spec.bins + k];
      db[f * BANDS + b] = 10 * Math.log10(e / (hi - lo + 1) + 1e-30);
    }
  }
  let peak = -Infinity;
  for (const v of db) peak = Math.max(peak, v);
  for (let i = 0; i < db.length; i++) db[i] = Math.max(db[i], peak - RANGE_DB);
  return { frames: spec.frames, db };
}

/** Mean absolute dB difference over the overlapping frames, at the best alignment within ±0.16 s. */
export function fingerprintDistance(a: Fingerprint, b: Fingerprint): number {
  let best = Infinity;
  for (let shift = -MAX_SHIFT; shift <= MAX_SHIFT; shift++) {
    let sum = 0;
    let n = 0;
    for (let f = Math.max(0, -shift); f < a.frames && f + shift < b.frames; f++) {
      const g = f + shift;
      for (let k = 0; k < BANDS; k++) sum += Math.abs(a.db[f * BANDS + k] - b.db[g * BANDS + k]);
      n++;
    }
    // Require half the shorter clip to overlap so a tiny overlap cannot look close.
    if (n >= Math.min(a.frames, b.frames) / 2 && n > 0) best = Math.min(best, sum / (n * BANDS));
  }
  return best;
}

export interface Nearest {
  index: number;
  distance: number;
}

/** The nearest of `clips` to `take` (index into clips) and its distance in dB. */
export function nearestClip(take: Fingerprint, clips: Fingerprint[], skip = -1): Nearest {
  let index = -1;
  let distance = Infinity;
  clips.forEach((c, i) => {
    if (i === skip) return;
    const d = fingerprintDistance(take, c);
    if (d < distance) [index, distance] = [i, d];
  });
  return { index, distance };
}

/**
 * The distance below which a take counts as reproducing a training clip: half the median distance
 * between each library clip and its nearest other clip. Two different recordings in the library are
 * never that close to each other, so a take that close is a copy rather than a new variation.
 */
export function memorisationThreshold(clips: Fingerprint[]): number {
  if (clips.length < 2) return 0;
  const nn = clips.map((c, i) => nearestClip(c, clips, i).distance).sort((a, b) => a - b);
  return 0.5 * nn[nn.length >> 1];
}
