/**
 * The takes being generated, heard while they are generated: `generation.chunk` events are put back
 * in order per take (StreamAssembler), fed one take after the other to an AudioWorklet running at the
 * model's rate (no resampling), and folded into a growing waveform per take. The worklet's counters
 * say what was played and how often it ran dry; the view follows the take being heard.
 */
import type { Client } from '../../../src-preload/client';
import { decodeSamples } from '../../../src-preload/sample-codec';
import type { EventPayload } from '../../../src-preload/contract';
import { GrowingPeaks, StreamAssembler } from './stream-assembler';
import type { StreamIn, StreamOut } from './stream-processor';
import type { StreamStats } from './stream-queue';
import processorUrl from './stream-processor.ts?worker&url';

type Chunk = EventPayload<'generation.chunk'>;
export type LiveState = 'idle' | 'waiting' | 'playing' | 'done' | 'stopped' | 'failed';

/** Bins of the growing waveform. */
const BINS = 400;

/** What the e2e tests read from the page (`window.__wavehouseLive.snapshot()`). */
export interface LiveSnapshot {
  state: LiveState;
  /** The take being heard (0-based) and how many the job makes. */
  take: number;
  count: number;
  jobId: string | null;
  received: number;
  total: number;
  stats: StreamStats | null;
  /** Samples of the take being heard played so far. */
  playedInTake: number;
  firstSoundMs: number | null;
  /** Milliseconds from pressing Generate to the first chunk's arrival. */
  firstChunkMs: number | null;
  /** The output's latency in ms (base + device), part of firstSoundMs. */
  outputMs: number | null;
  contextState: string | null;
}

interface StreamedTake {
  assembler: StreamAssembler;
  peaks: GrowingPeaks;
}

export class LiveTake {
  state = $state<LiveState>('idle');
  /** The take being heard (0-based), of `count` the job makes (all of them stream). */
  current = $state(0);
  count = $state(1);
  /** Samples of the take being heard played so far. */
  playedInTake = $state(0);
  jobId = $state<string | null>(null);
  sampleRate = $state(16000);
  total = $state(0);
  /** Samples generated and received so far. */
  received = $state(0);
  stats = $state<StreamStats | null>(null);
  /** Milliseconds from pressing Generate to the first sample reaching the output (incl. its latency). */
  firstSoundMs = $state<number | null>(null);
  firstChunkMs: number | null = null;
  outputMs: number | null = null;
  error = $state<string | null>(null);
  /** Bumped when the waveform's peaks change (they are plain arrays, not reactive). */
  peaksVersion = $state(0);
  peaks: GrowingPeaks | null = null;

  #takes = new Map<number, StreamedTake>();
  /** The take being fed to the worklet, and how many of its samples were fed. */
  #fedTake = 0;
  #fed = 0;
  /** Where each fed take begins in the worklet's one continuous stream. */
  #starts: number[] = [0];
  #pressedAt = 0;
  #context: AudioContext | null = null;
  #moduleReady: Promise<void> | null = null;
  #node: AudioWorkletNode | null = null;
  #nodeReady: Promise<AudioWorkletNode> | null = null;
  #off: (() => void)[] = [];

  constructor(
    client: Client,
    private readonly projectId: string,
  ) {
    this.#off.push(
      client.on('generation.chunk', (chunk) => this.#onChunk(chunk)),
      client.on('job.updated', (job) => {
        if (job.id !== this.jobId || this.state === 'stopped') return;
        if (job.state === 'failed' || job.state === 'cancelled' || job.state === 'interrupted') this.#halt(job.state === 'failed' ? 'failed' : 'stopped', job.error);
      }),
    );
    // Read-only views for the e2e tests (the page's audio is otherwise unobservable from outside).
    (globalThis as { __wavehouseLive?: unknown }).__wavehouseLive = {
      snapshot: () => this.snapshot(),
      samples: (take = 0) => {
        const a = this.#takes.get(take)?.assembler;
        return Array.from(a?.samples.subarray(0, a.contiguous) ?? []);
      },
    };
  }

  /**
   * Called as Generate is pressed (a user gesture: the audio context may start here), before the job
   * exists. With the model's rate known, the context and its worklet are readied while the job starts.
   */
  expect(rate?: number, count = 1): void {
    this.#reset();
    this.count = count;
    this.state = 'waiting';
    this.#pressedAt = performance.now();
    if (rate) this.#prepare(rate);
    void this.#context?.resume();
  }

  /** The job the Generate press started (its chunks may already have arrived). */
  follow(jobId: string): void {
    if (this.state === 'waiting' && this.jobId === null) this.jobId = jobId;
  }

  /** Generated seconds ahead of the playhead. */
  get aheadSeconds(): number {
    return Math.max(0, this.received - this.playedInTake) / this.sampleRate;
  }

  /** The Generate press started no job (the form shows why): back to nothing to show. */
  abandon(): void {
    this.#reset();
    this.state = 'idle';
  }

    /** Stops playback (generation goes on; the take is still saved). */
  stop(): void {
    this.#halt('stopped', null);
  }

  snapshot(): LiveSnapshot {
    return { state: this.state, take: this.current, count: this.count, jobId: this.jobId, received: this.received, total: this.total, stats: this.stats ? { ...this.stats } : null, playedInTake: this.playedInTake, firstSoundMs: this.firstSoundMs, firstChunkMs: this.firstChunkMs, outputMs: this.outputMs, contextState: this.#context?.state ?? null };
  }

  #onChunk(chunk: Chunk): void {
    if (chunk.projectId !== this.projectId || chunk.take >= this.count) return;
    // Before the reply names the job, adopt only a take that is just starting (not another client's, mid-way).
    if (this.jobId === null && this.state === 'waiting' && chunk.take === 0 && chunk.start === 0) this.jobId = chunk.jobId;
    if (chunk.jobId !== this.jobId || (this.state !== 'waiting' && this.state !== 'playing')) return;
    let take = this.#takes.get(chunk.take);
    if (!take) {
      take = { assembler: new StreamAssembler(chunk.total), peaks: new GrowingPeaks(chunk.total, Math.min(BINS, Math.max(1, chunk.total))) };
      this.#takes.set(chunk.take, take);
    }
    if (!this.#nodeReady) {
      this.firstChunkMs = Math.round(performance.now() - this.#pressedAt);
      this.sampleRate = chunk.sampleRate;
      this.state = 'playing';
      this.#nodeReady = this.#startNode(chunk.sampleRate, chunk.jobId);
      this.#show(0);
    }
    const from = take.assembler.contiguous;
    const fresh = take.assembler.add(chunk.start, decodeSamples(chunk.samples));
    if (fresh.length === 0) return;
    take.peaks.add(from, fresh);
    if (chunk.take === this.current) this.#show(this.current);
    const ready = this.#nodeReady!;
    void ready.then(
      (node) => this.#feed(node),
      (err) => ready === this.#nodeReady && this.#halt('failed', err instanceof Error ? err.message : String(err)),
    );
  }

  /** Points the view (waveform, totals) at take `k`. */
  #show(k: number): void {
    const take = this.#takes.get(k);
    this.current = k;
    this.peaks = take?.peaks ?? null;
    this.total = take?.assembler.total ?? 0;
    this.received = take?.assembler.contiguous ?? 0;
    this.peaksVersion++;
  }

  /** One worklet node per take, on a context at the model's rate (kept while the rate stays the same). */
  async #startNode(rate: number, jobId: string): Promise<AudioWorkletNode> {
    const context = this.#prepare(rate);
    await Promise.all([this.#moduleReady, context.resume()]);
    if (this.jobId !== jobId) throw new Error('superseded');
    // Hold two chunks (128 ms at 16 kHz) before playing: with one, a late second chunk ran dry at the start
    // (measured in the e2e test on 2 busy cores); each chunk held costs ~20 ms of generation for the sketch model.
    const node = new AudioWorkletNode(context, 'wavehouse-stream', { numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { prebuffer: Math.min(2048, this.total || 2048) } });
    node.port.onmessage = (e: MessageEvent<StreamOut>) => this.#onStats(e.data.stats, context);
    node.connect(context.destination);
    this.#node = node;
    return node;
  }

  /** The audio context at `rate` (the model's, so nothing is resampled), with the worklet module loading. */
  #prepare(rate: number): AudioContext {
    if (!this.#context || this.#context.sampleRate !== rate) {
      void this.#context?.close();
      this.#context = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
      this.#moduleReady = this.#context.audioWorklet.addModule(processorUrl);
    }
    return this.#context;
  }

  /** Feeds the worklet everything contiguous: the take being fed, then (once it is complete) the next. */
  #feed(node: AudioWorkletNode): void {
    if (node !== this.#node) return;
    for (;;) {
      const take = this.#takes.get(this.#fedTake);
      if (!take) return;
      const a = take.assembler;
      if (this.#fed < a.contiguous) {
        const samples = a.samples.slice(this.#fed, a.contiguous);
        this.#fed = a.contiguous;
        node.port.postMessage({ type: 'chunk', samples } satisfies StreamIn, [samples.buffer]);
      }
      if (!a.complete) return;
      if (this.#fedTake + 1 >= this.count) {
        node.port.postMessage({ type: 'end' } satisfies StreamIn);
        return;
      }
      this.#starts[this.#fedTake + 1] = this.#starts[this.#fedTake] + a.total;
      this.#fedTake++;
      this.#fed = 0;
    }
  }

  #onStats(stats: StreamStats, context: AudioContext): void {
    if (this.state !== 'playing') return;
    if (this.firstSoundMs === null && stats.played > 0) {
      // The worklet reports once it has rendered the first samples; what is heard is the output latency later.
      this.outputMs = Math.round(((context.baseLatency ?? 0) + (context.outputLatency ?? 0)) * 1000);
      this.firstSoundMs = Math.round(performance.now() - this.#pressedAt + this.outputMs);
    }
    this.stats = stats;
    // The take being heard: the last fed one whose start the playhead has passed.
    let k = this.current;
    while (k + 1 < this.#starts.length && stats.played >= this.#starts[k + 1]) k++;
    if (k !== this.current) this.#show(k);
    this.playedInTake = stats.played - this.#starts[k];
    if (stats.finished) {
      this.state = 'done';
      this.#disconnect();
    }
  }

  #halt(state: LiveState, error: string | null): void {
    if (this.state === 'idle') return;
    this.state = state;
    this.error = error;
    this.#disconnect();
  }

  #disconnect(): void {
    if (!this.#node) return;
    this.#node.port.postMessage({ type: 'stop' } satisfies StreamIn);
    this.#node.disconnect();
    this.#node = null;
  }

  #reset(): void {
    this.#disconnect();
    this.#takes = new Map();
    this.#nodeReady = null;
    this.#fedTake = 0;
    this.#fed = 0;
    this.#starts = [0];
    this.current = 0;
    this.count = 1;
    this.playedInTake = 0;
    this.peaks = null;
    this.jobId = null;
    this.total = 0;
    this.received = 0;
    this.stats = null;
    this.firstSoundMs = null;
    this.firstChunkMs = null;
    this.outputMs = null;
    this.error = null;
    this.peaksVersion++;
  }

  dispose(): void {
    this.#off.forEach((off) => off());
    this.#disconnect();
    void this.#context?.close();
  }
}
