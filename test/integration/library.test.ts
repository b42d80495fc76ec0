import { copyFileSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { main } from '../../src-main/cli';
import type { ImportSummary } from '../../src-main/library/import-job';
import { writeSineWav } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'audio');

/** A sample folder as users have them: nested label folders, other formats, and broken files. */
function buildLibrary(root: string): void {
  writeSineWav(root, 'major/C4_major.wav', { freq: 261.6 });
  writeSineWav(root, 'major/G4_major.wav', { freq: 392 });
  writeSineWav(root, 'minor/A4_minor.wav', { freq: 440, channels: 2, rate: 44100 });
  writeSineWav(root, 'minor/deeper/E4_minor.wav', { freq: 329.6 });
  for (const f of ['tone-16.flac', 'tone-1k.mp3', 'tone-1k.ogg', 'tone-24.aiff']) copyFileSync(join(FIXTURES, f), join(root, 'formats', f.replace('tone', 'fmt')) ) ;
  mkdirSync(join(root, 'broken'), { recursive: true });
  writeFileSync(join(root, 'broken', 'empty.wav'), new Uint8Array(0));
  writeFileSync(join(root, 'broken', 'notes.wav'), 'these are my session notes, not audio\n'.repeat(20));
  writeFileSync(join(root, 'broken', 'image.wav'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  // a RIFF header whose data chunk claims 4 GB
  const liar = Buffer.alloc(44);
  liar.write('RIFF', 0);
  liar.writeUInt32LE(0xfffffff0, 4);
  liar.write('WAVEfmt ', 8);
  liar.writeUInt32LE(16, 16);
  liar.writeUInt16LE(1, 20);
  liar.writeUInt16LE(1, 22);
  liar.writeUInt32LE(16000, 24);
  liar.writeUInt32LE(32000, 28);
  liar.writeUInt16LE(2, 32);
  liar.writeUInt16LE(16, 34);
  liar.write('data', 36);
  liar.writeUInt32LE(0xfffffff0, 40);
  writeFileSync(join(root, 'broken', 'liar.wav'), liar);
  symlinkSync(root, join(root, 'broken', 'loop'));
  writeFileSync(join(root, 'readme.txt'), 'not a sample');
}

describe('sample libraries', () => {
  const dir = tempDir();
  const root = join(dir.path, 'My Samples');
  let app: App;
  let libraryId: string;
  let first: ImportSummary;

  beforeAll(async () => {
    mkdirSync(join(root, 'formats'), { recursive: true });
    buildLibrary(root);
    app = createApp({ dataDir: join(dir.path, 'data'), demoLibrary: false });
    const { job, library } = await app.call('libraries.import', { paths: [root] });
    libraryId = library.id;
    const done = await app.jobs.waitFor(job.id);
    expect(done.state).toBe('done');
    first = done.result as ImportSummary;
  });
  afterAll(() => {
    app.close();
    dir.cleanup();
  });

  it('imports every readable format and records each bad file with its own reason', () => {
    expect(first.imported).toBe(8);
    expect(first.failed).toBe(5);
    const reasons = Object.fromEntries(first.failures.map((f) => [f.file, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['broken/empty.wav', 'broken/image.wav', 'broken/liar.wav', 'broken/loop', 'broken/notes.wav']);
    const rows = app.db.prepare(`SELECT rel_path, error_code FROM samples WHERE error IS NOT NULL ORDER BY rel_path`).all();
    expect(rows).toEqual([
      { rel_path: 'broken/empty.wav', error_code: 'empty' },
      { rel_path: 'broken/image.wav', error_code: 'not-audio' },
      { rel_path: 'broken/liar.wav', error_code: expect.stringMatching(/truncated|bad-chunk|missing-data/) },
      { rel_path: 'broken/loop', error_code: 'symlink-loop' },
      { rel_path: 'broken/notes.wav', error_code: 'not-audio' },
    ]);
    expect(new Set(Object.values(reasons)).size).toBe(5);
  });

  it('records format, rate, channels, frames, peaks, hash and folder labels', async () => {
    const { rows } = await app.call('samples.list', { libraryId, status: 'ok', sort: 'name' });
    const byPath = Object.fromEntries(rows.map((r) => [r.relPath, r]));
    expect(byPath['minor/A4_minor.wav']).toMatchObject({ codec: 'wav', sampleFormat: 'pcm', bitDepth: 16, sampleRate: 44100, channels: 2, frames: 11025, label: 'minor' });
    expect(byPath['minor/deeper/E4_minor.wav'].label).toBe('deeper');
    expect(byPath['formats/fmt-16.flac']).toMatchObject({ codec: 'flac', label: 'formats' });
    expect(byPath['formats/fmt-1k.mp3'].codec).toBe('mp3');
    expect(byPath['formats/fmt-1k.ogg'].codec).toBe('ogg');
    expect(byPath['formats/fmt-24.aiff']).toMatchObject({ codec: 'aiff', bitDepth: 24 });
    const peaks = Buffer.from(byPath['major/C4_major.wav'].peaks!, 'base64');
    expect(peaks.length).toBeGreaterThan(100);
    // a 0.5-amplitude sine peaks near ±64 in signed-byte peaks
    expect(Math.max(...new Int8Array(peaks.buffer, peaks.byteOffset, peaks.length))).toBeGreaterThan(55);
    const hash = app.db.prepare(`SELECT content_hash FROM samples WHERE rel_path = 'major/C4_major.wav'`).get() as { content_hash: string };
    expect(hash.content_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('filters by name, label, duration, rate and status, and sorts', async () => {
    const list = (q: object) => app.call('samples.list', { libraryId, ...q });
    expect((await list({ search: 'G4' })).rows.map((r) => r.relPath)).toEqual(['major/G4_major.wav']);
    expect((await list({ label: 'major' })).total).toBe(2);
    expect((await list({ sampleRate: 16000 })).rows.map((r) => r.relPath)).toEqual(['major/C4_major.wav', 'major/G4_major.wav', 'minor/deeper/E4_minor.wav']);
    const cd = await list({ sampleRate: 44100 });
    expect(cd.rows.map((r) => r.relPath)).toContain('minor/A4_minor.wav');
    expect(cd.rows.every((r) => r.sampleRate === 44100)).toBe(true);
    expect((await list({ minDuration: 0.2, maxDuration: 0.3, status: 'ok' })).rows.every((r) => r.duration! >= 0.2 && r.duration! <= 0.3)).toBe(true);
    expect((await list({ status: 'failed' })).total).toBe(5);
    expect((await list({ search: '100%_' })).total).toBe(0); // LIKE wildcards are literal
    const byDuration = (await list({ status: 'ok', sort: 'duration', direction: 'desc' })).rows.map((r) => r.duration!);
    expect(byDuration).toEqual([...byDuration].sort((a, b) => b - a));
    const page = await list({ status: 'ok', limit: 3, offset: 3 });
    expect(page.total).toBe(8);
    expect(page.rows).toHaveLength(3);
  });

  it('labels by filename pattern (preview first) and by hand in bulk', async () => {
    const preview = await app.call('samples.labelByPattern', { libraryId, pattern: '{root}{octave}_{quality}', preview: true });
    expect(preview).toMatchObject({ matched: 4, updated: 0 });
    const applied = await app.call('samples.labelByPattern', { libraryId, pattern: '{root}{octave}_{quality}', labelFrom: ['root', 'quality'] });
    expect(applied.updated).toBe(4);
    const { rows } = await app.call('samples.list', { libraryId, search: 'E4' });
    expect(rows[0].label).toBe('E minor');
    const bad = await app.call('samples.labelByPattern', { libraryId, pattern: '{oops' }).catch((e) => e);
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'pattern' });
    const ids = (await app.call('samples.list', { libraryId, search: 'fmt' })).rows.map((r) => r.id);
    expect((await app.call('samples.setLabel', { ids, label: 'tones' })).updated).toBe(4);
    expect(await app.call('samples.labels', { libraryId })).toContainEqual({ label: 'tones', count: 4 });
  });

  it('rescans: new, changed and missing files, no duplicates, labels kept', async () => {
    writeSineWav(root, 'major/D4_major.wav', { freq: 293.7 });
    writeSineWav(root, 'major/G4_major.wav', { freq: 392, seconds: 0.5 });
    utimesSync(join(root, 'major/G4_major.wav'), new Date(), new Date(Date.now() + 5000));
    rmSync(join(root, 'minor/A4_minor.wav'));
    const { job, library } = await app.call('libraries.import', { paths: [root] });
    expect(library.id).toBe(libraryId);
    const result = (await app.jobs.waitFor(job.id)).result as ImportSummary;
    expect(result).toMatchObject({ imported: 1, updated: 1, missing: 1, unchanged: 6, failed: 5 });
    expect(app.db.prepare(`SELECT COUNT(*) AS n FROM samples`).get()).toEqual({ n: 14 });
    expect((await app.call('samples.list', { libraryId, status: 'missing' })).rows.map((r) => r.relPath)).toEqual(['minor/A4_minor.wav']);
    const g4 = (await app.call('samples.list', { libraryId, search: 'G4' })).rows[0];
    expect(g4.frames).toBe(8000);
    expect(g4.label).toBe('G major');
    expect((await app.call('libraries.list')).map((l) => l.id)).toEqual([libraryId]);
  });

  it('imports from the command line with one JSON summary on stdout', async () => {
    const other = join(dir.path, 'cli-lib');
    writeSineWav(other, 'a.wav');
    writeFileSync(join(other, 'b.wav'), 'nope');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['import', other, '--library', 'CLI lib', '--json', '--data-dir', join(dir.path, 'cli-data')], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const summary = JSON.parse(out[0]);
    expect(summary).toMatchObject({ event: 'import', state: 'done', library: 'CLI lib', imported: 1, failed: 1, unchanged: 0 });
    expect(summary.failures).toEqual([{ file: 'b.wav', reason: expect.stringMatching(/not|audio|format/i) }]);
    expect(await main(['import', join(dir.path, 'nowhere'), '--data-dir', join(dir.path, 'cli-data')], { out: () => undefined, err: (l) => err.push(l) })).toBe(1);
    expect(err.at(-1)).toMatch(/does not exist/);
  });
  it('refuses a link out of the library at import and never serves it, nor any failed sample', async () => {
    const fenced = join(dir.path, 'Fenced');
    writeSineWav(fenced, 'ok.wav');
    symlinkSync('/etc/passwd', join(fenced, 'notes.wav'));
    const { job, library } = await app.call('libraries.import', { paths: [fenced] });
    const summary = (await app.jobs.waitFor(job.id)).result as ImportSummary;
    expect(summary.imported).toBe(1);
    expect(summary.failures).toEqual([{ file: 'notes.wav', reason: 'a link to /etc/passwd, outside the library folder: not imported' }]);
    const rows = app.db.prepare(`SELECT id, rel_path, error_code FROM samples WHERE library_id = ? ORDER BY rel_path`).all(library.id) as { id: string; rel_path: string; error_code: string | null }[];
    expect(rows.map((r) => [r.rel_path, r.error_code])).toEqual([['notes.wav', 'outside-library'], ['ok.wav', null]]);
    expect(app.media.resolve('sample', rows[0].id)).toBeUndefined();
    expect(app.media.resolve('sample', rows[1].id)).toBe(join(fenced, 'ok.wav'));
    // A failed sample of the first library (not audio) gets no media either.
    const notAudio = app.db.prepare(`SELECT id FROM samples WHERE rel_path = 'broken/notes.wav'`).get() as { id: string };
    expect(app.media.resolve('sample', notAudio.id)).toBeUndefined();
  });
});
