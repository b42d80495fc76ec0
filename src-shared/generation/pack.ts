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
  /** Per layer: [E][Dp] pitch-excitation projection rows (empty when the model has none). */
  exc: Float32Array[];
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
  const E = weights.config.excitationChannels ?? 0;
  const exc = L.map((layer) => {
    const out = new Float32Array(E * Dp);
    for (let e = 0; e < E; e++) {
      for (let c = 0; c < Dp; c++) {
        const o = convColumn(shape, c);
        if (o >= 0) out[e * Dp + c] = layer.exc![e * D + o];
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
    exc,
    resSkip,
    resSkipB,
    out1W: packPanels(Sp, Sp, (k, c) => (k < S && c < S ? weights.out1W[k * S + c] : 0)),
    out1B,
    out2W: packPanels(Sp, Qp, (k, c) => (k < S && c < Q ? weights.out2W[k * Q + c] : 0)),
    out2B,
  };
}

/**
 * How the kernel stores matrix weights: 'i16' (int16 with a scale per column, exact integer sums over
 * int16-quantized inputs: twice the products per instruction and half the bytes of f32), 'bf16'
 * (bfloat16, f32 arithmetic) or 'f32'.
 */
export type WeightPrecision = 'i16' | 'bf16' | 'f32';

/** What the wasm engine stores weights as unless told otherwise. */
export const DEFAULT_PRECISION: WeightPrecision = 'i16';

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

/** Activation range of the int16 kernel (XM in wasm/kernel.as): inputs are quantized to |q| <= 8191. */
export const I16_ACTIVATION_MAX = 8191;
/** Largest sum of |W_q| a column may have so that XM * sum stays within int32. */
export const I16_COLUMN_L1_MAX = Math.floor(0x7fffffff / I16_ACTIVATION_MAX);

/**
 * Re-lays f32 panels (K rows x 8 columns each) of a K x N matrix as the int16 kernel's block:
 * N f32 column scales (W ~ W_q * scale), then the panels: row pair (2i, 2i + 1) of a panel is 32 bytes,
 * columns 0..3 then 4..7, each as the int16 pair (W_q[2i][c], W_q[2i + 1][c]); panels 2g and 2g + 1
 * are interleaved row pair by row pair, an odd last panel stands alone.
 * Each column's scale is as fine as int16 allows while the column's sum of |W_q| stays within
 * I16_COLUMN_L1_MAX, so the kernel's int32 sums cannot overflow whatever the input.
 */
export function toI16Block(panels: Float32Array, K: number, N: number): Uint32Array {
  if (K % 2 !== 0 || N % 8 !== 0 || panels.length !== K * N) throw new Error(`pack: int16 blocks need even K and N a multiple of 8 (K ${K}, N ${N}, ${panels.length} floats)`);
  const at = (k: number, c: number) => panels[(c >> 3) * K * 8 + k * 8 + (c & 7)];
  const out = new Uint32Array(N + (K * N) / 2);
  const scales = new Float32Array(out.buffer, 0, N);
  const q = new Int16Array(out.buffer, N * 4, K * N);
  const pairedPanels = (N / 8) & ~1; // panels below this index come in interleaved pairs
  for (let c = 0; c < N; c++) {
    let max = 0;
    let l1 = 0;
    for (let k = 0; k < K; k++) {
      const v = Math.abs(at(k, c));
      if (!Number.isFinite(v)) throw new Error(`pack: weight ${at(k, c)} at row ${k}, column ${c} is not finite`);
      max = Math.max(max, v);
      l1 += v;
    }
    if (max === 0) continue; // an all-zero (or padding) column: scale 0, weights 0
    // Rounding adds at most 1/2 per row to the sum of |W_q|, hence the K of headroom.
    const s = Math.min(32767 / max, (I16_COLUMN_L1_MAX - K) / l1);
    scales[c] = 1 / s;
    const p = c >> 3, half = (c & 7) >> 2, j = c & 3;
    // int16 index of row pair 0 of this column's panel, and the distance between row pairs.
    const base = (p >> 1) * K * 16 + (p < pairedPanels ? (p & 1) * 16 : 0);
    const rowPair = p < pairedPanels ? 32 : 16;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const v = Math.round(at(k, c) * s);
      sum += Math.abs(v);
      q[base + (k >> 1) * rowPair + half * 8 + j * 2 + (k & 1)] = v;
    }
    if (sum > I16_COLUMN_L1_MAX) throw new Error(`pack: int16 column ${c} sums to ${sum} > ${I16_COLUMN_L1_MAX}`); // cannot happen; guards the kernel
  }
  return out;
}
