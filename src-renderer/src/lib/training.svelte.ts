/**
 * One project's training: the latest run, its metric history (kept live from `training.metrics`)
 * and its checkpoints. Built by the project view for the project it shows and disposed with it.
 */
import type { Client } from '../../../src-preload/client';
import type { CommandOutput } from '../../../src-preload/contract';
import type { MetricPoint } from '../views/project/chart';
import type { AdvancedKey, SettingsOverrides } from '../views/project/training-settings';
import { toShownError } from './errors';
import type { Toasts } from './toasts.svelte';

export type TrainingStatus = CommandOutput<'training.status'>;
export type Run = NonNullable<TrainingStatus['run']>;
export type RunState = Run['state'];
export type Checkpoint = CommandOutput<'checkpoints.list'>[number];
export type TrainingAction = 'start' | 'pause' | 'resume' | 'stop';

/** States in which the run's job is alive (or about to end), so Start must wait. */
const LIVE: ReadonlySet<RunState> = new Set(['running', 'pausing', 'stopping']);

export class TrainingStore {
  status = $state<TrainingStatus | null>(null);
  metrics = $state<MetricPoint[]>([]);
  checkpoints = $state<Checkpoint[]>([]);
  /** From the latest metrics event of the live job (the history has no ETA). */
  etaSeconds = $state<number | null>(null);
  samplesPerSecond = $state<number | null>(null);
  /** Share of the run done (steps or minutes, whichever is further), from the latest metrics event. */
  progress = $state<number | null>(null);
  /** A preview was asked for and has not arrived yet. */
  previewRequested = $state(false);
  /** The action in flight, to disable the buttons and say what is happening. */
  busy = $state<TrainingAction | null>(null);
  /** The last refused action, shown in the panel until the next attempt. */
  error = $state<string | null>(null);
  loaded = $state(false);
  /** The Start form's advanced fields (null: the preset default), kept here so they survive tab switches. */
  draft = $state<Record<AdvancedKey, number | null>>({ minutes: null, steps: null, batchSize: null, windowT: null, learningRate: null, checkpointEvery: null, validateEvery: null });
  showAdvanced = $state(false);

  run = $derived(this.status?.run ?? null);
  live = $derived(this.run !== null && LIVE.has(this.run.state));
  canStart = $derived(!this.live && this.status?.jobId == null);
  canResume = $derived(this.run !== null && !this.live && ['paused', 'interrupted', 'failed'].includes(this.run.state) && this.run.step < this.run.settings.steps);
  latestCheckpoint = $derived(this.checkpoints[0] ?? null);

  #off: (() => void)[] = [];
  #statusGeneration = 0;

  constructor(
    private readonly client: Client,
    private readonly toasts: Toasts,
    readonly projectId: string,
  ) {
    this.#off.push(
      client.on('training.metrics', (m) => {
        if (m.projectId !== this.projectId) return;
        this.#addPoint({ step: m.step, trainLoss: m.trainLoss, validationBits: m.validationBits });
        this.etaSeconds = m.etaSeconds;
        this.samplesPerSecond = m.samplesPerSecond;
        this.progress = m.progress ?? null;
        // The run's step moves with each metric; the rest of the status comes from refreshes.
        if (this.status?.run && m.step > this.status.run.step) this.status.run.step = m.step;
      }),
      client.on('job.updated', (job) => {
        // A training job of this project started or ended: the run's state changed with it.
        if (job.kind === 'training' && job.projectId === this.projectId && job.state !== 'running') void this.refreshStatus();
      }),
      client.on('data.changed', ({ entity, projectId }) => {
        if (entity !== 'checkpoints' || projectId !== this.projectId) return;
        void Promise.all([this.refreshStatus(), this.refreshCheckpoints()]).then(() => {
          if (this.checkpoints[0]?.previews.length) this.previewRequested = false;
        });
      }),
    );
  }

  async load(): Promise<void> {
    await Promise.all([this.refreshStatus(), this.refreshCheckpoints()]);
    this.loaded = true;
  }

  async refreshStatus(): Promise<void> {
    const generation = ++this.#statusGeneration;
    try {
      const status = await this.client.invoke('training.status', { projectId: this.projectId });
      if (generation === this.#statusGeneration) this.#applyStatus(status);
    } catch (err) {
      this.toasts.error('Could not load the training status', err);
    }
  }

  async refreshCheckpoints(): Promise<void> {
    try {
      this.checkpoints = await this.client.invoke('checkpoints.list', { projectId: this.projectId });
    } catch (err) {
      this.toasts.error('Could not load checkpoints', err);
    }
  }

  start(settings: SettingsOverrides): Promise<boolean> {
    return this.#act('start', () => this.client.invoke('training.start', { projectId: this.projectId, settings }));
  }

  pause(): Promise<boolean> {
    return this.#act('pause', () => this.client.invoke('training.pause', { projectId: this.projectId }));
  }

  resume(): Promise<boolean> {
    return this.#act('resume', () => this.client.invoke('training.resume', { projectId: this.projectId }));
  }

  /** Asks the running job for previews from its latest weights now. */
  async requestPreview(): Promise<void> {
    this.previewRequested = true;
    try {
      await this.client.invoke('training.preview', { projectId: this.projectId });
    } catch (err) {
      this.previewRequested = false;
      this.toasts.error('Could not ask for previews', err);
    }
  }

  stop(): Promise<boolean> {
    return this.#act('stop', () => this.client.invoke('training.stop', { projectId: this.projectId }));
  }

  async #act(action: TrainingAction, call: () => Promise<TrainingStatus>): Promise<boolean> {
    this.busy = action;
    this.error = null;
    try {
      const status = await call();
      // A newer status than any refresh in flight.
      this.#statusGeneration++;
      if (action === 'start') {
        this.etaSeconds = null;
        this.samplesPerSecond = null;
      }
      this.#applyStatus(status);
      return true;
    } catch (err) {
      this.error = toShownError(err).message;
      return false;
    } finally {
      this.busy = null;
    }
  }

  #applyStatus(status: TrainingStatus): void {
    const sameRun = this.status?.run?.id === status.run?.id;
    this.status = status;
    // Events may have arrived after the history was read: keep points newer than the history.
    const history = status.metrics.map((m) => ({ step: m.step, trainLoss: m.trainLoss, validationBits: m.validationBits }));
    const lastStep = history.at(-1)?.step ?? 0;
    const newer = sameRun ? this.metrics.filter((p) => p.step > lastStep) : [];
    this.metrics = [...history, ...newer];
    if (this.samplesPerSecond === null) this.samplesPerSecond = status.metrics.at(-1)?.samplesPerSecond ?? null;
    if (!status.jobId) {
      this.etaSeconds = null;
      this.previewRequested = false;
    }
  }

  #addPoint(point: MetricPoint): void {
    const last = this.metrics.at(-1);
    if (last && point.step <= last.step) {
      // A resumed run redoes the steps after its last checkpoint: drop the lost ones.
      this.metrics = [...this.metrics.filter((p) => p.step < point.step), point];
    } else {
      this.metrics.push(point);
    }
  }

  dispose(): void {
    this.#off.forEach((off) => off());
  }
}
