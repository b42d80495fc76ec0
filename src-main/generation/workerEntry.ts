import { Worker } from 'node:worker_threads';

/** Where a generation worker starts; `typescript: true` boots the tsx loader in the worker first. */
export interface WorkerEntry {
  url: URL;
  typescript: boolean;
}

let override: WorkerEntry | undefined;

/**
 * The worker script: by default the TypeScript source next to this file, run through tsx (tests,
 * `serve` from source). The built app calls setWorkerEntry with its bundled worker file.
 */
export function workerEntry(): WorkerEntry {
  return override ?? { url: new URL('./worker.ts', import.meta.url), typescript: true };
}

/** Points generation at another worker file (e.g. the bundle's generation-worker.js); undefined restores the default. */
export function setWorkerEntry(entry: WorkerEntry | undefined): void {
  override = entry;
}

/**
 * Starts a worker at the entry. On Node 20, `execArgv: ['--import', 'tsx']` does not reach a worker's
 * own module loading (its entry fails with "Unknown file extension .ts"), so a TypeScript entry is
 * started through tsWorkerBoot.mjs, which registers tsx's ESM hooks inside the worker and imports it.
 */
export function startWorker(entry: WorkerEntry = workerEntry()): Worker {
  if (!entry.typescript) return new Worker(entry.url);
  return new Worker(new URL('./tsWorkerBoot.mjs', import.meta.url), { workerData: { tsEntry: entry.url.href } });
}
