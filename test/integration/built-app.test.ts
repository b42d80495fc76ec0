/**
 * The built main-process bundles (out/main, what Electron loads) run real jobs under plain Node:
 * the job worker, its import/training/generation/export chunks, and the replica and generation
 * worker-thread bundles. `npm test` builds before running this; a stale or broken bundle fails here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClip, createTrack, sourceLengthAt } from '../../src-shared/arrange/model';
import { createApp, type App } from '../../src-main/app';
import { forkLauncher } from '../../src-main/jobs/fork-launcher';
import { packageRoot } from '../../src-main/paths';
import { writeSineWav } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';

const built = join(packageRoot(), 'out', 'main');

describe('the built app', () => {
  const dir = tempDir();
  let app: App;

  beforeAll(() => {
    if (!existsSync(join(built, 'job-worker.js'))) throw new Error('out/main is missing: run `npx electron-vite build` (npm test does) first');
    for (const f of ['replica-worker.js', 'generation-worker.js', 'import-worker.js']) expect(readdirSync(built)).toContain(f);
    app = createApp({ dataDir: join(dir.path, 'data'), demoLibrary: false, launcher: forkLauncher(join(built, 'job-worker.js')) });
  });
  afterAll(() => {
    app?.close();
    dir.cleanup();
  });

  it('imports, trains on both cores, generates and exports through the bundled workers', async () => {
    const lib = join(dir.path, 'lib');
    for (let i = 0; i < 2; i++) {
      writeSineWav(lib, `low/l${i}.wav`, { freq: 220 + 20 * i, rate: 8000, seconds: 0.4 });
      writeSineWav(lib, `high/h${i}.wav`, { freq: 900 + 50 * i, rate: 8000, seconds: 0.4 });
    }
    const imported = await app.call('libraries.import', { paths: [lib] });
    expect((await app.jobs.waitFor(imported.job.id)).state).toBe('done');

    const project = await app.call('projects.create', {
      name: 'Bundled',
      preset: 'custom',
      libraryIds: [imported.library.id],
      config: { sampleRate: 8000, residualChannels: 8, dilationChannels: 16, skipChannels: 16, layersPerStack: 4, stacks: 1 },
    });
    const training = await app.call('training.start', { projectId: project.id, settings: { steps: 3, windowT: 64, checkpointEvery: 3, validateEvery: 3 } });
    const trained = await app.jobs.waitFor(training.jobId!);
    expect(trained.error).toBeNull();
    expect(trained.state).toBe('done');
    const status = await app.call('training.status', { projectId: project.id });
    expect(status.run?.backend).toMatch(/replicas/);

    const generated = await app.call('generation.start', { projectId: project.id, count: 2, seconds: 0.05, label: 'high', seed: 4 });
    expect((await app.jobs.waitFor(generated.job.id)).state).toBe('done');
    const takes = await app.call('takes.list', { projectId: project.id });
    expect(takes).toHaveLength(2);

    const take = takes[0];
    const clip = createClip('c1', { kind: 'take', id: take.id }, sourceLengthAt(take.frames, take.sampleRate, 48000), 0);
    await app.call('arrangement.edit', { projectId: project.id, edit: { type: 'batch', edits: [{ type: 'addTrack', track: createTrack('t1', 'Take') }, { type: 'addClip', trackId: 't1', clip }] } });
    const exported = await app.call('exports.start', { projectId: project.id, bits: '32f' });
    expect((await app.jobs.waitFor(exported.job.id)).state).toBe('done');
    expect(readdirSync(exported.outDir).sort()).toEqual(['01_Take.wav', 'mixdown.wav', 'wavehouse-export.json']);
  });
});
