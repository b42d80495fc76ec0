/**
 * The loopback transport (`serve`): one HTTP server on 127.0.0.1 that serves the built renderer,
 * media by id (with Range support) and the contract over a WebSocket, all behind a random
 * per-start token.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '../app';
import { decodePathPart, mediaResponse, parseMediaPath } from '../media';
import { contentSecurityPolicy, newToken, tokenMatches } from './security';

export interface ServeOptions {
  port?: number;
  /** Folder with the built renderer (index.html); without it only the API and media are served. */
  staticDir?: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open in a browser: carries the token in the fragment, never sent to the server. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

const MAX_MESSAGE_BYTES = 1 << 20;

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  if (!response.body) return void res.end();
  Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
}

function sameOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // non-browser clients (CLI, tests) send none
  try {
    const u = new URL(origin);
    return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && Number(u.port) === port;
  } catch {
    return false;
  }
}

/** Starts the loopback server for `app`; resolves once listening. */
export async function startServer(app: App, options: ServeOptions = {}): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const staticRoot = options.staticDir && existsSync(join(options.staticDir, 'index.html')) ? resolve(options.staticDir) : undefined;
  let port = 0;

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((err) => {
      console.error('http request failed:', err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      return void res.end();
    }
    if (url.pathname.startsWith('/media/')) {
      if (!tokenMatches(token, url.searchParams.get('token'))) {
        res.statusCode = 401;
        return void res.end('a valid token is required');
      }
      const media = parseMediaPath(url.pathname.slice('/media'.length));
      if (!media) {
        res.statusCode = 404;
        return void res.end('no such media');
      }
      return sendResponse(res, mediaResponse(app.media, media.kind, media.id, req.headers.range ?? null));
    }
    const decoded = url.pathname === '/' ? 'index.html' : decodePathPart(url.pathname);
    if (decoded === undefined) {
      res.statusCode = 400;
      return void res.end('malformed %-encoding in the path');
    }
    if (!staticRoot) {
      res.statusCode = 404;
      return void res.end('the renderer is not built: run `npm run build`');
    }
    const rel = decoded.replace(/^\/+/, '');
    const file = resolve(staticRoot, normalize(rel));
    if (!file.startsWith(staticRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      return void res.end('not found');
    }
    res.setHeader('Content-Type', STATIC_TYPES[extname(file)] ?? 'application/octet-stream');
    if (extname(file) === '.html') {
      res.setHeader('Content-Security-Policy', contentSecurityPolicy());
      res.setHeader('Cache-Control', 'no-cache');
    }
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws' || !tokenMatches(token, url.searchParams.get('token')) || !sameOrigin(req, port)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = app.bus.subscribe((name, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', name, payload }));
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.close());
    ws.on('message', async (data, isBinary) => {
      let msg: unknown;
      try {
        if (isBinary) throw new Error('binary');
        msg = JSON.parse(String(data));
      } catch {
        return reply(ws, null, { ok: false, error: { code: 'BAD_MESSAGE', message: 'messages must be JSON text' } });
      }
      const m = msg as { type?: unknown; id?: unknown; name?: unknown; input?: unknown };
      const id = typeof m?.id === 'number' && Number.isSafeInteger(m.id) ? m.id : null;
      if (typeof m !== 'object' || m === null || m.type !== 'invoke' || id === null) {
        return reply(ws, id, { ok: false, error: { code: 'BAD_MESSAGE', message: 'expected {type: "invoke", id: number, name, input}' } });
      }
      // The dispatcher never throws by design; this catch keeps a bug there from ending the studio.
      const result = await app.dispatch(m.name, m.input, { transport: 'websocket' }).catch((err: unknown) => {
        console.error('dispatch failed:', err);
        return { ok: false, error: { code: 'INTERNAL', message: 'the call failed' } };
      });
      reply(ws, id, result);
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/#token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function reply(ws: WebSocket, id: number | null, result: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, result }));
}
