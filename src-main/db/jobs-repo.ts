import { isAbsolute } from 'node:path';
import type { Job } from '../../src-preload/contract';
import type { Db } from './database';
import { newId, nowIso } from './ids';

interface JobRow {
  id: string;
  kind: Job['kind'];
  state: Job['state'];
  title: string;
  progress: number;
  message: string;
  project_id: string | null;
  params: string;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    title: row.title,
    progress: row.progress,
    message: row.message,
    projectId: row.project_id,
    error: row.error,
    result: row.result ? JSON.parse(row.result) : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export const ACTIVE_STATES = ['queued', 'running'] as const;

/** The jobs table: every long piece of work leaves a record here. */
export class JobsRepo {
  constructor(private db: Db) {}

  /** Inserts a queued job. */
  create(kind: Job['kind'], title: string, params: unknown, projectId: string | null = null): Job {
    const id = newId();
    this.db
      .prepare(`INSERT INTO jobs (id, kind, state, title, project_id, params, created_at) VALUES (?, ?, 'queued', ?, ?, ?, ?)`)
      .run(id, kind, title, projectId, JSON.stringify(params ?? {}), nowIso());
    return this.get(id)!;
  }

  get(id: string): Job | undefined {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
    return row && toJob(row);
  }

  /** The parameters a job was started with. */
  params<T>(id: string): T {
    const row = this.db.prepare(`SELECT params FROM jobs WHERE id = ?`).get(id) as { params: string } | undefined;
    return JSON.parse(row?.params ?? '{}') as T;
  }

  list({ activeOnly = false, limit = 50 } = {}): Job[] {
    const where = activeOnly ? `WHERE state IN ('queued', 'running')` : '';
    const rows = this.db.prepare(`SELECT * FROM jobs ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?`).all(limit) as JobRow[];
    return rows.map(toJob);
  }

  markRunning(id: string): void {
    this.db.prepare(`UPDATE jobs SET state = 'running', started_at = ? WHERE id = ?`).run(nowIso(), id);
  }

  progress(id: string, progress: number, message: string): void {
    this.db.prepare(`UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND state = 'running'`).run(Math.max(0, Math.min(1, progress)), message, id);
  }

  /** Ends a job in a final state; a job already final keeps its first ending. */
  finish(id: string, state: 'done' | 'failed' | 'cancelled' | 'interrupted', fields: { result?: unknown; error?: string; message?: string } = {}): void {
    this.db
      .prepare(
        `UPDATE jobs SET state = ?, result = ?, error = ?, message = COALESCE(?, message), progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END, ended_at = ?
         WHERE id = ? AND state IN ('queued', 'running')`,
      )
      .run(state, fields.result === undefined ? null : JSON.stringify(fields.result), fields.error ?? null, fields.message ?? null, state, nowIso(), id);
  }

  /** At start-up: every job still queued or running was cut off by a crash. Returns how many. */
  markInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE jobs SET state = 'interrupted', ended_at = ?, message = 'interrupted: the studio stopped while this job was running'
         WHERE state IN ('queued', 'running')`,
      )
      .run(nowIso()).changes;
  }

  /** Every folder an export job was given (absolute paths), for the start-up sweep of its temp files. */
  exportFolders(): string[] {
    const rows = this.db.prepare(`SELECT params FROM jobs WHERE kind = 'export'`).all() as { params: string }[];
    const dirs = new Set<string>();
    for (const r of rows) {
      try {
        const outDir = (JSON.parse(r.params) as { outDir?: unknown }).outDir;
        if (typeof outDir === 'string' && isAbsolute(outDir)) dirs.add(outDir);
      } catch {
        // a row we cannot read names no folder
      }
    }
    return [...dirs];
  }
}
