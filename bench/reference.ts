/**
 * The team's PyTorch reference (/work/shared/bench/ref_torch.py, Debian's torch, one thread), run as a
 * child process so it measures back to back with our figures on the same machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The reference lives in shared/ beside the project root.
export const REF_SCRIPT = process.env.BENCH_REF_SCRIPT ?? fileURLToPath(new URL('../../shared/bench/ref_torch.py', import.meta.url));

/** Whether the reference script is there to run. */
export function referenceAvailable(): boolean {
  return existsSync(REF_SCRIPT);
}

/** Runs the reference for one preset and returns its JSON lines (one per measure). */
export function runReference(preset: string, modes = 'gen_fast,gen_fast_jit,matvec_bound,gemm,macs', extraArgs: string[] = []): Record<string, any>[] {
  const r = spawnSync('/usr/bin/python3', [REF_SCRIPT, '--preset', preset, '--threads', '1', '--modes', modes, '--gen-budget', process.env.BENCH_REF_BUDGET ?? '6', ...extraArgs], {
    // BENCH_REF_LD_LIBRARY_PATH: a folder with OpenBLAS's libblas.so.3, for machines whose system
    // BLAS is Debian's netlib reference (torch.mm then runs at ~4 GFLOP/s instead of ~100-190).
    env: {
      ...process.env,
      OPENBLAS_CORETYPE: 'SkylakeX',
      ...(process.env.BENCH_REF_LD_LIBRARY_PATH ? { LD_LIBRARY_PATH: process.env.BENCH_REF_LD_LIBRARY_PATH } : {}),
    },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`reference failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}
