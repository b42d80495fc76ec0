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
import { causalShift, dense, denseAdd, embed, excitationAdd, gatedUnit, matMulG, shiftConcat } from './tf-ops';

/** Parameter tensors in canonical order (see paramSpecs). */
export type ParamTensors = tf.Tensor[];

/** How a dilated conv is computed: one matMul on [x_past | x_now] (concat) or two matMuls summed (split). */
export type ConvMode = 'concat' | 'split';

export interface ForwardOptions {
  convMode?: ConvMode;
  /** Pitch excitation rows [B·T, E] (model/excitation.ts), for models with excitationChannels > 0; zeros when absent. */
  excitation?: tf.Tensor2D;
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
