import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { writeSineWav } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';

describe('projects', () => {
  const dir = tempDir();
  let app: App;
  let libraryIds: string[];

  beforeAll(async () => {
    app = createApp({ dataDir: join(dir.path, 'data'), demoLibrary: false });
    libraryIds = [];
    for (const name of ['a', 'b']) {
      writeSineWav(join(dir.path, name), 'x.wav');
      const { job, library } = await app.call('libraries.import', { paths: [join(dir.path, name)] });
      await app.jobs.waitFor(job.id);
      libraryIds.push(library.id);
    }
  });
  afterAll(() => {
    app.close();
    dir.cleanup();
  });

  it('creates from a preset with overrides, and reports size and receptive field', async () => {
    const p = await app.call('projects.create', { name: 'Custom', preset: 'custom', config: { layersPerStack: 4, stacks: 2, sampleRate: 8000 } });
    expect(p.config).toMatchObject({ layersPerStack: 4, stacks: 2, sampleRate: 8000, residualChannels: 32 });
    expect(p.receptiveFieldMs).toBeCloseTo((31 / 8000) * 1000, 6);
    const bad = await app.call('projects.create', { name: 'Odd', config: { dilationChannels: 33 } }).catch((e) => e);
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'config.dilationChannels' });
  });

  it('changes the libraries a project trains on, refusing unknown ones', async () => {
    const p = await app.call('projects.create', { name: 'Later', libraryIds: [libraryIds[0]] });
    const changed = await app.call('projects.setLibraries', { id: p.id, libraryIds: [libraryIds[1], libraryIds[0], libraryIds[1]] });
    expect(changed.libraryIds).toEqual([libraryIds[1], libraryIds[0]]);
    const unknown = await app.call('projects.setLibraries', { id: p.id, libraryIds: ['nope'] }).catch((e) => e);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', field: 'libraryIds' });
    expect((await app.call('projects.get', { id: p.id })).libraryIds).toEqual([libraryIds[1], libraryIds[0]]);
    expect((await app.call('projects.setLibraries', { id: p.id, libraryIds: [] })).libraryIds).toEqual([]);
  });

  it('renames (names are unique regardless of case) and deletes', async () => {
    const p = await app.call('projects.create', { name: 'Old name' });
    expect((await app.call('projects.rename', { id: p.id, name: 'New name' })).name).toBe('New name');
    expect((await app.call('projects.rename', { id: p.id, name: 'custom' }).catch((e) => e)).code).toBe('CONFLICT');
    expect(await app.call('projects.delete', { id: p.id })).toEqual({ deleted: true });
    expect((await app.call('projects.get', { id: p.id }).catch((e) => e)).code).toBe('NOT_FOUND');
  });
});
