/** Throws unless every label is valid for the model (0 for an unconditional model). */
export function checkLabels(labels: ArrayLike<number>, batch: number, numLabels: number): void {
  if (labels.length !== batch) throw new Error(`engine: expected ${batch} labels, got ${labels.length}`);
  const max = Math.max(1, numLabels);
  for (let b = 0; b < batch; b++) {
    const l = labels[b];
    if (!Number.isInteger(l) || l < 0 || l >= max) throw new Error(`engine: label ${l} out of range [0, ${max})`);
  }
}

/** Throws unless every input is a class index in [0, Q). */
export function checkInputs(inputs: ArrayLike<number>, batch: number, Q: number): void {
  if (inputs.length < batch) throw new Error(`engine: expected ${batch} inputs, got ${inputs.length}`);
  for (let b = 0; b < batch; b++) {
    const c = inputs[b];
    if (!Number.isInteger(c) || c < 0 || c >= Q) throw new Error(`engine: input class ${c} out of range [0, ${Q})`);
  }
}
