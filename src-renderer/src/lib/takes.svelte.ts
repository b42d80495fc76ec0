/**
 * One project's takes: the list (newest first, reloaded on `data.changed`), generation jobs started
 * from the panel, and the edits a row makes (rename, star, delete, add to the timeline).
 */
import type { Client } from '../../../src-preload/client';
import type { CommandInput, CommandOutput } from '../../../src-preload/contract';
import { LiveTake } from '../audio/live-take.svelte';
import { LocalPlayer } from '../audio/local-player.svelte';
import type { LiveModelSource } from '../audio/live-generator';
import { appendTakeEdit, type AppendPlan } from '../views/project/timeline';
import { isActive } from './jobs.svelte';
import type { Toasts } from './toasts.svelte';
import type { Job } from './types';

export type Take = CommandOutput<'takes.list'>[number];
export type GenerateInput = Omit<CommandInput<'generation.start'>, 'projectId'>;

function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export class TakesStore {
  items = $state<Take[]>([]);
  loaded = $state(false);
  /** Generation jobs of this project that are queued or running, oldest first. */
  generating = $state<Job[]>([]);
  /** The take heard while it is generated (the first take of a streamed generation). */
  readonly live: LiveTake;
  /** Takes and voices generated in this browser (the live generator). */
  readonly local: LocalPlayer;
  #off: (() => void)[] = [];
  #generation = 0;

  constructor(
    private readonly client: Client,
    private readonly toasts: Toasts,
    readonly projectId: string,
    mediaUrl: LiveModelSource['mediaUrl'],
  ) {
    this.live = new LiveTake(client, projectId);
    this.local = new LocalPlayer({ client, mediaUrl });
    this.#off.push(
      client.on('data.changed', ({ entity, projectId }) => {
        if (entity === 'takes' && projectId === this.projectId) void this.refresh();
      }),
      client.on('job.updated', (job) => {
        if (job.kind !== 'generation' || job.projectId !== this.projectId) return;
        const others = this.generating.filter((j) => j.id !== job.id);
        this.generating = isActive(job) ? [...others, job] : others;
      }),
    );
  }

  find(id: string | null): Take | undefined {
    return id === null ? undefined : this.items.find((t) => t.id === id);
  }

  async load(): Promise<void> {
    const [, jobs] = await Promise.all([this.refresh(), this.client.invoke('jobs.list', { activeOnly: true, limit: 100 }).catch(() => [] as Job[])]);
    // Jobs started before this panel opened (events may have arrived meanwhile: keep those).
    const known = new Set(this.generating.map((j) => j.id));
    const running = jobs.filter((j) => j.kind === 'generation' && j.projectId === this.projectId && !known.has(j.id));
    this.generating = [...running.reverse(), ...this.generating];
    this.loaded = true;
  }

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const items = await this.client.invoke('takes.list', { projectId: this.projectId });
      if (generation === this.#generation) this.items = items;
    } catch (err) {
      if (generation === this.#generation) this.toasts.error('Could not load takes', err);
    }
  }

  /** Starts a generation job (`sampleRate`: the model's, to ready live playback at once); rejects with the backend's error for the form to show. */
  async generate(input: GenerateInput, sampleRate?: number): Promise<Job> {
    // Before the call: this runs inside the Generate press, and chunks may beat the reply.
    if (input.stream) this.live.expect(sampleRate, input.count ?? 1);
    const { job } = await this.client.invoke('generation.start', { ...input, projectId: this.projectId }).catch((err) => {
      if (input.stream) this.live.abandon();
      throw err;
    });
    if (input.stream) this.live.follow(job.id);
    if (isActive(job) && !this.generating.some((j) => j.id === job.id)) this.generating = [...this.generating, job];
    return job;
  }

  async rename(id: string, name: string): Promise<Take> {
    return this.#replace(await this.client.invoke('takes.update', { id, name }));
  }

  async setStarred(id: string, starred: boolean): Promise<void> {
    try {
      this.#replace(await this.client.invoke('takes.update', { id, starred }));
    } catch (err) {
      this.toasts.error('Could not star the take', err);
    }
  }

  /** Rejects (e.g. CONFLICT while a clip uses the take) so the confirmation can show why. */
  async remove(id: string): Promise<void> {
    await this.client.invoke('takes.delete', { id });
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** Appends the take at the end of the first track (creating "Takes" if there is none). */
  async addToTimeline(take: Take): Promise<AppendPlan> {
    const state = await this.client.invoke('arrangement.get', { projectId: this.projectId });
    const plan = appendTakeEdit(state.arrangement, take, { clipId: newId('clip'), trackId: newId('track') });
    // The revision makes the edit fail rather than land somewhere stale if the timeline changed meanwhile.
    await this.client.invoke('arrangement.edit', { projectId: this.projectId, edit: plan.edit, label: `Add ${take.name}`, revision: state.revision });
    return plan;
  }

  #replace(take: Take): Take {
    const index = this.items.findIndex((t) => t.id === take.id);
    if (index >= 0) this.items[index] = take;
    return take;
  }

  dispose(): void {
    this.#off.forEach((off) => off());
    this.live.dispose();
    this.local.dispose();
  }
}
