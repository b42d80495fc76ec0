/**
 * Messages between the live generator's three parts: the page (generator.ts), the generation worker
 * (worker.ts) and the mixing AudioWorklet (mixer-processor.ts). The worker and the worklet talk
 * directly over a MessageChannel, so audio never passes through the page's thread.
 */
import type { LiveModel } from '../../../../src-preload/contract';

/** What a voice plays: the label, seed and sampling settings (gain is the worklet's business). */
export interface VoiceSpec {
  label: string | null;
  seed: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  /** Classifier-free guidance; default the checkpoint's for a labelled voice (as a take job does). */
  guidance?: number;
  /** Samples to generate; absent: until the voice is released or stopped. */
  length?: number;
}

/** Page → worker. */
export type ToWorker =
  | { type: 'load'; model: LiveModel; weights: ArrayBuffer; mixer: MessagePort; blockSize: number; capture: boolean }
  | { type: 'start'; id: number; voice: VoiceSpec }
  | { type: 'stop'; id: number }
  /** Generates a voice offline (no playback) and returns its samples. */
  | { type: 'render'; requestId: number; voice: VoiceSpec & { length: number } }
  /** The samples a live voice was given so far (with `capture` on). */
  | { type: 'captured'; requestId: number; id: number };

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; maxVoices: number; realtime: number; stepMicros: number; engine: string }
  /** The kernel's speed as measured on the live voices since (sent when the voices it sustains change). */
  | { type: 'speed'; maxVoices: number; realtime: number; stepMicros: number }
  | { type: 'failed'; message: string }
  | { type: 'voice-failed'; id: number; message: string }
  | { type: 'result'; requestId: number; samples?: Float32Array; error?: string };

/** Worker → worklet (over the MessageChannel). */
export type WorkerToMixer = { type: 'block'; id: number; samples: Float32Array } | { type: 'end'; id: number };

/** Worklet → worker: what each voice has played (the worker keeps every voice a little ahead of it). */
export type MixerToWorker = { type: 'played'; voices: { id: number; played: number; queued: number }[] } | { type: 'ended'; id: number };

/** Page → worklet. */
export type PageToMixer =
  | { type: 'connect'; port: MessagePort }
  | { type: 'start'; id: number; gain: number }
  | { type: 'release'; id: number; fadeSamples: number }
  | { type: 'stop'; id: number }
  | { type: 'dispose' };

/** Worklet → page. */
export type MixerToPage =
  | { type: 'stats'; active: number; underruns: number; worstAheadSamples: number | null; voices: { id: number; played: number; queued: number; underruns: number }[]; peak: number }
  | { type: 'sounding'; id: number; time: number }
  | { type: 'ended'; id: number };
