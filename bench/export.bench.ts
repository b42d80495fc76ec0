/**
 * Export speed as × real time for a 16-track, 5-minute arrangement of synthetic clips at 48 kHz:
 * mixing only (stems + mixdown streamed to no-op writers), mixing with whole-file 24-bit encoding,
 * and mixing with every take resampled from 16 kHz (libsamplerate) once the audio module has it.
 */
import { existsSync } from 'node:fs';
import { createArrangement, createClip, createTrack, sourceLengthAt, type Arrangement } from '../src-shared/arrange/model';
import type { Resampler, SourceAudio } from '../src-main/export/mixer';
import { renderStems, type EncodeFn } from '../src-main/export/stems';
import { emit, median, timeRuns } from './emit';

const RATE = 48000;
const SECONDS = 300;
const TRACKS = 16;
const TAKES_PER_TRACK = 4;
const TAKE_SECONDS = 8;

function noise(frames: number, seed: number): Float32Array {
  const y = new Float32Array(frames);
  let s = seed >>> 0;
  for (let i = 0; i < frames; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    y[i] = (s / 4294967296 - 0.5) * 0.2 + 0.3 * Math.sin((2 * Math.PI * (110 + seed) * i) / RATE);
  }
  return y;
}

/** 16 tracks of back-to-back 8 s clips (with 50 ms crossfade overlaps) drawn from 4 takes each; every 4th track is stereo. */
function scene(sourceRate: number): { arr: Arrangement; sources: Map<string, SourceAudio> } {
  const sources = new Map<string, SourceAudio>();
  const takeFrames = TAKE_SECONDS * sourceRate;
  const clipLen = sourceLengthAt(takeFrames, sourceRate, RATE);
  const overlap = Math.round(0.05 * RATE);
  const tracks = [];
  for (let t = 0; t < TRACKS; t++) {
    const stereo = t % 4 === 3;
    for (let k = 0; k < TAKES_PER_TRACK; k++) {
      const id = `t${t}k${k}`;
      const left = noise(takeFrames, t * 31 + k);
      sources.set(id, { sampleRate: sourceRate, channels: stereo ? [left, noise(takeFrames, t * 31 + k + 7)] : [left] });
    }
    const clips = [];
    for (let pos = 0, i = 0; pos < SECONDS * RATE; pos += clipLen - overlap, i++) {
      const length = Math.min(clipLen, SECONDS * RATE - pos);
      clips.push(createClip(`c${t}-${i}`, { kind: 'take', id: `t${t}k${i % TAKES_PER_TRACK}` }, clipLen, pos, { length, fadeIn: Math.min(overlap, length), fadeOut: Math.min(overlap, length), gainDb: -3 - (i % 5) }));
    }
    tracks.push({ ...createTrack(`t${t}`, `Track ${t + 1}`, { pan: ((t % 9) - 4) / 4, gainDb: -6 }), clips });
  }
  return { arr: createArrangement({ sampleRate: RATE, tracks }), sources };
}

const noopWriter = () => ({ write: () => undefined, close: () => undefined });

export default async function bench(): Promise<void> {
  const native = scene(RATE);
  const getSource = (ref: { id: string }) => native.sources.get(ref.id)!;
  const clips = native.arr.tracks.reduce((n, t) => n + t.clips.length, 0);
  const shape = { tracks: TRACKS, seconds: SECONDS, rate: RATE, clips, block: 8192 };

  const mixMs = await timeRuns(() => renderStems(native.arr, getSource, { bits: 24, createWriter: noopWriter }), { warmup: 1, minRuns: 3, budgetMs: 0 });
  emit('export.16tracks_5min.x_realtime', (SECONDS * 1000) / median(mixMs), 'x', { ...shape, mode: 'mix only, streamed stems + mixdown', ms: Math.round(median(mixMs)) });

  // Streaming, as the export job does it: each block encoded (24-bit, via createWavEncoder) as it is mixed,
  // so memory stays at a block per file however long the arrangement is.
  const { createWavEncoder } = await import('../src-main/audio/wav-encode');
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const streamMs = await timeRuns(
    () =>
      renderStems(native.arr, getSource, {
        bits: 24,
        createWriter: (info) => {
          const enc = createWavEncoder(info.channels, info.rate, info.frames, { bits: 24 });
          let bytes = enc.header.length;
          return {
            write: (ch) => {
              bytes += enc.encode(ch, ch[0].length).length;
              peakRss = Math.max(peakRss, process.memoryUsage().rss);
            },
            close: () => void (bytes += enc.trailer.length),
          };
        },
      }),
    { warmup: 0, minRuns: 1, budgetMs: 0 },
  );
  emit('export.16tracks_5min.x_realtime_stream_encode', (SECONDS * 1000) / median(streamMs), 'x', {
    ...shape,
    mode: 'streamed 24-bit encode of every stem + mixdown, block by block (what the export job does)',
    ms: Math.round(median(streamMs)),
    peak_rss_mb: Math.round(peakRss / 1e6),
    rss_before_mb: Math.round(rssBefore / 1e6),
  });

  // Whole-file mode with the project's WAV encoder when it exists (24-bit, no dither), else a no-op encoder.
  const encPath = new URL('../src-main/audio/wav-encode.ts', import.meta.url);
  let encode: EncodeFn = () => new Uint8Array(0);
  let encoder = 'none';
  if (existsSync(encPath)) {
    const m = await import(encPath.href);
    encode = (ch, rate, o) => m.encodeWav(ch, rate, { bits: o.bits });
    encoder = 'encodeWav 24-bit';
  }
  const heapBefore = process.memoryUsage().rss;
  const encMs = await timeRuns(() => renderStems(native.arr, getSource, { bits: 24, encode, onFile: () => undefined }), { warmup: 0, minRuns: 1, budgetMs: 0 });
  emit('export.16tracks_5min.x_realtime_encode', (SECONDS * 1000) / median(encMs), 'x', { ...shape, mode: 'whole-file encode, one track at a time', encoder, ms: Math.round(median(encMs)), rss_mb: Math.round(process.memoryUsage().rss / 1e6), rss_before_mb: Math.round(heapBefore / 1e6) });

  // Every take at 16 kHz (WaveNet's rate): resampled once per take to 48 kHz inside the render.
  const resPath = new URL('../src-main/audio/resample.ts', import.meta.url);
  if (existsSync(resPath)) {
    const m = await import(resPath.href);
    const resample: Resampler = (ch, from, to) => m.resampleChannels(ch, from, to);
    const lo = scene(16000);
    const loSource = (ref: { id: string }) => lo.sources.get(ref.id)!;
    const resMs = await timeRuns(() => renderStems(lo.arr, loSource, { bits: 24, createWriter: noopWriter, resample }), { warmup: 0, minRuns: 1, budgetMs: 0 });
    emit('export.16tracks_5min.x_realtime_resample', (SECONDS * 1000) / median(resMs), 'x', { ...shape, mode: 'mix + resample 64 takes 16k→48k (libsamplerate medium)', takes: lo.sources.size, ms: Math.round(median(resMs)) });
  }
}

// Allow `npx tsx bench/export.bench.ts` directly as well as through bench/run.ts.
if (import.meta.url === `file://${process.argv[1]}`) await bench();
