/**
 * Sample libraries, end to end: the demo library on a fresh data dir; importing a folder of WAVs
 * (one broken) by typed path; filtering; the broken file's reason; auditioning through Tone.js with
 * a moving playhead; inline, multi-select and file-name-pattern labels that survive a reload. A
 * second studio starts on a data dir seeded with 20,000 samples to check the list stays virtual.
 * Requires a build (`npx electron-vite build`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/db/database';
import { newId, nowIso } from '../../src-main/db/ids';
import { databasePath } from '../../src-main/paths';
import { writeSineWav } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';
import { screenshot } from './helpers/browser';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { MOD, gone, visible, waitForStudio } from './helpers/ui';

const LIBRARY = 'E2E chords';

/** Polls `read` until `check` passes (playwright-core has no expect.poll of its own here). */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

function sampleRow(page: Page, relPath: string): Locator {
  return page.getByRole('grid', { name: 'Samples' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name: relPath, exact: true }) });
}

function rowNames(page: Page): Promise<string[]> {
  return page.locator('[role="grid"] [role="row"] .cell-name .name').allTextContents();
}

describe('sample libraries (e2e)', () => {
  let studio: StudioSession | undefined;
  let page: Page;
  const folder = tempDir('wavehouse-e2e-chords-');

  beforeAll(async () => {
    // Five chord files whose names fit {root}{octave}_{quality}, one that does not, and one broken file.
    // Labels start as the folder names (triads, pads), as the import does.
    writeSineWav(folder.path, 'triads/C4_major.wav', { seconds: 1.2, freq: 262 });
    writeSineWav(folder.path, 'triads/G4_major.wav', { seconds: 0.8, freq: 392 });
    writeSineWav(folder.path, 'triads/A3_minor.wav', { seconds: 0.6, freq: 220 });
    writeSineWav(folder.path, 'triads/E4_minor.wav', { seconds: 0.5, freq: 330, rate: 22050 });
    writeSineWav(folder.path, 'triads/B3_diminished.wav', { seconds: 0.4, freq: 247 });
    const pad = writeSineWav(folder.path, 'pads/warm-pad.wav', { seconds: 2, freq: 131, channels: 2 });
    // As a recorder that crashed before finalising leaves it: data size 0xFFFFFFFF (imports, with a warning).
    const padBytes = readFileSync(pad);
    padBytes.writeUInt32LE(0xffffffff, padBytes.indexOf('data', 12, 'latin1') + 4);
    writeFileSync(pad, padBytes);
    writeFileSync(join(folder.path, 'triads/F4_broken.wav'), Buffer.from('RIFF\x10\x00\x00\x00WAVEjunkjunkjunk', 'latin1'));

    studio = await openStudio({ colorScheme: 'dark' });
    page = studio.page;
    await waitForStudio(page);
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    await studio?.close();
    folder.cleanup();
  });

  it('has the demo library on a fresh data dir', async () => {
    const demo = await visible(page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /Piano triads \(demo\)/ }));
    await demo.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Piano triads (demo)' }));
    // Its 28 files arrive as the demo import runs (slower on a busy machine); the list refills when it ends.
    await visible(page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /Piano triads \(demo\)\s*28/ }), 40_000);
    await visible(sampleRow(page, 'augmented/A4_augmented.wav'), 5_000);
    await screenshot(page, 'library-demo');
  });

  it('imports a typed folder, announces the counts and links to the broken file', async () => {
    await page.getByRole('button', { name: 'All libraries' }).click();
    await page.getByRole('textbox', { name: 'Folder path' }).fill(folder.path);
    await page.getByRole('textbox', { name: 'Library name' }).fill(LIBRARY);
    await page.getByRole('form', { name: 'Import folder' }).getByRole('button', { name: 'Import' }).click();

    const toast = await visible(page.getByRole('status').filter({ hasText: `Import ${LIBRARY}: done` }), 20_000);
    expect(await toast.textContent()).toContain('6 imported · 1 with warnings · 1 failed');
    await screenshot(page, 'library-import-toast');
    await toast.getByRole('button', { name: 'Show 1 failed' }).click();

    await visible(page.getByRole('heading', { level: 1, name: LIBRARY }));
    expect(await page.getByRole('combobox', { name: 'Status filter' }).inputValue()).toBe('failed');
    const broken = await visible(sampleRow(page, 'triads/F4_broken.wav'));
    const reason = (await broken.locator('.cell-reason').textContent())?.trim() ?? '';
    expect(reason.length).toBeGreaterThan(3);
    expect(await broken.getByRole('button', { name: /^Play/ }).count()).toBe(0);
    expect(await rowNames(page)).toEqual(['triads/F4_broken.wav']);
    await screenshot(page, 'library-failed');
  });

  it('shows import warnings: a badge on the row saying what was assumed, and a "with warnings" filter', async () => {
    const status = page.getByRole('combobox', { name: 'Status filter' });
    expect(await status.locator('option[value="warnings"]').textContent()).toBe('With warnings (1)');
    await status.selectOption('warnings');
    await until(() => rowNames(page), (names) => names.join() === 'pads/warm-pad.wav', 'the one file with a warning');
    const badge = await visible(sampleRow(page, 'pads/warm-pad.wav').getByRole('note'));
    expect(await badge.textContent()).toMatch(/1 warning/);
    expect(await badge.getAttribute('title')).toMatch(/0xFFFFFFFF.*read up to the end of the file \(data-size-unset\)/);
    // It still plays and keeps its waveform: a warning is not a failure.
    await visible(sampleRow(page, 'pads/warm-pad.wav').getByRole('button', { name: 'Play pads/warm-pad.wav' }));
    await visible(page.getByRole('list', { name: 'Counts' }).getByText('with warnings'));
    await screenshot(page, 'library-warnings');
  });

  it('filters by search and by label', async () => {
    await page.getByRole('combobox', { name: 'Status filter' }).selectOption('all');
    await until(() => rowNames(page), (names) => names.length === 7, 'all seven rows');

    await page.getByRole('searchbox', { name: 'Search samples' }).fill('major');
    await until(() => rowNames(page), (names) => names.join() === 'triads/C4_major.wav,triads/G4_major.wav', 'the two major chords');

    await page.getByRole('searchbox', { name: 'Search samples' }).fill('');
    await page.getByRole('combobox', { name: 'Label filter' }).selectOption('pads');
    await until(() => rowNames(page), (names) => names.join() === 'pads/warm-pad.wav', 'the pad only');
    await page.getByRole('button', { name: 'Reset filters' }).first().click();
    await until(() => rowNames(page), (names) => names.length === 7, 'all rows again');
  });

  it('auditions a sample with a moving playhead and stops on Escape', async () => {
    const row = sampleRow(page, 'triads/C4_major.wav');
    await row.getByRole('button', { name: 'Play triads/C4_major.wav' }).click();
    await visible(page.getByRole('status', { name: 'Audio engine: running' }));
    const playhead = row.getByTestId('playhead');
    await visible(playhead);
    const leftOf = () => playhead.evaluate((el) => (el as HTMLElement).style.left);
    const first = await leftOf();
    const later = await until(leftOf, (left) => left !== first && Number.parseFloat(left) > Number.parseFloat(first), 'the playhead to move', 3000);
    expect(Number.parseFloat(later)).toBeGreaterThan(Number.parseFloat(first));
    await screenshot(page, 'library-audition');

    // The grid has focus after the click: Escape stops, Space plays the selected row again.
    await page.keyboard.press('Escape');
    await gone(playhead);
    await page.keyboard.press('Space');
    await visible(playhead);
    await page.keyboard.press('Space');
    await gone(playhead);
  });

  it('labels one sample inline and several by selection', async () => {
    // Keyboard: move to the pad (sorted by name it is the first row), Enter edits, Enter saves.
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const field = await visible(page.getByRole('combobox', { name: 'Label of pads/warm-pad.wav' }));
    await field.fill('warm pad');
    await page.keyboard.press('Enter');
    await visible(sampleRow(page, 'pads/warm-pad.wav').getByText('warm pad', { exact: true }));

    // Escape cancels an edit.
    await page.keyboard.press('Enter');
    await visible(field);
    await field.fill('discarded');
    await page.keyboard.press('Escape');
    await gone(field);
    await visible(sampleRow(page, 'pads/warm-pad.wav').getByText('warm pad', { exact: true }));

    // Mouse: click one chord, Ctrl/Cmd+click another, label both from the selection bar.
    await sampleRow(page, 'triads/A3_minor.wav').locator('.cell-name').click();
    await sampleRow(page, 'triads/E4_minor.wav').locator('.cell-name').click({ modifiers: [MOD] });
    const bar = await visible(page.getByRole('form', { name: 'Label selected samples' }));
    expect(await bar.textContent()).toContain('2 selected');
    await bar.getByRole('combobox', { name: 'Label for the selected samples' }).fill('sad');
    await bar.getByRole('button', { name: 'Set label' }).click();
    await visible(sampleRow(page, 'triads/A3_minor.wav').getByText('sad', { exact: true }));
    await visible(sampleRow(page, 'triads/E4_minor.wav').getByText('sad', { exact: true }));
    await screenshot(page, 'library-labels');

    // Shift+click selects from the last plain click; Ctrl/Cmd+A takes everything.
    await sampleRow(page, 'triads/A3_minor.wav').locator('.cell-name').click();
    await sampleRow(page, 'triads/E4_minor.wav').locator('.cell-name').click({ modifiers: ['Shift'] });
    await until(() => bar.textContent(), (text) => text?.includes('4 selected') ?? false, 'A3…E4, four rows');
    await page.keyboard.press(`${MOD}+A`);
    await until(() => bar.textContent(), (text) => text?.includes('7 selected') ?? false, 'all seven selected');
    await page.keyboard.press('Escape');
    await gone(bar);
  });

  it('labels by file-name pattern with a live preview', async () => {
    await page.getByRole('button', { name: 'Label from file names…' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Label from file names' }));
    const pattern = dialog.getByRole('textbox', { name: 'Pattern' });
    expect(await pattern.inputValue()).toBe('{root}{octave}_{quality}');
    const counts = dialog.getByRole('status');
    // The broken file's name fits the pattern too (labels do not care whether it decodes).
    await until(() => counts.textContent(), (t) => /6\s*match/.test(t ?? '') && /1\s*do not/.test(t ?? ''), 'the preview counts');
    // By default the last placeholder is the label; the others can be added.
    await visible(dialog.getByRole('cell', { name: 'major', exact: true }).first());
    expect(await dialog.getByRole('checkbox', { name: '{quality}' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: '{root}' }).isChecked()).toBe(false);
    await dialog.getByRole('checkbox', { name: '{root}' }).check();
    await visible(dialog.getByRole('cell', { name: 'C major', exact: true }));
    await screenshot(page, 'library-pattern-dialog');
    await dialog.getByRole('checkbox', { name: '{root}' }).uncheck();
    await visible(dialog.getByRole('cell', { name: 'major', exact: true }).first());

    // A pattern that fits nothing previews as such; Apply is off.
    await pattern.fill('{n}-{name}');
    await until(() => counts.textContent(), (t) => /0\s*match/.test(t ?? ''), 'no matches');
    expect(await dialog.getByRole('button', { name: /^Apply/ }).isDisabled()).toBe(true);

    await pattern.fill('{root}{octave}_{quality}');
    await until(() => counts.textContent(), (t) => /6\s*match/.test(t ?? ''), 'six matches again');
    await dialog.getByRole('button', { name: 'Apply to 6' }).click();
    await gone(dialog);
    await visible(page.getByRole('status').filter({ hasText: 'Labelled 6 samples from their file names' }));
    await visible(sampleRow(page, 'triads/A3_minor.wav').getByText('minor', { exact: true }));

    await page.getByRole('combobox', { name: 'Label filter' }).selectOption('major');
    await until(() => rowNames(page), (names) => names.join() === 'triads/C4_major.wav,triads/G4_major.wav', 'the majors by label');
  });

  it('keeps labels over a reload', async () => {
    await page.reload();
    await waitForStudio(page);
    await visible(page.getByRole('heading', { level: 1, name: LIBRARY }));
    await visible(sampleRow(page, 'pads/warm-pad.wav').getByText('warm pad', { exact: true }));
    await visible(sampleRow(page, 'triads/C4_major.wav').getByText('major', { exact: true }));
    await visible(sampleRow(page, 'triads/B3_diminished.wav').getByText('diminished', { exact: true }));
    await screenshot(page, 'library-browser');
    await page.keyboard.press(`${MOD}+Shift+L`);
    await screenshot(page, 'library-browser-light');
    await page.keyboard.press(`${MOD}+Shift+L`);
  });

  it('explains that a browser cannot import dropped files, and points at the path field', async () => {
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['RIFF'], 'kick.wav', { type: 'audio/wav' }));
      for (const type of ['dragenter', 'dragover']) window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await visible(page.getByText('Dropping files needs the desktop app'));
    await screenshot(page, 'library-drop-serve');
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['RIFF'], 'kick.wav', { type: 'audio/wav' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await visible(page.getByRole('status').filter({ hasText: 'Type the folder’s path to import' }));
    const path = await visible(page.getByRole('textbox', { name: 'Folder path' }));
    expect(await path.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('rescans, then removes the library without touching its files', async () => {
    await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: new RegExp(LIBRARY) }).click();
    await visible(page.getByRole('heading', { level: 1, name: LIBRARY }));
    await page.getByRole('button', { name: 'Rescan' }).click();
    const toast = await visible(page.getByRole('status').filter({ hasText: `Rescan ${LIBRARY}: done` }), 20_000);
    expect(await toast.textContent()).toContain('6 unchanged');

    await page.getByRole('button', { name: 'Remove…' }).click();
    const confirm = await visible(page.getByRole('alertdialog', { name: `Remove “${LIBRARY}” from the studio?` }));
    expect(await confirm.textContent()).toContain('are not touched');
    await screenshot(page, 'library-remove-confirm');
    await confirm.getByRole('button', { name: 'Remove library' }).click();
    await gone(confirm);
    await visible(page.getByRole('heading', { level: 1, name: 'All libraries' }));
    expect(await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: new RegExp(LIBRARY) }).count()).toBe(0);
    expect(existsSync(join(folder.path, 'triads/C4_major.wav'))).toBe(true);
  });
});

/** Seeds a data dir's database with one library of `count` decoded-looking samples (the files need not exist). */
function seedLibrary(dataDir: string, name: string, count: number): void {
  const db = openDatabase(databasePath(dataDir));
  try {
    const libraryId = newId();
    const now = nowIso();
    db.prepare(`INSERT INTO libraries (id, name, root_path, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(libraryId, name, join(dataDir, 'nowhere'), now, now);
    // A plausible little waveform: 64 (min, max) byte pairs of a decaying tone.
    const peaks = Buffer.alloc(128);
    for (let i = 0; i < 64; i++) {
      const a = Math.round(110 * Math.exp(-i / 20));
      peaks.writeInt8(-a, 2 * i);
      peaks.writeInt8(a, 2 * i + 1);
    }
    const insert = db.prepare(
      `INSERT INTO samples (id, library_id, rel_path, size, mtime_ms, codec, sample_format, bit_depth, sample_rate, channels, frames, duration, peaks, label, missing, imported_at)
       VALUES (?, ?, ?, 32044, 0, 'pcm', 'int', 16, 16000, 1, 16000, 1, ?, ?, 0, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) insert.run(newId(), libraryId, `bulk/hit-${String(i).padStart(5, '0')}.wav`, peaks, i % 2 ? 'odd' : 'even', now);
    })();
  } finally {
    db.close();
  }
}

describe('sample list virtualisation (e2e)', () => {
  let studio: StudioSession | undefined;
  let page: Page;
  const ROWS = 20_000;

  beforeAll(async () => {
    studio = await openStudio({ colorScheme: 'dark' }, { prepareDataDir: (dir) => seedLibrary(dir, 'Twenty thousand', ROWS) });
    page = studio.page;
    await waitForStudio(page);
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    await studio?.close();
  });

  it('renders a bounded number of rows and reaches the last one with End', async () => {
    await page.getByRole('list', { name: 'Libraries' }).getByRole('button', { name: /Twenty thousand/ }).click();
    const grid = await visible(page.getByRole('grid', { name: 'Samples' }));
    await visible(sampleRow(page, 'bulk/hit-00000.wav'));
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(ROWS + 1));
    const rowCount = () => grid.locator('[role="row"]').count();
    expect(await rowCount()).toBeLessThan(100);

    await sampleRow(page, 'bulk/hit-00000.wav').locator('.cell-name').click();
    const started = Date.now();
    await page.keyboard.press('End');
    const last = await visible(sampleRow(page, `bulk/hit-${String(ROWS - 1).padStart(5, '0')}.wav`));
    const elapsed = Date.now() - started;
    expect(await last.getAttribute('aria-selected')).toBe('true');
    expect(await rowCount()).toBeLessThan(100);
    expect(elapsed, 'End should show the last row promptly').toBeLessThan(3000);

    // Scrolling through the middle by page keys stays bounded as well.
    await page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await page.keyboard.press('PageDown');
    await visible(grid.locator('[role="row"][aria-selected="true"]'));
    expect(await rowCount()).toBeLessThan(100);
    await screenshot(page, 'library-20k');
  });
});
