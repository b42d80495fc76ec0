/**
 * Flat parameter layout: every trainable tensor of a WaveNet, in one fixed order, as one
 * Float32Array. Optimizer state, gradient exchange between replicas and checkpoints all use it.
 */
import type { WaveNetConfig } from './config';
import { dilations } from './config';
import type { LayerWeights, WaveNetWeights } from './weights';

export interface ParamSpec {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

const LAYER_KEYS = ['convPast', 'convNow', 'convBias', 'cond', 'resW', 'resB', 'skipW', 'skipB'] as const;
type LayerKey = (typeof LAYER_KEYS)[number];

function layerShapes(config: WaveNetConfig): Record<LayerKey, number[]> {
  const { residualChannels: R, dilationChannels: D, skipChannels: S, numLabels: C } = config;
  const G = D / 2;
  return {
    convPast: [R, D], convNow: [R, D], convBias: [D], cond: [C, D],
    resW: [G, R], resB: [R], skipW: [G, S], skipB: [S],
  };
}

/** Names, shapes and offsets of every parameter tensor in canonical order (cond tensors are [0, D] when unconditioned). */
export function paramSpecs(config: WaveNetConfig): ParamSpec[] {
  const { residualChannels: R, skipChannels: S, quantization: Q } = config;
  const specs: ParamSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    specs.push({ name, shape, offset, size });
    offset += size;
  };
  add('embedding', [Q, R]);
  const shapes = layerShapes(config);
  const E = config.excitationChannels ?? 0;
  dilations(config).forEach((_, l) => {
    for (const k of LAYER_KEYS) add(`layers.${l}.${k}`, shapes[k]);
    // Only models with pitch excitation have this tensor, so older layouts are unchanged.
    if (E > 0) add(`layers.${l}.exc`, [E, config.dilationChannels]);
  });
  add('out1W', [S, S]);
  add('out1B', [S]);
  add('out2W', [S, Q]);
  add('out2B', [Q]);
  return specs;
}

/** Total number of floats in the flat layout (equals parameterCount(config)). */
export function flatSize(config: WaveNetConfig): number {
  const specs = paramSpecs(config);
  const last = specs[specs.length - 1];
  return last.offset + last.size;
}

function tensorsOf(w: WaveNetWeights): Float32Array[] {
  const out: Float32Array[] = [w.embedding];
  const E = w.config.excitationChannels ?? 0;
  for (const layer of w.layers) {
    for (const k of LAYER_KEYS) out.push(layer[k]);
    if (E > 0) out.push(layer.exc ?? new Float32Array(0));
  }
  out.push(w.out1W, w.out1B, w.out2W, w.out2B);
  return out;
}

/** Copies WaveNetWeights into one flat Float32Array (throws on a shape mismatch). */
export function flattenWeights(w: WaveNetWeights): Float32Array {
  const specs = paramSpecs(w.config);
  const arrays = tensorsOf(w);
  if (arrays.length !== specs.length) throw new Error(`weights have ${arrays.length} tensors, config expects ${specs.length}`);
  const flat = new Float32Array(flatSize(w.config));
  specs.forEach((s, i) => {
    if (arrays[i].length !== s.size) throw new Error(`weights tensor ${s.name}: length ${arrays[i].length}, expected ${s.size} [${s.shape}]`);
    flat.set(arrays[i], s.offset);
  });
  return flat;
}

/** Builds WaveNetWeights (copies) from a flat array in canonical order. */
export function unflattenWeights(config: WaveNetConfig, flat: Float32Array): WaveNetWeights {
  const specs = paramSpecs(config);
  const total = flatSize(config);
  if (flat.length !== total) throw new Error(`flat parameters: length ${flat.length}, expected ${total}`);
  let i = 0;
  const next = () => {
    const s = specs[i++];
    return flat.slice(s.offset, s.offset + s.size);
  };
  const embedding = next();
  const layers: LayerWeights[] = dilations(config).map((dilation) => {
    const l = { dilation } as LayerWeights;
    for (const k of LAYER_KEYS) l[k] = next();
    if ((config.excitationChannels ?? 0) > 0) l.exc = next();
    return l;
  });
  return { config, embedding, layers, out1W: next(), out1B: next(), out2W: next(), out2B: next() };
}
