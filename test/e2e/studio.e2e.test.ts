/**
 * The studio frame, end to end: the real `wavehouse serve` on a temp data dir, the built renderer in
 * Debian's headless Chromium, driven as a user would — keyboard first, then mouse. Requires a build
 * (`npx electron-vite build`); fails with that instruction otherwise.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeManyWavs } from '../helpers/audio-files';
import { tempDir } from '../helpers/tmp';
import { screenshot } from './helpers/browser';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { MOD, currentTheme, gone, visible, waitForStudio } from './helpers/ui';

const PROJECT = 'Felt piano';
const RENAMED = 'Felt piano (soft)';

describe('studio frame (e2e)', () => {
  let studio: StudioSession | undefined;
  let page: Page;

  beforeAll(async () => {
    studio = await openStudio({ colorScheme: 'dark' });
    page = studio.page;
    await waitForStudio(page);
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    await studio?.close();
  });

  it('opens connected, without the token in the address, in the OS theme', async () => {
    expect(page.url()).not.toContain('token');
    expect(await currentTheme(page)).toBe('dark');
    await visible(page.getByRole('heading', { level: 1, name: 'All libraries' }));
    await visible(page.getByRole('toolbar', { name: 'Transport' }));
    await visible(page.getByRole('form', { name: 'Import folder' }));
    await screenshot(page, 'library-dark');
  });

  it('creates a project from the keyboard and shows it', async () => {
    await page.keyboard.press(`${MOD}+N`);
    const dialog = await visible(page.getByRole('dialog', { name: 'New project' }));
    // The name field has focus as soon as the dialog opens.
    await page.keyboard.type(PROJECT);
    expect(await dialog.getByRole('textbox', { name: 'Name' }).inputValue()).toBe(PROJECT);
    // Tab to the preset radio group and pick Studio with the arrow key, as in any radio group.
    await page.keyboard.press('Tab');
    expect(await dialog.getByRole('radio', { name: /Sketch/ }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await dialog.getByRole('radio', { name: /Studio/ }).isChecked()).toBe(true);
    await screenshot(page, 'new-project-dialog-dark');
    await page.keyboard.press('Enter');

    await gone(dialog);
    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 1, name: PROJECT }));
    await visible(main.getByText('Studio preset'));
    await visible(main.getByText('Receptive field'));
    expect(await main.getByText('Parameters').count()).toBeGreaterThan(0);
    const entry = page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: new RegExp(PROJECT) });
    expect(await (await visible(entry)).getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'project-dark');
  });

  it('keeps the project and the open view across a reload', async () => {
    await page.reload();
    await waitForStudio(page);
    await visible(page.getByRole('main').getByRole('heading', { level: 1, name: PROJECT }));
    await visible(page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: new RegExp(PROJECT) }));
    expect(page.url()).not.toContain('token');
  });

  it('shows the backend’s validation errors next to the name field', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'New project' }));
    const name = dialog.getByRole('textbox', { name: 'Name' });

    // Blank (after trimming) is rejected by the contract.
    await name.fill('   ');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await visible(dialog.getByRole('alert').filter({ hasText: 'A name is required' }));
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);

    // A taken name is a conflict, reported on the same field.
    await name.fill(PROJECT);
    expect(await name.getAttribute('aria-invalid')).toBe('false');
    await page.keyboard.press('Enter');
    await visible(dialog.getByRole('alert').filter({ hasText: 'already exists' }));
    await screenshot(page, 'new-project-error-dark');

    // Custom config values are checked by the backend too; the error lands on the offending field.
    await name.fill('Deep stack');
    await dialog.getByRole('radio', { name: /Custom/ }).check();
    const stacks = dialog.getByRole('spinbutton', { name: 'Stacks' });
    expect(await stacks.inputValue()).toBe('2'); // prefilled from the Sketch preset
    await stacks.fill('99');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await visible(dialog.getByRole('alert').filter({ hasText: /8/ }));
    expect(await stacks.getAttribute('aria-invalid')).toBe('true');
    expect(await name.getAttribute('aria-invalid')).toBe('false');
    await screenshot(page, 'new-project-custom-error-dark');

    await page.keyboard.press('Escape');
    await gone(dialog);
    expect(await page.getByRole('list', { name: 'Projects' }).getByRole('button').count()).toBe(1);
  });

  it('switches theme, remembers it over a reload, and switches back by shortcut', async () => {
    const toggle = page.getByRole('switch', { name: 'Dark theme' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    expect(await currentTheme(page)).toBe('light');
    await screenshot(page, 'project-light');

    await page.reload();
    await waitForStudio(page);
    expect(await currentTheme(page)).toBe('light');
    await page.getByRole('button', { name: 'All libraries' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'All libraries' }));
    await screenshot(page, 'library-light');
    await page.keyboard.press(`${MOD}+N`);
    const dialog = await visible(page.getByRole('dialog', { name: 'New project' }));
    await screenshot(page, 'new-project-dialog-light');
    await page.keyboard.press('Escape');
    await gone(dialog);

    await page.keyboard.press(`${MOD}+Shift+L`);
    expect(await currentTheme(page)).toBe('dark');
  });

  it('shows the shortcuts overlay on ? and closes it with Escape', async () => {
    await page.locator('body').click({ position: { x: 600, y: 300 } });
    await page.keyboard.press('?');
    const overlay = await visible(page.getByRole('dialog', { name: 'Keyboard shortcuts' }));
    await visible(overlay.getByText('New project'));
    await screenshot(page, 'shortcuts-dark');
    await page.keyboard.press('Escape');
    await gone(overlay);
  });

  it('focuses the import path with Ctrl+I and shows the backend’s error for a bad folder', async () => {
    await page.keyboard.press(`${MOD}+I`);
    const path = page.getByRole('textbox', { name: 'Folder path' });
    await visible(path);
    expect(await path.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('relative/not-a-folder');
    await page.keyboard.press('Enter');
    // Whatever the backend says about this path, it must be shown, not swallowed.
    const form = page.getByRole('form', { name: 'Import folder' });
    await visible(form.getByRole('alert'));
    await screenshot(page, 'import-error-dark');
  });

  it('lists a running import in the jobs panel and cancels it', async () => {
    // Enough small files that the import is still running when Cancel is clicked (about 4 s here).
    const folder = tempDir('wavehouse-e2e-library-');
    try {
      writeManyWavs(folder.path, 4000, { seconds: 0.1, rate: 16000, channels: 1 });
      const path = page.getByRole('textbox', { name: 'Folder path' });
      await path.fill(folder.path);
      await page.getByRole('textbox', { name: 'Library name' }).fill('Many clicks');
      await page.getByRole('form', { name: 'Import folder' }).getByRole('button', { name: 'Import' }).click();

      const jobs = page.getByRole('region', { name: 'Jobs' });
      const row = await visible(jobs.getByRole('listitem').filter({ hasText: 'Many clicks' }));
      await visible(row.getByRole('progressbar'));
      await visible(page.getByText('1 job running'));
      await screenshot(page, 'job-running-dark');
      await row.getByRole('button', { name: /^Cancel/ }).click();
      await visible(page.getByRole('status').filter({ hasText: 'was cancelled' }));
      await gone(row);
      await visible(page.getByText('No jobs running'));
    } finally {
      folder.cleanup();
    }
  });

  it('renames with F2 and deletes after confirmation', async () => {
    await page.getByRole('list', { name: 'Projects' }).getByRole('button', { name: new RegExp(PROJECT) }).click();
    const main = page.getByRole('main');
    await visible(main.getByRole('heading', { level: 1, name: PROJECT }));
    await page.keyboard.press('F2');
    const field = await visible(main.getByRole('textbox', { name: 'Project name' }));
    await field.fill(RENAMED);
    await page.keyboard.press('Enter');
    await visible(main.getByRole('heading', { level: 1, name: RENAMED }));

    await main.getByRole('button', { name: 'Delete' }).click();
    const confirm = await visible(page.getByRole('alertdialog', { name: `Delete “${RENAMED}”?` }));
    await screenshot(page, 'delete-confirm-dark');
    await confirm.getByRole('button', { name: 'Delete project' }).click();
    await gone(confirm);
    await visible(page.getByRole('heading', { level: 1, name: 'All libraries' }));
    expect(await page.getByRole('list', { name: 'Projects' }).count()).toBe(0);
  });
});
