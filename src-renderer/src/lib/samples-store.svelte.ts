/**
 * Samples across libraries: one browser per library the user opened (kept, so filters and scroll
 * survive switching libraries), library commands (rescan, remove, label by pattern, import of
 * dropped paths), and the summary toast when an import this session started or saw ends.
 */
import type { Client } from '../../../src-preload/client';
import type { CommandOutput } from '../../../src-preload/contract';
import type { Navigation } from './navigation.svelte';
import { SampleBrowser } from './samples.svelte';
import type { Toasts } from './toasts.svelte';
import type { Job } from './types';

export type PatternResult = CommandOutput<'samples.labelByPattern'>;

/** What the import job returns (src-main/library/import-job.ts ImportSummary). */
interface ImportSummary {
  libraryId: string;
  imported: number;
  updated: number;
  unchanged: number;
  failed: number;
  missing: number;
  /** Absent from summaries written before import warnings existed. */
  warnings?: { file: string; code: string; reason: string }[];
}

/** Browsers kept alive; the least recently opened is dropped past this. */
const MAX_BROWSERS = 6;
const AUTO_AUDITION_KEY = 'wavehouse.autoAudition';

function storedFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === 'true';
  } catch {
    return false;
  }
}

export class SamplesStore {
  /** Moving the selection with the arrow keys plays the newly selected sample (the user's choice, remembered). */
  autoAudition = $state(storedFlag(AUTO_AUDITION_KEY));
  #browsers = new Map<string, SampleBrowser>();
  /** Import jobs seen queued or running, so only their end is announced (not old jobs from the list). */
  #activeImports = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly toasts: Toasts,
    private readonly navigation: Navigation,
  ) {}

  /** The browser of `libraryId`, created on first use. */
  browser(libraryId: string): SampleBrowser {
    let browser = this.#browsers.get(libraryId);
    if (browser) {
      // Re-insert so the map's order is least-recently-used first.
      this.#browsers.delete(libraryId);
    } else {
      browser = new SampleBrowser(libraryId, this.client, this.toasts);
    }
    this.#browsers.set(libraryId, browser);
    while (this.#browsers.size > MAX_BROWSERS) {
      const [oldestId, oldest] = this.#browsers.entries().next().value!;
      oldest.dispose();
      this.#browsers.delete(oldestId);
    }
    return browser;
  }

  setAutoAudition(on: boolean): void {
    this.autoAudition = on;
    try {
      localStorage.setItem(AUTO_AUDITION_KEY, String(on));
    } catch {
      /* storage disabled: the choice lasts this session */
    }
  }

  /** `data.changed` for samples: every open browser refetches what it shows. */
  samplesChanged(): void {
    for (const browser of this.#browsers.values()) browser.invalidate();
  }

  /** `libraries` changed: forget browsers of libraries that no longer exist. */
  librariesChanged(existingIds: string[]): void {
    const keep = new Set(existingIds);
    for (const [id, browser] of this.#browsers) {
      if (!keep.has(id)) {
        browser.dispose();
        this.#browsers.delete(id);
      }
    }
  }

  async rescan(libraryId: string): Promise<void> {
    const { job } = await this.client.invoke('libraries.rescan', { id: libraryId });
    this.#activeImports.add(job.id);
  }

  /** Forgets a library and its records; the files on disk are untouched. */
  async remove(libraryId: string): Promise<void> {
    await this.client.invoke('libraries.remove', { id: libraryId });
    this.#browsers.get(libraryId)?.dispose();
    this.#browsers.delete(libraryId);
  }

  labelByPattern(libraryId: string, pattern: string, labelFrom: string[], preview: boolean): Promise<PatternResult> {
    return this.client.invoke('samples.labelByPattern', { libraryId, pattern, labelFrom: labelFrom.length ? labelFrom : undefined, preview });
  }

  /** Imports paths the desktop app resolved from a drop: each folder as its own library, loose files together. */
  async importPaths(folders: string[], files: string[]): Promise<string[]> {
    const started: string[] = [];
    const batches = [...folders.map((f) => [f]), ...(files.length ? [files] : [])];
    for (const paths of batches) {
      const { job, library } = await this.client.invoke('libraries.import', { paths });
      this.#activeImports.add(job.id);
      started.push(library.name);
    }
    return started;
  }

  /** Applies a `job.updated` event: announces finished imports with their counts. */
  jobUpdated(job: Job): void {
    if (job.kind !== 'library.import') return;
    if (job.state === 'queued' || job.state === 'running') {
      this.#activeImports.add(job.id);
      return;
    }
    if (!this.#activeImports.delete(job.id) || job.state !== 'done') return;
    const summary = job.result as ImportSummary | null;
    if (!summary) return;
    const warned = warnedFiles(summary);
    const action =
      summary.failed > 0
        ? { label: `Show ${summary.failed} failed`, run: () => this.showFailed(summary.libraryId) }
        : warned > 0
          ? { label: `Show ${warned} with warnings`, run: () => this.showStatus(summary.libraryId, 'warnings') }
          : undefined;
    this.toasts.show('success', `${job.title}: done`, describeImport(summary), action);
  }

  /** Opens a library filtered to its broken files. */
  showFailed(libraryId: string): void {
    this.showStatus(libraryId, 'failed');
  }

  /** Opens a library filtered to one status (failed, with warnings…). */
  showStatus(libraryId: string, status: 'failed' | 'warnings'): void {
    this.navigation.go({ kind: 'library', libraryId });
    this.browser(libraryId).setFilters({ status }, { immediate: true });
  }

  dispose(): void {
    for (const browser of this.#browsers.values()) browser.dispose();
    this.#browsers.clear();
  }
}

/** Imported files (not failed ones) that carry at least one warning. */
function warnedFiles(s: Omit<ImportSummary, 'libraryId'>): number {
  return new Set((s.warnings ?? []).map((w) => w.file)).size;
}

/** "12 imported · 2 with warnings · 3 unchanged · 1 failed": the counts that are not zero (or "nothing new"). */
export function describeImport(s: Omit<ImportSummary, 'libraryId'>): string {
  const parts = (
    [
      [s.imported, 'imported'],
      [warnedFiles(s), 'with warnings'],
      [s.updated, 'updated'],
      [s.unchanged, 'unchanged'],
      [s.failed, 'failed'],
      [s.missing, 'missing'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n.toLocaleString('en-US')} ${what}`);
  return parts.length ? parts.join(' · ') : 'No audio files found';
}
