import type { Job } from '../../src-preload/contract';
import type { JobRun } from './context';

/**
 * Job kinds and where their implementation lives. Loaded lazily inside the worker process so an
 * import job never loads tfjs.
 */
export const jobKinds: Partial<Record<Job['kind'], () => Promise<{ run: JobRun<any> }>>> = {
  'library.import': () => import('../library/import-job'),
  export: () => import('../export/export-job'),
  generation: () => import('../generation/generation-job'),
  training: () => import('../training/train-job'),
};
