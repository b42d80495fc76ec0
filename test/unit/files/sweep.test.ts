import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempPathFor } from '../../../src-main/files/atomic';
import { sweepTempFiles, tempFileWriter } from '../../../src-main/files/sweep';
import { tempDir } from '../../helpers/tmp';

/** The pid of a process that has exited (so certainly not writing anything). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('start-up sweep of orphaned temp files', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  it('knows our temp names and nothing else', () => {
    expect(tempFileWriter('.mixdown.wav.1234.0a1b2c3d.partial')).toBe(1234);
    expect(tempFileWriter('.step-00000010.whck.99.deadbeef.tmp')).toBe(99); // checkpoint temps before atomic.ts
    expect(tempFileWriter('.take.wav.0a1b2c3d.partial')).toBeNull(); // atomic writes before the pid was in the name
    expect(tempFileWriter(tempPathFor('/x/a.wav').split('/').pop()!)).toBe(process.pid);
    for (const user of ['mixdown.wav', '.hidden', 'notes.partial', '.notes.partial', '.a.12.xyz.partial', '.a.0a1b2c3d.tmp', 'a.1.0a1b2c3d.partial'])
      expect(tempFileWriter(user), user).toBeUndefined();
  });

  it('removes orphans (writer gone, or pid-less and stale), keeps live writers, user files and links', () => {
    const root = join(dir.path, 'data');
    const deep = join(root, 'projects', 'p1', 'checkpoints', 'r1');
    mkdirSync(deep, { recursive: true });
    const dead = deadPid();
    const files = {
      orphan: join(deep, `.step-00000002.whck.${dead}.0a1b2c3d.partial`),
      orphanTmp: join(deep, `.step-00000002.json.${dead}.0a1b2c3d.tmp`),
      live: join(deep, `.step-00000003.whck.${process.pid}.0a1b2c3d.partial`),
      staleLegacy: join(root, '.take.wav.0a1b2c3d.partial'),
      freshLegacy: join(root, '.take2.wav.0a1b2c3d.partial'),
      user: join(deep, 'step-00000001.whck'),
      userHidden: join(root, '.notes.partial'),
    };
    for (const p of Object.values(files)) writeFileSync(p, 'x');
    const hourAgo = (Date.now() - 2 * 3600_000) / 1000;
    utimesSync(files.staleLegacy, hourAgo, hourAgo);
    // A link with our name: never followed, never removed (it is not a file we wrote).
    const target = join(dir.path, 'precious.wav');
    writeFileSync(target, 'user audio');
    const link = join(root, `.precious.wav.${dead}.0a1b2c3d.partial`);
    symlinkSync(target, link);

    const removed = sweepTempFiles(root, { depth: 6 }).sort();
    expect(removed).toEqual([files.orphan, files.orphanTmp, files.staleLegacy].sort());
    for (const keep of [files.live, files.freshLegacy, files.user, files.userHidden, link, target]) expect(existsSync(keep), keep).toBe(true);
  });

  it('honours the depth limit and a missing folder', () => {
    const root = join(dir.path, 'shallow');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    const dead = deadPid();
    writeFileSync(join(root, 'a', 'b', `.x.wav.${dead}.0a1b2c3d.partial`), 'x');
    writeFileSync(join(root, `.y.wav.${dead}.0a1b2c3d.partial`), 'y');
    expect(sweepTempFiles(root)).toEqual([join(root, `.y.wav.${dead}.0a1b2c3d.partial`)]);
    expect(readdirSync(join(root, 'a', 'b'))).toHaveLength(1);
    expect(sweepTempFiles(join(dir.path, 'nowhere'))).toEqual([]);
  });
});
