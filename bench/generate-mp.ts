/**
 * The studio preset live (issue 10, item 4): batch-1 real-time factor through the very path
 * `wavehouse generate --mp <checkpoint> --fs <dir>` takes (generateToFolder: load the checkpoint,
 * sample, write the WAV), wall clock from the call to the file, at 16 kHz.
 * Measured for the default engine ('wasm', int16 weights) and the f32 kernel ('wasm-f32') alternately,
 * back to back, each pair followed by the PyTorch reference's batch-1 incremental generation at the
 * same shape (seed-like = studio); also with a label under the checkpoint's guidance (two engine rows,
 * what a label-dropout checkpoint does by default), default engine only.
 * BENCH_MP_RUNS pairs (default 3), BENCH_MP_SECONDS of audio per take (default 4), BENCH_REF=0 skips
 * the reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveCheckpoint } from '../src-main/model/checkpoint';
import { PRESETS } from '../src-shared/model/config';
import { randomWeights } from '../src-shared/model/weights';
import type { EngineKind } from '../src-shared/generation/engine';
import { DEFAULT_PRECISION } from '../src-shared/generation/pack';
import { generateToFolder } from '../src-main/generation/to-folder';
import { emit, median } from './emit';
import { referenceAvailable, runReference } from './reference';

const SECONDS = Number(process.env.BENCH_MP_SECONDS ?? 4);
const RATE = 16000;

/** One generateToFolder call: real-time factor (audio seconds per wall second) and CPU per wall. */
async function once(cardPath: string, outDir: string, label: string | null, seed: number, engine: EngineKind) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await generateToFolder(cardPath, outDir, { seconds: SECONDS, count: 1, temperature: 1, label, seed, engine }, { err: () => undefined });
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  return { rtf: SECONDS / wall, cpu: (used.user + used.system) / 1e6 / wall };
}

/** The reference's batch-1 TorchScript generation at the studio shape, as a real-time factor at 16 kHz. */
function referenceRtf(): { rtf: number; cpu: number } | null {
  const lines = runReference('seed-like', 'gen_fast_jit', ['--gen-batches', '1', '--gen-budget', process.env.BENCH_REF_BUDGET ?? '4']);
  const l = lines.find((x) => x.measure === 'gen_fast_jit' && x.B === 1);
  return l ? { rtf: l.samples_per_s / RATE, cpu: l.cpu_per_wall } : null;
}

const round3 = (v: number) => Number(v.toFixed(3));

/**
 * Emits `generate.studio.mp_fs.batch1.realtime_factor_16k` (default engine), its f32 twin
 * `generate.studio.mp_fs.batch1.f32.realtime_factor_16k`, and `generate.studio.mp_fs.batch1_guided.realtime_factor_16k`.
 */
export async function benchStudioMp(runs = Number(process.env.BENCH_MP_RUNS ?? 3)): Promise<void> {
  const withRef = process.env.BENCH_REF !== '0' && referenceAvailable();
  const dir = mkdtempSync(join(tmpdir(), 'wavehouse-bench-mp-'));
  try {
    const config = { ...PRESETS.studio, numLabels: 2 };
    const { cardPath } = await saveCheckpoint(join(dir, 'ckpt'), { weights: randomWeights(config, 3), labels: ['a', 'b'], step: 1, guidance: 2 });
    const load0 = os.loadavg()[0];
    const ours: { rtf: number; cpu: number }[] = [];
    const f32: { rtf: number; cpu: number }[] = [];
    const ref: { rtf: number; cpu: number }[] = [];
    for (let r = 0; r < runs; r++) {
      // The order swaps every pair so neither engine always runs on a warmer (or busier) machine.
      for (const engine of r % 2 ? (['wasm-f32', 'wasm'] as const) : (['wasm', 'wasm-f32'] as const)) {
        (engine === 'wasm' ? ours : f32).push(await once(cardPath, dir, null, 1 + r, engine));
      }
      if (withRef) {
        const m = referenceRtf();
        if (m) ref.push(m);
      }
    }
    const load1 = os.loadavg()[0];
    const rtf = median(ours.map((m) => m.rtf));
    const f32Rtf = median(f32.map((m) => m.rtf));
    const refRtf = ref.length ? median(ref.map((m) => m.rtf)) : NaN;
    const common = { path: 'wavehouse generate --mp … --fs … (generateToFolder)', seconds: SECONDS, pairs: runs, loadavg_1m_start: round3(load0), loadavg_1m_end: round3(load1) };
    emit('generate.studio.mp_fs.batch1.realtime_factor_16k', rtf, 'x realtime', {
      ...common,
      engine_rows: 1,
      engine: 'wasm',
      precision: DEFAULT_PRECISION,
      per_run: ours.map((m) => round3(m.rtf)),
      cpu_per_wall: round3(median(ours.map((m) => m.cpu))),
      // Audio seconds per CPU second: divides out the share of the core a contended run actually got.
      realtime_factor_per_cpu_s: round3(median(ours.map((m) => m.rtf / Math.min(1, m.cpu)))),
      target: 1.2,
      meets_target: rtf >= 1.2,
      f32_realtime_factor_16k: round3(f32Rtf),
      ratio_vs_f32: round3(rtf / f32Rtf),
      ratio_vs_f32_per_pair: ours.map((m, i) => round3(m.rtf / f32[i].rtf)),
      ...(ref.length ? {
        ref: 'ref_torch.py --preset seed-like gen_fast_jit, batch 1, one thread',
        ref_realtime_factor_16k: round3(refRtf),
        ref_per_run: ref.map((m) => round3(m.rtf)),
        ref_cpu_per_wall: ref.map((m) => round3(m.cpu)),
        ratio_vs_ref: round3(rtf / refRtf),
        ratio_vs_ref_per_pair: ref.map((m, i) => round3(ours[i].rtf / m.rtf)),
      } : {}),
    });
    emit('generate.studio.mp_fs.batch1.f32.realtime_factor_16k', f32Rtf, 'x realtime', {
      ...common,
      engine_rows: 1,
      engine: 'wasm-f32',
      precision: 'f32',
      per_run: f32.map((m) => round3(m.rtf)),
      cpu_per_wall: round3(median(f32.map((m) => m.cpu))),
      realtime_factor_per_cpu_s: round3(median(f32.map((m) => m.rtf / Math.min(1, m.cpu)))),
      ...(ref.length ? { ratio_vs_ref: round3(f32Rtf / refRtf) } : {}),
    });
    const guided: { rtf: number; cpu: number }[] = [];
    for (let r = 0; r < runs; r++) guided.push(await once(cardPath, dir, 'a', 1 + r, 'wasm'));
    emit('generate.studio.mp_fs.batch1_guided.realtime_factor_16k', median(guided.map((m) => m.rtf)), 'x realtime', {
      ...common,
      engine_rows: 2,
      engine: 'wasm',
      precision: DEFAULT_PRECISION,
      per_run: guided.map((m) => round3(m.rtf)),
      cpu_per_wall: round3(median(guided.map((m) => m.cpu))),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
