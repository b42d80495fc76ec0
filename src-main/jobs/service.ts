import type { Job } from '../../src-preload/contract';
import type { JobsRepo } from '../db/jobs-repo';
import { AppError, notFound } from '../errors';
import type { EventBus } from '../events';
import type { ChildMessage, WorkerHandle, WorkerLauncher } from './protocol';

interface Running {
  worker: WorkerHandle;
  cancelTimer?: NodeJS.Timeout;
  settled: boolean;
  onSettled: (() => void)[];
}

export interface JobServiceOptions {
  /** Jobs running at once; more wait as queued. Two cores: two heavy jobs at most. */
  concurrency?: number;
  /** How long a cancelled worker gets to stop by itself before it is killed. */
  cancelGraceMs?: number;
}

/**
 * Runs long work outside the main process: one worker process per job, progress and events
 * forwarded to the bus, every state change recorded in the jobs table.
 */
export class JobService {
  private running = new Map<string, Running>();
  private queue: string[] = [];
  private readonly concurrency: number;
  private readonly cancelGraceMs: number;

  constructor(
    private repo: JobsRepo,
    private bus: EventBus,
    private launcher: WorkerLauncher,
    private dataDir: string,
    options: JobServiceOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 2;
    this.cancelGraceMs = options.cancelGraceMs ?? 1500;
  }

  /** Records a job and starts it (or queues it); returns at once. */
  start(kind: Job['kind'], title: string, params: unknown, projectId: string | null = null): Job {
    const job = this.repo.create(kind, title, params, projectId);
    this.queue.push(job.id);
    this.publish(job.id);
    this.pump();
    return this.repo.get(job.id)!;
  }

  get(id: string): Job {
    const job = this.repo.get(id);
    if (!job) throw notFound('job', id);
    return job;
  }

  list(options: { activeOnly?: boolean; limit?: number } = {}): Job[] {
    return this.repo.list(options);
  }

  /**
   * Asks a job to stop: queued jobs end at once, running ones get a grace period, then are killed.
   * Training passes a longer grace so it can finish its step and write a checkpoint.
   */
  cancel(id: string, graceMs = this.cancelGraceMs): Job {
    const job = this.get(id);
    if (job.state === 'queued') {
      this.queue = this.queue.filter((q) => q !== id);
      this.repo.finish(id, 'cancelled', { message: 'cancelled before it started' });
      this.publish(id);
    } else if (job.state === 'running') {
      const run = this.running.get(id);
      if (!run) throw new AppError('CONFLICT', `job ${id} is not running in this studio`);
      run.worker.send({ type: 'cancel' });
      run.cancelTimer ??= setTimeout(() => {
        run.worker.kill();
        this.settle(id, 'cancelled', { message: 'cancelled (stopped forcibly)' });
      }, graceMs);
    }
    return this.get(id);
  }

  /** Resolves when the job reaches a final state (for the CLI and tests). */
  waitFor(id: string): Promise<Job> {
    const job = this.get(id);
    if (!['queued', 'running'].includes(job.state)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const check = () => {
        const j = this.get(id);
        if (!['queued', 'running'].includes(j.state)) {
          off();
          resolve(j);
        }
      };
      const off = this.bus.subscribe((name, payload) => {
        if (name === 'job.updated' && (payload as Job).id === id) check();
      });
      check();
    });
  }

  /** Stops every worker; their jobs are recorded as interrupted. */
  shutdown(): void {
    for (const [id, run] of this.running) {
      run.worker.kill();
      this.settle(id, 'interrupted', { message: 'interrupted: the studio was closed' });
    }
    for (const id of this.queue) this.repo.finish(id, 'interrupted', { message: 'interrupted: the studio was closed' });
    this.queue = [];
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.launch(id);
    }
  }

  private launch(id: string): void {
    const job = this.get(id);
    let worker: WorkerHandle;
    try {
      worker = this.launcher(id);
    } catch (err) {
      this.repo.finish(id, 'failed', { error: `could not start a worker: ${(err as Error).message}` });
      this.publish(id);
      return;
    }
    const run: Running = { worker, settled: false, onSettled: [] };
    this.running.set(id, run);
    this.repo.markRunning(id);
    this.publish(id);
    worker.onMessage((message) => {
      // A failing SQLite write here (disk full, locked) must not throw into the worker's message
      // channel and stop the studio: the job carries on, and its next message writes again.
      try {
        this.handleMessage(id, message);
      } catch (err) {
        console.error(`job ${id}: could not record a ${message.type} message:`, err);
      }
    });
    worker.onExit((code) => {
      this.settle(id, 'failed', { error: `the worker process exited unexpectedly (code ${code})`, message: 'failed' });
    });
    worker.send({ type: 'run', jobId: id, kind: job.kind, params: this.repo.params(id), dataDir: this.dataDir });
  }

  /** Records one message from a job's worker. */
  private handleMessage(id: string, message: ChildMessage): void {
    switch (message.type) {
      case 'progress':
        this.repo.progress(id, message.progress, message.message);
        this.publish(id);
        break;
      case 'event':
        this.bus.emit(message.name, message.payload);
        break;
      case 'done':
        this.settle(id, 'done', { result: message.result, message: 'done' });
        break;
      case 'failed':
        this.settle(id, 'failed', { error: message.error, message: 'failed' });
        break;
      case 'cancelled':
        this.settle(id, 'cancelled', { message: 'cancelled' });
        break;
    }
  }

  private settle(id: string, state: 'done' | 'failed' | 'cancelled' | 'interrupted', fields: { result?: unknown; error?: string; message?: string }): void {
    const run = this.running.get(id);
    if (!run || run.settled) return;
    run.settled = true;
    clearTimeout(run.cancelTimer);
    this.running.delete(id);
    this.repo.finish(id, state, fields);
    this.publish(id);
    this.pump();
  }

  private publish(id: string): void {
    const job = this.repo.get(id);
    if (job) this.bus.emit('job.updated', job);
  }
}
