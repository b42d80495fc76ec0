/**
 * Starts the real `wavehouse serve` as a child process on a temporary data dir, the way a user
 * would, and reads the one JSON line it prints when listening.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = resolve(import.meta.dirname, '../../..');

export interface ServedStudio {
  /** The server's base URL (no token). */
  url: string;
  /** The URL to open: carries `#token=…`. */
  openUrl: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and removes the data dir. */
  stop(): Promise<void>;
}

/** Fails with instructions when the renderer has not been built: e2e tests never build it themselves. */
export function assertRendererBuilt(): void {
  const index = join(repoRoot, 'out/renderer/index.html');
  if (!existsSync(index)) {
    throw new Error(`The renderer is not built (${index} is missing). Run \`npx electron-vite build\` first, then rerun the e2e tests.`);
  }
}

export interface ServeOptions {
  timeoutMs?: number;
  keepDataDir?: boolean;
  /** Runs on the empty data dir before the server starts, e.g. to seed its database. */
  prepareDataDir?: (dataDir: string) => void;
}

export async function startServe({ timeoutMs = 30_000, keepDataDir = Boolean(process.env.KEEP_TMP), prepareDataDir }: ServeOptions = {}): Promise<ServedStudio> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wavehouse-e2e-'));
  try {
    prepareDataDir?.(dataDir);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const child = spawn(process.execPath, ['bin/wavehouse.mjs', 'serve', '--data-dir', dataDir, '--port', '0', '--json'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    // Keep the tail only: a chatty server must not grow the test's memory.
    stderr = (stderr + chunk).slice(-20_000);
  });

  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const listening = await new Promise<{ url: string; openUrl: string }>((resolveListening, reject) => {
      const timer = setTimeout(() => reject(new Error(`wavehouse serve did not report listening within ${timeoutMs} ms`)), timeoutMs);
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let message: { event?: string; url?: string; openUrl?: string };
        try {
          message = JSON.parse(line);
        } catch {
          return; // not one of the --json lines
        }
        if (message.event === 'listening' && message.url && message.openUrl) {
          clearTimeout(timer);
          resolveListening({ url: message.url, openUrl: message.openUrl });
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`wavehouse serve exited (code ${code}) before listening`));
      });
    });
    return { ...listening, dataDir, process: child, stderr: () => stderr, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- server stderr ---\n${stderr}`);
  }
}
