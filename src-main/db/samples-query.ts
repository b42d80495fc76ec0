import type { Db } from './database';

export interface SampleQuery {
  libraryId: string;
  search?: string;
  label?: string | null;
  minDuration?: number;
  maxDuration?: number;
  sampleRate?: number;
  status?: 'all' | 'ok' | 'failed' | 'missing' | 'warnings';
  sort?: 'name' | 'duration' | 'label' | 'rate' | 'channels';
  direction?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface SampleRow {
  id: string;
  libraryId: string;
  relPath: string;
  size: number;
  codec: string | null;
  sampleFormat: string | null;
  bitDepth: number | null;
  sampleRate: number | null;
  channels: number | null;
  frames: number | null;
  duration: number | null;
  label: string | null;
  errorCode: string | null;
  error: string | null;
  missing: boolean;
  /** What the import recovered from or assumed ([] for a clean file, and for one imported before warnings were recorded). */
  warnings: { code: string; message: string }[];
  /** Waveform peaks (min/max pairs as signed bytes), base64; null for broken files. */
  peaks: string | null;
}

const SORT_COLUMNS: Record<NonNullable<SampleQuery['sort']>, string> = {
  name: 'rel_path COLLATE NOCASE',
  duration: 'duration',
  label: 'label COLLATE NOCASE',
  rate: 'sample_rate',
  channels: 'channels',
};

/** Samples that imported (not failed, not missing) with at least one warning. */
export const WARNED = `error IS NULL AND missing = 0 AND warnings IS NOT NULL AND warnings <> '[]'`;

/** The stored warnings column as a list; anything unreadable counts as none rather than failing the page. */
function parseWarnings(json: unknown): { code: string; message: string }[] {
  if (typeof json !== 'string') return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((w) => typeof w?.code === 'string' && typeof w?.message === 'string').map((w) => ({ code: w.code, message: w.message })) : [];
  } catch {
    return [];
  }
}

/** Builds the WHERE clause and its parameters for a query; values are always bound, never spliced. */
function where(q: SampleQuery): { sql: string; params: unknown[] } {
  const parts = ['library_id = ?'];
  const params: unknown[] = [q.libraryId];
  if (q.search?.trim()) {
    parts.push(`(rel_path LIKE ? ESCAPE '\\' OR label LIKE ? ESCAPE '\\')`);
    const like = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like);
  }
  if (q.label !== undefined) {
    if (q.label === null) parts.push('label IS NULL');
    else {
      parts.push('label = ?');
      params.push(q.label);
    }
  }
  if (q.minDuration !== undefined) {
    parts.push('duration >= ?');
    params.push(q.minDuration);
  }
  if (q.maxDuration !== undefined) {
    parts.push('duration <= ?');
    params.push(q.maxDuration);
  }
  if (q.sampleRate !== undefined) {
    parts.push('sample_rate = ?');
    params.push(q.sampleRate);
  }
  if (q.status === 'ok') parts.push('error IS NULL AND missing = 0');
  else if (q.status === 'failed') parts.push('error IS NOT NULL AND missing = 0');
  else if (q.status === 'missing') parts.push('missing = 1');
  else if (q.status === 'warnings') parts.push(`${WARNED}`);
  return { sql: parts.join(' AND '), params };
}

/** One page of a library's samples, filtered and sorted, with the total for a virtualised list. */
export function querySamples(db: Db, q: SampleQuery): { total: number; rows: SampleRow[] } {
  const w = where(q);
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM samples WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
  const order = `${SORT_COLUMNS[q.sort ?? 'name']} ${q.direction === 'desc' ? 'DESC' : 'ASC'}, rel_path ASC`;
  // Sort only ids (narrow rows), then fetch the page's full rows: sorting whole rows would drag every
  // sample's peaks blob through the sorter.
  const ids = (db.prepare(`SELECT id FROM samples WHERE ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...w.params, q.limit ?? 200, q.offset ?? 0) as { id: string }[]).map(
    (r) => r.id,
  );
  if (ids.length === 0) return { total, rows: [] };
  const rows = db
    .prepare(
      `SELECT id, library_id, rel_path, size, codec, sample_format, bit_depth, sample_rate, channels, frames, duration, label, error_code, error, missing, warnings, peaks
       FROM samples WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as Record<string, unknown>[];
  const position = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => position.get(a.id as string)! - position.get(b.id as string)!);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id as string,
      libraryId: r.library_id as string,
      relPath: r.rel_path as string,
      size: r.size as number,
      codec: r.codec as string | null,
      sampleFormat: r.sample_format as string | null,
      bitDepth: r.bit_depth as number | null,
      sampleRate: r.sample_rate as number | null,
      channels: r.channels as number | null,
      frames: r.frames as number | null,
      duration: r.duration as number | null,
      label: r.label as string | null,
      errorCode: r.error_code as string | null,
      error: r.error as string | null,
      missing: r.missing === 1,
      warnings: parseWarnings(r.warnings),
      peaks: r.peaks ? (r.peaks as Buffer).toString('base64') : null,
    })),
  };
}

/** Every label of a library with its sample count (for filters and conditioning). */
export function labelCounts(db: Db, libraryId: string): { label: string; count: number }[] {
  return db
    .prepare(`SELECT label, COUNT(*) AS count FROM samples WHERE library_id = ? AND label IS NOT NULL AND error IS NULL AND missing = 0 GROUP BY label ORDER BY label COLLATE NOCASE`)
    .all(libraryId) as { label: string; count: number }[];
}

/** Sets one label on many samples (null clears it); returns how many changed. */
export function setLabels(db: Db, ids: string[], label: string | null): number {
  const stmt = db.prepare(`UPDATE samples SET label = ? WHERE id = ?`);
  return db.transaction(() => ids.reduce((n, id) => n + stmt.run(label, id).changes, 0))();
}

/**
 * The samples a project trains on: decoded (no error), present, and holding at least one frame.
 * Samples with warnings do train (they decoded; the warning says what was assumed).
 */
export function trainableSamples(db: Db, projectId: string): { id: string; label: string | null; frames: number; sampleRate: number; root: string; relPath: string }[] {
  return db
    .prepare(
      `SELECT s.id, s.label, s.frames, s.sample_rate AS sampleRate, l.root_path AS root, s.rel_path AS relPath
       FROM samples s JOIN project_libraries pl ON pl.library_id = s.library_id JOIN libraries l ON l.id = s.library_id
       WHERE pl.project_id = ? AND s.error IS NULL AND s.missing = 0 AND s.frames > 0
       ORDER BY s.id`,
    )
    .all(projectId) as { id: string; label: string | null; frames: number; sampleRate: number; root: string; relPath: string }[];
}
