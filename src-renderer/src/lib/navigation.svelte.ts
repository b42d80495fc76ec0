/**
 * Which view the main area shows. Kept in history state (so Back/Forward work) and in localStorage
 * (so a reload or a new tab comes back to it) — never in the URL, which must stay free of the token
 * and of anything else worth not leaking into screenshots.
 */
export type View = { kind: 'library'; libraryId?: string } | { kind: 'project'; projectId: string };

const STORAGE_KEY = 'wavehouse.view';
const STATE_KEY = 'wavehouseView';

function isView(value: unknown): value is View {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'library') return v.libraryId === undefined || typeof v.libraryId === 'string';
  return v.kind === 'project' && typeof v.projectId === 'string';
}

function restore(): View {
  const fromHistory = (history.state as Record<string, unknown> | null)?.[STATE_KEY];
  if (isView(fromHistory)) return fromHistory;
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (isView(stored)) return stored;
  } catch {
    /* corrupt or unavailable storage: start at the library */
  }
  return { kind: 'library' };
}

export class Navigation {
  view = $state<View>(restore());
  #onPopState = (event: PopStateEvent) => {
    const view = (event.state as Record<string, unknown> | null)?.[STATE_KEY];
    if (isView(view)) {
      this.view = view;
      this.#persist();
    }
  };

  constructor() {
    // No URL argument: the address stays exactly as it is (token already stripped by connect()).
    history.replaceState({ ...(history.state ?? {}), [STATE_KEY]: $state.snapshot(this.view) }, '');
    addEventListener('popstate', this.#onPopState);
  }

  go(view: View, { replace = false } = {}): void {
    if (sameView(view, this.view)) return;
    this.view = view;
    const state = { [STATE_KEY]: view };
    if (replace) history.replaceState(state, '');
    else history.pushState(state, '');
    this.#persist();
  }

  #persist(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify($state.snapshot(this.view)));
    } catch {
      /* storage disabled: history state still covers reloads of this tab */
    }
  }

  dispose(): void {
    removeEventListener('popstate', this.#onPopState);
  }
}

function sameView(a: View, b: View): boolean {
  if (a.kind === 'library' && b.kind === 'library') return a.libraryId === b.libraryId;
  if (a.kind === 'project' && b.kind === 'project') return a.projectId === b.projectId;
  return false;
}
