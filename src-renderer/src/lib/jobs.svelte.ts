/**
 * Long-running work (imports, training, generation, export) as the backend reports it: seeded from
 * `jobs.list`, then kept current by `job.updated` events. Jobs seen running in this session announce
 * how they ended.
 */
import type { Client } from '../../../src-preload/client';
import type { Toasts } from './toasts.svelte';
import type { Job } from './types';

const ACTIVE_STATES: ReadonlySet<Job['state']> = new Set(['queued', 'running']);

export function isActive(job: Job): boolean {
  return ACTIVE_STATES.has(job.state);
}

/** A job's last message, unless it only restates that the job ended. */
function informative(message: string): string | undefined {
  return /^(done|finished|complete[d]?)\.?$/i.test(message.trim()) ? undefined : message || undefined;
}

export class JobsStore {
  #byId = $state<Record<string, Job>>({});
  /** Running first, then queued; oldest first within each, so rows do not jump around. */
  active: Job[] = $derived(
    Object.values(this.#byId)
      .filter(isActive)
      .sort((a, b) => (a.state === b.state ? a.createdAt.localeCompare(b.createdAt) : a.state === 'running' ? -1 : 1)),
  );
  /** Jobs whose Cancel was clicked and which have not ended yet. */
  cancelling = $state<Record<string, true>>({});

  constructor(
    private readonly client: Client,
    private readonly toasts: Toasts,
  ) {}

  async refresh(): Promise<void> {
    try {
      const jobs = await this.client.invoke('jobs.list', { activeOnly: true, limit: 100 });
      const next: Record<string, Job> = {};
      // Events that arrived while the list was in flight are newer than the list: keep them.
      for (const job of jobs) next[job.id] = this.#byId[job.id] ?? job;
      for (const job of Object.values(this.#byId)) if (!next[job.id] && isActive(job)) next[job.id] = job;
      this.#byId = next;
    } catch (err) {
      this.toasts.error('Could not load jobs', err);
    }
  }

  /** Applies a `job.updated` event. */
  update(job: Job): void {
    const previous = this.#byId[job.id];
    this.#byId[job.id] = job;
    if (previous && isActive(previous) && !isActive(job)) this.#announceEnd(job);
    if (!isActive(job)) {
      const { [job.id]: _ended, ...rest } = this.cancelling;
      this.cancelling = rest;
    }
  }

  async cancel(id: string): Promise<void> {
    this.cancelling = { ...this.cancelling, [id]: true };
    try {
      this.update(await this.client.invoke('jobs.cancel', { id }));
    } catch (err) {
      const { [id]: _failed, ...rest } = this.cancelling;
      this.cancelling = rest;
      this.toasts.error('Could not cancel the job', err);
    }
  }

  #announceEnd(job: Job): void {
    // A finished import is announced by the samples store, with its counts and a link to failures.
    if (job.kind === 'library.import' && job.state === 'done') return;
    if (job.state === 'done') this.toasts.success(`${job.title} finished`, informative(job.message));
    else if (job.state === 'cancelled') this.toasts.info(`${job.title} was cancelled`);
    else this.toasts.show('error', `${job.title} ${job.state}`, job.error ?? job.message);
  }
}
