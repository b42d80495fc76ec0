/** Sample libraries: the list and the import command (which starts a job). */
import type { Client } from '../../../src-preload/client';
import { Collection } from './collection.svelte';
import type { Toasts } from './toasts.svelte';
import type { Job, Library } from './types';

export class LibrariesStore extends Collection<Library> {
  constructor(
    private readonly client: Client,
    toasts: Toasts,
  ) {
    super('libraries', () => client.invoke('libraries.list'), toasts);
  }

  /** Starts importing `path` (a folder or a file); the job reports progress through the jobs store. */
  async importPath(path: string, name?: string): Promise<{ job: Job; library: Library }> {
    const result = await this.client.invoke('libraries.import', { paths: [path], name: name || undefined });
    if (!this.find(result.library.id)) this.items = [...this.items, result.library];
    return result;
  }

  /** Desktop only: the native folder picker. Returns null when the user cancels. */
  async pickFolder(): Promise<string | null> {
    const picked = await this.client.invoke('system.pickPaths', { kind: 'folder', title: 'Import a folder of samples' });
    return picked.canceled ? null : (picked.paths[0] ?? null);
  }
}
