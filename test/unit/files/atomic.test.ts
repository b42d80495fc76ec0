import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic, writeFileAtomicSync } from '../../../src-main/files/atomic';
import { tempDir } from '../../helpers/tmp';

describe('atomic writes', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

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
    expect(readFileSync(path, 'utf8')).toBe('original');
    expect(readdirSync(dir.path).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(tempPathFor(path)).toMatch(/\.keep\.txt\.[0-9a-f]{8}\.partial$/);
  });
});
