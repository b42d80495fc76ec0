import { describe, expect, it } from 'vitest';
import { GrowingPeaks, StreamAssembler } from '../../../../src-renderer/src/audio/stream-assembler';
import { StreamQueue } from '../../../../src-renderer/src/audio/stream-queue';

const ramp = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => (from + i) / 1000);

describe('StreamAssembler', () => {
  it('puts chunks back in order whatever order they arrive in, and hands out each sample once', () => {
    const a = new StreamAssembler(10);
    expect(Array.from(a.add(4, ramp(4, 3)))).toEqual([]);
    expect(a.contiguous).toBe(0);
    expect(Array.from(a.add(0, ramp(0, 4)))).toEqual(Array.from(ramp(0, 7)));
    expect(a.contiguous).toBe(7);
    // A repeated chunk adds nothing; an overlapping one adds only its new part.
    expect(Array.from(a.add(4, ramp(4, 3)))).toEqual([]);
    expect(Array.from(a.add(5, ramp(5, 4)))).toEqual(Array.from(ramp(7, 2)));
    expect(a.complete).toBe(false);
    expect(Array.from(a.add(9, ramp(9, 1)))).toEqual(Array.from(ramp(9, 1)));
    expect(a.complete).toBe(true);
    expect(Array.from(a.samples)).toEqual(Array.from(ramp(0, 10)));
  });

  it('refuses a chunk outside the take', () => {
    const a = new StreamAssembler(4);
    expect(() => a.add(2, ramp(0, 3))).toThrow(/outside/);
    expect(() => a.add(-1, ramp(0, 1))).toThrow(/outside/);
  });
});

describe('GrowingPeaks', () => {
  it('fills bins as samples arrive and reports how many are complete', () => {
    const p = new GrowingPeaks(8, 4);
    p.add(0, new Float32Array([0.5, -0.25, 1]));
    expect(p.filled).toBe(1);
    expect(Array.from(p.toPairs().subarray(0, 4))).toEqual([-32, 64, 0, 127]);
    p.add(3, new Float32Array([-1, 0, 0, 0, 0]));
    expect(p.filled).toBe(4);
    expect(p.toPairs()[2]).toBe(-127);
  });
});

describe('StreamQueue (the worklet)', () => {
  const quantum = () => new Float32Array(128);

  it('waits for the prebuffer, then plays the samples in order across chunk boundaries', () => {
    const q = new StreamQueue(200);
    q.push(ramp(0, 150));
    const out = quantum();
    expect(q.pull(out)).toBe(0);
    expect(q.stats.started).toBe(false);
    q.push(ramp(150, 150));
    expect(q.pull(out)).toBe(128);
    expect(Array.from(out)).toEqual(Array.from(ramp(0, 128)));
    expect(q.pull(out)).toBe(128);
    expect(Array.from(out)).toEqual(Array.from(ramp(128, 128)));
    expect(q.stats).toMatchObject({ played: 256, queued: 44, underruns: 0, started: true });
    expect(q.stats.peak).toBeCloseTo(0.255, 6);
  });

  it('counts each dry spell once as an underrun, but not the end of the take', () => {
    const q = new StreamQueue(1);
    q.push(ramp(0, 100));
    const out = quantum();
    expect(q.pull(out)).toBe(100);
    expect(out[100]).toBe(0);
    expect(q.pull(out)).toBe(0);
    expect(q.stats).toMatchObject({ underruns: 1, starvedFrames: 28 + 128 });
    q.push(ramp(0, 300));
    q.pull(out);
    q.pull(out);
    q.end();
    q.pull(out);
    q.pull(out);
    expect(q.stats).toMatchObject({ underruns: 1, played: 400, finished: true });
    expect(() => q.push(ramp(0, 1))).toThrow(/after the end/);
  });

  it('after a dry spell waits for twice the prebuffer before playing on (up to the cap)', () => {
    const q = new StreamQueue(128, 256);
    const out = quantum();
    q.push(ramp(0, 128));
    expect(q.pull(out)).toBe(128);
    expect(q.pull(out)).toBe(0); // dry: underrun 1, now needs 256
    q.push(ramp(128, 200));
    expect(q.pull(out)).toBe(0);
    q.push(ramp(328, 56));
    expect(q.pull(out)).toBe(128);
    expect(Array.from(out)).toEqual(Array.from(ramp(128, 128)));
    expect(q.pull(out)).toBe(128);
    expect(q.pull(out)).toBe(0); // dry again: the need stays at the cap
    q.push(ramp(0, 256));
    expect(q.pull(out)).toBe(128);
    expect(q.stats).toMatchObject({ underruns: 2, starvedFrames: 128 + 128 + 128, played: 128 * 4 });
  });

  it('plays a take shorter than the prebuffer once it has ended', () => {
    const q = new StreamQueue(1024);
    q.push(ramp(0, 50));
    expect(q.pull(quantum())).toBe(0);
    q.end();
    expect(q.pull(quantum())).toBe(50);
    expect(q.stats.finished).toBe(true);
  });
});
