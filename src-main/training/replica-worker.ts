/**
 * Worker-thread entry of one training replica: its own tfjs backend (wasm is single-threaded in
 * Node, so one replica per core), computing loss and gradients for its share of each batch at the
 * parameters the trainer sends. A separate bundle entry in the built app (see replicaWorkerUrl).
 */
import { parentPort } from 'node:worker_threads';
import type { WaveNetConfig } from '../../src-shared/model/config';
import { initBackend } from '../model/backend';
import type { Batch } from './batch';
import { lossAndGrads, sequenceLosses } from './grad';

export type ReplicaRequest =
  | { type: 'init'; config: WaveNetConfig; backend?: string; wasmDir?: string }
  | { type: 'grads'; id: number; params: Float32Array; batch: Batch }
  | { type: 'losses'; id: number; params: Float32Array; batch: Batch };

export type ReplicaReply =
  | { type: 'ready'; backend: string }
  | { type: 'grads'; id: number; loss: number; grads: Float32Array }
  | { type: 'losses'; id: number; losses: Float32Array }
  | { type: 'error'; id?: number; message: string };

let config: WaveNetConfig | null = null;

/** Handles one request from the trainer (exported for tests; the worker wires it to parentPort). */
export async function handle(msg: ReplicaRequest): Promise<{ reply: ReplicaReply; transfer: ArrayBuffer[] }> {
  try {
    if (msg.type === 'init') {
      config = msg.config;
      const choice = await initBackend({ force: msg.backend, wasmDir: msg.wasmDir });
      return { reply: { type: 'ready', backend: choice.backend }, transfer: [] };
    }
    if (!config) throw new Error('replica not initialised');
    if (msg.type === 'grads') {
      const { loss, grads } = lossAndGrads(config, msg.params, msg.batch);
      return { reply: { type: 'grads', id: msg.id, loss, grads }, transfer: [grads.buffer as ArrayBuffer] };
    }
    const losses = sequenceLosses(config, msg.params, msg.batch);
    const copy = losses.slice();
    return { reply: { type: 'losses', id: msg.id, losses: copy }, transfer: [copy.buffer] };
  } catch (e) {
    return { reply: { type: 'error', id: (msg as { id?: number }).id, message: (e as Error).stack ?? String(e) }, transfer: [] };
  }
}

if (parentPort) {
  const port = parentPort;
  // Requests are handled strictly in order: the trainer sends one at a time per replica anyway.
  let chain = Promise.resolve();
  port.on('message', (msg: ReplicaRequest) => {
    chain = chain.then(async () => {
      const { reply, transfer } = await handle(msg);
      port.postMessage(reply, transfer);
    });
  });
}
