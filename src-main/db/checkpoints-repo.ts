import type { Db } from './database';
import { newId, nowIso } from './ids';

export interface CheckpointRow {
  id: string;
  projectId: string;
  runId: string | null;
  step: number;
  /** The model card's path (the weights file sits beside it). */
  path: string;
  trainLoss: number | null;
  validationBits: number | null;
  labels: string[];
  backend: string | null;
  /** Held-out bits/sample per label at this checkpoint (null: no validation yet, or an older run). */
  validationBitsPerLabel: Record<string, number> | null;
  /** Default classifier-free guidance of its takes (null: trained without label dropout). */
  guidance?: number | null;
  /** Previews rendered at this checkpoint (media id `<checkpointId>_<index>`). */
  previews: CheckpointPreview[];
  createdAt: string;
}

/** A preview take of a checkpoint, as listed (its file is served as media kind `preview`). */
export interface CheckpointPreview {
  mediaId: string;
  label: string | null;
  matches: boolean | null;
  flatness: number;
}

/** A preview as stored in the card column. */
export interface StoredPreview {
  label: string | null;
  path: string;
  matches: boolean | null;
  flatness: number;
}

interface Raw {
  id: string;
  project_id: string;
  run_id: string | null;
  step: number;
  path: string;
  train_loss: number | null;
  validation_bits: number | null;
  card: string;
  created_at: string;
}

function toRow(r: Raw): CheckpointRow {
  const card = JSON.parse(r.card) as { labels?: string[]; backend?: string; validationBitsPerLabel?: Record<string, number> | null; guidance?: number; previews?: StoredPreview[] };
  return {
    id: r.id,
    projectId: r.project_id,
    runId: r.run_id,
    step: r.step,
    path: r.path,
    trainLoss: r.train_loss,
    validationBits: r.validation_bits,
    labels: card.labels ?? [],
    backend: card.backend ?? null,
    validationBitsPerLabel: card.validationBitsPerLabel ?? null,
    guidance: card.guidance ?? null,
    previews: (card.previews ?? []).map((p, i) => ({ mediaId: `${r.id}_${i}`, label: p.label, matches: p.matches, flatness: p.flatness })),
    createdAt: r.created_at,
  };
}

/** Saved weights of a project at a training step. */
export class CheckpointsRepo {
  constructor(private db: Db) {}

  list(projectId: string): CheckpointRow[] {
    return (this.db.prepare(`SELECT * FROM checkpoints WHERE project_id = ? ORDER BY step DESC, created_at DESC`).all(projectId) as Raw[]).map(toRow);
  }

  get(id: string): CheckpointRow | undefined {
    const r = this.db.prepare(`SELECT * FROM checkpoints WHERE id = ?`).get(id) as Raw | undefined;
    return r && toRow(r);
  }

  /** The file of preview `index` of a checkpoint, if it has one. */
  previewPath(id: string, index: number): string | undefined {
    const r = this.db.prepare(`SELECT card FROM checkpoints WHERE id = ?`).get(id) as { card: string } | undefined;
    if (!r) return undefined;
    return (JSON.parse(r.card) as { previews?: StoredPreview[] }).previews?.[index]?.path;
  }

  latest(projectId: string): CheckpointRow | undefined {
    const r = this.db.prepare(`SELECT * FROM checkpoints WHERE project_id = ? ORDER BY step DESC, created_at DESC LIMIT 1`).get(projectId) as Raw | undefined;
    return r && toRow(r);
  }

  insert(c: { projectId: string; runId: string | null; step: number; path: string; trainLoss: number | null; validationBits: number | null; card: unknown }): CheckpointRow {
    const id = newId();
    this.db
      .prepare(`INSERT INTO checkpoints (id, project_id, run_id, step, path, train_loss, validation_bits, card, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, c.projectId, c.runId, c.step, c.path, c.trainLoss, c.validationBits, JSON.stringify(c.card), nowIso());
    return this.get(id)!;
  }
}
