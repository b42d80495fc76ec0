/**
 * Run-time backend ladder: tfjs-node-gpu → tfjs-node → wasm → cpu.
 *
 * Every rung is a dynamic import so a missing optional package is just a rung skipped (with the
 * reason recorded for the run and the UI). All rungs register against the one tfjs engine: tfjs
 * keeps its engine and kernel registry on the global object, and in Node '@tensorflow/tfjs-core'
 * resolves to the same CommonJS module whether reached from here or from '@tensorflow/tfjs'.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import path from 'node:path';

export type BackendRung = 'node-gpu' | 'node' | 'wasm' | 'cpu';

/** The ladder, best first. */
export const LADDER: readonly BackendRung[] = ['node-gpu', 'node', 'wasm', 'cpu'];

export interface BackendChoice {
  /** Rung that won. */
  rung: BackendRung;
  /** tfjs backend name now active ('tensorflow', 'wasm' or 'cpu'). */
  backend: string;
  /** Rungs tried before the winner, each with why it was skipped. */
  skipped: { rung: BackendRung; reason: string }[];
}

export interface BackendOptions {
  /** Force one rung (no fallback); defaults to env WAVEHOUSE_BACKEND. */
  force?: BackendRung | string;
  /** Folder holding the tfjs-backend-wasm .wasm files; defaults to env WAVEHOUSE_WASM_DIR or the package's dist. */
  wasmDir?: string;
}

// Variable specifiers keep bundlers from trying (and failing) to resolve optional packages.
const importOptional = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);

/** Folder of the installed tfjs-backend-wasm dist (ends with a slash), where its .wasm files live. */
export function wasmDistDir(): string {
  const fromEnv = process.env.WAVEHOUSE_WASM_DIR;
  if (fromEnv) return fromEnv.endsWith('/') ? fromEnv : fromEnv + '/';
  const require = createRequire(import.meta.url);
  // The package "main" is dist/tf-backend-wasm.node.js, next to the .wasm files.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

async function tryRung(rung: BackendRung, opts: BackendOptions): Promise<string> {
  switch (rung) {
    case 'node-gpu':
    case 'node': {
      await importOptional(rung === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
      await activate('tensorflow');
      return 'tensorflow';
    }
    case 'wasm': {
      const wasm = (await importOptional('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
      // Bundled, the backend cannot find its .wasm files relative to itself: point it at the package.
      wasm.setWasmPaths(opts.wasmDir ?? wasmDistDir());
      await activate('wasm');
      return 'wasm';
    }
    case 'cpu': {
      await importOptional('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
      return 'cpu';
    }
  }
}

function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') return `not installed (${(e.message ?? '').split('\n')[0]})`;
  return (e?.message ?? String(err)).split('\n')[0];
}

/** Walks the ladder (or the forced rung) and activates the first backend that loads; returns what was chosen and why others were skipped. */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  const force = opts.force ?? process.env.WAVEHOUSE_BACKEND;
  if (force) {
    if (!LADDER.includes(force as BackendRung)) throw new Error(`WAVEHOUSE_BACKEND=${force}: expected one of ${LADDER.join(', ')}`);
    const backend = await tryRung(force as BackendRung, opts);
    return { rung: force as BackendRung, backend, skipped: [] };
  }
  const skipped: BackendChoice['skipped'] = [];
  for (const rung of LADDER) {
    try {
      const backend = await tryRung(rung, opts);
      return { rung, backend, skipped };
    } catch (err) {
      skipped.push({ rung, reason: reasonOf(err) });
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${skipped.map((s) => `${s.rung}: ${s.reason}`).join('; ')}`);
}
