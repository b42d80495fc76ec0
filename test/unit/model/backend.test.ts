import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { initBackend, wasmDistDir } from '../../../src-main/model/backend';

describe('backend ladder', () => {
  it('lands on wasm here and says why the node rungs were skipped', async () => {
    const saved = process.env.WAVEHOUSE_BACKEND;
    delete process.env.WAVEHOUSE_BACKEND;
    try {
      const choice = await initBackend();
      expect(choice.rung).toBe('wasm');
      expect(choice.backend).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(choice.skipped.map((s) => s.rung)).toEqual(['node-gpu', 'node']);
      for (const s of choice.skipped) expect(s.reason).toMatch(/not installed.*tfjs-node/);
    } finally {
      if (saved !== undefined) process.env.WAVEHOUSE_BACKEND = saved;
    }
  });

  it('can be forced through WAVEHOUSE_BACKEND, and rejects unknown names', async () => {
    const saved = process.env.WAVEHOUSE_BACKEND;
    process.env.WAVEHOUSE_BACKEND = 'cpu';
    try {
      expect(await initBackend()).toEqual({ rung: 'cpu', backend: 'cpu', skipped: [] });
      expect(tf.getBackend()).toBe('cpu');
      process.env.WAVEHOUSE_BACKEND = 'cuda';
      await expect(initBackend()).rejects.toThrow(/expected one of node-gpu, node, wasm, cpu/);
    } finally {
      if (saved === undefined) delete process.env.WAVEHOUSE_BACKEND;
      else process.env.WAVEHOUSE_BACKEND = saved;
    }
  });

  it('a forced rung that is not installed fails instead of falling back', async () => {
    await expect(initBackend({ force: 'node' })).rejects.toThrow(/tfjs-node/);
  });

  it('points the wasm backend at the package dist folder holding the .wasm files', () => {
    expect(existsSync(wasmDistDir() + 'tfjs-backend-wasm-simd.wasm')).toBe(true);
  });
});
