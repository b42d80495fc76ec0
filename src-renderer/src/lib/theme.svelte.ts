/**
 * Light/dark theme: follows the OS until the user picks one, and remembers that pick. The CSS holds
 * both palettes; this only sets `data-theme` on <html> (the stylesheet already follows the OS before
 * this runs, so there is no flash on load).
 */
export type ThemePreference = 'system' | 'light' | 'dark';
export type ResolvedTheme = 'light' | 'dark';

const STORAGE_KEY = 'wavehouse.theme';

function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

export class Theme {
  preference = $state<ThemePreference>(readPreference());
  #systemDark = $state(true);
  resolved: ResolvedTheme = $derived(this.preference === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.preference);
  #query = matchMedia('(prefers-color-scheme: dark)');
  #onSystemChange = (e: MediaQueryListEvent) => (this.#systemDark = e.matches);

  constructor() {
    this.#systemDark = this.#query.matches;
    this.#query.addEventListener('change', this.#onSystemChange);
  }

  toggle(): void {
    this.set(this.resolved === 'dark' ? 'light' : 'dark');
  }

  set(preference: ThemePreference): void {
    this.preference = preference;
    try {
      if (preference === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, preference);
    } catch {
      /* storage disabled: the choice lasts for this session */
    }
  }

  /** Writes the theme onto the document; call from an effect so it tracks changes. */
  applyTo(root: HTMLElement): void {
    root.dataset.theme = this.resolved;
    root.style.colorScheme = this.resolved;
  }

  dispose(): void {
    this.#query.removeEventListener('change', this.#onSystemChange);
  }
}
