import type { WaveNetConfig } from './config';
import { dilations } from './config';
import { mulberry32 } from '../random';
import { muLawDecode } from '../audio/mulaw';

/**
 * A WaveNet's weights as plain row-major Float32Arrays, the one layout every part shares:
 * the tfjs model reads and writes it, the generation engine runs on it, checkpoints store it.
 * Matrices are [in, out], applied as y = x @ W + b.
 */
export interface LayerWeights {
  dilation: number;
  /** [R, D]: the kernel tap applied to x[t - dilation]. */
  convPast: Float32Array;
  /** [R, D]: the kernel tap applied to x[t]. */
  convNow: Float32Array;
  /** [D] */
  convBias: Float32Array;
  /** [numLabels, D]: global-condition projection (one-hot label @ cond), or empty when numLabels = 0. */
  cond: Float32Array;
  /** [E, D]: pitch-excitation projection (model/excitation.ts), present when config.excitationChannels > 0. */
  exc?: Float32Array;
  /** [G, R] where G = D/2 */
  resW: Float32Array;
  /** [R] */
  resB: Float32Array;
  /** [G, S] */
  skipW: Float32Array;
  /** [S] */
  skipB: Float32Array;
}

export interface WaveNetWeights {
  config: WaveNetConfig;
  /** [Q, R]: input embedding of the μ-law class (one-hot @ embedding). */
  embedding: Float32Array;
  layers: LayerWeights[];
  /** [S, S] */
  out1W: Float32Array;
  /** [S] */
  out1B: Float32Array;
  /** [S, Q] */
  out2W: Float32Array;
  /** [Q] */
  out2B: Float32Array;
}

/** Deterministic PRNG (mulberry32); re-exported for existing importers. */
export { mulberry32 } from '../random';

function uniform(n: number, scale: number, rand: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rand() * 2 - 1) * scale;
  return a;
}

/** Standard normal values (Box–Muller on the seeded stream). */
function normal(n: number, std: number, rand: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = std * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return a;
}

/**
 * The input embedding's start: unit-variance rows (a lookup has no fan-in to scale by; at Glorot
 * scale, ±0.14 for 256 × 32, the first layer sees a near-zero signal and training spends hundreds of
 * steps growing it), with the first columns set to smooth functions of the class — its position on
 * the μ-law scale, its amplitude, a few sines of it — so the network knows from the first step that
 * neighbouring classes are neighbouring values. Measured on 96 piano triads (sketch, lr 6e-3, 150
 * steps): 4.40 held-out bits/sample against 4.61 for unit-variance rows alone.
 */
function initialEmbedding(Q: number, R: number, rand: () => number): Float32Array {
  const e = normal(Q * R, 1, rand);
  const smooth = Math.min(R, 9);
  const amps = muLawDecode(Int32Array.from({ length: Q }, (_, c) => c), Q);
  for (let c = 0; c < Q; c++) {
    const v = (2 * c) / (Q - 1) - 1;
    const cols = [v, 4 * amps[c], ...Array.from({ length: 7 }, (_, k) => 0.5 * Math.sin(Math.PI * (k + 1) * v))];
    for (let j = 0; j < smooth; j++) e[c * R + j] = cols[j];
  }
  return e;
}

/** Random weights, the same seed giving the same weights: Glorot-uniform matrices and a structured input embedding. */
export function randomWeights(config: WaveNetConfig, seed = 1): WaveNetWeights {
  const rand = mulberry32(seed);
  const { residualChannels: R, dilationChannels: D, skipChannels: S, quantization: Q, numLabels: C } = config;
  const E = config.excitationChannels ?? 0;
  const G = D / 2;
  const glorot = (fanIn: number, fanOut: number) => Math.sqrt(6 / (fanIn + fanOut));
  return {
    config,
    embedding: initialEmbedding(Q, R, rand),
    layers: dilations(config).map((dilation) => ({
      dilation,
      convPast: uniform(R * D, glorot(2 * R, D), rand),
      convNow: uniform(R * D, glorot(2 * R, D), rand),
      convBias: uniform(D, 0.05, rand),
      cond: uniform(C * D, C > 0 ? glorot(C, D) : 0, rand),
      ...(E > 0 ? { exc: uniform(E * D, glorot(E, D), rand) } : {}),
      resW: uniform(G * R, glorot(G, R), rand),
      resB: uniform(R, 0.05, rand),
      skipW: uniform(G * S, glorot(G, S), rand),
      skipB: uniform(S, 0.05, rand),
    })),
    out1W: uniform(S * S, glorot(S, S), rand),
    out1B: uniform(S, 0.05, rand),
    out2W: uniform(S * Q, glorot(S, Q), rand),
    out2B: uniform(Q, 0.05, rand),
  };
}

/**
 * The same model with one more label whose condition is zero: "no label". A model trained with
 * label dropout (conditions zeroed on a share of its windows) has learned what that means, which
 * classifier-free guidance at generation needs (generation/takes.ts).
 */
export function withNullLabel(weights: WaveNetWeights): WaveNetWeights {
  const C = weights.config.numLabels;
  return {
    ...weights,
    config: { ...weights.config, numLabels: C + 1 },
    layers: weights.layers.map((layer) => {
      const cond = new Float32Array((C + 1) * layer.convBias.length);
      cond.set(layer.cond);
      return { ...layer, cond };
    }),
  };
}
