/**
 * A Bridge over the loopback WebSocket transport (`serve` mode, e2e tests, CLI against a running
 * studio). Works with the browser's WebSocket and with the `ws` package in Node.
 */
import type { Bridge, Result } from './contract';

/** The slice of the WebSocket API this bridge needs (browser WebSocket and `ws` both fit). */
export interface MinimalWebSocket {
  readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketFactory = (url: string) => MinimalWebSocket;

export interface WebSocketBridge extends Bridge {
  /** Resolves once connected (or rejects if the first connection fails). */
  ready: Promise<void>;
  close(): void;
  /** Connection state for a status indicator. */
  onStatus(listener: (status: 'connecting' | 'open' | 'closed') => void): () => void;
}

type Pending = { resolve: (r: Result<unknown>) => void };

/** Connects to `url` (…/ws?token=…), reconnecting with backoff if the connection drops. */
export function createWebSocketBridge(url: string, factory: WebSocketFactory, { reconnect = true } = {}): WebSocketBridge {
  let socket: MinimalWebSocket;
  let nextId = 1;
  let closedByUser = false;
  let backoff = 250;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const statusListeners = new Set<(s: 'connecting' | 'open' | 'closed') => void>();
  const setStatus = (s: 'connecting' | 'open' | 'closed') => statusListeners.forEach((l) => l(s));
  let openWaiters: (() => void)[] = [];

  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  let everOpened = false;

  const connect = () => {
    setStatus('connecting');
    socket = factory(url);
    socket.addEventListener('open', () => {
      everOpened = true;
      backoff = 250;
      setStatus('open');
      resolveReady();
      const waiters = openWaiters;
      openWaiters = [];
      waiters.forEach((w) => w());
    });
    socket.addEventListener('message', (event) => {
      let msg: { type?: string; id?: number; result?: Result<unknown>; name?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (msg.type === 'result' && typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        p?.resolve(msg.result as Result<unknown>);
      } else if (msg.type === 'event' && typeof msg.name === 'string') {
        listeners.forEach((l) => l(msg.name as string, msg.payload));
      }
    });
    socket.addEventListener('close', () => {
      setStatus('closed');
      for (const [id, p] of pending) {
        pending.delete(id);
        p.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'connection to the studio was lost' } });
      }
      if (!everOpened) rejectReady(new Error(`could not connect to ${url.replace(/token=[^&]+/, 'token=…')}`));
      if (reconnect && !closedByUser && everOpened) {
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    });
    socket.addEventListener('error', () => {
      /* a close event follows */
    });
  };
  connect();

  const whenOpen = () => (socket.readyState === 1 ? Promise.resolve() : new Promise<void>((r) => openWaiters.push(r)));

  return {
    ready,
    async invoke(name, input) {
      await whenOpen();
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, { resolve });
        socket.send(JSON.stringify({ type: 'invoke', id, name, input }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      socket.close();
    },
  };
}
