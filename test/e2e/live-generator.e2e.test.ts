/**
 * The live generator in the real page (serve + Debian's headless Chromium): voices generated in the
 * browser's worker with the studio's own kernel sound through the AudioWorklet, and a take generated
 * "in this browser" is, bit for bit, the take the studio's generation job saves for the same
 * checkpoint, seed, label and settings, pitch excitation and guidance included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-main/audio';
import { CheckpointsRepo } from '../../src-main/db/checkpoints-repo';
import { openDatabase } from '../../src-main/db/database';
import { saveCheckpoint } from '../../src-main/model/checkpoint';
import { databasePath, projectDir } from '../../src-main/paths';
import { PRESETS } from '../../src-shared/model/config';
import { randomWeights } from '../../src-shared/model/weights';
import type { Job } from '../../src-preload/contract';
import type { LocalSnapshot } from '../../src-renderer/src/audio/local-player.svelte';
import { screenshot } from './helpers/browser';
import { connectSideClient, until, type SideClient } from './helpers/side-client';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { visible, waitForStudio } from './helpers/ui';

const PROJECT = 'Live in the browser';
const LABELS = ['A minor', 'C major'];

/**
 * The sketch shape with random weights, pitch excitation (3 channels), measured voicings and
 * guidance 2 on its card: everything a take job feeds the kernel besides the samples.
 */
async function seedCheckpoint(dataDir: string, projectId: string): Promise<string> {
  const config = { ...PRESETS.sketch, numLabels: 2, excitationChannels: 3 };
  const saved = await saveCheckpoint(join(projectDir(dataDir, projectId), 'checkpoints'), {
    weights: randomWeights(config, 8), labels: LABELS, step: 9, guidance: 2,
    excitation: { voicings: { 'A minor': [[220.4, 261.2, 329.9], [440.1, 523.5, 659.0]], 'C major': [[261.6, 329.6, 392.0]] } },
  });
  const db = openDatabase(databasePath(dataDir));
  try {
    return new CheckpointsRepo(db).insert({ projectId, runId: null, step: 9, path: saved.cardPath, trainLoss: 3, validationBits: 4, card: saved.card }).id;
  } finally {
    db.close();
  }
}

const snapshot = (page: Page) => page.evaluate(() => (window as unknown as { __wavehouseLocal: { snapshot(): LocalSnapshot } }).__wavehouseLocal.snapshot());
const captured = async (page: Page, id: number) =>
  new Float32Array(await page.evaluate((voice) => (window as unknown as { __wavehouseLocal: { captured(id: number): Promise<number[]> } }).__wavehouseLocal.captured(voice), id));

describe('live generator in the browser (e2e)', () => {
  let studio: StudioSession;
  let page: Page;
  let side: SideClient | undefined;
  let projectId: string;
  let checkpointId: string;

  beforeAll(async () => {
    studio = await openStudio({ colorScheme: 'dark', viewport: { width: 1280, height: 1100 } });
    page = studio.page;
    side = await connectSideClient(studio.server.openUrl);
    projectId = (await side.client.invoke('projects.create', { name: PROJECT, preset: 'sketch' })).id;
    checkpointId = await seedCheckpoint(studio.server.dataDir, projectId);
    await waitForStudio(page);
    await page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: new RegExp(PROJECT) }).click();
    await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Takes' }).click();
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    side?.bridge.close();
    await studio?.close();
  });

  it('serves the checkpoint to the renderer: the card by contract, only the weights section as media', async () => {
    const live = await side!.client.invoke('checkpoints.live', { id: checkpointId });
    expect(live).toMatchObject({ checkpointId, labels: LABELS, guidance: 2, weightsMediaId: checkpointId });
    expect(live.voicings!['A minor']).toHaveLength(2);
    const open = new URL(studio.server.openUrl);
    const token = new URLSearchParams(open.hash.slice(1)).get('token')!;
    const res = await fetch(`${open.origin}/media/weights/${checkpointId}?token=${token}`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(live.weightsBytes);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(live.weightsSha256);
    // Unknown checkpoints are 404, and the command refuses them with a clear error.
    expect((await fetch(`${open.origin}/media/weights/nope?token=${token}`)).status).toBe(404);
    await expect(side!.client.invoke('checkpoints.live', { id: 'nope' })).rejects.toThrow(/does not exist/);
  });

  it('a take generated in this browser is the studio\'s take for the same seed, bit for bit, and it sounds', async () => {
    const form = page.getByRole('form', { name: 'Generate takes' });
    await form.getByRole('spinbutton', { name: 'Seconds' }).fill('1.5');
    await form.getByRole('spinbutton', { name: 'Seed' }).fill('4242');
    await form.getByRole('combobox', { name: 'Condition' }).selectOption('A minor');
    await form.getByRole('checkbox', { name: 'In this browser' }).check();
    let jobId = '';
    const off = side!.client.on('job.updated', (job: Job) => {
      if (job.kind === 'generation' && job.state === 'done') jobId = job.id;
    });
    await form.getByRole('button', { name: 'Generate' }).click();

    const sounding = await until('the browser voice to sound', () => snapshot(page), (s) => s.peak > 0 && s.firstSoundMs !== null, 30_000);
    expect(sounding.contextState).toBe('running');
    expect(sounding.sampleRate).toBe(16000);
    expect(sounding.stats!.maxVoices).toBeGreaterThanOrEqual(0);
    const ended = await until('the browser voice to end', () => snapshot(page), (s) => s.voices.length === 0, 30_000);
    await until('the studio job to finish', async () => jobId, (id) => id !== '', 60_000);
    off();
    const takes = await side!.client.invoke('takes.list', { projectId });
    expect(takes).toHaveLength(1);
    expect(takes[0].params).toMatchObject({ seed: 4242, label: 'A minor', guidance: 2 });
    expect((takes[0].params as { stream?: boolean }).stream).toBe(false);
    const saved = decodeWav(readFileSync(takes[0].path)).data[0];
    const local = await captured(page, 1);
    expect(local.length).toBe(1.5 * 16000);
    expect(local.length).toBe(saved.length);
    expect(Buffer.from(local.buffer).equals(Buffer.from(saved.buffer))).toBe(true);
    const numbers = await page.getByTestId('local-numbers').textContent();
    expect(numbers).toMatch(/this machine sustains \d+/);
    expect(numbers).toMatch(/\d+ underruns?/);
    expect(numbers).toMatch(/first sound after \d+ ms/);
    console.log(`live generator: first sound ${ended.firstSoundMs} ms after pressing Generate, kernel ${ended.realtime?.toFixed(2)}× real time per voice, maxVoices ${ended.stats!.maxVoices}, underruns ${ended.stats!.underruns}, output latency ${ended.stats!.outputLatencyMs.toFixed(1)} ms`);
    await screenshot(page, 'live-generator-take');
  }, 120_000);

  it('the worklet plays exactly the generated voice times its gain (its output recorded in the page)', async () => {
    const result = await page.evaluate(async () => {
      const local = (window as unknown as { __wavehouseLocal: { output(): AudioNode | null; startVoice(v: unknown): number; captured(id: number): Promise<number[]>; snapshot(): { voices: number[] } } }).__wavehouseLocal;
      const output = local.output()!;
      const ctx = output.context as AudioContext;
      // A recorder worklet from a blob module (the CSP allows blob: scripts): every frame it hears, in order.
      const code = `registerProcessor('e2e-recorder', class extends AudioWorkletProcessor {
        process(inputs) { const x = inputs[0][0]; if (x) this.port.postMessage(x.slice()); return true; }
      });`;
      await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      const recorder = new AudioWorkletNode(ctx, 'e2e-recorder', { numberOfInputs: 1, numberOfOutputs: 0 });
      const frames: number[] = [];
      recorder.port.onmessage = (e: MessageEvent<Float32Array>) => frames.push(...e.data);
      output.connect(recorder);
      const id = local.startVoice({ label: 'A minor', seed: 99, gain: 0.5, length: 6000 });
      while (local.snapshot().voices.includes(id)) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      output.disconnect(recorder);
      return { frames, voice: await local.captured(id) };
    });
    expect(result.voice).toHaveLength(6000);
    // μ-law never decodes to exactly 0, so the voice's samples are the recording without its silences
    // (before it starts, after it ends, and any underrun's gap).
    const heard = result.frames.filter((x) => x !== 0);
    const want = result.voice.map((x) => Math.fround(0.5 * x));
    expect(want.every((x) => x !== 0)).toBe(true);
    expect(heard).toEqual(want);
  }, 60_000);

  it('plays held voices until released, several at once, with underruns counted and shown', async () => {
    const panel = page.getByRole('region', { name: 'Live voices' });
    await visible(panel);
    // Two generation workers (the default on this 2-core machine is one): voices are spread over both.
    await page.evaluate(() => (window as unknown as { __wavehouseLocal: { configure(o: { workers: number }): void } }).__wavehouseLocal.configure({ workers: 2 }));
    await panel.getByRole('combobox', { name: 'Live condition' }).selectOption('C major');
    await panel.getByRole('spinbutton', { name: 'Live seed' }).fill('7');
    await panel.getByRole('button', { name: 'Load model' }).click();
    await until('the model to load on two workers', () => snapshot(page), (s) => s.state === 'ready' && s.workers === 2, 20_000);
    // Press to first sound with the model loaded: what a key press costs.
    await panel.getByRole('button', { name: 'Play live' }).click();
    const one = await until('the first voice to sound', () => snapshot(page), (s) => s.firstSoundMs !== null, 10_000);
    await panel.getByRole('button', { name: 'Play live' }).click();
    const both = await until('two voices sounding', () => snapshot(page), (s) => s.voices.length === 2 && (s.stats?.voicesActive ?? 0) === 2 && s.peak > 0, 20_000);
    expect(both.workers).toBe(2);
    // Held voices keep playing: well past any take length, still two.
    await page.waitForTimeout(1500);
    const held = await snapshot(page);
    expect(held.voices).toEqual(both.voices);
    await screenshot(page, 'live-generator-voices');
    await panel.getByRole('button', { name: 'Release' }).click();
    const after = await until('the voices to fade out and end', () => snapshot(page), (s) => s.voices.length === 0 && (s.stats?.voicesActive ?? 1) === 0, 10_000);
    const text = await page.getByTestId('local-numbers').textContent();
    expect(text).toContain(`${after.stats!.underruns} underrun`);
    console.log(`live generator: press to first sound ${one.firstSoundMs} ms with the model loaded (output latency incl.); two held voices on two workers, ${after.stats!.underruns} underruns in total (maxVoices ${after.stats!.maxVoices}, ${after.realtime?.toFixed(2)}× real time per voice)`);
    // Each voice was what the worker generated offline for the same seed: the live path adds nothing.
    const offline = new Float32Array(await page.evaluate(() => (window as unknown as { __wavehouseLocal: { render(v: unknown): Promise<number[]> } }).__wavehouseLocal.render({ label: 'C major', seed: 7, length: 4000 })));
    const first = (await captured(page, both.voices[0])).subarray(0, 4000);
    expect(Buffer.from(first.buffer, first.byteOffset, first.byteLength).equals(Buffer.from(offline.buffer))).toBe(true);
  }, 60_000);
});
