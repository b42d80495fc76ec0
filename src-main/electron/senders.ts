/** The studio page's origin in Electron (the privileged custom scheme). */
export const APP_ORIGIN = 'wavehouse://app';

/**
 * Whether an IPC message came from our own page: the packaged renderer under wavehouse://app/, or the
 * electron-vite dev server in development. Anything else (a navigated-away frame, an iframe) is refused.
 */
export function isTrustedSender(url: string | undefined | null, devUrl?: string): boolean {
  if (!url) return false;
  if (url.startsWith(`${APP_ORIGIN}/`)) return true;
  if (!devUrl) return false;
  try {
    return new URL(url).origin === new URL(devUrl).origin;
  } catch {
    return false;
  }
}
