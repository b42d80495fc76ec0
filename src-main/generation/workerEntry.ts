/** Where a generation worker starts and which Node flags it needs. */
export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

let override: WorkerEntry | undefined;

/**
 * The worker script: by default the TypeScript source next to this file, run through the tsx loader
 * (tests, `serve` from source). The built app calls setWorkerEntry with its bundled worker file.
 */
export function workerEntry(): WorkerEntry {
  return override ?? { url: new URL('./worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
}

/** Points generation at another worker file (e.g. the bundle's out/main/generation-worker.js); undefined restores the default. */
export function setWorkerEntry(entry: WorkerEntry | undefined): void {
  override = entry;
}
