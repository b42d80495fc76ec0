/**
 * The start-up sweep: removes temp files that a crash (or a kill) left behind, in the data dir and
 * in the export folders we wrote to. Only names of our own temp form are touched, never a user's
 * file, and only when the process that wrote them is gone: the CLI can start beside a running
 * studio whose training job is writing a checkpoint at that moment.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** `.<name>.<pid>.<8 hex>.partial` (files/atomic.ts) and `.<name>.<pid>.<8 hex>.tmp` (checkpoints before it). */
const WITH_PID = /^\.(.+)\.(\d{1,10})\.[0-9a-f]{8}\.(?:partial|tmp)$/;
/** `.<name>.<8 hex>.partial`: atomic writes before the pid was part of the name. */
const WITHOUT_PID = /^\.(.+)\.[0-9a-f]{8}\.partial$/;
/** A temp file without a pid is an orphan once nobody has written to it for this long. */
const STALE_MS = 60 * 60 * 1000;

/** The writer's pid when `name` is one of our temp names (null: ours, but from before pids); undefined when it is not ours. */
export function tempFileWriter(name: string): number | null | undefined {
  const m = WITH_PID.exec(name);
  if (m) return Number(m[2]);
  return WITHOUT_PID.test(name) ? null : undefined;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's live process
  }
}

export interface SweepOptions {
  /** How many folder levels below `dir` to visit (0: only `dir`). */
  depth?: number;
  /** For tests: the clock and the liveness check. */
  now?: number;
  alive?: (pid: number) => boolean;
}

/** Removes our orphaned temp files in `dir` and its sub-folders (never following links); returns what it removed. */
export function sweepTempFiles(dir: string, opts: SweepOptions = {}): string[] {
  const { depth = 0, now = Date.now(), alive = processAlive } = opts;
  const removed: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed; // gone or unreadable: nothing of ours to sweep
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0) removed.push(...sweepTempFiles(path, { depth: depth - 1, now, alive }));
      continue;
    }
    if (!e.isFile()) continue; // links, sockets…: never ours to remove
    const pid = tempFileWriter(e.name);
    if (pid === undefined) continue;
    try {
      const orphan = pid !== null ? !alive(pid) : now - lstatSync(path).mtimeMs > STALE_MS;
      if (!orphan) continue;
      rmSync(path, { force: true });
      removed.push(path);
    } catch (err) {
      console.error(`could not remove the leftover temp file ${path}:`, (err as Error).message);
    }
  }
  return removed;
}
