import type { Db } from './database';
import { newId, nowIso } from './ids';

export type RunState = 'running' | 'pausing' | 'stopping' | 'paused' | 'stopped' | 'done' | 'failed' | 'interrupted';

/** What a run trains with; stored on the run so a resume continues with the same settings. */
export interface TrainingSettings {
  /** Total updates to reach (the run ends as done there, or at `minutes`, whichever comes first). */
  steps: number;
  /** Training time budget in minutes (null: steps alone end the run); the learning-rate schedule fits it. */
  minutes?: number | null;
  batchSize: number;
  /** Scored samples per window (the window is receptive field + T). */
  windowT: number;
  learningRate: number;
  warmupSteps: number;
  clipNorm: number;
  checkpointEvery: number;
  validateEvery: number;
  seed: number;
  validationFraction: number;
  /** Share of training windows trained without their label (classifier-free guidance); absent: 0. */
  labelDropout?: number;
  /** Extra loss weight on targets just after a clip's onset (1 + gain·e^(−t/25 ms)); absent: 0. */
  onsetEmphasis?: number;
  /** Render previews from the latest weights this often while training (null: only on request). */
  previewEveryMinutes?: number | null;
  /** Labels to preview (null: all, twelve per round). */
  previewLabels?: string[] | null;
}

export interface RunRow {
  id: string;
  projectId: string;
  jobId: string | null;
  backend: string;
  state: RunState;
  step: number;
  settings: TrainingSettings;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
}

export interface MetricPoint {
  step: number;
  trainLoss: number | null;
  validationBits: number | null;
  samplesPerSecond: number | null;
}

interface Raw {
  id: string;
  project_id: string;
  job_id: string | null;
  backend: string;
  state: RunState;
  step: number;
  settings: string;
  started_at: string;
  ended_at: string | null;
  error: string | null;
}

const toRow = (r: Raw): RunRow => ({
  id: r.id,
  projectId: r.project_id,
  jobId: r.job_id,
  backend: r.backend,
  state: r.state,
  step: r.step,
  settings: JSON.parse(r.settings),
  startedAt: r.started_at,
  endedAt: r.ended_at,
  error: r.error,
});

/** Training runs and their metric history. */
export class RunsRepo {
  constructor(private db: Db) {}

  create(projectId: string, settings: TrainingSettings): RunRow {
    const id = newId();
    this.db
      .prepare(`INSERT INTO runs (id, project_id, backend, state, step, settings, started_at) VALUES (?, ?, 'pending', 'running', 0, ?, ?)`)
      .run(id, projectId, JSON.stringify(settings), nowIso());
    return this.get(id)!;
  }

  get(id: string): RunRow | undefined {
    const r = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as Raw | undefined;
    return r && toRow(r);
  }

  latest(projectId: string): RunRow | undefined {
    const r = this.db.prepare(`SELECT * FROM runs WHERE project_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`).get(projectId) as Raw | undefined;
    return r && toRow(r);
  }

  update(id: string, fields: Partial<Pick<RunRow, 'jobId' | 'backend' | 'state' | 'step' | 'error'>> & { ended?: boolean }): void {
    const row = this.get(id);
    if (!row) return;
    const next = { ...row, ...fields };
    this.db
      .prepare(`UPDATE runs SET job_id = ?, backend = ?, state = ?, step = ?, error = ?, ended_at = ? WHERE id = ?`)
      .run(next.jobId, next.backend, next.state, next.step, next.error, fields.ended ? nowIso() : fields.ended === false ? null : row.endedAt, id);
  }

  addMetric(runId: string, m: MetricPoint): void {
    this.db
      .prepare(
        `INSERT INTO run_metrics (run_id, step, train_loss, validation_bits, samples_per_second, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(run_id, step) DO UPDATE SET train_loss = COALESCE(excluded.train_loss, train_loss),
           validation_bits = COALESCE(excluded.validation_bits, validation_bits), samples_per_second = COALESCE(excluded.samples_per_second, samples_per_second)`,
      )
      .run(runId, m.step, m.trainLoss, m.validationBits, m.samplesPerSecond, nowIso());
  }

  metrics(runId: string): MetricPoint[] {
    return (
      this.db.prepare(`SELECT step, train_loss, validation_bits, samples_per_second FROM run_metrics WHERE run_id = ? ORDER BY step`).all(runId) as {
        step: number;
        train_loss: number | null;
        validation_bits: number | null;
        samples_per_second: number | null;
      }[]
    ).map((r) => ({ step: r.step, trainLoss: r.train_loss, validationBits: r.validation_bits, samplesPerSecond: r.samples_per_second }));
  }

  /** Metrics written after `step` belong to work a crash threw away; a resume rewinds them. */
  truncateMetrics(runId: string, afterStep: number): void {
    this.db.prepare(`DELETE FROM run_metrics WHERE run_id = ? AND step > ?`).run(runId, afterStep);
  }
}
