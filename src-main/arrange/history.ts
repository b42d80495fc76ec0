/**
 * Undo/redo over serialisable edits. The history holds no arrangement: callers pass the current
 * state in and get the next one back, so the arrangement and its history can be stored side by
 * side (e.g. two columns of one row) and reloaded after a restart.
 */
import { applyEdit, type Edit } from '../../src-shared/arrange/edits';
import { EditError } from '../../src-shared/arrange/errors';
import type { Arrangement } from '../../src-shared/arrange/model';
import { parseEdit } from '../../src-shared/arrange/schema';

/** One undoable step: the edit as the user made it and the edit that reverses it. */
export interface HistoryEntry {
  edit: Edit;
  inverse: Edit;
  /** Optional UI label ("Split clip", "Move 3 clips"). */
  label?: string;
}

/** The persisted form of an UndoHistory. */
export interface HistoryJSON {
  version: 1;
  limit: number;
  past: HistoryEntry[];
  future: HistoryEntry[];
}

/** Past/future stacks of edits with a size limit; every method is synchronous and throws EditError. */
export class UndoHistory {
  private past: HistoryEntry[] = [];
  private future: HistoryEntry[] = [];

  constructor(readonly limit = 500) {
    if (!Number.isInteger(limit) || limit < 1) throw new EditError('invalid-value', 'history limit must be a positive whole number');
  }

  /** Applies a new edit, records it, and clears the redo stack (a new branch forgets the old future). */
  apply(arr: Arrangement, edit: Edit, label?: string): Arrangement {
    const { next, inverse } = applyEdit(arr, edit);
    this.past.push(label === undefined ? { edit, inverse } : { edit, inverse, label });
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit);
    this.future = [];
    return next;
  }

  /** Reverts the last edit; returns the previous state, or null when there is nothing to undo. */
  undo(arr: Arrangement): Arrangement | null {
    const entry = this.past.at(-1);
    if (!entry) return null;
    const { next } = applyEdit(arr, entry.inverse); // throws without touching the stacks if the state diverged
    this.past.pop();
    this.future.push(entry);
    return next;
  }

  /** Re-applies the last undone edit; returns the next state, or null when there is nothing to redo. */
  redo(arr: Arrangement): Arrangement | null {
    const entry = this.future.at(-1);
    if (!entry) return null;
    const { next, inverse } = applyEdit(arr, entry.edit);
    this.future.pop();
    this.past.push({ ...entry, inverse });
    return next;
  }

  /** True when undo() would do something. */
  get canUndo(): boolean {
    return this.past.length > 0;
  }

  /** True when redo() would do something. */
  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Label of the step undo() would revert (for "Undo Split clip" menus). */
  get undoLabel(): string | undefined {
    return this.past.at(-1)?.label;
  }

  /** Label of the step redo() would re-apply. */
  get redoLabel(): string | undefined {
    return this.future.at(-1)?.label;
  }

  /** Forgets everything (e.g. after loading an arrangement from elsewhere). */
  clear(): void {
    this.past = [];
    this.future = [];
  }

  /** Plain JSON form; `JSON.stringify(history)` uses it. */
  toJSON(): HistoryJSON {
    return { version: 1, limit: this.limit, past: structuredClone(this.past), future: structuredClone(this.future) };
  }

  /** Rebuilds a history from its JSON (a parsed object or the string), validating every edit. */
  static fromJSON(json: unknown): UndoHistory {
    const data = typeof json === 'string' ? JSON.parse(json) : json;
    if (!data || typeof data !== 'object' || (data as HistoryJSON).version !== 1) throw new EditError('bad-edit', 'history JSON must be an object with version 1');
    const d = data as HistoryJSON;
    if (!Array.isArray(d.past) || !Array.isArray(d.future)) throw new EditError('bad-edit', 'history JSON needs past and future arrays');
    const h = new UndoHistory(d.limit ?? 500);
    const entry = (e: HistoryEntry): HistoryEntry => {
      const out: HistoryEntry = { edit: parseEdit(e?.edit), inverse: parseEdit(e?.inverse) };
      if (typeof e.label === 'string') out.label = e.label;
      return out;
    };
    h.past = d.past.map(entry);
    h.future = d.future.map(entry);
    return h;
  }
}
