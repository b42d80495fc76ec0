/**
 * Offline mixer: renders an arrangement to one stereo stem per track plus a mixdown (the float32
 * sum of the stems in track order), block by block so memory stays bounded by the block size and
 * the sources. Gain, fade, pan and solo laws live in laws.ts and match the Tone.js preview.
 */
import { arrangementEnd, type Arrangement, type SourceRef } from '../../src-shared/arrange/model';
import { validateArrangement } from '../../src-shared/arrange/validate';
import { dbToGain, envelopeAt, isAudible, panMono, panStereo } from '../../src-shared/mix/laws';

/** Decoded audio of a source, one Float32Array per channel. */
export interface SourceAudio {
  sampleRate: number;
  channels: Float32Array[];
}

/** Loads a clip's source (decoded, at its own rate). Called once per distinct source per render. */
export type GetSource = (ref: SourceRef) => SourceAudio | Promise<SourceAudio>;

/** Converts channels from one rate to another (band-limited in production: libsamplerate). */
export type Resampler = (channels: Float32Array[], fromRate: number, toRate: number) => Float32Array[] | Promise<Float32Array[]>;

export interface MixOptions {
  /** Output sample rate; default the arrangement's. Positions scale to it; sources resample straight to it. */
  rate?: number;
  /** Part of the timeline to render, in arrangement frames; default [0, end of the last clip). */
  range?: { start: number; end: number };
  /** Frames per block (default 8192). */
  blockSize?: number;
  /** Needed when a source's rate differs from the output rate. */
  resample?: Resampler;
}

/** A clip reduced to what rendering needs, in output frames relative to the render start. */
interface ClipPlan {
  start: number;
  length: number;
  offset: number;
  fadeIn: number;
  fadeOut: number;
  gain: number;
  left: Float32Array;
  /** Null for a mono source. */
  right: Float32Array | null;
}

/** One track ready to render. */
export interface TrackPlan {
  id: string;
  name: string;
  /** 0-based position in the arrangement. */
  index: number;
  audible: boolean;
  clips: ClipPlan[];
  /** Track gain folded into the pan gains. */
  mono: [number, number];
  stereo: { ll: number; rl: number; lr: number; rr: number };
  hasMono: boolean;
  hasStereo: boolean;
}

/** Everything needed to render any block of the arrangement, synchronously. */
export interface MixPlan {
  rate: number;
  /** Output frames rendered. */
  frames: number;
  tracks: TrackPlan[];
}

/** Scales an arrangement frame to the output rate (identity when the rates match). */
function scaler(fromRate: number, toRate: number): (x: number) => number {
  return fromRate === toRate ? (x) => x : (x) => Math.round((x * toRate) / fromRate);
}

/** Loads (and, if needed, resamples) every source once and lays out clips in output frames. */
export async function planMix(arr: Arrangement, getSource: GetSource, opts: MixOptions = {}): Promise<MixPlan> {
  validateArrangement(arr); // an invalid clip (e.g. past its source) fails here with a clear EditError, not as silence
  const rate = opts.rate ?? arr.sampleRate;
  if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`mix: rate must be a positive whole number of Hz, got ${rate}`);
  const at = scaler(arr.sampleRate, rate);
  const range = opts.range ?? { start: 0, end: arrangementEnd(arr) };
  if (!(range.start >= 0 && range.end >= range.start)) throw new RangeError(`mix: range [${range.start}, ${range.end}) is not a valid span`);
  const origin = at(range.start);
  const frames = at(range.end) - origin;
  const anySolo = arr.tracks.some((t) => t.solo);
  const cache = new Map<string, Promise<Float32Array[]>>();

  const load = (ref: SourceRef): Promise<Float32Array[]> => {
    const key = `${ref.kind}:${ref.id}`;
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        const src = await getSource(ref);
        if (!src || src.channels.length === 0) throw new Error(`mix: source ${key} has no channels`);
        // More than two channels: keep the front pair (the preview's Panner would down-mix differently; we do not support surround sources).
        const chans = src.channels.slice(0, 2);
        if (src.sampleRate === rate) return chans;
        if (!opts.resample) throw new Error(`mix: source ${key} is at ${src.sampleRate} Hz, output is ${rate} Hz, and no resampler was given`);
        return opts.resample(chans, src.sampleRate, rate);
      })();
      cache.set(key, p);
    }
    return p;
  };

  const tracks: TrackPlan[] = [];
  for (const [index, t] of arr.tracks.entries()) {
    const audible = isAudible(t, anySolo);
    const clips: ClipPlan[] = [];
    if (audible) {
      for (const c of t.clips) {
        // Scale both edges (not the length) so clips that touch on the timeline still touch.
        const start = at(c.position) - origin;
        const length = at(c.position + c.length) - at(c.position);
        if (length <= 0 || start + length <= 0 || start >= frames) continue;
        const data = await load(c.source);
        clips.push({
          start,
          length,
          offset: at(c.sourceOffset),
          fadeIn: Math.min(at(c.fadeIn), length),
          fadeOut: Math.min(at(c.fadeOut), length),
          gain: dbToGain(c.gainDb),
          left: data[0],
          right: data.length > 1 ? data[1] : null,
        });
      }
    }
    const g = dbToGain(t.gainDb);
    const [ml, mr] = panMono(t.pan);
    const s = panStereo(t.pan);
    clips.sort((a, b) => a.start - b.start);
    tracks.push({
      id: t.id,
      name: t.name,
      index,
      audible,
      clips,
      mono: [ml * g, mr * g],
      stereo: { ll: s.ll * g, rl: s.rl * g, lr: s.lr * g, rr: s.rr * g },
      hasMono: clips.some((c) => !c.right),
      hasStereo: clips.some((c) => c.right),
    });
  }
  return { rate, frames, tracks };
}

/** Adds `src[offset + k] · gain · envelope(k)` for the clip frames falling in [from, from + n) into `dst`. */
function addClip(c: ClipPlan, src: Float32Array, from: number, n: number, dst: Float32Array): void {
  const k0 = Math.max(0, from - c.start);
  const k1 = Math.min(c.length, from + n - c.start);
  const shift = c.start - from; // dst index = k + shift
  // Source frames past the decoded data (e.g. a resampler that returned a frame short) read as silence.
  const kEnd = Math.min(k1, src.length - c.offset);
  const flatFrom = Math.max(k0, c.fadeIn);
  const flatTo = Math.min(kEnd, c.length - c.fadeOut);
  let k = k0;
  for (; k < Math.min(kEnd, flatFrom); k++) dst[k + shift] += src[c.offset + k] * c.gain * envelopeAt(k, c.length, c.fadeIn, c.fadeOut);
  // The flat middle is the hot loop: one multiply-add per frame.
  const g = c.gain;
  const o = c.offset;
  for (; k < flatTo; k++) dst[k + shift] += src[o + k] * g;
  for (; k < kEnd; k++) dst[k + shift] += src[c.offset + k] * c.gain * envelopeAt(k, c.length, c.fadeIn, c.fadeOut);
}

/** Scratch buses reused across blocks of one render. */
export interface Scratch {
  mono: Float32Array;
  left: Float32Array;
  right: Float32Array;
}

/** Scratch buffers for blocks of up to `blockSize` frames. */
export function createScratch(blockSize: number): Scratch {
  return { mono: new Float32Array(blockSize), left: new Float32Array(blockSize), right: new Float32Array(blockSize) };
}

/**
 * Renders frames [from, from + n) of one track into outL/outR (overwritten, length ≥ n).
 * Mono and stereo clips sum on separate buses, then each bus goes through its own pan law; that
 * equals one Panner per clip (what the preview does) because panning is linear.
 */
export function renderTrackBlock(track: TrackPlan, from: number, n: number, outL: Float32Array, outR: Float32Array, scratch: Scratch): void {
  outL.fill(0, 0, n);
  outR.fill(0, 0, n);
  if (!track.audible || track.clips.length === 0) return;
  const { mono, left, right } = scratch;
  if (track.hasMono) mono.fill(0, 0, n);
  if (track.hasStereo) {
    left.fill(0, 0, n);
    right.fill(0, 0, n);
  }
  let touched = false;
  for (const c of track.clips) {
    if (c.start >= from + n) break; // sorted by start
    if (c.start + c.length <= from) continue;
    touched = true;
    if (c.right) {
      addClip(c, c.left, from, n, left);
      addClip(c, c.right, from, n, right);
    } else addClip(c, c.left, from, n, mono);
  }
  if (!touched) return;
  const [ml, mr] = track.mono;
  const { ll, rl, lr, rr } = track.stereo;
  if (track.hasMono && track.hasStereo) {
    for (let i = 0; i < n; i++) {
      outL[i] = mono[i] * ml + left[i] * ll + right[i] * rl;
      outR[i] = mono[i] * mr + left[i] * lr + right[i] * rr;
    }
  } else if (track.hasMono) {
    for (let i = 0; i < n; i++) {
      outL[i] = mono[i] * ml;
      outR[i] = mono[i] * mr;
    }
  } else {
    for (let i = 0; i < n; i++) {
      outL[i] = left[i] * ll + right[i] * rl;
      outR[i] = left[i] * lr + right[i] * rr;
    }
  }
}

/** One rendered block: stems[t] = [L, R] of track t, mix = [L, R]; arrays are reused between blocks. */
export interface MixBlock {
  /** Output frame of the block's first sample. */
  offset: number;
  frames: number;
  stems: Float32Array[][];
  mix: Float32Array[];
}

/** Yields the render block by block (buffers are reused: copy or consume before the next block). */
export function* mixBlocks(plan: MixPlan, blockSize = 8192): Generator<MixBlock> {
  const scratch = createScratch(blockSize);
  const stems = plan.tracks.map(() => [new Float32Array(blockSize), new Float32Array(blockSize)]);
  const mix = [new Float32Array(blockSize), new Float32Array(blockSize)];
  for (let offset = 0; offset < plan.frames; offset += blockSize) {
    const n = Math.min(blockSize, plan.frames - offset);
    mix[0].fill(0);
    mix[1].fill(0);
    plan.tracks.forEach((t, i) => {
      const [l, r] = stems[i];
      renderTrackBlock(t, offset, n, l, r, scratch);
      if (t.audible) addInto(mix, stems[i], n);
    });
    yield n === blockSize ? { offset, frames: n, stems, mix } : { offset, frames: n, stems: stems.map((s) => s.map((c) => c.subarray(0, n))), mix: mix.map((c) => c.subarray(0, n)) };
  }
}

/** dst[c][i] += src[c][i] for i < n: the mixdown is the plain float32 sum of stems, in track order. */
export function addInto(dst: Float32Array[], src: Float32Array[], n: number): void {
  for (let c = 0; c < dst.length; c++) {
    const d = dst[c];
    const s = src[c];
    for (let i = 0; i < n; i++) d[i] += s[i];
  }
}

/** A whole render in memory (tests, short previews); use mixBlocks or renderStems for long ones. */
export interface MixResult {
  rate: number;
  frames: number;
  stems: Array<{ id: string; name: string; index: number; channels: Float32Array[] }>;
  mix: Float32Array[];
}

/** Renders the whole arrangement to full-length stereo stems and a mixdown. */
export async function mixArrangement(arr: Arrangement, getSource: GetSource, opts: MixOptions = {}): Promise<MixResult> {
  const plan = await planMix(arr, getSource, opts);
  const stems = plan.tracks.map((t) => ({ id: t.id, name: t.name, index: t.index, channels: [new Float32Array(plan.frames), new Float32Array(plan.frames)] }));
  const mix = [new Float32Array(plan.frames), new Float32Array(plan.frames)];
  for (const b of mixBlocks(plan, opts.blockSize)) {
    b.stems.forEach((s, i) => {
      stems[i].channels[0].set(s[0], b.offset);
      stems[i].channels[1].set(s[1], b.offset);
    });
    mix[0].set(b.mix[0], b.offset);
    mix[1].set(b.mix[1], b.offset);
  }
  return { rate: plan.rate, frames: plan.frames, stems, mix };
}
