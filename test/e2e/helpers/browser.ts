/**
 * Debian's Chromium driven by playwright-core (no downloaded browsers), with every console error,
 * uncaught page error and CSP violation of a page collected so a test can fail on them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './serve';

export const CHROMIUM_PATH = process.env.WAVEHOUSE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(repoRoot, 'test-artifacts/e2e');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far, in order. */
  problems: string[];
}

/** Opens `url` in a fresh context (own storage) and starts collecting problems before the first script runs. */
export async function openWatchedPage(
  browser: Browser,
  url: string,
  { colorScheme = 'dark', viewport = { width: 1280, height: 800 } }: { colorScheme?: 'dark' | 'light'; viewport?: { width: number; height: number } } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ colorScheme, viewport, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // CSP violations arrive as console errors ("Refused to execute inline script…"), so this covers them.
    if (message.type() === 'error') {
      const where = message.location().url;
      problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  return { context, page, problems };
}

/** Saves a full-window screenshot as test-artifacts/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  // Freeze animations and hide the caret so screenshots are comparable run to run.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}
