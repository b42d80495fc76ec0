/**
 * Protocol fuzzer: bursts of random and structure-aware frames (built from the contract's own
 * command list and input schemas' keys) against a real `serve` on loopback; after every burst the
 * studio must still answer. Bounded in frames and time; seeded, so a failure replays.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src-preload/contract';
import { mulberry32 } from '../../src-shared/random';
import { startTestStudio, type TestStudio } from '../helpers/studio';

const BURSTS = 12;
const FRAMES_PER_BURST = 150;
const TIME_BUDGET_MS = 40_000;

/** Strings a hostile client would try: traversal, system paths, patterns, control characters, huge ones. */
const STRINGS = ['', 'x', '../../etc/passwd', '/etc/passwd', '/proc/self', '/etc', 'C4_major', '{root}{octave}_{quality}', '{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{k}', '\u0000', 'é'.repeat(300), '%E0%A4%A', 'toString', '__proto__', 'constructor'];
const NUMBERS = [0, -1, 1, 0.5, 2 ** 40, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER];

function fuzzer(seed: number) {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const value = (depth: number): unknown => {
    const r = rand();
    if (depth > 4 || r < 0.25) return pick(STRINGS);
    if (r < 0.45) return pick(NUMBERS);
    if (r < 0.55) return pick([true, false, null]);
    if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
    if (r < 0.8) {
      let deep: unknown = { type: 'batch', edits: [] };
      for (let i = 0; i < 100 + Math.floor(rand() * 3000); i++) deep = { type: 'batch', edits: [deep] };
      return deep;
    }
    return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [pick(STRINGS), value(depth + 1)]));
  };
  const names = Object.keys(commands) as (keyof typeof commands)[];
  /** An input with the command's own keys and random values: it passes the first checks and reaches deeper ones. */
  const shaped = (name: keyof typeof commands): unknown => {
    const shape = (commands[name].input as unknown as { shape?: Record<string, unknown> }).shape;
    if (!shape) return value(0);
    return Object.fromEntries(Object.keys(shape).filter(() => rand() < 0.85).map((k) => [k, value(1)]));
  };
  return (): string => {
    const r = rand();
    if (r < 0.1) return pick(['{not json', '', 'null', '[]', '"invoke"', '{"type":"invoke"}', '\uFFFF'.repeat(100)]);
    const id = rand() < 0.9 ? Math.floor(rand() * 1e6) : value(2);
    const name = r < 0.75 ? pick(names) : value(1);
    const input = r < 0.6 && typeof name === 'string' && name in commands ? shaped(name as keyof typeof commands) : value(0);
    return JSON.stringify({ type: rand() < 0.95 ? 'invoke' : value(2), id, name, input });
  };
}

async function connect(studio: TestStudio): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${studio.server.port}/ws?token=${studio.server.token}`);
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  return ws;
}

/** A fresh socket's app.info call answers ok within the deadline. */
async function stillAnswers(studio: TestStudio): Promise<boolean> {
  const ws = await connect(studio);
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      ws.on('message', (d) => {
        const msg = JSON.parse(String(d));
        if (msg.type === 'result' && msg.id === 424242) (clearTimeout(timer), resolve(msg.result.ok === true));
      });
      ws.send(JSON.stringify({ type: 'invoke', id: 424242, name: 'app.info', input: {} }));
    });
  } finally {
    ws.close();
  }
}

describe('protocol fuzzer (loopback serve)', () => {
  let studio: TestStudio;
  beforeAll(async () => (studio = await startTestStudio()));
  afterAll(async () => studio.stop());

  it('the studio answers after every burst of hostile frames', async () => {
    const next = fuzzer(20261202);
    const started = Date.now();
    let sent = 0;
    let replies = 0;
    for (let burst = 0; burst < BURSTS && Date.now() - started < TIME_BUDGET_MS; burst++) {
      const ws = await connect(studio);
      ws.on('message', () => replies++);
      for (let i = 0; i < FRAMES_PER_BURST; i++, sent++) ws.send(next());
      await new Promise((r) => setTimeout(r, 50));
      expect(await stillAnswers(studio), `after burst ${burst} (${sent} frames)`).toBe(true);
      ws.close();
    }
    console.log(`protocol fuzzer: ${sent} frames sent, ${replies} replies, the studio answered after every burst`);
    expect(sent).toBeGreaterThanOrEqual(FRAMES_PER_BURST * 3);
    expect(replies).toBeGreaterThan(0);
    // Jobs the fuzz may have started (an import of /etc/passwd, say) are cancelled before the studio stops.
    for (const job of await studio.client.invoke('jobs.list', {})) if (job.state === 'running' || job.state === 'queued') studio.app.jobs.cancel(job.id);
  }, 90_000);
});
