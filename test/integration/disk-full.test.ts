/**
 * Faults leave nothing behind: a full disk while saving a checkpoint or exporting (an injected
 * ENOSPC at the real FileHandle, and a real size-limited tmpfs where root can mount one), and the
 * start-up sweep of temp files that a killed writer left in the data dir and in export folders.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClip, createTrack, sourceLengthAt } from '../../src-shared/arrange/model';
import { createApp, type App } from '../../src-main/app';
import { run as runExport, type ExportParams } from '../../src-main/export/export-job';
import type { JobContext } from '../../src-main/jobs/context';
import { loadCheckpoint, saveCheckpoint } from '../../src-main/model/checkpoint';
import type { WaveNetConfig } from '../../src-shared/model/config';
import { randomWeights } from '../../src-shared/model/weights';
import { writeSineWav } from '../helpers/audio-files';
import { failFileHandle, mountTmpfs } from '../helpers/faults';
import { tempDir } from '../helpers/tmp';

const config: WaveNetConfig = { sampleRate: 16000, residualChannels: 16, dilationChannels: 32, skipChannels: 32, layersPerStack: 6, stacks: 1, quantization: 256, numLabels: 0 };
const leftovers = (d: string) => readdirSync(d).filter((f) => f.startsWith('.'));

describe('a full disk while saving a checkpoint', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);
  const save = (d: string, step: number) => saveCheckpoint(d, { weights: randomWeights(config, step), labels: [], step });

  it('injected ENOSPC on the card: a clear error, no temp file, no half checkpoint, the previous one loads', async () => {
    const d = join(dir.path, 'injected');
    await save(d, 1);
    // The bin's temp is written, the card's fails: neither may reach its final name.
    const fault = await failFileHandle('writeFile', 'ENOSPC', { after: 1 });
    const err = await save(d, 2).catch((e) => e);
    fault.restore();
    expect(err).toMatchObject({ code: 'ENOSPC' });
    expect(err.message).toMatch(/^cannot save checkpoint step-00000002: the disk holding .*injected is full \(ENOSPC: no space left\); no part of it was written and the earlier checkpoints are intact$/);
    expect(readdirSync(d).sort()).toEqual(['step-00000001.json', 'step-00000001.whck']);
    expect((await loadCheckpoint(join(d, 'step-00000001.json'))).card.step).toBe(1);
  });

  it('on a real full disk (a tmpfs sized for one and a half checkpoints; root only)', async (ctx) => {
    const probe = join(dir.path, 'probe');
    const first = await save(probe, 1);
    const bytes = statSync(first.binPath).size + statSync(first.cardPath).size;
    const fs = mountTmpfs(Math.ceil((bytes * 1.5) / 4096) * 4096);
    if ('skip' in fs) return ctx.skip(fs.skip);
    try {
      await save(fs.path, 1);
      const err = await save(fs.path, 2).catch((e) => e);
      expect(err).toMatchObject({ code: 'ENOSPC' });
      expect(err.message).toMatch(/disk holding .* is full .*earlier checkpoints are intact/);
      expect(readdirSync(fs.path).sort()).toEqual(['step-00000001.json', 'step-00000001.whck']);
      expect((await loadCheckpoint(join(fs.path, 'step-00000001.whck'))).card.step).toBe(1);
    } finally {
      fs.unmount();
    }
  });
});

describe('a full disk while exporting', () => {
  const dir = tempDir();
  let app: App;
  let projectId: string;
  let restore: (() => void) | undefined;

  beforeAll(async () => {
    const lib = join(dir.path, 'lib');
    writeSineWav(lib, 'tone.wav', { seconds: 2, rate: 48000 });
    app = createApp({ dataDir: join(dir.path, 'data'), demoLibrary: false });
    const { job, library } = await app.call('libraries.import', { paths: [lib] });
    await app.jobs.waitFor(job.id);
    const [s] = (await app.call('samples.list', { libraryId: library.id })).rows;
    projectId = (await app.call('projects.create', { name: 'Full disk', libraryIds: [library.id] })).id;
    await app.call('arrangement.edit', { projectId, edit: { type: 'addTrack', track: createTrack('t1', 'Tone') } });
    await app.call('arrangement.edit', { projectId, edit: { type: 'addClip', trackId: 't1', clip: createClip('c1', { kind: 'sample', id: s.id }, sourceLengthAt(s.frames!, s.sampleRate!, 48000), 0) } });
  });
  afterEach(() => restore?.());
  afterAll(() => {
    app?.close();
    dir.cleanup();
  });

  it('injected ENOSPC mid-stream: a clear error and no stem, mixdown, manifest or temp file left', async () => {
    const outDir = join(dir.path, 'out-injected');
    // The export job's own code in this process, so the injected fault reaches its writes.
    const ctx: JobContext<ExportParams> = { jobId: 'j', params: { projectId, bits: 24, outDir }, dataDir: app.dataDir, db: app.db, signal: new AbortController().signal, progress: () => undefined, emit: () => undefined };
    const fault = await failFileHandle('write', 'ENOSPC', { after: 4 });
    restore = fault.restore;
    const err = await runExport(ctx).catch((e) => e);
    fault.restore();
    expect(fault.calls()).toBeGreaterThan(4);
    expect(err).toMatchObject({ code: 'ENOSPC' });
    expect(err.message).toMatch(/^cannot export the arrangement: the disk holding .*out-injected is full \(ENOSPC: no space left\); the export was abandoned and its partial files removed$/);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('on a real full disk (a 256 KiB tmpfs; root only) the export job fails with that message and leaves the folder empty', async (ctx) => {
    const fs = mountTmpfs(256 * 1024);
    if ('skip' in fs) return ctx.skip(fs.skip);
    try {
      const outDir = join(fs.path, 'export');
      const { job } = await app.call('exports.start', { projectId, bits: 24, outDir });
      const done = await app.jobs.waitFor(job.id);
      expect(done.state).toBe('failed');
      expect(done.error).toMatch(/disk holding .*export is full \(ENOSPC/);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      fs.unmount();
    }
  });
});

describe('start-up sweep', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  it('createApp removes temp files of dead writers in the data dir and in export folders it wrote to, never a user file', () => {
    const dataDir = join(dir.path, 'data');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const outDir = join(dir.path, 'My Exports', 'song');
    // First start makes the database and records an export job into outDir; then leave what a killed
    // training and a killed export would.
    const app0 = createApp({ dataDir, demoLibrary: false });
    app0.db.prepare(`INSERT INTO jobs (id, kind, state, title, params, created_at) VALUES ('e1', 'export', 'running', 'Export', ?, 'then')`).run(JSON.stringify({ projectId: 'p1', bits: 24, outDir }));
    app0.close();
    const ckpts = join(dataDir, 'projects', 'p1', 'checkpoints', 'r1');
    mkdirSync(ckpts, { recursive: true });
    writeFileSync(join(ckpts, 'step-00000001.whck'), 'kept');
    writeFileSync(join(ckpts, `.step-00000002.whck.${dead}.0a1b2c3d.partial`), 'orphan');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `.mixdown.wav.${dead}.0a1b2c3d.partial`), 'orphan');
    writeFileSync(join(outDir, `.01_Bass.wav.${process.pid}.0a1b2c3d.partial`), 'a live writer');
    writeFileSync(join(outDir, 'my notes.txt'), 'user');
    const other = join(dir.path, 'Not ours');
    mkdirSync(other);
    writeFileSync(join(other, `.mixdown.wav.${dead}.0a1b2c3d.partial`), 'not a folder we exported to');

    const app = createApp({ dataDir, demoLibrary: false });
    try {
      expect(app.sweptAtStart.sort()).toEqual([join(ckpts, `.step-00000002.whck.${dead}.0a1b2c3d.partial`), join(outDir, `.mixdown.wav.${dead}.0a1b2c3d.partial`)].sort());
      expect(readdirSync(ckpts)).toEqual(['step-00000001.whck']);
      expect(readdirSync(outDir).sort()).toEqual([`.01_Bass.wav.${process.pid}.0a1b2c3d.partial`, 'my notes.txt']);
      expect(existsSync(join(other, `.mixdown.wav.${dead}.0a1b2c3d.partial`))).toBe(true);
      expect(leftovers(ckpts)).toEqual([]);
    } finally {
      app.close();
    }
  });
});
