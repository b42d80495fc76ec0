/**
 * The Instrument view in the real page (serve + Debian's headless Chromium): default and saved key
 * mappings, Web MIDI through a stand-in MIDIAccess (no device exists here) that emits real
 * MIDIMessageEvents, and — with the live generator — keys and notes that sound their label, the
 * measured latency shown, and a recorded performance that lands on the timeline.
 */
import { readdirSync, readFileSync } from 'node:fs';
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
import { velocityGain } from '../../src-renderer/src/instrument/laws';
import type { InstrumentSnapshot } from '../../src-renderer/src/instrument/session.svelte';
import { screenshot } from './helpers/browser';
import { connectSideClient, until, type SideClient } from './helpers/side-client';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { visible, waitForStudio } from './helpers/ui';

const PROJECT = 'Played live';
const LABELS = ['C major', 'A minor', 'kick'];

/** The sketch shape with random weights and three labels: two chords and one unpitched. */
async function seedCheckpoint(dataDir: string, projectId: string): Promise<void> {
  const config = { ...PRESETS.sketch, numLabels: LABELS.length };
  const saved = await saveCheckpoint(join(projectDir(dataDir, projectId), 'checkpoints'), { weights: randomWeights(config, 11), labels: LABELS, step: 3 });
  const db = openDatabase(databasePath(dataDir));
  try {
    new CheckpointsRepo(db).insert({ projectId, runId: null, step: 3, path: saved.cardPath, trainLoss: 3, validationBits: 4, card: saved.card });
  } finally {
    db.close();
  }
}

/**
 * Replaces navigator.requestMIDIAccess before the page's scripts run with a MIDIAccess holding one
 * input; `window.__midiStandIn.send(bytes)` dispatches a real MIDIMessageEvent from it.
 */
function installMidiStandIn(): void {
  const input = Object.assign(new EventTarget(), { id: 'stand-in-1', name: 'Stand-in keys', manufacturer: 'Wavehouse tests', type: 'input', state: 'connected', connection: 'open' });
  const access = Object.assign(new EventTarget(), { inputs: new Map([['stand-in-1', input]]), outputs: new Map(), sysexEnabled: false });
  const requests: unknown[] = [];
  Object.defineProperty(navigator, 'requestMIDIAccess', {
    configurable: true,
    value: async (options?: unknown) => {
      requests.push(options ?? null);
      return access;
    },
  });
  (window as unknown as { __midiStandIn: unknown }).__midiStandIn = {
    requests,
    send(bytes: number[]) {
      const data = new Uint8Array(bytes);
      const event = typeof MIDIMessageEvent === 'function' ? new MIDIMessageEvent('midimessage', { data }) : Object.assign(new Event('midimessage'), { data });
      input.dispatchEvent(event);
      return { timeStamp: event.timeStamp, real: typeof MIDIMessageEvent === 'function' };
    },
  };
}

const snapshot = (page: Page) => page.evaluate(() => (window as unknown as { __wavehouseInstrument: { snapshot(): InstrumentSnapshot } }).__wavehouseInstrument.snapshot());

async function openInstrument(page: Page): Promise<void> {
  await page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: new RegExp(PROJECT) }).click();
  await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Instrument' }).click();
  await visible(page.getByRole('list', { name: 'Pads' }));
}

describe('instrument (e2e)', () => {
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
    await page.addInitScript(installMidiStandIn);
    await page.reload();
    await waitForStudio(page);
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    side?.bridge.close();
    await studio?.close();
  });

  it('shows every label with its default key and note, and a saved mapping persists across a reload', async () => {
    await openInstrument(page);
    const pads = page.getByRole('list', { name: 'Pads' }).getByRole('button');
    expect(await pads.allTextContents()).toEqual([
      // The piano row starts at C3 (below A3, the lowest root): A3 is H, C4 is K; kick takes the first free key.
      expect.stringMatching(/C major\s*K · C4/),
      expect.stringMatching(/A minor\s*H · A3/),
      expect.stringMatching(/kick\s*A · C2/),
    ]);
    const editor = page.getByRole('form', { name: 'Key mapping' });
    // Giving kick A minor's key is refused before it is sent.
    await editor.getByRole('combobox', { name: 'Key for kick' }).selectOption({ label: 'H' });
    await visible(editor.getByRole('alert'));
    expect(await editor.getByRole('alert').textContent()).toMatch(/"kick" and "A minor" share a key|"A minor" and "kick" share a key/);
    expect(await editor.getByRole('button', { name: 'Save mapping' }).isDisabled()).toBe(true);
    await editor.getByRole('combobox', { name: 'Key for kick' }).selectOption({ label: '5' });
    await editor.getByRole('combobox', { name: 'MIDI note for kick' }).selectOption({ label: 'D2 (38)' });
    await editor.getByRole('button', { name: 'Save mapping' }).click();
    await until('the saved mapping', () => side!.client.invoke('instrument.getMapping', { projectId }), (m) => m.entries.length === 3);
    expect((await side!.client.invoke('instrument.getMapping', { projectId })).entries).toEqual([
      { label: 'C major', key: 'KeyK', note: 60 },
      { label: 'A minor', key: 'KeyH', note: 57 },
      { label: 'kick', key: 'Digit5', note: 38 },
    ]);
    await screenshot(page, 'instrument-mapping');

    await page.reload();
    await waitForStudio(page);
    await openInstrument(page);
    expect(await page.getByRole('list', { name: 'Pads' }).getByRole('button').nth(2).textContent()).toMatch(/kick\s*5 · D2/);
  }, 60_000);

  it('hears MIDI through a stand-in MIDIAccess, asking for notes only (no sysex)', async () => {
    await openInstrument(page);
    const snap = await until('MIDI to connect', () => snapshot(page), (s) => s.midi.status === 'ready');
    expect(snap.midi.inputs).toEqual(['Stand-in keys']);
    expect(await page.evaluate(() => (window as unknown as { __midiStandIn: { requests: unknown[] } }).__midiStandIn.requests)).toContainEqual({ sysex: false });
    expect(await page.getByTestId('instrument-figures').textContent()).toMatch(/MIDI Stand-in keys/);
    const sent = await page.evaluate(() => (window as unknown as { __midiStandIn: { send(b: number[]): { real: boolean } } }).__midiStandIn.send([0x90, 60, 100]));
    expect(sent.real).toBe(true); // Chromium's own MIDIMessageEvent
    await page.evaluate(() => (window as unknown as { __midiStandIn: { send(b: number[]): unknown } }).__midiStandIn.send([0x80, 60, 0]));

    // MIDI learn: with a note field focused, a struck note is assigned instead of played.
    const editor = page.getByRole('form', { name: 'Key mapping' });
    const field = editor.getByRole('combobox', { name: 'MIDI note for kick' });
    await field.focus();
    await page.evaluate(() => (window as unknown as { __midiStandIn: { send(b: number[]): unknown } }).__midiStandIn.send([0x99, 40, 100]));
    await until('the learned note', () => field.inputValue(), (v) => v === '40');
    expect(await editor.getByRole('button', { name: 'Save mapping' }).isDisabled()).toBe(false);
    await field.blur();
  });
  it('the built recorder worklet captures what its input plays, every sample once, and nothing after stop', async () => {
    const processor = readdirSync(join(process.cwd(), 'out', 'renderer', 'assets')).find((f) => /^recorder-processor-.*\.js$/.test(f));
    expect(processor).toBeDefined();
    const got = await page.evaluate(async (file) => {
      const context = new AudioContext({ sampleRate: 16000 });
      await context.audioWorklet.addModule(`./assets/${file}`);
      const node = new AudioWorkletNode(context, 'wavehouse-recorder', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
      const blocks: Float32Array[] = [];
      let late = 0;
      let stoppedTotal = -1;
      const stopped = new Promise<void>((resolve) => {
        node.port.onmessage = (e: MessageEvent<{ type: string; samples?: Float32Array; total?: number }>) => {
          if (e.data.type === 'block') (stoppedTotal < 0 ? blocks : ((late += 1), [])).push(e.data.samples!);
          else {
            stoppedTotal = e.data.total!;
            resolve();
          }
        };
      });
      const osc = new OscillatorNode(context, { frequency: 440 });
      const gain = new GainNode(context, { gain: 0.5 });
      osc.connect(gain).connect(node).connect(context.destination);
      osc.start();
      await context.resume();
      node.port.postMessage({ type: 'start' });
      await new Promise((r) => setTimeout(r, 600));
      node.port.postMessage({ type: 'stop' });
      await stopped;
      await new Promise((r) => setTimeout(r, 200));
      await context.close();
      const n = blocks.reduce((a, b) => a + b.length, 0);
      let peak = 0;
      for (const b of blocks) for (const v of b) peak = Math.max(peak, Math.abs(v));
      return { n, stoppedTotal, peak, late };
    }, processor!);
    expect(got.n).toBe(got.stoppedTotal); // every rendered frame posted once, the tail included
    expect(got.n).toBeGreaterThan(16000 * 0.3);
    expect(got.peak).toBeGreaterThan(0.45);
    expect(got.peak).toBeLessThanOrEqual(0.5001);
    expect(got.late).toBe(0);
  });
  it('a key and a MIDI note sound their labels, the latency is shown, voices beyond the limit are stolen, and the recorded performance lands on the timeline', async () => {
    // The mapping this test plays (as the first test saves it through the view).
    await side!.client.invoke('instrument.setMapping', {
      projectId,
      entries: [
        { label: 'C major', key: 'KeyK', note: 60 },
        { label: 'A minor', key: 'KeyH', note: 57 },
        { label: 'kick', key: 'Digit5', note: 38 },
      ],
    });
    await page.reload();
    await waitForStudio(page);
    await openInstrument(page);
    await page.getByRole('button', { name: 'Start instrument' }).click();
    const ready = await until('the generator to load', () => snapshot(page), (s) => s.state !== 'loading' && s.state !== 'idle', 30_000);
    expect(ready.error).toBeNull();
    expect(ready.state).toBe('ready');
    expect(ready.contextState).toBe('running');
    expect(ready.sampleRate).toBe(16000);
    // The measured limit (0 on a machine too loaded for one real-time voice: one voice then still plays).
    const maxVoices = ready.stats!.maxVoices;
    const limit = ready.voiceLimit;
    expect(limit).toBe(Math.max(1, maxVoices));
    await screenshot(page, 'instrument-ready');

    // A computer key: K plays C major (the saved mapping kept it) at the keys' velocity.
    await page.getByRole('button', { name: 'Record' }).click();
    await until('recording', () => snapshot(page), (s) => s.recording);
    await page.keyboard.down('k');
    const keyed = await until('C major to sound', () => snapshot(page), (s) => s.started.length === 1 && s.sounded.includes(s.started[0].id) && s.maxPeak > 0.01, 20_000);
    expect(keyed.started[0]).toMatchObject({ label: 'C major', source: 'key:KeyK' });
    expect(keyed.started[0].gain).toBeCloseTo(velocityGain(100), 6);
    expect(keyed.held).toEqual(['C major']);
    await page.waitForTimeout(400);
    await page.keyboard.up('k');

    // A MIDI note: 57 is A minor, velocity 127 is full gain.
    const send = (bytes: number[]) => page.evaluate((b) => (window as unknown as { __midiStandIn: { send(b: number[]): unknown } }).__midiStandIn.send(b), bytes);
    await send([0x90, 57, 127]);
    const noted = await until('A minor to sound', () => snapshot(page), (s) => s.started.length === 2 && s.sounded.includes(s.started[1].id), 20_000);
    expect(noted.started[1]).toMatchObject({ label: 'A minor', source: 'midi:0:57', gain: 1 });
    await page.waitForTimeout(400);
    await send([0x80, 57, 0]);

    // Latency: measured for both notes and shown in the view.
    const measured = await until('two latencies', () => snapshot(page), (s) => s.latency.count >= 2);
    expect(measured.latencies.every((ms) => ms > 0 && ms < 5000)).toBe(true);
    await until('the latency figure', () => page.getByTestId('instrument-latency').textContent(), (t) => /last \d+ ms, median \d+ ms \(\d+ notes\)/.test(t ?? ''));

    // Six held sources (three keys, three MIDI notes) against the measured limit: the excess is stolen, never exceeded.
    // (After the release fades: a fading voice would be stolen first, and counted.)
    await until('the released voices to fade out', () => snapshot(page), (s) => s.stats!.voicesActive === 0);
    // The generator keeps maxVoices current from its live voices, so the limit may move while we play:
    // every press is either still held or was stolen, and never more are held than the limit allowed.
    const start = await snapshot(page);
    for (const key of ['k', 'h', '5']) await page.keyboard.down(key);
    for (const note of [60, 57, 38]) await send([0x91, note, 90]);
    const crowded = await until('six presses', () => snapshot(page), (s) => s.started.length === 8);
    const highest = Math.max(start.voiceLimit, crowded.voiceLimit);
    const stolen = crowded.stolen - start.stolen;
    expect(stolen + crowded.held.length).toBe(6);
    expect(crowded.held.length).toBeLessThanOrEqual(highest);
    expect(stolen).toBeGreaterThanOrEqual(Math.max(0, 6 - highest));
    // The generator's own count lags the page (a stopped voice ramps out over 3 ms in the worklet and is
    // reported back asynchronously), but it comes down to the limit and stays there while the notes are held.
    const load = await until('the generator to settle at the limit', () => snapshot(page), (s) => s.stats!.voicesActive > 0 && s.stats!.voicesActive <= highest, 3000);
    await page.waitForTimeout(300);
    expect((await snapshot(page)).stats!.voicesActive).toBeLessThanOrEqual(highest);
    await page.waitForTimeout(500);
    for (const key of ['k', 'h', '5']) await page.keyboard.up(key);
    await send([0xb1, 123, 0]); // All Notes Off on channel 2
    await until('everything released', () => snapshot(page), (s) => s.held.length === 0);
    const figures = await page.getByTestId('instrument-figures').textContent();
    console.log(`instrument: maxVoices at load ${maxVoices} (limit ${limit}, while crowded ${crowded.voiceLimit}), ${stolen} of 6 presses stolen, latencies ${measured.latencies.map((x) => Math.round(x)).join(', ')} ms (output latency ${Math.round(load.stats!.outputLatencyMs)} ms), underruns ${load.stats!.underruns}; view: ${figures}`);
    await screenshot(page, 'instrument-playing');

    // Stop: the performance is saved as a take and placed on the timeline.
    await page.getByRole('button', { name: /Stop recording/ }).click();
    const take = await until('the performance take', () => side!.client.invoke('takes.list', { projectId }), (t) => t.some((x) => x.params.kind === 'performance'), 30_000);
    const performance = take.find((x) => x.params.kind === 'performance')!;
    expect(performance.params).toMatchObject({ notes: 8, labels: expect.arrayContaining(['C major', 'A minor', 'kick']) });
    expect(performance.sampleRate).toBe(16000);
    expect(performance.duration).toBeGreaterThan(1);
    const wav = decodeWav(readFileSync(performance.path));
    let peak = 0;
    for (const v of wav.data[0]) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeGreaterThan(0.01);
    const { arrangement } = await side!.client.invoke('arrangement.get', { projectId });
    const track = arrangement.tracks.find((t) => t.name === 'Instrument');
    expect(track?.clips.map((c) => c.source)).toEqual([{ kind: 'take', id: performance.id }]);
    await screenshot(page, 'instrument-recorded');
  }, 120_000);
  it('measures key-to-sound latency note by note, at the model rate and in low-latency mode (48 kHz)', async () => {
    const send = (bytes: number[]) => page.evaluate((b) => (window as unknown as { __midiStandIn: { send(b: number[]): unknown } }).__midiStandIn.send(b), bytes);
    await openInstrument(page);
    const report: string[] = [];
    for (const lowLatency of [false, true]) {
      await page.getByRole('checkbox', { name: 'Low-latency output' }).setChecked(lowLatency);
      await page.getByRole('button', { name: /Start instrument|Restart/ }).click();
      const ready = await until('the generator to load', () => snapshot(page), (s) => s.state === 'ready' && s.latency.count === 0 && s.sampleRate === (lowLatency ? 48000 : 16000), 30_000);
      expect(ready.contextState).toBe('running');
      for (let i = 0; i < 8; i++) {
        const before = (await snapshot(page)).started.length;
        await send([0x90, i % 2 ? 57 : 60, 100]);
        await until('the note to sound', () => snapshot(page), (s) => s.started.length === before + 1 && s.sounded.includes(s.started[before].id), 20_000);
        await page.waitForTimeout(120);
        await send([0x80, i % 2 ? 57 : 60, 0]);
        await until('its fade to end', () => snapshot(page), (s) => s.stats!.voicesActive === 0, 10_000);
      }
      const done = await snapshot(page);
      expect(done.latency.count).toBe(8);
      expect(done.latencies.every((ms) => ms > 0 && ms < 5000)).toBe(true);
      const shown = await page.getByTestId('instrument-latency').textContent();
      expect(shown).toContain(`median ${Math.round(done.latency.median!)} ms (8 notes)`);
      report.push(`${lowLatency ? 'low-latency 48 kHz' : 'model rate 16 kHz'}: median ${done.latency.median!.toFixed(1)} ms, notes ${done.latencies.map((x) => Math.round(x)).join(' ')} ms, output latency ${done.stats!.outputLatencyMs.toFixed(1)} ms, underruns ${done.stats!.underruns}`);
    }
    console.log(`instrument latency: ${report.join(' | ')}`);
  }, 120_000);
  it('leaving the tab while recording saves the performance instead of dropping it', async () => {
    const send = (bytes: number[]) => page.evaluate((b) => (window as unknown as { __midiStandIn: { send(b: number[]): unknown } }).__midiStandIn.send(b), bytes);
    expect((await snapshot(page)).state).toBe('ready');
    const before = (await side!.client.invoke('takes.list', { projectId })).filter((t) => t.params.kind === 'performance').length;
    await page.getByRole('button', { name: 'Record' }).click();
    await until('recording', () => snapshot(page), (s) => s.recording);
    await send([0x90, 60, 110]);
    await page.waitForTimeout(600);
    await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Arrange' }).click();
    const takes = await until('the saved performance', () => side!.client.invoke('takes.list', { projectId }), (t) => t.filter((x) => x.params.kind === 'performance').length === before + 1, 30_000);
    const saved = takes.find((t) => t.params.kind === 'performance' && t.name === `Performance ${before + 1}`)!;
    expect(saved.sampleRate).toBe(48000); // recorded in low-latency mode, at the context's rate
    expect(saved.params).toMatchObject({ notes: 1, labels: ['C major'] });
    const { arrangement } = await side!.client.invoke('arrangement.get', { projectId });
    expect(arrangement.tracks.find((t) => t.name === 'Instrument')!.clips.map((c) => c.source.id)).toContain(saved.id);
    // The instrument closed with the tab: the page holds no session any more.
    expect(await page.evaluate(() => '__wavehouseInstrument' in window)).toBe(false);
    // The Takes list says what it is.
    await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Takes' }).click();
    const row = await visible(page.locator(`li[data-take-id="${saved.id}"]`));
    expect(await row.textContent()).toMatch(/performance[\s\S]*labels\s*C major/);
    expect(await row.locator('[title*="Played live on the Instrument view"]').count()).toBe(1);
    await screenshot(page, 'instrument-performance-take');
  }, 60_000);
});
