import { describe, expect, it } from 'vitest';
import { ChunkSpool } from '../../../../src-renderer/src/instrument/spool';

const ramp = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe('ChunkSpool', () => {
  it('cuts blocks of any size into chunks of exactly the chunk size, each sample once, in order', () => {
    const spool = new ChunkSpool(5);
    spool.push(ramp(0, 3));
    expect(spool.take()).toEqual([]);
    spool.push(ramp(3, 9));
    const chunks = spool.take();
    expect(chunks.map((c) => Array.from(c))).toEqual([Array.from(ramp(0, 5)), Array.from(ramp(5, 5))]);
    expect(spool.buffered).toBe(2);
    spool.push(new Float32Array(0));
    spool.push(ramp(12, 1));
    const rest = spool.take(true);
    expect(rest.map((c) => Array.from(c))).toEqual([[10, 11, 12]]);
    expect(spool.total).toBe(13);
    expect(spool.take(true)).toEqual([]);
  });

  it('keeps every sample across many random block sizes', () => {
    const spool = new ChunkSpool(64);
    let next = 0;
    const out: number[] = [];
    for (let i = 0; i < 200; i++) {
      const n = (i * 37) % 150;
      spool.push(ramp(next, n));
      next += n;
      for (const c of spool.take()) {
        expect(c.length).toBe(64);
        out.push(...c);
      }
    }
    for (const c of spool.take(true)) out.push(...c);
    expect(out).toEqual(Array.from(ramp(0, next)));
  });

  it('refuses a chunk size that is not a whole number of samples', () => {
    expect(() => new ChunkSpool(0)).toThrow(RangeError);
  });
});
