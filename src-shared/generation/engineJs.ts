import type { WaveNetWeights } from '../model/weights';
import type { StepEngine } from './engine';
import { checkInputs, checkLabels } from './checks';

/**
 * The readable incremental engine: the reference forward pass rewritten one time step at a time,
 * with a ring buffer of each layer's last `dilation` inputs. Slow but plainly equal to
 * referenceForward; the WebAssembly engine is tested against the same reference.
 */
export function createJsEngine(weights: WaveNetWeights, batch: number): StepEngine {
  const { residualChannels: R, dilationChannels: D, skipChannels: S, quantization: Q, numLabels } = weights.config;
  const E = weights.config.excitationChannels ?? 0;
  const exc = new Float64Array(batch * E);
  const G = D / 2;
  const layers = weights.layers;
  // queues[l][b]: `dilation` rows of R, row (t mod dilation) holds the layer's input at t - dilation.
  const queues = layers.map((layer) => Array.from({ length: batch }, () => new Float64Array(layer.dilation * R)));
  const labels = new Int32Array(batch);
  const logits = new Float32Array(batch * Q);
  const x = new Float64Array(R);
  const skip = new Float64Array(S);
  const h = new Float64Array(D);
  const z = new Float64Array(G);
  const a = new Float64Array(S);
  let t = 0;

  function stepOne(b: number, input: number): void {
    for (let r = 0; r < R; r++) x[r] = weights.embedding[input * R + r];
    skip.fill(0);
    layers.forEach((layer, l) => {
      const slot = (t % layer.dilation) * R;
      const queue = queues[l][b];
      for (let o = 0; o < D; o++) {
        let acc = layer.convBias[o] + (numLabels > 0 ? layer.cond[labels[b] * D + o] : 0);
        for (let e = 0; e < E; e++) acc += exc[b * E + e] * layer.exc![e * D + o];
        for (let r = 0; r < R; r++) acc += x[r] * layer.convNow[r * D + o] + queue[slot + r] * layer.convPast[r * D + o];
        h[o] = acc;
      }
      for (let r = 0; r < R; r++) queue[slot + r] = x[r]; // needed again `dilation` steps from now
      for (let g = 0; g < G; g++) z[g] = Math.tanh(h[g]) / (1 + Math.exp(-h[G + g]));
      for (let r = 0; r < R; r++) {
        let acc = layer.resB[r];
        for (let g = 0; g < G; g++) acc += z[g] * layer.resW[g * R + r];
        x[r] += acc;
      }
      for (let s = 0; s < S; s++) {
        let acc = layer.skipB[s];
        for (let g = 0; g < G; g++) acc += z[g] * layer.skipW[g * S + s];
        skip[s] += acc;
      }
    });
    for (let o = 0; o < S; o++) {
      let acc = weights.out1B[o];
      for (let s = 0; s < S; s++) acc += Math.max(0, skip[s]) * weights.out1W[s * S + o];
      a[o] = Math.max(0, acc);
    }
    for (let q = 0; q < Q; q++) {
      let acc = weights.out2B[q];
      for (let s = 0; s < S; s++) acc += a[s] * weights.out2W[s * Q + q];
      logits[b * Q + q] = acc;
    }
  }

  return {
    batch,
    classes: Q,
    logitsStride: Q,
    excitationChannels: E,
    sampleRate: weights.config.sampleRate,
    reset(newLabels) {
      checkLabels(newLabels, batch, numLabels);
      labels.set(Array.from(newLabels));
      for (const perLayer of queues) for (const q of perLayer) q.fill(0);
      t = 0;
    },
    step(inputs, excitation) {
      checkInputs(inputs, batch, Q);
      for (let i = 0; i < batch * E; i++) exc[i] = excitation ? excitation[i] : 0;
      for (let b = 0; b < batch; b++) stepOne(b, inputs[b]);
      t++;
      return logits;
    },
  };
}
