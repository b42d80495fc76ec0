// Worker-thread entry for generateTakes (Node edge: worker_threads only here and in pool.ts).
import { parentPort } from 'node:worker_threads';
import { generateInThread } from '../../src-shared/generation/batches';
import type { WorkerJob, WorkerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('generation worker: must run inside worker_threads');

port.once('message', async (job: WorkerJob) => {
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const streamed = new Set(job.streamTakes ?? []);
  try {
    const results = await generateInThread(job.weights, job.requests, {
      maxBatch: job.maxBatch,
      engine: job.engine,
      progressEvery: job.progressEvery,
      onProgress: (b, done, total) => post({ type: 'progress', take: job.indices[b], done, total }),
      ...(streamed.size > 0 && {
        streamPlan: job.streamPlan,
        onSamples: (b: number, start: number, classes: Int32Array) => {
          if (streamed.has(job.indices[b])) post({ type: 'samples', take: job.indices[b], start, classes }, [classes.buffer as ArrayBuffer]);
        },
      }),
    });
    const payload = results.map((result, b) => ({ take: job.indices[b], result }));
    post({ type: 'done', results: payload }, results.flatMap((r) => [r.audio.buffer as ArrayBuffer, r.classes.buffer as ArrayBuffer]));
  } catch (e) {
    const err = e as Error;
    post({ type: 'error', message: err.message ?? String(e), stack: err.stack });
  }
});
