/**
 * Versioned schema migrations. PRAGMA user_version holds the version; each migration runs in its
 * own transaction. Never edit a migration that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'libraries, samples, projects, jobs, settings',
    sql: `
      CREATE TABLE libraries (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        root_path TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX libraries_root ON libraries(root_path);

      CREATE TABLE samples (
        id TEXT PRIMARY KEY,
        library_id TEXT NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        rel_path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        content_hash TEXT,
        codec TEXT,
        sample_format TEXT,
        bit_depth INTEGER,
        sample_rate INTEGER,
        channels INTEGER,
        frames INTEGER,
        duration REAL,
        peaks BLOB,
        label TEXT,
        error_code TEXT,
        error TEXT,
        missing INTEGER NOT NULL DEFAULT 0,
        imported_at TEXT NOT NULL,
        UNIQUE (library_id, rel_path)
      );
      CREATE INDEX samples_label ON samples(library_id, label);

      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        preset TEXT NOT NULL,
        config TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE project_libraries (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        library_id TEXT NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        PRIMARY KEY (project_id, library_id)
      );

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        title TEXT NOT NULL,
        progress REAL NOT NULL DEFAULT 0,
        message TEXT NOT NULL DEFAULT '',
        project_id TEXT REFERENCES projects(id) ON DELETE SET NULL,
        params TEXT NOT NULL,
        result TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT
      );
      CREATE INDEX jobs_state ON jobs(state);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'training runs, checkpoints, takes',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
        backend TEXT NOT NULL,
        state TEXT NOT NULL,
        step INTEGER NOT NULL DEFAULT 0,
        settings TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        error TEXT
      );
      CREATE TABLE checkpoints (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        train_loss REAL,
        validation_bits REAL,
        card TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX checkpoints_project ON checkpoints(project_id, step);
      CREATE TABLE takes (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        checkpoint_id TEXT REFERENCES checkpoints(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        label TEXT,
        seed INTEGER NOT NULL,
        temperature REAL NOT NULL,
        params TEXT NOT NULL,
        sample_rate INTEGER NOT NULL,
        frames INTEGER NOT NULL,
        peaks BLOB,
        starred INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX takes_project ON takes(project_id, created_at);
    `,
  },
  {
    version: 3,
    description: 'arrangements with their undo history',
    sql: `
      CREATE TABLE arrangements (
        project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        history TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: 'training metrics per run, for the loss chart',
    sql: `
      CREATE TABLE run_metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        train_loss REAL,
        validation_bits REAL,
        samples_per_second REAL,
        at TEXT NOT NULL,
        PRIMARY KEY (run_id, step)
      );
    `,
  },
  {
    version: 5,
    description: 'indexes for sorting and filtering large libraries',
    sql: `
      CREATE INDEX samples_name ON samples(library_id, rel_path COLLATE NOCASE);
      CREATE INDEX samples_duration ON samples(library_id, duration);
      CREATE INDEX samples_rate ON samples(library_id, sample_rate);
    `,
  },
  {
    version: 6,
    description: 'import warnings per sample',
    // JSON array of {code, message}. NULL marks a sample imported before warnings existed: the next
    // rescan analyses it again even though the file did not change, so an upgraded library catches up.
    sql: `
      ALTER TABLE samples ADD COLUMN warnings TEXT;
    `,
  },
  {
    version: 7,
    description: 'instrument mappings per project',
    // entries: JSON array of {label, key, note} as the user set them (labels left out play defaults
    // computed in the renderer from the checkpoint's labels). Gone with the project.
    sql: `
      CREATE TABLE instrument_mappings (
        project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        entries TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version;
