import type { Db } from './database';
import { nowIso } from './ids';

/** One label's key and note on the Instrument view. */
export interface MappingEntryRow {
  label: string;
  key: string | null;
  note: number | null;
}

/** Instrument mappings, one per project (what the user set; the rest play defaults). */
export class InstrumentRepo {
  constructor(private db: Db) {}

  get(projectId: string): { entries: MappingEntryRow[]; updatedAt: string } | undefined {
    const row = this.db.prepare(`SELECT entries, updated_at FROM instrument_mappings WHERE project_id = ?`).get(projectId) as { entries: string; updated_at: string } | undefined;
    return row && { entries: JSON.parse(row.entries) as MappingEntryRow[], updatedAt: row.updated_at };
  }

  set(projectId: string, entries: MappingEntryRow[]): void {
    this.db
      .prepare(`INSERT INTO instrument_mappings (project_id, entries, updated_at) VALUES (?, ?, ?) ON CONFLICT(project_id) DO UPDATE SET entries = excluded.entries, updated_at = excluded.updated_at`)
      .run(projectId, JSON.stringify(entries.map(({ label, key, note }) => ({ label, key, note }))), nowIso());
  }
}
