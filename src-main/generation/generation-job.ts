/**
 * The `generation` job (runs in a worker process): loads a checkpoint, generates N takes spread over
 * the cores, writes each as a WAV at the model rate (temp file, then rename) and records it with every
 * parameter. Cancelling stops all generation at once; only whole takes are ever kept.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computePeaks, decodeAudio, encodeWav, mixToMono, muLawDecode, muLawEncode, resample } from '../audio';
import { encodeSamples } from '../../src-preload/sample-codec';
import { CheckpointsRepo } from '../db/checkpoints-repo';
import { newId } from '../db/ids';
import { TakesRepo } from '../db/takes-repo';
import { writeFileAtomic } from '../files/atomic';
import type { JobContext } from '../jobs/context';
import { throwIfCancelled } from '../jobs/context';
import { cardTakeVoicing, loadCheckpoint, takeGuidance } from '../model/checkpoint';
import { projectDir } from '../paths';
import { sourcePath } from '../export/export-job';
import { generateTakes, setWorkerEntry } from './index';
import { DEFAULT_PRECISION } from '../../src-shared/generation/pack';
import { KERNEL_BUILD } from '../../src-shared/generation/kernelModule';
import type { TakeRequest } from '../../src-shared/generation/takes';
import { libraryPrints, nearestOf } from './nearest-clip';

export interface GenerationParams {
  projectId: string;
  checkpointId: string;
  count: number;
  seconds: number;
  /** Condition label by name (null: unconditional model, or label 0). */
  label: string | null;
  temperature: number;
  topK?: number;
  topP?: number;
  /** Classifier-free guidance (TakeRequest.guidance); default the checkpoint's (ModelCard.guidance), else off. */
  guidance?: number;
  /** First seed; take i uses seed + i. */
  seed: number;
  /** Optional priming from a region of a library sample. */
  prime?: { sampleId: string; start: number; seconds: number };
  /** Where to write the takes; default the project's takes folder. */
  outDir?: string;
  /** Stream take 0's samples as `generation.chunk` events while it is generated. */
  stream?: boolean;
}

export interface GenerationResult {
  takeIds: string[];
  paths: string[];
}

/** In the built app the generation worker is its own bundle beside this chunk. */
function useBundledWorkerIfPresent(): void {
  const built = new URL('./generation-worker.js', import.meta.url);
  if (built.protocol === 'file:' && existsSync(fileURLToPath(built))) setWorkerEntry({ url: built, typescript: false });
}

async function primeClasses(ctx: JobContext<GenerationParams>, prime: NonNullable<GenerationParams['prime']>, rate: number): Promise<Uint8Array | Int32Array> {
  const path = sourcePath(ctx, { kind: 'sample', id: prime.sampleId });
  const audio = await decodeAudio(await readFile(path));
  let mono = mixToMono(audio.data);
  const from = Math.max(0, Math.floor(prime.start * audio.sampleRate));
  mono = mono.subarray(from, Math.min(mono.length, from + Math.ceil(prime.seconds * audio.sampleRate)));
  if (mono.length === 0) throw new Error('the priming region is empty: it starts after the end of the sample');
  const atRate = audio.sampleRate === rate ? mono : await resample(mono, audio.sampleRate, rate, 'best');
  return muLawEncode(atRate);
}

/** Runs the generation. */
export async function run(ctx: JobContext<GenerationParams>): Promise<GenerationResult> {
  useBundledWorkerIfPresent();
  const p = ctx.params;
  const checkpoint = new CheckpointsRepo(ctx.db).get(p.checkpointId);
  if (!checkpoint) throw new Error(`checkpoint ${p.checkpointId} no longer exists`);
  ctx.progress(0, 'Loading the model…');
  const { weights, card } = await loadCheckpoint(checkpoint.path);
  const rate = card.sampleRate;
  let label = 0;
  if (p.label !== null) {
    label = card.labels.indexOf(p.label);
    if (label < 0) throw new Error(`the model knows no label "${p.label}" (it knows ${card.labels.join(', ') || 'none'})`);
  }
  const prime = p.prime ? await primeClasses(ctx, p.prime, rate) : undefined;
  const length = Math.round(p.seconds * rate);
  // Guidance needs a model that learned "no label" (label dropout); a label-less take has nothing to guide.
  const guidance = takeGuidance(card, p.label !== null, p.guidance);
  const requests: TakeRequest[] = Array.from({ length: p.count }, (_, i) => ({
    seed: p.seed + i,
    length,
    label,
    temperature: p.temperature,
    topK: p.topK,
    topP: p.topP,
    guidance,
    prime,
    voicing: cardTakeVoicing(card, p.label, p.seed + i),
  }));
  const done = new Array<number>(p.count).fill(0);
  const Q = weights.config.quantization;
  const results = await generateTakes(weights, requests, {
    signal: ctx.signal,
    // Streamed chunks decode the very classes the take is made of, with the same function, so they
    // concatenate to the saved take's samples bit for bit. Every take streams; the page plays them one after another.
    // A single streamed take runs on this thread: starting a worker thread would delay its first chunk
    // by ~0.2 s, and a take's samples do not depend on where it runs (README: bit for bit inline or in a worker).
    ...(p.stream && {
      workers: p.count === 1 ? 0 : undefined,
      streamTakes: requests.map((_, i) => i),
      onSamples: (take: number, start: number, classes: Int32Array) =>
        ctx.emit('generation.chunk', { jobId: ctx.jobId, projectId: p.projectId, take, start, total: length, sampleRate: rate, samples: encodeSamples(muLawDecode(classes, Q)) }),
    }),
    onProgress: (take, samples, total) => {
      done[take] = samples / total;
      const mean = done.reduce((a, b) => a + b, 0) / p.count;
      ctx.progress(mean * 0.97, `Generating ${p.count} take${p.count === 1 ? '' : 's'}: ${done.map((d) => `${Math.round(d * 100)}%`).join(' · ')}`);
    },
  });

  // How near each take is to a training clip: generalising or reproducing one.
  const prints = p.outDir ? null : await libraryPrints(ctx.db, p.projectId, card.labels, rate);
  const takes = new TakesRepo(ctx.db);
  const dir = p.outDir ?? join(projectDir(ctx.dataDir, p.projectId), 'takes');
  const existing = takes.list(p.projectId).length;
  const out: GenerationResult = { takeIds: [], paths: [] };
  for (const [i, result] of results.entries()) {
    throwIfCancelled(ctx.signal);
    const id = newId();
    const path = join(dir, `${id}.wav`);
    await writeFileAtomic(path, encodeWav([result.audio], rate, { bits: '32f' }));
    takes.insert({
      id,
      projectId: p.projectId,
      checkpointId: p.checkpointId,
      name: `Take ${existing + i + 1}${p.label ? ` (${p.label})` : ''}`,
      path,
      label: p.label,
      seed: requests[i].seed,
      temperature: p.temperature,
      // The engine's weight precision and kernel build are part of what makes a take reproducible (same
      // bytes for the same checkpoint, seed, settings, precision and kernel build).
      params: { ...p, guidance, seed: requests[i].seed, checkpointStep: checkpoint.step, prime: p.prime ?? null, enginePrecision: DEFAULT_PRECISION, engineKernel: KERNEL_BUILD, notesHz: requests[i].voicing?.freqs.map((f) => Math.round(f * 100) / 100) ?? null, nearestClip: prints ? nearestOf(prints, result.audio, rate) : null },
      sampleRate: rate,
      frames: result.audio.length,
      peaks: computePeaks(result.audio),
    });
    out.takeIds.push(id);
    out.paths.push(path);
  }
  ctx.emit('data.changed', { entity: 'takes', projectId: p.projectId });
  return out;
}
