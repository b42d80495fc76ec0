import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAudioFile, walkAudioFiles, type WalkEntry } from '../../../src-main/audio/probe';
import { chunk, fmt, pcmData, riff, wav16 } from './wav-builder';

const fixtures = new URL('../../fixtures/audio/', import.meta.url);
const fixture = (name: string) => new URL(name, fixtures);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wh-probe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probeAudioFile', () => {
  it('sniffs content, not the extension (FLAC named .wav, WAV named .mp3)', async () => {
    copyFileSync(fixture('tone-16.flac'), join(dir, 'liar.wav'));
    writeFileSync(join(dir, 'liar.mp3'), wav16([[1], [2]]));
    const a = await probeAudioFile(join(dir, 'liar.wav'));
    expect(a).toEqual({ ok: true, info: { codec: 'flac', format: 'pcm', channels: 2, sampleRate: 44100, bitDepth: 16, frames: 4410, warnings: [] } });
    const b = await probeAudioFile(join(dir, 'liar.mp3'));
    expect(b.ok && b.info.codec).toBe('wav');
  });

  it('decode: true returns the samples and the same info', async () => {
    const p = join(dir, 'ramp.wav');
    writeFileSync(p, wav16([[100, -100], [200, -200]], 22050));
    const r = await probeAudioFile(p, { decode: true });
    if (!r.ok) throw new Error(r.error.reason);
    expect(r.info).toEqual({ codec: 'wav', format: 'pcm', channels: 2, sampleRate: 22050, bitDepth: 16, frames: 2, warnings: [] });
    expect(Array.from(r.audio!.data[1])).toEqual([-100 / 32768, -200 / 32768].map(Math.fround));
    expect((await probeAudioFile(p)).ok && 'audio' in (await probeAudioFile(p))).toBe(false);
  });

  it('headers beyond the first read (fmt after a 600 KB chunk) are found by reading more', async () => {
    const p = join(dir, 'big-list.wav');
    writeFileSync(p, riff([chunk('JUNK', new Uint8Array(600_000)), chunk('data', pcmData([[1], [2], [3]], 3)), fmt({ channels: 1, rate: 48000, bits: 24 })]));
    const r = await probeAudioFile(p);
    expect(r).toEqual({ ok: true, info: { codec: 'wav', format: 'pcm', channels: 1, sampleRate: 48000, bitDepth: 24, frames: 3, warnings: [] } });
  });

  it('a large WAV is probed from its head with the frame count from the real size', async () => {
    const p = join(dir, 'long.wav');
    writeFileSync(p, riff([fmt({ channels: 2, rate: 44100, bits: 16 }), chunk('data', new Uint8Array(4 * 200_000))]));
    const r = await probeAudioFile(p);
    expect(r.ok && r.info.frames).toBe(200_000);
  });

  it('truncated WAV: probe warns, lenient decode flags, strict decode fails with truncated', async () => {
    const p = join(dir, 'cut.wav');
    const full = wav16([[1], [2], [3], [4]]);
    writeFileSync(p, full.subarray(0, full.length - 4));
    const r = await probeAudioFile(p);
    expect(r.ok && r.info.warnings[0].code).toBe('truncated');
    expect(r.ok && r.info.warnings[0].message).toMatch(/declares 8 bytes but only 4/);
    const d = await probeAudioFile(p, { decode: true });
    expect(d.ok && d.audio!.truncated).toBe(true);
    expect(await probeAudioFile(p, { decode: true, strict: true })).toEqual({ ok: false, error: { code: 'truncated', reason: 'the data chunk declares 8 bytes but only 4 are present' } });
  });

  it('missing file, folder, FIFO, empty, not audio, too large: each a specific error, never a throw', async () => {
    const missing = await probeAudioFile(join(dir, 'nope.wav'));
    expect(missing).toEqual({ ok: false, error: { code: 'read-failed', reason: 'the file does not exist (moved or deleted?)' } });
    const folder = await probeAudioFile(dir);
    expect(!folder.ok && folder.error).toEqual({ code: 'read-failed', reason: 'the path is a folder, not a file' });
    writeFileSync(join(dir, 'empty.wav'), '');
    expect(await probeAudioFile(join(dir, 'empty.wav'))).toMatchObject({ ok: false, error: { code: 'empty' } });
    writeFileSync(join(dir, 'readme.wav'), 'not a wave, just words\n');
    expect(await probeAudioFile(join(dir, 'readme.wav'))).toMatchObject({ ok: false, error: { code: 'not-audio', reason: 'this is a text file, not audio' } });
    writeFileSync(join(dir, 'big.wav'), wav16(Array.from({ length: 1000 }, () => [0])));
    expect(await probeAudioFile(join(dir, 'big.wav'), { decode: true, maxBytes: 1000 })).toMatchObject({ ok: false, error: { code: 'too-large' } });
    symlinkSync(join(dir, 'gone.wav'), join(dir, 'dangling.wav'));
    expect(await probeAudioFile(join(dir, 'dangling.wav'))).toMatchObject({ ok: false, error: { code: 'read-failed' } });
  });

  it.runIf(existsSync('/usr/bin/mkfifo'))('a FIFO is refused without blocking', async () => {
    execFileSync('/usr/bin/mkfifo', [join(dir, 'pipe.wav')]);
    expect(await probeAudioFile(join(dir, 'pipe.wav'))).toEqual({ ok: false, error: { code: 'read-failed', reason: 'not a regular file (FIFO, socket or device)' } });
  });

  it.runIf(existsSync('/usr/bin/sox'))('an Ogg longer than the head read gets its length from the last page', async () => {
    const p = join(dir, 'long.ogg');
    execFileSync('/usr/bin/sox', ['-n', '-r', '44100', '-c', '1', p, 'synth', '30', 'whitenoise', 'vol', '0.5']);
    expect(readFileSync(p).length).toBeGreaterThan(256 * 1024);
    const r = await probeAudioFile(p);
    expect(r).toEqual({ ok: true, info: { codec: 'ogg', format: 'lossy', channels: 1, sampleRate: 44100, bitDepth: 0, frames: 30 * 44100, warnings: [] } });
  });
});

describe('walkAudioFiles', () => {
  async function collect(root: string): Promise<WalkEntry[]> {
    const out: WalkEntry[] = [];
    for await (const e of walkAudioFiles(root)) out.push(e);
    return out;
  }

  it('recurses, filters by extension, follows links, reports loops, duplicates and broken links', async () => {
    const root = join(dir, 'lib');
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'a.wav'), wav16([[1]]));
    writeFileSync(join(root, 'B.FLAC'), 'x');
    writeFileSync(join(root, 'notes.txt'), 'x');
    writeFileSync(join(root, '._a.wav'), 'x');
    writeFileSync(join(root, 'sub', 'c.mp3'), 'xyz');
    writeFileSync(join(root, 'sub', 'deeper', 'd.oga'), 'x');
    symlinkSync(root, join(root, 'loop')); // to the root itself
    symlinkSync('..', join(root, 'sub', 'deeper', 'up')); // to an ancestor
    symlinkSync(join(root, 'sub', 'deeper'), join(root, 'sub', 'again')); // same folder twice
    symlinkSync(join(root, 'a.wav'), join(root, 'link.wav')); // same file twice
    symlinkSync(join(root, 'missing.wav'), join(root, 'broken.wav'));
    const entries = await collect(root);
    const files = entries.filter((e) => 'size' in e).map((e) => e.relPath);
    const errors = entries.filter((e) => 'error' in e).map((e) => [e.relPath, 'error' in e && e.error.code]);
    expect(files).toEqual(['B.FLAC', 'a.wav', 'sub/c.mp3', 'sub/again/d.oga']);
    expect(errors).toEqual([
      ['broken.wav', 'broken-link'],
      ['loop', 'symlink-loop'],
      ['sub/deeper', 'duplicate-dir'], // listed in sub/ after 'again', which already reached it
      ['sub/again/up', 'symlink-loop'],
    ]);
    const a = entries.find((e) => e.relPath === 'a.wav');
    expect(a && 'size' in a && a.size).toBe(wav16([[1]]).length);
    expect(a && 'mtimeMs' in a && a.mtimeMs).toBeGreaterThan(0);
  });

  it('never leaves the root: a folder link outside is an error, /proc is refused, an aborted walk stops', async () => {
    const outside = join(dir, 'elsewhere');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.wav'), wav16([[1]]));
    const root = join(dir, 'fenced');
    mkdirSync(join(root, 'in'), { recursive: true });
    writeFileSync(join(root, 'in', 'ok.wav'), wav16([[1]]));
    symlinkSync(outside, join(root, 'out'));
    const entries = await collect(root);
    expect(entries.filter((e) => 'size' in e).map((e) => e.relPath)).toEqual(['in/ok.wav']);
    const out = entries.find((e) => e.relPath === 'out');
    expect(out && 'error' in out && out.error.code).toBe('outside-library');
    expect(out && 'error' in out && out.error.reason).toContain(outside);

    const proc = await collect('/proc/self');
    expect(proc).toHaveLength(1);
    expect(proc[0]).toMatchObject({ relPath: '', error: { code: 'unreadable-dir', reason: expect.stringMatching(/\/proc is a system folder/) } });

    const aborted = new AbortController();
    aborted.abort();
    const none: WalkEntry[] = [];
    for await (const e of walkAudioFiles(root, aborted.signal)) none.push(e);
    expect(none).toEqual([]);
  });

  it('a missing root is an error entry, not a throw', async () => {
    expect(await collect(join(dir, 'no-such-lib'))).toEqual([
      { path: join(dir, 'no-such-lib'), relPath: '', error: { code: 'unreadable-dir', reason: 'the folder does not exist (moved or deleted?)' } },
    ]);
  });

  it.runIf(process.getuid?.() !== 0)('an unreadable folder is reported and skipped', async () => {
    const root = join(dir, 'locked-lib');
    mkdirSync(join(root, 'locked'), { recursive: true });
    writeFileSync(join(root, 'ok.wav'), 'x');
    chmodSync(join(root, 'locked'), 0);
    try {
      const entries = await collect(root);
      expect(entries.map((e) => [e.relPath, 'error' in e ? e.error.code : 'file'])).toEqual([['ok.wav', 'file'], ['locked', 'unreadable-dir']]);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });
});
