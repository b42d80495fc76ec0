/**
 * Generation speed on one core: the incremental WebAssembly SIMD engine (with sampling) for the
 * PyTorch reference's `small` and `seed-like` shapes, batch 1 and 8, plus how close each comes to
 * streaming its weights once per step. The default engine (int16 weights) and the f32 kernel are
 * measured alternately, back to back, and their ratio reported. With `--ref` (or BENCH_REF=1) it runs the reference
 * (/work/shared/bench/ref_torch.py, Debian's torch, one thread) back to back with ours and reports ratios.
 * Last, the studio preset at batch 1 through `generate --mp … --fs …` (generate-mp.ts).
 */
import { PRESETS } from '../src-shared/model/config';
import type { WaveNetConfig } from '../src-shared/model/config';
import { randomWeights } from '../src-shared/model/weights';
import { createWasmEngine } from '../src-shared/generation/engineWasm';
import { instantiateKernel } from '../src-shared/generation/kernelModule';
import { DEFAULT_PRECISION, paddedShape } from '../src-shared/generation/pack';
import type { WeightPrecision } from '../src-shared/generation/pack';
import { runTakes } from '../src-shared/generation/takes';
import { emit, median } from './emit';
import { benchStudioMp } from './generate-mp';
import { referenceAvailable, runReference } from './reference';

const RATE = 16000;
const SHAPES: { name: 'small' | 'seedlike'; refPreset: string; config: WaveNetConfig }[] = [
  { name: 'small', refPreset: 'small', config: { ...PRESETS.sketch, numLabels: 0 } },
  { name: 'seedlike', refPreset: 'seed-like', config: { ...PRESETS.studio, numLabels: 0 } },
];

/** Multiply-accumulates per generated sample, counted as the reference counts them (layer 0's conv included). */
function macsPerSample(c: WaveNetConfig): number {
  const G = c.dilationChannels / 2;
  const layers = c.layersPerStack * c.stacks;
  const R = c.residualChannels, D = c.dilationChannels, S = c.skipChannels;
  return layers * (2 * R * D + G * (R + S)) + S * S + S * c.quantization;
}

/** Bytes of packed f32 weights the kernel reads per step (layer 0's conv is two table rows, counted as 0). */
function weightBytesPerStep(c: WaveNetConfig): number {
  const s = paddedShape(randomWeights({ ...c, layersPerStack: 1, stacks: 1 }, 1));
  const layers = c.layersPerStack * c.stacks;
  return 4 * ((layers - 1) * 2 * s.Rp * s.Dp + layers * s.Gp * (s.Rp + s.Sp) + s.Sp * s.Sp + s.Sp * s.Qp);
}

/** The same for int16 weights: two bytes a weight plus a four-byte scale per column. */
function weightBytesPerStepI16(c: WaveNetConfig): number {
  const s = paddedShape(randomWeights({ ...c, layersPerStack: 1, stacks: 1 }, 1));
  const layers = c.layersPerStack * c.stacks;
  const columns = (layers - 1) * s.Dp + layers * (s.Rp + s.Sp) + s.Sp + s.Qp;
  return weightBytesPerStep(c) / 2 + 4 * columns;
}

/** Samples/s of full generation (engine + softmax sampling + feedback), median and best of repeated runs. */
async function measureGenerate(config: WaveNetConfig, batch: number, budgetMs: number, precision: WeightPrecision) {
  const weights = randomWeights(config, 1);
  const engine = await createWasmEngine(weights, batch, { precision });
  const requests = Array.from({ length: batch }, (_, b) => ({ seed: b + 1, length: 2000, temperature: 1 }));
  await runTakes(engine, requests); // warm-up: JIT tiers, caches
  const length = Math.max(500, Math.round(batch === 1 ? 6000 : 1500) * (config.residualChannels > 32 ? 0.3 : 1));
  const runs: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (runs.length < 5 || (performance.now() - start < budgetMs && runs.length < 200)) {
    const reqs = requests.map((r) => ({ ...r, length, seed: r.seed + runs.length }));
    const t0 = performance.now();
    await runTakes(engine, reqs);
    runs.push((batch * length) / ((performance.now() - t0) / 1000));
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPerWall = (cpu.user + cpu.system) / 1000 / (performance.now() - start); // < 1: the core was shared
  // Kernel alone (no sampling), for the streaming analysis.
  const inputs = new Int32Array(batch).fill(128);
  const kernelRuns: number[] = [];
  for (let r = 0; r < 7; r++) {
    const steps = Math.round(length / 2);
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) engine.step(inputs);
    kernelRuns.push((batch * steps) / ((performance.now() - t0) / 1000));
  }
  return { median: median(runs), best: Math.max(...runs), runs: runs.length, cpuPerWall, kernelMedian: median(kernelRuns), kernelBest: Math.max(...kernelRuns) };
}

/** Calls/s of the kernel's own gemm (f32 panels, or an int16 block) over a K x N matrix for n takes, best of several timed loops. */
async function gemmRate(K: number, N: number, n: number, minMs = 300, precision: 'f32' | 'i16' = 'f32'): Promise<number> {
  const wBytes = precision === 'f32' ? K * N * 4 : N * 4 + K * N * 2;
  const k = await instantiateKernel(wBytes + (1 << 20));
  const x = 1024, y = x + n * K * 4 + 64, q = y + n * N * 4 + 64, sx = q + n * K * 2 + 64, w = (sx + n * 4 + 4095) & ~4095;
  new Float32Array(k.memory.buffer, w, wBytes / 4).fill(0.001); // as int16: nonzero weights and scales
  new Float32Array(k.memory.buffer, x, n * K).fill(0.5);
  const call = precision === 'f32' ? () => k.gemm(x, K, n, w, K, N, y, N, 0, 0) : () => k.gemmI16(x, K, n, w, K, N, y, N, 0, 0, q, sx);
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) call();
    if (performance.now() - t0 > minMs / 8) break;
    reps *= 2;
  }
  let best = 0;
  for (let r = 0; r < 8; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) call();
    best = Math.max(best, reps / ((performance.now() - t0) / 1000));
  }
  return best;
}

export default async function bench(): Promise<void> {
  // BENCH_GENERATE_MP_ONLY=1: only the studio preset through the CLI path (below), for quick checks.
  if (process.env.BENCH_GENERATE_MP_ONLY === '1') return benchStudioMp();
  const withRef = process.argv.includes('--ref') || process.env.BENCH_REF === '1';
  const pairs = Number(process.env.BENCH_PAIRS ?? (withRef ? 2 : 1));
  const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 2500);

  // Machine: our own SIMD ceiling (L1-resident gemm, four takes) and streaming bandwidth (64 MB of weights).
  const ceilingGmacs = (await gemmRate(64, 64, 4, 1500)) * 64 * 64 * 4 / 1e9;
  const dramGBps = (await gemmRate(256, 65536, 1, 600)) * 256 * 65536 * 4 / 1e9;
  emit('generate.machine.wasm_simd128_gemm_gmacs', ceilingGmacs, 'GMAC/s', { note: 'kernel gemm, 64x64 in L1, 4 takes; no FMA (relaxed-simd is off in Node 20)' });
  emit('generate.machine.stream_weights_GBps', dramGBps, 'GB/s', { note: 'kernel gemm batch 1 over a 64 MB matrix (DRAM)' });
  const ceilingI16 = (await gemmRate(64, 64, 4, 1500, 'i16')) * 64 * 64 * 4 / 1e9;
  const ceilingI16b1 = (await gemmRate(128, 128, 1, 1500, 'i16')) * 128 * 128 / 1e9;
  const ceilingF32b1 = (await gemmRate(128, 128, 1, 1500)) * 128 * 128 / 1e9;
  emit('generate.machine.wasm_i16_gemm_gmacs', ceilingI16, 'GMAC/s', { note: 'kernel gemmI16, 64x64 in L1, 4 takes (i32x4.dot_i16x8_s)', batch1_128x128: Number(ceilingI16b1.toFixed(2)), f32_batch1_128x128: Number(ceilingF32b1.toFixed(2)) });

  for (const { name, refPreset, config } of SHAPES) {
    const macs = macsPerSample(config);
    const wBytes = weightBytesPerStep(config);
    // Streaming floor: the kernel's batch-1 gemm over one matrix as large as a step's weights gives the
    // rate at which this core streams them (steps/s); a batch of B can at best do B samples per stream.
    // Compute floor: MACs per sample at the kernel's own L1-resident gemm rate.
    const N = Math.ceil(wBytes / 4 / 256 / 32) * 32;
    const streamSteps = await gemmRate(256, N, 1);
    const computeBound = ceilingGmacs * 1e9 / macs;
    // The same floors for the int16 kernel (half the bytes, its own L1 rate).
    const streamStepsI16 = await gemmRate(256, N, 1, 300, 'i16');
    const computeBoundI16 = ceilingI16 * 1e9 / macs;
    type Measured = Awaited<ReturnType<typeof measureGenerate>>;
    const ours: Record<number, number[]> = { 1: [], 8: [] };
    const all: Record<number, Measured[]> = { 1: [], 8: [] };
    const f32: Record<number, Measured[]> = { 1: [], 8: [] };
    const refs: Record<string, any>[][] = [];
    for (let p = 0; p < pairs; p++) {
      for (const batch of [1, 8]) {
        // Default precision and f32 back to back, the order swapped every pair.
        for (const precision of p % 2 ? (['f32', DEFAULT_PRECISION] as const) : ([DEFAULT_PRECISION, 'f32'] as const)) {
          const m = await measureGenerate(config, batch, budgetMs, precision);
          if (precision === 'f32') {
            f32[batch].push(m);
          } else {
            all[batch].push(m);
            ours[batch].push(m.median);
          }
        }
      }
      if (withRef && referenceAvailable()) refs.push(runReference(refPreset));
    }
    for (const batch of [1, 8] as const) {
      const sps = median(ours[batch]);
      const ms = all[batch];
      const m = { best: Math.max(...ms.map((x) => x.best)), kernelMedian: median(ms.map((x) => x.kernelMedian)), cpuPerWall: median(ms.map((x) => x.cpuPerWall)) };
      // Per CPU-second: divides out the share of the core a contended run actually got (both sides report it).
      const oursPerCpu = ms.map((x) => x.median / Math.min(1, x.cpuPerWall));
      const stepsPerS = sps / batch;
      const refOf = (measure: string) => refs.map((lines) => lines.find((l) => l.measure === measure && l.B === batch)?.samples_per_s).filter((v) => v !== undefined) as number[];
      const refJit = refOf('gen_fast_jit'), refEager = refOf('gen_fast');
      const refBound = refs.map((lines) => lines.find((l) => l.measure === 'matvec_bound' && l.B === batch)?.samples_per_s_bound).filter((v) => v !== undefined);
      const refBest = refs.map((lines) => lines.find((l) => l.measure === 'gen_fast_jit' && l.B === batch)?.steps_per_s_best_chunk * batch).filter((v) => Number.isFinite(v)) as number[];
      const refCpu = refs.map((lines) => lines.find((l) => l.measure === 'gen_fast_jit' && l.B === batch)?.cpu_per_wall as number);
      const refPerCpu = refJit.map((v, i) => v / Math.min(1, refCpu[i] ?? 1));
      const refBlas = refs[0]?.find((l) => l.measure === 'gemm')?.blas;
      const refGemm = refs.map((lines) => lines.find((l) => l.measure === 'gemm')?.gflops_best).filter((v) => v !== undefined) as number[];
      const f32sps = median(f32[batch].map((x) => x.median));
      const f32PerCpu = median(f32[batch].map((x) => x.median / Math.min(1, x.cpuPerWall)));
      const extra = {
        shape: { R: config.residualChannels, D: config.dilationChannels, S: config.skipChannels, layers: config.layersPerStack, stacks: config.stacks },
        batch,
        precision: DEFAULT_PRECISION,
        pairs,
        per_pair: ours[batch].map((v) => Math.round(v)),
        best_run: Math.round(m.best),
        kernel_only_samples_per_s: Math.round(m.kernelMedian),
        realtime_factor_16k: Number((sps / RATE).toFixed(3)),
        macs_per_sample: macs,
        achieved_gmacs: Number((sps * macs / 1e9).toFixed(2)),
        weight_bytes_per_step: weightBytesPerStepI16(config),
        weight_stream_GBps: Number((stepsPerS * weightBytesPerStepI16(config) / 1e9).toFixed(2)),
        f32_samples_per_s: Math.round(f32sps),
        f32_per_pair: f32[batch].map((x) => Math.round(x.median)),
        f32_realtime_factor_16k: Number((f32sps / RATE).toFixed(3)),
        f32_weight_bytes_per_step: wBytes,
        ratio_vs_f32: Number((sps / f32sps).toFixed(2)),
        ratio_vs_f32_per_pair: ours[batch].map((v, i) => Number((v / f32[batch][i].median).toFixed(2))),
        ratio_vs_f32_per_cpu_s: Number((median(ms.map((x) => x.median / Math.min(1, x.cpuPerWall))) / f32PerCpu).toFixed(2)),
        cpu_per_wall: Number(m.cpuPerWall.toFixed(3)),
        stream_GBps_same_size: Number((streamSteps * N * 256 * 4 / 1e9).toFixed(2)),
        stream_bound_samples_per_s: Math.round(streamStepsI16 * batch),
        compute_bound_samples_per_s: Math.round(computeBoundI16),
        of_bound: Number((sps / Math.min(streamStepsI16 * batch, computeBoundI16)).toFixed(3)),
        of_wasm_ceiling: Number((sps * macs / 1e9 / ceilingI16).toFixed(3)),
        f32_stream_bound_samples_per_s: Math.round(streamSteps * batch),
        f32_compute_bound_samples_per_s: Math.round(computeBound),
        ...(refs.length ? {
          ref_gen_fast_jit_samples_per_s: refJit,
          ref_gen_fast_samples_per_s: refEager,
          ref_matvec_bound_samples_per_s: refBound,
          ref_gemm_gflops_best: refGemm,
          ref_jit_best_chunk_samples_per_s: refBest,
          ref_cpu_per_wall: refCpu,
          ref_blas: refBlas,
          ratio_vs_jit: Number((sps / median(refJit)).toFixed(2)),
          ratio_vs_jit_per_pair: ours[batch].map((v, i) => Number((v / refJit[i]).toFixed(2))),
          samples_per_cpu_s: Math.round(median(oursPerCpu)),
          ref_jit_samples_per_cpu_s: Math.round(median(refPerCpu)),
          ratio_vs_jit_per_cpu_s: Number((median(oursPerCpu) / median(refPerCpu)).toFixed(2)),
          ratio_best_vs_best_jit: Number((m.best / Math.max(...refBest)).toFixed(2)),
          ratio_vs_eager: Number((sps / median(refEager)).toFixed(2)),
          of_fp32_peak: Number((2 * sps * macs / 1e9 / median(refGemm)).toFixed(3)),
        } : {}),
      };
      emit(`generate.${name}.batch${batch}.samples_per_s`, sps, 'samples/s', extra);
      emit(`generate.${name}.batch${batch}.realtime_factor_16k`, sps / RATE, 'x realtime', { batch, precision: DEFAULT_PRECISION });
      emit(`generate.${name}.batch${batch}.f32.samples_per_s`, f32sps, 'samples/s', { batch, precision: 'f32', per_pair: extra.f32_per_pair, samples_per_cpu_s: Math.round(f32PerCpu), ...(refs.length ? { ratio_vs_jit: Number((f32sps / median(refJit)).toFixed(2)) } : {}) });
      emit(`generate.${name}.batch${batch}.f32.realtime_factor_16k`, f32sps / RATE, 'x realtime', { batch, precision: 'f32' });
    }
  }
  // The studio preset end to end, as the CLI's --mp/--fs form runs it (issue 10, item 4).
  await benchStudioMp();
}
