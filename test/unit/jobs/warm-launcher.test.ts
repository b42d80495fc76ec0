import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChildMessage, ParentMessage, WorkerHandle } from '../../../src-main/jobs/protocol';
import { WarmLauncher } from '../../../src-main/jobs/warm-launcher';

/** A worker handle that records what it was sent and can be made to exit. */
function fakeHandle(name: string) {
  const exits: ((code: number | null) => void)[] = [];
  const h = {
    name,
    sent: [] as ParentMessage[],
    killed: false,
    exit: (code: number | null) => exits.forEach((l) => l(code)),
    send: (m: ParentMessage) => h.sent.push(m),
    onMessage: (_: (m: ChildMessage) => void) => undefined,
    onExit: (l: (code: number | null) => void) => exits.push(l),
    kill: () => (h.killed = true),
  };
  return h satisfies WorkerHandle;
}

describe('WarmLauncher', () => {
  afterEach(() => vi.useRealTimers());

  it('hands the waiting spare to the next job, asks it to preload, and starts the next spare a moment later', () => {
    vi.useFakeTimers();
    const started: ReturnType<typeof fakeHandle>[] = [];
    const warm = new WarmLauncher((id) => (started.push(fakeHandle(id)), started.at(-1)!), ['generation'], 500);
    warm.prime();
    warm.prime(); // one spare at a time
    expect(started.map((h) => h.name)).toEqual(['spare']);
    expect(started[0].sent).toEqual([{ type: 'warm', kinds: ['generation'] }]);

    expect(warm.launch('job-1')).toBe(started[0]);
    expect(started).toHaveLength(1);
    vi.advanceTimersByTime(499);
    expect(started).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(started.map((h) => h.name)).toEqual(['spare', 'spare']);
    expect(warm.launch('job-2')).toBe(started[1]);
    // Two jobs in a row: the second finds no spare yet and gets a fresh process.
    expect((warm.launch('job-3') as ReturnType<typeof fakeHandle>).name).toBe('job-3');
    warm.dispose();
  });

  it('never hands out a spare that exited; dispose kills the waiting one and stops refills', () => {
    vi.useFakeTimers();
    const started: ReturnType<typeof fakeHandle>[] = [];
    const warm = new WarmLauncher((id) => (started.push(fakeHandle(id)), started.at(-1)!), ['generation'], 10);
    warm.prime();
    started[0].exit(1);
    const handle = warm.launch('job-1');
    expect(handle).not.toBe(started[0]);
    expect((handle as ReturnType<typeof fakeHandle>).name).toBe('job-1');
    vi.advanceTimersByTime(10);
    const spare = started.at(-1)!;
    expect(spare.name).toBe('spare');
    warm.dispose();
    expect(spare.killed).toBe(true);
    vi.advanceTimersByTime(100);
    warm.prime();
    expect(started.at(-1)).toBe(spare);
  });
});
