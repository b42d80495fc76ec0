/**
 * One take generated block by block: the renderer's live generator plays a voice as it is made and
 * for as long as a key is held, so it cannot run `runTakes` to a fixed length. `TakeVoice` does what
 * `runTakes` does for a single take (prime, guidance twin row, pitch excitation, the take's own
 * seeded sampling stream), step for step in the same order, so a voice and a take with the same
 * weights, engine kind, seed and settings give the same samples bit for bit (tested against
 * runTakes in test/unit/generation/voice.test.ts).
 */
import { muLawDecode } from '../audio/mulaw';
import { ExcitationStream } from '../pitch/excitation';
import type { StepEngine } from './engine';
import { argmax, sampleClass, sampleFromWeights, seededRandom } from './sampling';
import { isGuided, silenceClass, validateRequest, type TakeRequest } from './takes';

/** A voice's request: a take request without a fixed length (it runs until it is stopped). */
export type VoiceRequest = Omit<TakeRequest, 'length'>;

/** Engine rows a voice needs: two when guided (its unconditional twin), else one. */
export function voiceRows(r: VoiceRequest): number {
  return isGuided({ ...r, length: 0 }) ? 2 : 1;
}

export class TakeVoice {
  readonly #engine: StepEngine;
  readonly #request: VoiceRequest;
  readonly #guided: boolean;
  readonly #prime: number[];
  readonly #rand: () => number;
  readonly #scratch: Float64Array;
  readonly #invT: Float32Array;
  readonly #inputs: Int32Array;
  readonly #excitation: Float32Array | undefined;
  readonly #excRow: Float32Array | undefined;
  readonly #stream: ExcitationStream | null;
  /** Engine steps taken (prime steps included). */
  #step = 0;
  /** The last generated class (the next step's input once the prime is used up). */
  #last = 0;
  /** Samples generated so far. */
  #made = 0;

  /**
   * `engine` must have exactly voiceRows(request) rows and is reset here (the voice owns it while it
   * plays). `nullLabel` is the engine's "no label" condition, needed for guidance (withNullLabel).
   */
  constructor(engine: StepEngine, request: VoiceRequest, nullLabel?: number) {
    const Q = engine.classes;
    validateRequest({ ...request, length: 0 }, Q);
    this.#guided = isGuided({ ...request, length: 0 });
    const rows = this.#guided ? 2 : 1;
    if (engine.batch !== rows) throw new Error(`voice: needs an engine of ${rows} row${rows === 1 ? '' : 's'}, got ${engine.batch}`);
    if (this.#guided && nullLabel === undefined) throw new Error('voice: guidance needs a model with a "no label" condition (withNullLabel)');
    this.#engine = engine;
    this.#request = request;
    this.#prime = request.prime && request.prime.length > 0 ? Array.from(request.prime) : [silenceClass(Q)];
    this.#rand = seededRandom(request.seed);
    this.#scratch = new Float64Array(2 * Q);
    this.#invT = new Float32Array(rows);
    const t = request.temperature ?? 1;
    this.#invT[0] = t > 0 ? 1 / t : 0;
    this.#inputs = new Int32Array(rows);
    const E = engine.excitationChannels;
    this.#stream = E > 0 && request.voicing ? new ExcitationStream(request.voicing, engine.sampleRate, 0, E) : null;
    // runTakes passes an excitation array whenever a take of the batch has a voicing; the twin row's stays zero.
    this.#excitation = this.#stream ? new Float32Array(rows * E) : undefined;
    this.#excRow = this.#stream ? new Float32Array(E) : undefined;
    const labels = new Int32Array(rows);
    labels[0] = request.label ?? 0;
    if (this.#guided) labels[1] = nullLabel!;
    engine.reset(labels);
  }

  /** Samples generated so far. */
  get made(): number {
    return this.#made;
  }

  /** Generates the next `count` samples: their μ-law classes into `classes` (length >= count). */
  nextClasses(count: number, classes: Int32Array): void {
    const engine = this.#engine;
    const Q = engine.classes;
    const pl = this.#prime.length;
    const fast = engine.softmaxWeights !== undefined;
    const E = engine.excitationChannels;
    let written = 0;
    while (written < count) {
      const i = this.#step;
      const input = i < pl ? this.#prime[i] : this.#last;
      this.#inputs[0] = input;
      if (this.#guided) this.#inputs[1] = input;
      const j = i - (pl - 1); // index of the sample these logits predict
      if (this.#excitation) {
        if (j >= 0) {
          this.#stream!.write(this.#excRow!, 0, 1);
          this.#excitation.set(this.#excRow!, 0);
        } else this.#excitation.fill(0, 0, E);
      }
      const logits = engine.step(this.#inputs, this.#excitation);
      if (this.#guided) {
        const g = this.#request.guidance!;
        const u = engine.logitsStride;
        for (let q = 0; q < Q; q++) logits[q] = logits[u + q] + g * (logits[q] - logits[u + q]);
      }
      const weights = fast ? engine.softmaxWeights!(this.#invT) : undefined;
      this.#step++;
      if (j < 0) continue;
      const c = this.#invT[0] === 0
        ? argmax(logits, 0, Q)
        : weights
          ? sampleFromWeights(weights, 0, Q, this.#request, this.#rand, this.#scratch)
          : sampleClass(logits, 0, Q, this.#request, this.#rand, this.#scratch);
      this.#last = c;
      classes[written++] = c;
      this.#made++;
    }
  }

  /** Generates the next `count` samples, decoded to [-1, 1] exactly as a saved take is (muLawDecode). */
  next(count: number): Float32Array {
    const classes = new Int32Array(count);
    this.nextClasses(count, classes);
    return muLawDecode(classes, this.#engine.classes);
  }
}
