/**
 * The arrange timeline end to end, with the mouse: samples dragged from the source list onto
 * tracks, a clip moved and trimmed, a track renamed, playback with a moving playhead, undo/redo,
 * and stems exported through the dialog and read back from disk. The real `wavehouse serve` and
 * Debian's headless Chromium, as in studio.e2e.test.ts; a side client imports the library and
 * reads the timeline back.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClip, createTrack, type Arrangement } from '../../src-shared/arrange/model';
import { decodeWav } from '../../src-main/audio';
import { encodeWav } from '../../src-main/audio/wav-encode';
import type { Client } from '../../src-preload/client';
import type { WebSocketBridge } from '../../src-preload/websocket-bridge';
import { sine } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';
import { screenshot } from './helpers/browser';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { MOD, visible, waitForStudio } from './helpers/ui';
import { connectSideClient, until } from './helpers/side-client';

const RATE = 48_000;
const PROJECT = 'Beat sketch';

async function box(locator: Locator) {
  const b = await (await visible(locator)).boundingBox();
  if (!b) throw new Error('no bounding box');
  return b;
}

/** Presses at (x0, y0), moves in steps to (x1, y1), releases: a real pointer drag. */
async function mouseDrag(page: Page, x0: number, y0: number, x1: number, y1: number) {
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y1, { steps: 8 });
  await page.mouse.up();
}

describe('arrange: timeline, playback, undo, export (e2e)', () => {
  let studio: StudioSession | undefined;
  let page: Page;
  let side: { bridge: WebSocketBridge; client: Client } | undefined;
  let projectId = '';
  const folder = tempDir('wavehouse-e2e-arrange-src-');
  const outDir = tempDir('wavehouse-e2e-arrange-out-');

  const arrangement = async (): Promise<Arrangement> => (await side!.client.invoke('arrangement.get', { projectId })).arrangement;
  const clips = (arr: Arrangement) => arr.tracks.flatMap((t) => t.clips);
  const timeline = () => page.getByRole('region', { name: 'Timeline' });
  const clip = (id: string) => page.locator(`[data-clip-id="${id}"]`);

  beforeAll(async () => {
    writeFileSync(join(folder.path, 'kick.wav'), encodeWav(sine(1.5, RATE, 110, 1, 0.6), RATE, { bits: 16, dither: 'none' }));
    writeFileSync(join(folder.path, 'pad.wav'), encodeWav(sine(3, RATE, 330, 2, 0.3), RATE, { bits: 16, dither: 'none' }));
    studio = await openStudio({ colorScheme: 'dark', viewport: { width: 1440, height: 860 } });
    page = studio.page;
    side = await connectSideClient(studio.server.openUrl);
    const { job, library } = await side.client.invoke('libraries.import', { paths: [folder.path], name: 'Drums and pads' });
    await until('the import', () => side!.client.invoke('jobs.get', { id: job.id }), (j) => j.state !== 'queued' && j.state !== 'running');
    // A tiny model, trained for a few steps, so the project has a real generated take to arrange.
    const tiny = { sampleRate: 8000, residualChannels: 8, dilationChannels: 16, skipChannels: 16, layersPerStack: 4, stacks: 1 };
    projectId = (await side.client.invoke('projects.create', { name: PROJECT, preset: 'custom', config: tiny, libraryIds: [library.id] })).id;
    const training = await side.client.invoke('training.start', { projectId, settings: { steps: 3, windowT: 64, checkpointEvery: 3, validateEvery: 3 } });
    await until('the training', () => side!.client.invoke('jobs.get', { id: training.jobId! }), (j) => j.state !== 'queued' && j.state !== 'running', 60_000);
    const generation = await side.client.invoke('generation.start', { projectId, count: 1, seconds: 0.5, seed: 21 });
    const generated = await until('the take', () => side!.client.invoke('jobs.get', { id: generation.job.id }), (j) => j.state !== 'queued' && j.state !== 'running', 60_000);
    expect(generated.state).toBe('done');
    await waitForStudio(page);
  }, 150_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    side?.bridge.close();
    await studio?.close();
    folder.cleanup();
    outDir.cleanup();
  });

  it('opens the project’s Arrange tab with its sources', async () => {
    await page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: new RegExp(PROJECT) }).click();
    await page.getByRole('tab', { name: 'Arrange' }).click();
    await visible(page.getByRole('region', { name: 'Arrangement' }));
    const samples = page.getByRole('list', { name: 'Samples' });
    await visible(samples.getByText('kick'));
    await visible(samples.getByText('pad'));
    // The transport bar drives this timeline now.
    expect(await page.getByRole('toolbar', { name: 'Transport' }).getByRole('button', { name: 'Play' }).isEnabled()).toBe(true);
  });

  it('drags samples onto new tracks and onto a track', async () => {
    const samples = page.getByRole('list', { name: 'Samples' });
    // Zoom in first (a bar is then 156 px) so drags are easy to aim.
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await samples.getByText('kick').dragTo(page.getByRole('list', { name: 'New track drop zone' }), { targetPosition: { x: 10, y: 30 } });
    await until('the first clip', arrangement, (a) => clips(a).length === 1);
    await samples.getByText('pad').dragTo(page.getByRole('list', { name: 'New track drop zone' }), { targetPosition: { x: 20, y: 30 } });
    await until('the second track', arrangement, (a) => a.tracks.length === 2);
    // A second kick on the first track, dropped around bar 3 (snapped to the bar).
    const lane = page.getByRole('list', { name: 'Lane kick' });
    await samples.getByText('kick').dragTo(lane, { targetPosition: { x: 156 * 2 + 20, y: 40 } });
    const arr = await until('the third clip', arrangement, (a) => clips(a).length === 3);
    expect(arr.tracks.map((t) => t.name)).toEqual(['kick', 'pad']);
    expect(arr.tracks[0].clips.map((c) => c.position)).toEqual([0, 2 * 96_000]);
    expect(arr.tracks[1].clips[0]).toMatchObject({ position: 0, length: 3 * RATE });
    await visible(clip(arr.tracks[0].clips[1].id));
  });

  it('drags a generated take from the Takes list onto a track', async () => {
    const takes = page.getByRole('list', { name: 'Takes' });
    const [take] = await side!.client.invoke('takes.list', { projectId });
    // Onto the pad lane at bar 5 (a bar is 156 px at this zoom).
    await takes.getByText(take.name).dragTo(page.getByRole('list', { name: 'Lane pad' }), { targetPosition: { x: 156 * 4 + 20, y: 40 } });
    const arr = await until('the take clip', arrangement, (a) => clips(a).some((c) => c.source.kind === 'take'));
    const placed = arr.tracks[1].clips.find((c) => c.source.kind === 'take')!;
    // 0.5 s of the take at its 8 kHz model rate lasts 24,000 frames on the 48 kHz timeline.
    expect(placed).toMatchObject({ source: { kind: 'take', id: take.id }, position: 4 * 96_000, length: 24_000 });
    await visible(clip(placed.id));
  });

  it('moves a clip with the mouse (snapped to bars), also to another track', async () => {
    let arr = await arrangement();
    const second = arr.tracks[0].clips[1];
    const b = await box(clip(second.id));
    // One bar to the right (156 px), grabbing the clip's body below the fade handles.
    await mouseDrag(page, b.x + b.width / 2, b.y + b.height / 2, b.x + b.width / 2 + 160, b.y + b.height / 2);
    arr = await until('the move', arrangement, (a) => a.tracks[0].clips.some((c) => c.id === second.id && c.position === 3 * 96_000));
    // Down onto the pad track, and back up: a cross-track move is one edit each.
    const c = await box(clip(second.id));
    await mouseDrag(page, c.x + c.width / 2, c.y + c.height / 2, c.x + c.width / 2, c.y + c.height / 2 + 84);
    arr = await until('the cross-track move', arrangement, (a) => a.tracks[1].clips.some((x) => x.id === second.id));
    expect(arr.tracks[1].clips.find((x) => x.id === second.id)!.position).toBe(3 * 96_000);
    await page.keyboard.press(`${MOD}+Z`);
    await until('the undone cross-track move', arrangement, (a) => a.tracks[0].clips.some((x) => x.id === second.id));
  });

  it('trims a clip’s end with snapping off, then undoes and redoes it', async () => {
    await page.getByRole('radiogroup', { name: 'Snap' }).getByRole('radio', { name: 'Off' }).click();
    const before = await arrangement();
    const first = before.tracks[0].clips[0];
    const handle = clip(first.id).locator('[data-handle="trim-end"]');
    const h = await box(handle);
    const ppf = 40 * 1.25 ** 3 / RATE;
    const dx = -60;
    await mouseDrag(page, h.x + h.width / 2, h.y + h.height / 2, h.x + h.width / 2 + dx, h.y + h.height / 2);
    const trimmed = await until('the trim', arrangement, (a) => a.tracks[0].clips[0].length < first.length);
    const length = trimmed.tracks[0].clips[0].length;
    // The new end is where the pointer went, to within a pixel.
    expect(Math.abs(first.length + dx / ppf - length)).toBeLessThan(2 / ppf);
    expect(await page.getByRole('button', { name: 'Undo Trim clip end' }).isEnabled()).toBe(true);
    await screenshot(page, 'arrange-edited');

    await page.keyboard.press(`${MOD}+Z`);
    await until('the undo', arrangement, (a) => a.tracks[0].clips[0].length === first.length);
    await page.keyboard.press(`${MOD}+Shift+Z`);
    await until('the redo', arrangement, (a) => a.tracks[0].clips[0].length === length);
    await visible(page.getByRole('button', { name: 'Undo Trim clip end' }));
  });

  it('renames a track from its header', async () => {
    await page.getByRole('group', { name: 'Track kick' }).getByRole('button', { name: 'kick', exact: true }).dblclick();
    const input = page.getByRole('textbox', { name: 'Track name' });
    await input.fill('Drums');
    await input.press('Enter');
    await until('the rename', arrangement, (a) => a.tracks[0].name === 'Drums');
  });

  it('plays from the cursor with a moving playhead, and stops with space', async () => {
    // Click the ruler near the start: the cursor goes there (snap is off).
    const ruler = await box(page.getByRole('slider', { name: 'Ruler' }));
    await page.mouse.click(ruler.x + 40, ruler.y + ruler.height / 2);
    await page.keyboard.press('Space');
    const playhead = page.getByTestId('arrange-playhead');
    await visible(playhead);
    const frameOf = async () => Number(await playhead.getAttribute('data-frame'));
    const a = await until('the playhead to move', frameOf, (f) => f > 0);
    await page.waitForTimeout(400);
    const b = await frameOf();
    expect(b).toBeGreaterThan(a);
    await visible(page.getByRole('toolbar', { name: 'Transport' }).getByRole('button', { name: 'Play', pressed: true }));
    await screenshot(page, 'arrange-playing');
    await page.keyboard.press('Space');
    await page.getByTestId('arrange-playhead').waitFor({ state: 'detached' });
    // The loop: L toggles it (and makes a region), shown on the ruler.
    await page.keyboard.press('l');
    await visible(timeline().getByTestId('loop-region'));
    // (the loop turns on once the new region is saved)
    await visible(page.getByRole('button', { name: 'Loop', pressed: true }));
    await page.keyboard.press('l');
  });

  it('exports stems through the dialog and writes them to disk', async () => {
    await page.getByRole('button', { name: 'Export stems…' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Export stems' }));
    await dialog.getByRole('radio', { name: /24-bit/ }).check();
    await dialog.getByRole('radio', { name: /Another folder/ }).check();
    await dialog.getByRole('textbox', { name: 'Export folder' }).fill(outDir.path);
    await screenshot(page, 'arrange-export-dialog');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const files = dialog.getByRole('list', { name: 'Exported files' });
    await visible(files.or(dialog.getByRole('alert')), 30_000);
    if (await dialog.getByRole('alert').isVisible()) throw new Error(`export failed: ${await dialog.getByRole('alert').textContent()}`);
    await visible(files.getByRole('button', { name: 'Play 01_Drums.wav' }));
    await screenshot(page, 'arrange-exported');

    const arr = await arrangement();
    const names = readdirSync(outDir.path).filter((n) => n.endsWith('.wav')).sort();
    expect(names).toEqual(['01_Drums.wav', '02_pad.wav', 'mixdown.wav']);
    const end = Math.max(...clips(arr).map((c) => c.position + c.length));
    for (const name of names) {
      const wav = decodeWav(new Uint8Array(readFileSync(join(outDir.path, name))));
      expect({ name, rate: wav.sampleRate, channels: wav.channels, bits: wav.bitDepth, frames: wav.frames }).toEqual({ name, rate: RATE, channels: 2, bits: 24, frames: end });
    }
    // Play one exported file from the list (media kind "export").
    await files.getByRole('button', { name: 'Play 02_pad.wav' }).click();
    await visible(files.getByRole('button', { name: 'Play 02_pad.wav', pressed: true }));
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('keeps a 1,000-clip arrangement light: only clips in view are in the page', async () => {
    const library = (await side!.client.invoke('libraries.list')).find((l) => l.name === 'Drums and pads')!;
    const kick = (await side!.client.invoke('samples.list', { libraryId: library.id, search: 'kick' })).rows[0];
    const big = await side!.client.invoke('projects.create', { name: 'Thousand clips', libraryIds: [library.id] });
    const length = kick.frames!; // 1.5 s at 48 kHz
    const tracks = Array.from({ length: 10 }, (_, t) =>
      createTrack(`t${t}`, `Track ${t + 1}`, {
        clips: Array.from({ length: 100 }, (_, i) => createClip(`t${t}c${i}`, { kind: 'sample', id: kick.id }, length, i * 96_000)),
      }),
    );
    await side!.client.invoke('arrangement.edit', { projectId: big.id, edit: { type: 'batch', edits: tracks.map((track) => ({ type: 'addTrack' as const, track })) } });
    await page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: /Thousand clips/ }).click();
    await page.getByRole('tab', { name: 'Arrange' }).click();
    await visible(page.locator('[data-clip-id="t0c0"]'));
    const inPage = await page.locator('[data-clip-id]').count();
    expect(inPage).toBeGreaterThan(0);
    expect(inPage).toBeLessThan(1000 / 3); // the window drawn spans about three screens
    // Scroll to the end of the timeline: the last bars' clips come in, the first ones leave.
    await timeline().evaluate((el) => {
      const scroller = (el.matches('[aria-label="Timeline"]') ? el : el.querySelector('[aria-label="Timeline"]')) as HTMLElement;
      scroller.scrollLeft = scroller.scrollWidth;
    });
    await visible(page.locator('[data-clip-id="t9c99"]'));
    expect(await page.locator('[data-clip-id="t0c0"]').count()).toBe(0);
    expect(await page.locator('[data-clip-id]').count()).toBeLessThan(1000 / 3);
    await screenshot(page, 'arrange-1000-clips');
  });
});
