import { describe, expect, it } from 'vitest';
import { parseMidiMessage } from '../../../../src-renderer/src/instrument/midi';
import { InputRouter } from '../../../../src-renderer/src/instrument/router';

const mapping = { byKey: new Map([['KeyA', 'C major']]), byNote: new Map([[60, 'C major'], [57, 'A minor']]) };
const midi = (router: InputRouter, bytes: number[]) => router.midi(parseMidiMessage(bytes)!, mapping);

describe('InputRouter', () => {
  it('maps computer keys to their label, and ignores unmapped keys', () => {
    const r = new InputRouter();
    expect(r.keyDown('KeyA', mapping, 100)).toEqual({ type: 'start', source: 'key:KeyA', label: 'C major', velocity: 100 });
    expect(r.keyUp('KeyA')).toEqual({ type: 'release', source: 'key:KeyA' });
    expect(r.keyDown('KeyQ', mapping, 100)).toBeNull();
    // A key up always releases: the key may have been unmapped while it was held.
    expect(r.keyUp('KeyQ')).toEqual({ type: 'release', source: 'key:KeyQ' });
  });

  it('maps MIDI notes per channel, with their velocity; unmapped notes start nothing but still release', () => {
    const r = new InputRouter();
    expect(midi(r, [0x92, 57, 64])).toEqual([{ type: 'start', source: 'midi:2:57', label: 'A minor', velocity: 64 }]);
    expect(midi(r, [0x90, 61, 64])).toEqual([]);
    expect(midi(r, [0x92, 57, 0])).toEqual([{ type: 'release', source: 'midi:2:57' }]);
  });

  it('defers note-offs while the sustain pedal is down on that channel, and releases them when it comes up', () => {
    const r = new InputRouter();
    midi(r, [0x90, 60, 100]);
    expect(midi(r, [0xb0, 64, 127])).toEqual([]);
    expect(midi(r, [0x80, 60, 0])).toEqual([]);
    // Another channel is not sustained.
    expect(midi(r, [0x81, 57, 0])).toEqual([{ type: 'release', source: 'midi:1:57' }]);
    // A note struck again under the pedal is held by its key: the pedal coming up leaves it.
    midi(r, [0x90, 57, 100]);
    midi(r, [0x80, 57, 0]);
    midi(r, [0x90, 57, 100]);
    expect(midi(r, [0xb0, 64, 0])).toEqual([{ type: 'release', source: 'midi:0:60' }]);
    expect(midi(r, [0x80, 57, 0])).toEqual([{ type: 'release', source: 'midi:0:57' }]);
  });

  it('All Notes Off releases the channel and lifts its pedal', () => {
    const r = new InputRouter();
    midi(r, [0xb3, 64, 127]);
    expect(midi(r, [0xb3, 123, 0])).toEqual([{ type: 'releaseAll', prefix: 'midi:3:' }]);
    expect(midi(r, [0x83, 60, 0])).toEqual([{ type: 'release', source: 'midi:3:60' }]);
  });
});
