/**
 * Temp-then-rename writes. Every file Wavehouse writes goes first to a temp file in the same folder
 * (so the rename is atomic), named `.<final name>.<pid>.<8 hex>.partial`: the pid lets the start-up
 * sweep (sweep.ts) tell an orphan, whose writer is gone, from a file a live process is still writing.
 * On every error path the temp file is removed before the error is passed on.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temp name a file is written under before it is renamed into place (same folder, so rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
}

const discard = (tmp: string): Promise<void> => rm(tmp, { force: true }).catch(() => undefined);

/** Writes `data` to a fresh temp file beside `path` and flushes it to disk; returns the temp path. Leaves nothing behind when it fails. */
export async function writeTemp(path: string, data: Uint8Array | string): Promise<string> {
  const tmp = tempPathFor(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    // Closing can be where a network file system reports a failed write, so it is inside the try.
    const closing = handle;
    handle = undefined;
    await closing.close();
    return tmp;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await discard(tmp);
    throw err;
  }
}

/** Renames temp files into place in order; if one rename fails, the temps not yet renamed are removed. */
export async function commitTemps(temps: { tmp: string; path: string }[]): Promise<void> {
  for (let i = 0; i < temps.length; i++) {
    try {
      await rename(temps[i].tmp, temps[i].path);
    } catch (err) {
      for (const t of temps.slice(i)) await discard(t.tmp);
      throw err;
    }
  }
}

/**
 * Writes `data` to a temp file beside `path`, flushes it to disk, then renames it over `path`:
 * readers see the old file or the new one, never half of one, even if the process dies mid-write.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await commitTemps([{ tmp: await writeTemp(path, data), path }]);
}

/**
 * Writes several files so that a failure while writing (a full disk) replaces none of them: every
 * temp file is written first, then all are renamed in the order given.
 */
export async function writeFilesAtomic(files: { path: string; data: Uint8Array | string }[]): Promise<void> {
  const temps: { tmp: string; path: string }[] = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      temps.push({ tmp: await writeTemp(f.path, f.data), path: f.path });
    }
  } catch (err) {
    for (const t of temps) await discard(t.tmp);
    throw err;
  }
  await commitTemps(temps);
}

/** Synchronous writeFileAtomic, for shutdown paths. */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    // writeSync may write less than asked (a disk filling up) without throwing; the next call throws ENOSPC.
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    const closing = fd;
    fd = undefined;
    closeSync(closing);
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing: the original error is the one to report
      }
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}
