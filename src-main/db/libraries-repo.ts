import type { Library } from '../../src-preload/contract';
import type { Db } from './database';
import { WARNED } from './samples-query';
import { newId, nowIso } from './ids';

interface LibraryRow {
  id: string;
  name: string;
  root_path: string;
  created_at: string;
  updated_at: string;
  sample_count: number;
  failed_count: number;
  missing_count: number;
  warned_count: number;
  total_duration: number | null;
}

const SELECT_LIBRARY = `
  SELECT l.*,
    (SELECT COUNT(*) FROM samples s WHERE s.library_id = l.id AND s.error IS NULL AND s.missing = 0) AS sample_count,
    (SELECT COUNT(*) FROM samples s WHERE s.library_id = l.id AND s.error IS NOT NULL AND s.missing = 0) AS failed_count,
    (SELECT COUNT(*) FROM samples s WHERE s.library_id = l.id AND s.missing = 1) AS missing_count,
    (SELECT COUNT(*) FROM samples s WHERE s.library_id = l.id AND ${WARNED}) AS warned_count,
    (SELECT SUM(duration) FROM samples s WHERE s.library_id = l.id AND s.error IS NULL AND s.missing = 0) AS total_duration
  FROM libraries l`;

function toLibrary(row: LibraryRow): Library {
  return {
    id: row.id,
    name: row.name,
    rootPath: row.root_path,
    sampleCount: row.sample_count,
    failedCount: row.failed_count,
    missingCount: row.missing_count,
    warnedCount: row.warned_count,
    totalDuration: row.total_duration ?? 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Sample libraries: a named root folder the user imported. */
export class LibrariesRepo {
  constructor(private db: Db) {}

  list(): Library[] {
    return (this.db.prepare(`${SELECT_LIBRARY} ORDER BY l.name COLLATE NOCASE`).all() as LibraryRow[]).map(toLibrary);
  }

  get(id: string): Library | undefined {
    const row = this.db.prepare(`${SELECT_LIBRARY} WHERE l.id = ?`).get(id) as LibraryRow | undefined;
    return row && toLibrary(row);
  }

  findByRoot(rootPath: string): Library | undefined {
    const row = this.db.prepare(`${SELECT_LIBRARY} WHERE l.root_path = ?`).get(rootPath) as LibraryRow | undefined;
    return row && toLibrary(row);
  }

  /** Existing ids among `ids` (for validating project links). */
  existing(ids: string[]): Set<string> {
    const found = new Set<string>();
    const stmt = this.db.prepare(`SELECT id FROM libraries WHERE id = ?`);
    for (const id of ids) if (stmt.get(id)) found.add(id);
    return found;
  }

  create(name: string, rootPath: string): Library {
    const id = newId();
    const now = nowIso();
    this.db.prepare(`INSERT INTO libraries (id, name, root_path, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(id, name, rootPath, now, now);
    return this.get(id)!;
  }

  touch(id: string): void {
    this.db.prepare(`UPDATE libraries SET updated_at = ? WHERE id = ?`).run(nowIso(), id);
  }
}
