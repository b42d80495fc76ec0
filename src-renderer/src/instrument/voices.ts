/**
 * Voice allocation and stealing. Pure: the allocator never touches audio; it says which generator
 * voices to release or stop, and the session does it.
 *
 * The limit is the generator's measured `maxVoices` (what this machine sustains without underruns).
 * A voice counts from start until its release fade has ended, because a fading voice is still
 * generated. When a new note needs a voice and none is free, one is stolen, in this order:
 *   1. a released voice still fading, the one released longest ago (it is the quietest and was
 *      already going away);
 *   2. otherwise the held voice that started longest ago (oldest-note stealing, as most polysynths
 *      do: the newest notes are what the player is listening to).
 * A stolen voice is stopped at once (the generator's stopVoice) rather than faded, so the load never
 * exceeds the limit; the new note then starts. The same source (key or MIDI channel+note) pressed again
 * while held releases its old voice first (a retrigger), so one key never holds two voices.
 */

export interface VoiceInfo {
  id: number;
  /** What holds it: "key:KeyA", "midi:0:60"… */
  source: string;
  label: string;
  gain: number;
  startedAt: number;
  /** When note-off came (ms), or null while held. */
  releasedAt: number | null;
  /** When its release fade ends and it stops counting (ms), or null while held. */
  endsAt: number | null;
}

/** What the session must do before starting a new voice. */
export interface PressPlan {
  /** Held voice of the same source to release (fade) first, or null. */
  retrigger: number | null;
  /** Voices to stop at once to make room. */
  steal: number[];
}

export class VoiceAllocator {
  #voices = new Map<number, VoiceInfo>();
  #maxVoices: number;

  constructor(maxVoices: number) {
    this.#maxVoices = VoiceAllocator.#checkLimit(maxVoices);
  }

  static #checkLimit(n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`a voice limit is a whole number ≥ 1 (got ${n})`);
    return n;
  }

  get maxVoices(): number {
    return this.#maxVoices;
  }

  /** Changes the limit (the generator re-measured it); voices over it are stolen at the next press. */
  setMaxVoices(n: number): void {
    this.#maxVoices = VoiceAllocator.#checkLimit(n);
  }

  /** Voices counting against the limit at `now` (held, or released and still fading). */
  active(now: number): VoiceInfo[] {
    this.#prune(now);
    return [...this.#voices.values()];
  }

  /** The held voice of a source, if any. */
  heldBy(source: string): VoiceInfo | undefined {
    for (const v of this.#voices.values()) if (v.source === source && v.releasedAt === null) return v;
    return undefined;
  }

  /** Plans a press of `source` at `now`: what to release and what to steal so one more voice fits. */
  press(source: string, now: number, fadeMs: number): PressPlan {
    this.#prune(now);
    const held = this.heldBy(source);
    const retrigger = held ? held.id : null;
    if (held) this.#release(held, now, fadeMs);
    const steal: number[] = [];
    while (this.#voices.size - steal.length >= this.#maxVoices) {
      const victim = this.#victim(new Set(steal));
      if (victim === null) break;
      steal.push(victim);
    }
    for (const id of steal) this.#voices.delete(id);
    return { retrigger, steal };
  }

  /** Records a voice the generator started for `source`. */
  started(id: number, source: string, label: string, gain: number, now: number): void {
    this.#voices.set(id, { id, source, label, gain, startedAt: now, releasedAt: null, endsAt: null });
  }

  /** Note-off for `source`: returns the voice to release (fade over fadeMs), or null if none is held. */
  release(source: string, now: number, fadeMs: number): number | null {
    const held = this.heldBy(source);
    if (!held) return null;
    this.#release(held, now, fadeMs);
    return held.id;
  }

  /** Releases every held voice (window blur, All Notes Off); returns their ids. */
  releaseAll(now: number, fadeMs: number, filter: (v: VoiceInfo) => boolean = () => true): number[] {
    const ids: number[] = [];
    for (const v of this.#voices.values()) {
      if (v.releasedAt === null && filter(v)) {
        this.#release(v, now, fadeMs);
        ids.push(v.id);
      }
    }
    return ids;
  }

  /** Forgets a voice the generator ended on its own (stopAll, disposal). */
  forget(id: number): void {
    this.#voices.delete(id);
  }

  #release(v: VoiceInfo, now: number, fadeMs: number): void {
    v.releasedAt = now;
    v.endsAt = now + fadeMs;
  }

  #prune(now: number): void {
    for (const [id, v] of this.#voices) if (v.endsAt !== null && v.endsAt <= now) this.#voices.delete(id);
  }

  #victim(excluded: Set<number>): number | null {
    let best: VoiceInfo | null = null;
    for (const v of this.#voices.values()) {
      if (excluded.has(v.id)) continue;
      if (best === null || rank(v) < rank(best)) best = v;
    }
    return best?.id ?? null;
  }
}

/** Steal order as a sortable pair: released voices (by release time) before held ones (by start time). */
function rank(v: VoiceInfo): number {
  // Released voices rank below every held one: the offset exceeds any realistic clock value.
  return v.releasedAt !== null ? v.releasedAt - 1e15 : v.startedAt;
}
