import type { WaveNetWeights } from '../model/weights';

/** Channel counts rounded up to whole SIMD panels of 8 floats; padding is zero everywhere. */
export interface PaddedShape {
  R: number; G: number; S: number; Q: number; D: number;
  Rp: number; Gp: number; Dp: number; Sp: number; Qp: number;
}

/** Rounds n up to a multiple of 8 (one panel of two f32x4 vectors). */
export function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The padded shape of a model; the gate half starts at Gp so filter and gate stay aligned. */
export function paddedShape(weights: WaveNetWeights): PaddedShape {
  const { residualChannels: R, dilationChannels: D, skipChannels: S, quantization: Q } = weights.config;
  const G = D / 2;
  const Gp = pad8(G);
  return { R, G, S, Q, D, Rp: pad8(R), Gp, Dp: 2 * Gp, Sp: pad8(S), Qp: pad8(Q) };
}

/**
 * Packs a K x N matrix (given by `get`, padded entries return 0) into panels of 8 columns:
 * out[p*K*8 + k*8 + j] = W[k][8p + j], so a kernel reads each panel as one linear stream.
 */
export function packPanels(K: number, N: number, get: (k: number, n: number) => number): Float32Array {
  const out = new Float32Array(K * N);
  for (let p = 0; p < N / 8; p++) {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < 8; j++) out[p * K * 8 + k * 8 + j] = get(k, p * 8 + j);
    }
  }
  return out;
}

/** Maps a padded dilated-conv column to the model's column (filter | gate), or -1 for padding. */
export function convColumn(shape: PaddedShape, c: number): number {
  if (c < shape.Gp) return c < shape.G ? c : -1;
  const g = c - shape.Gp;
  return g < shape.G ? shape.G + g : -1;
}

/** Every weight in the kernel's layout, as plain arrays ready to copy into wasm memory. */
export interface PackedWeights {
  shape: PaddedShape;
  layers: number;
  dilations: number[];
  /** [Q][Rp] */
  emb: Float32Array;
  /** [Q][Dp]: embedding @ convNow of layer 0 (its input is one of Q classes). */
  tabNow: Float32Array;
  /** [Q][Dp]: embedding @ convPast of layer 0. */
  tabPast: Float32Array;
  /** Per layer: panels of [x_now | x_past] (K = 2Rp) @ [convNow; convPast] (N = Dp). */
  conv: Float32Array[];
  /** Per layer: [max(1, numLabels)][Dp] = convBias + cond[label]. */
  biasCond: Float32Array[];
  /** Per layer: panels of z (K = Gp) @ [resW | skipW] (N = Rp + Sp). */
  resSkip: Float32Array[];
  /** Per layer: [Rp + Sp] = [resB | skipB]. */
  resSkipB: Float32Array[];
  out1W: Float32Array; out1B: Float32Array; out2W: Float32Array; out2B: Float32Array;
}

/** Re-lays the shared row-major weights for the SIMD kernel (padded, panelled, layer 0 folded into tables). */
export function packWeights(weights: WaveNetWeights): PackedWeights {
  const shape = paddedShape(weights);
  const { R, D, S, Q, Rp, Dp, Gp, Sp, Qp } = shape;
  const numLabels = weights.config.numLabels;
  const L = weights.layers;
  if (L.length === 0 || L[0].dilation !== 1) throw new Error('pack: the first layer must have dilation 1');

  const emb = new Float32Array(Q * Rp);
  for (let q = 0; q < Q; q++) for (let r = 0; r < R; r++) emb[q * Rp + r] = weights.embedding[q * R + r];

  // Layer 0 sees only embedding rows, so its two conv taps become Q x Dp lookup tables (f64 sums, one rounding).
  const table = (tap: Float32Array) => {
    const out = new Float32Array(Q * Dp);
    for (let q = 0; q < Q; q++) {
      for (let c = 0; c < Dp; c++) {
        const o = convColumn(shape, c);
        if (o < 0) continue;
        let acc = 0;
        for (let r = 0; r < R; r++) acc += weights.embedding[q * R + r] * tap[r * D + o];
        out[q * Dp + c] = acc;
      }
    }
    return out;
  };

  const conv = L.map((layer) => packPanels(2 * Rp, Dp, (k, c) => {
    const o = convColumn(shape, c);
    if (o < 0) return 0;
    if (k < Rp) return k < R ? layer.convNow[k * D + o] : 0;
    return k - Rp < R ? layer.convPast[(k - Rp) * D + o] : 0;
  }));
  const biasCond = L.map((layer) => {
    const rows = Math.max(1, numLabels);
    const out = new Float32Array(rows * Dp);
    for (let lab = 0; lab < rows; lab++) {
      for (let c = 0; c < Dp; c++) {
        const o = convColumn(shape, c);
        if (o >= 0) out[lab * Dp + c] = layer.convBias[o] + (numLabels > 0 ? layer.cond[lab * D + o] : 0);
      }
    }
    return out;
  });
  const G = shape.G;
  const resSkip = L.map((layer) => packPanels(Gp, Rp + Sp, (k, c) => {
    if (k >= G) return 0;
    if (c < Rp) return c < R ? layer.resW[k * R + c] : 0;
    return c - Rp < S ? layer.skipW[k * S + (c - Rp)] : 0;
  }));
  const resSkipB = L.map((layer) => {
    const out = new Float32Array(Rp + Sp);
    out.set(layer.resB, 0);
    out.set(layer.skipB, Rp);
    return out;
  });
  const out1B = new Float32Array(Sp);
  out1B.set(weights.out1B);
  const out2B = new Float32Array(Qp);
  out2B.set(weights.out2B);
  return {
    shape,
    layers: L.length,
    dilations: L.map((l) => l.dilation),
    emb,
    tabNow: table(L[0].convNow),
    tabPast: table(L[0].convPast),
    conv,
    biasCond,
    resSkip,
    resSkipB,
    out1W: packPanels(Sp, Sp, (k, c) => (k < S && c < S ? weights.out1W[k * S + c] : 0)),
    out1B,
    out2W: packPanels(Sp, Qp, (k, c) => (k < S && c < Q ? weights.out2W[k * Q + c] : 0)),
    out2B,
  };
}

/** How the kernel stores matrix weights: bfloat16 (half the bytes per step, f32 arithmetic) or f32. */
export type WeightPrecision = 'bf16' | 'f32';

const f32Scratch = new Float32Array(1);
const bitsScratch = new Uint32Array(f32Scratch.buffer);

/** The bfloat16 nearest to `x` (round to nearest, ties to even), as its 16 bits; NaN stays NaN. */
export function bf16Bits(x: number): number {
  f32Scratch[0] = x;
  const bits = bitsScratch[0];
  if (Number.isNaN(f32Scratch[0])) return (bits >>> 16) | 0x40;
  // Plain arithmetic (not >>> on the sum), so the carry out of the largest finite values gives ±Infinity.
  return Math.floor((bits + 0x7fff + ((bits >>> 16) & 1)) / 65536) & 0xffff;
}

/** The f32 value of bfloat16 bits. */
export function bf16Value(bits: number): number {
  bitsScratch[0] = (bits & 0xffff) << 16;
  return f32Scratch[0];
}

/** `x` rounded to bfloat16 and back, as the bf16 kernel sees it. */
export function roundBf16(x: number): number {
  return bf16Value(bf16Bits(x));
}

/**
 * Re-lays f32 panels (rows of 8 columns) as bf16 panels (rows of four 32-bit words): word j of a row
 * holds column j in its low half and column j + 4 in its high half, which the kernel decodes with one
 * shift and one mask per 8 weights.
 */
export function toBf16Panels(panels: Float32Array): Uint32Array {
  if (panels.length % 8 !== 0) throw new Error(`pack: panel data must be whole rows of 8, got ${panels.length} floats`);
  const out = new Uint32Array(panels.length / 2);
  for (let r = 0; r < panels.length / 8; r++) {
    for (let j = 0; j < 4; j++) out[r * 4 + j] = (bf16Bits(panels[r * 8 + j]) | (bf16Bits(panels[r * 8 + 4 + j]) << 16)) >>> 0;
  }
  return out;
}
