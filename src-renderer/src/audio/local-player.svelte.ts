/**
 * Takes generated and played in this browser (the Takes view's "in this browser" option and its
 * Live panel): one live generator per checkpoint on an AudioContext at the model's rate, its
 * counters polled for the view. Nothing but the weights (once) crosses the network, so `serve`
 * over an SSH tunnel plays as smoothly as the machine in front of the listener can generate.
 */
import { createLiveGenerator, type LiveGenerator, type LiveGeneratorDetails, type LiveGeneratorOptions, type LiveGeneratorStats, type LiveModelSource, type LiveVoiceStart } from './live-generator';

export type LocalState = 'idle' | 'loading' | 'ready' | 'failed';

/** What the e2e tests read from the page (`window.__wavehouseLocal.snapshot()`). */
export interface LocalSnapshot {
  state: LocalState;
  checkpointId: string | null;
  error: string | null;
  stats: LiveGeneratorStats | null;
  realtime: number | null;
  voices: number[];
  peak: number;
  firstSoundMs: number | null;
  contextState: string | null;
  sampleRate: number | null;
  workers: number | null;
}

type Generator = LiveGenerator & LiveGeneratorDetails;

export class LocalPlayer {
  state = $state<LocalState>('idle');
  error = $state<string | null>(null);
  checkpointId = $state<string | null>(null);
  stats = $state<LiveGeneratorStats | null>(null);
  /** The kernel's speed on one voice, × real time (measured when the model loaded). */
  realtime = $state<number | null>(null);
  /** Voices sounding or about to. */
  voices = $state<number[]>([]);
  /** Milliseconds from the last press to its voice's first sample reaching the output (incl. its latency). */
  firstSoundMs = $state<number | null>(null);
  labels = $state<readonly string[]>([]);

  #context: AudioContext | null = null;
  #generator: Generator | null = null;
  #loading: Promise<Generator> | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #pressedAt = new Map<number, number>();
  /** Captures every voice (the last 16, up to 30 s each) so the e2e tests can compare it with the studio's take. */
  #options: LiveGeneratorOptions = { capture: true };

  constructor(private readonly source: LiveModelSource) {
    // Read-only views for the e2e tests (the page's audio is otherwise unobservable from outside).
    (globalThis as { __wavehouseLocal?: unknown }).__wavehouseLocal = {
      snapshot: () => this.snapshot(),
      captured: async (id: number) => Array.from(await this.#generator!.captured(id)),
      render: async (v: Omit<LiveVoiceStart, 'gain'> & { length: number }) => Array.from(await this.#generator!.render(v)),
      /** The generator's output node (tests tap it with their own recorder). */
      output: () => this.#generator?.output ?? null,
      /** Starts a voice directly (tests), bypassing the view. */
      startVoice: (v: LiveVoiceStart) => {
        const id = this.#generator!.startVoice(v);
        this.voices = [...this.voices, id];
        return id;
      },
      /** Options for the next load (e.g. `{ workers: 2 }`); unloads the current generator. */
      configure: (o: LiveGeneratorOptions) => {
        this.#options = { ...this.#options, ...o };
        this.#teardown();
      },
    };
  }

  /**
   * The generator for a checkpoint, loading it if needed. Call from a user gesture: the audio
   * context is created (or resumed) before anything is awaited, so the browser lets it play.
   */
  load(checkpointId: string, rate: number): Promise<Generator> {
    const context = this.#contextAt(rate);
    void context.resume();
    if (this.checkpointId === checkpointId && this.#loading) return this.#loading;
    this.#teardown();
    this.checkpointId = checkpointId;
    this.state = 'loading';
    this.error = null;
    const loading = createLiveGenerator(context, this.source, checkpointId, this.#options).then(
      (gen) => {
        if (this.#loading !== loading) {
          gen.dispose();
          throw new Error('superseded');
        }
        gen.output.connect(context.destination);
        gen.onVoiceSounding((id) => {
          const at = this.#pressedAt.get(id);
          if (at !== undefined) this.firstSoundMs = Math.round(performance.now() - at + gen.stats().outputLatencyMs);
        });
        gen.onVoiceEnded((id) => (this.voices = this.voices.filter((v) => v !== id)));
        gen.onVoiceFailed((id, message) => {
          this.voices = this.voices.filter((v) => v !== id);
          this.error = message;
        });
        this.#generator = gen;
        this.labels = gen.labels;
        this.realtime = gen.realtime;
        this.state = 'ready';
        this.#timer = setInterval(() => this.#poll(), 100);
        this.#poll();
        return gen;
      },
      (err: unknown) => {
        if (this.#loading === loading) {
          this.#loading = null;
          this.state = 'failed';
          this.error = err instanceof Error ? err.message : String(err);
        }
        throw err;
      },
    );
    this.#loading = loading;
    return loading;
  }

  /** Starts a voice (loading the checkpoint first if needed); resolves with its id. */
  async play(checkpointId: string, rate: number, voice: LiveVoiceStart): Promise<number> {
    const pressed = performance.now();
    const gen = await this.load(checkpointId, rate);
    const id = gen.startVoice(voice);
    this.#pressedAt.set(id, pressed);
    this.firstSoundMs = null;
    this.voices = [...this.voices, id];
    return id;
  }

  /** Note-off for every voice: each fades out over `fadeMs`. */
  releaseAll(fadeMs = 150): void {
    for (const id of this.voices) this.#generator?.releaseVoice(id, fadeMs);
  }

  stopAll(): void {
    this.#generator?.stopAll();
  }

  snapshot(): LocalSnapshot {
    return {
      state: this.state, checkpointId: this.checkpointId, error: this.error, stats: this.stats ? { ...this.stats } : null, realtime: this.realtime,
      voices: [...this.voices], peak: this.#generator?.peak() ?? 0, firstSoundMs: this.firstSoundMs, contextState: this.#context?.state ?? null,
      sampleRate: this.#generator?.sampleRate ?? null, workers: this.#generator?.workers ?? null,
    };
  }

  #poll(): void {
    if (!this.#generator) return;
    this.stats = this.#generator.stats();
    this.realtime = this.#generator.realtime;
  }

  /** A context at the model's rate, so voices are not resampled. */
  #contextAt(rate: number): AudioContext {
    if (!this.#context || this.#context.sampleRate !== rate) {
      this.#teardown();
      void this.#context?.close();
      this.#context = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
    }
    return this.#context;
  }

  #teardown(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#generator?.dispose();
    this.#generator = null;
    this.#loading = null;
    this.checkpointId = null;
    this.voices = [];
    this.stats = null;
    this.state = 'idle';
  }

  dispose(): void {
    this.#teardown();
    void this.#context?.close();
    this.#context = null;
  }
}
