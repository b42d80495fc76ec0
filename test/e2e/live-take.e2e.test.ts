/**
 * Streaming takes in the real page (serve + Debian's headless Chromium): pressing Generate plays the
 * first take through the AudioWorklet while the job is still generating it, the waveform grows, and
 * the saved take is what was streamed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-main/audio';
import { CheckpointsRepo } from '../../src-main/db/checkpoints-repo';
import { openDatabase } from '../../src-main/db/database';
import { saveCheckpoint } from '../../src-main/model/checkpoint';
import { PRESETS } from '../../src-shared/model/config';
import { randomWeights } from '../../src-shared/model/weights';
import { databasePath, projectDir } from '../../src-main/paths';
import type { Job } from '../../src-preload/contract';
import type { LiveSnapshot } from '../../src-renderer/src/audio/live-take.svelte';
import { screenshot } from './helpers/browser';
import { connectSideClient, until, type SideClient } from './helpers/side-client';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { visible, waitForStudio } from './helpers/ui';

const PROJECT = 'Live takes';
const SECONDS = 6;

/** The sketch shape with random weights: as fast as a real sketch model, so the job lasts a few seconds. */
async function seedCheckpoint(dataDir: string, projectId: string): Promise<void> {
  const config = { ...PRESETS.sketch, numLabels: 2 };
  const saved = await saveCheckpoint(join(projectDir(dataDir, projectId), 'checkpoints'), { weights: randomWeights(config, 5), labels: ['bright', 'dark'], step: 7 });
  const db = openDatabase(databasePath(dataDir));
  try {
    new CheckpointsRepo(db).insert({ projectId, runId: null, step: 7, path: saved.cardPath, trainLoss: 3, validationBits: 4, card: saved.card });
  } finally {
    db.close();
  }
}

const snapshot = (page: Page) => page.evaluate(() => (window as unknown as { __wavehouseLive: { snapshot(): LiveSnapshot } }).__wavehouseLive.snapshot());

describe('live takes (e2e)', () => {
  let studio: StudioSession;
  let page: Page;
  let side: SideClient | undefined;
  let projectId: string;

  beforeAll(async () => {
    studio = await openStudio({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
    page = studio.page;
    side = await connectSideClient(studio.server.openUrl);
    projectId = (await side.client.invoke('projects.create', { name: PROJECT })).id;
    await seedCheckpoint(studio.server.dataDir, projectId);
    await waitForStudio(page);
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    side?.bridge.close();
    await studio?.close();
  });

  it('plays the first take while it is generated: sound is heard before the job ends, and the saved take is the streamed one', async () => {
    await page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: new RegExp(PROJECT) }).click();
    await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Takes' }).click();
    const form = page.getByRole('form', { name: 'Generate takes' });
    await form.getByRole('spinbutton', { name: 'Seconds' }).fill(String(SECONDS));
    await form.getByRole('spinbutton', { name: 'Seed' }).fill('77');
    expect(await form.getByRole('checkbox', { name: 'Play while generating' }).isChecked()).toBe(true);

    // When the job ends, as the side client (another WebSocket on the same server) hears it.
    let jobEndedAt = 0;
    let jobId = '';
    const off = side!.client.on('job.updated', (job: Job) => {
      if (job.kind === 'generation' && job.state === 'done' && jobEndedAt === 0) {
        jobEndedAt = Date.now();
        jobId = job.id;
      }
    });
    await form.getByRole('button', { name: 'Generate' }).click();
    const pressedAt = Date.now();

    // The first audible sample, seen from the worklet's counters.
    const first = await until('first streamed audio', () => snapshot(page), (s) => (s.stats?.played ?? 0) > 0 && (s.stats?.peak ?? 0) > 0, 20_000);
    const heardAt = Date.now();
    expect(jobEndedAt === 0 || heardAt < jobEndedAt, 'sound before the job ended').toBe(true);
    expect(first.received).toBeLessThan(first.total);
    expect(first.total).toBe(SECONDS * 16000);
    expect(first.contextState).toBe('running');
    await visible(page.getByRole('region', { name: 'Live take' }));
    await screenshot(page, 'live-take-playing');

    // It keeps playing to the end; the waveform grew with it.
    const last = await until('the live take to finish', () => snapshot(page), (s) => s.state === 'done', 30_000);
    off();
    expect(last.received).toBe(last.total);
    expect(last.stats!.played).toBe(last.total);
    expect(jobEndedAt).toBeGreaterThan(heardAt);
    const numbers = await page.getByTestId('live-numbers').textContent();
    expect(numbers).toMatch(new RegExp(`Generated ${SECONDS}\\.00 s of ${SECONDS}\\.00 s`));
    expect(numbers).toMatch(/first sound after \d+ ms/);
    console.log(`live take: first sound ${last.firstSoundMs} ms after pressing Generate (first chunk ${last.firstChunkMs} ms, output latency ${last.outputMs} ms; test clock ${heardAt - pressedAt} ms), underruns ${last.stats!.underruns} (${last.stats!.starvedFrames} samples of silence)`);

    // The saved take is the one that was streamed.
    const job = await side!.client.invoke('jobs.get', { id: jobId });
    expect(job.state).toBe('done');
    expect(last.jobId).toBe(jobId);
    const takes = await side!.client.invoke('takes.list', { projectId });
    expect(takes).toHaveLength(1);
    expect(takes[0].params).toMatchObject({ stream: true, seed: 77 });
    const streamed = new Float32Array(await page.evaluate(() => (window as unknown as { __wavehouseLive: { samples(): number[] } }).__wavehouseLive.samples()));
    const saved = decodeWav(readFileSync(takes[0].path)).data[0];
    expect(streamed.length).toBe(saved.length);
    expect(Buffer.from(streamed.buffer).equals(Buffer.from(saved.buffer))).toBe(true);
    await screenshot(page, 'live-take-done');
  }, 90_000);

  it('streams every take of a multi-take generation: the takes play one after another, each the saved one', async () => {
    const form = page.getByRole('form', { name: 'Generate takes' });
    await form.getByRole('spinbutton', { name: 'Takes' }).fill('2');
    await form.getByRole('spinbutton', { name: 'Seconds' }).fill('2');
    await form.getByRole('spinbutton', { name: 'Seed' }).fill('300');
    await form.getByRole('button', { name: 'Generate' }).click();
    const first = await until('the first take to play', () => snapshot(page), (s) => s.count === 2 && s.take === 0 && (s.stats?.played ?? 0) > 0, 30_000);
    expect(first.total).toBe(2 * 16000);
    await visible(page.getByTestId('live-take-index'));
    expect(await page.getByTestId('live-take-index').textContent()).toBe('1 of 2');
    const second = await until('the second take to play', () => snapshot(page), (s) => s.take === 1 && s.playedInTake > 0, 30_000);
    expect(second.count).toBe(2);
    expect(await page.getByTestId('live-take-index').textContent()).toBe('2 of 2');
    const last = await until('both takes to finish', () => snapshot(page), (s) => s.state === 'done', 30_000);
    expect(last.stats!.played).toBe(2 * 2 * 16000);
    expect(last.playedInTake).toBe(2 * 16000);
    console.log(`live takes: two streamed takes played in turn, underruns ${last.stats!.underruns}`);
    await until('both takes saved', () => side!.client.invoke('takes.list', { projectId }), (t) => t.filter((x) => (x.params as { seed?: number }).seed === 300 || (x.params as { seed?: number }).seed === 301).length === 2, 30_000);
    const takes = await side!.client.invoke('takes.list', { projectId });
    for (const k of [0, 1]) {
      const take = takes.find((t) => (t.params as { seed?: number }).seed === 300 + k)!;
      const heard = new Float32Array(await page.evaluate((i) => (window as unknown as { __wavehouseLive: { samples(t: number): number[] } }).__wavehouseLive.samples(i), k));
      const saved = decodeWav(readFileSync(take.path)).data[0];
      expect(Buffer.from(heard.buffer).equals(Buffer.from(saved.buffer))).toBe(true);
    }
  }, 90_000);

  it('the built worklet alone plays a take shorter than its prebuffer to the end (as the Electron smoke test checks it)', async () => {
    const processor = readdirSync(join(process.cwd(), 'out', 'renderer', 'assets')).find((f) => /^stream-processor-.*\.js$/.test(f));
    expect(processor).toBeDefined();
    const stats = await page.evaluate(async (file) => {
      const context = new AudioContext({ sampleRate: 16000 });
      await context.audioWorklet.addModule(`./assets/${file}`);
      const node = new AudioWorkletNode(context, 'wavehouse-stream', { outputChannelCount: [1], processorOptions: { prebuffer: 4096 } });
      const done = new Promise<{ played: number; underruns: number; peak: number }>((resolve) => {
        node.port.onmessage = (e: MessageEvent<{ stats: { played: number; underruns: number; peak: number; finished: boolean } }>) => e.data.stats.finished && resolve(e.data.stats);
      });
      node.connect(context.destination);
      node.port.postMessage({ type: 'chunk', samples: new Float32Array(1600).fill(0.25) });
      node.port.postMessage({ type: 'end' });
      await context.resume();
      const result = await done;
      await context.close();
      return result;
    }, processor!);
    expect(stats).toMatchObject({ played: 1600, underruns: 0, peak: 0.25 });
  });
});
