/**
 * One call for an e2e suite: the real server on a temp data dir plus Chromium on its page, and one
 * `close()` that tears both down whatever state they are in.
 */
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, openWatchedPage, type WatchedPage } from './browser';
import { assertRendererBuilt, startServe, type ServedStudio, type ServeOptions } from './serve';

export interface StudioSession extends WatchedPage {
  server: ServedStudio;
  browser: Browser;
  close(): Promise<void>;
}

export async function openStudio(options: Parameters<typeof openWatchedPage>[2] = {}, serveOptions: ServeOptions = {}): Promise<StudioSession> {
  assertRendererBuilt();
  const server = await startServe(serveOptions);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const watched = await openWatchedPage(browser, server.openUrl, options);
    const session: StudioSession = {
      ...watched,
      server,
      browser,
      async close() {
        // Each step on its own: a failure closing the browser must not leave the server running.
        await browser?.close().catch(() => undefined);
        await server.stop();
      },
    };
    return session;
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}

/** Fails the current test if the page logged a console error, threw, or hit a CSP violation since the last check. */
export function expectNoPageProblems(studio: StudioSession | undefined): void {
  const problems = studio?.problems.splice(0) ?? [];
  expect(problems, 'the page reported problems').toEqual([]);
}
