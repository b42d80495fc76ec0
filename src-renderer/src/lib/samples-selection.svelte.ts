/**
 * Which samples are selected (by id, so a selection survives pages being refetched) and which row
 * has the keyboard cursor (by index, since that is what arrow keys move). Range selections need
 * the ids of rows that may not be loaded, so the caller resolves them and passes them in.
 */
import { SvelteSet } from 'svelte/reactivity';

export class SampleSelection {
  readonly ids = new SvelteSet<string>();
  /** The row with the keyboard cursor, or -1. */
  active = $state(-1);
  /** Where a Shift range starts: the last row clicked or moved to without Shift. */
  anchor = $state(-1);

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Plain click or arrow key: this row only. */
  only(index: number, id: string): void {
    this.ids.clear();
    this.ids.add(id);
    this.active = index;
    this.anchor = index;
  }

  /** Ctrl/Cmd+click: add or remove one row, keeping the rest. */
  toggle(index: number, id: string): void {
    if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.active = index;
    this.anchor = index;
  }

  /** Shift+click or Shift+arrow: the rows between the anchor and `index` (ids resolved by the caller). */
  range(index: number, ids: string[]): void {
    this.ids.clear();
    for (const id of ids) this.ids.add(id);
    this.active = index;
  }

  /** The anchor..index span a Shift gesture selects, in ascending order, end exclusive. */
  span(index: number): { start: number; end: number } {
    const anchor = this.anchor < 0 ? index : this.anchor;
    return { start: Math.min(anchor, index), end: Math.max(anchor, index) + 1 };
  }

  all(ids: string[]): void {
    this.ids.clear();
    for (const id of ids) this.ids.add(id);
  }

  clear(): void {
    this.ids.clear();
    this.active = -1;
    this.anchor = -1;
  }

  /** Keeps the cursor inside a list that shrank. */
  clamp(total: number): void {
    if (this.active >= total) this.active = total - 1;
    if (this.anchor >= total) this.anchor = total - 1;
  }
}
