/**
 * Smoke test of the real desktop shell: opens the Electron window (under Xvfb when there is no
 * display), waits for the preload's bridge, and runs one command through the IPC: the sandboxed
 * page → ipcMain → the dispatcher → createApp's handler and back. It also checks the page is on
 * wavehouse://app and that a permission is refused. Wherever no Electron binary exists (Electron
 * >= 42 downloads it on first run; this project's CI machines cannot), the test is skipped and says
 * why. Requires a build (`npx electron-vite build`). It drives the development binary from
 * node_modules: a packaged build has EnableNodeCliInspectArguments off and cannot be driven this way.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';

const ROOT = join(import.meta.dirname, '..', '..');

/** The Electron binary, or why there is none. */
function electronBinary(): { path: string } | { skip: string } {
  if (process.env.ELECTRON_BINARY) return existsSync(process.env.ELECTRON_BINARY) ? { path: process.env.ELECTRON_BINARY } : { skip: `ELECTRON_BINARY=${process.env.ELECTRON_BINARY} does not exist` };
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  // Reading path.txt instead of require('electron'), which would try to download the binary.
  if (!existsSync(pathTxt)) return { skip: 'no Electron binary: node_modules/electron has no path.txt/dist (Electron >= 42 downloads its binary on first run, which this machine cannot)' };
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { skip: `no Electron binary at ${bin}` };
}

/** An X display: the current one, or a fresh Xvfb we start (and stop). */
async function display(): Promise<{ display: string; xvfb?: ChildProcess } | { skip: string }> {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY };
  if (spawnSync('sh', ['-c', 'command -v Xvfb']).status !== 0) return { skip: 'no X display and no Xvfb (apt-get install xvfb)' };
  const n = 90 + (process.pid % 9);
  const xvfb = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await new Promise((r) => setTimeout(r, 100));
  return { display: `:${n}`, xvfb };
}

describe('the Electron window (smoke)', () => {
  const data = tempDir('wavehouse-electron-');
  let xvfb: ChildProcess | undefined;
  afterAll(() => {
    if (xvfb?.pid) process.kill(xvfb.pid);
    data.cleanup();
  });

  it('opens the real window and answers app.info through the IPC', async (ctx) => {
    const bin = electronBinary();
    if ('skip' in bin) {
      console.warn(`electron smoke test skipped: ${bin.skip}`);
      return ctx.skip(bin.skip);
    }
    if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) throw new Error('out/main is missing: run `npx electron-vite build` (npm test does) first');
    const screen = await display();
    if ('skip' in screen) return ctx.skip(screen.skip);
    xvfb = screen.xvfb;

    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      executablePath: bin.path,
      // Chromium refuses to run as root with its sandbox; the renderer's own sandbox flag still applies.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT],
      // On Linux app.getPath('userData') is $XDG_CONFIG_HOME/Wavehouse: a fresh studio for the test.
      env: { ...process.env, DISPLAY: screen.display, XDG_CONFIG_HOME: data.path, ELECTRON_ENABLE_LOGGING: '1' },
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForFunction(() => 'wavehouse' in window, undefined, { timeout: 30_000 });
      expect(page.url()).toBe('wavehouse://app/index.html');
      const info = await page.evaluate(() => (window as unknown as { wavehouse: { invoke(n: string, i: unknown): Promise<unknown> } }).wavehouse.invoke('app.info', {}));
      expect(info).toMatchObject({ ok: true, value: { name: 'Wavehouse', transport: 'electron', dataDir: join(data.path, 'Wavehouse') } });
      // The page has neither Node nor ipcRenderer, and permissions are refused.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => navigator.permissions.query({ name: 'notifications' as PermissionName }).then((s) => s.state))).not.toBe('granted');
      // Live takes play through the AudioWorklet: its module loads from wavehouse://app under the CSP and plays.
      const processor = readdirSync(join(ROOT, 'out', 'renderer', 'assets')).find((f) => /^stream-processor-.*\.js$/.test(f));
      expect(processor, 'the built live-take worklet').toBeDefined();
      const played = await page.evaluate(async (file) => {
        const context = new AudioContext({ sampleRate: 16000 });
        await context.audioWorklet.addModule(`./assets/${file}`);
        const node = new AudioWorkletNode(context, 'wavehouse-stream', { outputChannelCount: [1], processorOptions: { prebuffer: 1 } });
        const done = new Promise<number>((resolve) => {
          node.port.onmessage = (e: MessageEvent<{ stats: { played: number; finished: boolean } }>) => e.data.stats.finished && resolve(e.data.stats.played);
        });
        node.connect(context.destination);
        node.port.postMessage({ type: 'chunk', samples: new Float32Array(1600).fill(0.25) });
        node.port.postMessage({ type: 'end' });
        await context.resume();
        return done;
      }, processor!);
      expect(played).toBe(1600);
    } finally {
      await app.close();
    }
  });
});
