// Worker-thread entry for generateTakes (Node edge: worker_threads only here and in pool.ts).
import { parentPort } from 'node:worker_threads';
import { generateInThread } from './batches';
import type { WorkerJob, WorkerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('generation worker: must run inside worker_threads');

port.once('message', async (job: WorkerJob) => {
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const results = await generateInThread(job.weights, job.requests, {
      maxBatch: job.maxBatch,
      engine: job.engine,
      progressEvery: job.progressEvery,
      onProgress: (b, done, total) => post({ type: 'progress', take: job.indices[b], done, total }),
    });
    const payload = results.map((result, b) => ({ take: job.indices[b], result }));
    post({ type: 'done', results: payload }, results.flatMap((r) => [r.audio.buffer as ArrayBuffer, r.classes.buffer as ArrayBuffer]));
  } catch (e) {
    const err = e as Error;
    post({ type: 'error', message: err.message ?? String(e), stack: err.stack });
  }
});
