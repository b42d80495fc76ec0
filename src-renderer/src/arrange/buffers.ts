/**
 * Source audio for the arrangement, decoded once per (source, rate). Decoding with an
 * OfflineAudioContext at the arrangement rate hands the Player buffers already at the context rate
 * (PREVIEW.md); sources at another rate are resampled by the browser's decoder here, not by the
 * export's libsamplerate, so only those may differ slightly from the export.
 */
import type { Arrangement, SourceRef } from '../../../src-shared/arrange/model';
import { sourceKey } from './schedule';

export type SourceUrl = (ref: SourceRef) => string;

/** Keeps channels 0 and 1 of a buffer with more, as the export does. */
function frontPair(buffer: AudioBuffer): AudioBuffer {
  if (buffer.numberOfChannels <= 2) return buffer;
  const out = new AudioBuffer({ length: buffer.length, numberOfChannels: 2, sampleRate: buffer.sampleRate });
  out.copyToChannel(buffer.getChannelData(0), 0);
  out.copyToChannel(buffer.getChannelData(1), 1);
  return out;
}

export async function decodeAt(bytes: ArrayBuffer, rate: number): Promise<AudioBuffer> {
  const ctx = new OfflineAudioContext(1, 1, rate);
  return frontPair(await ctx.decodeAudioData(bytes));
}

export class SourceBuffers {
  #ready = new Map<string, AudioBuffer>();
  #loading = new Map<string, Promise<AudioBuffer | null>>();
  /** Sources that failed to load, with the reason (shown once, not retried until cleared). */
  readonly failures = new Map<string, string>();

  constructor(private readonly urlOf: SourceUrl) {}

  get = (ref: SourceRef, rate: number): AudioBuffer | undefined => this.#ready.get(`${rate}|${sourceKey(ref)}`);

  /** Loads every source the arrangement uses (in parallel); resolves when all have settled. */
  async loadFor(arr: Arrangement): Promise<void> {
    const refs = new Map<string, SourceRef>();
    for (const t of arr.tracks) for (const c of t.clips) refs.set(sourceKey(c.source), c.source);
    await Promise.all([...refs.values()].map((ref) => this.load(ref, arr.sampleRate)));
  }

  load(ref: SourceRef, rate: number): Promise<AudioBuffer | null> {
    const key = `${rate}|${sourceKey(ref)}`;
    let p = this.#loading.get(key);
    if (!p) {
      p = (async () => {
        try {
          const response = await fetch(this.urlOf(ref));
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const buffer = await decodeAt(await response.arrayBuffer(), rate);
          this.#ready.set(key, buffer);
          return buffer;
        } catch (err) {
          this.failures.set(sourceKey(ref), err instanceof Error ? err.message : String(err));
          return null;
        }
      })();
      this.#loading.set(key, p);
    }
    return p;
  }
}
