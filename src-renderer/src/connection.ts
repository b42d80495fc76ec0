/**
 * Picks the transport: the Electron bridge when the preload exposed one, else the loopback
 * WebSocket of `serve`, authenticated with the token from the URL fragment.
 */
import type { Bridge } from '../../src-preload/contract';
import { createClient, type Client } from '../../src-preload/client';
import { createWebSocketBridge } from '../../src-preload/websocket-bridge';

export interface Connection {
  client: Client;
  transport: 'electron' | 'websocket';
  /** Turns a media id into a URL the audio engine can fetch. */
  mediaUrl(kind: 'sample' | 'take' | 'export' | 'preview' | 'weights', id: string): string;
  onStatus(listener: (status: 'connecting' | 'open' | 'closed') => void): () => void;
}

const TOKEN_KEY = 'wavehouse.token';

function takeToken(): string | null {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = hash.get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // Keep the token out of history and screenshots.
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Connects to the backend over whichever transport this page was opened with. */
export async function connect(): Promise<Connection> {
  const electronBridge = (window as unknown as { wavehouse?: Bridge }).wavehouse;
  if (electronBridge) {
    return {
      client: createClient(electronBridge),
      transport: 'electron',
      mediaUrl: (kind, id) => `wavehouse://media/${kind}/${encodeURIComponent(id)}`,
      onStatus: (l) => (l('open'), () => undefined),
    };
  }
  const token = takeToken();
  if (!token) throw new Error('This page needs the link printed by `wavehouse serve` (it carries the access token).');
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const bridge = createWebSocketBridge(wsUrl, (url) => new WebSocket(url));
  await bridge.ready;
  return {
    client: createClient(bridge),
    transport: 'websocket',
    mediaUrl: (kind, id) => `${location.origin}/media/${kind}/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`,
    onStatus: (l) => bridge.onStatus(l),
  };
}
