/**
 * From input events to voice actions. Pure: computer keys and parsed MIDI messages go in, with the
 * mapping's lookup tables; "start this label for this source", "release this source" and "release
 * these sources" come out. Holds the sustain pedal's state (note-offs deferred per channel while it is
 * down) so the session only carries the actions out.
 */
import type { MidiEvent } from './midi';

export type VoiceAction =
  | { type: 'start'; source: string; label: string; velocity: number }
  | { type: 'release'; source: string }
  /** Release every held voice whose source starts with `prefix`. */
  | { type: 'releaseAll'; prefix: string };

export interface MappingLookup {
  byKey: ReadonlyMap<string, string>;
  byNote: ReadonlyMap<number, string>;
}

/** The source id of a computer key and of a MIDI channel's note (the allocator keys voices by them). */
export const keySource = (code: string) => `key:${code}`;
export const midiSource = (channel: number, note: number) => `midi:${channel}:${note}`;

export class InputRouter {
  /** Channels whose pedal is down → sources released meanwhile (to release when it comes up). */
  #sustained = new Map<number, Set<string>>();

  /** A computer key down (auto-repeats are the caller's to drop); null when the key plays nothing. */
  keyDown(code: string, mapping: MappingLookup, velocity: number): VoiceAction | null {
    const label = mapping.byKey.get(code);
    return label === undefined ? null : { type: 'start', source: keySource(code), label, velocity };
  }

  /**
   * A computer key up: always a release of that key's voice, mapped or not — the mapping may have
   * changed while the key was held, and a held voice must never outlive its key.
   */
  keyUp(code: string): VoiceAction {
    return { type: 'release', source: keySource(code) };
  }

  /** One parsed MIDI event. */
  midi(e: MidiEvent, mapping: MappingLookup): VoiceAction[] {
    switch (e.type) {
      case 'noteOn': {
        const source = midiSource(e.channel, e.note);
        // Struck again under the pedal: it is held by the key now, not by the pedal.
        this.#sustained.get(e.channel)?.delete(source);
        const label = mapping.byNote.get(e.note);
        return label === undefined ? [] : [{ type: 'start', source, label, velocity: e.velocity }];
      }
      case 'noteOff': {
        const source = midiSource(e.channel, e.note);
        const pedal = this.#sustained.get(e.channel);
        if (pedal) {
          pedal.add(source);
          return [];
        }
        return [{ type: 'release', source }];
      }
      case 'sustain': {
        if (e.down) {
          if (!this.#sustained.has(e.channel)) this.#sustained.set(e.channel, new Set());
          return [];
        }
        const pending = this.#sustained.get(e.channel);
        this.#sustained.delete(e.channel);
        return [...(pending ?? [])].map((source) => ({ type: 'release', source }));
      }
      case 'allNotesOff':
        this.#sustained.delete(e.channel);
        return [{ type: 'releaseAll', prefix: `midi:${e.channel}:` }];
    }
  }

  /** Forgets pedal state (everything was released). */
  reset(): void {
    this.#sustained.clear();
  }
}
