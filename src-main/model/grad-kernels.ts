/**
 * Hand-written WebAssembly SIMD kernels for the two gradient reductions over all B·T rows —
 * aᵀ·b (every weight gradient) and column sums (every bias gradient) — registered as tfjs kernels
 * of the wasm backend. The module (wasm/grad-kernels.as) imports the backend's own memory and
 * works in place on its tensors: no copies, no transposes, no per-call repacking of a multi-MB
 * operand (which is what XNNPACK does for the right-hand side of every matMul).
 */
import * as tf from '@tensorflow/tfjs-core';
import { GRAD_KERNELS_WASM_BASE64 } from './wasm/grad-kernels.wasm';

interface GradKernelExports {
  matMulTA(a: number, b: number, c: number, n: number, k: number, m: number): void;
  colSums(b: number, c: number, n: number, m: number): void;
}

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

const MATMUL_TA = 'WavehouseMatMulTA';
const COL_SUMS = 'WavehouseColSums';

let module: WebAssembly.Module | null = null;
// One instance per backend: each wasm backend (one per worker thread) has its own memory.
const instances = new WeakMap<WebAssembly.Memory, GradKernelExports>();

function decodeBase64(s: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(s, 'base64'));
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function kernelsOf(backend: WasmBackendLike): GradKernelExports {
  const memory = backend.wasm.asm.memory;
  let ex = instances.get(memory);
  if (!ex) {
    // 1 KB module: synchronous compilation is fine and keeps the kernels synchronous like tfjs's own.
    module ??= new WebAssembly.Module(decodeBase64(GRAD_KERNELS_WASM_BASE64) as BufferSource);
    ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GradKernelExports;
    instances.set(memory, ex);
  }
  return ex;
}

function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

let registered = false;

function ensureRegistered(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel(MATMUL_TA, 'wasm')) {
    tf.registerKernel({
      kernelName: MATMUL_TA,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => {
        const be = backend as unknown as WasmBackendLike;
        const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        const [n, k] = a.shape;
        const m = b.shape[1];
        const out = be.makeOutput([k, m], 'float32');
        kernelsOf(be).matMulTA(offsetOf(be, a), offsetOf(be, b), offsetOf(be, out), n, k, m);
        return out;
      },
    });
  }
  if (!tf.getKernel(COL_SUMS, 'wasm')) {
    tf.registerKernel({
      kernelName: COL_SUMS,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => {
        const be = backend as unknown as WasmBackendLike;
        const { x } = inputs as { x: tf.TensorInfo };
        const [n, m] = x.shape;
        const out = be.makeOutput([m], 'float32');
        kernelsOf(be).colSums(offsetOf(be, x), offsetOf(be, out), n, m);
        return out;
      },
    });
  }
}

/** True when the active backend is wasm, where these kernels run. */
export function gradKernelsAvailable(): boolean {
  return tf.getBackend() === 'wasm';
}

/** aᵀ·b [K, M] for a [N, K], b [N, M] float32 on the wasm backend. */
export function wasmMatMulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.shape[0] !== b.shape[0]) throw new Error(`matMulTA: row counts differ (${a.shape[0]} vs ${b.shape[0]})`);
  ensureRegistered();
  // Like tf.matMul, accept int32 operands (e.g. one-hot matrices) by casting them.
  return tf.tidy(() => {
    const fa = a.dtype === 'float32' ? a : tf.cast(a, 'float32');
    const fb = b.dtype === 'float32' ? b : tf.cast(b, 'float32');
    return tf.engine().runKernel(MATMUL_TA, { a: fa, b: fb } as unknown as tf.NamedTensorMap, {}) as tf.Tensor2D;
  });
}

/** Column sums [M] of x [N, M] float32 on the wasm backend. */
export function wasmColSums(x: tf.Tensor2D): tf.Tensor1D {
  ensureRegistered();
  return tf.tidy(() => tf.engine().runKernel(COL_SUMS, { x: x.dtype === 'float32' ? x : tf.cast(x, 'float32') } as unknown as tf.NamedTensorMap, {}) as tf.Tensor1D);
}
