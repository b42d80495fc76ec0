// Public surface of generation for the Node main process: the browser-safe core plus the worker pool.
export * from '../../src-shared/generation/core';
export type { GenerateOptions } from './pool';
export { generateTakes } from './pool';
export type { WorkerEntry } from './workerEntry';
export { workerEntry, setWorkerEntry, startWorker } from './workerEntry';
