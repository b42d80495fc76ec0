/**
 * The renderer's composition root: one object holding the client and every store, wired to the
 * backend's events. Components reach it through context (see context.ts).
 */
import type { Client } from '../../../src-preload/client';
import type { ArrangeSession } from '../arrange/session.svelte';
import { exposeArrangeHooks } from '../arrange/test-hooks';
import { Audition } from '../audio/audition.svelte';
import type { Connection } from '../connection';
import { JobsStore } from './jobs.svelte';
import { LibrariesStore } from './libraries.svelte';
import { Navigation } from './navigation.svelte';
import { ProjectsStore } from './projects.svelte';
import { SamplesStore } from './samples-store.svelte';
import { Theme } from './theme.svelte';
import { Toasts } from './toasts.svelte';
import type { ConnectionStatus } from './types';
import { UiState } from './ui.svelte';

export class Studio {
  readonly client: Client;
  readonly transport: Connection['transport'];
  readonly toasts = new Toasts();
  readonly theme: Theme;
  readonly navigation = new Navigation();
  readonly ui = new UiState();
  readonly libraries: LibrariesStore;
  readonly projects: ProjectsStore;
  readonly jobs: JobsStore;
  /** Per-library sample browsers (filters, paging, selection) and library commands. */
  readonly samples: SamplesStore;
  /** One sound at a time for auditioning samples and takes. */
  readonly audition = new Audition();
  /** URL of a sample, take or exported file for the audio engine (custom protocol or loopback http). */
  readonly mediaUrl: Connection['mediaUrl'];
  connection = $state<ConnectionStatus>('open');
  /** The timeline on screen, if any: the transport bar and the timeline shortcuts drive it. */
  timeline = $state<ArrangeSession | null>(null);
  #unsubscribe: (() => void)[] = [];

  constructor(connection: Connection, theme: Theme) {
    this.theme = theme;
    this.client = connection.client;
    this.transport = connection.transport;
    this.mediaUrl = connection.mediaUrl;
    this.libraries = new LibrariesStore(this.client, this.toasts);
    this.projects = new ProjectsStore(this.client, this.toasts);
    this.jobs = new JobsStore(this.client, this.toasts);
    exposeArrangeHooks((ref) => this.mediaUrl(ref.kind, ref.id));
    this.samples = new SamplesStore(this.client, this.toasts, this.navigation);

    this.#unsubscribe.push(
      this.client.on('job.updated', (job) => {
        this.jobs.update(job);
        this.samples.jobUpdated(job);
      }),
      this.client.on('data.changed', ({ entity }) => {
        if (entity === 'libraries' || entity === 'samples') {
          void this.libraries.refresh().then(() => this.samples.librariesChanged(this.libraries.items.map((l) => l.id)));
        }
        if (entity === 'samples') this.samples.samplesChanged();
        if (entity === 'projects') void this.projects.refresh();
      }),
      connection.onStatus((status) => {
        const wasDown = this.connection === 'closed' || this.connection === 'connecting';
        this.connection = status;
        // Events sent while we were away are lost: reload everything once back.
        if (status === 'open' && wasDown) {
          void this.refreshAll();
          this.samples.samplesChanged();
        }
      }),
    );
  }

  refreshAll(): Promise<unknown> {
    return Promise.all([this.libraries.refresh(), this.projects.refresh(), this.jobs.refresh()]);
  }

  dispose(): void {
    this.#unsubscribe.forEach((off) => off());
    this.audition.stop();
    this.timeline?.stop();
    this.samples.dispose();
    this.toasts.dispose();
    this.navigation.dispose();
  }
}
