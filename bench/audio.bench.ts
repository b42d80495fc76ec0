/**
 * Audio layer throughput: WAV decode (MB/s, in memory), header probing of files on disk (files/s),
 * library walking (files/s) and resampling (× real time). Generates its own ~2,000 WAVs in a temp dir.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, median, timeRuns } from './emit';
import { decodeWav } from '../src-main/audio/wav';
import { encodeWav } from '../src-main/audio/wav-encode';
import { probeAudioFile, walkAudioFiles } from '../src-main/audio/probe';
import { resample } from '../src-main/audio/resample';

const FILES = 2000;
// Mix of what libraries hold: CD-style 16-bit stereo, 24-bit mono at 48k, 32-bit float stereo.
const KINDS = [
  { bits: 16, rate: 44100, channels: 2 },
  { bits: 24, rate: 48000, channels: 1 },
  { bits: '32f', rate: 44100, channels: 2 },
] as const;

function tone(n: number, freq: number, rate: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

export default async function audioBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wh-audio-bench-'));
  try {
    // Pre-encode one file per kind and length, then write copies: generation is not what we measure.
    const lengths = [0.1, 0.25, 0.5, 1.0];
    const templates = KINDS.flatMap((k) =>
      lengths.map((sec) => {
        const n = Math.round(sec * k.rate);
        return encodeWav(Array.from({ length: k.channels }, (_, c) => tone(n, 220 * (c + 1), k.rate)), k.rate, { bits: k.bits, seed: 1 });
      }),
    );
    let totalBytes = 0;
    const paths: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const sub = join(dir, `pack-${i % 20}`);
      if (i < 20) await mkdir(sub);
      const p = join(sub, `sample-${i}.wav`);
      const t = templates[i % templates.length];
      await writeFile(p, t);
      totalBytes += t.length;
      paths.push(p);
    }

    const files = await Promise.all(paths.map(async (p) => new Uint8Array(await readFile(p))));
    let frames = 0;
    const decodeTimes = await timeRuns(() => {
      frames = 0;
      for (const f of files) frames += decodeWav(f).frames;
    }, { warmup: 1, minRuns: 3, budgetMs: 4000 });
    const decodeMs = median(decodeTimes);
    emit('audio.decode_wav.mb_per_s', totalBytes / 1e6 / (decodeMs / 1000), 'MB/s', {
      files: FILES,
      total_mb: Number((totalBytes / 1e6).toFixed(1)),
      frames,
      ms_per_pass: Number(decodeMs.toFixed(1)),
      runs: decodeTimes.length,
    });

    const probeTimes = await timeRuns(async () => {
      for (const p of paths) {
        const r = await probeAudioFile(p);
        if (!r.ok) throw new Error(`${p}: ${r.error.reason}`);
      }
    }, { warmup: 1, minRuns: 3, budgetMs: 4000 });
    emit('audio.probe_file.files_per_s', FILES / (median(probeTimes) / 1000), 'files/s', { files: FILES, runs: probeTimes.length, decode: false });

    const decodeFileTimes = await timeRuns(async () => {
      for (const p of paths.slice(0, 500)) {
        const r = await probeAudioFile(p, { decode: true });
        if (!r.ok) throw new Error(`${p}: ${r.error.reason}`);
      }
    }, { warmup: 0, minRuns: 2, budgetMs: 3000 });
    emit('audio.probe_file_decode.files_per_s', 500 / (median(decodeFileTimes) / 1000), 'files/s', { files: 500, runs: decodeFileTimes.length, decode: true });

    const walkTimes = await timeRuns(async () => {
      let n = 0;
      for await (const e of walkAudioFiles(dir)) if ('size' in e) n++;
      if (n !== FILES) throw new Error(`walk found ${n} of ${FILES} files`);
    }, { warmup: 1, minRuns: 3, budgetMs: 2000 });
    emit('audio.walk.files_per_s', FILES / (median(walkTimes) / 1000), 'files/s', { files: FILES, folders: 20, runs: walkTimes.length });

    // 30 s of 44.1 kHz mono to the model rate, per converter quality.
    const seconds = 30;
    const signal = tone(44100 * seconds, 1000, 44100);
    for (const quality of ['medium', 'best', 'fastest'] as const) {
      const times = await timeRuns(() => resample(signal, 44100, 16000, quality), { warmup: 1, minRuns: 2, budgetMs: 3000 });
      emit(`audio.resample_${quality}.x_realtime`, seconds / (median(times) / 1000), 'x', { from: 44100, to: 16000, seconds, runs: times.length });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
