import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { installPermissionHandlers, mayGrant, type PermissionSession } from '../../../src-main/electron/permissions';

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

const OWN = { requestingUrl: 'wavehouse://app/index.html', isMainFrame: true };
const request = (h: ReturnType<typeof fakeSession>['h'], permission: string, details: unknown) => {
  const answers: boolean[] = [];
  h.request!({}, permission, (granted) => answers.push(granted), details);
  return answers;
};

// Everything but 'midi', including MIDI with system-exclusive messages.
const REFUSED = ['media', 'notifications', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'midiSysex', 'fullscreen', 'openExternal', 'pointerLock', 'fileSystem', 'hid', 'serial', 'usb', 'display-capture', 'speaker-selection', 'window-management', 'unknown'];

describe('permissions: MIDI for the studio page, nothing else', () => {
  it("grants 'midi' to the studio's own page, requests and checks alike", () => {
    const { session, h } = fakeSession();
    installPermissionHandlers(session);
    expect(request(h, 'midi', OWN)).toEqual([true]);
    expect(h.check!({}, 'midi', 'wavehouse://app', { requestingUrl: 'wavehouse://app/index.html', isMainFrame: true, securityOrigin: 'wavehouse://app/' })).toBe(true);
    expect(h.check!({}, 'midi', 'wavehouse://app/', {})).toBe(true);
  });

  it('refuses every other permission to the studio page, each reported once', () => {
    const { session, h } = fakeSession();
    const log: string[] = [];
    installPermissionHandlers(session, (m) => log.push(m));
    for (const p of [...REFUSED, 'media']) {
      expect([p, request(h, p, OWN)]).toEqual([p, [false]]);
      expect([p, h.check!({}, p, 'wavehouse://app', OWN)]).toEqual([p, false]);
    }
    expect(log).toHaveLength(REFUSED.length);
    expect(log.join('\n')).toMatch(/'midiSysex'/);
    expect(h.device!({ deviceType: 'usb', origin: 'wavehouse://app' })).toBe(false);
  });

  it("refuses 'midi' to any other origin, to iframes, and when no origin is given", () => {
    const { session, h } = fakeSession();
    installPermissionHandlers(session);
    for (const details of [
      { requestingUrl: 'https://evil.example/', isMainFrame: true },
      { requestingUrl: 'wavehouse://app.evil/index.html', isMainFrame: true },
      { requestingUrl: 'wavehouse://media/take/x', isMainFrame: true },
      { requestingUrl: 'http://127.0.0.1:5173/', isMainFrame: true }, // the dev server, but not in development
      { requestingUrl: 'wavehouse://app/index.html', isMainFrame: false },
      { requestingUrl: 'wavehouse://app/index.html', isMainFrame: true, securityOrigin: 'https://evil.example' },
      {},
      undefined,
    ]) {
      expect([details, request(h, 'midi', details)]).toEqual([details, [false]]);
    }
    for (const origin of ['https://evil.example', 'wavehouse://appx', 'null', '', 'file://']) expect([origin, h.check!({}, 'midi', origin, {})]).toEqual([origin, false]);
    expect(h.check!({}, 'midi', 'wavehouse://app', { isMainFrame: false })).toBe(false);
  });

  it('in development grants MIDI to the dev server origin only', () => {
    expect(mayGrant('midi', { requestingUrl: 'http://localhost:5173/index.html', isMainFrame: true }, undefined, 'http://localhost:5173/')).toBe(true);
    expect(mayGrant('midi', {}, 'http://localhost:5173', 'http://localhost:5173/')).toBe(true);
    expect(mayGrant('midi', { requestingUrl: 'http://localhost:5174/', isMainFrame: true }, undefined, 'http://localhost:5173/')).toBe(false);
    expect(mayGrant('midiSysex', { requestingUrl: 'http://localhost:5173/', isMainFrame: true }, undefined, 'http://localhost:5173/')).toBe(false);
  });

  it('works with a session that has no device handler (older Electron)', () => {
    const { session, h } = fakeSession();
    delete session.setDevicePermissionHandler;
    installPermissionHandlers(session);
    expect(h.check!({}, 'media', 'wavehouse://app')).toBe(false);
  });

  it('the Electron shell installs it on the default session', () => {
    const shell = readFileSync(new URL('../../../src-main/index.ts', import.meta.url), 'utf8');
    expect(shell).toMatch(/installPermissionHandlers\(session\.defaultSession\b/);
    // No other handler may grant anything behind its back.
    expect(shell).not.toMatch(/setPermission(Request|Check)Handler/);
  });
});
