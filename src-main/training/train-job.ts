/**
 * The `training` job (runs in a worker process): trains a project's WaveNet on its libraries with
 * Adam, streams metrics, writes checkpoints atomically every N steps and when stopped, and resumes a
 * run from its last checkpoint with the same step count, optimizer state and sampler position.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeAudio, mixToMono, resample } from '../audio';
import { CheckpointsRepo } from '../db/checkpoints-repo';
import { RunsRepo, type TrainingSettings } from '../db/runs-repo';
import type { JobContext } from '../jobs/context';
import { initBackend } from '../model/backend';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import { receptiveField, type WaveNetConfig } from '../../src-shared/model/config';
import { analyseVoicing, EXCITATION_CHANNELS, labelsNamePitches, type Voicing } from '../../src-shared/pitch/excitation';
import { flattenWeights } from '../../src-shared/model/params';
import { randomWeights } from '../../src-shared/model/weights';
import { projectDir } from '../paths';
import { LocalEngine, type GradientEngine } from './engine';
import { ParallelEngine, setReplicaWorkerUrl } from './parallel';
import { fromOnset, WindowSampler, type ClipRef } from './sampler';
import { Trainer } from './trainer';
import { previewLabels, renderPreviews, type Preview } from './previews';
import { SettingsRepo } from '../db/settings-repo';
import { trainableSamples } from '../db/samples-query';
import { conditionRows, dropLabels, labelTokens, oneHotRows, perLabelParams, tokenConfig } from './label-tokens';
import type { Batch } from './batch';
import { previewRequestKey } from './requests';
import { dirname } from 'node:path';

export interface TrainingParams {
  projectId: string;
  runId: string;
  /** Card path of the checkpoint to continue from (resume); absent for a fresh run. */
  resumeFrom?: string;
}

export interface TrainingResult {
  runId: string;
  step: number;
  reachedTarget: boolean;
  validationBits: number | null;
  checkpointId: string | null;
}

interface SampleSource {
  id: string;
  label: string | null;
  frames: number;
  sample_rate: number;
  path: string;
}

/** The usable samples of the project's libraries. */
function projectSamples(ctx: JobContext, projectId: string): SampleSource[] {
  return trainableSamples(ctx.db, projectId).map((r) => ({ id: r.id, label: r.label, frames: r.frames, sample_rate: r.sampleRate, path: join(r.root, r.relPath) }));
}

/** Labels a fresh model is conditioned on: every distinct label, when there are at least two. */
export function conditioningLabels(samples: { label: string | null }[]): string[] {
  const labels = [...new Set(samples.map((s) => s.label).filter((l): l is string => !!l))].sort();
  return labels.length >= 2 ? labels : [];
}

async function gradientEngine(config: WaveNetConfig, rung: string, backend: string): Promise<GradientEngine> {
  // Native TensorFlow already uses every core; wasm is single-threaded, so one replica per core.
  if (rung === 'node' || rung === 'node-gpu') return new LocalEngine(config, backend);
  const cores = availableParallelism();
  if (cores < 2) return new LocalEngine(config, backend);
  try {
    return await ParallelEngine.create(config, { replicas: cores, backend: rung });
  } catch (err) {
    console.error('data-parallel training unavailable, using one thread:', err);
    return new LocalEngine(config, backend);
  }
}

/** In the built app the replica worker is its own bundle beside this chunk. */
function useBundledReplicaIfPresent(): void {
  const built = new URL('./replica-worker.js', import.meta.url);
  if (built.protocol === 'file:' && existsSync(fileURLToPath(built))) setReplicaWorkerUrl(built);
}

/** "12:30" for seconds of training time. */
function formatMinutes(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A quarter of the windows begin at a clip's first sample with silence before it (see SamplerOptions.onsetShare). */
const ONSET_SHARE = 0.25;

/** Time constant of onset emphasis (see SamplerOptions.onsetEmphasis). */
const ONSET_EMPHASIS_SECONDS = 0.025;

/** Guidance takes of a model trained with label dropout get unless asked otherwise (see TakeRequest.guidance). */
export const DEFAULT_GUIDANCE = 2;

/** Sampling of previews: the generation defaults, so a preview sounds like a take would. */
const PREVIEW_SAMPLING = { temperature: 1 } as const;

/** Runs the training. */
export async function run(ctx: JobContext<TrainingParams>): Promise<TrainingResult> {
  useBundledReplicaIfPresent();
  const { projectId, runId, resumeFrom } = ctx.params;
  const runs = new RunsRepo(ctx.db);
  const checkpoints = new CheckpointsRepo(ctx.db);
  const runRow = runs.get(runId);
  if (!runRow) throw new Error(`training run ${runId} no longer exists`);
  const settings: TrainingSettings = runRow.settings;
  const project = ctx.db.prepare(`SELECT config FROM projects WHERE id = ?`).get(projectId) as { config: string } | undefined;
  if (!project) throw new Error(`project ${projectId} no longer exists`);

  ctx.progress(0, 'Choosing a compute backend…');
  const choice = await initBackend();
  const samples = projectSamples(ctx, projectId);
  if (samples.length === 0) throw new Error("the project's libraries have no usable samples: import some audio and add its library to the project");

  const resumed = resumeFrom ? await loadCheckpoint(resumeFrom) : undefined;
  let labels: string[];
  let config: WaveNetConfig;
  let params: Float32Array;
  if (resumed) {
    labels = resumed.card.labels;
    config = resumed.card.config;
    params = resumed.trainingParams ?? resumed.params;
  } else {
    labels = conditioningLabels(samples);
    // Labels that name notes or chords give the model a pitch excitation (model/excitation.ts).
    const { excitationChannels: _old, ...base } = JSON.parse(project.config) as WaveNetConfig;
    config = { ...base, numLabels: labels.length, ...(labelsNamePitches(labels) ? { excitationChannels: EXCITATION_CHANNELS } : {}) };
    ctx.db.prepare(`UPDATE projects SET config = ? WHERE id = ?`).run(JSON.stringify(config), projectId);
    params = new Float32Array(0);
  }
  // Label tokens (shared pitch classes, octaves) for new runs; a resumed run keeps its layout.
  const tokens = resumed ? (resumed.trainingParams ? labelTokens(labels) : null) : labelTokens(labels);
  const trainConfig = tokens ? tokenConfig(config, tokens) : config;
  if (!resumed) params = flattenWeights(randomWeights(trainConfig, settings.seed));
  const withConditions = (b: Batch): Batch => (tokens ? { ...b, conditions: conditionRows(tokens, b.labels) } : b);
  // Label dropout: a share of training windows see no label (a zero condition row), so the model
  // also learns the unconditional sound and takes can be guided towards their label (ModelCard.guidance).
  const dropout = config.numLabels > 0 ? (settings.labelDropout ?? 0) : 0;
  const trainingBatch = (b: Batch, step: number): Batch => {
    if (dropout === 0) return withConditions(b);
    const P = trainConfig.numLabels;
    const conditions = dropLabels(tokens ? conditionRows(tokens, b.labels) : oneHotRows(b.labels, P), P, dropout, settings.seed, step);
    // A window without its label has no excitation either: "no label" means no notes named.
    if (b.excitation) {
      const per = b.excitation.length / b.B;
      for (let r = 0; r < b.B; r++) if (conditions.subarray(r * P, (r + 1) * P).every((v) => v === 0)) b.excitation.fill(0, r * per, (r + 1) * per);
    }
    return { ...b, conditions };
  };
  const excitationChannels = config.excitationChannels ?? 0;
  /** Voicing measured on each clip (model/excitation.ts), gathered per label for the model card. */
  const voicingById = new Map<string, { label: string; voicing: Voicing }>();
  const labelVoicings = (): Record<string, number[][]> => {
    const out: Record<string, number[][]> = {};
    for (const { label, voicing } of [...voicingById.values()]) (out[label] ??= []).push(voicing.freqs.map((f) => Math.round(f * 100) / 100));
    return out;
  };
  /** Weights in the per-label layout checkpoints and generation use. */
  const perLabel = () => (tokens ? perLabelParams(config, tokens, trainer.params) : trainer.params);
  const rate = config.sampleRate;
  const byId = new Map(samples.map((s) => [s.id, s]));
  const refs: ClipRef[] = samples
    .filter((s) => labels.length === 0 || (s.label !== null && labels.includes(s.label)))
    .map((s) => ({ id: s.id, label: labels.length ? labels.indexOf(s.label!) : 0, frames: Math.round((s.frames * rate) / s.sample_rate) }));
  if (refs.length < 2) throw new Error('training needs at least two usable samples (one is held out for validation)');

  const trainingState = resumed?.card.trainingState as
    | { sampler?: { rng: number }; validationIds?: string[]; holdout?: 'segment'; elapsedSeconds?: number }
    | undefined;
  const sampler = new WindowSampler({
    clips: refs,
    receptiveField: receptiveField(config),
    T: settings.windowT,
    seed: settings.seed,
    validationFraction: settings.validationFraction,
    onsetShare: ONSET_SHARE,
    ...(excitationChannels > 0 ? { excitation: { rate, channels: excitationChannels } } : {}),
    ...(settings.onsetEmphasis ? { onsetEmphasis: { gain: settings.onsetEmphasis, tau: ONSET_EMPHASIS_SECONDS * rate } } : {}),
    // Runs from before segment hold-out kept whole clips out; their resumes keep that scheme.
    validationIds: trainingState?.holdout === 'segment' ? undefined : trainingState?.validationIds,
    loader: async (id) => {
      const s = byId.get(id)!;
      const audio = await decodeAudio(await readFile(s.path));
      const mono = mixToMono(audio.data);
      const atRate = audio.sampleRate === rate ? mono : await resample(mono, audio.sampleRate, rate, 'medium');
      const clip = fromOnset(atRate);
      // A clip evicted from the cache and loaded again keeps the voicing measured the first time.
      const voicing = excitationChannels > 0 && s.label ? (voicingById.get(id)?.voicing ?? analyseVoicing(clip, rate, s.label)) : null;
      if (voicing && s.label) voicingById.set(id, { label: s.label, voicing });
      return { label: refs.find((r) => r.id === id)!.label, audio: clip, voicing };
    },
  });
  if (trainingState?.sampler) sampler.setState(trainingState.sampler);
  const validationIds = sampler.validation.map((c) => c.id);
  const budgetSeconds = settings.minutes ? settings.minutes * 60 : Infinity;
  // Training time of earlier legs of this run (a resume continues the same budget).
  const priorSeconds = trainingState?.elapsedSeconds ?? 0;
  let legStartedAt = performance.now();
  const elapsed = () => priorSeconds + (performance.now() - legStartedAt) / 1000;
  const progressOf = (step: number) => Math.min(1, Math.max(step / settings.steps, elapsed() / budgetSeconds));

  if (ctx.signal.aborted) return { runId, step: resumed?.card.step ?? 0, reachedTarget: false, validationBits: null, checkpointId: null };
  ctx.progress(0, `Starting ${choice.rung} backend…`);
  const engine = await gradientEngine(trainConfig, choice.rung, choice.backend);
  const trainer = new Trainer(
    trainConfig,
    params,
    engine,
    {
      schedule: { peak: settings.learningRate, warmupSteps: settings.warmupSteps, decay: 'cosine', decaySteps: settings.steps, floor: settings.learningRate * 0.05 },
      clipNorm: settings.clipNorm,
      progress: Number.isFinite(budgetSeconds) ? () => elapsed() / budgetSeconds : undefined,
    },
    resumed?.optimizer,
  );
  runs.update(runId, { backend: `${choice.rung}: ${engine.description}`, state: 'running', jobId: ctx.jobId, step: trainer.step, error: null, ended: false });

  let lastLoss: number | null = null;
  let lastValidation: number | null = resumed?.card.metrics.validationBits ?? null;
  let lastCheckpointId: string | null = null;
  /** Held-out bits per label name at the last validation. */
  let lastPerLabel: Record<string, number> | null = null;
  let savedStep = resumed?.card.step ?? -1;
  const settingsRepo = new SettingsRepo(ctx.db);
  let previewRound = 0;
  let previewSeconds = 0;
  let lastPreviewAt = priorSeconds;
  let handledRequest = settingsRepo.get<number>(previewRequestKey(runId)) ?? 0;
  const previewEvery = settings.previewEveryMinutes ? settings.previewEveryMinutes * 60 : Infinity;
  /** Automatic previews every few minutes, never more than ~10% of the time. */
  const previewDue = () => elapsed() - lastPreviewAt >= Math.max(previewEvery, previewSeconds * 9);
  const previewRequested = () => {
    const at = settingsRepo.get<number>(previewRequestKey(runId)) ?? 0;
    if (at <= handledRequest) return false;
    handledRequest = at;
    return true;
  };

  const save = async (withPreviews = false) => {
    if (trainer.step === savedStep && !withPreviews) return;
    const dir = join(projectDir(ctx.dataDir, projectId), 'checkpoints', runId);
    const saved = await saveCheckpoint(dir, {
      weights: perLabel(),
      config,
      ...(tokens ? { trainingParams: trainer.params } : {}),
      optimizer: trainer.optimizerState(),
      labels,
      step: trainer.step,
      ...(dropout > 0 ? { guidance: DEFAULT_GUIDANCE } : {}),
      ...(excitationChannels > 0 ? { excitation: { voicings: labelVoicings() } } : {}),
      metrics: { ...(lastLoss !== null ? { trainLoss: lastLoss } : {}), ...(lastValidation !== null ? { validationBits: lastValidation } : {}) },
      trainingState: { runId, sampler: sampler.state(), validationIds, ...(tokens ? { labelTokens: tokens.tokens } : {}), ...(sampler.scheme === 'segment' ? { holdout: 'segment' } : {}), elapsedSeconds: elapsed() },
    });
    let previews: (Preview & { path: string })[] | undefined;
    if (withPreviews) {
      ctx.progress(progressOf(trainer.step), `step ${trainer.step} · rendering previews…`);
      const t0 = performance.now();
      const previewDir = join(dirname(saved.cardPath), 'previews', String(trainer.step).padStart(8, '0'));
      const rendered = await renderPreviews({ config, params: perLabel(), labels, which: previewLabels(labels, previewRound++, settings.previewLabels), dir: previewDir, voicings: labelVoicings(), ...PREVIEW_SAMPLING, ...(dropout > 0 ? { guidance: DEFAULT_GUIDANCE } : {}), signal: ctx.signal });
      previews = rendered.map((p) => ({ ...p, path: join(previewDir, p.file) }));
      previewSeconds = (performance.now() - t0) / 1000;
      lastPreviewAt = elapsed();
    }
    lastCheckpointId = checkpoints.insert({
      projectId, runId, step: trainer.step, path: saved.cardPath, trainLoss: lastLoss, validationBits: lastValidation,
      card: { ...saved.card, backend: choice.rung, validationBitsPerLabel: lastPerLabel, ...(previews ? { previews } : {}) },
    }).id;
    savedStep = trainer.step;
    runs.update(runId, { step: trainer.step });
    ctx.emit('data.changed', { entity: 'checkpoints', projectId });
  };

  try {
    const validationBatches = (await sampler.validationBatches()).map(withConditions);
    // Validation may take at most this share of the wall time: after a pass of v seconds, the next
    // waits until 9·v seconds of training have passed (and validateEvery steps).
    const VALIDATION_SHARE = 0.1;
    let validationSeconds = 0;
    let lastValidationAt = -Infinity;
    const validate = async () => {
      if (validationBatches.length === 0) return null;
      const t0 = performance.now();
      const evaluation = await trainer.evaluate(validationBatches);
      const bits = evaluation.bits;
      lastPerLabel = Object.fromEntries(Object.entries(evaluation.perLabel).map(([i, b]) => [labels.length ? labels[Number(i)] : '', b]));
      validationSeconds = (performance.now() - t0) / 1000;
      lastValidationAt = elapsed();
      return bits;
    };
    const validationDue = (step: number) =>
      step % settings.validateEvery === 0 && elapsed() - lastValidationAt >= (validationSeconds * (1 - VALIDATION_SHARE)) / VALIDATION_SHARE;
    const finished = (step: number) => step >= settings.steps || elapsed() >= budgetSeconds;
    let rate_ = 0; // smoothed samples/s
    legStartedAt = performance.now();
    const startStep = trainer.step;
    const legStart = elapsed();
    while (!finished(trainer.step) && !ctx.signal.aborted) {
      const batch = trainingBatch(await sampler.nextBatch(settings.batchSize), trainer.step);
      const t0 = performance.now();
      const result = await trainer.trainStep(batch);
      const sps = (settings.batchSize * settings.windowT) / ((performance.now() - t0) / 1000);
      rate_ = rate_ === 0 ? sps : 0.8 * rate_ + 0.2 * sps;
      lastLoss = result.bits;
      let validation: number | null = null;
      if (validationDue(result.step) || finished(result.step)) {
        validation = await validate();
        if (validation !== null) lastValidation = validation;
      }
      // ETA from this leg's whole wall time per step (data, validation and checkpoints included).
      const perStep = (elapsed() - legStart) / (result.step - startStep);
      const eta = Math.max(0, Math.min((settings.steps - result.step) * perStep, budgetSeconds - elapsed()));
      const progress = progressOf(result.step);
      runs.addMetric(runId, { step: result.step, trainLoss: result.bits, validationBits: validation, samplesPerSecond: rate_ });
      ctx.emit('training.metrics', { jobId: ctx.jobId, projectId, step: result.step, trainLoss: result.bits, validationBits: validation, samplesPerSecond: rate_, etaSeconds: eta, progress });
      ctx.progress(
        progress,
        `step ${result.step}${Number.isFinite(budgetSeconds) ? ` · ${formatMinutes(elapsed())} of ${formatMinutes(budgetSeconds)}` : `/${settings.steps}`} · loss ${result.bits.toFixed(3)} bits${lastValidation !== null ? ` · validation ${lastValidation.toFixed(3)}` : ''} · ${Math.round(rate_)} samples/s`,
      );
      if (previewRequested() || previewDue()) await save(true);
      else if (result.step % settings.checkpointEvery === 0) await save();
    }
    // Stopping, pausing or finishing all keep the latest weights.
    await save();
    return { runId, step: trainer.step, reachedTarget: finished(trainer.step), validationBits: lastValidation, checkpointId: lastCheckpointId };
  } finally {
    await engine.dispose();
  }
}
