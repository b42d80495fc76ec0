/**
 * The Electron shell, kept thin: one window with the security checklist applied, the `wavehouse:`
 * protocol for the renderer and media, IPC wired to the same dispatcher every transport uses.
 * Everything it wires is built by createApp() and runs under plain Node too.
 */
import { app as electronApp, BrowserWindow, dialog, ipcMain, protocol, screen, session, shell, utilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_DRAG, IPC_EVENT, IPC_INVOKE } from '../src-preload/contract';
import { createApp, type App } from './app';
import { utilityLauncher } from './electron/utility-launcher';
import { APP_ORIGIN, isTrustedSender } from './electron/senders';
import { restoreBounds, type WindowBounds } from './electron/window-state';
import { decodePathPart, fileResponse, mediaResponse, parseMediaPath } from './media';
import { mayOpenExternally } from './electron/external-links';
import { installPermissionHandlers } from './electron/permissions';
import { APP_NAME, resourcesDir } from './paths';
import { contentSecurityPolicy } from './transport/security';

const here = fileURLToPath(new URL('.', import.meta.url));
const RENDERER_DIR = resolve(here, '../renderer');
const PRELOAD = join(here, '../preload/index.cjs');
const DEV_URL = process.env.ELECTRON_RENDERER_URL; // set by `electron-vite dev`
const CSP = contentSecurityPolicy(['wavehouse:']);
const RESOURCES_ICON = join(resourcesDir(), 'icons', 'drag.png');

electronApp.setName(APP_NAME);
protocol.registerSchemesAsPrivileged([
  { scheme: 'wavehouse', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  let studio: App | undefined;
  let win: BrowserWindow | undefined;

  electronApp.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  /** Only our own page may call the backend. */
  const trustedSender = (url: string | undefined) => isTrustedSender(url, DEV_URL);

  const serveProtocol = (request: Request): Response => {
    const url = new URL(request.url);
    if (url.host === 'media') {
      const media = parseMediaPath(url.pathname);
      return media && studio ? mediaResponse(studio.media, media.kind, media.id, request.headers.get('range')) : new Response('no such media', { status: 404 });
    }
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    const decoded = url.pathname === '/' ? 'index.html' : decodePathPart(url.pathname);
    if (decoded === undefined) return new Response('malformed %-encoding in the path', { status: 400 });
    const rel = decoded.replace(/^\/+/, '');
    const file = resolve(RENDERER_DIR, normalize(rel));
    if (!file.startsWith(RENDERER_DIR + sep) || !existsSync(file)) return new Response('not found', { status: 404 });
    const response = fileResponse(file, null);
    if (extname(file) === '.html') response.headers.set('Content-Security-Policy', CSP);
    return response;
  };

  const createWindow = () => {
    const saved = studio!.settings.get<WindowBounds>('window.bounds');
    const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
    win = new BrowserWindow({
      ...bounds,
      minWidth: 800,
      minHeight: 560,
      title: APP_NAME,
      show: false,
      backgroundColor: '#16171b',
      webPreferences: {
        preload: PRELOAD,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    if (bounds.maximized) win.maximize();
    win.once('ready-to-show', () => win?.show());
    const remember = () => {
      if (!win || win.isDestroyed()) return;
      studio?.settings.set('window.bounds', { ...win.getNormalBounds(), maximized: win.isMaximized() });
    };
    win.on('resize', remember);
    win.on('move', remember);
    win.on('close', remember);

    // Navigation and new windows are denied; allow-listed https links open in the user's browser.
    win.webContents.on('will-navigate', (event, url) => {
      if (!trustedSender(url)) event.preventDefault();
    });
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (mayOpenExternally(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    if (DEV_URL) void win.loadURL(DEV_URL);
    else void win.loadURL(`${APP_ORIGIN}/index.html`);
  };

  electronApp.whenReady().then(() => {
    const entry = join(here, 'job-worker.js');
    studio = createApp({
      dataDir: electronApp.getPath('userData'),
      transport: 'electron',
      launcher: utilityLauncher(utilityProcess.fork, entry),
      warmJobWorker: true,
      shell: {
        async pickPaths(kind, title) {
          const options = { title, properties: kind === 'folder' ? (['openDirectory'] as const) : (['openFile', 'multiSelections'] as const) };
          const result = win ? await dialog.showOpenDialog(win, { ...options, properties: [...options.properties] }) : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
          return { paths: result.filePaths, canceled: result.canceled };
        },
      },
    });
    protocol.handle('wavehouse', serveProtocol);

    // A strict CSP on every response (also the dev server's), and no permission granted but MIDI to our own page.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DEV_URL ? CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") : CSP] } });
    });
    installPermissionHandlers(session.defaultSession, (m) => console.warn(m), DEV_URL);

    ipcMain.handle(IPC_INVOKE, async (event, name: unknown, input: unknown) => {
      if (!trustedSender(event.senderFrame?.url)) return { ok: false, error: { code: 'FORBIDDEN', message: 'calls are accepted only from the studio window' } };
      return studio!.dispatch(name, input, { transport: 'electron' });
    });
    ipcMain.on(IPC_DRAG, (event, kind: unknown, id: unknown) => {
      if (!trustedSender(event.senderFrame?.url)) return;
      if ((kind !== 'take' && kind !== 'sample' && kind !== 'export') || typeof id !== 'string') return;
      const media = parseMediaPath(`/${kind}/${encodeURIComponent(id)}`);
      const file = media && studio!.media.resolve(media.kind, media.id);
      if (file && existsSync(file)) event.sender.startDrag({ file, icon: join(RESOURCES_ICON) });
    });
    studio.bus.subscribe((name, payload) => {
      if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
    });

    createWindow();
    electronApp.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  electronApp.on('window-all-closed', () => {
    if (process.platform !== 'darwin') electronApp.quit();
  });
  electronApp.on('will-quit', () => studio?.close());
}
