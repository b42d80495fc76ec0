/** A training or validation batch in the layout the tfjs model consumes. */
export interface Batch {
  /** Sequences in the batch. */
  B: number;
  /** Input length per sequence (receptive field − 1 + T when windows carry full context). */
  L: number;
  /** Scored positions per sequence: the last T inputs of each sequence predict `targets`. */
  T: number;
  /** μ-law classes [B, L], sequence-major. */
  inputs: Int32Array;
  /** μ-law classes [B, T]: targets[b, j] is the sample after inputs[b, L − T + j]. */
  targets: Int32Array;
  /** Global-condition label per sequence [B] (ignored by unconditioned models). */
  labels: Int32Array;
  /** Multi-hot condition rows [B, tokens] replacing the one-hot of `labels` (training with label tokens). */
  conditions?: Float32Array;
  /** Loss weight per scored position [B, T] (onset emphasis); absent: every position weighs 1. */
  weights?: Float32Array;
  /** Pitch excitation [B, L, E] (model/excitation.ts): row i of a sequence goes with the target after input i. */
  excitation?: Float32Array;
}

/** Builds a batch from whole windows of L + 1 classes each (input = window[0..L), targets = last T of window[1..L]). */
export function batchFromWindows(windows: ArrayLike<number>[], labels: ArrayLike<number>, T: number): Batch {
  const B = windows.length;
  const L = windows[0].length - 1;
  if (T > L) throw new Error(`batch: T=${T} exceeds input length ${L}`);
  const inputs = new Int32Array(B * L);
  const targets = new Int32Array(B * T);
  windows.forEach((w, b) => {
    if (w.length !== L + 1) throw new Error(`batch: window ${b} has length ${w.length}, expected ${L + 1}`);
    for (let i = 0; i < L; i++) inputs[b * L + i] = w[i];
    for (let j = 0; j < T; j++) targets[b * T + j] = w[L - T + j + 1];
  });
  return { B, L, T, inputs, targets, labels: Int32Array.from(labels) };
}

/** Rows [from, to) of a batch as a new batch (used to split work between replicas). */
export function sliceBatch(batch: Batch, from: number, to: number): Batch {
  return {
    B: to - from,
    L: batch.L,
    T: batch.T,
    inputs: batch.inputs.slice(from * batch.L, to * batch.L),
    targets: batch.targets.slice(from * batch.T, to * batch.T),
    labels: batch.labels.slice(from, to),
    ...(batch.weights ? { weights: batch.weights.slice(from * batch.T, to * batch.T) } : {}),
    ...(batch.excitation ? { excitation: batch.excitation.slice((from * batch.excitation.length) / batch.B, (to * batch.excitation.length) / batch.B) } : {}),
    ...(batch.conditions ? { conditions: batch.conditions.slice((from * batch.conditions.length) / batch.B, (to * batch.conditions.length) / batch.B) } : {}),
  };
}
