import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClip, createTrack, sourceLengthAt } from '../../src-shared/arrange/model';
import { createApp, type App } from '../../src-main/app';
import { decodeWav } from '../../src-main/audio';
import { main } from '../../src-main/cli';
import type { ExportResult } from '../../src-main/export/export-job';
import type { Sample } from '../../src-preload/contract';
import { writeSineWav } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';

const hasSox = existsSync('/usr/bin/sox');

describe('arrangement and export', () => {
  const dir = tempDir();
  const dataDir = join(dir.path, 'data');
  let app: App;
  let projectId: string;
  let samples: Sample[];

  beforeAll(async () => {
    const lib = join(dir.path, 'lib');
    writeSineWav(lib, 'low.wav', { freq: 220, seconds: 1, rate: 16000 });
    writeSineWav(lib, 'high.wav', { freq: 880, seconds: 0.5, rate: 48000, channels: 2 });
    app = createApp({ dataDir, demoLibrary: false });
    const { job, library } = await app.call('libraries.import', { paths: [lib] });
    await app.jobs.waitFor(job.id);
    samples = (await app.call('samples.list', { libraryId: library.id })).rows;
    projectId = (await app.call('projects.create', { name: 'Arranged', libraryIds: [library.id] })).id;
  });
  afterAll(() => {
    app?.close();
    dir.cleanup();
  });

  const sample = (name: string) => samples.find((s) => s.relPath === name)!;
  const clipOf = (id: string, s: Sample, position: number) => createClip(id, { kind: 'sample', id: s.id }, sourceLengthAt(s.frames!, s.sampleRate!, 48000), position);

  it('starts empty at 48 kHz and applies edits, saved as it goes, with undo and redo', async () => {
    const empty = await app.call('arrangement.get', { projectId });
    expect(empty.arrangement).toMatchObject({ sampleRate: 48000, tempo: 120, tracks: [] });
    expect(empty.canUndo).toBe(false);
    let state = await app.call('arrangement.edit', { projectId, edit: { type: 'addTrack', track: createTrack('t1', 'Bass') }, label: 'Add track' });
    state = await app.call('arrangement.edit', { projectId, edit: { type: 'addTrack', track: createTrack('t2', 'Lead/Top', { pan: 0.5 }) } });
    state = await app.call('arrangement.edit', { projectId, edit: { type: 'addClip', trackId: 't1', clip: clipOf('c1', sample('low.wav'), 0) } });
    state = await app.call('arrangement.edit', { projectId, edit: { type: 'addClip', trackId: 't2', clip: clipOf('c2', sample('high.wav'), 24000) }, revision: state.revision });
    expect(state.arrangement.tracks[0].clips[0].length).toBe(48000);
    state = await app.call('arrangement.edit', { projectId, edit: { type: 'splitClip', clipId: 'c1', at: 12000, newClipId: 'c1b' }, label: 'Split clip' });
    expect(state.arrangement.tracks[0].clips).toHaveLength(2);
    expect(state.undoLabel).toBe('Split clip');
    state = await app.call('arrangement.undo', { projectId });
    expect(state.arrangement.tracks[0].clips).toHaveLength(1);
    expect(state.canRedo).toBe(true);
    state = await app.call('arrangement.redo', { projectId });
    expect(state.arrangement.tracks[0].clips).toHaveLength(2);
    state = await app.call('arrangement.undo', { projectId });

    const stale = await app.call('arrangement.edit', { projectId, edit: { type: 'setTempo', tempo: 90 }, revision: 1 }).catch((e) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT', field: 'revision' });
    const ghost = await app.call('arrangement.edit', { projectId, edit: { type: 'addClip', trackId: 't1', clip: createClip('c9', { kind: 'take', id: 'nope' }, 100, 0) } }).catch((e) => e);
    expect(ghost.code).toBe('NOT_FOUND');
    const badTrim = await app.call('arrangement.edit', { projectId, edit: { type: 'trimEnd', clipId: 'c1', end: 10_000_000 } }).catch((e) => e);
    expect(badTrim.code).toBe('VALIDATION');
  });

  it('keeps the arrangement and its undo history across a restart', async () => {
    const before = await app.call('arrangement.get', { projectId });
    app.close();
    app = createApp({ dataDir, demoLibrary: false });
    const after = await app.call('arrangement.get', { projectId });
    expect(after).toEqual(before);
    expect(after.canRedo).toBe(true);
    const redone = await app.call('arrangement.redo', { projectId });
    expect(redone.arrangement.tracks[0].clips).toHaveLength(2);
    await app.call('arrangement.undo', { projectId });
  });

  it('exports stems and a mixdown from the command line, every file the same length, read back by sox', async () => {
    app.close(); // the CLI opens the studio itself
    const out = join(dir.path, 'stems');
    const lines: string[] = [];
    const code = await main(['export', '--project', 'Arranged', '--out', out, '--bits', '16', '--json', '--data-dir', dataDir], { out: (l) => lines.push(l), err: () => undefined });
    app = createApp({ dataDir, demoLibrary: false });
    expect(code).toBe(0);
    const result = JSON.parse(lines[0]) as ExportResult & { state: string };
    expect(result.state).toBe('done');
    expect(readdirSync(out).sort()).toEqual(['01_Bass.wav', '02_Lead_Top.wav', 'mixdown.wav', 'wavehouse-export.json']);
    // the last clip ends at 24000 + 24000 frames
    expect(result.frames).toBe(48000);
    for (const name of ['01_Bass.wav', '02_Lead_Top.wav', 'mixdown.wav']) {
      const bytes = readFileSync(join(out, name));
      const wav = decodeWav(bytes);
      expect(wav).toMatchObject({ sampleRate: 48000, channels: 2, bitDepth: 16, frames: 48000 });
      expect(bytes.readUInt16LE(20)).toBe(1); // plain PCM: 16-bit stereo needs no WAVE_FORMAT_EXTENSIBLE
      expect(bytes.includes(Buffer.from('bext'))).toBe(true);
      if (hasSox) {
        expect(execFileSync('soxi', ['-s', join(out, name)]).toString().trim()).toBe('48000');
        expect(execFileSync('soxi', ['-r', join(out, name)]).toString().trim()).toBe('48000');
        expect(execFileSync('soxi', ['-b', join(out, name)]).toString().trim()).toBe('16');
      }
    }
    const bass = decodeWav(readFileSync(join(out, '01_Bass.wav')));
    const lead = decodeWav(readFileSync(join(out, '02_Lead_Top.wav')));
    const mix = decodeWav(readFileSync(join(out, 'mixdown.wav')));
    // the lead is silent before its clip; the mixdown is the sum of the stems (within dither)
    expect(Math.max(...lead.data[0].subarray(0, 23_000).map(Math.abs))).toBeLessThan(1e-3);
    for (const i of [100, 5000, 30000, 40000]) expect(mix.data[0][i]).toBeCloseTo(bass.data[0][i] + lead.data[0][i], 3);
    // panned right: the lead's right channel is louder than its left
    expect(Math.max(...lead.data[1])).toBeGreaterThan(Math.max(...lead.data[0]));
  });

  it('streams a long export and, cancelled midway, leaves no file behind (not even a temp file)', async () => {
    const long = await app.call('projects.create', { name: 'Long one' });
    const low = sample('low.wav');
    const clips = Array.from({ length: 240 }, (_, i) => clipOf(`l${i}`, low, i * 48_000));
    await app.call('arrangement.edit', { projectId: long.id, edit: { type: 'addTrack', track: createTrack('lt', 'Long', { clips }) } });
    const out = join(dir.path, 'cancelled-export');
    const { job } = await app.call('exports.start', { projectId: long.id, bits: 24, outDir: out });
    await new Promise<void>((resolve) => {
      const off = app.bus.subscribe((name, p) => {
        if (name === 'job.updated' && (p as { id: string }).id === job.id && (p as { progress: number }).progress > 0.05) {
          off();
          resolve();
        }
      });
    });
    app.jobs.cancel(job.id);
    const ended = await app.jobs.waitFor(job.id);
    expect(ended.state).toBe('cancelled');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('exports 24-bit at 44.1 kHz with WAVE_FORMAT_EXTENSIBLE, and refuses an empty arrangement', async () => {
    const { job, outDir } = await app.call('exports.start', { projectId, bits: 24, rate: 44100 });
    const done = await app.jobs.waitFor(job.id);
    expect(done.state).toBe('done');
    const bytes = readFileSync(join(outDir, 'mixdown.wav'));
    expect(bytes.readUInt16LE(20)).toBe(0xfffe);
    expect(decodeWav(bytes)).toMatchObject({ sampleRate: 44100, bitDepth: 24, frames: 44100 });
    const other = await app.call('projects.create', { name: 'Empty' });
    const refused = await app.call('exports.start', { projectId: other.id }).catch((e) => e);
    expect(refused.code).toBe('CONFLICT');
  });
  it('never writes into a library folder or over files it did not export, and replaces a previous export only when asked', async () => {
    const intoLibrary = await app.call('exports.start', { projectId, outDir: join(dir.path, 'lib', 'stems') }).catch((e) => e);
    expect(intoLibrary.code).toBe('VALIDATION');
    expect(intoLibrary.message).toMatch(/inside the sample library/);
    const theirs = join(dir.path, 'their-folder');
    mkdirSync(theirs, { recursive: true });
    writeFileSync(join(theirs, 'mixdown.wav'), 'the user\'s own mixdown');
    const over = await app.call('exports.start', { projectId, outDir: theirs, replace: true }).catch((e) => e);
    expect(over.code).toBe('CONFLICT');
    expect(readFileSync(join(theirs, 'mixdown.wav'), 'utf8')).toBe('the user\'s own mixdown');
    const ours = join(dir.path, 'our-export');
    const first = await app.call('exports.start', { projectId, bits: 16, outDir: ours });
    expect((await app.jobs.waitFor(first.job.id)).state).toBe('done');
    const again = await app.call('exports.start', { projectId, bits: 16, outDir: ours }).catch((e) => e);
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toMatch(/previous Wavehouse export/);
    const replaced = await app.call('exports.start', { projectId, bits: 16, outDir: ours, replace: true });
    expect((await app.jobs.waitFor(replaced.job.id)).state).toBe('done');
  });
  it('refuses a clip claiming more audio than its source holds', async () => {
    const p = await app.call('projects.create', { name: 'Oversized' });
    await app.call('arrangement.edit', { projectId: p.id, edit: { type: 'addTrack', track: createTrack('ot', 'T') } });
    const low = sample('low.wav');
    const huge = { ...clipOf('huge', low, 0), sourceLength: 2 ** 40, length: 2 ** 40 };
    const refused = await app.call('arrangement.edit', { projectId: p.id, edit: { type: 'addClip', trackId: 'ot', clip: huge } }).catch((e) => e);
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toMatch(/sourceLength 1099511627776 is longer than its sample \(48000 frames at 48000 Hz\)/);
    const fits = await app.call('arrangement.edit', { projectId: p.id, edit: { type: 'addClip', trackId: 'ot', clip: clipOf('fits', low, 0) } });
    expect(fits.arrangement.tracks[0].clips).toHaveLength(1);
  });
});
