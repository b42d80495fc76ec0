import os from 'node:os';

/**
 * One benchmark result as a JSON line on stdout. `name` is stable across runs (dashboards key on it);
 * `value` + `unit` is the headline figure; `extra` carries context (shapes, ratios, reference figures).
 */
export function emit(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const line = {
    name,
    value: Number.isFinite(value) ? Number(value.toPrecision(6)) : value,
    unit,
    ...extra,
    node: process.versions.node,
    loadavg: Number(os.loadavg()[0].toFixed(2)),
    at: new Date().toISOString(),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` repeatedly for about `budgetMs` after `warmup` runs and returns per-run milliseconds. */
export async function timeRuns(fn: () => unknown | Promise<unknown>, { warmup = 1, minRuns = 3, budgetMs = 3000 } = {}): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < budgetMs) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    if (times.length >= 1000) break;
  }
  return times;
}
