/** Which project tab is open, remembered across reloads (one choice for all projects, like a DAW's last view). */
export type ProjectTab = 'model' | 'takes' | 'instrument' | 'arrange';

const KEY = 'wavehouse.projectTab';
const TABS: readonly ProjectTab[] = ['model', 'takes', 'instrument', 'arrange'];

export function loadTab(): ProjectTab {
  try {
    const stored = localStorage.getItem(KEY);
    return TABS.includes(stored as ProjectTab) ? (stored as ProjectTab) : 'model';
  } catch {
    return 'model';
  }
}

export function saveTab(tab: ProjectTab): void {
  try {
    localStorage.setItem(KEY, tab);
  } catch {
    /* storage disabled: the tab just resets on reload */
  }
}
