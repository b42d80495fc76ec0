import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { createClient, type Client } from '../../src-preload/client';
import { createWebSocketBridge, type WebSocketBridge } from '../../src-preload/websocket-bridge';

export interface ServeProcess {
  process: ChildProcess;
  client: Client;
  bridge: WebSocketBridge;
  openUrl: string;
  /** Kills the studio the hard way (a crash), and waits for it to be gone. */
  crash(): Promise<void>;
}

/** Starts `wavehouse serve` as a real separate process on `dataDir` and connects a typed client to it. */
export async function startServeProcess(dataDir: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/wavehouse.mjs', 'serve', '--data-dir', dataDir, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const listening = await new Promise<{ port: number; openUrl: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line);
      if (msg.event === 'listening') resolve(msg);
    });
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
  const token = new URL(listening.openUrl).hash.replace('#token=', '');
  const bridge = createWebSocketBridge(`ws://127.0.0.1:${listening.port}/ws?token=${token}`, (u) => new WebSocket(u) as never, { reconnect: false });
  await bridge.ready;
  return {
    process: child,
    client: createClient(bridge),
    bridge,
    openUrl: listening.openUrl,
    async crash() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
      bridge.close();
    },
  };
}
