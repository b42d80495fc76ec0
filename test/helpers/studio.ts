import WebSocket from 'ws';
import { createApp, type App, type AppOptions } from '../../src-main/app';
import { startServer, type RunningServer } from '../../src-main/transport/websocket-server';
import { createClient, type Client } from '../../src-preload/client';
import { createWebSocketBridge, type WebSocketBridge } from '../../src-preload/websocket-bridge';
import { tempDir } from './tmp';

export interface TestStudio {
  app: App;
  server: RunningServer;
  bridge: WebSocketBridge;
  client: Client;
  dataDir: string;
  stop(): Promise<void>;
}

/** A real studio on a temp data dir, served over the loopback WebSocket, with a connected client. */
export async function startTestStudio(options: Partial<AppOptions> = {}): Promise<TestStudio> {
  const dir = tempDir();
  const app = createApp({ dataDir: dir.path, demoLibrary: false, ...options });
  const server = await startServer(app);
  const bridge = createWebSocketBridge(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, (url) => new WebSocket(url) as never, { reconnect: false });
  await bridge.ready;
  return {
    app,
    server,
    bridge,
    client: createClient(bridge),
    dataDir: dir.path,
    async stop() {
      bridge.close();
      await server.close();
      app.close();
      dir.cleanup();
    },
  };
}
