import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp dir removed after the test (keep it with KEEP_TMP=1 for debugging). */
export function tempDir(prefix = 'wavehouse-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => (process.env.KEEP_TMP ? undefined : rmSync(path, { recursive: true, force: true })) };
}
