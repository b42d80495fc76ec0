import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, SchemaTooNewError, schemaVersion } from '../../src-main/db/database';
import { migrations, LATEST_SCHEMA_VERSION } from '../../src-main/db/migrations';
import { createApp } from '../../src-main/app';
import { tempDir } from '../helpers/tmp';

describe('database', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('creates a fresh database at the latest schema with WAL and foreign keys', () => {
    const db = openDatabase(join(dir.path, 'a.sqlite'));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare(`INSERT INTO project_libraries (project_id, library_id) VALUES ('x', 'y')`).run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it("keeps the studio's files private: data dir 0700 and database files 0600, also for a dir an older studio made 0755", () => {
    const fresh = join(dir.path, 'fresh');
    const old = join(dir.path, 'old');
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    for (const dataDir of [fresh, old]) {
      const app = createApp({ dataDir, demoLibrary: false });
      app.db.prepare(`INSERT INTO settings (key, value) VALUES ('probe', '1')`).run(); // the WAL file exists now
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      const dbFiles = readdirSync(dataDir).filter((f) => f.startsWith('wavehouse.sqlite'));
      expect(dbFiles.length).toBeGreaterThanOrEqual(2);
      for (const f of dbFiles) expect([f, statSync(join(dataDir, f)).mode & 0o777]).toEqual([f, 0o600]);
      app.close();
    }
  });

  it('upgrades a database from an older schema in place, keeping its rows', () => {
    const path = join(dir.path, 'old.sqlite');
    const old = new Database(path);
    migrate(old, migrations, 1);
    expect(schemaVersion(old)).toBe(1);
    old.prepare(`INSERT INTO projects (id, name, preset, config, created_at, updated_at) VALUES ('p1', 'Old project', 'sketch', '{}', 'then', 'then')`).run();
    old.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare(`SELECT name FROM projects WHERE id = 'p1'`).get()).toEqual({ name: 'Old project' });
    // the tables of later migrations exist now
    expect(db.prepare(`SELECT COUNT(*) AS n FROM takes`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database from a newer Wavehouse with a clear message and leaves it untouched', () => {
    const path = join(dir.path, 'future.sqlite');
    const future = new Database(path);
    future.exec(`CREATE TABLE something_new (x INTEGER); INSERT INTO something_new VALUES (42);`);
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    future.close();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');

    let error: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toMatch(/newer Wavehouse/);
    expect((error as Error).message).toContain(`schema ${LATEST_SCHEMA_VERSION + 5}`);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });

  it('rolls back a migration that fails, leaving the previous version', () => {
    const path = join(dir.path, 'broken.sqlite');
    const db = new Database(path);
    const broken = [...migrations.slice(0, 1), { version: 2, description: 'broken', sql: 'CREATE TABLE ok_table (x); THIS IS NOT SQL;' }];
    expect(() => migrate(db, broken, 2)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'ok_table'`).get()).toBeUndefined();
    db.close();
  });
});
