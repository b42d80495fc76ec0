/**
 * Live playback of an arrangement through Tone.js, sample-accurate and equal to the export.
 *
 * We do not use Tone.Transport with `player.sync()`: a synced Player that was started at 0 is not
 * re-triggered reliably after a Transport stop/start, and starting the Transport mid-clip needs the
 * offset bookkeeping done by hand anyway. Instead this engine maps stretches of the timeline
 * ("segments") onto the AudioContext clock and schedules each clip piece itself, a little ahead of
 * time (a look-ahead window refilled by Tone's worker-driven context ticker, which keeps running in
 * a background tab). A loop is just one more segment appended before the previous one ends.
 */
import * as Tone from 'tone';
import { arrangementEnd, type Arrangement, type LoopRegion } from '../../../src-shared/arrange/model';
import { createTrackVolumes, schedulePiece, stopPiece, timeOfFrame, type BufferLookup, type PlayingPiece } from './graph';
import { frameAtTime, nextLoopSegment, planPieces, type Piece, type Segment } from './schedule';

/** Seconds of audio scheduled ahead of the clock. */
const HORIZON = 0.4;
/** How often the window is refilled (seconds). */
const TICK = 0.05;
/** Delay from "play" to the first sound, so the first pieces are scheduled before they are due. */
const START_DELAY = 0.06;

interface QueuedSegment {
  segment: Segment;
  pieces: Piece[];
  next: number;
}

export interface PlayerOptions {
  /** Use this context instead of owning one (tests pass an OfflineContext). */
  context?: Tone.BaseContext;
  /** Called when playback stops by itself at the end of the arrangement. */
  onEnded?: () => void;
}

export class ArrangementPlayer {
  #context: Tone.BaseContext | null;
  readonly #ownsContext: boolean;
  #arr: Arrangement | null = null;
  #rate = 48000;
  #loop: LoopRegion | null = null;
  #segments: Segment[] = [];
  #queue: QueuedSegment[] = [];
  #playing: PlayingPiece[] = [];
  #volumes: Tone.Volume[] = [];
  #interval = -1;
  #endTime = Infinity;

  constructor(
    private readonly buffers: BufferLookup,
    private readonly options: PlayerOptions = {},
  ) {
    this.#context = options.context ?? null;
    this.#ownsContext = !options.context;
  }

  get playing(): boolean {
    return this.#arr !== null;
  }

  /** The context, created at the arrangement rate so clip edges fall on frames (PREVIEW.md). */
  contextFor(rate: number): Tone.BaseContext {
    if (this.#context && this.#context.sampleRate === rate) return this.#context;
    if (!this.#ownsContext) throw new Error(`the player's context runs at ${this.#context?.sampleRate} Hz, the arrangement at ${rate} Hz`);
    if (this.#context) void (this.#context as Tone.Context).close();
    this.#context = new Tone.Context(new AudioContext({ sampleRate: rate, latencyHint: 'interactive' }));
    return this.#context;
  }

  /**
   * Plays `arr` from timeline frame `from`, looping `loop` when given. `at` is the context time of
   * the first frame (default: now plus a short delay). Returns false when there is nothing to play.
   */
  async play(arr: Arrangement, from: number, loop: LoopRegion | null, at?: number): Promise<boolean> {
    this.stop();
    const context = this.contextFor(arr.sampleRate);
    if (context.state !== 'running' && !context.isOffline) await context.resume();
    const end = arrangementEnd(arr);
    const looping = loop !== null && loop.end > loop.start && from < loop.end;
    if (!looping && from >= end) return false;
    this.#arr = arr;
    this.#rate = arr.sampleRate;
    this.#loop = looping ? loop : null;
    this.#volumes = createTrackVolumes(context, arr, context.destination);
    const first: Segment = { from, to: looping ? loop.end : end, time: at ?? context.currentTime + START_DELAY };
    this.#segments = [first];
    this.#queue = [{ segment: first, pieces: planPieces(arr, first.from, first.to), next: 0 }];
    this.#endTime = looping ? Infinity : timeOfFrame(first, this.#rate, first.to);
    this.#tick();
    this.#interval = context.setInterval(this.#tick, TICK);
    return true;
  }

  /** Stops at context time `at` (default now): sources are gated off sample-accurately. */
  stop(at?: number): void {
    const context = this.#context;
    if (!context || !this.#arr) return;
    const when = at ?? context.currentTime;
    context.clearInterval(this.#interval);
    for (const p of this.#playing) stopPiece(context, p, when);
    const volumes = this.#volumes;
    if (!context.isOffline) context.setTimeout(() => volumes.forEach((v) => v.dispose()), Math.max(0.05, when - context.currentTime + 0.3));
    this.#playing = [];
    this.#volumes = [];
    this.#queue = [];
    this.#arr = null;
  }

  /** The timeline frame being heard now (output latency included where the browser reports it). */
  position(): number {
    const context = this.#context;
    if (!context || this.#segments.length === 0) return 0;
    return Math.round(frameAtTime(this.#segments, this.#rate, heardTime(context)));
  }

  dispose(): void {
    this.stop();
    if (this.#ownsContext && this.#context) void (this.#context as Tone.Context).close();
    this.#context = null;
  }

  #tick = (): void => {
    const context = this.#context;
    const arr = this.#arr;
    if (!context || !arr) return;
    const now = context.currentTime;
    const horizon = now + HORIZON;
    if (now >= this.#endTime) {
      this.stop();
      this.options.onEnded?.();
      return;
    }
    // Loop: queue the next pass before the current one runs out.
    const loop = this.#loop;
    if (loop) {
      let last = this.#segments[this.#segments.length - 1];
      while (timeOfFrame(last, this.#rate, last.to) < horizon) {
        last = nextLoopSegment(last, this.#rate, loop);
        this.#segments.push(last);
        this.#queue.push({ segment: last, pieces: planPieces(arr, last.from, last.to), next: 0 });
      }
      // Only the recent segments matter for the playhead.
      if (this.#segments.length > 8) this.#segments.splice(0, this.#segments.length - 8);
    }
    for (const q of this.#queue) {
      while (q.next < q.pieces.length && timeOfFrame(q.segment, this.#rate, q.pieces[q.next].at) < horizon) {
        const piece = q.pieces[q.next++];
        const buffer = this.buffers(piece.source);
        if (!buffer) continue; // not loaded (or failed): the rest still plays
        this.#playing.push(schedulePiece(context, piece, buffer, this.#volumes[piece.trackIndex], arr.tracks[piece.trackIndex].pan, q.segment, this.#rate));
      }
    }
    this.#queue = this.#queue.filter((q) => q.next < q.pieces.length);
    this.#playing = this.#playing.filter((p) => p.end > now);
  };
}

/** Context time of the audio leaving the speakers now. */
function heardTime(context: Tone.BaseContext): number {
  const raw = context.rawContext as AudioContext;
  if (!context.isOffline && typeof raw.getOutputTimestamp === 'function') {
    const ts = raw.getOutputTimestamp();
    if (ts.contextTime !== undefined && ts.performanceTime !== undefined && ts.performanceTime > 0) {
      return ts.contextTime + (performance.now() - ts.performanceTime) / 1000;
    }
  }
  return context.currentTime - (raw.outputLatency ?? 0) - (raw.baseLatency ?? 0);
}
