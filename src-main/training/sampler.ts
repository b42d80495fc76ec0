/**
 * WindowSampler: seeded random windows of (receptive field + T) samples from a set of clips, with a
 * held-out time segment of each clip for validation. Clips come through an async loader and are kept
 * μ-law encoded (1 byte/sample) in an LRU cache with a byte budget, so a large library is never
 * held in memory at once.
 *
 * Why a segment and not whole clips: a small labelled library often has one or two clips per label,
 * and holding out whole clips then takes half the library (and whole labels' sounds) away from
 * training. A segment of ~10% of every clip (after its attack, so every label's onset is learned)
 * keeps every label in training and measures what validation should: how well the model predicts
 * audio of each sound it has not been trained on.
 */
import { muLawEncode } from '../../src-shared/audio/mulaw';
import { writeExcitation, type Voicing } from '../../src-shared/pitch/excitation';
import { batchFromWindows, type Batch } from './batch';
import { Rng } from './rng';

/** One clip at the model rate. */
export interface Clip {
  label: number;
  audio: Float32Array;
  /** The clip's notes, for models with pitch excitation (model/excitation.ts); null when its label names none. */
  voicing?: Voicing | null;
}

/** What the sampler knows about a clip before loading it. */
export interface ClipRef {
  id: string;
  label: number;
  /** Length in samples at the model rate. */
  frames: number;
}

export type ClipLoader = (id: string) => Promise<Clip>;

export interface SamplerOptions {
  clips: ClipRef[];
  loader: ClipLoader;
  /** Receptive field of the model; each window is receptiveField + T samples. */
  receptiveField: number;
  /** Scored samples per window. */
  T: number;
  seed: number;
  /** Fraction of each clip's audio held out for validation, as one time segment (at most 0.15). Default 0.1. */
  validationFraction?: number;
  /** Whole clips held out instead (runs started before segment hold-out; resumes keep their scheme). */
  validationIds?: string[];
  /**
   * Share of training windows that start exactly one receptive field before their clip, so silence
   * is the whole context of the clip's first sample: every take starts from silence, and without
   * these windows the model never learns what follows it. Default 0.
   */
  onsetShare?: number;
  /**
   * Onset emphasis: the loss of a target t samples after its clip's first sample weighs
   * 1 + gain·exp(−t/tau). The label decides a take's pitch only in the first milliseconds after
   * silence (later, the context gives it away), and those positions are a tiny share of a batch.
   * Default: none.
   */
  onsetEmphasis?: { gain: number; tau: number };
  /**
   * Pitch excitation at this model rate: batches then carry each window's excitation rows, from the
   * voicing the loader measured on the clip. Default: none.
   */
  excitation?: { rate: number; channels: number };
  /** Byte budget of the encoded-clip cache. Default 256 MiB. */
  cacheBytes?: number;
  quantization?: number;
}

/** Serializable sampler position (for exact resume). */
export interface SamplerState {
  rng: number;
}

/** A clip as the cache holds it: μ-law classes, label and voicing. */
export interface CachedClip {
  label: number;
  classes: Uint8Array | Int32Array;
  voicing: Voicing | null;
}

/** Byte-budgeted LRU cache of μ-law encoded clips. */
export class ClipCache {
  private map = new Map<string, CachedClip>();
  private used = 0;
  loads = 0;

  constructor(private readonly budget: number, private readonly loader: ClipLoader, private readonly q: number) {}

  /** Bytes currently held. */
  get bytes(): number {
    return this.used;
  }

  /** Encoded classes of a clip, loading (and evicting least recently used clips) as needed. */
  async get(id: string): Promise<CachedClip> {
    const hit = this.map.get(id);
    if (hit) {
      this.map.delete(id);
      this.map.set(id, hit);
      return hit;
    }
    const clip = await this.loader(id);
    this.loads++;
    const entry = { label: clip.label, classes: muLawEncode(clip.audio, this.q), voicing: clip.voicing ?? null };
    this.map.set(id, entry);
    this.used += entry.classes.byteLength;
    // Evict oldest entries until within budget (the entry just loaded always stays).
    for (const [k, v] of this.map) {
      if (this.used <= this.budget || k === id) break;
      this.map.delete(k);
      this.used -= v.classes.byteLength;
    }
    return entry;
  }
}

/** Splits clip refs into train and validation sets, per label, deterministically from a seed. */
export function splitClips(clips: ClipRef[], seed: number, fraction: number): { train: ClipRef[]; validation: ClipRef[] } {
  const rng = new Rng(seed ^ 0x5eed);
  const byLabel = new Map<number, ClipRef[]>();
  for (const c of [...clips].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!byLabel.has(c.label)) byLabel.set(c.label, []);
    byLabel.get(c.label)!.push(c);
  }
  const train: ClipRef[] = [];
  const validation: ClipRef[] = [];
  for (const [, list] of [...byLabel].sort((a, b) => a[0] - b[0])) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [list[i], list[j]] = [list[j], list[i]];
    }
    const k = list.length >= 2 ? Math.max(1, Math.round(fraction * list.length)) : 0;
    validation.push(...list.slice(0, k));
    train.push(...list.slice(k));
  }
  return { train, validation };
}

/** Held-out targets of one clip: samples [start, start + length), scored in `chunks` equal parts. */
export interface HeldOutSegment {
  start: number;
  length: number;
  chunks: number;
}

/** Segment lengths are multiples of this, so equal-length clips give equal-length validation windows that batch together. */
const SEGMENT_QUANTUM = 256;
/** Longest validation window (targets): longer segments are scored in equal chunks. */
const MAX_VALIDATION_T = 8192;
/** The hold-out never takes more than this share of a clip. */
export const MAX_HOLDOUT_FRACTION = 0.15;

/**
 * The segment of a clip held out for validation: about `fraction` of its samples (a multiple of
 * 256, at most 15%), at a position drawn from the clip id and seed, never before `guard` samples so
 * the attack always trains. Clips too short to spare a segment (or shorter than one training
 * window) hold out nothing.
 */
export function heldOutSegment(id: string, frames: number, seed: number, fraction: number, guard: number, window: number): HeldOutSegment | null {
  const share = Math.min(Math.max(fraction, 0), MAX_HOLDOUT_FRACTION);
  let length = Math.floor((share * frames) / SEGMENT_QUANTUM) * SEGMENT_QUANTUM;
  if (length === 0 && share > 0 && frames * MAX_HOLDOUT_FRACTION >= SEGMENT_QUANTUM) length = SEGMENT_QUANTUM;
  if (length === 0 || frames < window || frames - length < guard) return null;
  const chunks = Math.ceil(length / MAX_VALIDATION_T);
  length = Math.floor(length / (chunks * SEGMENT_QUANTUM)) * chunks * SEGMENT_QUANTUM;
  let h = (seed ^ 0x5eed) >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  const rng = new Rng(h);
  const lo = Math.min(guard, frames - length);
  const start = lo + rng.int(frames - length - lo + 1);
  return { start, length, chunks };
}

export class WindowSampler {
  /** Clips windows are drawn from (every clip, unless whole clips are held out). */
  readonly train: ClipRef[];
  /** Clips with held-out audio (a segment each, or the whole clip in the legacy scheme). */
  readonly validation: ClipRef[];
  /** Held-out segment per clip id (segment scheme only). */
  readonly segments = new Map<string, HeldOutSegment>();
  readonly scheme: 'segment' | 'clips';
  readonly cache: ClipCache;
  private readonly rng: Rng;
  private readonly cumFrames: number[];
  private readonly W: number;
  private readonly silence: number;

  constructor(private readonly opts: SamplerOptions) {
    const q = opts.quantization ?? 256;
    if (opts.clips.length === 0) throw new Error('WindowSampler: no clips');
    this.W = opts.receptiveField + opts.T;
    if (opts.validationIds) {
      this.scheme = 'clips';
      const v = new Set(opts.validationIds);
      this.train = opts.clips.filter((c) => !v.has(c.id));
      this.validation = opts.clips.filter((c) => v.has(c.id));
    } else {
      this.scheme = 'segment';
      this.train = [...opts.clips];
      for (const c of opts.clips) {
        // The attack (first 0.25 s at 16 kHz or a quarter of a short clip, at least one window's targets) always trains.
        const guard = Math.max(opts.T, Math.min(4000, Math.floor(c.frames / 4)));
        const seg = heldOutSegment(c.id, c.frames, opts.seed, opts.validationFraction ?? 0.1, guard, this.W);
        if (seg) this.segments.set(c.id, seg);
      }
      this.validation = opts.clips.filter((c) => this.segments.has(c.id));
    }
    if (this.train.length === 0) throw new Error('WindowSampler: every clip is held out for validation; nothing to train on');
    this.rng = new Rng(opts.seed);
    this.cache = new ClipCache(opts.cacheBytes ?? 256 * 2 ** 20, opts.loader, q);
    // Clips are drawn in proportion to their length, so every sample is about equally likely.
    let acc = 0;
    this.cumFrames = this.train.map((c) => (acc += Math.max(1, c.frames)));
    this.silence = q >> 1;
  }

  /** Share of the clips' audio held out for validation. */
  get heldOutShare(): number {
    const total = this.opts.clips.reduce((a, c) => a + c.frames, 0);
    let held = 0;
    if (this.scheme === 'clips') held = this.validation.reduce((a, c) => a + c.frames, 0);
    else for (const s of this.segments.values()) held += s.length;
    return total ? held / total : 0;
  }

  /** Current position (for checkpoints). */
  state(): SamplerState {
    return { rng: this.rng.state };
  }

  /** Restores a position saved by state(). */
  setState(s: SamplerState): void {
    this.rng.state = s.rng >>> 0;
  }

  /** One window of `length` samples starting at `start` (out-of-clip positions are silence). */
  private window(classes: ArrayLike<number>, start: number, length = this.W): number[] {
    const w = new Array<number>(length);
    for (let i = 0; i < length; i++) {
      const j = start + i;
      w[i] = j >= 0 && j < classes.length ? classes[j] : this.silence;
    }
    return w;
  }

  /**
   * Where a training window starts, from a uniform draw u: anywhere from one receptive field before
   * the clip (silence into the attack, as every take begins) to its end, never with a target in the
   * clip's held-out segment.
   */
  private windowStart(id: string, length: number, u: number): number {
    const RF = this.opts.receptiveField;
    const lo = -RF;
    const hi = length - this.W;
    if (hi < lo) return hi; // a clip shorter than the context: its end is the window's end
    const seg = this.segmentOf(id, length);
    const ranges: [number, number][] = seg
      ? [[lo, Math.min(hi, seg.start - this.W)], [Math.max(lo, seg.start + seg.length - RF), hi]]
      : [[lo, hi]];
    const usable = ranges.filter(([a, b]) => b >= a);
    if (usable.length === 0) return hi;
    const total = usable.reduce((n, [a, b]) => n + b - a + 1, 0);
    let k = Math.floor(u * total);
    for (const [a, b] of usable) {
      if (k <= b - a) return a + k;
      k -= b - a + 1;
    }
    return hi;
  }

  /**
   * A clip's held-out segment for its loaded length: segments are placed from the length the
   * library reports, and a loader may return a little less (trimmed to its onset), so a segment
   * that would run past the end moves back to end there. Training and validation both use this.
   */
  private segmentOf(id: string, length: number): HeldOutSegment | undefined {
    const seg = this.segments.get(id);
    if (!seg || seg.start + seg.length <= length) return seg;
    return { ...seg, start: Math.max(0, length - seg.length) };
  }

  /** Whether a window from the clip's start keeps its targets out of the held-out segment. */
  private onsetAllowed(id: string, length: number): boolean {
    const seg = this.segmentOf(id, length);
    return length >= this.opts.T && (!seg || seg.start >= this.opts.T);
  }

  /** A random training batch of B windows. */
  async nextBatch(B: number): Promise<Batch> {
    // Draw every random number first so the sequence never depends on cache state.
    const picks: { ref: ClipRef; u: number; onset: boolean }[] = [];
    const onsetShare = this.opts.onsetShare ?? 0;
    const total = this.cumFrames[this.cumFrames.length - 1];
    for (let b = 0; b < B; b++) {
      const r = this.rng.next() * total;
      let i = 0;
      while (this.cumFrames[i] <= r) i++;
      const u = this.rng.next();
      picks.push({ ref: this.train[i], u, onset: onsetShare > 0 && this.rng.next() < onsetShare });
    }
    const windows: number[][] = [];
    const labels: number[] = [];
    const starts: number[] = [];
    const voicings: (Voicing | null)[] = [];
    for (const { ref, u, onset } of picks) {
      const { label, classes, voicing } = await this.cache.get(ref.id);
      const start = onset && this.onsetAllowed(ref.id, classes.length) ? -this.opts.receptiveField : this.windowStart(ref.id, classes.length, u);
      windows.push(this.window(classes, start));
      labels.push(label);
      starts.push(start);
      voicings.push(voicing);
    }
    const batch = this.withExcitation(batchFromWindows(windows, labels, this.opts.T), starts, voicings);
    const emphasis = this.opts.onsetEmphasis;
    if (!emphasis || emphasis.gain <= 0) return batch;
    // Target j of a window starting at s is clip sample s + receptiveField + j.
    const { T, receptiveField: RF } = this.opts;
    const weights = new Float32Array(B * T).fill(1);
    starts.forEach((s, b) => {
      for (let j = Math.max(0, -(s + RF)); j < T; j++) {
        const extra = emphasis.gain * Math.exp(-(s + RF + j) / emphasis.tau);
        if (extra < 1e-3) break;
        weights[b * T + j] += extra;
      }
    });
    return { ...batch, weights };
  }

  /** The batch with each window's excitation rows (row i: the clip sample after input i), when the sampler makes them. */
  private withExcitation(batch: Batch, starts: number[], voicings: (Voicing | null)[]): Batch {
    const ex = this.opts.excitation;
    if (!ex) return batch;
    const E = ex.channels;
    const out = new Float32Array(batch.B * batch.L * E);
    starts.forEach((s, b) => writeExcitation(voicings[b], ex.rate, s + 1, batch.L, out, b * batch.L * E, E));
    return { ...batch, excitation: out };
  }

  /**
   * Deterministic validation batches covering every held-out sample exactly once: each segment as
   * one window (or a few equal chunks), with the clip's own audio before it as context. Windows of
   * equal length batch together, about `rows` input rows per batch.
   */
  async validationBatches(B?: number, maxWindowsPerClip = Infinity, rows = 32_768): Promise<Batch[]> {
    const RF = this.opts.receptiveField;
    const groups = new Map<number, { windows: number[][]; labels: number[]; starts: number[]; voicings: (Voicing | null)[] }>();
    const add = (T: number, w: number[], label: number, start: number, voicing: Voicing | null) => {
      if (!groups.has(T)) groups.set(T, { windows: [], labels: [], starts: [], voicings: [] });
      const g = groups.get(T)!;
      g.windows.push(w);
      g.labels.push(label);
      g.starts.push(start);
      g.voicings.push(voicing);
    };
    for (const ref of this.validation) {
      const { label, classes, voicing } = await this.cache.get(ref.id);
      if (this.scheme === 'segment') {
        const seg = this.segmentOf(ref.id, classes.length)!;
        const T = seg.length / seg.chunks;
        for (let k = 0; k < seg.chunks; k++) add(T, this.window(classes, seg.start + k * T - RF, RF + T), label, seg.start + k * T - RF, voicing);
      } else {
        // A whole held-out clip in windows of T targets (the last one ends at the clip's end).
        const T = this.opts.T;
        for (let k = 0, t0 = 1; k < maxWindowsPerClip && t0 < classes.length; k++, t0 += T) {
          if (t0 + T > classes.length && k > 0) break;
          add(T, this.window(classes, t0 - RF), label, t0 - RF, voicing);
        }
      }
    }
    const out: Batch[] = [];
    for (const [T, g] of [...groups].sort((a, b) => a[0] - b[0])) {
      const per = B ?? Math.max(2, Math.floor(rows / (RF + T)));
      for (let i = 0; i < g.windows.length; i += per) {
        const batch = batchFromWindows(g.windows.slice(i, i + per), g.labels.slice(i, i + per), T);
        out.push(this.withExcitation(batch, g.starts.slice(i, i + per), g.voicings.slice(i, i + per)));
      }
    }
    return out;
  }
}

/**
 * The clip from its onset: leading samples quieter than `belowPeakDb` under the clip's peak are
 * dropped (keeping `margin` of them). Every take starts from silence; when clips begin with a few
 * dozen near-silent samples, "near silence" is also what a decayed tail looks like, and a model
 * that never sees silence followed at once by an attack learns to let takes die away instead.
 */
export function fromOnset(audio: Float32Array, belowPeakDb = 40, margin = 4): Float32Array {
  let peak = 0;
  for (let i = 0; i < audio.length; i++) peak = Math.max(peak, Math.abs(audio[i]));
  if (peak === 0) return audio;
  const threshold = peak * 10 ** (-belowPeakDb / 20);
  let first = 0;
  while (first < audio.length && Math.abs(audio[first]) < threshold) first++;
  return audio.subarray(Math.max(0, first - margin));
}
