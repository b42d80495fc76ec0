import { describe, expect, it } from 'vitest';
import { VoiceAllocator } from '../../../../src-renderer/src/instrument/voices';

/** Plays a press through the allocator the way the session does, with voice ids from a counter. */
function harness(max: number) {
  const alloc = new VoiceAllocator(max);
  let nextId = 1;
  const stopped: number[] = [];
  const released: number[] = [];
  return {
    alloc,
    stopped,
    released,
    press(source: string, now: number, fade = 100) {
      const plan = alloc.press(source, now, fade);
      if (plan.retrigger !== null) released.push(plan.retrigger);
      stopped.push(...plan.steal);
      const id = nextId++;
      alloc.started(id, source, source, 1, now);
      return { id, plan };
    },
  };
}

describe('VoiceAllocator', () => {
  it('plays up to the limit without stealing', () => {
    const h = harness(3);
    h.press('a', 0);
    h.press('b', 1);
    h.press('c', 2);
    expect(h.stopped).toEqual([]);
    expect(h.alloc.active(3).map((v) => v.source)).toEqual(['a', 'b', 'c']);
  });

  it('steals the oldest held voice when all are held', () => {
    const h = harness(2);
    h.press('a', 0);
    h.press('b', 10);
    const { plan } = h.press('c', 20);
    expect(plan.steal).toEqual([1]);
    expect(h.alloc.active(20).map((v) => v.source)).toEqual(['b', 'c']);
    h.press('d', 30);
    expect(h.stopped).toEqual([1, 2]);
  });

  it('steals a fading voice before any held one, the one released longest ago first', () => {
    const h = harness(3);
    h.press('a', 0);
    h.press('b', 10);
    h.press('c', 20);
    expect(h.alloc.release('c', 30, 500)).toBe(3);
    expect(h.alloc.release('b', 40, 500)).toBe(2);
    h.press('d', 50);
    expect(h.stopped).toEqual([3]); // c was released first (older release), though b is older
    h.press('e', 60);
    expect(h.stopped).toEqual([3, 2]);
    h.press('f', 70);
    expect(h.stopped).toEqual([3, 2, 1]); // then the oldest held: a
  });

  it('counts a released voice until its fade ends, then frees its slot', () => {
    const h = harness(1);
    h.press('a', 0);
    h.alloc.release('a', 100, 50);
    expect(h.alloc.active(120)).toHaveLength(1);
    expect(h.alloc.active(150)).toHaveLength(0);
    h.press('b', 160);
    expect(h.stopped).toEqual([]);
  });

  it('a source pressed again while held releases its own voice first (no stuck notes)', () => {
    const h = harness(4);
    h.press('a', 0);
    const { plan } = h.press('a', 10);
    expect(plan.retrigger).toBe(1);
    expect(h.alloc.heldBy('a')!.id).toBe(2);
    expect(h.alloc.release('a', 20, 10)).toBe(2);
    expect(h.alloc.release('a', 21, 10)).toBeNull(); // nothing held any more
  });

  it('with a limit of one, a retrigger steals its own fading voice', () => {
    const h = harness(1);
    h.press('a', 0);
    const { plan } = h.press('a', 10);
    expect(plan).toEqual({ retrigger: 1, steal: [1] });
  });

  it('releaseAll releases held voices only and honours a filter', () => {
    const h = harness(8);
    h.press('midi:0:60', 0);
    h.press('midi:1:60', 0);
    h.press('key:KeyA', 0);
    h.alloc.release('key:KeyA', 1, 100);
    expect(h.alloc.releaseAll(2, 100, (v) => v.source.startsWith('midi:0:'))).toEqual([1]);
    expect(h.alloc.releaseAll(3, 100)).toEqual([2]);
  });

  it('never holds more voices than the limit, whatever the order of presses and releases', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const max of [1, 2, 5, 16]) {
      const h = harness(max);
      for (let t = 0; t < 2000; t++) {
        const src = `k${Math.floor(rand() * 20)}`;
        if (rand() < 0.6) h.press(src, t, Math.floor(rand() * 50));
        else h.alloc.release(src, t, Math.floor(rand() * 50));
        const active = h.alloc.active(t);
        expect(active.length).toBeLessThanOrEqual(max);
        // At most one held voice per source.
        const held = active.filter((v) => v.releasedAt === null).map((v) => v.source);
        expect(new Set(held).size).toBe(held.length);
      }
    }
  });

  it('refuses a limit that is not a whole number of voices', () => {
    expect(() => new VoiceAllocator(0)).toThrow(/whole number/);
    expect(() => new VoiceAllocator(2.5)).toThrow(/whole number/);
    const a = new VoiceAllocator(2);
    a.setMaxVoices(1);
    expect(a.maxVoices).toBe(1);
  });
});
