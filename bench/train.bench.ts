/**
 * Training throughput (audio samples/s = B·T per step) of the tfjs WaveNet for the PyTorch
 * reference's `small` and `seed-like` shapes: forward + backward + Adam on random μ-law windows,
 * causal padding, loss on all B·T positions (as ref_torch.py). Per backend: wasm data-parallel over
 * one replica per core (the shipped configuration), wasm on one thread, and cpu (small model, 1×1024
 * window: the pure-JS backend is ~100x slower).
 * When Debian's python3-torch and ref_torch.py are present, the reference runs back to back with
 * ours (pairs repeated, WAVEHOUSE_BENCH_PAIRS, default 2) and the ratio is emitted.
 * WAVEHOUSE_BENCH_AB=1 adds an interleaved A/B on one wasm thread: the wasm fast paths (our SIMD
 * kernels) against the previous formulation (tfjs ops, XNNPACK), alternating step by step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit, median } from './emit';
import { initBackend } from '../src-main/model/backend';
import type { WaveNetConfig } from '../src-shared/model/config';
import { flattenWeights } from '../src-shared/model/params';
import { mulberry32, randomWeights } from '../src-shared/model/weights';
import type { Batch } from '../src-main/training/batch';
import { LocalEngine, type GradientEngine } from '../src-main/training/engine';
import { lossAndGrads } from '../src-main/training/grad';
import { wasmGradMode } from '../src-main/model/tf-ops';
import { ParallelEngine } from '../src-main/training/parallel';
import { Trainer } from '../src-main/training/trainer';

const SHAPES = {
  small: { R: 32, D: 64, S: 64, layers: 10, stacks: 2, B: 4, T: 4096 },
  'seed-like': { R: 64, D: 128, S: 128, layers: 10, stacks: 3, B: 4, T: 8192 },
} as const;
type ShapeName = keyof typeof SHAPES;

function configOf(name: ShapeName): WaveNetConfig {
  const s = SHAPES[name];
  return { sampleRate: 16000, residualChannels: s.R, dilationChannels: s.D, skipChannels: s.S, layersPerStack: s.layers, stacks: s.stacks, quantization: 256, numLabels: 0 };
}

function randomBatch(B: number, T: number, seed: number): Batch {
  const r = mulberry32(seed);
  const cls = () => Math.floor(r() * 256);
  return { B, L: T, T, inputs: Int32Array.from({ length: B * T }, cls), targets: Int32Array.from({ length: B * T }, cls), labels: new Int32Array(B) };
}

/** Median samples/s of `steps` timed train steps after one warmup step (B, T default to the shape's). */
async function measure(name: ShapeName, engine: GradientEngine, steps: number, B = SHAPES[name].B, T = SHAPES[name].T): Promise<{ sps: number; stepS: number[] }> {
  const config = configOf(name);
  const trainer = new Trainer(config, flattenWeights(randomWeights(config, 1)), engine, { schedule: { peak: 1e-3, warmupSteps: 0, decay: 'none' }, clipNorm: 1 });
  const batch = randomBatch(B, T, 1);
  await trainer.trainStep(batch);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await trainer.trainStep(batch);
    times.push((performance.now() - t0) / 1000);
  }
  return { sps: (B * T) / median(times), stepS: times.map((t) => Number(t.toFixed(3))) };
}

/**
 * Median gradient-pass time (one replica's share, B/2 sequences) with the wasm kernels vs the tfjs-ops
 * formulation, alternating within one process so machine load hits both alike. ratio = ops / kernels.
 */
function abFormulations(name: ShapeName, rounds: number): { ratio: number; kernels_ms: number; ops_ms: number; rounds: number } {
  const config = configOf(name);
  const flat = flattenWeights(randomWeights(config, 1));
  const batch = randomBatch(SHAPES[name].B / 2, SHAPES[name].T, 1);
  const saved = { ...wasmGradMode };
  const modes = {
    kernels: { ...saved },
    ops: { ...saved, weights: 'transpose' as const, layer: 'ops' as const, gemm: 'xnnpack' as const, fuseAdd: false, sigmoidSoftmax: false },
  };
  const times: Record<keyof typeof modes, number[]> = { kernels: [], ops: [] };
  try {
    for (let r = 0; r <= rounds; r++) {
      for (const k of Object.keys(modes) as (keyof typeof modes)[]) {
        Object.assign(wasmGradMode, modes[k]);
        const t0 = performance.now();
        lossAndGrads(config, flat, batch);
        if (r > 0) times[k].push(performance.now() - t0); // round 0 warms both up
      }
    }
  } finally {
    Object.assign(wasmGradMode, saved);
  }
  const k = median(times.kernels);
  const o = median(times.ops);
  return { ratio: o / k, kernels_ms: Number(k.toFixed(1)), ops_ms: Number(o.toFixed(1)), rounds };
}

function refScript(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [process.env.WAVEHOUSE_REF_TORCH, path.resolve(here, '../../shared/bench/ref_torch.py')].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** PyTorch-CPU training samples/s for a preset at `threads`, or null when the reference is unavailable. */
function torchTrain(script: string, preset: ShapeName, threads: number): number | null {
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--preset', preset, '--threads', String(threads), '--modes', 'train'], {
      env: { ...process.env, OPENBLAS_CORETYPE: 'SkylakeX' },
      encoding: 'utf8',
      timeout: 300_000,
    });
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const rec = JSON.parse(line);
      if (rec.measure === 'train') return rec.samples_per_s as number;
    }
  } catch (e) {
    process.stderr.write(`bench: PyTorch reference failed: ${(e as Error).message.split('\n')[0]}\n`);
  }
  return null;
}

/** Runs the training throughput suite. */
export default async function trainBench(): Promise<void> {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const pairs = Number(process.env.WAVEHOUSE_BENCH_PAIRS ?? 2);
  const only = process.env.WAVEHOUSE_BENCH_SHAPES?.split(',') as ShapeName[] | undefined;
  const script = refScript();
  const choice = await initBackend({ force: 'wasm' });
  for (const name of only ?? (Object.keys(SHAPES) as ShapeName[])) {
    const config = configOf(name);
    const shape = SHAPES[name];
    const steps = name === 'small' ? 4 : 3;
    // The shipped configuration: one wasm replica per core, back to back with PyTorch on as many threads.
    const par = await ParallelEngine.create(config, { replicas: cores, backend: 'wasm' });
    const ratios: number[] = [];
    try {
      for (let p = 0; p < pairs; p++) {
        const ours = await measure(name, par, steps);
        const torch = script ? torchTrain(script, name, cores) : null;
        const ratio = torch ? ours.sps / torch : NaN;
        if (torch) ratios.push(ratio);
        emit(`train.${name}.wasm.samples_per_s`, ours.sps, 'samples/s', {
          shape, replicas: cores, step_s: ours.stepS, pair: p,
          torch_cpu_samples_per_s: torch, torch_threads: cores, ratio_vs_torch: Number.isFinite(ratio) ? Number(ratio.toFixed(3)) : null,
        });
      }
    } finally {
      await par.dispose();
    }
    if (ratios.length) emit(`train.${name}.wasm.ratio_vs_torch`, median(ratios), 'x', { pairs: ratios.map((r) => Number(r.toFixed(3))), torch_threads: cores });
    // One wasm thread, no workers: shows the data-parallel speed-up.
    const one = await measure(name, new LocalEngine(config, choice.backend), name === 'small' ? 2 : 1);
    emit(`train.${name}.wasm_1thread.samples_per_s`, one.sps, 'samples/s', { shape, step_s: one.stepS });
    if (process.env.WAVEHOUSE_BENCH_AB === '1') {
      const { ratio, ...ab } = abFormulations(name, Number(process.env.WAVEHOUSE_BENCH_AB_ROUNDS ?? 6));
      emit(`train.${name}.wasm_1thread.kernels_vs_ops`, ratio, 'x', { ...ab, shape: { ...shape, B: shape.B / 2 } });
    }
    if (name === 'small' && process.env.WAVEHOUSE_BENCH_CPU !== '0') {
      await initBackend({ force: 'cpu' });
      // The pure-JS cpu backend needs ~150 s for one full step: measure a 1 × 1024 window instead.
      const cpu = await measure(name, new LocalEngine(config, 'cpu'), 1, 1, 1024);
      emit(`train.${name}.cpu.samples_per_s`, cpu.sps, 'samples/s', { shape: { ...shape, B: 1, T: 1024 }, step_s: cpu.stepS });
      await initBackend({ force: 'wasm' });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await trainBench();
