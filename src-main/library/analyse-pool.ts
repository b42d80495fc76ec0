import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { SampleRecord } from '../db/samples-repo';
import { startWorker } from '../generation/workerEntry';

/** Worker threads that analyse sample files (one per core), answering in any order by request id. */
export class AnalysePool {
  private next = 0;
  private waiting = new Map<number, { resolve: (r: SampleRecord) => void; reject: (e: Error) => void }>();
  private turn = 0;

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: { id: number; record: SampleRecord }) => {
        const waiter = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        waiter?.resolve(m.record);
      });
      // A worker that dies fails the import loudly rather than leaving it waiting forever.
      w.on('error', (err) => this.failAll(err));
      w.on('exit', (code) => code !== 0 && this.failAll(new Error(`an import worker stopped (exit code ${code})`)));
    }
  }

  /** Starts the pool; null on a one-core machine (analyse inline then). */
  static async start(threads = availableParallelism()): Promise<AnalysePool | null> {
    if (threads < 2) return null;
    // In the built app the worker is its own bundle beside this chunk; from source it boots through tsx.
    const built = new URL('./import-worker.js', import.meta.url);
    const entry = built.protocol === 'file:' && existsSync(fileURLToPath(built)) ? { url: built, typescript: false } : { url: new URL('./analyse-worker.ts', import.meta.url), typescript: true };
    return new AnalysePool(Array.from({ length: threads }, () => startWorker(entry)));
  }

  /** Analyses one file on the next worker in turn. */
  analyse(path: string, relPath: string, size: number, mtimeMs: number): Promise<SampleRecord> {
    const id = this.next++;
    const worker = this.workers[this.turn++ % this.workers.length];
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, path, relPath, size, mtimeMs });
    });
  }

  private failAll(err: Error): void {
    for (const [id, waiter] of this.waiting) {
      this.waiting.delete(id);
      waiter.reject(err);
    }
  }

  async close(): Promise<void> {
    this.waiting.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
