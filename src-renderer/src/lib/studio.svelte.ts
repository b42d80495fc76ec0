/**
 * The renderer's composition root: one object holding the client and every store, wired to the
 * backend's events. Components reach it through context (see context.ts).
 */
import type { Client } from '../../../src-preload/client';
import { Audition } from '../audio/audition.svelte';
import type { Connection } from '../connection';
import { JobsStore } from './jobs.svelte';
import { LibrariesStore } from './libraries.svelte';
import { Navigation } from './navigation.svelte';
import { ProjectsStore } from './projects.svelte';
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
  /** One sound at a time for auditioning samples and takes. */
  readonly audition = new Audition();
  /** URL of a sample, take or exported file for the audio engine (custom protocol or loopback http). */
  readonly mediaUrl: Connection['mediaUrl'];
  connection = $state<ConnectionStatus>('open');
  #unsubscribe: (() => void)[] = [];

  constructor(connection: Connection, theme: Theme) {
    this.theme = theme;
    this.client = connection.client;
    this.transport = connection.transport;
    this.mediaUrl = connection.mediaUrl;
    this.libraries = new LibrariesStore(this.client, this.toasts);
    this.projects = new ProjectsStore(this.client, this.toasts);
    this.jobs = new JobsStore(this.client, this.toasts);

    this.#unsubscribe.push(
      this.client.on('job.updated', (job) => this.jobs.update(job)),
      this.client.on('data.changed', ({ entity }) => {
        if (entity === 'libraries' || entity === 'samples') void this.libraries.refresh();
        if (entity === 'projects') void this.projects.refresh();
      }),
      connection.onStatus((status) => {
        const wasDown = this.connection === 'closed' || this.connection === 'connecting';
        this.connection = status;
        // Events sent while we were away are lost: reload everything once back.
        if (status === 'open' && wasDown) void this.refreshAll();
      }),
    );
  }

  refreshAll(): Promise<unknown> {
    return Promise.all([this.libraries.refresh(), this.projects.refresh(), this.jobs.refresh()]);
  }

  dispose(): void {
    this.#unsubscribe.forEach((off) => off());
    this.audition.stop();
    this.toasts.dispose();
    this.navigation.dispose();
  }
}
