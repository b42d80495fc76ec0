/**
 * Gradients for the few stock kernels the WaveNet differentiates through. '@tensorflow/tfjs-core'
 * alone registers no gradients (the '@tensorflow/tfjs' bundle does, at ~3x the import cost), so we
 * register just these, and only where nothing is registered yet: if the full bundle (or tfjs-node,
 * which loads it) is present, its equivalent gradients are used instead.
 */
import * as tf from '@tensorflow/tfjs-core';

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[], attrs: Record<string, unknown>) => Record<string, () => tf.Tensor>;

function reduceTo(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  return tf.reshape(axes.length ? tf.sum(dy, axes) : dy, shape);
}

const gradients: { kernelName: string; inputsToSave?: string[]; gradFunc: GradFunc }[] = [
  {
    kernelName: 'Reshape',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy, x.shape) }),
  },
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const begin = attrs.begin as number[];
      return { x: () => tf.pad(dy, x.shape.map((n, i) => [begin[i], n - begin[i] - dy.shape[i]] as [number, number])) };
    },
  },
  {
    kernelName: 'PadV2',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const paddings = attrs.paddings as [number, number][];
      return { x: () => tf.slice(dy, paddings.map((p) => p[0]), x.shape) };
    },
  },
  {
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => reduceTo(dy, a.shape), b: () => reduceTo(dy, b.shape) }),
  },
  {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.step(x)) }),
  },
];

let done = false;

/** Registers the gradients above (once, and never over an existing registration). */
export function ensureGradients(): void {
  if (done) return;
  done = true;
  for (const g of gradients) {
    if (tf.getGradient(g.kernelName)) continue;
    tf.registerGradient(g as unknown as tf.GradConfig);
  }
  if (!tf.getGradient('Concat')) {
    tf.registerGradient({
      kernelName: 'Concat',
      saveAllInputs: true,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
        const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0].shape)[0];
        const parts = tf.split(dy as tf.Tensor, saved.map((t) => t.shape[axis]), axis);
        const out: Record<string, () => tf.Tensor> = {};
        parts.forEach((p, i) => (out[i] = () => p));
        return out;
      },
    } as tf.GradConfig);
  }
}

ensureGradients();
