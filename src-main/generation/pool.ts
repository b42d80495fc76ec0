import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { WaveNetWeights } from '../../src-shared/model/weights';
import { generateInThread } from '../../src-shared/generation/batches';
import type { EngineKind } from '../../src-shared/generation/engine';
import type { WorkerJob, WorkerMessage } from './protocol';
import type { StreamPlan } from '../../src-shared/generation/stream';
import type { TakeProgress, TakeRequest, TakeResult, TakeSamples } from '../../src-shared/generation/takes';
import { abortError } from '../../src-shared/generation/takes';
import { startWorker, workerEntry } from './workerEntry';

export interface GenerateOptions {
  /** Worker threads; 0 runs inline on this thread. Default: one per core, at most one per take. */
  workers?: number;
  /** Per-take progress: (index in requests, samples done, samples total). */
  onProgress?: TakeProgress;
  /** Aborting terminates every worker at once; the promise rejects with an AbortError and returns nothing. */
  signal?: AbortSignal;
  /** Takes one engine steps together (weights read once per step for all of them). Default 8. */
  maxBatch?: number;
  engine?: EngineKind;
  /** Steps between progress reports. Default 4000 (a quarter second of 16 kHz audio). */
  progressEvery?: number;
  /** Streaming: the newest classes of the takes in `streamTakes` (indices in requests), every sample once, in order. */
  onSamples?: TakeSamples;
  streamTakes?: number[];
  streamPlan?: StreamPlan;
}

/** Generates every request, spread over worker threads (one per core), results in request order. */
export async function generateTakes(weights: WaveNetWeights, requests: TakeRequest[], options: GenerateOptions = {}): Promise<TakeResult[]> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortError();
  if (requests.length === 0) return [];
  const workers = Math.min(options.workers ?? availableParallelism(), requests.length);
  const common = { maxBatch: options.maxBatch ?? 8, engine: options.engine ?? 'wasm', progressEvery: options.progressEvery ?? 4000 } as const;
  const streamed = new Set(options.onSamples ? options.streamTakes ?? [] : []);
  if (workers <= 0) {
    const onSamples: TakeSamples | undefined = streamed.size > 0 ? (take, start, classes) => streamed.has(take) && options.onSamples!(take, start, classes) : undefined;
    return generateInThread(weights, requests, { ...common, onProgress, signal, onSamples, streamPlan: options.streamPlan, pause: () => new Promise((r) => setTimeout(r, 0)) });
  }

  // Deal takes round-robin so every worker gets a similar share.
  const shares: number[][] = Array.from({ length: workers }, () => []);
  requests.forEach((_, i) => shares[i % workers].push(i));
  const results: TakeResult[] = new Array(requests.length);
  const entry = workerEntry();
  const started: Worker[] = [];

  return new Promise<TakeResult[]>((resolve, reject) => {
    let pending = shares.length;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Settle only once every worker is really gone, so a cancelled run leaves no thread computing.
      void Promise.allSettled(started.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve(results)));
    };
    const onAbort = () => finish(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });

    for (const indices of shares) {
      const worker = startWorker(entry);
      started.push(worker);
      let delivered = false;
      worker.on('message', (m: WorkerMessage) => {
        if (settled) return;
        if (m.type === 'progress') onProgress?.(m.take, m.done, m.total);
        else if (m.type === 'samples') options.onSamples?.(m.take, m.start, m.classes);
        else if (m.type === 'error') finish(Object.assign(new Error(`generation worker: ${m.message}`), { stack: m.stack }));
        else {
          delivered = true;
          for (const { take, result } of m.results) results[take] = result;
          if (--pending === 0) finish();
        }
      });
      worker.on('error', (e) => finish(e));
      worker.on('exit', (code) => {
        if (!delivered) finish(new Error(`generation worker exited early with code ${code}`));
      });
      const streamTakes = indices.filter((i) => streamed.has(i));
      const job: WorkerJob = { weights, requests: indices.map((i) => requests[i]), indices, ...common, ...(streamTakes.length > 0 && { streamTakes, streamPlan: options.streamPlan }) };
      worker.postMessage(job);
    }
  });
}
