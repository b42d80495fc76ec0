import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Job, LiveModel } from '../../src-preload/contract';
import { readCardSync, weightsWindow, type ModelCard } from '../model/checkpoint';
import type { CheckpointRow, CheckpointsRepo } from '../db/checkpoints-repo';
import type { TakeRow, TakesRepo } from '../db/takes-repo';
import { AppError, notFound } from '../errors';
import type { EventBus } from '../events';
import type { JobService } from '../jobs/service';
import type { ProjectService } from '../projects/service';
import type { GenerationParams } from './generation-job';

export type GenerationInput = Omit<GenerationParams, 'checkpointId' | 'seed' | 'outDir'> & { checkpointId?: string; seed?: number };

/** Generation of takes (as jobs) and the takes a project keeps. */
export class GenerationService {
  constructor(
    private projects: ProjectService,
    private checkpoints: CheckpointsRepo,
    private takes: TakesRepo,
    private jobs: JobService,
    private bus: EventBus,
  ) {}

  checkpointsOf(projectId: string): CheckpointRow[] {
    this.projects.get(projectId);
    return this.checkpoints.list(projectId);
  }

  /** A checkpoint's card as the renderer's live generator needs it (contract `checkpoints.live`). */
  liveModel(id: string): LiveModel {
    const checkpoint = this.checkpoints.get(id);
    if (!checkpoint) throw notFound('checkpoint', id);
    let card: ModelCard;
    let window: { offset: number; length: number };
    try {
      card = readCardSync(checkpoint.path);
      window = weightsWindow(join(dirname(checkpoint.path), card.weightsFile));
    } catch (e) {
      throw new AppError('NOT_FOUND', `the files of checkpoint ${id} cannot be read (${(e as Error).message})`, 'id');
    }
    const E = card.config.excitationChannels ?? 0;
    return {
      checkpointId: id,
      config: card.config,
      labels: card.labels,
      guidance: card.guidance ?? null,
      voicings: E > 0 ? (card.excitation?.voicings ?? {}) : null,
      weightsMediaId: id,
      weightsBytes: window.length,
      weightsSha256: card.weightsSha256,
    };
  }

  /** Starts generating `count` takes from a checkpoint (default: the project's latest). */
  start(input: GenerationInput): { job: Job } {
    const project = this.projects.get(input.projectId);
    const checkpoint = input.checkpointId ? this.checkpoints.get(input.checkpointId) : this.checkpoints.latest(project.id);
    if (!checkpoint || checkpoint.projectId !== project.id) {
      throw new AppError('NOT_FOUND', input.checkpointId ? `checkpoint ${input.checkpointId} is not one of this project's` : 'this project has no checkpoint yet: train it first', 'checkpointId');
    }
    if (input.label !== null && checkpoint.labels.length > 0 && !checkpoint.labels.includes(input.label)) {
      throw new AppError('VALIDATION', `the model knows no label "${input.label}" (it knows ${checkpoint.labels.join(', ')})`, 'label');
    }
    const params: GenerationParams = {
      ...input,
      checkpointId: checkpoint.id,
      seed: input.seed ?? Math.floor(Math.random() * 2 ** 31),
    };
    const job = this.jobs.start('generation', `Generate ${input.count} take${input.count === 1 ? '' : 's'} — ${project.name}`, params, project.id);
    return { job };
  }

  list(projectId: string): TakeRow[] {
    this.projects.get(projectId);
    return this.takes.list(projectId);
  }

  get(id: string): TakeRow {
    const take = this.takes.get(id);
    if (!take) throw notFound('take', id);
    return take;
  }

  update(id: string, fields: { name?: string; starred?: boolean }): TakeRow {
    const take = this.get(id);
    this.takes.update(id, fields);
    this.bus.emit('data.changed', { entity: 'takes', projectId: take.projectId });
    return this.get(id);
  }

  /** Deletes a take and its file, unless a clip on the timeline still plays it. */
  async delete(id: string): Promise<boolean> {
    const take = this.get(id);
    if (this.takes.usedInArrangement(take.projectId, id)) throw new AppError('CONFLICT', `"${take.name}" is on the timeline: remove its clips first`, 'id');
    const deleted = this.takes.delete(id);
    await rm(take.path, { force: true });
    this.bus.emit('data.changed', { entity: 'takes', projectId: take.projectId });
    return deleted;
  }
}
