import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { initBackend } from '../../../src-main/model/backend';
import { readFileSync } from 'node:fs';
import { gradKernelChoice, gradKernelsAvailable, nativeKernelsActive, nativeGateSigmoid, wasmColSums, wasmMatMul, wasmMatMulTA } from '../../../src-main/model/grad-kernels';
import { nativeKernels, nativeKernelsStatus } from '../../../src-main/model/native-kernels';
import { flattenWeights } from '../../../src-shared/model/params';
import { mulberry32, randomWeights } from '../../../src-shared/model/weights';
import { lossAndGrads } from '../../../src-main/training/grad';

function randn(shape: [number, number], seed: number): tf.Tensor2D {
  const r = mulberry32(seed);
  return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => r() * 2 - 1), shape);
}

/** Float64 aᵀ·b and column sums: the oracle. */
function reference(a: Float32Array, b: Float32Array, n: number, k: number, m: number) {
  const c = new Float64Array(k * m);
  const s = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) for (let q = 0; q < m; q++) c[p * m + q] += a[i * k + p] * b[i * m + q];
    for (let q = 0; q < m; q++) s[q] += b[i * m + q];
  }
  return { c, s };
}

// The products run native (AVX2/AVX-512 addon) where it loaded, else in wasm: both are checked here.
for (const native of [true, false]) describe(`gradient kernels (${native ? 'native products' : 'wasm only'})`, () => {
  beforeEach(() => {
    gradKernelChoice.native = native;
  });
  afterEach(() => {
    gradKernelChoice.native = true;
  });
  // Full SIMD tiles, ragged edges in both directions, rows that are not a multiple of the block size, and degenerate shapes.
  const shapes: [number, number, number][] = [[1, 1, 1], [7, 3, 5], [65, 4, 8], [130, 9, 17], [200, 32, 64], [1000, 6, 256], [3, 0, 4], [0, 4, 8]];
  for (const [n, k, m] of shapes) {
    it(`aᵀ·b and column sums match float64 for N=${n}, K=${k}, M=${m}`, async () => {
      await initBackend({ force: 'wasm' });
      const before = tf.memory().numTensors;
      const a = randn([n, k], n + k);
      const b = randn([n, m], n + m + 1);
      const c = wasmMatMulTA(a, b);
      const s = wasmColSums(b);
      expect(c.shape).toEqual([k, m]);
      expect(s.shape).toEqual([m]);
      const ref = reference(a.dataSync() as Float32Array, b.dataSync() as Float32Array, n, k, m);
      const got = c.dataSync();
      for (let i = 0; i < ref.c.length; i++) expect(Math.abs(got[i] - ref.c[i])).toBeLessThan(1e-5 * (1 + Math.sqrt(n)));
      const gs = s.dataSync();
      for (let i = 0; i < m; i++) expect(Math.abs(gs[i] - ref.s[i])).toBeLessThan(1e-5 * (1 + Math.sqrt(n)));
      tf.dispose([a, b, c, s]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  for (const [n, k, m] of [[1, 1, 1], [5, 3, 7], [9, 4, 8], [130, 9, 17], [64, 64, 256], [3, 0, 4]] as const) {
    it(`x·w (+ bias) matches float64 for N=${n}, K=${k}, M=${m}`, async () => {
      await initBackend({ force: 'wasm' });
      const x = randn([n, k], 3 * n + k);
      const w = randn([k, m], 5 * k + m);
      const bias = tf.tensor1d(Float32Array.from({ length: m }, (_, i) => (i % 5) - 2));
      const xv = x.dataSync(), wv = w.dataSync(), bv = bias.dataSync();
      for (const withBias of [false, true]) {
        const y = wasmMatMul(x, w, withBias ? bias : undefined);
        expect(y.shape).toEqual([n, m]);
        const got = y.dataSync();
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
          let acc = withBias ? bv[j] : 0;
          for (let p = 0; p < k; p++) acc += xv[i * k + p] * wv[p * m + j];
          expect(Math.abs(got[i * m + j] - acc)).toBeLessThan(1e-5 * (1 + Math.sqrt(k)));
        }
        y.dispose();
      }
      tf.dispose([x, w, bias]);
    });
  }

  it('work on tensors allocated after the heap grew (the kernels share the backend memory)', async () => {
    await initBackend({ force: 'wasm' });
    const big = tf.zeros([4096, 1024]); // 16 MB: forces the wasm memory to grow
    const a = randn([300, 8], 1);
    const b = randn([300, 16], 2);
    const ref = tf.matMul(a, b, true, false);
    const got = wasmMatMulTA(a, b);
    const d = tf.abs(tf.sub(got, ref));
    expect(tf.max(d).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose(d);
    tf.dispose([big, a, b, ref, got]);
  });

});

describe('a training pass with native products', () => {
  it('gives the loss and gradients of the wasm kernels within float rounding', async () => {
    await initBackend({ force: 'wasm' });
    const config = { sampleRate: 16000, residualChannels: 16, dilationChannels: 32, skipChannels: 32, layersPerStack: 4, stacks: 2, quantization: 256, numLabels: 3, excitationChannels: 3 };
    const r = mulberry32(9);
    const T = 200;
    const L = T + 30;
    const batch = {
      B: 2, L, T,
      inputs: Int32Array.from({ length: 2 * L }, () => Math.floor(r() * 256)),
      targets: Int32Array.from({ length: 2 * T }, () => Math.floor(r() * 256)),
      labels: Int32Array.from([0, 2]),
      excitation: Float32Array.from({ length: 2 * L * 3 }, () => r() * 2 - 1),
    };
    const flat = flattenWeights(randomWeights(config, 4));
    const on = lossAndGrads(config, flat, batch);
    gradKernelChoice.native = false;
    const off = lossAndGrads(config, flat, batch);
    gradKernelChoice.native = true;
    expect(Math.abs(on.loss - off.loss)).toBeLessThan(1e-5);
    let num = 0, den = 0;
    for (let i = 0; i < on.grads.length; i++) {
      num += (on.grads[i] - off.grads[i]) ** 2;
      den += off.grads[i] ** 2;
    }
    expect(den).toBeGreaterThan(0);
    expect(Math.sqrt(num / den)).toBeLessThan(1e-5);
  });
});

describe('native elementwise kernels', () => {
  it('the gate sigmoid is σ(2h) on the filter half and σ(h) on the gate half within 2e-7, at the extremes too', async () => {
    await initBackend({ force: 'wasm' });
    if (!nativeKernelsActive()) return expect(nativeKernelsStatus()).not.toMatch(/^native/);
    for (const [n, g] of [[3, 5], [7, 16], [5, 37]] as const) {
      const r = mulberry32(n * g);
      const hv = Float32Array.from({ length: n * 2 * g }, () => (r() * 2 - 1) * 12);
      hv[0] = 100; hv[1] = -100; hv[2] = 0; hv[hv.length - 1] = -60;
      const h = tf.tensor2d(hv, [n, 2 * g]);
      const s = nativeGateSigmoid(h);
      const got = s.dataSync();
      for (let i = 0; i < n; i++) for (let j = 0; j < 2 * g; j++) {
        const x = hv[i * 2 * g + j] * (j < g ? 2 : 1);
        expect(Math.abs(got[i * 2 * g + j] - 1 / (1 + Math.exp(-x)))).toBeLessThan(2e-7);
      }
      tf.dispose([h, s]);
    }
  });

  it('same-shape float adds go native and equal the broadcasting kernel; broadcasts still work', async () => {
    await initBackend({ force: 'wasm' });
    expect(gradKernelsAvailable()).toBe(true); // installs the Add override
    const a = randn([33, 17], 1);
    const b = randn([33, 17], 2);
    const av = a.dataSync(), bv = b.dataSync();
    const c = tf.add(a, b).dataSync();
    for (let i = 0; i < av.length; i++) expect(c[i]).toBe(Math.fround(av[i] + bv[i]));
    const row = tf.tensor1d(Float32Array.from({ length: 17 }, (_, i) => i));
    const d = tf.add(a, row).dataSync();
    for (let i = 0; i < av.length; i++) expect(d[i]).toBe(Math.fround(av[i] + (i % 17)));
    expect(Array.from(tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')).dataSync())).toEqual([4, 6]);
    tf.dispose([a, b, row]);
  });
});

describe('gradient kernel builds', () => {
  it('the committed kernel matches its AssemblyScript source', () => {
    const out = execFileSync(process.execPath, ['src-main/model/wasm/build-grad-kernels.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/up to date/);
  });

  it('the native addon was built at install and loads on an x86-64 CPU with AVX2+FMA', () => {
    const flags = process.arch === 'x64' ? (readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '').split(' ') : [];
    if (!(flags.includes('avx2') && flags.includes('fma'))) {
      // Another CPU: training must say why it uses wasm instead.
      expect(nativeKernels()).toBeNull();
      expect(nativeKernelsStatus()).not.toBe('');
      return;
    }
    expect(nativeKernelsStatus()).toMatch(/^native avx(2|512)$/);
    expect(nativeKernels()!.simd).toBe(flags.includes('avx512f') ? 'avx512' : 'avx2');
  });

  it('without the addon (switched off, or not where it should be) training says why and keeps the wasm kernels', () => {
    const status = (env: Record<string, string>) =>
      execFileSync(process.execPath, ['--import', 'tsx', '-e', "import('./src-main/model/native-kernels.ts').then((m) => console.log(`${m.nativeKernelsStatus()} ${m.nativeKernels() === null}`))"], {
        encoding: 'utf8', env: { ...process.env, ...env },
      }).trim();
    expect(status({ WAVEHOUSE_NATIVE_KERNELS: 'off' })).toBe('turned off by WAVEHOUSE_NATIVE_KERNELS=off true');
    expect(status({ WAVEHOUSE_NATIVE_KERNELS: '/nonexistent/wavehouse_kernels.node' })).toBe('not built (scripts/build-native.mjs) true');
    const skipped = execFileSync(process.execPath, ['scripts/build-native.mjs'], { encoding: 'utf8', env: { ...process.env, WAVEHOUSE_NATIVE_KERNELS: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(skipped).toBe(''); // the warning goes to stderr and the install goes on (exit 0)
  });

  it('the native addon refuses operands outside the heap instead of touching other memory', () => {
    const k = nativeKernels();
    if (!k) return expect(nativeKernelsStatus()).not.toMatch(/^native/);
    const heap = new ArrayBuffer(1024);
    expect(() => k.matMul(heap, 64, 128, 0, 0, 512, 100, 4, 4)).toThrow(/outside the heap/);
    expect(() => k.matMulTA(heap, 6, 64, 128, 2, 2, 2)).toThrow(/outside the heap/); // misaligned
    expect(() => k.colSums(heap, 0, 64, 4, 4)).toThrow(/needs b and c/);
    expect(() => k.matMul(heap, -4, 0, 0, 0, 0, 1, 1, 1)).toThrow(/non-negative integers/);
    expect(() => (k.colSums as (...a: unknown[]) => void)({}, 4, 8, 1, 1)).toThrow(/ArrayBuffer/);
  });
});
