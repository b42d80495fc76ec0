import WebSocket from 'ws';
import { createClient, type Client } from '../../../src-preload/client';
import { createWebSocketBridge, type WebSocketBridge } from '../../../src-preload/websocket-bridge';

export interface SideClient {
  bridge: WebSocketBridge;
  client: Client;
}

/**
 * A second, typed client on the studio under test (the way a script would use `serve`): tests set up
 * data and read results through it while the page is driven like a user.
 */
export async function connectSideClient(openUrl: string): Promise<SideClient> {
  const open = new URL(openUrl);
  const token = new URLSearchParams(open.hash.slice(1)).get('token')!;
  const bridge = createWebSocketBridge(`ws://${open.host}/ws?token=${token}`, (u) => new WebSocket(u) as never, { reconnect: false });
  await bridge.ready;
  return { bridge, client: createClient(bridge) };
}

/** Polls `read` until `ok` holds, failing with what was awaited and the last value seen. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
