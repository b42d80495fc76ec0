/**
 * Keyboard shortcuts, declared once: the window key handler runs them and the shortcuts overlay
 * lists them, so the two can never disagree.
 */
import type { Studio } from './studio.svelte';

export interface Shortcut {
  /** Keys as shown to the user, one entry per key cap. */
  keys: string[];
  description: string;
  /** Also fires while typing in a text field (only for chords no text input uses). */
  inInputs?: boolean;
  matches(event: KeyboardEvent): boolean;
  run(studio: Studio): void;
  /** Only handled when this says so (e.g. timeline keys only while a timeline is on screen). */
  enabled?(studio: Studio): boolean;
}

export const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
/** The label of the platform's command modifier, for hints in tooltips. */
export const MOD_LABEL = isMac ? '⌘' : 'Ctrl';

/** Ctrl on Linux/Windows, Cmd on macOS — and never both, so Ctrl+Cmd chords stay free. */
function mod(event: KeyboardEvent): boolean {
  return isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
}

function modChord(event: KeyboardEvent, key: string, shift = false): boolean {
  return mod(event) && !event.altKey && event.shiftKey === shift && event.key.toLowerCase() === key;
}

/** A key pressed alone (Shift allowed only where the key needs it, like + on some layouts). */
function plainKey(event: KeyboardEvent, ...keys: string[]): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey && keys.includes(event.key);
}

const onTimeline = (studio: Studio) => studio.timeline !== null;

/** Keys of the arrange timeline; active only while it is on screen. */
const timelineShortcuts: Shortcut[] = [
  { keys: ['Space'], description: 'Play / stop the arrangement', enabled: onTimeline, matches: (e) => plainKey(e, ' ') && !e.shiftKey, run: (s) => void s.timeline?.togglePlay() },
  { keys: ['L'], description: 'Loop on / off', enabled: onTimeline, matches: (e) => plainKey(e, 'l', 'L') && !e.shiftKey, run: (s) => void s.timeline?.toggleLoop() },
  { keys: ['S'], description: 'Split clips at the playhead', enabled: onTimeline, matches: (e) => plainKey(e, 's', 'S') && !e.shiftKey, run: (s) => void s.timeline?.splitAtCursor() },
  { keys: [MOD_LABEL, 'D'], description: 'Duplicate the selected clips', enabled: onTimeline, matches: (e) => modChord(e, 'd'), run: (s) => void s.timeline?.duplicateSelected() },
  { keys: ['Delete'], description: 'Delete the selected clips', enabled: onTimeline, matches: (e) => plainKey(e, 'Delete', 'Backspace'), run: (s) => void s.timeline?.deleteSelected() },
  { keys: [MOD_LABEL, 'Z'], description: 'Undo the last timeline edit', enabled: onTimeline, matches: (e) => modChord(e, 'z'), run: (s) => void s.timeline?.undo() },
  { keys: [MOD_LABEL, 'Shift', 'Z'], description: 'Redo', enabled: onTimeline, matches: (e) => modChord(e, 'z', true) || modChord(e, 'y'), run: (s) => void s.timeline?.redo() },
  { keys: ['+'], description: 'Zoom in (also Ctrl+wheel)', enabled: onTimeline, matches: (e) => plainKey(e, '+', '='), run: (s) => s.timeline?.zoomIn() },
  { keys: ['−'], description: 'Zoom out', enabled: onTimeline, matches: (e) => plainKey(e, '-', '_'), run: (s) => s.timeline?.zoomOut() },
  { keys: ['Esc'], description: 'Clear the clip selection', enabled: onTimeline, matches: (e) => plainKey(e, 'Escape'), run: (s) => s.timeline?.clearSelection() },
];

export const shortcuts: Shortcut[] = [
  {
    keys: [MOD_LABEL, 'N'],
    description: 'New project',
    inInputs: true,
    matches: (e) => modChord(e, 'n'),
    run: (studio) => studio.ui.open('new-project'),
  },
  {
    keys: [MOD_LABEL, 'I'],
    description: 'Import a folder into the library',
    inInputs: true,
    matches: (e) => modChord(e, 'i'),
    run: (studio) => {
      studio.navigation.go({ kind: 'library' });
      studio.ui.importFocusRequest++;
    },
  },
  {
    keys: [MOD_LABEL, '1'],
    description: 'Show the library',
    inInputs: true,
    matches: (e) => modChord(e, '1'),
    run: (studio) => studio.navigation.go({ kind: 'library' }),
  },
  {
    keys: ['F2'],
    description: 'Rename the open project',
    matches: (e) => e.key === 'F2' && !e.ctrlKey && !e.metaKey && !e.altKey,
    run: (studio) => {
      if (studio.navigation.view.kind === 'project') studio.ui.renameRequest++;
    },
  },
  {
    keys: [MOD_LABEL, 'Shift', 'L'],
    description: 'Switch between light and dark theme',
    inInputs: true,
    matches: (e) => modChord(e, 'l', true),
    run: (studio) => studio.theme.toggle(),
  },
  {
    keys: ['?'],
    description: 'Show keyboard shortcuts',
    matches: (e) => e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey,
    run: (studio) => studio.ui.open('shortcuts'),
  },
  ...timelineShortcuts,
];

/** Keys handled by dialogs themselves, listed in the overlay for completeness. */
export const dialogKeys: Pick<Shortcut, 'keys' | 'description'>[] = [
  { keys: ['Esc'], description: 'Close the dialog or cancel an edit' },
  { keys: ['Enter'], description: 'Confirm the dialog or the edit' },
  { keys: ['Tab'], description: 'Move between controls' },
];

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(target.type);
  return false;
}

/** Runs the shortcut `event` names, if any; returns true when it handled the event. */
export function handleShortcut(event: KeyboardEvent, studio: Studio): boolean {
  // An open dialog owns the keyboard (it handles Escape and its own keys). Asking the DOM rather
  // than the UI state also covers dialogs local to a view, such as a delete confirmation.
  if (event.defaultPrevented || event.isComposing || document.querySelector('dialog:modal')) return false;
  const typing = isTextEntry(event.target);
  // Buttons keep Space for themselves (activate), as in any toolbar.
  if (event.key === ' ' && event.target instanceof HTMLButtonElement) return false;
  const shortcut = shortcuts.find((s) => (s.inInputs || !typing) && (s.enabled?.(studio) ?? true) && s.matches(event));
  if (!shortcut) return false;
  event.preventDefault();
  shortcut.run(studio);
  return true;
}
