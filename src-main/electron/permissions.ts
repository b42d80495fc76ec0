/**
 * Web permissions in the studio window: the studio needs none (audio output, Web Audio and its
 * own protocol need no grant), so every request and every check is refused. A compromised or
 * confused renderer therefore cannot reach the camera, microphone, USB/HID/serial devices,
 * notifications, the clipboard or geolocation. Screen capture stays refused by Electron's default
 * (no display-media handler is installed).
 */

/** The part of Electron's Session used here, typed structurally so Node-side tests need no 'electron'. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details?: unknown) => boolean): void;
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void;
}

/** Installs deny-everything permission handlers; `log` hears each refused request once per permission. */
export function denyAllPermissions(session: PermissionSession, log: (message: string) => void = () => undefined): void {
  const reported = new Set<string>();
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    if (!reported.has(permission)) {
      reported.add(permission);
      log(`refused the '${String(permission)}' permission (the studio grants none)`);
    }
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}
