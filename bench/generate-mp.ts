/**
 * The studio preset live (issue 10, item 4): batch-1 real-time factor through the very path
 * `wavehouse generate --mp <checkpoint> --fs <dir>` takes (generateToFolder: load the checkpoint,
 * one worker thread, sample, write the WAV), wall clock from the call to the file, at 16 kHz.
 * Measured unconditioned (one engine row) and with a label under the checkpoint's guidance
 * (two engine rows, what a label-dropout checkpoint does by default).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveCheckpoint } from '../src-main/model/checkpoint';
import { PRESETS } from '../src-shared/model/config';
import { randomWeights } from '../src-shared/model/weights';
import { DEFAULT_PRECISION } from '../src-shared/generation/pack';
import { generateToFolder } from '../src-main/generation/to-folder';
import { emit, median } from './emit';

const SECONDS = Number(process.env.BENCH_MP_SECONDS ?? 4);

/** Real-time factor of `runs` generateToFolder calls (audio seconds per wall second), and CPU per wall. */
async function measure(cardPath: string, outDir: string, label: string | null, runs: number) {
  const rtf: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await generateToFolder(cardPath, outDir, { seconds: SECONDS, count: 1, temperature: 1, label, seed: 1 + r }, { err: () => undefined });
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    rtf.push(SECONDS / wall);
    cpu.push((used.user + used.system) / 1e6 / wall);
  }
  return { rtf, cpu };
}

/** Emits `generate.studio.mp_fs.batch1.realtime_factor_16k` (and its guided twin). */
export async function benchStudioMp(runs = Number(process.env.BENCH_MP_RUNS ?? 3)): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wavehouse-bench-mp-'));
  try {
    const config = { ...PRESETS.studio, numLabels: 2 };
    const { cardPath } = await saveCheckpoint(join(dir, 'ckpt'), { weights: randomWeights(config, 3), labels: ['a', 'b'], step: 1, guidance: 2 });
    for (const [variant, label, rows] of [['batch1', null, 1], ['batch1_guided', 'a', 2]] as const) {
      const { rtf, cpu } = await measure(cardPath, dir, label, runs);
      emit(`generate.studio.mp_fs.${variant}.realtime_factor_16k`, median(rtf), 'x realtime', {
        path: 'wavehouse generate --mp … --fs … (generateToFolder)',
        seconds: SECONDS,
        engine_rows: rows,
        precision: DEFAULT_PRECISION,
        per_run: rtf.map((v) => Number(v.toFixed(3))),
        cpu_per_wall: Number(median(cpu).toFixed(2)),
        target: 1.2,
        meets_target: median(rtf) >= 1.2,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
