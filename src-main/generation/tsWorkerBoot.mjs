// Boots a TypeScript worker entry (development and tests only): registers tsx's ESM hooks inside
// this worker thread, then imports the entry named in workerData. See startWorker in workerEntry.ts.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
