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

  it('hands the waiting spare to the next job, asks it to preload, and starts the next spare once that job ends', () => {
    vi.useFakeTimers();
    const started: ReturnType<typeof fakeHandle>[] = [];
    const warm = new WarmLauncher((id) => (started.push(fakeHandle(id)), started.at(-1)!), ['generation'], 500);
    warm.prime();
    warm.prime(); // one spare at a time
    expect(started.map((h) => h.name)).toEqual(['spare']);
    expect(started[0].sent).toEqual([{ type: 'warm', kinds: ['generation'] }]);

    expect(warm.launch('job-1')).toBe(started[0]);
    // While job 1 runs no new spare starts; a second job meanwhile gets a fresh process.
    vi.advanceTimersByTime(5000);
    expect((warm.launch('job-2') as ReturnType<typeof fakeHandle>).name).toBe('job-2');
    expect(started).toHaveLength(2);
    started[0].exit(0);
    vi.advanceTimersByTime(499);
    expect(started).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(started.map((h) => h.name)).toEqual(['spare', 'job-2', 'spare']);
    expect(warm.launch('job-3')).toBe(started[2]);
    warm.dispose();
  });

  it('never hands out a spare that exited; dispose kills the waiting one and stops refills', () => {
    vi.useFakeTimers();
    const started: ReturnType<typeof fakeHandle>[] = [];
    const warm = new WarmLauncher((id) => (started.push(fakeHandle(id)), started.at(-1)!), ['generation'], 10);
    warm.prime();
    started[0].exit(1);
    const handle = warm.launch('job-1') as ReturnType<typeof fakeHandle>;
    expect(handle).not.toBe(started[0]);
    expect(handle.name).toBe('job-1');
    handle.exit(0);
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
