import type { WaveNetWeights } from '../model/weights';
import type { StepEngine } from './engine';
import { checkInputs, checkLabels } from './checks';
import { instantiateKernel, KERNEL_FREE_FROM } from './kernelModule';
import type { WeightPrecision } from './pack';
import { DEFAULT_PRECISION, packWeights, toBf16Panels, toI16Block } from './pack';

/** Byte offsets handed out 64-byte aligned (one cache line) from a growing cursor. */
class Layout {
  bytes = KERNEL_FREE_FROM; // address 0 means "no bias" to the kernel, and its constants live below
  /** Reserves `floats` 4-byte words and returns their byte offset. */
  take(floats: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil((floats * 4) / 64) * 64;
    return at;
  }
}

const PLAN_HEADER_WORDS = 32;
const PLAN_LAYER_WORDS = 7;

export interface WasmEngineOptions {
  /**
   * How matrix weights are stored: 'i16' (default) stores int16 weights with a scale per column and sums exactly in int32 (see pack.ts); 'bf16' streams half the bytes with f32
   * arithmetic; 'f32' is the exact engine (logits within 1e-4 of the reference). A take is the same
   * bit for bit for the same weights, seed, settings and precision, never across precisions.
   */
  precision?: WeightPrecision;
  /** Overrides the built-in kernel, for A/B runs. */
  module?: WebAssembly.Module;
}

/** The WebAssembly SIMD engine: weights packed once into the instance's memory, one kernel call per step. */
export async function createWasmEngine(weights: WaveNetWeights, batch: number, options: WasmEngineOptions = {}): Promise<StepEngine> {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`engine: batch must be a positive integer, got ${batch}`);
  const precision = options.precision ?? DEFAULT_PRECISION;
  const PRECISION_CODE = { f32: 0, bf16: 1, i16: 2 } as const;
  const code = PRECISION_CODE[precision];
  if (code === undefined) throw new Error(`engine: precision must be 'i16', 'bf16' or 'f32', got ${String(precision)}`);
  const pw = packWeights(weights);
  const { Rp, Gp, Dp, Sp, Qp, Q } = pw.shape;
  const numLabels = weights.config.numLabels;
  const E = weights.config.excitationChannels ?? 0;
  const L = pw.layers;

  // Plan every buffer before instantiating, so memory is grown once and views never detach.
  const lay = new Layout();
  const plan = lay.take(PLAN_HEADER_WORDS + PLAN_LAYER_WORDS * L);
  const put: [number, Float32Array | Uint32Array][] = [];
  const place = (data: Float32Array | Uint32Array) => {
    const at = lay.take(data.length);
    put.push([at, data]);
    return at;
  };
  // Matrices (not tables or biases, read one row per step) in the chosen precision.
  const matrix = (panels: Float32Array, K: number, N: number) =>
    place(code === 2 ? toI16Block(panels, K, N) : code === 1 ? toBf16Panels(panels) : panels);
  // All ring buffers in one block, so reset clears them with a single fill.
  const queuesStart = lay.bytes;
  const queues = pw.dilations.map((d, l) => (l === 0 ? 0 : lay.take(batch * d * Rp))); // layer 0 keeps only the previous class
  const queuesEnd = lay.bytes;
  const emb = place(pw.emb), tabNow = place(pw.tabNow), tabPast = place(pw.tabPast);
  const layerWords = pw.dilations.map((d, l) => [
    d,
    queues[l],
    l === 0 ? 0 : matrix(pw.conv[l], 2 * Rp, Dp), // layer 0 uses tabNow / tabPast instead
    place(pw.biasCond[l]),
    matrix(pw.resSkip[l], Gp, Rp + Sp),
    place(pw.resSkipB[l]),
    E > 0 ? place(pw.exc[l]) : 0,
  ]);
  const out1W = matrix(pw.out1W, Sp, Sp), out1B = place(pw.out1B), out2W = matrix(pw.out2W, Sp, Qp), out2B = place(pw.out2B);
  const xs = lay.take(batch * (Rp + Sp)), cat = lay.take(batch * 2 * Rp), h = lay.take(batch * Dp);
  const z = lay.take(batch * Gp), a = lay.take(batch * Sp), a2 = lay.take(batch * Sp), logits = lay.take(batch * Qp);
  const classes = lay.take(batch), prev = lay.take(batch), labels = lay.take(batch);
  const invT = lay.take(batch), weightsOut = lay.take(batch * Qp);
  // int16 kernel scratch: each take's quantized input row (K <= max(2Rp, Gp, Sp) int16) and its scale.
  const qbuf = lay.take((batch * Math.max(2 * Rp, Gp, Sp)) / 2), qscale = lay.take(batch);
  // Each take's excitation values for the next step (batch × E floats).
  const excIn = lay.take(Math.max(1, batch * E));

  const k = await instantiateKernel(lay.bytes, options.module);
  const buf = k.memory.buffer;
  for (const [at, data] of put) (data instanceof Float32Array ? new Float32Array(buf, at, data.length) : new Uint32Array(buf, at, data.length)).set(data);
  const header = [L, Rp, Gp, Sp, Qp, emb, tabNow, tabPast, out1W, out1B, out2W, out2B, xs, cat, h, z, a, a2, logits, classes, prev, labels, Dp, code, qbuf, qscale, excIn, E];
  const planWords = new Int32Array(buf, plan, PLAN_HEADER_WORDS + PLAN_LAYER_WORDS * L);
  planWords.set(header);
  layerWords.forEach((w, l) => planWords.set(w, PLAN_HEADER_WORDS + PLAN_LAYER_WORDS * l));

  const classesView = new Int32Array(buf, classes, batch);
  const prevView = new Int32Array(buf, prev, batch);
  const labelsView = new Int32Array(buf, labels, batch);
  const queueView = new Uint8Array(buf, queuesStart, queuesEnd - queuesStart);
  const logitsView = new Float32Array(buf, logits, batch * Qp);
  const invTView = new Float32Array(buf, invT, batch);
  const weightsView = new Float32Array(buf, weightsOut, batch * Qp);
  const excView = new Float32Array(buf, excIn, batch * E);
  // Time wraps at a common multiple of every dilation, which leaves every ring slot unchanged.
  const period = pw.dilations.reduce((m, d) => (m * d) / gcd(m, d), 1);
  let t = 0;
  prevView.fill(-1);

  return {
    batch,
    classes: Q,
    logitsStride: Qp,
    excitationChannels: E,
    sampleRate: weights.config.sampleRate,
    reset(newLabels) {
      checkLabels(newLabels, batch, numLabels);
      for (let b = 0; b < batch; b++) labelsView[b] = newLabels[b];
      prevView.fill(-1); // no sample before t = 0: causal zero padding
      queueView.fill(0);
      t = 0;
    },
    step(inputs, excitation) {
      checkInputs(inputs, batch, Q);
      for (let b = 0; b < batch; b++) classesView[b] = inputs[b];
      if (E > 0) {
        if (excitation) for (let i = 0; i < batch * E; i++) excView[i] = excitation[i];
        else excView.fill(0);
      }
      k.step(plan, batch, t);
      t = (t + 1) % period;
      return logitsView;
    },
    softmaxWeights(invTemperature) {
      // Capped so that (l - max) * invT stays finite (0 * Infinity would be NaN) for tiny temperatures.
      for (let b = 0; b < batch; b++) invTView[b] = Math.min(invTemperature[b], 1e30);
      k.softmaxWeights(logits, batch, Q, Qp, invT, weightsOut);
      return weightsView;
    },
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
