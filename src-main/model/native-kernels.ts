/**
 * The optional native training kernels (native/kernels.c, built by scripts/build-native.mjs at
 * install): x·W, aᵀ·b, column sums, the gated unit, same-shape adds and the trimmed layers' row copies at AVX2/AVX-512 width with FMA, working in place on the wasm
 * backend's heap. Where the addon is missing (no compiler at install, another CPU, a bundle without
 * it) or WAVEHOUSE_NATIVE_KERNELS=off, training keeps the WebAssembly kernels: same results within
 * float rounding, ~3× slower products.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's exports: every pointer is a byte offset into `heap` (the wasm memory's buffer). */
export interface NativeKernels {
  /** Instruction set the addon chose for this CPU. */
  readonly simd: 'avx512' | 'avx2';
  matMul(heap: ArrayBuffer, x: number, w: number, bias: number, acc: number, y: number, n: number, k: number, m: number): void;
  matMulTA(heap: ArrayBuffer, a: number, b: number, c: number, n: number, k: number, m: number): void;
  /** y [N, K] = a [N, M] · bᵀ for a weight b [K, M]. */
  matMulTB(heap: ArrayBuffer, a: number, b: number, y: number, n: number, m: number, k: number): void;
  colSums(heap: ArrayBuffer, b: number, c: number, n: number, m: number): void;
  /** s [N, 2G] = σ([2·h_filter | h_gate]) for h [N, 2G]. */
  gateSigmoid(heap: ArrayBuffer, h: number, s: number, n: number, g: number): void;
  /** c = a + b over n floats. */
  add(heap: ArrayBuffer, a: number, b: number, c: number, n: number): void;
  gate(heap: ArrayBuffer, s: number, z: number, n: number, g: number): void;
  gateGrad(heap: ArrayBuffer, s: number, dz: number, dh: number, n: number, g: number): void;
  convInput(heap: ArrayBuffer, x: number, e: number, out: number, batch: number, n: number, r: number, d: number, eChannels: number, l: number): void;
  convInputGrad(heap: ArrayBuffer, g: number, dx: number, batch: number, n: number, r: number, d: number, eChannels: number): void;
  lastRows(heap: ArrayBuffer, x: number, out: number, batch: number, n: number, keep: number, c: number): void;
  lastRowsGrad(heap: ArrayBuffer, g: number, dx: number, batch: number, n: number, keep: number, c: number): void;
}

const ADDON = 'wavehouse_kernels.node';

/** Where the built addon may be: env WAVEHOUSE_NATIVE_KERNELS (a path), next to this source, or from a bundle in out/. */
export function nativeKernelCandidates(): string[] {
  const env = process.env.WAVEHOUSE_NATIVE_KERNELS;
  if (env && env !== 'off') return [env];
  const here = path.dirname(fileURLToPath(import.meta.url));
  const inSource = (root: string) => path.join(root, 'src-main', 'model', 'native', 'build', 'Release', ADDON);
  return [
    path.join(here, 'native', 'build', 'Release', ADDON), // src-main/model (tsx, tests)
    inSource(path.resolve(here, '..', '..')), // out/main/… (the built app run from the project)
    inSource(path.resolve(here, '..', '..', '..')), // out/main/chunks/…
    path.join(process.resourcesPath ?? '', 'native', ADDON), // a packaged app (extraResources)
  ];
}

let loaded: { kernels: NativeKernels | null; reason: string } | null = null;

/** The native kernels, or null with the reason recorded (see nativeKernelsStatus). Loaded once per thread. */
export function nativeKernels(): NativeKernels | null {
  if (loaded) return loaded.kernels;
  if (process.env.WAVEHOUSE_NATIVE_KERNELS === 'off') {
    loaded = { kernels: null, reason: 'turned off by WAVEHOUSE_NATIVE_KERNELS=off' };
    return null;
  }
  const file = nativeKernelCandidates().find((p) => existsSync(p));
  if (!file) {
    loaded = { kernels: null, reason: 'not built (scripts/build-native.mjs)' };
    return null;
  }
  try {
    const mod = createRequire(import.meta.url)(file) as Partial<NativeKernels> & { simd: string };
    if (typeof mod.matMul !== 'function') loaded = { kernels: null, reason: `this CPU has neither AVX2+FMA nor AVX-512 (simd: ${mod.simd})` };
    else loaded = { kernels: mod as NativeKernels, reason: `native ${mod.simd}` };
  } catch (e) {
    loaded = { kernels: null, reason: `failed to load ${file}: ${(e as Error).message.split('\n')[0]}` };
  }
  return loaded.kernels;
}

/** One line for the run record and logs: which kernels train, or why not the native ones. */
export function nativeKernelsStatus(): string {
  nativeKernels();
  return loaded!.reason;
}
