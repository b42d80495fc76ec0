/**
 * Pitch excitation: the local condition that tells a WaveNet which notes to play.
 *
 * Why: a label such as "C major" decides a take's pitch only where the take begins (after that the
 * model's own past gives the pitch away), so a WaveNet trained for minutes on a few clips per label
 * learns to ignore it and every take drifts to the same sound. WaveNet's own TTS conditioned on F0
 * as a local signal; neural source-filter models feed a sine excitation. We do the same from what
 * the label names: for a chord or note label, each layer also sees Σ sin and Σ cos of the label's
 * notes (at the frequencies and phases measured on the training clip, so in training the excitation
 * lines up with the audio and is worth learning from) and an onset clock, and a take is generated with the
 * same notes at a voicing its label's clips used and phases drawn from the take's seed. The WaveNet
 * still makes every sample: the excitation says which notes, the model learns how they sound.
 *
 * Pure and environment-free: training, generation and previews share it.
 */
import { chroma } from './chroma';
import { parseMusicalLabel, type MusicalLabel } from './labels';
import { mulberry32 } from '../random';

/**
 * Channels of the pitch excitation a new model sees: Σ sin and Σ cos of its notes, and an onset
 * clock e^(−t/1 s) since the note began. Why the clock: a piano's decay spans seconds, far beyond the
 * receptive field, so without it a model cannot tell an attack from a long-held note and its takes
 * hold their level instead of dying away. Models trained with 2 channels (no clock) still load.
 */
export const EXCITATION_CHANNELS = 3;

/** Time constant of the onset clock, in seconds. */
export const ONSET_CLOCK_SECONDS = 1;

/** The notes of one clip or take: frequencies (Hz) and phases (radians at the clip's first sample). */
export interface Voicing {
  freqs: number[];
  phases: number[];
}

/** Frequency of MIDI note m (A4 = 440 Hz). */
export function midiHz(m: number): number {
  return 440 * 2 ** ((m - 69) / 12);
}

/** The pitch classes a label names (a quality label names none until a clip shows its root). */
function labelPitchClasses(m: MusicalLabel): number[] {
  if (m.kind === 'chord') return m.pitchClasses;
  if (m.kind === 'note') return [m.pitchClass];
  return [];
}

/** Whether any of these labels names pitches (chords, notes or chord qualities), i.e. a model over them gets pitch excitation. */
export function labelsNamePitches(labels: string[]): boolean {
  return labels.some((l) => parseMusicalLabel(l) !== null);
}

/**
 * Hann-windowed DFT of `x` [from, from + n) at frequency f (cycles per sample): re and im, scaled
 * so a sinusoid A·sin(2πf(t − from) + φ) gives magnitude A and phase arg = φ − π/2.
 */
function dftAt(x: Float32Array, from: number, n: number, f: number): { re: number; im: number } {
  let re = 0;
  let im = 0;
  let wsum = 0;
  // Rotate a phasor instead of calling sin/cos per sample; renormalised every 1024 samples.
  const c = Math.cos(2 * Math.PI * f), s = Math.sin(2 * Math.PI * f);
  const wc = Math.cos((2 * Math.PI) / n), ws = Math.sin((2 * Math.PI) / n);
  let pr = 1, pi = 0, hr = 1, hi = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * hr;
    const v = x[from + i] * w;
    re += v * pr;
    im -= v * pi;
    wsum += w;
    const npr = pr * c - pi * s;
    pi = pr * s + pi * c;
    pr = npr;
    const nhr = hr * wc - hi * ws;
    hi = hr * ws + hi * wc;
    hr = nhr;
    if ((i & 1023) === 1023) {
      const m = Math.hypot(pr, pi);
      pr /= m;
      pi /= m;
    }
  }
  return { re: (2 * re) / wsum, im: (2 * im) / wsum };
}

/** Magnitude of x near frequency f (Hz), refined within ±`spread` (a fraction of f): the best frequency and its DFT. */
function peakNear(x: Float32Array, from: number, n: number, rate: number, f: number, spread: number): { hz: number; mag: number; re: number; im: number } {
  let best = { hz: f, mag: -1, re: 0, im: 0 };
  const probe = (hz: number) => {
    const d = dftAt(x, from, n, hz / rate);
    const mag = Math.hypot(d.re, d.im);
    if (mag > best.mag) best = { hz, mag, ...d };
  };
  // A coarse grid, then halving steps around the best point (the peak is smooth at this window length).
  const steps = 12;
  for (let k = -steps; k <= steps; k++) probe(f * (1 + (spread * k) / steps));
  let step = (f * spread) / steps;
  for (let it = 0; it < 8; it++) {
    step /= 2;
    const c = best.hz;
    probe(c - step);
    probe(c + step);
  }
  return best;
}

/** Lowest and highest note frequencies the analysis considers, as a share of the sample rate for the top. */
const MIN_NOTE_HZ = 55;
const MAX_NOTE_SHARE = 0.2;

/**
 * The voicing of a clip whose label names pitches: for each pitch class the label names (for a
 * quality label, the root whose chord is strongest in the clip's chroma), the octave where that
 * pitch class is loudest, its exact frequency and its phase at the clip's first sample, measured
 * over the clip's first ~0.6 s (the attack always trains, so validation audio is never looked at).
 * Null when the label names no pitches or the clip is too short to measure.
 */
export function analyseVoicing(audio: Float32Array, rate: number, label: string | MusicalLabel | null): Voicing | null {
  const meaning = typeof label === 'string' ? parseMusicalLabel(label) : label;
  if (!meaning) return null;
  let pcs = labelPitchClasses(meaning);
  if (meaning.kind === 'quality') {
    const c = chroma(audio, rate);
    let bestRoot = 0, bestSum = -1;
    for (let root = 0; root < 12; root++) {
      const sum = meaning.intervals.reduce((a, i) => a + c[(root + i) % 12], 0);
      if (sum > bestSum) [bestRoot, bestSum] = [root, sum];
    }
    pcs = meaning.intervals.map((i) => (bestRoot + i) % 12);
  }
  // Skip the first few ms (the hammer's noise), then measure over up to 0.6 s.
  const from = Math.min(Math.floor(0.02 * rate), Math.floor(audio.length / 4));
  const n = Math.min(audio.length - from, Math.floor(0.6 * rate));
  if (n < Math.floor(0.05 * rate)) return null;
  const freqs: number[] = [];
  const phases: number[] = [];
  for (const pc of pcs) {
    const octaves: number[] = [];
    if (meaning.kind === 'note' && meaning.octave !== null) octaves.push(meaning.octave);
    else for (let o = 0; o <= 8; o++) octaves.push(o);
    let best: { hz: number; mag: number; re: number; im: number } | null = null;
    for (const o of octaves) {
      const nominal = midiHz(12 * (o + 1) + pc);
      if (nominal < MIN_NOTE_HZ || nominal > MAX_NOTE_SHARE * rate) continue;
      const p = peakNear(audio, from, n, rate, nominal, 0.03);
      if (!best || p.mag > best.mag) best = p;
    }
    if (!best) continue;
    // arg X = φ' − π/2 at `from`; step back to the clip's first sample.
    const phaseAtFrom = Math.atan2(best.im, best.re) + Math.PI / 2;
    freqs.push(best.hz);
    phases.push(wrap(phaseAtFrom - (2 * Math.PI * best.hz * from) / rate));
  }
  return freqs.length ? { freqs, phases } : null;
}

/** The voicing a label names on its own (its notes in octave 4, or the note's octave), for labels no clip has shown. */
export function nominalVoicing(label: string): Voicing | null {
  const m = parseMusicalLabel(label);
  if (!m) return null;
  const pcs = m.kind === 'quality' ? m.intervals : labelPitchClasses(m);
  const octave = m.kind === 'note' && m.octave !== null ? m.octave : 4;
  const freqs = pcs.map((pc) => midiHz(12 * (octave + 1) + pc));
  return { freqs, phases: freqs.map(() => 0) };
}

/**
 * Writes the excitation for clip samples n0 + i, i in [0, count), as rows of `channels` floats at
 * out[offset + i·channels …]: Σ sin and Σ cos of the voicing's notes scaled by 1/√notes, then (with
 * 3 channels) the onset clock; all zero before the clip's first sample (n < 0), as a take starts
 * from silence, and everywhere when there is no voicing.
 */
export function writeExcitation(v: Voicing | null, rate: number, n0: number, count: number, out: Float32Array, offset: number, channels: number): void {
  new ExcitationStream(v, rate, n0, channels).write(out, offset, count);
}

/**
 * The excitation as a stream: `write` continues where the last call ended, with the same phasor
 * and clock arithmetic in the same order as one `writeExcitation` over the whole span, so a voice
 * generated block by block (the renderer's live generator) sees bit for bit the excitation a take
 * of the same voicing sees.
 */
export class ExcitationStream {
  readonly #k: number;
  readonly #gain: number;
  readonly #pr: Float64Array;
  readonly #pi: Float64Array;
  readonly #cr: Float64Array;
  readonly #ci: Float64Array;
  readonly #decay: number;
  #clock = 0;
  /** Clip sample index of the next row written. */
  #n: number;
  #started = false;

  constructor(
    private readonly v: Voicing | null,
    private readonly rate: number,
    n0: number,
    private readonly channels: number,
  ) {
    this.#n = n0;
    const k = v ? v.freqs.length : 0;
    this.#k = k;
    this.#gain = 1 / Math.sqrt(k);
    this.#pr = new Float64Array(k);
    this.#pi = new Float64Array(k);
    this.#cr = new Float64Array(k);
    this.#ci = new Float64Array(k);
    this.#decay = Math.exp(-1 / (ONSET_CLOCK_SECONDS * rate));
  }

  /** Writes the next `count` rows at out[offset …] and advances. */
  write(out: Float32Array, offset: number, count: number): void {
    const channels = this.channels;
    out.fill(0, offset, offset + count * channels);
    const k = this.#k;
    if (k === 0) return;
    const n0 = this.#n;
    this.#n += count;
    const start = Math.max(0, -n0);
    if (start >= count) return;
    const pr = this.#pr, pi = this.#pi, cr = this.#cr, ci = this.#ci;
    if (!this.#started) {
      // Per note a phasor rotated per sample (exact enough over a window; set from n at the start).
      this.#started = true;
      const v = this.v!;
      for (let j = 0; j < k; j++) {
        const w = (2 * Math.PI * v.freqs[j]) / this.rate;
        const ph = w * (n0 + start) + v.phases[j];
        pr[j] = Math.cos(ph);
        pi[j] = Math.sin(ph);
        cr[j] = Math.cos(w);
        ci[j] = Math.sin(w);
      }
      this.#clock = Math.exp(-(n0 + start) / (ONSET_CLOCK_SECONDS * this.rate));
    }
    const gain = this.#gain, decay = this.#decay;
    let clock = this.#clock;
    for (let i = start; i < count; i++) {
      let s = 0, c = 0;
      for (let j = 0; j < k; j++) {
        s += pi[j];
        c += pr[j];
        const r = pr[j] * cr[j] - pi[j] * ci[j];
        pi[j] = pr[j] * ci[j] + pi[j] * cr[j];
        pr[j] = r;
      }
      const at = offset + i * channels;
      out[at] = gain * s;
      out[at + 1] = gain * c;
      if (channels >= 3) out[at + 2] = clock;
      clock *= decay;
    }
    this.#clock = clock;
  }
}

/**
 * The voicing of a take: one of its label's voicings (chosen by the seed) with phases drawn from the
 * seed, so the same seed gives the same take and different seeds different attacks.
 */
export function takeVoicing(voicings: number[][] | undefined, label: string, seed: number): Voicing | null {
  const rand = mulberry32((Math.imul(seed, 0x2c1b3c6d) ^ 0x5ca1ab1e) >>> 0);
  const options = voicings && voicings.length ? voicings : null;
  const freqs = options ? options[Math.floor(rand() * options.length)] : nominalVoicing(label)?.freqs;
  if (!freqs || freqs.length === 0) return null;
  return { freqs: [...freqs], phases: freqs.map(() => 2 * Math.PI * rand()) };
}

function wrap(phase: number): number {
  const t = phase % (2 * Math.PI);
  return t < 0 ? t + 2 * Math.PI : t;
}
