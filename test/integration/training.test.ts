import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { main } from '../../src-main/cli';
import { loadCheckpoint } from '../../src-main/model/checkpoint';
import { databasePath } from '../../src-main/paths';
import type { TrainingStatus } from '../../src-preload/contract';
import { startServeProcess } from '../helpers/serve';
import { writeSineWav } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';
import { readFileSync } from 'node:fs';
import { decodeAudio } from '../../src-main/audio';

const TINY = { sampleRate: 8000, residualChannels: 8, dilationChannels: 16, skipChannels: 16, layersPerStack: 5, stacks: 1 };

function until(app: App, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => predicate() && (off(), resolve());
    const off = app.bus.subscribe(() => check());
    check();
  });
}

describe('training runs', () => {
  const dir = tempDir();
  const lib = join(dir.path, 'lib');
  let app: App;
  let libraryId: string;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      writeSineWav(lib, `sine/s${i}.wav`, { freq: 200 + 50 * i, rate: 8000, seconds: 0.5 });
      writeSineWav(lib, `high/h${i}.wav`, { freq: 1200 + 100 * i, rate: 16000, seconds: 0.5 });
    }
    app = createApp({ dataDir: join(dir.path, 'data'), demoLibrary: false });
    const { job, library } = await app.call('libraries.import', { paths: [lib] });
    await app.jobs.waitFor(job.id);
    libraryId = library.id;
  });
  afterAll(() => {
    app?.close();
    dir.cleanup();
  });

  it('trains a conditioned model in a job, streams metrics and writes checkpoints', async () => {
    const project = await app.call('projects.create', { name: 'Tiny', preset: 'custom', libraryIds: [libraryId], config: TINY });
    const metrics: number[] = [];
    app.bus.subscribe((name, p) => name === 'training.metrics' && metrics.push((p as { step: number }).step));
    const started = await app.call('training.start', { projectId: project.id, settings: { steps: 30, windowT: 128, checkpointEvery: 15, validateEvery: 10 } });
    expect(started.run?.state).toBe('running');
    const job = await app.jobs.waitFor(started.jobId!);
    expect(job.state).toBe('done');
    const status = await app.call('training.status', { projectId: project.id });
    expect(status.run).toMatchObject({ state: 'done', step: 30 });
    expect(status.run!.backend).toMatch(/wasm|cpu|node/);
    expect(status.metrics.map((m) => m.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Validation every 10 steps unless the last pass would push its share of the time past 10%;
    // always the first time and at the end.
    const validated = status.metrics.filter((m) => m.validationBits !== null).map((m) => m.step);
    expect(validated[0]).toBe(10);
    expect(validated.at(-1)).toBe(30);
    expect(validated.every((s) => s % 10 === 0)).toBe(true);
    expect(metrics).toContain(30);
    const checkpoints = await app.call('checkpoints.list', { projectId: project.id });
    expect(checkpoints.map((c) => c.step)).toEqual([30, 15]);
    expect(checkpoints[0].labels).toEqual(['high', 'sine']);
    const loaded = await loadCheckpoint(checkpoints[0].path);
    expect(loaded.card.config).toMatchObject({ ...TINY, numLabels: 2 });
    expect(loaded.optimizer?.step).toBe(30);
    expect((await app.call('projects.get', { id: project.id })).config.numLabels).toBe(2);
    // the trained model generates
    const gen = await app.call('generation.start', { projectId: project.id, label: 'sine', seconds: 0.1, seed: 1 });
    expect((await app.jobs.waitFor(gen.job.id)).state).toBe('done');
  });

  it('renders previews per label while training, on a schedule and on request, and serves them as media', async () => {
    const project = await app.call('projects.create', { name: 'Previewed', preset: 'custom', libraryIds: [libraryId], config: TINY });
    // Previews every 0.6 s of training: the first comes once that much has passed.
    const started = await app.call('training.start', { projectId: project.id, settings: { steps: 5000, windowT: 128, checkpointEvery: 1000, validateEvery: 1000, previewEveryMinutes: 0.01 } });
    const withPreviews = () => app.generation.checkpointsOf(project.id).filter((c) => c.previews.length > 0);
    await until(app, () => withPreviews().length >= 1);
    const first = withPreviews()[0];
    expect(first.previews.map((p) => p.label)).toEqual(['high', 'sine']);
    for (const p of first.previews) {
      expect(p.mediaId).toMatch(new RegExp(`^${first.id}_\\d+$`));
      // A real 16-bit WAV of one second at the model rate, found through the media resolver.
      const path = app.media.resolve('preview', p.mediaId)!;
      const bytes = readFileSync(path);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
      const decoded = await decodeAudio(bytes);
      expect(decoded.sampleRate).toBe(8000);
      expect(decoded.data[0].length).toBe(8000);
      expect(p.flatness).toBeGreaterThanOrEqual(0);
      expect(p.matches).toBeNull(); // "sine" and "high" name no note or chord
    }
    expect(app.media.resolve('preview', `${first.id}_9`)).toBeUndefined();
    await app.call('training.stop', { projectId: project.id });
    await app.jobs.waitFor(started.jobId!);
    expect((await app.call('training.preview', { projectId: project.id }).catch((e) => e)).code).toBe('CONFLICT');

    // No schedule: previews come only when asked for.
    const quiet = await app.call('projects.create', { name: 'On request', preset: 'custom', libraryIds: [libraryId], config: TINY });
    const run = await app.call('training.start', { projectId: quiet.id, settings: { steps: 5000, windowT: 128, checkpointEvery: 1000, validateEvery: 1000, previewEveryMinutes: null } });
    await until(app, () => (app.jobs.get(run.jobId!).progress ?? 0) * 5000 >= 3);
    expect(app.generation.checkpointsOf(quiet.id)).toHaveLength(0);
    await app.call('training.preview', { projectId: quiet.id });
    await until(app, () => app.generation.checkpointsOf(quiet.id).some((c) => c.previews.length === 2));
    await app.call('training.stop', { projectId: quiet.id });
    await app.jobs.waitFor(run.jobId!);
  });

  it('pauses with a checkpoint, resumes from that step, and stops', async () => {
    const project = await app.call('projects.create', { name: 'Pausable', preset: 'custom', libraryIds: [libraryId], config: TINY });
    const started = await app.call('training.start', { projectId: project.id, settings: { steps: 5000, windowT: 128, checkpointEvery: 1000, validateEvery: 1000 } });
    await until(app, () => (app.jobs.get(started.jobId!).progress ?? 0) * 5000 >= 5);
    await app.call('training.pause', { projectId: project.id });
    await app.jobs.waitFor(started.jobId!);
    let status: TrainingStatus = await app.call('training.status', { projectId: project.id });
    expect(status.run?.state).toBe('paused');
    const pausedAt = status.run!.step;
    expect(pausedAt).toBeGreaterThanOrEqual(5);
    expect((await app.call('checkpoints.list', { projectId: project.id }))[0].step).toBe(pausedAt);

    status = await app.call('training.resume', { projectId: project.id });
    const resumedJob = status.jobId!;
    await until(app, () => app.training.status(project.id).metrics.length >= pausedAt + 3);
    const steps = app.training.status(project.id).metrics.map((m) => m.step);
    expect(steps.slice(0, pausedAt + 3)).toEqual(Array.from({ length: pausedAt + 3 }, (_, i) => i + 1));
    await app.call('training.stop', { projectId: project.id });
    await app.jobs.waitFor(resumedJob);
    status = await app.call('training.status', { projectId: project.id });
    expect(status.run?.state).toBe('stopped');
    expect((await app.call('training.resume', { projectId: project.id }).catch((e) => e)).code).toBe('CONFLICT');
  });

  it("trains from the command line in the article's form (--dp --epochs --nl --nf --sr)", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const dataDir = join(dir.path, 'cli-data');
    const code = await main(['train', '--dp', lib, '--epochs', '1', '--nl', '5', '--nf', '8', '--sr', '8000', '--json', '--data-dir', dataDir], io);
    expect(code).toBe(0);
    const lines = out.map((l) => JSON.parse(l));
    const metrics = lines.filter((l) => l.event === 'metrics');
    const summary = lines.at(-1);
    // 6 files × 0.5 s at 8 kHz = 24,000 samples; one epoch at 4 × 4096 per step = 2 steps
    expect(summary).toMatchObject({ event: 'train', state: 'done', step: 2, checkpoints: 1 });
    expect(metrics.map((m) => m.step)).toEqual([1, 2]);
    expect(metrics[0]).toMatchObject({ trainLoss: expect.any(Number), samplesPerSecond: expect.any(Number) });
    const check = createApp({ dataDir, demoLibrary: false });
    try {
      const project = check.projects.resolve('lib');
      expect(project.config).toMatchObject({ sampleRate: 8000, residualChannels: 8, dilationChannels: 16, layersPerStack: 5, stacks: 1, numLabels: 2 });
    } finally {
      check.close();
    }
    // --minutes: a time budget instead of a step count; the run ends as done when it is spent.
    const t0 = Date.now();
    expect(await main(['train', '--project', 'lib', '--minutes', '0.05', '--json', '--data-dir', dataDir], io)).toBe(0);
    const timed = JSON.parse(out.at(-1)!);
    expect(timed).toMatchObject({ event: 'train', state: 'done' });
    expect(timed.step).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3000);
    const again = createApp({ dataDir, demoLibrary: false });
    try {
      const run = again.training.status(again.projects.resolve('lib').id).run!;
      expect(run.settings).toMatchObject({ minutes: 0.05 });
    } finally {
      again.close();
    }
    expect(await main(['train', '--project', 'lib', '--minutes', '0', '--data-dir', dataDir], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--minutes must be a positive number/);
    expect(await main(['train', '--dp', lib, '--ks', '3', '--data-dir', dataDir], io)).toBe(2);
    expect(err.join('\n')).toMatch(/kernel size 2/);
  });

  it('survives a killed studio: the run shows interrupted, the database is intact, and resume continues from the last checkpoint', async () => {
    const project = await app.call('projects.create', { name: 'Crashy', preset: 'custom', libraryIds: [libraryId], config: TINY });
    const dataDir = app.dataDir;
    app.close();
    const studio = await startServeProcess(dataDir);
    let checkpointStep = 0;
    try {
      const checkpointed = new Promise<void>((resolve) =>
        studio.client.on('data.changed', async (p) => {
          if (p.entity !== 'checkpoints' || p.projectId !== project.id) return;
          const list = await studio.client.invoke('checkpoints.list', { projectId: project.id });
          if (list.length > 0) {
            checkpointStep = list[0].step;
            resolve();
          }
        }),
      );
      await studio.client.invoke('training.start', { projectId: project.id, settings: { steps: 5000, windowT: 128, checkpointEvery: 4, validateEvery: 1000 } });
      await checkpointed;
      // let it train past the checkpoint, then crash
      await new Promise<void>((resolve) => studio.client.on('training.metrics', (m) => m.step >= checkpointStep + 2 && resolve()));
    } finally {
      await studio.crash();
    }
    await new Promise((r) => setTimeout(r, 500));
    const raw = new Database(databasePath(dataDir), { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    app = createApp({ dataDir, demoLibrary: false });
    const before = await app.call('training.status', { projectId: project.id });
    expect(before.run?.state).toBe('interrupted');
    expect(before.jobId).toBeNull();
    expect(app.jobs.get(before.run!.jobId!).state).toBe('interrupted');
    const lastCheckpoint = (await app.call('checkpoints.list', { projectId: project.id }))[0];
    expect(lastCheckpoint.step).toBeGreaterThanOrEqual(checkpointStep);

    const resumed = await app.call('training.resume', { projectId: project.id });
    // metrics written after the last checkpoint were thrown away with the crash
    expect(resumed.metrics.at(-1)!.step).toBe(lastCheckpoint.step);
    await until(app, () => app.training.status(project.id).metrics.length >= lastCheckpoint.step + 2);
    const steps = app.training.status(project.id).metrics.map((m) => m.step);
    expect(steps.slice(0, lastCheckpoint.step + 2)).toEqual(Array.from({ length: lastCheckpoint.step + 2 }, (_, i) => i + 1));
    await app.call('training.stop', { projectId: project.id });
    await app.jobs.waitFor(resumed.jobId!);
    expect(app.training.status(project.id).run!.state).toBe('stopped');
    const stopped = await loadCheckpoint((await app.call('checkpoints.list', { projectId: project.id }))[0].path);
    expect(stopped.optimizer!.step).toBe(stopped.card.step);
    expect(stopped.card.step).toBeGreaterThan(lastCheckpoint.step);
  });
});
