// Fault injection at the real fs layer: every FileHandle in this process shares one prototype, so
// patching it makes the production code's own writes fail exactly as a full disk would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// close is an own property of each handle in Node 20, so it cannot be patched here.
type Method = 'writeFile' | 'write' | 'sync';

/** An fs error as Node raises it (code, errno message). */
export function fsError(code: string, syscall = 'write'): NodeJS.ErrnoException {
  const messages: Record<string, string> = { ENOSPC: 'no space left on device', EIO: 'i/o error', EDQUOT: 'disk quota exceeded' };
  return Object.assign(new Error(`${code}: ${messages[code] ?? 'failed'}, ${syscall}`), { code, syscall });
}

/**
 * Makes FileHandle.prototype[method] fail with `code` from its `after`-th call on (0: the next one).
 * Returns how to undo it and how many calls it saw.
 */
export async function failFileHandle(method: Method, code = 'ENOSPC', opts: { after?: number } = {}): Promise<{ restore: () => void; calls: () => number }> {
  const probe = await open(join(tmpdir(), `wh-fault-probe-${process.pid}`), 'w');
  const proto = Object.getPrototypeOf(probe) as Record<Method, (...args: unknown[]) => Promise<unknown>>;
  await probe.close();
  rmSync(join(tmpdir(), `wh-fault-probe-${process.pid}`), { force: true });
  const original = proto[method];
  let n = 0;
  proto[method] = function (this: FileHandle, ...args: unknown[]) {
    if (n++ >= (opts.after ?? 0)) return Promise.reject(fsError(code, method));
    return original.apply(this, args);
  };
  return { restore: () => void (proto[method] = original), calls: () => n };
}

export type Tmpfs = { path: string; unmount: () => void } | { skip: string };

/** Mounts a tmpfs of `bytes` (root only; a real full disk); otherwise says why it cannot. */
export function mountTmpfs(bytes: number): Tmpfs {
  if (process.getuid?.() !== 0) return { skip: 'mounting a size-limited tmpfs needs root' };
  const path = join(tmpdir(), `wh-tmpfs-${process.pid}-${Math.random().toString(16).slice(2)}`);
  mkdirSync(path);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', path], { stdio: 'pipe' });
  } catch (err) {
    rmSync(path, { recursive: true, force: true });
    return { skip: `cannot mount a tmpfs here: ${(err as Error).message.split('\n')[0]}` };
  }
  return {
    path,
    unmount: () => {
      execFileSync('umount', [path], { stdio: 'pipe' });
      rmSync(path, { recursive: true, force: true });
    },
  };
}
