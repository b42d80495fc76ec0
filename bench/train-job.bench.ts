/**
 * Training speed as the musician gets it: scored samples per wall second of the training job
 * (`wavehouse train`'s path: data, validation, checkpoints and previews included), back to back with
 * the gradient engine alone at the same shape, and with the PyTorch reference training the same
 * network at the same window and batch.
 *
 * The shape is the sketch preset's defaults on 96 labelled piano triads (bench/quality/sets.ts, or
 * the demo library where fluidsynth is missing): B windows of receptive field + T samples, T of
 * them scored, with the label tokens and pitch excitation the job uses. PyTorch has no condition,
 * so it trains the unconditioned network on windows of the same length; its samples/s counts every
 * position of a window, and is scaled by T / (receptive field − 1 + T) to compare scored samples.
 *
 *   npm run bench train-job                       # 3-minute job, then engine and reference
 *   WAVEHOUSE_BENCH_JOB_MINUTES=5 npm run bench train-job
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit, median } from './emit';
import { SETS, type QualitySet } from './quality/sets';
import { createApp } from '../src-main/app';
import { initBackend } from '../src-main/model/backend';
import { PRESETS, receptiveField, type WaveNetConfig } from '../src-shared/model/config';
import { EXCITATION_CHANNELS } from '../src-shared/pitch/excitation';
import { gradKernelChoice } from '../src-main/model/grad-kernels';
import { nativeKernelsStatus } from '../src-main/model/native-kernels';
import { flattenWeights } from '../src-shared/model/params';
import { mulberry32, randomWeights } from '../src-shared/model/weights';
import type { Batch } from '../src-main/training/batch';
import { conditionRows, labelTokens, tokenConfig } from '../src-main/training/label-tokens';
import { ParallelEngine } from '../src-main/training/parallel';
import { lossAndGrads } from '../src-main/training/grad';
import { Trainer } from '../src-main/training/trainer';

function set(): QualitySet {
  try {
    execFileSync('fluidsynth', ['--version'], { stdio: 'ignore' });
    return SETS.triads96();
  } catch {
    return SETS.demo();
  }
}

/** Scored samples/s of the training job for `minutes`, and the labels it trained on. */
async function jobSpeed(s: QualitySet, minutes: number): Promise<{ sps: number; steps: number; labels: string[]; B: number; T: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wavehouse-train-job-'));
  const app = createApp({ dataDir: join(dir, 'data'), demoLibrary: false });
  try {
    const { job, library } = await app.call('libraries.import', { paths: [s.dir] });
    await app.jobs.waitFor(job.id);
    if ('pattern' in s.labels) await app.call('samples.labelByPattern', { libraryId: library.id, pattern: s.labels.pattern, labelFrom: s.labels.labelFrom });
    const project = await app.call('projects.create', { name: 'speed', preset: 'sketch', libraryIds: [library.id] });
    const started = await app.call('training.start', { projectId: project.id, settings: { minutes } });
    const t0 = performance.now();
    const done = await app.jobs.waitFor(started.jobId!);
    const wall = (performance.now() - t0) / 1000;
    if (done.state !== 'done') throw new Error(`training ${done.state}: ${done.error ?? ''}`);
    const run = (await app.call('training.status', { projectId: project.id })).run!;
    const [last] = await app.call('checkpoints.list', { projectId: project.id });
    return { sps: (run.step * run.settings.batchSize * run.settings.windowT) / wall, steps: run.step, labels: last.labels, B: run.settings.batchSize, T: run.settings.windowT };
  } finally {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scored samples/s of the data-parallel engine alone (one replica per core) at the job's shape. */
async function engineSpeed(labels: string[], B: number, T: number): Promise<number> {
  await initBackend({ force: 'wasm' });
  const config: WaveNetConfig = { ...PRESETS.sketch, numLabels: labels.length, excitationChannels: EXCITATION_CHANNELS };
  const tokens = labelTokens(labels);
  const trainConfig = tokens ? tokenConfig(config, tokens) : config;
  const L = receptiveField(config) - 1 + T;
  const r = mulberry32(1);
  const labelIdx = Int32Array.from({ length: B }, (_, b) => b % labels.length);
  const batch: Batch = {
    B, L, T,
    inputs: Int32Array.from({ length: B * L }, () => Math.floor(r() * 256)),
    targets: Int32Array.from({ length: B * T }, () => Math.floor(r() * 256)),
    labels: labelIdx,
    ...(tokens ? { conditions: conditionRows(tokens, labelIdx) } : {}),
    excitation: Float32Array.from({ length: B * L * EXCITATION_CHANNELS }, () => r() * 2 - 1),
  };
  const engine = await ParallelEngine.create(trainConfig, { replicas: os.availableParallelism(), backend: 'wasm' });
  try {
    const trainer = new Trainer(trainConfig, flattenWeights(randomWeights(trainConfig, 1)), engine, { schedule: { peak: 1e-3, warmupSteps: 0, decay: 'none' }, clipNorm: 1 });
    await trainer.trainStep(batch);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await trainer.trainStep(batch);
      times.push((performance.now() - t0) / 1000);
    }
    return (B * T) / median(times);
  } finally {
    await engine.dispose();
  }
}

/**
 * One replica's gradient pass at the job's shape (one window, this thread), alternating in one process
 * so machine load hits all alike: this engine (native products, scored rows only), the same without
 * the native kernels, and the previous engine (wasm kernels, every row of the window).
 */
function abEngine(labels: string[], T: number, rounds = 4): Record<string, number> {
  const config: WaveNetConfig = { ...PRESETS.sketch, numLabels: labels.length, excitationChannels: EXCITATION_CHANNELS };
  const tokens = labelTokens(labels);
  const trainConfig = tokens ? tokenConfig(config, tokens) : config;
  const L = receptiveField(config) - 1 + T;
  const r = mulberry32(2);
  const batch: Batch = {
    B: 1, L, T,
    inputs: Int32Array.from({ length: L }, () => Math.floor(r() * 256)),
    targets: Int32Array.from({ length: T }, () => Math.floor(r() * 256)),
    labels: Int32Array.from([0]),
    ...(tokens ? { conditions: conditionRows(tokens, [0]) } : {}),
    excitation: Float32Array.from({ length: L * EXCITATION_CHANNELS }, () => r() * 2 - 1),
  };
  const flat = flattenWeights(randomWeights(trainConfig, 1));
  const modes: Record<string, () => void> = {
    engine: () => { gradKernelChoice.native = true; lossAndGrads(trainConfig, flat, batch); },
    wasm_trimmed: () => { gradKernelChoice.native = false; lossAndGrads(trainConfig, flat, batch); },
    previous: () => { gradKernelChoice.native = false; lossAndGrads(trainConfig, flat, batch, { trimRows: false }); },
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
  try {
    for (let i = 0; i <= rounds; i++) {
      for (const [k, run] of Object.entries(modes)) {
        const t0 = performance.now();
        run();
        if (i > 0) times[k].push(performance.now() - t0);
      }
    }
  } finally {
    gradKernelChoice.native = true;
  }
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, median(t)]));
}

/** PyTorch's scored samples/s for the sketch network on windows of L positions (T scored), or null without the reference. */
function torchSpeed(B: number, L: number, T: number): number | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const script = [process.env.WAVEHOUSE_REF_TORCH, path.resolve(here, '../../shared/bench/ref_torch.py')].find((p) => p && existsSync(p));
  if (!script) return null;
  const s = PRESETS.sketch;
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--preset', 'custom', '--R', String(s.residualChannels), '--D', String(s.dilationChannels), '--S', String(s.skipChannels),
      '--layers', String(s.layersPerStack), '--stacks', String(s.stacks), '--B', String(B), '--T', String(L), '--threads', String(os.availableParallelism()), '--modes', 'train'], {
      env: { ...process.env, OPENBLAS_CORETYPE: 'SkylakeX' }, encoding: 'utf8', timeout: 600_000,
    });
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const rec = JSON.parse(line);
      if (rec.measure === 'train') return (rec.samples_per_s as number) * (T / L);
    }
  } catch (e) {
    process.stderr.write(`bench: PyTorch reference failed: ${(e as Error).message.split('\n')[0]}\n`);
  }
  return null;
}

/** Runs the suite. */
export default async function trainJobBench(): Promise<void> {
  const minutes = Number(process.env.WAVEHOUSE_BENCH_JOB_MINUTES ?? 3);
  const s = set();
  const job = await jobSpeed(s, minutes);
  const L = receptiveField({ ...PRESETS.sketch, numLabels: 0 }) - 1 + job.T;
  const engine = await engineSpeed(job.labels, job.B, job.T);
  const ab = abEngine(job.labels, job.T);
  const torch = torchSpeed(job.B, L, job.T);
  const shape = { preset: 'sketch', B: job.B, T: job.T, windowRows: L, labels: job.labels.length, set: s.name };
  emit('train_job.sketch.job.scored_per_s', job.sps, 'scored samples/s', { ...shape, minutes, steps: job.steps });
  emit('train_job.sketch.engine.scored_per_s', engine, 'scored samples/s', shape);
  emit('train_job.sketch.engine_over_job', engine / job.sps, 'x', { ...shape, target: '<= 1.25' });
  const kernels = nativeKernelsStatus();
  emit('train_job.sketch.pass_ms.engine', ab.engine, 'ms', { ...shape, kernels, note: 'one window on one thread: native products, scored rows only' });
  emit('train_job.sketch.pass_ms.wasm_trimmed', ab.wasm_trimmed, 'ms', { ...shape, note: 'the same without the native kernels (their fallback)' });
  emit('train_job.sketch.pass_ms.previous', ab.previous, 'ms', { ...shape, note: 'wasm kernels on every row of the window (the engine before native kernels and trimming)' });
  emit('train_job.sketch.previous_over_engine', ab.previous / ab.engine, 'x', { ...shape, kernels });
  if (torch !== null) {
    emit('train_job.sketch.torch.scored_per_s', torch, 'scored samples/s', { ...shape, torch_threads: os.availableParallelism(), note: 'unconditioned network, same window and batch' });
    emit('train_job.sketch.job_over_torch', job.sps / torch, 'x', { ...shape, target: '>= 1' });
  }
}
