/**
 * The Instrument view's backend: each project's key/note mapping, and recorded performances, which
 * arrive as float32 chunks (one WebSocket message is at most 1 MiB), are spooled to a temp file in the
 * project's takes folder, and on finish become a take (a 32-bit float WAV written temp-then-rename)
 * placed on the timeline through the arrangement's own edit path, so one undo takes it off again.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArrangementState, InstrumentMapping, MappingEntry } from '../../src-preload/contract';
import { decodeSamples } from '../../src-preload/sample-codec';
import type { Edit } from '../../src-shared/arrange/edits';
import { clipEnd, createClip, createTrack, sourceLengthAt } from '../../src-shared/arrange/model';
import { RECORDING_LIMITS } from '../../src-shared/instrument/keys';
import type { ArrangeService } from '../arrange/service';
import { computePeaks, encodeWav } from '../audio';
import type { CheckpointsRepo } from '../db/checkpoints-repo';
import { newId } from '../db/ids';
import type { InstrumentRepo } from '../db/instrument-repo';
import type { TakeRow, TakesRepo } from '../db/takes-repo';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { tempPathFor, writeFileAtomic } from '../files/atomic';
import { writeFailure } from '../files/fs-errors';
import { projectDir } from '../paths';
import type { ProjectService } from '../projects/service';

/** The track performances land on (created by the first recording's edit). */
export const INSTRUMENT_TRACK_NAME = 'Instrument';

interface OpenRecording {
  id: string;
  projectId: string;
  sampleRate: number;
  checkpointId: string | null;
  /** Raw float32 LE samples so far (a `.partial` temp name, so a crash's leftover is swept at start). */
  tmpPath: string;
  fd: number;
  received: number;
  maxSamples: number;
  lastActivity: number;
}

export interface FinishInput {
  recordingId: string;
  labels: string[];
  notes: number;
  name?: string;
  position?: number;
}

export class InstrumentService {
  #open = new Map<string, OpenRecording>();

  constructor(
    private dataDir: string,
    private repo: InstrumentRepo,
    private projects: ProjectService,
    private checkpoints: CheckpointsRepo,
    private takes: TakesRepo,
    private arrange: ArrangeService,
    private bus: EventBus,
    private now: () => number = Date.now,
  ) {}

  /** The mapping the user set for a project (empty until the first save). */
  getMapping(projectId: string): InstrumentMapping {
    this.projects.get(projectId);
    const stored = this.repo.get(projectId);
    return { projectId, entries: stored?.entries ?? [], updatedAt: stored?.updatedAt ?? null };
  }

  /** Replaces a project's mapping (the contract has already refused duplicates). */
  setMapping(projectId: string, entries: MappingEntry[]): InstrumentMapping {
    this.projects.get(projectId);
    this.repo.set(projectId, entries);
    return this.getMapping(projectId);
  }

  /** Opens an upload for a performance at `sampleRate`. */
  startRecording(projectId: string, sampleRate: number, checkpointId: string | null): { recordingId: string; maxSamples: number; maxChunkSamples: number } {
    this.projects.get(projectId);
    if (checkpointId !== null) {
      const cp = this.checkpoints.get(checkpointId);
      if (!cp || cp.projectId !== projectId) throw new AppError('NOT_FOUND', `checkpoint ${checkpointId} is not one of this project's`, 'checkpointId');
    }
    this.#dropIdle();
    if (this.#open.size >= RECORDING_LIMITS.maxOpen) {
      throw new AppError('CONFLICT', `${this.#open.size} recordings are already open; finish or cancel one first`, 'projectId');
    }
    const id = newId();
    const dir = join(projectDir(this.dataDir, projectId), 'takes');
    mkdirSync(dir, { recursive: true });
    const tmpPath = tempPathFor(join(dir, `${id}.pcm`));
    const fd = openSync(tmpPath, 'wx', 0o600);
    const maxSamples = Math.floor(RECORDING_LIMITS.maxSeconds * sampleRate);
    this.#open.set(id, { id, projectId, sampleRate, checkpointId, tmpPath, fd, received: 0, maxSamples, lastActivity: this.now() });
    return { recordingId: id, maxSamples, maxChunkSamples: RECORDING_LIMITS.maxChunkSamples };
  }

  /** Appends a chunk at `offset`; a chunk already received is ignored (a retried send), a gap is refused. */
  appendRecording(recordingId: string, offset: number, base64: string): { received: number } {
    const rec = this.#get(recordingId);
    let samples: Float32Array;
    try {
      samples = decodeSamples(base64);
    } catch (err) {
      throw new AppError('VALIDATION', `samples are not base64 float32: ${(err as Error).message}`, 'samples');
    }
    if (samples.length === 0) throw new AppError('VALIDATION', 'a chunk holds at least one sample', 'samples');
    if (samples.length > RECORDING_LIMITS.maxChunkSamples) throw new AppError('VALIDATION', `a chunk holds at most ${RECORDING_LIMITS.maxChunkSamples} samples (got ${samples.length})`, 'samples');
    if (offset + samples.length <= rec.received) {
      rec.lastActivity = this.now();
      return { received: rec.received };
    }
    if (offset !== rec.received) throw new AppError('CONFLICT', `the recording has ${rec.received} samples; a chunk at ${offset} would leave a gap or overlap`, 'offset');
    if (rec.received + samples.length > rec.maxSamples) {
      throw new AppError('VALIDATION', `a performance is at most ${RECORDING_LIMITS.maxSeconds} s (${rec.maxSamples} samples at ${rec.sampleRate} Hz)`, 'samples');
    }
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i];
      if (!(Math.abs(v) <= RECORDING_LIMITS.maxAbsSample)) {
        throw new AppError('VALIDATION', `sample ${offset + i} is ${v}: samples must be finite and within ±${RECORDING_LIMITS.maxAbsSample}`, 'samples');
      }
    }
    try {
      writeSync(rec.fd, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    } catch (err) {
      // A half-written chunk would leave the spool out of step with `received`: drop the recording.
      this.#discard(rec);
      throw new AppError('UNAVAILABLE', writeFailure(err, 'record the performance', 'the project folder', 'the recording was dropped').message, 'samples');
    }
    rec.received += samples.length;
    rec.lastActivity = this.now();
    return { received: rec.received };
  }

  /** Drops an open recording and its temp file. */
  cancelRecording(recordingId: string): { cancelled: boolean } {
    const rec = this.#open.get(recordingId);
    if (!rec) return { cancelled: false };
    this.#discard(rec);
    return { cancelled: true };
  }

  /** Saves the recording as a take and places it on the timeline (one undoable edit). */
  async finishRecording(input: FinishInput): Promise<{ take: TakeRow; arrangement: ArrangementState; trackId: string; clipId: string }> {
    const rec = this.#get(input.recordingId);
    const minSamples = Math.ceil(RECORDING_LIMITS.minSeconds * rec.sampleRate);
    if (rec.received < minSamples) {
      throw new AppError('VALIDATION', `the recording has ${rec.received} samples; a take needs at least ${RECORDING_LIMITS.minSeconds} s (${minSamples})`, 'recordingId');
    }
    // Out of the table before the first await: a second finish of the same id finds nothing.
    this.#open.delete(rec.id);
    try {
      closeSync(rec.fd);
      this.projects.get(rec.projectId);
      const raw = readFileSync(rec.tmpPath);
      const audio = new Float32Array(rec.received);
      new Uint8Array(audio.buffer).set(raw.subarray(0, rec.received * 4));
      const id = newId();
      const path = join(projectDir(this.dataDir, rec.projectId), 'takes', `${id}.wav`);
      try {
        await writeFileAtomic(path, encodeWav([audio], rec.sampleRate, { bits: '32f' }));
      } catch (err) {
        throw new AppError('UNAVAILABLE', writeFailure(err, 'save the performance', 'the project folder', 'nothing was saved').message, 'recordingId');
      }
      const labels = [...new Set(input.labels)];
      const seconds = rec.received / rec.sampleRate;
      const count = this.takes.list(rec.projectId).filter((t) => t.params.kind === 'performance').length;
      const take = this.takes.insert({
        id,
        projectId: rec.projectId,
        checkpointId: rec.checkpointId,
        name: input.name ?? `Performance ${count + 1}`,
        path,
        label: labels.length === 1 ? labels[0] : null,
        seed: 0,
        temperature: 1,
        params: {
          kind: 'performance',
          note: `Played live on the Instrument view and recorded from the generator's mixed output: ${input.notes} note${input.notes === 1 ? '' : 's'}, ${seconds.toFixed(2)} s${labels.length ? `, labels ${labels.join(', ')}` : ''}. Not reproducible from a seed: each voice samples its own.`,
          labels,
          notes: input.notes,
          checkpointId: rec.checkpointId,
        },
        sampleRate: rec.sampleRate,
        frames: rec.received,
        peaks: computePeaks(audio),
      });
      this.bus.emit('data.changed', { entity: 'takes', projectId: rec.projectId });
      const placed = this.#place(rec.projectId, take, input.position);
      return { take, ...placed };
    } finally {
      rmSync(rec.tmpPath, { force: true });
    }
  }

  /** Closes every open recording and removes its temp file (studio shutdown). */
  close(): void {
    for (const rec of [...this.#open.values()]) this.#discard(rec);
  }

  #place(projectId: string, take: TakeRow, position: number | undefined): { arrangement: ArrangementState; trackId: string; clipId: string } {
    const { arrangement } = this.arrange.get(projectId);
    const existing = arrangement.tracks.find((t) => t.name === INSTRUMENT_TRACK_NAME);
    const trackId = existing?.id ?? newId();
    const clipId = newId();
    const at = position ?? (existing ? existing.clips.reduce((end, c) => Math.max(end, clipEnd(c)), 0) : 0);
    const clip = createClip(clipId, { kind: 'take', id: take.id }, sourceLengthAt(take.frames, take.sampleRate, arrangement.sampleRate), at);
    const edit: Edit = existing
      ? { type: 'addClip', trackId, clip }
      : { type: 'batch', edits: [{ type: 'addTrack', track: createTrack(trackId, INSTRUMENT_TRACK_NAME, { colour: '#c792ea' }) }, { type: 'addClip', trackId, clip }] };
    return { arrangement: this.arrange.edit(projectId, edit, `Record ${take.name}`), trackId, clipId };
  }

  #get(recordingId: string): OpenRecording {
    this.#dropIdle();
    const rec = this.#open.get(recordingId);
    if (!rec) throw new AppError('NOT_FOUND', `recording ${recordingId} is not open (finished, cancelled, or idle for over ${RECORDING_LIMITS.idleMs / 60_000} minutes)`, 'recordingId');
    return rec;
  }

  #dropIdle(): void {
    const now = this.now();
    for (const rec of [...this.#open.values()]) if (now - rec.lastActivity > RECORDING_LIMITS.idleMs) this.#discard(rec);
  }

  #discard(rec: OpenRecording): void {
    this.#open.delete(rec.id);
    try {
      closeSync(rec.fd);
    } catch {
      /* already closed */
    }
    rmSync(rec.tmpPath, { force: true });
  }
}
