import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClip, createTrack } from '../../src-shared/arrange/model';
import { createApp } from '../../src-main/app';
import { main } from '../../src-main/cli';
import { trainableSamples } from '../../src-main/db/samples-query';
import { databasePath } from '../../src-main/paths';
import { damagedWavs } from '../helpers/damaged-wavs';
import { tempDir } from '../helpers/tmp';

/** Runs the real CLI and returns its one JSON line. */
async function importJson(args: string[]): Promise<Record<string, any>> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['import', ...args, '--json'], { out: (l) => out.push(l), err: (l) => err.push(l) });
  expect(code, err.join('\n')).toBe(0);
  expect(out).toHaveLength(1);
  return JSON.parse(out[0]);
}

describe('import warnings end to end (a folder of damaged WAVs, the CLI, SQLite, the contract)', () => {
  const dir = tempDir();
  const root = join(dir.path, 'Damaged');
  const dataDir = join(dir.path, 'data');
  const files = damagedWavs();
  let summary: Record<string, any>;

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    for (const f of files) writeFileSync(join(root, f.name), f.bytes);
    summary = await importJson([root, '--library', 'Damaged', '--data-dir', dataDir]);
  });
  afterAll(() => dir.cleanup());

  it('the --json summary lists every warning as {file, code, reason} beside failures', () => {
    const expected = files.filter((f) => !f.fails).flatMap((f) => f.warnings.map((code) => ({ file: f.name, code, reason: expect.any(String) })));
    expect([...summary.warnings].sort((a, b) => (a.file + a.code < b.file + b.code ? -1 : 1))).toEqual(
      expected.sort((a, b) => (a.file + a.code < b.file + b.code ? -1 : 1)),
    );
    const failing = files.filter((f) => f.fails);
    expect(summary.failures).toEqual(failing.map((f) => ({ file: f.name, reason: expect.stringMatching(/no sample frames/) })));
    expect(summary).toMatchObject({ state: 'done', imported: files.length - failing.length, failed: failing.length });
  });

  it('the plain (non-JSON) output prints each warning with its code', async () => {
    const out: string[] = [];
    expect(await main(['import', root, '--data-dir', dataDir], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
    // A rescan: only the failed file is analysed again, so its failure is printed and no warnings.
    expect(out.filter((l) => l.includes('warning:'))).toEqual([]);
    const other = join(dir.path, 'plain-data');
    const fresh: string[] = [];
    expect(await main(['import', root, '--data-dir', other], { out: (l) => fresh.push(l), err: () => undefined })).toBe(0);
    expect(fresh).toContain('  warning: silence.wav: the audio is silent (peak −∞ dBFS): there is nothing in it to learn from (silent)');
    expect(fresh.filter((l) => l.startsWith('  warning: ')).length).toBe(files.filter((f) => !f.fails).reduce((n, f) => n + f.warnings.length, 0));
  });

  it('the warnings are stored and served on Sample; the "with warnings" filter and the library count agree', async () => {
    const app = createApp({ dataDir, demoLibrary: false });
    try {
      const [library] = await app.call('libraries.list');
      const warned = files.filter((f) => f.warnings.length && !f.fails);
      expect(library.warnedCount).toBe(warned.length);
      const listed = await app.call('samples.list', { libraryId: library.id, status: 'warnings', limit: 1000 });
      expect(listed.rows.map((r) => r.relPath).sort()).toEqual(warned.map((f) => f.name).sort());
      for (const r of listed.rows) expect(r.warnings.map((w) => w.code)).toEqual(files.find((f) => f.name === r.relPath)!.warnings);
      const clean = (await app.call('samples.list', { libraryId: library.id, search: 'clean' })).rows[0];
      expect(clean.warnings).toEqual([]);
      const zero = (await app.call('samples.list', { libraryId: library.id, search: 'zero-frames' })).rows[0];
      expect(zero).toMatchObject({ errorCode: 'no-frames', frames: null });
    } finally {
      app.close();
    }
  });

  it('a 0-frame file is never trained on nor placed; warned files still train', async () => {
    const app = createApp({ dataDir, demoLibrary: false });
    try {
      const [library] = await app.call('libraries.list');
      const project = await app.call('projects.create', { name: 'Damaged', libraryIds: [library.id] });
      const trained = trainableSamples(app.db, project.id).map((s) => s.relPath).sort();
      expect(trained).toEqual(files.filter((f) => !f.fails).map((f) => f.name).sort());
      const zero = (await app.call('samples.list', { libraryId: library.id, search: 'zero-frames' })).rows[0];
      await app.call('arrangement.edit', { projectId: project.id, edit: { type: 'addTrack', track: createTrack('t1', 'T') } });
      const refused = await app.call('arrangement.edit', { projectId: project.id, edit: { type: 'addClip', trackId: 't1', clip: createClip('c1', { kind: 'sample', id: zero.id }, 1, 0) } }).catch((e) => e);
      expect(refused).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/cannot be played/) });
    } finally {
      app.close();
    }
  });

  it('an older database (schema 5, no warnings column) upgrades in place and a rescan fills in the warnings of unchanged files', async () => {
    // Turn this studio's database back into what schema 5 wrote: no warnings column, no tables of later schemas.
    const db = new Database(databasePath(dataDir));
    db.exec(`ALTER TABLE samples DROP COLUMN warnings; DROP TABLE instrument_mappings; PRAGMA user_version = 5;`);
    db.close();
    const app = createApp({ dataDir, demoLibrary: false });
    try {
      const [library] = await app.call('libraries.list');
      expect(library.warnedCount).toBe(0);
      const before = (await app.call('samples.list', { libraryId: library.id, limit: 1000 })).rows;
      expect(before.every((r) => r.warnings.length === 0)).toBe(true);
    } finally {
      app.close();
    }
    const rescan = await importJson([root, '--data-dir', dataDir]);
    const warnedFiles = new Set(files.filter((f) => f.warnings.length && !f.fails).map((f) => f.name));
    expect(new Set(rescan.warnings.map((w: { file: string }) => w.file).filter((f: string) => warnedFiles.has(f)))).toEqual(warnedFiles);
    expect(rescan.imported).toBe(0);
    // And a second rescan has nothing left to catch up on.
    const again = await importJson([root, '--data-dir', dataDir]);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: files.length - 1, warnings: [] });
  });
});
