/**
 * Streaming takes through the real generation job (worker process and threads): the chunks a
 * `stream` job publishes concatenate to the very samples of the WAV it saves, and that WAV is byte
 * for byte the one a non-streamed job writes with the same checkpoint, seed and settings — with
 * pitch excitation (the take's voicing) and classifier-free guidance both on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { decodeWav } from '../../src-main/audio';
import { CheckpointsRepo } from '../../src-main/db/checkpoints-repo';
import { saveCheckpoint } from '../../src-main/model/checkpoint';
import { randomWeights } from '../../src-shared/model/weights';
import { projectDir } from '../../src-main/paths';
import type { EventPayload, Job } from '../../src-preload/contract';
import { decodeSamples } from '../../src-preload/sample-codec';
import { tempDir } from '../helpers/tmp';

const LABELS = ['C major', 'A minor'];

async function seedCheckpoint(app: App, projectId: string): Promise<string> {
  const config = { sampleRate: 16000, residualChannels: 16, dilationChannels: 32, skipChannels: 32, layersPerStack: 6, stacks: 1, quantization: 256, numLabels: 2, excitationChannels: 2 };
  const saved = await saveCheckpoint(join(projectDir(app.dataDir, projectId), 'checkpoints'), {
    weights: randomWeights(config, 21),
    labels: LABELS,
    step: 50,
    guidance: 2,
    excitation: { voicings: { 'C major': [[261.63, 329.63, 392]], 'A minor': [[220, 261.63, 329.63], [440, 523.25, 659.26]] } },
  });
  return new CheckpointsRepo(app.db).insert({ projectId, runId: null, step: 50, path: saved.cardPath, trainLoss: 2.5, validationBits: 3.2, card: saved.card }).id;
}

describe('streamed takes through the generation job', () => {
  const dir = tempDir('wavehouse-stream-');
  let app: App;
  let projectId: string;
  let checkpointId: string;

  beforeAll(async () => {
    app = createApp({ dataDir: dir.path, demoLibrary: false });
    projectId = (await app.call('projects.create', { name: 'Stream' })).id;
    checkpointId = await seedCheckpoint(app, projectId);
  });
  afterAll(() => {
    app.close();
    dir.cleanup();
  });

  it('publishes every take in order before the job ends; the chunks are the saved takes, which equal non-streamed takes', async () => {
    const settings = { projectId, checkpointId, count: 2, seconds: 0.6, label: 'A minor', temperature: 0.95, topK: 64, seed: 4242 };
    const chunks: EventPayload<'generation.chunk'>[] = [];
    let chunksWhenDone = -1;
    let jobId = '';
    const off = app.bus.subscribe((name, payload) => {
      if (name === 'generation.chunk') chunks.push(payload as EventPayload<'generation.chunk'>);
      if (name === 'job.updated' && (payload as Job).id === jobId && (payload as Job).state === 'done') chunksWhenDone = chunks.length;
    });
    const { job } = await app.call('generation.start', { ...settings, stream: true });
    jobId = job.id;
    const done = await app.jobs.waitFor(job.id);
    off();
    expect(done.state).toBe('done');

    const all = chunks.filter((c) => c.jobId === job.id);
    // Every take streams (the page plays them in turn); take 1's chunks are its saved take too.
    expect(new Set(all.map((c) => c.take))).toEqual(new Set([0, 1]));
    const ours = all.filter((c) => c.take === 0);
    const second = new Float32Array(9600);
    let secondSamples = 0;
    for (const c of all.filter((c) => c.take === 1)) {
      second.set(decodeSamples(c.samples), c.start);
      secondSamples += decodeSamples(c.samples).length;
    }
    expect(secondSamples).toBe(9600);
    // A short first chunk, then steady ones, contiguous to the end.
    expect(ours.length).toBeGreaterThan(3);
    expect(ours[0]).toMatchObject({ start: 0, total: 9600, sampleRate: 16000, projectId });
    let at = 0;
    for (const c of ours) {
      expect(c.start).toBe(at);
      at += decodeSamples(c.samples).length;
    }
    expect(at).toBe(9600);
    // Every chunk was published before the job reported done.
    expect(chunksWhenDone).toBe(all.length);
    expect(decodeSamples(ours[0].samples).length).toBe(1024);

    const streamed = new Float32Array(9600);
    for (const c of ours) streamed.set(decodeSamples(c.samples), c.start);
    const result = done.result as { takeIds: string[]; paths: string[] };
    const savedBytes = readFileSync(result.paths[0]);
    const saved = decodeWav(savedBytes).data[0];
    expect(Buffer.from(streamed.buffer).equals(Buffer.from(saved.buffer))).toBe(true);
    expect(Buffer.from(second.buffer).equals(Buffer.from(decodeWav(readFileSync(result.paths[1])).data[0].buffer))).toBe(true);
    // The take really played notes (voicing) and was guided: the path that matters for equality.
    const take = await app.call('takes.list', { projectId }).then((ts) => ts.find((t) => t.id === result.takeIds[0])!);
    expect(take.params).toMatchObject({ guidance: 2, stream: true });
    expect((take.params.notesHz as number[]).length).toBe(3);

    // The same settings without streaming: the same WAV bytes for both takes.
    const { job: plainJob } = await app.call('generation.start', settings);
    const plain = (await app.jobs.waitFor(plainJob.id)).result as { paths: string[] };
    expect(readFileSync(plain.paths[0]).equals(savedBytes)).toBe(true);
    expect(readFileSync(plain.paths[1]).equals(readFileSync(result.paths[1]))).toBe(true);
    // And it published no chunks.
    expect(chunks.filter((c) => c.jobId === plainJob.id)).toHaveLength(0);
  });
});
