/**
 * The few tfjs building blocks of the WaveNet, with hand-written gradients where the stock ones
 * are missing or slow on some backend:
 * - on wasm, every product, weight/bias gradient, the conv's shifted input and the gated unit run
 *   through our own kernels on the backend's heap (grad-kernels.ts: wasm SIMD, or native AVX2/AVX-512
 *   where the addon loaded): tfjs-wasm runs transposed
 *   matMuls through a naive loop, repacks XNNPACK's right-hand operand on every call (~3 ms per MB),
 *   and runs strided slices and axis-1 concats as JS loops over rows;
 * - the gated unit fuses tanh·sigmoid (tanh as 2·sigmoid(2x)−1: wasm's tanh is scalar and ~8x
 *   slower than its sigmoid) and keeps only what the backward pass needs;
 * - other backends (cpu, tfjs-node) run the plain tfjs formulation of the same ops; tests check
 *   both agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import './tf-gradients';
import { gradKernelsAvailable, nativeKernelsActive, nativeGateSigmoid, nativeMatMulTB, wasmColSums, wasmConvInput, wasmConvInputGrad, wasmGate, wasmGateGrad, wasmLastRows, wasmLastRowsGrad, wasmMatMul, wasmMatMulTA, wasmShiftConcat, wasmShiftConcatGrad } from './grad-kernels';

type GradBody = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: never, saved: tf.Tensor[]) => tf.Tensor[] };

/** tf.customGrad with looser typing: its declared signature does not admit typed inputs plus `save`. */
function customGrad(f: GradBody): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...inputs: tf.Tensor[]) => tf.Tensor;
}

/** True when gradients should transpose explicitly instead of using matMul's transpose flags. */
function explicitTranspose(): boolean {
  return tf.getBackend() === 'wasm';
}

/**
 * Switches between each wasm fast path and the formulation it replaced, so tests can compare them
 * and benchmarks can A/B them in one process. The defaults are the fast paths.
 */
export const wasmGradMode = {
  /** Weight and bias gradients: our aᵀ·b / column-sum kernels, or explicit transpose + XNNPACK. */
  weights: 'kernel' as 'kernel' | 'transpose',
  /** Conv input shift+concat and gated unit: our kernels, or tfjs pad/slice/concat/split ops. */
  layer: 'kernel' as 'kernel' | 'ops',
  /** XNNPACK path only: bias fused into the matMul. */
  fusedBias: true,
  /** Softmax cross-entropy's exp through sigmoid (all backends), or logSoftmax + exp. */
  sigmoidSoftmax: true,
  /** x·W products: our GEMM kernel, or XNNPACK. */
  gemm: 'kernel' as 'kernel' | 'xnnpack',
  /** Residual/skip sums folded into our GEMM's output pass, or separate adds. */
  fuseAdd: true,
};

/** True when x·W products run through our wasm GEMM (faster than XNNPACK's for these skinny shapes, ~35 vs ~20 GFLOP/s). */
function gemmKernel(): boolean {
  return wasmGradMode.gemm === 'kernel' && gradKernelsAvailable();
}

/** x·w (+ b) for x [N, K], w [K, M], b [M]. */
function matMulBias(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  if (gemmKernel()) return wasmMatMul(x, w, b);
  if (!b) return tf.matMul(x, w);
  // Bias fused into the matMul (XNNPACK adds it in the GEMM's output pass): one pass over y fewer.
  return wasmGradMode.fusedBias ? (tf.fused.matMul({ a: x, b: w, bias: b }) as tf.Tensor2D) : (tf.add(tf.matMul(x, w), b) as tf.Tensor2D);
}

/** True when the layer plumbing (shift+concat, gate) runs through our wasm kernels. */
function layerKernels(): boolean {
  return wasmGradMode.layer === 'kernel' && gradKernelsAvailable();
}

/** aᵀ·b for a [N, K], b [N, M]: the weight gradient of a matMul. */
export function matMulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!explicitTranspose()) return tf.matMul(a, b, true, false);
  // Our SIMD kernel reads both operands in place: no transpose copy, no XNNPACK repacking.
  if (wasmGradMode.weights === 'kernel' && gradKernelsAvailable()) return wasmMatMulTA(a, b);
  // Transpose the narrower operand: the transpose copy is the expensive part.
  if (a.shape[1] <= b.shape[1]) return tf.matMul(tf.transpose(a), b);
  return tf.transpose(tf.matMul(tf.transpose(b), a));
}

/** a·bᵀ for a [N, M], b [K, M] (b small: a weight). */
function matMulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!explicitTranspose()) return tf.matMul(a, b, false, true);
  // Native: the weight is transposed inside the kernel, no Transpose op and tensor per product.
  if (gemmKernel() && nativeKernelsActive()) return nativeMatMulTB(a, b);
  return matMulBias(a, tf.transpose(b));
}

/** Sum over rows of a [N, M] matrix. On wasm a ones-row matMul is ~40x faster than sum(axis 0), which transposes first. */
export function columnSums(g: tf.Tensor2D): tf.Tensor1D {
  if (!explicitTranspose()) return tf.sum(g, 0);
  if (wasmGradMode.weights === 'kernel' && gradKernelsAvailable()) return wasmColSums(g);
  return tf.reshape(tf.matMul(tf.ones([1, g.shape[0]]), g), [g.shape[1]]);
}

/** y = x·W + b with gradients that avoid slow transposed matMuls. x [N, K], W [K, M], b [M]. */
export const dense = customGrad((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  const value = matMulBias(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D);
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [xs, ws] = saved as tf.Tensor2D[];
      return [matMulTB(g, ws), matMulTA(xs, g), columnSums(g)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * y = acc + x·W + b (a residual or skip sum plus a 1×1 conv), same gradients as acc + dense(x, W, b).
 * On wasm the sum is folded into the GEMM's output pass instead of a separate add over [N, M].
 */
export const denseAdd = customGrad((acc: tf.Tensor, x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  const value = gemmKernel() && wasmGradMode.fuseAdd
    ? wasmMatMul(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, acc as tf.Tensor2D)
    : tf.add(acc, matMulBias(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D));
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [xs, ws] = saved as tf.Tensor2D[];
      // The accumulator's gradient is dy itself; a reshape is a new handle on the same data (no copy).
      return [tf.reshape(g, g.shape), matMulTB(g, ws), matMulTA(xs, g), columnSums(g)];
    },
  };
}) as (acc: tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** y = x·W (no bias), same gradient treatment as dense. */
export const matMulG = customGrad((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: matMulBias(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      return [matMulTB(dy as tf.Tensor2D, ws), matMulTA(xs, dy as tf.Tensor2D)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * h + e·W for h [N, D], the pitch excitation e [N, E] and its projection W [E, D]: a local
 * condition. Only h and W get gradients (the excitation is data, not a parameter), so the backward
 * pass is one aᵀ·b product; on wasm the forward folds the sum into our GEMM's output pass.
 */
export const excitationAdd = customGrad((h: tf.Tensor, e: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([e]);
  const value = gemmKernel() ? wasmMatMul(e as tf.Tensor2D, w as tf.Tensor2D, undefined, h as tf.Tensor2D) : tf.add(h, tf.matMul(e as tf.Tensor2D, w as tf.Tensor2D));
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      return [tf.reshape(g, g.shape), tf.zerosLike(saved[0]), matMulTA(saved[0] as tf.Tensor2D, g)];
    },
  };
}) as (h: tf.Tensor2D, e: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** Gated unit z = tanh(h[:, :G]) · sigmoid(h[:, G:]) for h [N, 2G]. */
export const gatedUnit = customGrad((h: tf.Tensor, save: tf.GradSaveFunc) => {
  const [n, d] = h.shape as [number, number];
  const g = d / 2;
  // One sigmoid over the whole row: the filter half is pre-scaled by 2 so 2σ(2x)−1 = tanh(x).
  // Native: the scaling and the sigmoid in one vector pass (wasm's Sigmoid and Mul are ~20x slower).
  const s = layerKernels() && nativeKernelsActive()
    ? nativeGateSigmoid(h as tf.Tensor2D)
    : (tf.sigmoid(tf.mul(h, tf.concat([tf.fill([g], 2), tf.ones([g])]))) as tf.Tensor2D);
  if (layerKernels()) {
    // Our kernels read both halves of s in place: no column slices (JS row loops on wasm), one pass each way.
    save([s]);
    return {
      value: wasmGate(s),
      gradFunc: (dz: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [wasmGateGrad(saved[0] as tf.Tensor2D, dz as tf.Tensor2D)],
    };
  }
  const t = tf.sub(tf.mul(tf.slice(s, [0, 0], [n, g]), 2), 1);
  const sg = tf.slice(s, [0, g], [n, g]);
  save([t, sg]);
  return {
    value: tf.mul(t, sg),
    gradFunc: (dz: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [ts, sgs] = saved;
      const dzs = dz as tf.Tensor;
      const dhf = tf.mul(tf.mul(dzs, sgs), tf.sub(1, tf.square(ts)));
      const dhg = tf.mul(tf.mul(dzs, ts), tf.mul(sgs, tf.sub(1, sgs)));
      return [tf.concat([dhf, dhg], 1)];
    },
  };
}) as (h: tf.Tensor2D) => tf.Tensor2D;

/**
 * [x[t − d] | x[t]] rows [N, 2R] for x [N, R] holding `batch` sequences: the dilated conv's input,
 * so the conv is one matMul with [convPast; convNow]. On wasm one kernel pass each way; elsewhere
 * pad + slice + concat with the matching hand-written gradient.
 */
export function shiftConcat(x: tf.Tensor2D, batch: number, d: number): tf.Tensor2D {
  const f = customGrad((xs: tf.Tensor) => {
    if (layerKernels()) {
      return { value: wasmShiftConcat(xs as tf.Tensor2D, batch, d), gradFunc: (g: tf.Tensor | tf.Tensor[]) => [wasmShiftConcatGrad(g as tf.Tensor2D, batch, d)] };
    }
    const [n, r] = xs.shape as [number, number];
    const T = n / batch;
    return {
      value: tf.concat([causalShift(xs as tf.Tensor2D, batch, d), xs], 1),
      gradFunc: (g: tf.Tensor | tf.Tensor[]) => {
        const gt = g as tf.Tensor2D;
        const now = tf.slice(gt, [0, r], [n, r]);
        if (d >= T) return [now];
        // The past half's row t feeds output row t + d: shift it back by d within each sequence.
        const past = tf.reshape(tf.slice(tf.reshape(tf.slice(gt, [0, 0], [n, r]), [batch, T, r]), [0, d, 0], [batch, T - d, r]), [batch, T - d, r]);
        return [tf.add(now, tf.reshape(tf.pad(past, [[0, 0], [0, d], [0, 0]]), [n, r]))];
      },
    };
  });
  return f(x) as tf.Tensor2D;
}

/**
 * A valid dilated conv's input for x [B·n, R] holding `batch` sequences of n rows: rows
 * [x[i] | x[i+d] | e[L−(n−d)+i]] for i < n−d, so the conv's output row i is input row i+d's. The pitch
 * excitation e [B·L, E] (optional) of those output rows rides along, so one product with
 * [convPast; convNow; excW] also applies its projection. The excitation is data: no gradient.
 */
export function convInput(x: tf.Tensor2D, batch: number, d: number, e?: tf.Tensor2D, L = 0): tf.Tensor2D {
  const [rows, r] = x.shape;
  const n = rows / batch;
  const m = n - d;
  if (!(m > 0)) throw new Error(`convInput: ${n} rows per sequence leave none after a dilation of ${d}`);
  const E = e ? e.shape[1] : 0;
  if (e && e.shape[0] !== batch * L) throw new Error(`convInput: excitation has ${e.shape[0]} rows, expected ${batch} × ${L}`);
  if (layerKernels()) {
    const f = customGrad((xs: tf.Tensor) => ({
      value: wasmConvInput(xs as tf.Tensor2D, batch, d, e, L),
      gradFunc: (g: tf.Tensor | tf.Tensor[]) => [wasmConvInputGrad(g as tf.Tensor2D, batch, n, d, E)],
    }));
    return f(x) as tf.Tensor2D;
  }
  const x3 = tf.reshape(x, [batch, n, r]);
  const parts: tf.Tensor[] = [tf.slice(x3, [0, 0, 0], [batch, m, r]), tf.slice(x3, [0, d, 0], [batch, m, r])];
  if (e) parts.push(tf.slice(tf.reshape(e, [batch, L, E]), [0, L - m, 0], [batch, m, E]));
  return tf.reshape(tf.concat(parts, 2), [batch * m, 2 * r + E]);
}

/** The last `keep` rows of each of `batch` sequences of x [B·n, C]. */
export function lastRows(x: tf.Tensor2D, batch: number, keep: number): tf.Tensor2D {
  const [rows, c] = x.shape;
  const n = rows / batch;
  if (keep === n) return x;
  if (layerKernels()) {
    const f = customGrad((xs: tf.Tensor) => ({
      value: wasmLastRows(xs as tf.Tensor2D, batch, keep),
      gradFunc: (g: tf.Tensor | tf.Tensor[]) => [wasmLastRowsGrad(g as tf.Tensor2D, batch, n)],
    }));
    return f(x) as tf.Tensor2D;
  }
  if (batch === 1) return tf.slice(x, [n - keep, 0], [keep, c]);
  return tf.reshape(tf.slice(tf.reshape(x, [batch, n, c]), [0, n - keep, 0], [batch, keep, c]), [batch * keep, c]);
}

/** x[t − d] within each of B sequences (zeros before the start), for x [B·T, C] laid out sequence-major. */
export function causalShift(x: tf.Tensor2D, batch: number, d: number): tf.Tensor2D {
  const [n, c] = x.shape;
  const T = n / batch;
  if (d >= T) return tf.zerosLike(x);
  const x3 = tf.reshape(x, [batch, T, c]);
  const shifted = tf.slice(tf.pad(x3, [[0, 0], [d, 0], [0, 0]]), [0, 0, 0], [batch, T, c]);
  return tf.reshape(shifted, [n, c]);
}

/**
 * Mean softmax cross-entropy in nats of logits [N, Q] against one-hot targets [N, Q]. exp is taken
 * as σ(s)/(1 − σ(s)) of the max-shifted logits s ≤ 0: wasm's exp and logSoftmax are scalar (~15 and
 * ~25 ms on [8192, 256]) against ~3 ms for its vectorised sigmoid, and for s ≤ 0 the ratio loses
 * no precision (1 − σ(s) ≥ 1/2).
 */
export const softmaxCrossEntropy = customGrad((logits: tf.Tensor, oneHot: tf.Tensor, save: tf.GradSaveFunc) => {
  const n = logits.shape[0];
  if (!wasmGradMode.sigmoidSoftmax) {
    const logp = tf.logSoftmax(logits);
    save([tf.exp(logp), oneHot]);
    return {
      value: tf.div(tf.neg(tf.sum(tf.mul(logp, oneHot))), n),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [p, oh] = saved;
        return [tf.mul(tf.sub(p, oh), tf.div(dy as tf.Tensor, n)), tf.zerosLike(oh)];
      },
    };
  }
  const s = tf.sub(logits, tf.max(logits, 1, true));
  const sig = tf.sigmoid(s);
  const e = tf.div(sig, tf.sub(1, sig));
  const z = tf.sum(e, 1, true);
  // Softmax kept for the backward pass; log Σ e − s[target] per row is the cross-entropy.
  save([tf.div(e, z), oneHot]);
  return {
    value: tf.div(tf.sub(tf.sum(tf.log(z)), tf.sum(tf.mul(s, oneHot))), n),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [p, oh] = saved;
      // d/dlogits mean CE = (softmax − onehot) / N; targets get no gradient.
      return [tf.mul(tf.sub(p, oh), tf.div(dy as tf.Tensor, n)), tf.zerosLike(oh)];
    },
  };
}) as (logits: tf.Tensor2D, oneHot: tf.Tensor2D) => tf.Scalar;

/**
 * Mean cross-entropy whose gradient weighs each row by `weights` [N, 1]: the objective is
 * mean(w·CE), so shards of a batch still average by their row counts. The value returned is the
 * unweighted mean, the loss users compare with validation.
 */
export const weightedSoftmaxCrossEntropy = customGrad((logits: tf.Tensor, oneHot: tf.Tensor, weights: tf.Tensor, save: tf.GradSaveFunc) => {
  const n = logits.shape[0];
  const logp = tf.logSoftmax(logits);
  save([tf.exp(logp), oneHot, weights]);
  return {
    value: tf.div(tf.neg(tf.sum(tf.mul(logp, oneHot))), n),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [p, oh, w] = saved;
      return [tf.mul(tf.mul(tf.sub(p, oh), w), tf.div(dy as tf.Tensor, n)), tf.zerosLike(oh), tf.zerosLike(w)];
    },
  };
}) as (logits: tf.Tensor2D, oneHot: tf.Tensor2D, weights: tf.Tensor2D) => tf.Scalar;

/**
 * Rows of `table` [Q, R] picked by class indices `idx` [N]. Both directions run in plain JS on
 * the indices: tfjs-wasm's gather of 8192 rows takes ~10 ms, and the stock gradient would need
 * UnsortedSegmentSum (missing on wasm) or a one-hot matMul; the JS gather and scatter-add take ~1 ms.
 */
export function embed(table: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  const [q, r] = table.shape;
  const ids = idx.dataSync();
  const n = ids.length;
  for (let i = 0; i < n; i++) if (!(ids[i] >= 0 && ids[i] < q)) throw new Error(`embed: class index ${ids[i]} outside [0, ${q})`);
  const f = customGrad((t: tf.Tensor) => {
    const tv = t.dataSync() as Float32Array;
    const out = new Float32Array(n * r);
    for (let i = 0; i < n; i++) out.set(tv.subarray(ids[i] * r, ids[i] * r + r), i * r);
    return {
      value: tf.tensor2d(out, [n, r]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const dv = (dy as tf.Tensor).dataSync() as Float32Array;
        const g = new Float32Array(q * r);
        for (let i = 0; i < n; i++) {
          const src = i * r;
          const dst = ids[i] * r;
          for (let c = 0; c < r; c++) g[dst + c] += dv[src + c];
        }
        return [tf.tensor2d(g, [q, r])];
      },
    };
  });
  return f(table) as tf.Tensor2D;
}
