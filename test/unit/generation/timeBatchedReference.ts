import type { WaveNetWeights } from '../../../src-shared/model/weights';

/**
 * The reference forward pass reorganised as whole-sequence matrix products, one layer at a time,
 * in f64, so 10,000 steps of the studio shape take seconds rather than minutes:
 *   H = bias + cond[label] + X @ convNow + shift_d(X) @ convPast      (shift_d: causal, zero-padded)
 *   Z = tanh(H[:, :G]) * sigmoid(H[:, G:]);  X += Z @ resW + resB;  skip += Z @ skipW + skipB
 *   logits = relu(relu(skip) @ out1W + out1B) @ out2W + out2B
 * The tests check it against referenceForward before trusting it.
 */
export function timeBatchedForward(weights: WaveNetWeights, input: ArrayLike<number>, label = 0): Float64Array {
  const { residualChannels: R, dilationChannels: D, skipChannels: S, quantization: Q, numLabels } = weights.config;
  const G = D / 2;
  const T = input.length;
  const x = new Float64Array(T * R);
  for (let t = 0; t < T; t++) for (let r = 0; r < R; r++) x[t * R + r] = weights.embedding[input[t] * R + r];
  const skip = new Float64Array(T * S);
  const h = new Float64Array(T * D);
  const z = new Float64Array(T * G);
  for (const layer of weights.layers) {
    const d = layer.dilation;
    for (let t = 0; t < T; t++) {
      for (let o = 0; o < D; o++) h[t * D + o] = layer.convBias[o] + (numLabels > 0 ? layer.cond[label * D + o] : 0);
    }
    matmulAdd(h, 0, x, 0, T, R, transpose(layer.convNow, R, D), D);
    if (T > d) matmulAdd(h, d, x, 0, T - d, R, transpose(layer.convPast, R, D), D); // row t gets x[t - d]
    for (let t = 0; t < T; t++) {
      for (let g = 0; g < G; g++) z[t * G + g] = Math.tanh(h[t * D + g]) * (1 / (1 + Math.exp(-h[t * D + G + g])));
    }
    addBias(x, T, layer.resB);
    matmulAdd(x, 0, z, 0, T, G, transpose(layer.resW, G, R), R);
    addBias(skip, T, layer.skipB);
    matmulAdd(skip, 0, z, 0, T, G, transpose(layer.skipW, G, S), S);
  }
  for (let i = 0; i < skip.length; i++) skip[i] = Math.max(0, skip[i]);
  const a = new Float64Array(T * S);
  addBias(a, T, weights.out1B);
  matmulAdd(a, 0, skip, 0, T, S, transpose(weights.out1W, S, S), S);
  for (let i = 0; i < a.length; i++) a[i] = Math.max(0, a[i]);
  const logits = new Float64Array(T * Q);
  addBias(logits, T, weights.out2B);
  matmulAdd(logits, 0, a, 0, T, S, transpose(weights.out2W, S, Q), Q);
  return logits;
}

/** W [K, N] row-major → its transpose [N, K] in f64, so each output is a contiguous dot product. */
function transpose(W: Float32Array, K: number, N: number): Float64Array {
  const out = new Float64Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) out[n * K + k] = W[k * N + n];
  return out;
}

/** Adds bias [N] to every row of a [T, N] matrix. */
function addBias(m: Float64Array, T: number, bias: Float32Array): void {
  const N = bias.length;
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) m[t * N + n] += bias[n];
}

/**
 * out[outRow + t][n] += sum_k src[srcRow + t][k] * W[k][n] for t < rows, with WT = W transposed [N, K].
 * Four rows share each weight read (a plain register-blocking of the same sums).
 */
function matmulAdd(out: Float64Array, outRow: number, src: Float64Array, srcRow: number, rows: number, K: number, WT: Float64Array, N: number): void {
  let t = 0;
  for (; t + 3 < rows; t += 4) {
    const s0 = (srcRow + t) * K, s1 = s0 + K, s2 = s1 + K, s3 = s2 + K;
    const o0 = (outRow + t) * N;
    for (let n = 0; n < N; n++) {
      const w = n * K;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let k = 0; k < K; k++) {
        const wk = WT[w + k];
        a0 += src[s0 + k] * wk;
        a1 += src[s1 + k] * wk;
        a2 += src[s2 + k] * wk;
        a3 += src[s3 + k] * wk;
      }
      out[o0 + n] += a0;
      out[o0 + N + n] += a1;
      out[o0 + 2 * N + n] += a2;
      out[o0 + 3 * N + n] += a3;
    }
  }
  for (; t < rows; t++) {
    const s = (srcRow + t) * K, o = (outRow + t) * N;
    for (let n = 0; n < N; n++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += src[s + k] * WT[n * K + k];
      out[o + n] += acc;
    }
  }
}
