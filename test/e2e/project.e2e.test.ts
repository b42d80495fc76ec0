/**
 * A project end to end: a tiny custom model over a library of two labelled tone folders, trained
 * from the UI while its chart grows, then two takes generated, auditioned and placed on the
 * timeline. The real `wavehouse serve` and Debian's headless Chromium, as in studio.e2e.test.ts;
 * a side client on the same server imports the library and reads the timeline back.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src-preload/client';
import type { WebSocketBridge } from '../../src-preload/websocket-bridge';
import { writeSineWav } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';
import { encodeWav } from '../../src-main/audio/wav-encode';
import { mkdirSync, writeFileSync } from 'node:fs';
import { screenshot } from './helpers/browser';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { MOD, gone, visible, waitForStudio } from './helpers/ui';
import { connectSideClient, until } from './helpers/side-client';

const PROJECT = 'Tiny tones';
const LIBRARY = 'Test tones';
const TINY = { 'Sample rate (Hz)': 8000, 'Residual channels': 8, 'Dilation channels': 16, 'Skip channels': 16, 'Layers per stack': 5, Stacks: 1 };

/** A naive sawtooth (periodic, rich in harmonics: clearly unlike the sines). */
function writeSawWav(root: string, rel: string, freq: number, rate = 8000, seconds = 0.5): void {
  const n = Math.round(rate * seconds);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = 0.4 * (2 * ((i * freq) / rate - Math.floor(0.5 + (i * freq) / rate)));
  writeFileSync(join(root, rel), encodeWav([data], rate, { bits: 16, dither: 'none' }));
}

/** Numeric attribute of the chart's SVG (how many points each series plots). */
async function plotted(page: Page, series: 'train' | 'validation'): Promise<number> {
  return Number(await page.getByRole('figure', { name: 'Training chart' }).locator(`[data-${series}-points]`).getAttribute(`data-${series}-points`));
}

describe('project: train, generate, audition, arrange (e2e)', () => {
  let studio: StudioSession | undefined;
  let page: Page;
  let side: { bridge: WebSocketBridge; client: Client } | undefined;
  let projectId = '';
  const folder = tempDir('wavehouse-e2e-tones-');

  beforeAll(async () => {
    mkdirSync(join(folder.path, 'saw'), { recursive: true });
    for (let i = 0; i < 4; i++) {
      writeSineWav(folder.path, `sine/sine-${i}.wav`, { freq: 220 + 110 * i, rate: 8000, seconds: 0.5 });
      writeSawWav(folder.path, `saw/saw-${i}.wav`, 165 + 55 * i);
    }
    studio = await openStudio({ colorScheme: 'dark' });
    page = studio.page;
    // The side client: same server, same token, its own connection.
    side = await connectSideClient(studio.server.openUrl);
    const { job } = await side.client.invoke('libraries.import', { paths: [folder.path], name: LIBRARY });
    await until('the import', () => side!.client.invoke('jobs.get', { id: job.id }), (j) => j.state !== 'queued' && j.state !== 'running');
    await waitForStudio(page);
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    side?.bridge.close();
    await studio?.close();
    folder.cleanup();
  });

  it('creates a tiny custom project over the tones library', async () => {
    await page.keyboard.press(`${MOD}+N`);
    const dialog = await visible(page.getByRole('dialog', { name: 'New project' }));
    await page.keyboard.type(PROJECT);
    await dialog.getByRole('radio', { name: /Custom/ }).check();
    for (const [label, value] of Object.entries(TINY)) await dialog.getByRole('spinbutton', { name: label }).fill(String(value));
    await dialog.getByRole('checkbox', { name: new RegExp(LIBRARY) }).check();
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await gone(dialog);

    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 1, name: PROJECT }));
    const tabs = page.getByRole('tablist', { name: 'Project sections' });
    expect(await tabs.getByRole('tab', { name: 'Model' }).getAttribute('aria-selected')).toBe('true');
    await visible(main.getByText('Not trained yet.'));
    projectId = (await side!.client.invoke('projects.list')).find((p) => p.name === PROJECT)!.id;
  });

  it('moves between tabs with the arrow keys and keeps the tab over a reload', async () => {
    const tabs = page.getByRole('tablist', { name: 'Project sections' });
    await tabs.getByRole('tab', { name: 'Model' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await tabs.getByRole('tab', { name: 'Takes' }).getAttribute('aria-selected')).toBe('true');
    expect(await tabs.getByRole('tab', { name: 'Takes' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await visible(page.getByRole('tabpanel', { name: 'Takes' }).getByText('train the model first'));
    await page.keyboard.press('End');
    expect(await tabs.getByRole('tab', { name: 'Arrange' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    expect(await tabs.getByRole('tab', { name: 'Instrument' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');

    await page.reload();
    await waitForStudio(page);
    const takesTab = page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Takes' });
    await visible(takesTab);
    expect(await takesTab.getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Model' }).click();
  });

  it('trains from the UI with advanced settings while the chart grows, and saves checkpoints', async () => {
    const form = page.getByRole('form', { name: 'Start training' });
    await form.getByRole('button', { name: 'Advanced' }).click();
    await form.getByRole('spinbutton', { name: 'Steps' }).fill('60');
    await form.getByRole('spinbutton', { name: 'Window' }).fill('128');
    await form.getByRole('spinbutton', { name: 'Checkpoint every' }).fill('20');
    await form.getByRole('spinbutton', { name: 'Validate every' }).fill('10');
    await form.getByRole('button', { name: 'Start training' }).click();

    await visible(page.getByLabel('Training status').getByText('Training'), 20_000);
    // The backend the run uses is shown to the user.
    await visible(page.getByLabel('Training status').getByText(/wasm|cpu|node/), 30_000);

    const first = await until('plotted train points', () => plotted(page, 'train'), (n) => n >= 3, 40_000);
    const later = await until('more train points', () => plotted(page, 'train'), (n) => n > first + 5, 40_000);
    expect(later).toBeGreaterThan(first);
    await until('a validation point', () => plotted(page, 'validation'), (n) => n >= 1, 40_000);
    await visible(page.getByRole('button', { name: 'Generate from step 20' }), 40_000);
    await screenshot(page, 'project-training');

    await visible(page.getByLabel('Training status').getByText('Done'), 60_000);
    expect(await plotted(page, 'train')).toBe(60);
    // Every 10 steps unless a pass would take more than 10% of the time; always at the end.
    const validations = await plotted(page, 'validation');
    expect(validations).toBeGreaterThanOrEqual(2);
    expect(validations).toBeLessThanOrEqual(6);
    await visible(page.getByRole('button', { name: 'Generate from step 60' }));
    await page.getByRole('heading', { name: 'Checkpoints' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'project-trained');
  }, 90_000);

  it('generates two takes from a checkpoint', async () => {
    await page.getByRole('button', { name: 'Generate from step 60' }).click();
    const tabs = page.getByRole('tablist', { name: 'Project sections' });
    expect(await tabs.getByRole('tab', { name: 'Takes' }).getAttribute('aria-selected')).toBe('true');
    const form = page.getByRole('form', { name: 'Generate takes' });
    expect(await form.getByRole('combobox', { name: 'Checkpoint' }).locator('option:checked').textContent()).toMatch(/^Step 60/);
    // The condition labels are the checkpoint's: the two folder names.
    expect(await form.getByRole('combobox', { name: 'Condition' }).locator('option').allTextContents()).toEqual(['None', 'saw', 'sine']);
    await form.getByRole('combobox', { name: 'Condition' }).selectOption('sine');
    await form.getByRole('spinbutton', { name: 'Takes' }).fill('2');
    await form.getByRole('spinbutton', { name: 'Seconds' }).fill('0.25');
    await form.getByRole('button', { name: 'Roll a random seed' }).click();
    expect(Number(await form.getByRole('spinbutton', { name: 'Seed' }).inputValue())).toBeGreaterThanOrEqual(0);
    await form.getByRole('button', { name: 'Generate' }).click();

    const list = page.getByRole('list', { name: 'Takes' });
    await until('two takes', () => list.locator('[data-take-id]').count(), (n) => n === 2, 40_000);
    await visible(list.getByText('sine').first());
    await screenshot(page, 'project-takes');
  }, 60_000);

  it('auditions a take through Tone.js with a moving playhead, by click and by Space', async () => {
    const list = page.getByRole('list', { name: 'Takes' });
    const row = list.locator('[data-take-id]').first();
    const name = (await row.getAttribute('aria-label'))!;
    await row.getByRole('button', { name: `Play ${name}` }).click();
    // Sample the playhead every frame for as long as it is shown (a 0.25 s take).
    const positions = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const seen: string[] = [];
          const started = performance.now();
          const sample = () => {
            const head = document.querySelector<HTMLElement>('[data-take-id] [data-testid="playhead"]');
            if (head) seen.push(head.style.left);
            if ((head || performance.now() - started < 2000) && performance.now() - started < 5000) requestAnimationFrame(sample);
            else resolve(seen);
          };
          sample();
        }),
    );
    expect(new Set(positions).size, `playhead positions ${positions.join(', ')}`).toBeGreaterThan(2);
    expect(await list.getAttribute('data-audio-context')).toBe('running');

    // Keyboard: the selected row takes focus and Space plays it (the Stop label shows it playing).
    await row.focus();
    await page.keyboard.press('Space');
    await visible(row.getByRole('button', { name: `Stop ${name}` }), 5000);
    await screenshot(page, 'project-audition');
  });

  it('adds a take to the timeline, and refuses to delete it while it is used', async () => {
    const row = page.getByRole('list', { name: 'Takes' }).locator('[data-take-id]').first();
    const name = (await row.getAttribute('aria-label'))!;
    const takeId = (await row.getAttribute('data-take-id'))!;
    await row.getByRole('button', { name: `Add ${name} to the timeline` }).click();
    await visible(page.getByRole('status').filter({ hasText: 'to the timeline' }));

    const { arrangement } = await side!.client.invoke('arrangement.get', { projectId });
    expect(arrangement.tracks.map((t) => t.name)).toEqual(['Takes']);
    expect(arrangement.tracks[0].clips).toHaveLength(1);
    expect(arrangement.tracks[0].clips[0]).toMatchObject({ source: { kind: 'take', id: takeId }, position: 0, length: 12_000 });

    // A second one lands right after the first.
    await row.getByRole('button', { name: `Add ${name} to the timeline` }).click();
    await until('the second clip', () => side!.client.invoke('arrangement.get', { projectId }), (s) => s.arrangement.tracks[0].clips.length === 2);
    const after = await side!.client.invoke('arrangement.get', { projectId });
    expect(after.arrangement.tracks[0].clips[1].position).toBe(12_000);

    await row.getByRole('button', { name: `Delete ${name}` }).click();
    const confirm = await visible(page.getByRole('alertdialog', { name: `Delete “${name}”?` }));
    await confirm.getByRole('button', { name: 'Delete take' }).click();
    await visible(confirm.getByRole('alert'));
    await screenshot(page, 'project-delete-refused');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await gone(confirm);
    expect(await page.getByRole('list', { name: 'Takes' }).locator('[data-take-id]').count()).toBe(2);
  });

  it('pauses, resumes and stops a new run, the chart starting over', async () => {
    await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Model' }).click();
    const form = page.getByRole('form', { name: 'Start training' });
    // The advanced values typed for the first run are still there; make this one long.
    await form.getByRole('spinbutton', { name: 'Steps' }).fill('5000');
    await form.getByRole('button', { name: 'Start a new run' }).click();
    const status = page.getByLabel('Training status');
    await visible(status.getByText('5,000'), 20_000);
    await until('the new run’s first points', () => plotted(page, 'train'), (n) => n >= 2 && n < 60, 30_000);

    // Previews on request while it trains: one per label, playable beside the chart.
    const previews = page.getByRole('region', { name: 'Previews' });
    await previews.getByRole('button', { name: 'Preview now' }).click();
    const play = previews.getByRole('button', { name: /^Play preview / });
    await until('previews of the latest weights', () => play.count(), (n) => n >= 2, 40_000);
    await play.first().click();
    await visible(previews.getByRole('button', { name: /^Stop preview / }), 10_000);
    await screenshot(page, 'project-previews');
    await previews.getByRole('button', { name: /^Stop preview / }).click();

    const controls = page.getByRole('group', { name: 'Training controls' });
    await controls.getByRole('button', { name: 'Pause' }).click();
    await visible(status.getByText('Paused'), 30_000);
    await visible(controls.getByRole('button', { name: 'Resume' }));
    await screenshot(page, 'project-paused');
    const pausedAt = await plotted(page, 'train');
    await controls.getByRole('button', { name: 'Resume' }).click();
    await visible(status.getByText('Training'), 20_000);
    // Stop once the resumed job is stepping again (it then stops at the end of that step).
    await until('steps after resuming', () => plotted(page, 'train'), (n) => n > pausedAt, 30_000);
    await controls.getByRole('button', { name: 'Stop' }).click();
    await visible(status.getByText('Stopped'), 40_000).catch(async (err) => {
      await screenshot(page, 'project-stop-timeout');
      throw err;
    });
    expect(await controls.getByRole('button', { name: 'Resume' }).count()).toBe(0);
  }, 90_000);

  it('shows why training cannot start on a project without libraries', async () => {
    await side!.client.invoke('projects.create', { name: 'No data', preset: 'sketch' });
    await page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: /No data/ }).click();
    await visible(page.getByRole('main').getByRole('heading', { level: 1, name: 'No data' }));
    await page.getByRole('tablist', { name: 'Project sections' }).getByRole('tab', { name: 'Model' }).click();
    await page.getByRole('form', { name: 'Start training' }).getByRole('button', { name: 'Start training' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'Add a sample library to the project before training it' }));
    await page.keyboard.press(`${MOD}+Shift+L`);
    await screenshot(page, 'project-training-error-light');
    await page.keyboard.press(`${MOD}+Shift+L`);
  });

  it('chooses the libraries a project trains on, after creating it', async () => {
    await page.getByRole('button', { name: 'Choose libraries…' }).click();
    const editor = await visible(page.getByRole('form', { name: 'Edit training data' }));
    await editor.getByRole('checkbox', { name: new RegExp(LIBRARY) }).check();
    await editor.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByRole('button', { name: LIBRARY, exact: true }));
    const projects = await side!.client.invoke('projects.list');
    const noData = projects.find((p) => p.name === 'No data')!;
    const libraries = await side!.client.invoke('libraries.list');
    expect(noData.libraryIds).toEqual([libraries.find((l) => l.name === LIBRARY)!.id]);
    await screenshot(page, 'project-training-data');
  });
});
