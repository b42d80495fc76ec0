/**
 * Export planner: renders stems (`NN_TrackName.wav`, one per track) and `mixdown.wav`, with
 * progress and cancellation checked every block. Encoding and file writing are injected so the
 * real WAV encoder (TPDF dither, bext) and temp-file-then-rename writing plug in from outside.
 *
 * Two ways to receive audio:
 * - `encode(channels, rate, opts)` → bytes per file. Needs each file whole, so tracks render one at
 *   a time: peak memory is one stem + the mixdown accumulator + one encoded file (plus sources).
 * - `createWriter(info)` → a streaming writer fed block by block; all stems advance together and
 *   memory stays at a few blocks per track regardless of length.
 */
import type { Arrangement } from '../../src-shared/arrange/model';
import { addInto, createScratch, mixBlocks, planMix, renderTrackBlock, type GetSource, type MixPlan, type Resampler } from './mixer';
import { MIXDOWN_FILE, stemFileName } from './names';

export type BitDepth = 16 | 24 | '32f';

/** Whole-file encoder: float channels in, file bytes out (16/24-bit: the encoder dithers). */
export type EncodeFn = (channels: Float32Array[], rate: number, opts: { bits: BitDepth }) => Uint8Array | Promise<Uint8Array>;

/** What a streaming writer is opened for. */
export interface ExportFileInfo {
  name: string;
  kind: 'stem' | 'mixdown';
  /** Track id for stems. */
  trackId?: string;
  rate: number;
  frames: number;
  channels: 2;
  bits: BitDepth;
}

/** A streaming file writer (e.g. WAV header + dithered PCM into a temp file, renamed on close). */
export interface ExportWriter {
  /** Buffers are reused for the next block: consume or copy them before the returned promise settles. */
  write(channels: Float32Array[]): void | Promise<void>;
  close(): void | Promise<void>;
  /** Called when the export fails or is cancelled (delete the temp file); must be a no-op after close. */
  abort?(): void | Promise<void>;
}

export interface ExportProgress {
  /** 0…1 */
  fraction: number;
  stage: 'render' | 'encode' | 'done';
  file?: string;
}

export interface RenderStemsOptions {
  bits: BitDepth;
  /** 44100, 48000 or the arrangement rate (default). */
  rate?: number;
  /** Arrangement frames to export; default [0, end of the last clip). */
  range?: { start: number; end: number };
  encode?: EncodeFn;
  createWriter?: (info: ExportFileInfo) => ExportWriter | Promise<ExportWriter>;
  /** With `encode`: receives each file as soon as it is encoded, and the result keeps no bytes. */
  onFile?: (file: ExportedFile & { bytes: Uint8Array }) => void | Promise<void>;
  resample?: Resampler;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  blockSize?: number;
}

/** One exported file. `bytes` is present only in `encode` mode without `onFile`. */
export interface ExportedFile {
  name: string;
  kind: 'stem' | 'mixdown';
  trackId?: string;
  frames: number;
  /** Largest absolute sample value before encoding (> 1 means the integer formats will clip). */
  peak: number;
  bytes?: Uint8Array;
}

export interface RenderStemsResult {
  rate: number;
  frames: number;
  files: ExportedFile[];
}

const YIELD_MS = 15;

/** Lets timers and I/O (e.g. a cancel request) run during a long synchronous render. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function peakOf(channels: Float32Array[], n = channels[0].length): number {
  let p = 0;
  // Plain comparisons: Math.max/Math.abs per sample cost a third of the whole render here.
  for (const c of channels) {
    for (let i = 0; i < n; i++) {
      const v = c[i];
      if (v > p) p = v;
      else if (-v > p) p = -v;
    }
  }
  return p;
}

/** Renders and encodes every track's stem plus the mixdown; throws the signal's reason when aborted. */
export async function renderStems(arr: Arrangement, getSource: GetSource, opts: RenderStemsOptions): Promise<RenderStemsResult> {
  if (opts.bits !== 16 && opts.bits !== 24 && opts.bits !== '32f') throw new RangeError(`export: bits must be 16, 24 or "32f", got ${String(opts.bits)}`);
  const rate = opts.rate ?? arr.sampleRate;
  if (rate !== 44100 && rate !== 48000 && rate !== arr.sampleRate) throw new RangeError(`export: rate must be 44100, 48000 or the arrangement rate (${arr.sampleRate}), got ${rate}`);
  if (!opts.encode === !opts.createWriter) throw new TypeError('export: give exactly one of encode or createWriter');
  opts.signal?.throwIfAborted();
  const blockSize = opts.blockSize ?? 8192;
  const plan = await planMix(arr, getSource, { rate, range: opts.range, resample: opts.resample, blockSize });
  opts.signal?.throwIfAborted();
  return opts.createWriter ? streamToWriters(plan, opts, blockSize) : encodeWhole(plan, opts, blockSize);
}

/** Per-block bookkeeping shared by both modes: progress, cancellation, and periodic yielding. */
function ticker(opts: RenderStemsOptions, total: number) {
  let done = 0;
  let lastYield = performance.now();
  return async (stage: ExportProgress['stage'], file?: string): Promise<void> => {
    opts.signal?.throwIfAborted();
    done++;
    opts.onProgress?.({ fraction: Math.min(1, done / total), stage, ...(file ? { file } : {}) });
    if (performance.now() - lastYield > YIELD_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
      opts.signal?.throwIfAborted();
    }
  };
}

async function encodeWhole(plan: MixPlan, opts: RenderStemsOptions, blockSize: number): Promise<RenderStemsResult> {
  const encode = opts.encode!;
  const blocks = Math.ceil(plan.frames / blockSize);
  const tick = ticker(opts, plan.tracks.length * (blocks + 1) + 1);
  const scratch = createScratch(blockSize);
  const mix = [new Float32Array(plan.frames), new Float32Array(plan.frames)];
  const files: ExportedFile[] = [];
  const deliver = async (meta: ExportedFile, channels: Float32Array[]) => {
    const bytes = await encode(channels, plan.rate, { bits: opts.bits });
    if (opts.onFile) {
      await opts.onFile({ ...meta, bytes });
      files.push(meta);
    } else files.push({ ...meta, bytes });
    await tick('encode', meta.name);
  };
  for (const t of plan.tracks) {
    const name = stemFileName(t.index, t.name);
    const stem = [new Float32Array(plan.frames), new Float32Array(plan.frames)];
    for (let off = 0; off < plan.frames; off += blockSize) {
      const n = Math.min(blockSize, plan.frames - off);
      renderTrackBlock(t, off, n, stem[0].subarray(off, off + n), stem[1].subarray(off, off + n), scratch);
      await tick('render', name);
    }
    if (t.audible) addInto(mix, stem, plan.frames);
    await deliver({ name, kind: 'stem', trackId: t.id, frames: plan.frames, peak: peakOf(stem) }, stem);
  }
  await deliver({ name: MIXDOWN_FILE, kind: 'mixdown', frames: plan.frames, peak: peakOf(mix) }, mix);
  opts.onProgress?.({ fraction: 1, stage: 'done' });
  return { rate: plan.rate, frames: plan.frames, files };
}

async function streamToWriters(plan: MixPlan, opts: RenderStemsOptions, blockSize: number): Promise<RenderStemsResult> {
  const blocks = Math.ceil(plan.frames / blockSize);
  const tick = ticker(opts, blocks + 1);
  const metas: ExportedFile[] = [
    ...plan.tracks.map((t) => ({ name: stemFileName(t.index, t.name), kind: 'stem' as const, trackId: t.id, frames: plan.frames, peak: 0 })),
    { name: MIXDOWN_FILE, kind: 'mixdown' as const, frames: plan.frames, peak: 0 },
  ];
  const writers: ExportWriter[] = [];
  try {
    for (const m of metas) {
      writers.push(await opts.createWriter!({ name: m.name, kind: m.kind, ...(m.trackId ? { trackId: m.trackId } : {}), rate: plan.rate, frames: plan.frames, channels: 2, bits: opts.bits }));
    }
    for (const b of mixBlocks(plan, blockSize)) {
      const outs = [...b.stems, b.mix];
      for (let i = 0; i < outs.length; i++) {
        metas[i].peak = Math.max(metas[i].peak, peakOf(outs[i], b.frames));
        await writers[i].write(outs[i]);
      }
      await tick('render');
    }
    for (const w of writers) await w.close();
  } catch (err) {
    // Best effort: let every opened writer discard its partial file, then report the original error.
    for (const w of writers) await Promise.resolve(w.abort?.()).catch(() => undefined);
    throw err;
  }
  await tick('encode');
  opts.onProgress?.({ fraction: 1, stage: 'done' });
  return { rate: plan.rate, frames: plan.frames, files: metas };
}
