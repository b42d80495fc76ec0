/**
 * Web permissions in the studio window. The studio needs exactly one: 'midi', so the Instrument view
 * can hear MIDI keyboards, and only for its own page (wavehouse://app, or the dev server in
 * development), only in the main frame. Everything else is refused, requests and checks alike —
 * 'midiSysex' too (system-exclusive messages can rewrite a device's firmware and the instrument reads
 * notes only), as are the camera, microphone, USB/HID/serial devices, notifications, the clipboard and
 * geolocation — so a compromised or confused renderer cannot reach them. Screen capture stays refused
 * by Electron's default (no display-media handler is installed).
 */
import { APP_ORIGIN, isTrustedSender } from './senders';

/** The part of Electron's Session used here, typed structurally so Node-side tests need no 'electron'. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details?: unknown) => boolean): void;
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void;
}

/** The only permissions the studio grants (to its own page). */
export const GRANTED_PERMISSIONS: readonly string[] = ['midi'];

interface Details {
  requestingUrl?: unknown;
  isMainFrame?: unknown;
  securityOrigin?: unknown;
}

/** Whether an origin string ("wavehouse://app", maybe with a trailing slash) is the studio's own. */
function ownOrigin(origin: unknown, devUrl?: string): boolean {
  if (typeof origin !== 'string' || origin === '') return false;
  const bare = origin.replace(/\/$/, '');
  if (bare === APP_ORIGIN) return true;
  if (!devUrl) return false;
  try {
    return new URL(devUrl).origin === bare;
  } catch {
    return false;
  }
}

/** Whether `permission` may be granted to the frame `details` describes. */
export function mayGrant(permission: string, details: unknown, requestingOrigin?: string, devUrl?: string): boolean {
  if (!GRANTED_PERMISSIONS.includes(permission)) return false;
  const d = (details && typeof details === 'object' ? details : {}) as Details;
  // Only the top frame: an iframe (even of our origin) has no business with devices.
  if (d.isMainFrame === false) return false;
  const url = typeof d.requestingUrl === 'string' ? d.requestingUrl : undefined;
  if (url !== undefined && !isTrustedSender(url, devUrl)) return false;
  if (requestingOrigin !== undefined && !ownOrigin(requestingOrigin, devUrl)) return false;
  if (typeof d.securityOrigin === 'string' && !ownOrigin(d.securityOrigin, devUrl)) return false;
  // Something must say who asks: an answer with no origin at all is a refusal.
  return url !== undefined || requestingOrigin !== undefined;
}

/**
 * Installs the permission handlers: MIDI for the studio's own page, nothing else. `log` hears each
 * refused request once per permission.
 */
export function installPermissionHandlers(session: PermissionSession, log: (message: string) => void = () => undefined, devUrl?: string): void {
  const reported = new Set<string>();
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const granted = mayGrant(String(permission), details, undefined, devUrl);
    if (!granted && !reported.has(permission)) {
      reported.add(permission);
      log(`refused the '${String(permission)}' permission (the studio grants only MIDI, to its own page)`);
    }
    callback(granted);
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) => mayGrant(String(permission), details, requestingOrigin ?? '', devUrl));
  // USB/HID/serial/Bluetooth device choosers: none (Web MIDI does not go through this handler).
  session.setDevicePermissionHandler?.(() => false);
}
