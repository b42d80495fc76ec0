import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { KERNEL_BUILD } from '../../src-shared/generation/kernelModule';
import { decodeWav } from '../../src-main/audio';
import { main } from '../../src-main/cli';
import { CheckpointsRepo } from '../../src-main/db/checkpoints-repo';
import { saveCheckpoint } from '../../src-main/model/checkpoint';
import { randomWeights } from '../../src-shared/model/weights';
import { projectDir } from '../../src-main/paths';
import { tempDir } from '../helpers/tmp';

/** A small conditioned model with random weights saved as the project's checkpoint. */
async function seedCheckpoint(app: App, projectId: string): Promise<string> {
  const config = { sampleRate: 16000, residualChannels: 16, dilationChannels: 32, skipChannels: 32, layersPerStack: 6, stacks: 1, quantization: 256, numLabels: 2 };
  const saved = await saveCheckpoint(join(projectDir(app.dataDir, projectId), 'checkpoints'), {
    weights: randomWeights(config, 7),
    labels: ['sine', 'saw'],
    step: 100,
    metrics: { validationBits: 3.2 },
  });
  return new CheckpointsRepo(app.db).insert({ projectId, runId: null, step: 100, path: saved.cardPath, trainLoss: 2.5, validationBits: 3.2, card: saved.card }).id;
}

describe('generation of takes', () => {
  const dir = tempDir();
  let app: App;
  let projectId: string;
  let checkpointId: string;

  beforeAll(async () => {
    app = createApp({ dataDir: dir.path, demoLibrary: false });
    projectId = (await app.call('projects.create', { name: 'Gen' })).id;
    checkpointId = await seedCheckpoint(app, projectId);
  });
  afterAll(() => {
    app.close();
    dir.cleanup();
  });

  it('generates takes in a job, writes WAVs at the model rate and records every parameter', async () => {
    const { job } = await app.call('generation.start', { projectId, count: 2, seconds: 0.25, label: 'saw', temperature: 0.9, seed: 1234 });
    const done = await app.jobs.waitFor(job.id);
    expect(done.state).toBe('done');
    const takes = await app.call('takes.list', { projectId });
    expect(takes).toHaveLength(2);
    for (const take of takes) {
      expect(take).toMatchObject({ checkpointId, label: 'saw', temperature: 0.9, sampleRate: 16000, frames: 4000 });
      expect(take.params).toMatchObject({ count: 2, seconds: 0.25, checkpointStep: 100, enginePrecision: 'i16', engineKernel: KERNEL_BUILD });
      expect(KERNEL_BUILD).toMatch(/^[0-9a-f]{8}$/);
      const wav = decodeWav(readFileSync(take.path));
      expect(wav).toMatchObject({ sampleRate: 16000, channels: 1, format: 'float', frames: 4000 });
      expect(take.peaks).not.toBeNull();
    }
    expect(takes.map((t) => t.seed).sort()).toEqual([1234, 1235]);
  });

  it('reproduces a take bit for bit from the same seed and settings', async () => {
    const run = async (seed: number) => {
      const { job } = await app.call('generation.start', { projectId, checkpointId, count: 1, seconds: 0.2, label: 'sine', temperature: 1, topK: 40, seed });
      const done = await app.jobs.waitFor(job.id);
      const path = (done.result as { paths: string[] }).paths[0];
      return decodeWav(readFileSync(path)).data[0];
    };
    const a = await run(99);
    const b = await run(99);
    const c = await run(100);
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(Buffer.from(c.buffer).equals(Buffer.from(a.buffer))).toBe(false);
  });

  it('refuses a label the model does not know, and a project without checkpoints', async () => {
    const bad = await app.call('generation.start', { projectId, label: 'trumpet' }).catch((e) => e);
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'label' });
    const other = await app.call('projects.create', { name: 'Untrained' });
    const none = await app.call('generation.start', { projectId: other.id }).catch((e) => e);
    expect(none.code).toBe('NOT_FOUND');
    expect(none.message).toMatch(/train it first/);
  });

  it('stars, renames and deletes takes, but not while the timeline plays one', async () => {
    const [take] = await app.call('takes.list', { projectId });
    expect((await app.call('takes.update', { id: take.id, starred: true, name: 'Keeper' })).starred).toBe(true);
    await app.call('arrangement.edit', { projectId, edit: { type: 'addTrack', track: { id: 't1', name: 'T', colour: '#888888', gainDb: 0, pan: 0, mute: false, solo: false, clips: [] } } });
    const frames = Math.round((take.frames * 48000) / take.sampleRate); // the take's length on the 48 kHz timeline
    const clip = { id: 'c1', source: { kind: 'take' as const, id: take.id }, sourceLength: frames, position: 0, sourceOffset: 0, length: frames, fadeIn: 0, fadeOut: 0, gainDb: 0 };
    await app.call('arrangement.edit', { projectId, edit: { type: 'addClip', trackId: 't1', clip } });
    expect((await app.call('takes.delete', { id: take.id }).catch((e) => e)).code).toBe('CONFLICT');
    await app.call('arrangement.undo', { projectId });
    expect((await app.call('takes.delete', { id: take.id })).deleted).toBe(true);
    expect(existsSync(take.path)).toBe(false);
  });

  it("generates from the command line, in the studio and in the article's --mp/--fs form", async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => undefined };
    expect(await main(['generate', '--project', 'Gen', '--count', '1', '--seconds', '0.1', '--label', 'sine', '--seed', '3', '--json', '--data-dir', dir.path], io)).toBe(0);
    const studio = JSON.parse(lines.pop()!);
    expect(studio).toMatchObject({ event: 'generate', state: 'done' });
    expect(decodeWav(readFileSync(studio.paths[0])).frames).toBe(1600);

    const out = join(dir.path, 'article-out');
    const cardDir = join(projectDir(dir.path, projectId), 'checkpoints');
    expect(await main(['generate', '--mp', cardDir, '--fs', out, '--seconds', '0.1', '--count', '2', '--label', 'saw', '--seed', '8', '--json'], io)).toBe(0);
    const article = JSON.parse(lines.pop()!);
    expect(article.paths.map((p: string) => p.replace(out + '/', ''))).toEqual(['take-8-saw.wav', 'take-9-saw.wav']);
    expect(await main(['generate', '--mp', join(dir.path, 'nope'), '--fs', out], { out: () => undefined, err: (l) => lines.push(l) })).toBe(1);
    expect(lines.pop()).toMatch(/no checkpoint at/);
    expect(await main(['generate', '--project', 'Gen', '--temperature', 'hot'], { out: () => undefined, err: (l) => lines.push(l) })).toBe(2);
  });

  it('cancels a batch within a second and keeps no half-written take', async () => {
    const before = (await app.call('takes.list', { projectId })).length;
    const { job } = await app.call('generation.start', { projectId, count: 4, seconds: 60, seed: 5 });
    await new Promise<void>((resolve) => {
      const off = app.bus.subscribe((name, p) => name === 'job.updated' && (p as { id: string; progress: number }).id === job.id && (p as { progress: number }).progress > 0.01 && (off(), resolve()));
    });
    const t0 = Date.now();
    app.jobs.cancel(job.id);
    const ended = await app.jobs.waitFor(job.id);
    expect(ended.state).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect((await app.call('takes.list', { projectId })).length).toBe(before);
  });
});
