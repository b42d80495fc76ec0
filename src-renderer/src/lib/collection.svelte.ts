/**
 * A list the backend owns (libraries, projects…): loaded on demand, reloaded when the backend says
 * it changed. Responses that arrive out of order are dropped so a slow old reload cannot overwrite
 * a newer one.
 */
import type { Toasts } from './toasts.svelte';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export class Collection<T extends { id: string }> {
  items = $state<T[]>([]);
  state = $state<LoadState>('idle');
  #generation = 0;

  constructor(
    private readonly what: string,
    private readonly load: () => Promise<T[]>,
    protected readonly toasts: Toasts,
  ) {}

  find(id: string | undefined): T | undefined {
    return id === undefined ? undefined : this.items.find((item) => item.id === id);
  }

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    if (this.state === 'idle') this.state = 'loading';
    try {
      const items = await this.load();
      if (generation !== this.#generation) return;
      this.items = items;
      this.state = 'ready';
    } catch (err) {
      if (generation !== this.#generation) return;
      this.state = 'error';
      this.toasts.error(`Could not load ${this.what}`, err);
    }
  }
}
