import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, WorkerHandle, WorkerLauncher } from './protocol';

/**
 * Where the worker entry lives: the built bundle's `job-worker.js` beside this code when bundled,
 * else the TypeScript source (run through tsx) in development and tests.
 */
export function workerEntryPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'job-worker.js');
  if (existsSync(built)) return built;
  return join(here, 'worker-entry.ts');
}

/** Launches job workers with child_process.fork (plain Node: CLI, `serve`, tests). */
export function forkLauncher(entry = workerEntryPath()): WorkerLauncher {
  return () => {
    const child = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const handle: WorkerHandle = {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as ChildMessage)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => {
        child.kill('SIGKILL');
      },
    };
    return handle;
  };
}
