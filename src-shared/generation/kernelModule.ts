import { KERNEL_WASM_BASE64 } from './wasm/kernel.wasm';

/** The kernel's exports (see wasm/kernel.as); pointers are byte offsets into `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  step(plan: number, n: number, t: number): void;
  gemm(x: number, xStride: number, n: number, w: number, K: number, N: number, y: number, yStride: number, bias: number, accumulate: number): void;
  /** gemm over a bf16 panel matrix (pack.ts toBf16Panels). */
  gemmBf16(x: number, xStride: number, n: number, w: number, K: number, N: number, y: number, yStride: number, bias: number, accumulate: number): void;
  /** gemm over an int16 block (pack.ts toI16Block); `q` is scratch for n * K int16, `sx` for n f32. */
  gemmI16(x: number, xStride: number, n: number, w: number, K: number, N: number, y: number, yStride: number, bias: number, accumulate: number, q: number, sx: number): void;
  gate(h: number, n: number, G: number, z: number): void;
  relu(src: number, dst: number, count: number): void;
  softmaxWeights(logits: number, n: number, Q: number, stride: number, invT: number, out: number): void;
  /** First byte after the kernel's static data (its constants); callers lay out buffers from KERNEL_FREE_FROM. */
  heapBase(): number;
}

/** Callers' buffers start at or above this byte offset: below it lie the kernel's constants (from byte 64) and address 0, which the kernel reads as "no bias". */
export const KERNEL_FREE_FROM = 1024;

/**
 * A short fingerprint of the built kernel (FNV-1a of its bytes, hex): recorded on takes, since a take's
 * bytes depend on the kernel's arithmetic as well as on the checkpoint, seed, settings and precision.
 */
export const KERNEL_BUILD = ((): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < KERNEL_WASM_BASE64.length; i++) h = Math.imul(h ^ KERNEL_WASM_BASE64.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
})();

let compiled: Promise<WebAssembly.Module> | undefined;

/** Decodes base64 without Buffer so the kernel also loads in a browser worker. */
function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Compiles the kernel once per thread (later calls share the module). */
export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(KERNEL_WASM_BASE64) as BufferSource);
  return compiled;
}

/** A fresh kernel instance with its own memory, grown to at least `bytes` (`module` overrides the built-in kernel, for A/B runs). */
export async function instantiateKernel(bytes: number, module?: WebAssembly.Module): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module ?? (await kernelModule()), {});
  const exports = instance.exports as unknown as KernelExports;
  // build-wasm.mjs places the constants at byte 64 (--memoryBase); a kernel whose static data grew past
  // KERNEL_FREE_FROM would have them overwritten by the engine's plan.
  if (typeof exports.heapBase === 'function' && exports.heapBase() > KERNEL_FREE_FROM) throw new Error(`kernel: static data ends at ${exports.heapBase()}, above ${KERNEL_FREE_FROM}`);
  const have = exports.memory.buffer.byteLength;
  if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / 65536));
  return exports;
}
