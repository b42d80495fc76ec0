/**
 * Which links the studio window may hand to the user's browser (shell.openExternal): https only,
 * to hosts on this allow-list. A compromised renderer must not get file://, custom schemes or
 * arbitrary sites opened outside the sandbox.
 */

/** Hosts the studio may link to (the project's home; the UI has no external links today). */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com'];

/** Whether `url` may be opened in the user's browser. */
export function mayOpenExternally(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && hosts.includes(parsed.hostname);
}
