import type { WaveNetWeights } from '../model/weights';
import { withNullLabel } from '../model/weights';
import type { EngineKind, StepEngine } from './engine';
import { createEngine } from './engine';
import type { RunHooks, TakeRequest, TakeResult } from './takes';
import { engineRows, isGuided, runTakes } from './takes';

/** Splits `items` into consecutive groups of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Generates takes in this thread, `maxBatch` at a time through one engine (each weight is read once
 * per step for the whole batch). Progress reports carry the take's index in `requests`.
 */
export async function generateInThread(
  weights: WaveNetWeights, requests: TakeRequest[], hooks: RunHooks & { maxBatch?: number; engine?: EngineKind } = {},
): Promise<TakeResult[]> {
  const maxBatch = Math.max(1, hooks.maxBatch ?? 8);
  // Guided takes run beside an unconditional twin row: the model gains a "no label" condition.
  // An unconditional model has nothing to guide, so its takes run plain.
  const conditional = weights.config.numLabels > 0;
  const guided = conditional && requests.some(isGuided);
  const model = guided ? withNullLabel(weights) : weights;
  const runnable = conditional ? requests : requests.map((r) => ({ ...r, guidance: undefined }));
  const groups = chunk(runnable.map((r, i) => ({ r, i })), maxBatch);
  const results: TakeResult[] = new Array(requests.length);
  let engine: StepEngine | undefined;
  for (const group of groups) {
    const rows = engineRows(group.map((g) => g.r));
    if (!engine || engine.batch !== rows) engine = await createEngine(model, rows, hooks.engine ?? 'wasm');
    const out = await runTakes(engine, group.map((g) => g.r), {
      ...hooks,
      ...(guided ? { nullLabel: weights.config.numLabels } : {}),
      onProgress: hooks.onProgress && ((b, done, total) => hooks.onProgress!(group[b].i, done, total)),
      onSamples: hooks.onSamples && ((b, start, classes) => hooks.onSamples!(group[b].i, start, classes)),
    });
    out.forEach((res, b) => (results[group[b].i] = res));
  }
  return results;
}
