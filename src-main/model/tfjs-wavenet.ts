/**
 * The one tfjs WaveNet definition, built only from ops whose gradients exist on every backend:
 * gather with a one-hot matMul gradient for the input embedding, one-hot matMul for the global condition, causal shift (pad + slice) +
 * matMul for each dilated kernel-2 conv, matMul for every 1×1. Activations are [B·T, C] rows,
 * sequence-major, so every conv and 1×1 is one large matMul.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WaveNetConfig } from '../../src-shared/model/config';
import { dilations } from '../../src-shared/model/config';
import { flatSize, paramSpecs, flattenWeights, unflattenWeights } from '../../src-shared/model/params';
import type { WaveNetWeights } from '../../src-shared/model/weights';
import { causalShift, convInput, dense, denseAdd, embed, excitationAdd, gatedUnit, lastRows, matMulG, shiftConcat } from './tf-ops';

/** Parameter tensors in canonical order (see paramSpecs). */
export type ParamTensors = tf.Tensor[];

/** How a dilated conv is computed: one matMul on [x_past | x_now] (concat) or two matMuls summed (split). */
export type ConvMode = 'concat' | 'split';

export interface ForwardOptions {
  convMode?: ConvMode;
  /** Pitch excitation rows [B·T, E] (model/excitation.ts), for models with excitationChannels > 0; zeros when absent. */
  excitation?: tf.Tensor2D;
  /**
   * Where only the last positions of each window are scored: compute only the rows they depend on
   * (scoredLogits). Default true; false computes every row and slices (the same values, slower).
   */
  trimRows?: boolean;
}

/** Default conv formulation (the faster one on wasm in bench measurements). */
export const DEFAULT_CONV_MODE: ConvMode = 'concat';

/** Makes tensors (in canonical order) from a flat parameter array. */
export function paramTensors(config: WaveNetConfig, flat: Float32Array): ParamTensors {
  if (flat.length !== flatSize(config)) throw new Error(`flat parameters: length ${flat.length}, expected ${flatSize(config)}`);
  return paramSpecs(config).map((s) => tf.tensor(flat.subarray(s.offset, s.offset + s.size), s.shape, 'float32'));
}

/**
 * Logits [B·T, Q] for μ-law class indices `inputs` [B, T] (int32); `labels` [B] (int32) is the
 * global condition, required when config.numLabels > 0 — or, as [B, numLabels] float rows, a
 * multi-hot mix of conditions (label tokens). Row b·T + t predicts inputs[b, t+1].
 */
export function wavenetLogits(
  config: WaveNetConfig,
  params: ParamTensors,
  inputs: tf.Tensor2D,
  labels?: tf.Tensor1D | tf.Tensor2D,
  opts: ForwardOptions = {},
): tf.Tensor2D {
  const convMode = opts.convMode ?? DEFAULT_CONV_MODE;
  const { dilationChannels: D, quantization: Q, numLabels: C } = config;
  const [B, T] = inputs.shape;
  const N = B * T;
  if (C > 0 && !labels) throw new Error('wavenetLogits: this model is conditioned, labels are required');
  let p = 0;
  const next = () => params[p++] as tf.Tensor2D;
  const embedding = next();
  let x = embed(embedding, tf.reshape(inputs, [N]) as tf.Tensor1D);
  const labelOneHot = C > 0 ? (labels!.rank === 2 ? (labels as tf.Tensor2D) : (tf.oneHot(labels as tf.Tensor1D, C) as tf.Tensor2D)) : null;
  let skip: tf.Tensor2D | null = null;
  const dils = dilations(config);
  const E = config.excitationChannels ?? 0;
  const excitation = E > 0 ? opts.excitation : undefined;
  if (excitation && (excitation.shape[0] !== N || excitation.shape[1] !== E)) throw new Error(`wavenetLogits: excitation is [${excitation.shape}], expected [${N}, ${E}]`);
  for (let l = 0; l < dils.length; l++) {
    const d = dils[l];
    const [convPast, convNow, convBias, cond, resW, resB, skipW, skipB] = [next(), next(), next(), next(), next(), next(), next(), next()];
    // The layer's excitation projection follows its other tensors (params.ts).
    const excW = E > 0 ? next() : null;
    let h: tf.Tensor2D;
    // One sequence (a replica's usual micro-batch): its condition joins the conv's bias, which our GEMM
    // adds in its output pass; the broadcast add over [B, T, D] and its reduction are the slow path.
    const bias = (labelOneHot && B === 1 ? tf.add(convBias, tf.reshape(matMulG(labelOneHot, cond), [D])) : convBias) as unknown as tf.Tensor1D;
    if (convMode === 'concat') {
      h = dense(shiftConcat(x, B, d), tf.concat([convPast, convNow], 0), bias);
    } else {
      h = tf.add(matMulG(causalShift(x, B, d), convPast), dense(x, convNow, bias));
    }
    if (labelOneHot && B > 1) {
      // Per-sequence bias [B, 1, D] broadcast over time: the global condition.
      const condBias = tf.reshape(matMulG(labelOneHot, cond), [B, 1, D]);
      h = tf.reshape(tf.add(tf.reshape(h, [B, T, D]), condBias), [N, D]);
    }
    // Local condition: each position's excitation row through the layer's [E, D] projection.
    if (excitation && excW) h = excitationAdd(h, excitation, excW);
    const z = gatedUnit(h);
    // The last layer's residual output feeds nothing: skip it (its weights get zero gradient).
    if (l < dils.length - 1) x = denseAdd(x, z, resW, resB as unknown as tf.Tensor1D);
    skip = skip ? denseAdd(skip, z, skipW, skipB as unknown as tf.Tensor1D) : dense(z, skipW, skipB as unknown as tf.Tensor1D);
  }
  const [out1W, out1B, out2W, out2B] = [next(), next(), next(), next()];
  const a = tf.relu(dense(tf.relu(skip!), out1W, out1B as unknown as tf.Tensor1D));
  return dense(a, out2W, out2B as unknown as tf.Tensor1D);
}

/** Rows of context a scored position needs before it: the receptive field − 1. */
function contextRows(config: WaveNetConfig): number {
  return dilations(config).reduce((a, b) => a + b, 0);
}

/** True when scoredLogits can serve windows of L positions with the last T scored. */
export function canTrimRows(config: WaveNetConfig, L: number, T: number): boolean {
  return T < L && L >= T + contextRows(config);
}

/**
 * Logits [B·T, Q] of the last T positions of each window of `inputs` [B, L], equal to those rows of
 * wavenetLogits but computing each layer only on the rows later layers read: a layer's conv looks d
 * rows back, so the kept rows shrink by its dilation (a valid conv, never reading padding), and the
 * skip sum and output head run on the T scored rows only. On the sketch preset with T = 4096 that is
 * ~20% fewer multiply-adds than the full window. Needs L ≥ T + receptive field − 1 (canTrimRows).
 */
export function scoredLogits(
  config: WaveNetConfig,
  params: ParamTensors,
  inputs: tf.Tensor2D,
  labels: tf.Tensor1D | tf.Tensor2D | undefined,
  T: number,
  opts: ForwardOptions = {},
): tf.Tensor2D {
  const { dilationChannels: D, numLabels: C } = config;
  const [B, L] = inputs.shape;
  if (!canTrimRows(config, L, T)) throw new Error(`scoredLogits: windows of ${L} cannot score ${T} positions with a receptive field of ${contextRows(config) + 1}`);
  if (C > 0 && !labels) throw new Error('scoredLogits: this model is conditioned, labels are required');
  let p = 0;
  const next = () => params[p++] as tf.Tensor2D;
  const embedding = next();
  // Positions before the first one any scored output can see are never read.
  let n = T + contextRows(config);
  const kept = n === L ? inputs : tf.slice(inputs, [0, L - n], [B, n]);
  let x = embed(embedding, tf.reshape(kept, [B * n]) as tf.Tensor1D);
  const labelOneHot = C > 0 ? (labels!.rank === 2 ? (labels as tf.Tensor2D) : (tf.oneHot(labels as tf.Tensor1D, C) as tf.Tensor2D)) : null;
  const E = config.excitationChannels ?? 0;
  const excitation = E > 0 ? opts.excitation : undefined;
  if (excitation && (excitation.shape[0] !== B * L || excitation.shape[1] !== E)) throw new Error(`scoredLogits: excitation is [${excitation.shape}], expected [${B * L}, ${E}]`);
  const dils = dilations(config);
  let skip: tf.Tensor2D | null = null;
  for (let l = 0; l < dils.length; l++) {
    const d = dils[l];
    const [convPast, convNow, convBias, cond, resW, resB, skipW, skipB] = [next(), next(), next(), next(), next(), next(), next(), next()];
    const excW = E > 0 ? next() : null;
    const m = n - d;
    // As in wavenetLogits: one sequence folds its condition into the conv's bias.
    const bias = (labelOneHot && B === 1 ? tf.add(convBias, tf.reshape(matMulG(labelOneHot, cond), [D])) : convBias) as unknown as tf.Tensor1D;
    // The excitation's projection joins the conv's weights: its columns ride in the conv's input.
    const withExcitation = excitation && excW;
    const w = tf.concat(withExcitation ? [convPast, convNow, excW] : [convPast, convNow], 0) as tf.Tensor2D;
    let h = dense(convInput(x, B, d, withExcitation ? excitation : undefined, L), w, bias);
    if (labelOneHot && B > 1) h = tf.reshape(tf.add(tf.reshape(h, [B, m, D]), tf.reshape(matMulG(labelOneHot, cond), [B, 1, D])), [B * m, D]);
    const z = gatedUnit(h);
    if (l < dils.length - 1) x = denseAdd(lastRows(x, B, m), z, resW, resB as unknown as tf.Tensor1D);
    const zs = lastRows(z, B, T);
    skip = skip ? denseAdd(skip, zs, skipW, skipB as unknown as tf.Tensor1D) : dense(zs, skipW, skipB as unknown as tf.Tensor1D);
    n = m;
  }
  const [out1W, out1B, out2W, out2B] = [next(), next(), next(), next()];
  const a = tf.relu(dense(tf.relu(skip!), out1W, out1B as unknown as tf.Tensor1D));
  return dense(a, out2W, out2B as unknown as tf.Tensor1D);
}

/** A WaveNet held as tfjs tensors, loadable from and exportable to WaveNetWeights. */
export class TfWaveNet {
  readonly config: WaveNetConfig;
  private params: ParamTensors;

  private constructor(config: WaveNetConfig, params: ParamTensors) {
    this.config = config;
    this.params = params;
  }

  /** Loads plain weights into tensors. */
  static fromWeights(weights: WaveNetWeights): TfWaveNet {
    return TfWaveNet.fromFlat(weights.config, flattenWeights(weights));
  }

  /** Loads a flat parameter array into tensors. */
  static fromFlat(config: WaveNetConfig, flat: Float32Array): TfWaveNet {
    return new TfWaveNet(config, tf.tidy(() => paramTensors(config, flat)));
  }

  /** The parameter tensors (owned by this model). */
  get tensors(): ParamTensors {
    return this.params;
  }

  /** Logits [B·T, Q] for inputs [B, T] (class indices) and optional labels [B]. */
  forward(inputs: Int32Array | number[][], labels?: ArrayLike<number>, opts?: ForwardOptions): tf.Tensor2D {
    return tf.tidy(() => {
      const inp = Array.isArray(inputs) ? tf.tensor2d(inputs, undefined, 'int32') : tf.tensor2d(inputs, [1, inputs.length], 'int32');
      const lab = labels !== undefined ? tf.tensor1d(Array.from(labels), 'int32') : this.config.numLabels > 0 ? tf.zeros([inp.shape[0]], 'int32') as tf.Tensor1D : undefined;
      return wavenetLogits(this.config, this.params, inp, lab, opts);
    });
  }

  /** Flat copy of the parameters in canonical order. */
  toFlat(): Float32Array {
    const flat = new Float32Array(flatSize(this.config));
    paramSpecs(this.config).forEach((s, i) => flat.set(this.params[i].dataSync() as Float32Array, s.offset));
    return flat;
  }

  /** Exports the parameters as plain WaveNetWeights. */
  toWeights(): WaveNetWeights {
    return unflattenWeights(this.config, this.toFlat());
  }

  /** Frees the tensors. */
  dispose(): void {
    tf.dispose(this.params);
    this.params = [];
  }
}
