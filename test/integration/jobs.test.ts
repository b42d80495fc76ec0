import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { databasePath } from '../../src-main/paths';
import { createClient } from '../../src-preload/client';
import type { Job } from '../../src-preload/contract';
import { createWebSocketBridge } from '../../src-preload/websocket-bridge';
import { writeManyWavs } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function studioIn(dataDir: string): App {
  const app = createApp({ dataDir, demoLibrary: false });
  cleanups.push(() => app.close());
  return app;
}

function waitForJob(app: App, id: string, predicate: (job: Job) => boolean): Promise<Job> {
  return new Promise((resolve) => {
    const check = (job: Job) => predicate(job) && (off(), resolve(job));
    const off = app.bus.subscribe((name, payload) => name === 'job.updated' && (payload as Job).id === id && check(payload as Job));
    check(app.jobs.get(id));
  });
}

describe('jobs', () => {
  it('runs an import in a separate process, streams progress and records the result', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const lib = join(dir.path, 'lib');
    writeManyWavs(lib, 300, { seconds: 0.5 });
    const app = studioIn(join(dir.path, 'data'));
    const progress: number[] = [];
    app.bus.subscribe((name, p) => name === 'job.updated' && progress.push((p as Job).progress));
    const { job } = app.libraries.startImport([lib]);
    expect(job.kind).toBe('library.import');
    const done = await app.jobs.waitFor(job.id);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ imported: 300, failed: 0, unchanged: 0 });
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(done.progress).toBe(1);
    expect(done.startedAt).not.toBeNull();
    expect(done.endedAt).not.toBeNull();
    // the worker wrote through its own connection; main sees the rows
    expect(app.db.prepare(`SELECT COUNT(*) AS n FROM samples`).get()).toEqual({ n: 300 });
  });

  it('cancels a running job promptly and records it as cancelled', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const lib = join(dir.path, 'lib');
    writeManyWavs(lib, 400, { seconds: 2 });
    const app = studioIn(join(dir.path, 'data'));
    const { job } = app.libraries.startImport([lib]);
    await waitForJob(app, job.id, (j) => j.state === 'running' && j.progress > 0.02);
    const t0 = Date.now();
    app.jobs.cancel(job.id);
    const ended = await app.jobs.waitFor(job.id);
    expect(ended.state).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(2500);
    const n = (app.db.prepare(`SELECT COUNT(*) AS n FROM samples`).get() as { n: number }).n;
    expect(n).toBeLessThan(400);
  });

  it('shows a job cut off by a crash of the backend as interrupted at the next start', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const lib = join(dir.path, 'lib');
    const dataDir = join(dir.path, 'data');
    writeManyWavs(lib, 600, { seconds: 2 });

    const server: ChildProcess = spawn(process.execPath, ['bin/wavehouse.mjs', 'serve', '--data-dir', dataDir, '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => void server.kill('SIGKILL'));
    const listening = await new Promise<{ port: number; openUrl: string }>((resolve, reject) => {
      createInterface({ input: server.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line);
        if (msg.event === 'listening') resolve(msg);
      });
      server.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    const token = new URL(listening.openUrl).hash.replace('#token=', '');
    const bridge = createWebSocketBridge(`ws://127.0.0.1:${listening.port}/ws?token=${token}`, (u) => new WebSocket(u) as never, { reconnect: false });
    await bridge.ready;
    const client = createClient(bridge);
    const running = new Promise<void>((resolve) =>
      client.on('job.updated', (j) => j.kind === 'library.import' && j.state === 'running' && j.progress > 0.05 && resolve()),
    );
    const { job } = await client.invoke('libraries.import', { paths: [lib] });
    await running;

    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    bridge.close();

    // The orphaned worker notices its parent is gone and stops writing samples.
    const snapshot = () => {
      const db = new Database(databasePath(dataDir), { readonly: true });
      try {
        const { state } = db.prepare(`SELECT state FROM jobs WHERE id = ?`).get(job.id) as { state: string };
        const { n } = db.prepare(`SELECT COUNT(*) AS n FROM samples`).get() as { n: number };
        return { state, samples: n };
      } finally {
        db.close();
      }
    };
    await new Promise((r) => setTimeout(r, 1500));
    const a = snapshot();
    await new Promise((r) => setTimeout(r, 1000));
    expect(snapshot()).toEqual(a);
    expect(a.state).toBe('running');
    expect(a.samples).toBeLessThan(600);

    const app = studioIn(dataDir);
    // (the demo library's first-start import may have been cut off too)
    expect(app.interruptedAtStart).toBeGreaterThanOrEqual(1);
    const after = app.jobs.get(job.id);
    expect(after.state).toBe('interrupted');
    expect(after.message).toMatch(/interrupted/);
    expect(app.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
