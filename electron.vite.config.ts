import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

const root = import.meta.dirname ?? __dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Native and wasm packages stay external (they find their binaries relative to themselves).
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/index.ts'),
          // Each worker is its own entry so it can be forked / spawned by path.
          'job-worker': resolve(root, 'src-main/jobs/worker-entry.ts'),
          'replica-worker': resolve(root, 'src-main/training/replica-worker.ts'),
          'generation-worker': resolve(root, 'src-main/generation/worker.ts'),
          'import-worker': resolve(root, 'src-main/library/analyse-worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // One self-contained CommonJS file: a sandboxed preload cannot load ESM or node_modules.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    // Relative asset URLs work both under wavehouse://app/ and http://127.0.0.1:PORT/.
    base: './',
    plugins: [svelte({ configFile: resolve(root, 'svelte.config.js') })],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
});
