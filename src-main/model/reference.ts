import type { WaveNetWeights } from '../../src-shared/model/weights';

/**
 * The plain, obviously-correct WaveNet forward pass: nested loops, causal zero padding.
 * Every fast formulation (tfjs shift+matMul, the incremental engine) is tested against this.
 * Returns logits [T, Q] for the μ-law class indices `input` (length T); `label` is the global
 * condition (ignored when the model is unconditional); `excitation` [T, E] the pitch excitation
 * row of each position (see model/excitation.ts; zeros when absent).
 */
export function referenceForward(weights: WaveNetWeights, input: ArrayLike<number>, label = 0, excitation?: ArrayLike<number>): Float32Array {
  const { residualChannels: R, dilationChannels: D, skipChannels: S, quantization: Q, numLabels } = weights.config;
  const E = weights.config.excitationChannels ?? 0;
  const G = D / 2;
  const T = input.length;
  // x[t][r]: residual stream
  let x: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const row = new Float64Array(R);
    for (let r = 0; r < R; r++) row[r] = weights.embedding[input[t] * R + r];
    x.push(row);
  }
  const skip: Float64Array[] = Array.from({ length: T }, () => new Float64Array(S));
  for (const layer of weights.layers) {
    const next: Float64Array[] = [];
    for (let t = 0; t < T; t++) {
      const h = new Float64Array(D);
      for (let o = 0; o < D; o++) {
        let acc = layer.convBias[o];
        if (numLabels > 0) acc += layer.cond[label * D + o];
        if (E > 0 && excitation) for (let e = 0; e < E; e++) acc += excitation[t * E + e] * layer.exc![e * D + o];
        const past = t - layer.dilation >= 0 ? x[t - layer.dilation] : null;
        for (let r = 0; r < R; r++) {
          acc += x[t][r] * layer.convNow[r * D + o];
          if (past) acc += past[r] * layer.convPast[r * D + o];
        }
        h[o] = acc;
      }
      const z = new Float64Array(G);
      for (let g = 0; g < G; g++) z[g] = Math.tanh(h[g]) * (1 / (1 + Math.exp(-h[G + g])));
      const out = new Float64Array(R);
      for (let r = 0; r < R; r++) {
        let acc = layer.resB[r];
        for (let g = 0; g < G; g++) acc += z[g] * layer.resW[g * R + r];
        out[r] = x[t][r] + acc;
      }
      for (let s = 0; s < S; s++) {
        let acc = layer.skipB[s];
        for (let g = 0; g < G; g++) acc += z[g] * layer.skipW[g * S + s];
        skip[t][s] += acc;
      }
      next.push(out);
    }
    x = next;
  }
  const logits = new Float32Array(T * Q);
  for (let t = 0; t < T; t++) {
    const a = new Float64Array(S);
    for (let o = 0; o < S; o++) {
      let acc = weights.out1B[o];
      for (let s = 0; s < S; s++) acc += Math.max(0, skip[t][s]) * weights.out1W[s * S + o];
      a[o] = Math.max(0, acc);
    }
    for (let q = 0; q < Q; q++) {
      let acc = weights.out2B[q];
      for (let s = 0; s < S; s++) acc += a[s] * weights.out2W[s * Q + q];
      logits[t * Q + q] = acc;
    }
  }
  return logits;
}
