/**
 * MIDI input as the instrument needs it. Pure: turns the bytes of one Web MIDI message into a note
 * event, or null for what the instrument ignores (clock, sysex, other controllers).
 */

export type MidiEvent =
  | { type: 'noteOn'; channel: number; note: number; velocity: number }
  | { type: 'noteOff'; channel: number; note: number; velocity: number }
  /** Sustain pedal (CC 64): down at ≥ 64, as the MIDI spec reads it. */
  | { type: 'sustain'; channel: number; down: boolean }
  /** All Notes Off (CC 123) or All Sound Off (CC 120): release everything on the channel. */
  | { type: 'allNotesOff'; channel: number };

/**
 * Parses one complete channel message (Web MIDI hands over whole messages; running status does not
 * reach the page). Note-on with velocity 0 is a note-off, as the MIDI spec says. Bytes out of range
 * (a data byte ≥ 0x80, a short message) give null rather than a wrong note.
 */
export function parseMidiMessage(data: ArrayLike<number> | null | undefined): MidiEvent | null {
  if (!data || data.length < 2) return null;
  const status = data[0];
  if (status < 0x80 || status >= 0xf0) return null; // data byte first, or a system message
  const kind = status & 0xf0;
  const channel = status & 0x0f;
  const d1 = data[1];
  if (d1 > 0x7f) return null;
  if (kind === 0x80 || kind === 0x90) {
    if (data.length < 3 || data[2] > 0x7f) return null;
    const velocity = data[2];
    if (kind === 0x90 && velocity > 0) return { type: 'noteOn', channel, note: d1, velocity };
    return { type: 'noteOff', channel, note: d1, velocity };
  }
  if (kind === 0xb0) {
    if (data.length < 3 || data[2] > 0x7f) return null;
    if (d1 === 64) return { type: 'sustain', channel, down: data[2] >= 64 };
    if (d1 === 120 || d1 === 123) return { type: 'allNotesOff', channel };
  }
  return null;
}
