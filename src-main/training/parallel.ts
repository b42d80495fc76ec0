/**
 * Data-parallel gradient engine: each batch is split across worker-thread replicas (one per core,
 * each with its own single-threaded wasm backend); their gradients are averaged, weighted by the
 * number of scored samples. The trainer owns parameters and Adam state and sends the parameters
 * with every request, so replicas can never drift apart.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WaveNetConfig } from '../../src-shared/model/config';
import { sliceBatch, type Batch } from './batch';
import type { GradientEngine } from './engine';
import type { LossAndGrads } from './grad';
import type { ReplicaReply, ReplicaRequest } from './replica-worker';

let workerUrlOverride: URL | string | null = null;

/** Points replicas at a built worker file (the app's bundle entry); null restores the default. */
export function setReplicaWorkerUrl(url: URL | string | null): void {
  workerUrlOverride = url;
}

/** Where the replica worker entry lives: override, env WAVEHOUSE_REPLICA_WORKER, or the source file next to this one. */
export function replicaWorkerUrl(): URL {
  const o = workerUrlOverride ?? process.env.WAVEHOUSE_REPLICA_WORKER;
  if (o) return o instanceof URL ? o : new URL(o, 'file://');
  return new URL('./replica-worker.ts', import.meta.url);
}

export interface ParallelOptions {
  /** Replica count; default: available cores. */
  replicas?: number;
  /** Backend rung each replica forces (default 'wasm'). */
  backend?: string;
  wasmDir?: string;
}

class Replica {
  private pending = new Map<number, { resolve: (r: ReplicaReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private ready: Promise<string>;

  constructor(readonly worker: Worker, init: ReplicaRequest) {
    this.ready = new Promise((resolve, reject) => {
      const onMsg = (r: ReplicaReply) => {
        if (r.type === 'ready') resolve(r.backend);
        else if (r.type === 'error' && r.id === undefined) reject(new Error(`replica failed to start: ${r.message}`));
        else this.settle(r);
      };
      worker.on('message', onMsg);
      worker.on('error', (e) => {
        reject(e);
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
    });
    worker.postMessage(init);
  }

  private settle(r: ReplicaReply): void {
    if (r.type === 'ready') return;
    const p = this.pending.get(r.id!);
    if (!p) return;
    this.pending.delete(r.id!);
    if (r.type === 'error') p.reject(new Error(`replica error: ${r.message}`));
    else p.resolve(r);
  }

  started(): Promise<string> {
    return this.ready;
  }

  request(type: 'grads' | 'losses', params: Float32Array, batch: Batch): Promise<ReplicaReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type, id, params, batch } as ReplicaRequest);
    });
  }
}

/**
 * Starts a worker on `url`. From TypeScript source (tests, dev) the worker first registers the tsx
 * loader: Node 20 ignores `--import tsx` in a Worker's execArgv for the entry module itself.
 */
function spawnWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const require = createRequire(import.meta.url);
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true });
}

/** Contiguous shard boundaries splitting B sequences over k replicas. */
export function shardBounds(B: number, k: number): [number, number][] {
  const n = Math.min(B, k);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) out.push([Math.floor((i * B) / n), Math.floor(((i + 1) * B) / n)]);
  return out;
}

export class ParallelEngine implements GradientEngine {
  readonly description: string;

  private constructor(private readonly replicas: Replica[], backend: string) {
    this.description = `${backend} ×${replicas.length} replicas`;
  }

  /** Starts the replicas and waits until each has its backend ready. */
  static async create(config: WaveNetConfig, opts: ParallelOptions = {}): Promise<ParallelEngine> {
    const n = opts.replicas ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    const url = replicaWorkerUrl();
    const init: ReplicaRequest = { type: 'init', config, backend: opts.backend ?? 'wasm', wasmDir: opts.wasmDir };
    const replicas = Array.from({ length: n }, () => new Replica(spawnWorker(url), init));
    let backends: string[];
    try {
      backends = await Promise.all(replicas.map((r) => r.started()));
    } catch (e) {
      await Promise.all(replicas.map((r) => r.worker.terminate()));
      throw e;
    }
    return new ParallelEngine(replicas, backends[0]);
  }

  /** Gradients of the whole batch: shards computed concurrently, then averaged by scored samples. */
  async lossAndGrads(params: Float32Array, batch: Batch): Promise<LossAndGrads> {
    const bounds = shardBounds(batch.B, this.replicas.length);
    const replies = await Promise.all(bounds.map(([a, b], i) => this.replicas[i].request('grads', params, sliceBatch(batch, a, b))));
    const grads = new Float32Array(params.length);
    let loss = 0;
    replies.forEach((r, i) => {
      if (r.type !== 'grads') throw new Error('unexpected replica reply');
      const w = (bounds[i][1] - bounds[i][0]) / batch.B;
      loss += w * r.loss;
      for (let j = 0; j < grads.length; j++) grads[j] += w * r.grads[j];
    });
    return { loss, grads };
  }

  /** Per-sequence losses, shards computed concurrently. */
  async sequenceLosses(params: Float32Array, batch: Batch): Promise<Float32Array> {
    const bounds = shardBounds(batch.B, this.replicas.length);
    const replies = await Promise.all(bounds.map(([a, b], i) => this.replicas[i].request('losses', params, sliceBatch(batch, a, b))));
    const out = new Float32Array(batch.B);
    replies.forEach((r, i) => {
      if (r.type !== 'losses') throw new Error('unexpected replica reply');
      out.set(r.losses, bounds[i][0]);
    });
    return out;
  }

  /** Stops the worker threads. */
  async dispose(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.worker.terminate()));
  }
}
