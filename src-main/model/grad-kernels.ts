/**
 * Our kernels for the wasm backend, registered as tfjs kernels and working in place on the
 * backend's own heap (no copies, no transposes, no per-call repacking of a multi-MB operand, which is
 * what XNNPACK does for the right-hand side of every matMul): the products x·W (+ bias, + a residual
 * or skip sum), aᵀ·b and a·Wᵀ, column sums, the gated unit, and the row plumbing of full and
 * trimmed layers. Each runs in WebAssembly SIMD (wasm/grad-kernels.as) or, where the native addon
 * loaded (native-kernels.ts), in AVX2/AVX-512 C on the same memory; `gradKernelChoice` switches.
 * Also here: the wasm Identity made a sharing clone and same-shape Adds sent native (see ensureRegistered).
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeKernels } from './native-kernels';
import { GRAD_KERNELS_WASM_BASE64 } from './wasm/grad-kernels.wasm';

interface GradKernelExports {
  matMulTA(a: number, b: number, c: number, n: number, k: number, m: number): void;
  colSums(b: number, c: number, n: number, m: number): void;
  shiftConcat(x: number, out: number, batch: number, t: number, r: number, d: number): void;
  shiftConcatGrad(g: number, dx: number, batch: number, t: number, r: number, d: number): void;
  gate(s: number, z: number, n: number, g: number): void;
  gateGrad(s: number, dz: number, dh: number, n: number, g: number): void;
  matMul(x: number, w: number, bias: number, acc: number, y: number, n: number, k: number, m: number): void;
  convInput(x: number, e: number, out: number, batch: number, n: number, r: number, d: number, eChannels: number, l: number): void;
  convInputGrad(g: number, dx: number, batch: number, n: number, r: number, d: number, eChannels: number): void;
  lastRows(x: number, out: number, batch: number, n: number, keep: number, c: number): void;
  lastRowsGrad(g: number, dx: number, batch: number, n: number, keep: number, c: number): void;
  /** Native only (absent from the wasm module). */
  gateSigmoid?(h: number, s: number, n: number, g: number): void;
  /** Native only. */
  matMulTB?(a: number, b: number, y: number, n: number, m: number, k: number): void;
}

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

let module: WebAssembly.Module | null = null;
// One instance per backend: each wasm backend (one per worker thread) has its own memory.
const instances = new WeakMap<WebAssembly.Memory, GradKernelExports>();
const withNative = new WeakMap<WebAssembly.Memory, GradKernelExports>();

/** Whether the products use the native kernels where they loaded (native-kernels.ts); tests and benches A/B it. */
export const gradKernelChoice = { native: true };

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
  const nat = gradKernelChoice.native ? nativeKernels() : null;
  if (!nat) return ex;
  let mixed = withNative.get(memory);
  if (!mixed) {
    // Everything but the untrimmed path's shift+concat goes native. memory.buffer is read at each
    // call: a grown heap replaces it.
    mixed = {
      ...ex,
      matMul: (x, w, bias, acc, y, n, k, m) => nat.matMul(memory.buffer, x, w, bias, acc, y, n, k, m),
      matMulTA: (a, b, c, n, k, m) => nat.matMulTA(memory.buffer, a, b, c, n, k, m),
      colSums: (b, c, n, m) => nat.colSums(memory.buffer, b, c, n, m),
      gateSigmoid: (h, s, n, g) => nat.gateSigmoid(memory.buffer, h, s, n, g),
      matMulTB: (a, b, y, n, m, k) => nat.matMulTB(memory.buffer, a, b, y, n, m, k),
      gate: (s, z, n, g) => nat.gate(memory.buffer, s, z, n, g),
      gateGrad: (s, dz, dh, n, g) => nat.gateGrad(memory.buffer, s, dz, dh, n, g),
      convInput: (x, e, out, batch, n, r, d, E, l) => nat.convInput(memory.buffer, x, e, out, batch, n, r, d, E, l),
      convInputGrad: (g, dx, batch, n, r, d, E) => nat.convInputGrad(memory.buffer, g, dx, batch, n, r, d, E),
      lastRows: (x, out, batch, n, keep, c) => nat.lastRows(memory.buffer, x, out, batch, n, keep, c),
      lastRowsGrad: (g, dx, batch, n, keep, c) => nat.lastRowsGrad(memory.buffer, g, dx, batch, n, keep, c),
    };
    withNative.set(memory, mixed);
  }
  return mixed;
}

function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

type Ex = GradKernelExports;
type Run = (ex: Ex, be: WasmBackendLike, inputs: tf.TensorInfo[], attrs: Record<string, number>) => tf.TensorInfo;

/** Our kernels by name: each allocates its output on the backend heap and fills it in place. */
const KERNELS: Record<string, Run> = {
  WavehouseMatMulTA: (ex, be, [a, b]) => {
    const [n, k] = a.shape;
    const m = b.shape[1];
    const out = be.makeOutput([k, m], 'float32');
    ex.matMulTA(offsetOf(be, a), offsetOf(be, b), offsetOf(be, out), n, k, m);
    return out;
  },
  WavehouseMatMul: (ex, be, [x, w, bias, acc], { hasBias }) => {
    const [n, k] = x.shape;
    const m = w.shape[1];
    const out = be.makeOutput([n, m], 'float32');
    const b = hasBias ? bias : undefined;
    const a = hasBias ? acc : bias;
    ex.matMul(offsetOf(be, x), offsetOf(be, w), b ? offsetOf(be, b) : 0, a ? offsetOf(be, a) : 0, offsetOf(be, out), n, k, m);
    return out;
  },
  WavehouseColSums: (ex, be, [x]) => {
    const [n, m] = x.shape;
    const out = be.makeOutput([m], 'float32');
    ex.colSums(offsetOf(be, x), offsetOf(be, out), n, m);
    return out;
  },
  WavehouseShiftConcat: (ex, be, [x], { batch, d }) => {
    const [n, r] = x.shape;
    const out = be.makeOutput([n, 2 * r], 'float32');
    ex.shiftConcat(offsetOf(be, x), offsetOf(be, out), batch, n / batch, r, d);
    return out;
  },
  WavehouseShiftConcatGrad: (ex, be, [g], { batch, d }) => {
    const [n, r2] = g.shape;
    const out = be.makeOutput([n, r2 / 2], 'float32');
    ex.shiftConcatGrad(offsetOf(be, g), offsetOf(be, out), batch, n / batch, r2 / 2, d);
    return out;
  },
  WavehouseConvInput: (ex, be, [x, e], { batch, d, E, L }) => {
    const [rows, r] = x.shape;
    const n = rows / batch;
    const out = be.makeOutput([batch * (n - d), 2 * r + E], 'float32');
    ex.convInput(offsetOf(be, x), E > 0 ? offsetOf(be, e) : 0, offsetOf(be, out), batch, n, r, d, E, L);
    return out;
  },
  WavehouseConvInputGrad: (ex, be, [g], { batch, d, E, n }) => {
    const r = (g.shape[1] - E) / 2;
    const out = be.makeOutput([batch * n, r], 'float32');
    ex.convInputGrad(offsetOf(be, g), offsetOf(be, out), batch, n, r, d, E);
    return out;
  },
  WavehouseLastRows: (ex, be, [x], { batch, keep }) => {
    const [rows, c] = x.shape;
    const out = be.makeOutput([batch * keep, c], 'float32');
    ex.lastRows(offsetOf(be, x), offsetOf(be, out), batch, rows / batch, keep, c);
    return out;
  },
  WavehouseLastRowsGrad: (ex, be, [g], { batch, n }) => {
    const [rows, c] = g.shape;
    const out = be.makeOutput([batch * n, c], 'float32');
    ex.lastRowsGrad(offsetOf(be, g), offsetOf(be, out), batch, n, rows / batch, c);
    return out;
  },
  WavehouseMatMulTB: (ex, be, [a, b]) => {
    const [n, m] = a.shape;
    const k = b.shape[0];
    if (!ex.matMulTB) throw new Error('WavehouseMatMulTB needs the native kernels');
    const out = be.makeOutput([n, k], 'float32');
    ex.matMulTB(offsetOf(be, a), offsetOf(be, b), offsetOf(be, out), n, m, k);
    return out;
  },
  WavehouseGateSigmoid: (ex, be, [h]) => {
    const [n, d] = h.shape;
    if (!ex.gateSigmoid) throw new Error('WavehouseGateSigmoid needs the native kernels');
    const out = be.makeOutput([n, d], 'float32');
    ex.gateSigmoid(offsetOf(be, h), offsetOf(be, out), n, d / 2);
    return out;
  },
  WavehouseGate: (ex, be, [s]) => {
    const [n, d] = s.shape;
    const out = be.makeOutput([n, d / 2], 'float32');
    ex.gate(offsetOf(be, s), offsetOf(be, out), n, d / 2);
    return out;
  },
  WavehouseGateGrad: (ex, be, [s, dz]) => {
    const [n, d] = s.shape;
    const out = be.makeOutput([n, d], 'float32');
    ex.gateGrad(offsetOf(be, s), offsetOf(be, dz), offsetOf(be, out), n, d / 2);
    return out;
  },
};

let registered = false;

function ensureRegistered(): void {
  if (registered) return;
  registered = true;
  // tfjs saves every tensor a gradient needs through clone() (the Identity kernel), and wasm's
  // Identity copies the data: ~15 ms of a 175 ms training pass. Tensors are immutable, so a clone
  // can share the data, as on the cpu backend and as wasm's own Reshape does.
  if (tf.getKernel('Identity', 'wasm')) tf.unregisterKernel('Identity', 'wasm');
  // Same-shape float adds (gradient sums, where tfjs adds the parts of a tensor's gradient) go native:
  // wasm's Add handles broadcasting element by element, ~4x slower than a straight vector pass.
  const add = tf.getKernel('Add', 'wasm');
  if (add && !(add.kernelFunc as { wavehouse?: boolean }).wavehouse) {
    const original = add.kernelFunc;
    const fast: tf.KernelFunc = (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const nat = gradKernelChoice.native ? nativeKernels() : null;
      const be = args.backend as unknown as WasmBackendLike;
      if (!nat || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length !== b.shape.length || a.shape.some((v, i) => v !== b.shape[i])) return original(args);
      const out = be.makeOutput(a.shape, 'float32');
      nat.add(be.wasm.asm.memory.buffer, offsetOf(be, a), offsetOf(be, b), offsetOf(be, out), a.shape.reduce((p, v) => p * v, 1));
      return out;
    };
    (fast as { wavehouse?: boolean }).wavehouse = true;
    tf.unregisterKernel('Add', 'wasm');
    tf.registerKernel({ ...add, kernelFunc: fast });
  }
  tf.registerKernel({
    kernelName: 'Identity',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      if (x.dtype === 'string') return tf.tensor((backend as unknown as { readSync(id: object): string[] }).readSync(x.dataId), x.shape, 'string') as unknown as tf.TensorInfo;
      (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
  for (const [name, run] of Object.entries(KERNELS)) {
    if (tf.getKernel(name, 'wasm')) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const be = backend as unknown as WasmBackendLike;
        return run(kernelsOf(be), be, Object.values(inputs as Record<string, tf.TensorInfo>), (attrs ?? {}) as Record<string, number>);
      },
    });
  }
}

/** Runs one of our kernels on float32 inputs (others are cast, like tf.matMul does). */
function run(name: string, inputs: tf.Tensor[], attrs: Record<string, number> = {}): tf.Tensor {
  ensureRegistered();
  return tf.tidy(() => {
    const named: Record<string, tf.Tensor> = {};
    inputs.forEach((t, i) => (named[`x${i}`] = t.dtype === 'float32' ? t : tf.cast(t, 'float32')));
    return tf.engine().runKernel(name, named as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  });
}

/** True when the active backend is wasm, where these kernels run. */
export function gradKernelsAvailable(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  ensureRegistered();
  return true;
}

/** aᵀ·b [K, M] for a [N, K], b [N, M] on the wasm backend. */
export function wasmMatMulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.shape[0] !== b.shape[0]) throw new Error(`matMulTA: row counts differ (${a.shape[0]} vs ${b.shape[0]})`);
  return run('WavehouseMatMulTA', [a, b]) as tf.Tensor2D;
}

/** (acc +) x·w (+ bias) [N, M] for x [N, K], w [K, M], bias [M], acc [N, M], on the wasm backend. */
export function wasmMatMul(x: tf.Tensor2D, w: tf.Tensor2D, bias?: tf.Tensor1D, acc?: tf.Tensor2D): tf.Tensor2D {
  if (x.shape[1] !== w.shape[0]) throw new Error(`matMul: inner sizes differ (${x.shape[1]} vs ${w.shape[0]})`);
  if (acc && (acc.shape[0] !== x.shape[0] || acc.shape[1] !== w.shape[1])) throw new Error(`matMul: accumulator shape [${acc.shape}] is not [${x.shape[0]}, ${w.shape[1]}]`);
  const inputs = [x, w, ...(bias ? [bias] : []), ...(acc ? [acc] : [])];
  return run('WavehouseMatMul', inputs, { hasBias: bias ? 1 : 0 }) as tf.Tensor2D;
}

/** Column sums [M] of x [N, M] on the wasm backend. */
export function wasmColSums(x: tf.Tensor2D): tf.Tensor1D {
  return run('WavehouseColSums', [x]) as tf.Tensor1D;
}

/** [x[t − d] | x[t]] rows [N, 2R] for x [N, R] holding `batch` sequences, on the wasm backend. */
export function wasmShiftConcat(x: tf.Tensor2D, batch: number, d: number): tf.Tensor2D {
  return run('WavehouseShiftConcat', [x], { batch, d }) as tf.Tensor2D;
}

/** Gradient of wasmShiftConcat: [N, R] from g [N, 2R]. */
export function wasmShiftConcatGrad(g: tf.Tensor2D, batch: number, d: number): tf.Tensor2D {
  return run('WavehouseShiftConcatGrad', [g], { batch, d }) as tf.Tensor2D;
}

/**
 * The valid dilated conv's input [B·(n−d), 2R+E] for x [B·n, R]: rows [x[i] | x[i+d] | e[L−(n−d)+i]],
 * with e [B·L, E] the pitch excitation (omit for E = 0), on the wasm backend.
 */
export function wasmConvInput(x: tf.Tensor2D, batch: number, d: number, e?: tf.Tensor2D, L = 0): tf.Tensor2D {
  const E = e ? e.shape[1] : 0;
  return run('WavehouseConvInput', e ? [x, e] : [x], { batch, d, E, L }) as tf.Tensor2D;
}

/** Gradient of wasmConvInput w.r.t. x: [B·n, R] from g [B·(n−d), 2R+E]. */
export function wasmConvInputGrad(g: tf.Tensor2D, batch: number, n: number, d: number, E: number): tf.Tensor2D {
  return run('WavehouseConvInputGrad', [g], { batch, n, d, E }) as tf.Tensor2D;
}

/** The last `keep` rows of each of `batch` sequences of x, on the wasm backend. */
export function wasmLastRows(x: tf.Tensor2D, batch: number, keep: number): tf.Tensor2D {
  return run('WavehouseLastRows', [x], { batch, keep }) as tf.Tensor2D;
}

/** Gradient of wasmLastRows: g's rows placed last in each sequence of n rows, zeros before. */
export function wasmLastRowsGrad(g: tf.Tensor2D, batch: number, n: number): tf.Tensor2D {
  return run('WavehouseLastRowsGrad', [g], { batch, n }) as tf.Tensor2D;
}

/** a·bᵀ [N, K] for a [N, M] and a weight b [K, M], natively (needs nativeKernelsActive()). */
export function nativeMatMulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.shape[1] !== b.shape[1]) throw new Error(`matMulTB: inner sizes differ (${a.shape[1]} vs ${b.shape[1]})`);
  return run('WavehouseMatMulTB', [a, b]) as tf.Tensor2D;
}

/** True when the native kernels serve this thread (the wasm backend, the addon loaded, not switched off). */
export function nativeKernelsActive(): boolean {
  return gradKernelChoice.native && gradKernelsAvailable() && nativeKernels() !== null;
}

/** s = σ([2·h_f | h_g]) [N, 2G] for h [N, 2G] in one native pass (needs nativeKernelsActive()). */
export function nativeGateSigmoid(h: tf.Tensor2D): tf.Tensor2D {
  return run('WavehouseGateSigmoid', [h]) as tf.Tensor2D;
}

/** Gated unit z [N, G] from s = σ([2·h_f | h_g]) [N, 2G], on the wasm backend. */
export function wasmGate(s: tf.Tensor2D): tf.Tensor2D {
  return run('WavehouseGate', [s]) as tf.Tensor2D;
}

/** Gradient of the gated unit w.r.t. the unscaled h [N, 2G], from s and dz [N, G]. */
export function wasmGateGrad(s: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D {
  return run('WavehouseGateGrad', [s, dz]) as tf.Tensor2D;
}
