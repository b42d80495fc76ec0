/** Small waits on top of playwright-core locators (playwright-core has no `expect` of its own). */
import type { Locator, Page } from 'playwright-core';

const DEFAULT_TIMEOUT = 10_000;

export async function visible(locator: Locator, timeout = DEFAULT_TIMEOUT): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

export async function gone(locator: Locator, timeout = DEFAULT_TIMEOUT): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout });
}

/** Waits until the studio is connected and has loaded its lists. */
export async function waitForStudio(page: Page): Promise<void> {
  await visible(page.getByRole('status', { name: 'Connection: Connected' }));
  await visible(page.getByRole('navigation', { name: 'Studio' }));
}

/** The theme the page currently shows (`data-theme` on <html>). */
export function currentTheme(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.documentElement.dataset.theme);
}

/** The press chord for the platform's command key ("Control" here; "Meta" on macOS). */
export const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';
