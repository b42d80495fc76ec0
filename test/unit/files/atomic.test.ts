import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic, writeFileAtomicSync, writeFilesAtomic } from '../../../src-main/files/atomic';
import { failFileHandle, mountTmpfs } from '../../helpers/faults';
import { tempDir } from '../../helpers/tmp';

describe('atomic writes', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });
  const leftovers = (d: string) => readdirSync(d).filter((f) => f.endsWith('.partial'));

  it('replaces a file whole and leaves no temp file behind', async () => {
    const path = join(dir.path, 'out', 'take.wav');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(path, new Uint8Array([4, 5]));
    expect([...readFileSync(path)]).toEqual([4, 5]);
    writeFileAtomicSync(path, 'text');
    expect(readFileSync(path, 'utf8')).toBe('text');
    expect(readdirSync(join(dir.path, 'out'))).toEqual(['take.wav']);
  });

  it('keeps the old file intact when the write fails', async () => {
    const path = join(dir.path, 'keep.txt');
    writeFileSync(path, 'original');
    // A directory in place of the target makes the final rename fail.
    const bad = join(dir.path, 'a-dir');
    await writeFileAtomic(join(bad, 'x'), 'x');
    await expect(writeFileAtomic(bad, 'clobber')).rejects.toThrow();
    expect(() => writeFileAtomicSync(bad, 'clobber')).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('original');
    expect(leftovers(dir.path)).toEqual([]);
    // The writer's pid is in the name, so the start-up sweep can tell orphans from live writes.
    expect(tempPathFor(path)).toMatch(new RegExp(`\\.keep\\.txt\\.${process.pid}\\.[0-9a-f]{8}\\.partial$`));
  });

  for (const method of ['writeFile', 'sync'] as const) {
    it(`an ENOSPC from ${method} leaves the old file and no temp file`, async () => {
      const d = join(dir.path, `enospc-${method}`);
      const path = join(d, 'state.json');
      await writeFileAtomic(path, 'old');
      restore = (await failFileHandle(method, 'ENOSPC')).restore;
      await expect(writeFileAtomic(path, 'new')).rejects.toMatchObject({ code: 'ENOSPC' });
      restore();
      expect(readFileSync(path, 'utf8')).toBe('old');
      expect(readdirSync(d)).toEqual(['state.json']);
    });
  }

  it('writeFilesAtomic replaces none of the files when the second one cannot be written', async () => {
    const d = join(dir.path, 'pair');
    await writeFilesAtomic([{ path: join(d, 'a.bin'), data: 'a1' }, { path: join(d, 'a.json'), data: 'j1' }]);
    restore = (await failFileHandle('writeFile', 'ENOSPC', { after: 1 })).restore;
    await expect(writeFilesAtomic([{ path: join(d, 'a.bin'), data: 'a2' }, { path: join(d, 'a.json'), data: 'j2' }])).rejects.toMatchObject({ code: 'ENOSPC' });
    restore();
    expect([readFileSync(join(d, 'a.bin'), 'utf8'), readFileSync(join(d, 'a.json'), 'utf8')]).toEqual(['a1', 'j1']);
    expect(readdirSync(d).sort()).toEqual(['a.bin', 'a.json']);
  });

  it('on a real full disk (a 64 KiB tmpfs; root only) both forms fail cleanly, the sync one too although writeSync writes short', async (ctx) => {
    const fs = mountTmpfs(64 * 1024);
    if ('skip' in fs) return ctx.skip(fs.skip);
    try {
      const path = join(fs.path, 'f.bin');
      await writeFileAtomic(path, new Uint8Array(16 * 1024).fill(1));
      await expect(writeFileAtomic(path, new Uint8Array(128 * 1024))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(() => writeFileAtomicSync(path, new Uint8Array(128 * 1024))).toThrow(/ENOSPC/);
      expect(readdirSync(fs.path)).toEqual(['f.bin']);
      expect(readFileSync(path).length).toBe(16 * 1024);
    } finally {
      fs.unmount();
    }
  });
});
