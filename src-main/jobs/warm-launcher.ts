import type { Job } from '../../src-preload/contract';
import type { WorkerHandle, WorkerLauncher } from './protocol';

/**
 * Keeps one job worker process started ahead of need (Node booted, job modules imported), so a job —
 * a streamed take above all — starts in milliseconds instead of the ~0.5 s a process start costs.
 * The spare waits for its `run` message like any worker and exits with the studio (its IPC closes).
 */
export class WarmLauncher {
  #spare: { handle: WorkerHandle; exited: boolean } | null = null;
  #timer: NodeJS.Timeout | undefined;
  #disposed = false;

  /** `preload`: job kinds whose modules the spare imports while it waits. */
  constructor(
    private readonly base: WorkerLauncher,
    private readonly preload: Job['kind'][],
    private readonly refillAfterMs = 200,
  ) {}

  /** Starts a spare if there is none (call at startup). */
  prime(): void {
    if (this.#disposed || (this.#spare && !this.#spare.exited)) return;
    const spare = { handle: this.base('spare'), exited: false };
    spare.handle.onExit(() => (spare.exited = true));
    spare.handle.send({ type: 'warm', kinds: this.preload });
    this.#spare = spare;
  }

  /** The launcher JobService uses: the spare when it is alive, a fresh process otherwise; a new spare once that job ends. */
  readonly launch: WorkerLauncher = (jobId) => {
    const spare = this.#spare;
    this.#spare = null;
    // A spare that died is never handed out: its exit event has fired, so the job would wait for nothing.
    const handle = spare && !spare.exited ? spare.handle : this.base(jobId);
    // Not now: starting a process costs ~0.5 s of CPU, which a take playing while it is generated
    // needs more (measured: underruns at the start on 2 cores when the spare was refilled at once).
    handle.onExit(() => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.prime(), this.refillAfterMs);
      this.#timer.unref?.();
    });
    return handle;
  };

  /** Stops the spare and any pending refill. */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#spare?.handle.kill();
    this.#spare = null;
  }
}
