import type { ModelConfig, Project } from '../../src-preload/contract';
import { parameterCount, receptiveFieldMs } from '../../src-shared/model/config';
import type { Db } from './database';
import { newId, nowIso } from './ids';

interface ProjectRow {
  id: string;
  name: string;
  preset: Project['preset'];
  config: string;
  created_at: string;
  updated_at: string;
}

/** Model projects and the libraries each trains on. */
export class ProjectsRepo {
  constructor(private db: Db) {}

  private toProject(row: ProjectRow): Project {
    const config = JSON.parse(row.config) as ModelConfig;
    const libraryIds = (
      this.db.prepare(`SELECT library_id FROM project_libraries WHERE project_id = ? ORDER BY rowid`).all(row.id) as { library_id: string }[]
    ).map((r) => r.library_id);
    return {
      id: row.id,
      name: row.name,
      preset: row.preset,
      config,
      libraryIds,
      receptiveFieldMs: receptiveFieldMs(config),
      parameterCount: parameterCount(config),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  list(): Project[] {
    const rows = this.db.prepare(`SELECT * FROM projects ORDER BY created_at DESC, rowid DESC`).all() as ProjectRow[];
    return rows.map((r) => this.toProject(r));
  }

  get(id: string): Project | undefined {
    const row = this.db.prepare(`SELECT * FROM projects WHERE id = ?`).get(id) as ProjectRow | undefined;
    return row && this.toProject(row);
  }

  findByName(name: string): Project | undefined {
    const row = this.db.prepare(`SELECT * FROM projects WHERE name = ? COLLATE NOCASE`).get(name) as ProjectRow | undefined;
    return row && this.toProject(row);
  }

  create(name: string, preset: Project['preset'], config: ModelConfig, libraryIds: string[]): Project {
    const id = newId();
    const now = nowIso();
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO projects (id, name, preset, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(id, name, preset, JSON.stringify(config), now, now);
      const link = this.db.prepare(`INSERT INTO project_libraries (project_id, library_id) VALUES (?, ?)`);
      for (const lib of libraryIds) link.run(id, lib);
    })();
    return this.get(id)!;
  }

  /** Replaces the project's libraries, keeping the given order. */
  setLibraries(id: string, libraryIds: string[]): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM project_libraries WHERE project_id = ?`).run(id);
      const link = this.db.prepare(`INSERT INTO project_libraries (project_id, library_id) VALUES (?, ?)`);
      for (const lib of new Set(libraryIds)) link.run(id, lib);
      this.db.prepare(`UPDATE projects SET updated_at = ? WHERE id = ?`).run(nowIso(), id);
    })();
  }

  rename(id: string, name: string): void {
    this.db.prepare(`UPDATE projects SET name = ?, updated_at = ? WHERE id = ?`).run(name, nowIso(), id);
  }

  updateConfig(id: string, config: ModelConfig): void {
    this.db.prepare(`UPDATE projects SET config = ?, updated_at = ? WHERE id = ?`).run(JSON.stringify(config), nowIso(), id);
  }

  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM projects WHERE id = ?`).run(id).changes > 0;
  }
}
