/** Transient UI state shared across components: which overlay is open, requests to focus a field. */
export type Overlay = 'new-project' | 'shortcuts' | null;

export class UiState {
  overlay = $state<Overlay>(null);
  /** Bumped to ask the import form to take focus (it may not be mounted yet when asked). */
  importFocusRequest = $state(0);
  /** Bumped to ask the open project view to start renaming. */
  renameRequest = $state(0);

  open(overlay: Exclude<Overlay, null>): void {
    this.overlay = overlay;
  }

  close(): void {
    this.overlay = null;
  }
}
