/**
 * Records the instrument's mixed output as a take: an AudioWorklet taps the generator's output node,
 * blocks are cut into upload-sized chunks (ChunkSpool) and sent while the performance goes on, so
 * stopping only sends the tail; the studio then saves the take and places it on the timeline.
 */
import type { Client } from '../../../src-preload/client';
import type { CommandOutput } from '../../../src-preload/contract';
import { encodeSamples } from '../../../src-preload/sample-codec';
import type { RecorderIn, RecorderOut } from './recorder-processor';
import { ChunkSpool } from './spool';
import processorUrl from './recorder-processor.ts?worker&url';

export type RecordingResult = CommandOutput<'instrument.recordingFinish'>;

const loaded = new WeakMap<BaseAudioContext, Promise<void>>();

/** Loads the recorder worklet into a context once. */
function loadModule(ctx: AudioContext): Promise<void> {
  let p = loaded.get(ctx);
  if (!p) {
    p = ctx.audioWorklet.addModule(processorUrl);
    loaded.set(ctx, p);
  }
  return p;
}

export class PerformanceRecorder {
  #node: AudioWorkletNode | null = null;
  #spool: ChunkSpool | null = null;
  #recordingId: string | null = null;
  #sent = 0;
  /** Uploads in order: each chunk waits for the one before. */
  #uploads: Promise<void> = Promise.resolve();
  #failed: Error | null = null;
  #stopped: ((total: number) => void) | null = null;
  /** Samples captured so far (for the view's clock). */
  captured = 0;

  constructor(
    private readonly ctx: AudioContext,
    private readonly client: Client,
    private readonly projectId: string,
    private readonly checkpointId: string | null,
  ) {}

  get recording(): boolean {
    return this.#recordingId !== null;
  }

  /** Starts capturing `source` (the generator's output). */
  async start(source: AudioNode): Promise<void> {
    if (this.#recordingId) throw new Error('already recording');
    await loadModule(this.ctx);
    const opened = await this.client.invoke('instrument.recordingStart', { projectId: this.projectId, sampleRate: this.ctx.sampleRate, checkpointId: this.checkpointId });
    this.#recordingId = opened.recordingId;
    this.#spool = new ChunkSpool(opened.maxChunkSamples);
    this.#sent = 0;
    this.captured = 0;
    this.#failed = null;
    this.#uploads = Promise.resolve();
    const node = new AudioWorkletNode(this.ctx, 'wavehouse-recorder', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    node.port.onmessage = (e: MessageEvent<RecorderOut>) => {
      if (e.data.type === 'block') {
        this.captured += e.data.samples.length;
        this.#spool?.push(e.data.samples);
        this.#send(false);
      } else this.#stopped?.(e.data.total);
    };
    source.connect(node);
    node.connect(this.ctx.destination);
    this.#node = node;
    node.port.postMessage({ type: 'start' } satisfies RecorderIn);
  }

  #send(flush: boolean): void {
    const id = this.#recordingId;
    if (!id || !this.#spool) return;
    for (const chunk of this.#spool.take(flush)) {
      this.#uploads = this.#uploads.then(async () => {
        if (this.#failed) return;
        try {
          const { received } = await this.client.invoke('instrument.recordingAppend', { recordingId: id, offset: this.#sent, samples: encodeSamples(chunk) });
          this.#sent = received;
        } catch (err) {
          this.#failed = err as Error;
        }
      });
    }
  }

  /** Stops capturing, sends the rest and saves the take (placed on the timeline by the studio). */
  async stop(meta: { labels: string[]; notes: number }): Promise<RecordingResult> {
    const id = this.#recordingId;
    const node = this.#node;
    if (!id || !node) throw new Error('not recording');
    await new Promise<number>((resolve) => {
      this.#stopped = resolve;
      node.port.postMessage({ type: 'stop' } satisfies RecorderIn);
    });
    this.#teardown();
    this.#send(true);
    await this.#uploads;
    this.#recordingId = null;
    if (this.#failed) {
      await this.client.invoke('instrument.recordingCancel', { recordingId: id }).catch(() => undefined);
      throw this.#failed;
    }
    return this.client.invoke('instrument.recordingFinish', { recordingId: id, labels: meta.labels, notes: meta.notes });
  }

  /** Drops the recording (nothing is saved). */
  async cancel(): Promise<void> {
    const id = this.#recordingId;
    this.#teardown();
    this.#recordingId = null;
    if (id) await this.client.invoke('instrument.recordingCancel', { recordingId: id }).catch(() => undefined);
  }

  #teardown(): void {
    const node = this.#node;
    this.#node = null;
    if (!node) return;
    node.port.postMessage({ type: 'close' } satisfies RecorderIn);
    node.disconnect();
  }
}
