import type { Job, Project } from '../../src-preload/contract';
import type { Db } from '../db/database';
import type { CheckpointsRepo } from '../db/checkpoints-repo';
import { RunsRepo, type MetricPoint, type RunRow, type TrainingSettings } from '../db/runs-repo';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { JobService } from '../jobs/service';
import type { ProjectService } from '../projects/service';
import { SettingsRepo } from '../db/settings-repo';
import { previewRequestKey } from './requests';
import type { TrainingParams, TrainingResult } from './train-job';

export interface TrainingStatus {
  projectId: string;
  run: RunRow | null;
  /** The job training right now, if any. */
  jobId: string | null;
  metrics: MetricPoint[];
}

/**
 * Defaults per preset. A sketch trains for a time budget (30 minutes on a laptop CPU) rather than a
 * step count, in windows of 4,096 scored samples: with the 2,047-sample receptive field as context,
 * a shorter window spends most of each step on context that is never scored.
 */
export function defaultSettings(project: Project): TrainingSettings {
  const studio = project.preset === 'studio';
  return {
    steps: studio ? 20_000 : 1_000_000,
    minutes: studio ? null : 30,
    batchSize: 4,
    windowT: studio ? 4096 : 4096,
    learningRate: studio ? 1e-3 : 1e-2,
    warmupSteps: 50,
    clipNorm: 1,
    checkpointEvery: studio ? 500 : 100,
    validateEvery: studio ? 250 : 50,
    seed: 1,
    validationFraction: 0.1,
    labelDropout: 0.15,
    previewEveryMinutes: studio ? 15 : 5,
    previewLabels: null,
  };
}

/** How long a paused or stopped training job may take to finish its step and save. */
const TRAINING_CANCEL_GRACE_MS = 120_000;

/** Training runs: start, pause, resume and stop, each run continuing from its checkpoints. */
export class TrainingService {
  private runs: RunsRepo;
  private settingsRepo: SettingsRepo;

  constructor(
    db: Db,
    private projects: ProjectService,
    private checkpoints: CheckpointsRepo,
    private jobs: JobService,
    private bus: EventBus,
  ) {
    this.runs = new RunsRepo(db);
    this.settingsRepo = new SettingsRepo(db);
    // A run whose process died with the studio can be resumed from its last checkpoint.
    db.prepare(`UPDATE runs SET state = 'interrupted' WHERE state IN ('running', 'pausing', 'stopping')`).run();
    bus.subscribe((name, payload) => {
      if (name !== 'job.updated' || (payload as Job).kind !== 'training') return;
      // Guarded: a failing write (disk full) must not throw into whoever published the event.
      try {
        this.onJob(payload as Job);
      } catch (err) {
        console.error('could not record the training run of a job update:', err);
      }
    });
  }

  status(projectId: string): TrainingStatus {
    this.projects.get(projectId);
    const run = this.runs.latest(projectId) ?? null;
    const active = run?.jobId ? this.jobs.get(run.jobId) : undefined;
    return {
      projectId,
      run,
      jobId: active && (active.state === 'running' || active.state === 'queued') ? active.id : null,
      metrics: run ? this.runs.metrics(run.id) : [],
    };
  }

  /** Starts a new run from scratch with the preset's defaults overridden by `overrides`. */
  start(projectId: string, overrides: Partial<TrainingSettings> = {}): TrainingStatus {
    const project = this.projects.get(projectId);
    this.refuseIfActive(projectId);
    if (project.libraryIds.length === 0) throw new AppError('CONFLICT', 'add a sample library to the project before training it', 'projectId');
    const settings = { ...defaultSettings(project), ...overrides };
    const run = this.runs.create(projectId, settings);
    this.launch(project, run.id);
    return this.status(projectId);
  }

  /** Pauses the running run: it finishes its step, writes a checkpoint and waits to be resumed. */
  pause(projectId: string): TrainingStatus {
    return this.halt(projectId, 'pausing');
  }

  /** Asks the running job for previews from its latest weights (it renders them after its current step). */
  requestPreview(projectId: string): { requested: boolean } {
    const status = this.status(projectId);
    if (!status.run || !status.jobId) throw new AppError('CONFLICT', 'no training is running for this project: previews are rendered while it trains', 'projectId');
    this.settingsRepo.set(previewRequestKey(status.run.id), Date.now());
    return { requested: true };
  }

  /** Stops the run for good (its checkpoints stay for generation). */
  stop(projectId: string): TrainingStatus {
    const run = this.runs.latest(projectId);
    if (run && (run.state === 'paused' || run.state === 'interrupted' || run.state === 'failed')) {
      this.runs.update(run.id, { state: 'stopped', ended: true });
      this.bus.emit('data.changed', { entity: 'checkpoints', projectId });
      return this.status(projectId);
    }
    return this.halt(projectId, 'stopping');
  }

  /** Continues the latest paused, interrupted or failed run from its last checkpoint, same step and optimizer state. */
  resume(projectId: string): TrainingStatus {
    const project = this.projects.get(projectId);
    this.refuseIfActive(projectId);
    const run = this.runs.latest(projectId);
    if (!run || !['paused', 'interrupted', 'failed'].includes(run.state)) throw new AppError('CONFLICT', 'there is no paused or interrupted run to resume', 'projectId');
    if (run.step >= run.settings.steps && run.state !== 'failed') throw new AppError('CONFLICT', `the run already reached its ${run.settings.steps} steps: start a new run to train further`, 'projectId');
    const last = this.checkpoints.list(projectId).find((c) => c.runId === run.id);
    // Metrics after the last checkpoint belong to work that was lost; the run redoes those steps.
    this.runs.truncateMetrics(run.id, last?.step ?? 0);
    this.runs.update(run.id, { state: 'running', error: null, ended: false, step: last?.step ?? 0 });
    this.launch(project, run.id, last?.path);
    return this.status(projectId);
  }

  private launch(project: Project, runId: string, resumeFrom?: string): void {
    const params: TrainingParams = { projectId: project.id, runId, resumeFrom };
    const job = this.jobs.start('training', `${resumeFrom ? 'Resume training' : 'Train'} ${project.name}`, params, project.id);
    this.runs.update(runId, { jobId: job.id });
  }

  private halt(projectId: string, state: 'pausing' | 'stopping'): TrainingStatus {
    const status = this.status(projectId);
    if (!status.run || !status.jobId) throw new AppError('CONFLICT', 'no training is running for this project', 'projectId');
    this.runs.update(status.run.id, { state });
    this.jobs.cancel(status.jobId, TRAINING_CANCEL_GRACE_MS);
    return this.status(projectId);
  }

  private refuseIfActive(projectId: string): void {
    if (this.status(projectId).jobId) throw new AppError('CONFLICT', 'this project is already training: pause or stop it first', 'projectId');
  }

  /** Keeps the run's state in step with its job's ending. */
  private onJob(job: Job): void {
    if (job.state === 'queued' || job.state === 'running' || !job.projectId) return;
    const run = this.runs.latest(job.projectId);
    if (!run || run.jobId !== job.id) return;
    const result = job.result as TrainingResult | null;
    const step = result?.step ?? run.step;
    if (job.state === 'done') {
      const state = run.state === 'stopping' ? 'stopped' : result?.reachedTarget ? 'done' : 'paused';
      this.runs.update(run.id, { state, step, ended: state !== 'paused' });
    }
    else if (job.state === 'cancelled') this.runs.update(run.id, { state: run.state === 'stopping' ? 'stopped' : 'paused', step, ended: run.state === 'stopping' });
    else if (job.state === 'failed') this.runs.update(run.id, { state: 'failed', error: job.error, step });
    else this.runs.update(run.id, { state: 'interrupted', step });
    this.bus.emit('data.changed', { entity: 'checkpoints', projectId: job.projectId });
  }
}
