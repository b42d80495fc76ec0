import type { Db } from './database';
import { nowIso } from './ids';

export interface TakeRow {
  id: string;
  projectId: string;
  checkpointId: string | null;
  name: string;
  path: string;
  label: string | null;
  seed: number;
  temperature: number;
  params: Record<string, unknown>;
  /** From params.nearestClip (takes generated before it was measured have none). */
  nearestClip: NearestClipInfo | null;
  sampleRate: number;
  frames: number;
  duration: number;
  /** Waveform peaks (signed-byte min/max pairs), base64. */
  peaks: string | null;
  starred: boolean;
  createdAt: string;
}

interface Raw {
  id: string;
  project_id: string;
  checkpoint_id: string | null;
  name: string;
  path: string;
  label: string | null;
  seed: number;
  temperature: number;
  params: string;
  sample_rate: number;
  frames: number;
  peaks: Buffer | null;
  starred: number;
  created_at: string;
}

function toRow(r: Raw): TakeRow {
  return {
    id: r.id,
    projectId: r.project_id,
    checkpointId: r.checkpoint_id,
    name: r.name,
    path: r.path,
    label: r.label,
    seed: r.seed,
    temperature: r.temperature,
    params: JSON.parse(r.params),
    nearestClip: (JSON.parse(r.params) as { nearestClip?: NearestClipInfo | null }).nearestClip ?? null,
    sampleRate: r.sample_rate,
    frames: r.frames,
    duration: r.frames / r.sample_rate,
    peaks: r.peaks ? r.peaks.toString('base64') : null,
    starred: r.starred === 1,
    createdAt: r.created_at,
  };
}

/** What the generation job records for a new take (peaks still as the raw signed bytes). */
export type NewTake = Omit<TakeRow, 'duration' | 'peaks' | 'starred' | 'createdAt' | 'nearestClip'> & { peaks: Int8Array | null };

/** Generated takes of a project. */
/** The library clip a take is nearest to (stored in its params as nearestClip). */
export interface NearestClipInfo {
  sampleId: string;
  file: string;
  /** Log-band spectrogram distance, dB (0: identical). */
  distanceDb: number;
  /** Below this the take counts as reproducing the clip (half the library's median nearest-neighbour distance). */
  thresholdDb: number;
  reproduces: boolean;
}

export class TakesRepo {
  constructor(private db: Db) {}

  list(projectId: string): TakeRow[] {
    return (this.db.prepare(`SELECT * FROM takes WHERE project_id = ? ORDER BY created_at DESC, rowid DESC`).all(projectId) as Raw[]).map(toRow);
  }

  get(id: string): TakeRow | undefined {
    const r = this.db.prepare(`SELECT * FROM takes WHERE id = ?`).get(id) as Raw | undefined;
    return r && toRow(r);
  }

  insert(t: NewTake): TakeRow {
    this.db
      .prepare(
        `INSERT INTO takes (id, project_id, checkpoint_id, name, path, label, seed, temperature, params, sample_rate, frames, peaks, starred, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      )
      .run(
        t.id, t.projectId, t.checkpointId, t.name, t.path, t.label, t.seed, t.temperature, JSON.stringify(t.params), t.sampleRate, t.frames,
        t.peaks ? Buffer.from(t.peaks.buffer, t.peaks.byteOffset, t.peaks.byteLength) : null, nowIso(),
      );
    return this.get(t.id)!;
  }

  update(id: string, fields: { name?: string; starred?: boolean }): void {
    if (fields.name !== undefined) this.db.prepare(`UPDATE takes SET name = ? WHERE id = ?`).run(fields.name, id);
    if (fields.starred !== undefined) this.db.prepare(`UPDATE takes SET starred = ? WHERE id = ?`).run(fields.starred ? 1 : 0, id);
  }

  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM takes WHERE id = ?`).run(id).changes > 0;
  }

  /** Whether a take is placed on the project's timeline (then deleting it would break a clip). */
  usedInArrangement(projectId: string, id: string): boolean {
    const row = this.db.prepare(`SELECT state FROM arrangements WHERE project_id = ?`).get(projectId) as { state: string } | undefined;
    if (!row) return false;
    const state = JSON.parse(row.state) as { tracks: { clips: { source: { kind: string; id: string } }[] }[] };
    return state.tracks.some((t) => t.clips.some((c) => c.source.kind === 'take' && c.source.id === id));
  }
}
