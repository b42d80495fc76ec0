/**
 * Loss and gradients of the tfjs WaveNet for one batch, as plain Float32Arrays: the unit of work
 * a replica (worker thread) does. Gradients are w.r.t. the flat canonical parameter layout.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WaveNetConfig } from '../../src-shared/model/config';
import { flatSize, paramSpecs } from '../../src-shared/model/params';
import { canTrimRows, paramTensors, scoredLogits, wavenetLogits, type ForwardOptions } from '../model/tfjs-wavenet';
import { softmaxCrossEntropy, weightedSoftmaxCrossEntropy } from '../model/tf-ops';
import { sliceBatch, type Batch } from './batch';

export interface LossAndGrads {
  /** Mean cross-entropy over the batch's scored positions, in nats. */
  loss: number;
  /** d loss / d params in the flat canonical layout. */
  grads: Float32Array;
}

/** The batch's global condition: label indices, or multi-hot token rows when the batch carries them. */
function conditionTensor(config: WaveNetConfig, batch: Batch): tf.Tensor1D | tf.Tensor2D | undefined {
  if (config.numLabels === 0) return undefined;
  if (batch.conditions) return tf.tensor2d(batch.conditions, [batch.B, config.numLabels], 'float32');
  return tf.tensor1d(batch.labels, 'int32');
}

/** The batch's pitch excitation as [B·L, E] rows, for models that have it. */
function excitationTensor(config: WaveNetConfig, batch: Batch): tf.Tensor2D | undefined {
  const E = config.excitationChannels ?? 0;
  if (E === 0 || !batch.excitation) return undefined;
  return tf.tensor2d(batch.excitation, [batch.B * batch.L, E], 'float32');
}

/** Mean cross-entropy (nats) of the scored positions, as a tfjs scalar (inside a tidy). */
export function batchLoss(config: WaveNetConfig, params: tf.Tensor[], batch: Batch, opts?: ForwardOptions): tf.Scalar {
  const { B, L, T } = batch;
  const inputs = tf.tensor2d(batch.inputs, [B, L], 'int32');
  const labels = conditionTensor(config, batch);
  const excitation = excitationTensor(config, batch);
  const fwd = excitation ? { ...opts, excitation } : opts;
  // Only positions with a full receptive field are scored: compute just their rows where the window
  // allows it, else the whole window and slice.
  const logits = opts?.trimRows !== false && canTrimRows(config, L, T)
    ? scoredLogits(config, params, inputs, labels, T, fwd)
    : T < L
      ? tf.reshape(tf.slice(tf.reshape(wavenetLogits(config, params, inputs, labels, fwd), [B, L, config.quantization]), [0, L - T, 0], [B, T, config.quantization]), [B * T, config.quantization]) as tf.Tensor2D
      : wavenetLogits(config, params, inputs, labels, fwd);
  // Cast once: an int32 one-hot is cast again by every op using it. (Not oneHot's dtype argument:
  // tfjs-wasm's OneHot ignores it and writes int32 bits into the float32 buffer.)
  const targets = tf.cast(tf.oneHot(tf.tensor1d(batch.targets, 'int32'), config.quantization), 'float32') as tf.Tensor2D;
  if (batch.weights) return weightedSoftmaxCrossEntropy(logits, targets, tf.tensor2d(batch.weights, [B * T, 1], 'float32'));
  return softmaxCrossEntropy(logits, targets);
}

/**
 * Rows (B·L) per forward/backward pass. Every layer keeps several [rows, D] activations for the
 * backward pass; the wasm heap (≤ 4 GB, one per replica) overflows around 16k rows at studio size,
 * so larger shares are split into micro-batches whose gradients are accumulated.
 */
export const MAX_ROWS_PER_PASS = 8192;

/** Loss (nats) and flat gradients for one batch at the given flat parameters (micro-batched above maxRows rows). */
export function lossAndGrads(config: WaveNetConfig, flat: Float32Array, batch: Batch, opts?: ForwardOptions, maxRows = MAX_ROWS_PER_PASS): LossAndGrads {
  const per = Math.max(1, Math.floor(maxRows / batch.L));
  if (batch.B <= per) return lossAndGradsOnePass(config, flat, batch, opts);
  const grads = new Float32Array(flatSize(config));
  let loss = 0;
  for (let a = 0; a < batch.B; a += per) {
    const b = Math.min(batch.B, a + per);
    const part = lossAndGradsOnePass(config, flat, sliceBatch(batch, a, b), opts);
    // Each pass returns a mean over its own positions: weight by its share of the batch.
    const w = (b - a) / batch.B;
    loss += w * part.loss;
    for (let i = 0; i < grads.length; i++) grads[i] += w * part.grads[i];
  }
  return { loss, grads };
}

function lossAndGradsOnePass(config: WaveNetConfig, flat: Float32Array, batch: Batch, opts?: ForwardOptions): LossAndGrads {
  const specs = paramSpecs(config);
  const grads = new Float32Array(flatSize(config));
  let loss = 0;
  tf.tidy(() => {
    const params = paramTensors(config, flat);
    // allowNoGradients: the last layer's residual 1x1 feeds nothing, so it has no gradient (zeros).
    const { value, grads: g } = tf.engine().gradients(() => batchLoss(config, params, batch, opts), params, undefined, true);
    loss = value.dataSync()[0];
    specs.forEach((s, i) => {
      if (g[i]) grads.set(g[i].dataSync() as Float32Array, s.offset);
    });
  });
  return { loss, grads };
}

/** Mean cross-entropy (nats) per sequence of a batch, without gradients (validation). */
export function sequenceLosses(config: WaveNetConfig, flat: Float32Array, batch: Batch): Float32Array {
  return tf.tidy(() => {
    const params = paramTensors(config, flat);
    const { B, L, T } = batch;
    const Q = config.quantization;
    const inputs = tf.tensor2d(batch.inputs, [B, L], 'int32');
    const labels = conditionTensor(config, batch);
    const excitation = excitationTensor(config, batch);
    const fwd = excitation ? { excitation } : {};
    const logits = canTrimRows(config, L, T)
      ? tf.reshape(scoredLogits(config, params, inputs, labels, T, fwd), [B, T, Q])
      : tf.slice(tf.reshape(wavenetLogits(config, params, inputs, labels, fwd), [B, L, Q]), [0, L - T, 0], [B, T, Q]);
    const oh = tf.oneHot(tf.reshape(tf.tensor1d(batch.targets, 'int32'), [B, T]), Q);
    const ce = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oh), 2));
    return tf.mean(ce, 1).dataSync() as Float32Array;
  });
}
