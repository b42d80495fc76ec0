/**
 * Auditioning one sound at a time (a library sample or a take) through Tone.js, with a playhead
 * that follows what the listener hears. Starting a new sound stops the previous one.
 */
import * as Tone from 'tone';

export interface AuditionTarget {
  /** What is playing, e.g. `sample:<id>` or `take:<id>`, so lists can mark the row. */
  key: string;
  url: string;
}

export class Audition {
  /** Key of the sound playing now, or null. */
  playing = $state<string | null>(null);
  /** Seconds into the sound, updated every animation frame while playing. */
  position = $state(0);
  duration = $state(0);
  /** The AudioContext's state, for tests and a status hint ('running' once audio is unlocked). */
  contextState = $state<string>('suspended');
  error = $state<string | null>(null);

  #player: Tone.Player | null = null;
  #startedAt = 0;
  #raf = 0;
  #buffers = new Map<string, Tone.ToneAudioBuffer>();

  /** Plays `target` from the start (or stops it if it is already playing). */
  async toggle(target: AuditionTarget): Promise<void> {
    if (this.playing === target.key) return this.stop();
    await this.play(target);
  }

  /** Plays `target` from `offset` seconds. Must first be called from a user gesture (browsers' autoplay rule). */
  async play(target: AuditionTarget, offset = 0): Promise<void> {
    this.stop();
    this.error = null;
    try {
      await Tone.start();
      this.contextState = Tone.getContext().state;
      const buffer = await this.#load(target.url);
      const player = new Tone.Player(buffer).toDestination();
      player.onstop = () => {
        if (this.#player === player) this.#finish();
      };
      this.#player = player;
      this.playing = target.key;
      this.duration = buffer.duration;
      // Schedule slightly ahead and count the output latency so the playhead matches what is heard.
      const when = Tone.now() + 0.02;
      player.start(when, offset);
      this.#startedAt = when - offset;
      this.#tick();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.#finish();
    }
  }

  /** Stops whatever is playing. */
  stop(): void {
    const player = this.#player;
    this.#finish();
    if (player) {
      player.onstop = () => undefined;
      player.stop();
      player.dispose();
    }
  }

  async #load(url: string): Promise<Tone.ToneAudioBuffer> {
    const cached = this.#buffers.get(url);
    if (cached) return cached;
    const buffer = await new Tone.ToneAudioBuffer().load(url);
    if (this.#buffers.size > 32) this.#buffers.delete(this.#buffers.keys().next().value!);
    this.#buffers.set(url, buffer);
    return buffer;
  }

  #tick = () => {
    if (!this.#player) return;
    const ctx = Tone.getContext();
    const latency = (ctx.rawContext as AudioContext).outputLatency ?? 0;
    this.position = Math.min(this.duration, Math.max(0, Tone.now() - this.#startedAt - latency));
    this.#raf = requestAnimationFrame(this.#tick);
  };

  #finish(): void {
    cancelAnimationFrame(this.#raf);
    this.#player = null;
    this.playing = null;
    this.position = 0;
  }
}
