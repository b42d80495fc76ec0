/**
 * WindowSampler: seeded random windows of (receptive field + T) samples from a set of clips, with
 * a held-out set of whole clips for validation. Clips come through an async loader and are kept
 * μ-law encoded (1 byte/sample) in an LRU cache with a byte budget, so a large library is never
 * held in memory at once.
 */
import { muLawEncode } from '../audio/mulaw';
import { batchFromWindows, type Batch } from './batch';
import { Rng } from './rng';

/** One clip at the model rate. */
export interface Clip {
  label: number;
  audio: Float32Array;
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
  /** Fraction of each label's clips held out for validation (at least one when a label has ≥ 2 clips). Default 0.1. */
  validationFraction?: number;
  /** Explicit validation clip ids (overrides validationFraction). */
  validationIds?: string[];
  /** Byte budget of the encoded-clip cache. Default 256 MiB. */
  cacheBytes?: number;
  quantization?: number;
}

/** Serializable sampler position (for exact resume). */
export interface SamplerState {
  rng: number;
}

/** Byte-budgeted LRU cache of μ-law encoded clips. */
export class ClipCache {
  private map = new Map<string, { label: number; classes: Uint8Array | Int32Array }>();
  private used = 0;
  loads = 0;

  constructor(private readonly budget: number, private readonly loader: ClipLoader, private readonly q: number) {}

  /** Bytes currently held. */
  get bytes(): number {
    return this.used;
  }

  /** Encoded classes of a clip, loading (and evicting least recently used clips) as needed. */
  async get(id: string): Promise<{ label: number; classes: Uint8Array | Int32Array }> {
    const hit = this.map.get(id);
    if (hit) {
      this.map.delete(id);
      this.map.set(id, hit);
      return hit;
    }
    const clip = await this.loader(id);
    this.loads++;
    const entry = { label: clip.label, classes: muLawEncode(clip.audio, this.q) };
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

export class WindowSampler {
  readonly train: ClipRef[];
  readonly validation: ClipRef[];
  readonly cache: ClipCache;
  private readonly rng: Rng;
  private readonly cumFrames: number[];
  private readonly W: number;
  private readonly silence: number;

  constructor(private readonly opts: SamplerOptions) {
    const q = opts.quantization ?? 256;
    if (opts.clips.length === 0) throw new Error('WindowSampler: no clips');
    if (opts.validationIds) {
      const v = new Set(opts.validationIds);
      this.train = opts.clips.filter((c) => !v.has(c.id));
      this.validation = opts.clips.filter((c) => v.has(c.id));
    } else {
      ({ train: this.train, validation: this.validation } = splitClips(opts.clips, opts.seed, opts.validationFraction ?? 0.1));
    }
    if (this.train.length === 0) throw new Error('WindowSampler: every clip is held out for validation; nothing to train on');
    this.rng = new Rng(opts.seed);
    this.cache = new ClipCache(opts.cacheBytes ?? 256 * 2 ** 20, opts.loader, q);
    // Clips are drawn in proportion to their length, so every sample is about equally likely.
    let acc = 0;
    this.cumFrames = this.train.map((c) => (acc += Math.max(1, c.frames)));
    this.W = opts.receptiveField + opts.T;
    this.silence = q >> 1;
  }

  /** Current position (for checkpoints). */
  state(): SamplerState {
    return { rng: this.rng.state };
  }

  /** Restores a position saved by state(). */
  setState(s: SamplerState): void {
    this.rng.state = s.rng >>> 0;
  }

  /** One window of W samples starting at `start` (negative start pads with silence). */
  private window(classes: ArrayLike<number>, start: number): number[] {
    const w = new Array<number>(this.W);
    for (let i = 0; i < this.W; i++) {
      const j = start + i;
      w[i] = j >= 0 && j < classes.length ? classes[j] : this.silence;
    }
    return w;
  }

  /** A random training batch of B windows. */
  async nextBatch(B: number): Promise<Batch> {
    // Draw every random number first so the sequence never depends on cache state.
    const picks: { ref: ClipRef; u: number }[] = [];
    const total = this.cumFrames[this.cumFrames.length - 1];
    for (let b = 0; b < B; b++) {
      const r = this.rng.next() * total;
      let i = 0;
      while (this.cumFrames[i] <= r) i++;
      picks.push({ ref: this.train[i], u: this.rng.next() });
    }
    const windows: number[][] = [];
    const labels: number[] = [];
    for (const { ref, u } of picks) {
      const { label, classes } = await this.cache.get(ref.id);
      // Short clips: the window starts before the clip (silence-padded) so targets are still real audio.
      const start = classes.length >= this.W ? Math.floor(u * (classes.length - this.W + 1)) : classes.length - this.W;
      windows.push(this.window(classes, start));
      labels.push(label);
    }
    return batchFromWindows(windows, labels, this.opts.T);
  }

  /** Deterministic validation batches: consecutive windows covering each held-out clip (at most maxWindowsPerClip each). */
  async validationBatches(B: number, maxWindowsPerClip = 8): Promise<Batch[]> {
    const { T, receptiveField: RF } = this.opts;
    const windows: number[][] = [];
    const labels: number[] = [];
    for (const ref of this.validation) {
      const { label, classes } = await this.cache.get(ref.id);
      // Targets start at sample 1; the first window's context is silence before the clip.
      for (let k = 0, t0 = 1; k < maxWindowsPerClip && t0 < classes.length; k++, t0 += T) {
        if (t0 + T > classes.length && k > 0) break;
        windows.push(this.window(classes, t0 - RF));
        labels.push(label);
      }
    }
    const out: Batch[] = [];
    for (let i = 0; i < windows.length; i += B) out.push(batchFromWindows(windows.slice(i, i + B), labels.slice(i, i + B), T));
    return out;
  }
}
