import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_VELOCITY, velocityDb, velocityGain } from '../../../../src-renderer/src/instrument/laws';
import { heardAtFromStamp, heardAtMs, LatencyMeter } from '../../../../src-renderer/src/instrument/latency';
import { parseMidiMessage } from '../../../../src-renderer/src/instrument/midi';

describe('parseMidiMessage', () => {
  it('reads note-on and note-off on any channel', () => {
    expect(parseMidiMessage([0x90, 60, 100])).toEqual({ type: 'noteOn', channel: 0, note: 60, velocity: 100 });
    expect(parseMidiMessage(new Uint8Array([0x9f, 127, 1]))).toEqual({ type: 'noteOn', channel: 15, note: 127, velocity: 1 });
    expect(parseMidiMessage([0x83, 61, 40])).toEqual({ type: 'noteOff', channel: 3, note: 61, velocity: 40 });
  });
  it('reads note-on with velocity 0 as note-off', () => {
    expect(parseMidiMessage([0x90, 60, 0])).toEqual({ type: 'noteOff', channel: 0, note: 60, velocity: 0 });
  });
  it('reads the sustain pedal and all-notes-off controllers', () => {
    expect(parseMidiMessage([0xb1, 64, 127])).toEqual({ type: 'sustain', channel: 1, down: true });
    expect(parseMidiMessage([0xb1, 64, 63])).toEqual({ type: 'sustain', channel: 1, down: false });
    expect(parseMidiMessage([0xb0, 123, 0])).toEqual({ type: 'allNotesOff', channel: 0 });
    expect(parseMidiMessage([0xb0, 120, 0])).toEqual({ type: 'allNotesOff', channel: 0 });
  });
  it('ignores what the instrument does not play, and malformed messages', () => {
    for (const bytes of [[0xf8], [0xf0, 0x7e, 0x7f, 0xf7], [0xb0, 7, 100], [0xe0, 0, 64], [0xc0, 5], [0x90, 60], [0x90, 128, 1], [0x90, 60, 200], [60, 100], [], null]) {
      expect(parseMidiMessage(bytes as number[] | null)).toBeNull();
    }
  });
});

describe('velocity law', () => {
  it('is (v/127)²: 127 is unity, 64 about −12 dB, 0 silent, out-of-range clamped', () => {
    expect(velocityGain(127)).toBe(1);
    expect(velocityGain(0)).toBe(0);
    expect(velocityDb(64)).toBeCloseTo(-11.9, 1);
    expect(velocityDb(32)).toBeCloseTo(-23.97, 1);
    expect(velocityGain(200)).toBe(1);
    expect(velocityGain(-5)).toBe(0);
    expect(velocityGain(Number.NaN)).toBe(0);
    expect(velocityGain(DEFAULT_KEY_VELOCITY)).toBeCloseTo(0.62, 2);
    // Monotonic.
    for (let v = 1; v <= 127; v++) expect(velocityGain(v)).toBeGreaterThan(velocityGain(v - 1));
  });
});

describe('latency', () => {
  it('measures from the input event to when the first sample is heard, with last and median', () => {
    const meter = new LatencyMeter(3);
    expect(meter.figures()).toEqual({ last: null, median: null, count: 0 });
    meter.pressed(1, 1000);
    meter.pressed(2, 2000);
    meter.pressed(3, 3000);
    meter.pressed(4, 4000);
    expect(meter.sounded(1, 1030)).toBe(30);
    expect(meter.sounded(9, 5000)).toBeNull(); // never pressed
    expect(meter.sounded(2, 2050)).toBe(50);
    expect(meter.figures()).toEqual({ last: 50, median: 40, count: 2 });
    meter.sounded(3, 3010);
    meter.sounded(4, 4100); // the window keeps the last three: 50, 10, 100
    expect(meter.figures()).toEqual({ last: 100, median: 50, count: 3 });
    expect(meter.sounded(4, 4200)).toBeNull(); // reported once
  });
  it('maps an audio-context time to when it is heard', () => {
    // Read at performance 10 000 ms when the context was at 2.000 s; a sample at 2.010 s with 20 ms output latency.
    expect(heardAtMs(2.01, 2.0, 10_000, 20)).toBeCloseTo(10_030, 6);
    // A sounding report that arrives late (the sample is already past) still lands in the past.
    expect(heardAtMs(1.99, 2.0, 10_000, 20)).toBeCloseTo(10_010, 6);
  });
  it('maps through an output timestamp, which already carries the output latency', () => {
    // The frame at 1.968 s is heard at 10 000 ms; a sample at 2.000 s is heard 32 ms later.
    expect(heardAtFromStamp(2.0, { contextTime: 1.968, performanceTime: 10_000 })).toBeCloseTo(10_032, 6);
    expect(heardAtFromStamp(2.0, { contextTime: 0, performanceTime: 0 })).toBeNull(); // before the first callback
    expect(heardAtFromStamp(2.0, null)).toBeNull();
  });
});
