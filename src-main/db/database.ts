import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations';

export type Db = Database.Database;

/** Raised when a database was written by a newer Wavehouse; the file is left untouched. */
export class SchemaTooNewError extends AppError {
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      'CONFLICT',
      `The database ${path} was written by a newer Wavehouse (schema ${found}; this version understands up to ${supported}). ` +
        'Update Wavehouse to open it; the file was not changed.',
    );
  }
}

/** Reads PRAGMA user_version. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies pending migrations up to `target`, each in its own transaction. */
export function migrate(db: Db, list: Migration[] = migrations, target = LATEST_SCHEMA_VERSION): number {
  const current = schemaVersion(db);
  for (const m of list) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}

/**
 * Opens (creating if needed) the studio database with WAL and foreign keys, refusing one from a
 * newer schema before writing anything to it, then migrates it to the latest version.
 */
export function openDatabase(path: string, { migrateTo = LATEST_SCHEMA_VERSION } = {}): Db {
  if (existsSync(path)) {
    // Check the version read-only first so a too-new file is not even switched to WAL.
    const probe = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const found = schemaVersion(probe);
      if (found > LATEST_SCHEMA_VERSION) throw new SchemaTooNewError(path, found, LATEST_SCHEMA_VERSION);
    } finally {
      probe.close();
    }
  } else {
    mkdirSync(dirname(path), { recursive: true });
  }
  // Private to the user (0600), and so are the -wal and -shm files SQLite makes with the database's
  // mode. A database an older studio made 0644 is tightened, with journals already beside it.
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file)) chmodSync(file, 0o600);
      else if (file === path) closeSync(openSync(file, 'wx', 0o600)); // an empty file is a new database
    } catch (err) {
      console.error(`could not make ${file} private:`, (err as Error).message);
    }
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations, migrateTo);
  return db;
}
