import type { WaveNetWeights } from '../model/weights';
import { createJsEngine } from './engineJs';
import { createWasmEngine } from './engineWasm';
import { DEFAULT_PRECISION } from './pack';

/**
 * An incremental WaveNet over a batch of takes that advance in lockstep: every call to `step`
 * feeds one μ-law class per take (the sample at time t) and returns the logits for time t + 1.
 * Past activations live in per-layer ring buffers, so a step costs O(layers), not O(receptive field).
 */
export interface StepEngine {
  /** Takes processed together. */
  readonly batch: number;
  /** μ-law classes per logits row (Q). */
  readonly classes: number;
  /** Distance in floats between consecutive takes' logits in the array `step` returns (>= Q). */
  readonly logitsStride: number;
  /** Pitch-excitation channels per take that `step` takes (model/excitation.ts); 0 for models without. */
  readonly excitationChannels: number;
  /** The model's sample rate, in Hz. */
  readonly sampleRate: number;
  /** Clears every take's history (causal zero padding) and sets each take's condition label. */
  reset(labels: ArrayLike<number>): void;
  /**
   * Advances all takes by one sample; the returned view is overwritten by the next call.
   * `excitation` [batch × excitationChannels] is each take's excitation for the sample the logits
   * predict (zeros when omitted).
   */
  step(inputs: ArrayLike<number>, excitation?: ArrayLike<number>): Float32Array;
  /**
   * Optional fast path for sampling: exp((logits - rowMax) * invTemperature[b]) per take for the last
   * step's logits, same layout as `step`'s result (padding 0). Overwritten by the next call.
   */
  softmaxWeights?(invTemperature: ArrayLike<number>): Float32Array;
}

/**
 * 'wasm': the WebAssembly SIMD kernel with int16-stored weights and exact integer sums (DEFAULT_PRECISION,
 * the default); 'wasm-f32': the same kernel with f32 weights (within 1e-4 of the reference); 'js': plain
 * TypeScript, f64. The same take for the same seed means the same bytes for the same weights, settings
 * and engine kind (its precision is recorded on the take).
 */
export type EngineKind = 'wasm' | 'wasm-f32' | 'js';

/** Every engine kind, for validating a user's choice. */
export const ENGINE_KINDS: readonly EngineKind[] = ['wasm', 'wasm-f32', 'js'];

/** Builds an engine: the WebAssembly SIMD kernel (int16 weights) by default, its f32 form, or the plain TypeScript one. */
export async function createEngine(weights: WaveNetWeights, batch: number, kind: EngineKind = 'wasm'): Promise<StepEngine> {
  if (kind === 'js') return createJsEngine(weights, batch);
  if (kind === 'wasm' || kind === 'wasm-f32') return createWasmEngine(weights, batch, { precision: kind === 'wasm' ? DEFAULT_PRECISION : 'f32' });
  throw new Error(`engine: unknown kind ${String(kind)} (wasm, wasm-f32 or js)`);
}
