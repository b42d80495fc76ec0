/**
 * One open Instrument view: the live generator of a checkpoint, the mapping in force, the voices
 * (VoiceAllocator: the limit is the generator's measured maxVoices, stealing instead of glitching),
 * computer-keyboard and Web MIDI input, the latency meter and the performance recorder.
 */
import type { Client } from '../../../src-preload/client';
import type { MappingEntry } from './mapping';
import { mappingIndex, resolveMapping } from './mapping';
import { DEFAULT_KEY_VELOCITY, RELEASE_FADE_MS, velocityGain } from './laws';
import { heardAtFromStamp, heardAtMs, LatencyMeter, type LatencyFigures } from './latency';
import { parseMidiMessage } from './midi';
import { InputRouter, type VoiceAction } from './router';
import { PerformanceRecorder, type RecordingResult } from './recorder';
import { VoiceAllocator } from './voices';

/**
 * What the instrument needs of a live generator: the interface agreed with the render helper
 * (src-renderer/src/audio/live-generator, /work/helper-notes/live-generator-api.md), structurally.
 */
export interface InstrumentGenerator {
  readonly sampleRate: number;
  readonly labels: readonly string[];
  startVoice(v: { label: string | null; seed: number; gain: number; temperature?: number }): number;
  releaseVoice(id: number, fadeMs: number): void;
  stopVoice(id: number): void;
  stopAll(): void;
  stats(): { voicesActive: number; underruns: number; aheadMs: number; maxVoices: number; outputLatencyMs: number };
  onVoiceSounding(cb: (id: number, atTime: number) => void): () => void;
  readonly output: AudioNode;
  dispose(): void;
  /** Extras of the live generator: a voice ended on its own, or could not start. */
  onVoiceEnded?(cb: (id: number) => void): () => void;
  onVoiceFailed?(cb: (id: number, message: string) => void): () => void;
}

/** Makes a ready generator for a checkpoint on a context (createLiveGenerator with the client bound). */
export type GeneratorFactory = (ctx: AudioContext, checkpointId: string) => Promise<InstrumentGenerator>;

export type InstrumentState = 'idle' | 'loading' | 'ready' | 'failed';
export type MidiStatus = 'unsupported' | 'requesting' | 'denied' | 'ready';

/** What the e2e tests read from the page (`window.__wavehouseInstrument.snapshot()`). */
export interface InstrumentSnapshot {
  state: InstrumentState;
  error: string | null;
  labels: string[];
  held: string[];
  /** Every voice started: its label and gain, in order. */
  started: { id: number; label: string; gain: number; source: string }[];
  sounded: number[];
  stolen: number;
  /** Voices the allocator allows (the measured maxVoices, at least 1). */
  voiceLimit: number;
  latency: LatencyFigures;
  latencies: number[];
  stats: ReturnType<InstrumentGenerator['stats']> | null;
  midi: { status: MidiStatus; inputs: string[] };
  recording: boolean;
  /** Highest output peak seen by the analyser since the generator loaded. */
  maxPeak: number;
  contextState: string | null;
  sampleRate: number | null;
}

/** The context rate of the low-latency mode (what most devices run at natively). */
export const LOW_LATENCY_RATE = 48000;

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] & 0x7fffffff;
}

export class InstrumentSession {
  state = $state<InstrumentState>('idle');
  error = $state<string | null>(null);
  labels = $state<string[]>([]);
  /** The mapping as stored for the project (labels left out play their defaults). */
  stored = $state<MappingEntry[]>([]);
  /** The mapping in force for the generator's labels. */
  mapping = $derived(resolveMapping(this.labels, this.stored));
  #index = $derived(mappingIndex(this.mapping));
  /** Labels sounding now (held), for the pads. */
  held = $state<string[]>([]);
  velocity = $state(DEFAULT_KEY_VELOCITY);
  fadeMs = $state(RELEASE_FADE_MS);
  stats = $state<ReturnType<InstrumentGenerator['stats']> | null>(null);
  latency = $state<LatencyFigures>({ last: null, median: null, count: 0 });
  stolen = $state(0);
  /** Voices the allocator allows: the generator's measured maxVoices, at least 1. */
  voiceLimit = $state(1);
  midiStatus = $state<MidiStatus>('unsupported');
  midiInputs = $state<string[]>([]);
  recording = $state(false);
  recordedSeconds = $state(0);
  saving = $state(false);
  lastTake = $state<RecordingResult | null>(null);
  /** Output peak over the last poll (linear). */
  level = $state(0);

  #ctx: AudioContext | null = null;
  #gen: InstrumentGenerator | null = null;
  #alloc = new VoiceAllocator(1);
  #meter = new LatencyMeter();
  #recorder: PerformanceRecorder | null = null;
  #analyser: AnalyserNode | null = null;
  #scope: Float32Array<ArrayBuffer> | null = null;
  /** Highest output peak seen since load (the tests' proof of sound; the view's level). */
  #maxPeak = 0;
  #off: (() => void)[] = [];
  #genOff: (() => void) | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #router = new InputRouter();
  #started: InstrumentSnapshot['started'] = [];
  #sounded: number[] = [];
  #played = { notes: 0, labels: new Set<string>() };
  #disposed = false;
  #checkpointId: string | null = null;

  constructor(
    private readonly client: Client,
    private readonly projectId: string,
    private readonly factory: GeneratorFactory,
  ) {
    (globalThis as { __wavehouseInstrument?: unknown }).__wavehouseInstrument = { snapshot: () => this.snapshot() };
  }

  /** Loads the project's stored mapping. */
  async loadMapping(): Promise<void> {
    const m = await this.client.invoke('instrument.getMapping', { projectId: this.projectId });
    this.stored = m.entries;
  }

  /** Saves the mapping as edited (the whole table: what is saved is what plays). */
  async saveMapping(entries: MappingEntry[]): Promise<void> {
    const m = await this.client.invoke('instrument.setMapping', { projectId: this.projectId, entries });
    this.stored = m.entries;
  }

  /** Forgets the stored mapping: every label plays its default again. */
  async resetMapping(): Promise<void> {
    await this.saveMapping([]);
  }

  /**
   * Opens the audio context and loads a checkpoint's generator. Call from a user gesture where
   * possible (the context may start only then). The context asks for the smallest output buffer the
   * device allows (latencyHint 0). By default it runs at the model's rate, so nothing is resampled;
   * `lowLatency` runs it at 48 kHz instead: output buffers are sized in frames, so the same buffer is a
   * third of the time (measured in headless Chromium: 32 ms of output latency at 16 kHz, 10.7 ms at
   * 48 kHz), at the price of the generator's linear resampling (a duller top end).
   */
  async load(checkpointId: string, modelRate: number, lowLatency = false): Promise<void> {
    await this.#unload();
    this.state = 'loading';
    this.error = null;
    // Latency belongs to one context and device set-up: measure afresh.
    this.#meter = new LatencyMeter();
    this.latency = this.#meter.figures();
    this.#checkpointId = checkpointId;
    try {
      const ctx = new AudioContext({ sampleRate: lowLatency ? LOW_LATENCY_RATE : modelRate, latencyHint: 0 });
      this.#ctx = ctx;
      const gen = await this.factory(ctx, checkpointId);
      if (this.#disposed || this.#ctx !== ctx) {
        gen.dispose();
        return;
      }
      this.#gen = gen;
      gen.output.connect(ctx.destination);
      const analyser = new AnalyserNode(ctx, { fftSize: 2048 });
      gen.output.connect(analyser);
      this.#analyser = analyser;
      this.#scope = new Float32Array(analyser.fftSize);
      this.labels = [...gen.labels];
      // The measured limit can be 0 on a loaded machine (no voice runs in real time): one voice then
      // still plays (it underruns, and the view says so) rather than none.
      this.#alloc = new VoiceAllocator(Math.max(1, gen.stats().maxVoices));
      this.voiceLimit = this.#alloc.maxVoices;
      const offs = [
        gen.onVoiceSounding((id, atTime) => this.#onSounding(id, atTime)),
        gen.onVoiceEnded?.((id) => this.#alloc.forget(id)),
        gen.onVoiceFailed?.((id, message) => {
          this.#alloc.forget(id);
          this.error = message;
        }),
      ];
      this.#genOff = () => offs.forEach((off) => off?.());
      this.#timer = setInterval(() => this.#poll(), 200);
      await ctx.resume().catch(() => undefined);
      this.state = 'ready';
      this.#poll();
    } catch (err) {
      this.state = 'failed';
      this.error = (err as Error).message;
      // Nothing will play: give the audio device back.
      const ctx = this.#ctx;
      this.#ctx = null;
      void ctx?.close().catch(() => undefined);
    }
  }

  /** The checkpoint's labels before its generator is loaded (the mapping editor works without sound). */
  setLabels(labels: readonly string[]): void {
    if (!this.#gen) this.labels = [...labels];
  }

  #poll(): void {
    const gen = this.#gen;
    if (!gen) return;
    const s = gen.stats();
    this.stats = s;
    this.#measureLevel();
    if (Math.max(1, s.maxVoices) !== this.#alloc.maxVoices) {
      this.#alloc.setMaxVoices(Math.max(1, s.maxVoices));
      this.voiceLimit = this.#alloc.maxVoices;
    }
    this.#refreshHeld();
    if (this.#recorder?.recording && this.#ctx) this.recordedSeconds = this.#recorder.captured / this.#ctx.sampleRate;
  }

  #measureLevel(): void {
    if (!this.#analyser || !this.#scope) return;
    this.#analyser.getFloatTimeDomainData(this.#scope);
    let peak = 0;
    for (const v of this.#scope) peak = Math.max(peak, Math.abs(v));
    this.level = peak;
    this.#maxPeak = Math.max(this.#maxPeak, peak);
  }

  #onSounding(id: number, atTime: number): void {
    const ctx = this.#ctx;
    const gen = this.#gen;
    if (!ctx || !gen) return;
    this.#sounded.push(id);
    const stamp = typeof ctx.getOutputTimestamp === 'function' ? ctx.getOutputTimestamp() : null;
    const heard = heardAtFromStamp(atTime, stamp) ?? heardAtMs(atTime, ctx.currentTime, performance.now(), gen.stats().outputLatencyMs);
    if (this.#meter.sounded(id, heard) !== null) this.latency = this.#meter.figures();
  }

  #refreshHeld(): void {
    const now = performance.now();
    const held = this.#alloc
      .active(now)
      .filter((v) => v.releasedAt === null)
      .map((v) => v.label);
    if (held.join('\u0000') !== this.held.join('\u0000')) this.held = held;
  }

  /** Starts a voice of `label` for `source` (a key or MIDI channel+note); `inputAt` is the event's timestamp. */
  noteOn(source: string, label: string, velocity: number, inputAt: number): void {
    const gen = this.#gen;
    if (!gen || this.state !== 'ready') return;
    if (this.#ctx?.state === 'suspended') void this.#ctx.resume();
    const now = performance.now();
    const plan = this.#alloc.press(source, now, this.fadeMs);
    if (plan.retrigger !== null) gen.releaseVoice(plan.retrigger, this.fadeMs);
    for (const id of plan.steal) gen.stopVoice(id);
    this.stolen += plan.steal.length;
    const gain = velocityGain(velocity);
    const id = gen.startVoice({ label, seed: randomSeed(), gain });
    this.#alloc.started(id, source, label, gain, now);
    this.#meter.pressed(id, inputAt);
    this.#started.push({ id, label, gain, source });
    if (this.#started.length > 1000) this.#started.shift();
    if (this.recording) {
      this.#played.notes++;
      this.#played.labels.add(label);
    }
    this.#refreshHeld();
  }

  /** Releases `source`'s voice with the release fade. */
  noteOff(source: string): void {
    const gen = this.#gen;
    if (!gen) return;
    const id = this.#alloc.release(source, performance.now(), this.fadeMs);
    if (id !== null) gen.releaseVoice(id, this.fadeMs);
    this.#refreshHeld();
  }

  /** Releases everything held (focus lost, All Notes Off): no stuck notes. */
  releaseAll(filter?: (source: string) => boolean): void {
    const gen = this.#gen;
    if (!gen) return;
    for (const id of this.#alloc.releaseAll(performance.now(), this.fadeMs, filter && ((v) => filter(v.source)))) gen.releaseVoice(id, this.fadeMs);
    if (!filter) this.#router.reset();
    this.#refreshHeld();
  }

  /** A computer key went down; true when the instrument played it (the caller then prevents its default). */
  keyDown(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const action = this.#router.keyDown(event.code, this.#index, this.velocity);
    if (!action) return false;
    if (!event.repeat) this.#act(action, event.timeStamp);
    return true;
  }

  /** A computer key went up: releases its voice (if any); true when the key is mapped. */
  keyUp(event: KeyboardEvent): boolean {
    this.#act(this.#router.keyUp(event.code), event.timeStamp);
    return this.#index.byKey.has(event.code);
  }

  /**
   * MIDI learn: while set (the mapping editor's note field has focus), a note-on goes here instead of
   * playing, so the player can assign a note by striking it.
   */
  learn: ((note: number) => void) | null = null;

  /** One Web MIDI message (bytes and the event's timestamp). */
  midiMessage(data: ArrayLike<number> | null, timeStamp: number): void {
    const e = parseMidiMessage(data);
    if (!e) return;
    if (this.learn && e.type === 'noteOn') {
      this.learn(e.note);
      return;
    }
    for (const action of this.#router.midi(e, this.#index)) this.#act(action, timeStamp);
  }

  #act(action: VoiceAction, at: number): void {
    if (action.type === 'start') this.noteOn(action.source, action.label, action.velocity, at);
    else if (action.type === 'release') this.noteOff(action.source);
    else this.releaseAll((source) => source.startsWith(action.prefix));
  }

  /** Asks for Web MIDI (notes only, no sysex) and listens to every input, also ones plugged in later. */
  async connectMidi(): Promise<void> {
    const request = (navigator as Navigator & { requestMIDIAccess?: (o?: { sysex?: boolean }) => Promise<MIDIAccess> }).requestMIDIAccess;
    if (typeof request !== 'function') {
      this.midiStatus = 'unsupported';
      return;
    }
    this.midiStatus = 'requesting';
    let access: MIDIAccess;
    try {
      access = await request.call(navigator, { sysex: false });
    } catch {
      this.midiStatus = 'denied';
      return;
    }
    if (this.#disposed) return;
    const bound = new Set<MIDIInput>();
    const onMessage = (e: Event) => {
      const m = e as MIDIMessageEvent;
      this.midiMessage(m.data, m.timeStamp);
    };
    const bind = () => {
      const names: string[] = [];
      access.inputs.forEach((input) => {
        if (!bound.has(input)) {
          input.addEventListener('midimessage', onMessage);
          bound.add(input);
        }
        names.push(input.name ?? input.id);
      });
      this.midiInputs = names;
    };
    bind();
    access.addEventListener('statechange', bind);
    this.#off.push(() => {
      access.removeEventListener('statechange', bind);
      for (const input of bound) input.removeEventListener('midimessage', onMessage);
    });
    this.midiStatus = 'ready';
  }

  /** Starts recording the mixed output. */
  async startRecording(): Promise<void> {
    const ctx = this.#ctx;
    const gen = this.#gen;
    if (!ctx || !gen || this.recording || this.#recorder) return;
    const recorder = new PerformanceRecorder(ctx, this.client, this.projectId, this.#checkpointId);
    // Claimed before the first await, so a second click while the upload opens starts nothing.
    this.#recorder = recorder;
    try {
      await recorder.start(gen.output);
    } catch (err) {
      this.#recorder = null;
      throw err;
    }
    this.#played = { notes: 0, labels: new Set() };
    this.recordedSeconds = 0;
    this.recording = true;
  }

  /** Stops recording and saves the performance as a take on the timeline. */
  async stopRecording(): Promise<RecordingResult | null> {
    const recorder = this.#recorder;
    if (!recorder || !this.recording) return null;
    this.recording = false;
    this.saving = true;
    try {
      const result = await recorder.stop({ labels: [...this.#played.labels], notes: this.#played.notes });
      this.lastTake = result;
      return result;
    } finally {
      this.saving = false;
      this.#recorder = null;
    }
  }

  snapshot(): InstrumentSnapshot {
    return {
      state: this.state,
      error: this.error,
      labels: [...this.labels],
      held: [...this.held],
      started: this.#started.map((s) => ({ ...s })),
      sounded: [...this.#sounded],
      stolen: this.stolen,
      voiceLimit: this.#alloc.maxVoices,
      latency: this.#meter.figures(),
      latencies: this.#meter.samples(),
      stats: this.#gen?.stats() ?? null,
      midi: { status: this.midiStatus, inputs: [...this.midiInputs] },
      recording: this.recording,
      maxPeak: (this.#measureLevel(), this.#maxPeak),
      contextState: this.#ctx?.state ?? null,
      sampleRate: this.#ctx?.sampleRate ?? null,
    };
  }

  async #unload(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#recorder) await this.#recorder.cancel();
    this.#recorder = null;
    this.recording = false;
    const gen = this.#gen;
    this.#gen = null;
    this.#genOff?.();
    this.#genOff = null;
    this.#analyser?.disconnect();
    this.#analyser = null;
    this.#maxPeak = 0;
    if (gen) {
      gen.stopAll();
      gen.dispose();
    }
    const ctx = this.#ctx;
    this.#ctx = null;
    if (ctx && ctx.state !== 'closed') await ctx.close().catch(() => undefined);
    this.held = [];
  }

  /**
   * Closes the instrument (the tab was left or the project closed). A performance being recorded is
   * saved first, not thrown away: leaving the tab is not "cancel". `onSaved` hears the result.
   */
  dispose(onSaved?: (result: RecordingResult | null, error?: unknown) => void): void {
    this.#disposed = true;
    for (const off of this.#off.splice(0)) off();
    const saving = this.recording ? this.stopRecording() : Promise.resolve(null);
    void saving
      .then(
        (result) => result && onSaved?.(result),
        (err) => onSaved?.(null, err),
      )
      .finally(() => this.#unload());
    const g = globalThis as { __wavehouseInstrument?: unknown };
    if ((g.__wavehouseInstrument as { snapshot?: unknown } | undefined)?.snapshot) delete g.__wavehouseInstrument;
  }
}
