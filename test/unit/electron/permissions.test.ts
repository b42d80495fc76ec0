import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, type PermissionSession } from '../../../src-main/electron/permissions';

/** A stand-in for Electron's Session that records the handlers installed on it. */
function fakeSession() {
  const h: { request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0]; check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0]; device?: (d: unknown) => boolean } = {};
  const session: PermissionSession = {
    setPermissionRequestHandler: (f) => void (h.request = f),
    setPermissionCheckHandler: (f) => void (h.check = f),
    setDevicePermissionHandler: (f) => void (h.device = f),
  };
  return { session, h };
}

const PERMISSIONS = ['media', 'notifications', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'midi', 'midiSysex', 'fullscreen', 'openExternal', 'pointerLock', 'fileSystem', 'hid', 'serial', 'usb', 'display-capture', 'speaker-selection', 'window-management', 'unknown'];

describe('permissions stay deny-by-default', () => {
  it('refuses every request once, and every check and device request', () => {
    const { session, h } = fakeSession();
    const log: string[] = [];
    denyAllPermissions(session, (m) => log.push(m));
    for (const p of [...PERMISSIONS, 'media']) {
      const answers: boolean[] = [];
      h.request!({}, p, (granted) => answers.push(granted), { requestingUrl: 'wavehouse://app/index.html' });
      expect([p, answers]).toEqual([p, [false]]);
      expect([p, h.check!({}, p, 'wavehouse://app', {})]).toEqual([p, false]);
    }
    expect(h.device!({ deviceType: 'usb', origin: 'wavehouse://app' })).toBe(false);
    expect(log).toHaveLength(PERMISSIONS.length); // each permission reported once
  });

  it('works with a session that has no device handler (older Electron)', () => {
    const { session, h } = fakeSession();
    delete session.setDevicePermissionHandler;
    denyAllPermissions(session);
    expect(h.check!({}, 'media', 'x')).toBe(false);
  });

  it('the Electron shell installs it on the default session', () => {
    const shell = readFileSync(new URL('../../../src-main/index.ts', import.meta.url), 'utf8');
    expect(shell).toMatch(/denyAllPermissions\(session\.defaultSession\b/);
    // No other handler may grant anything behind its back.
    expect(shell).not.toMatch(/setPermission(Request|Check)Handler/);
  });
});
