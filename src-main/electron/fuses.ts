/**
 * Electron fuses for every packaged build: bits in the Electron binary, flipped at package time
 * (before code signing, which then protects them), that switch off ways to run code in the app
 * other than its own: ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect, and loading the app from
 * anywhere but its (integrity-checked) app.asar. Flipping uses @electron/fuses; reading back is
 * done here, independently, so a build whose fuses did not take is refused. No 'electron' import.
 */
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Fuse names in wire order (the index is the fuse's position in the binary; @electron/fuses FuseV1Options). */
export const FUSE_WIRE_V1 = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
] as const;
export type FuseName = (typeof FUSE_WIRE_V1)[number];

/** The fuses Wavehouse ships with. */
export const WAVEHOUSE_FUSES: Record<FuseName, boolean> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The studio serves its pages over wavehouse://, never file://.
  GrantFileProtocolExtraPrivileges: false,
};

/** Marks the fuse wire in the binary: sentinel, version byte, length byte, one byte per fuse. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = 0x31;
const OFF = 0x30;
const REMOVED = 0x72;

export type FuseState = 'on' | 'off' | 'removed' | 'unknown';

/** The config @electron/fuses' flipFuses takes: version '1' and one boolean per wire index. */
export function flipFusesConfig(fuses: Record<FuseName, boolean>, resetAdHocDarwinSignature: boolean): Record<string, unknown> {
  const config: Record<string, unknown> = { version: '1', resetAdHocDarwinSignature };
  FUSE_WIRE_V1.forEach((name, index) => (config[index] = fuses[name]));
  return config;
}

/** What electron-builder hands an afterPack hook (the fields used here). */
export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

/** The Electron executable inside a packed app folder. */
export function packedElectronBinary(ctx: PackContext): string {
  const name = ctx.packager.appInfo.productFilename;
  if (ctx.electronPlatformName === 'darwin' || ctx.electronPlatformName === 'mas') return join(ctx.appOutDir, `${name}.app`);
  if (ctx.electronPlatformName === 'win32') return join(ctx.appOutDir, `${name}.exe`);
  return join(ctx.appOutDir, ctx.packager.executableName ?? name.toLowerCase());
}

/** The file that holds the fuse wire: on macOS the framework inside the bundle, elsewhere the executable. */
export function fuseFile(binary: string): string {
  if (binary.endsWith('.app')) return resolve(binary, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework');
  return binary;
}

/** Reads a binary's fuse states (first wire found), streaming it in chunks; throws when it has no fuse wire. */
export async function readFuses(binary: string, chunkBytes = 4 * 1024 * 1024): Promise<Record<FuseName, FuseState>> {
  const sentinel = Buffer.from(FUSE_SENTINEL, 'latin1');
  const fh = await open(fuseFile(binary), 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(chunkBytes + sentinel.length + 2 + 255);
    for (let at = 0; at < size; at += chunkBytes) {
      // Each chunk overlaps the next by a sentinel and a whole wire, so neither can straddle unseen.
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      const i = buf.subarray(0, bytesRead).indexOf(sentinel);
      if (i < 0 || i >= chunkBytes) continue;
      const version = buf[i + sentinel.length];
      const length = buf[i + sentinel.length + 1];
      if (version !== 1) throw new Error(`${binary}: fuse wire version ${version}, only version 1 is known`);
      const wire = buf.subarray(i + sentinel.length + 2, i + sentinel.length + 2 + length);
      const states = {} as Record<FuseName, FuseState>;
      FUSE_WIRE_V1.forEach((name, k) => {
        const b = wire[k];
        states[name] = k >= wire.length ? 'unknown' : b === ON ? 'on' : b === OFF ? 'off' : b === REMOVED ? 'removed' : 'unknown';
      });
      return states;
    }
    throw new Error(`${binary}: no Electron fuse wire found (fuses exist from Electron 12 on)`);
  } finally {
    await fh.close();
  }
}

/** Each fuse whose state differs from what we ship ("RunAsNode is on, must be off"); empty when all match. */
export function fuseMismatches(states: Record<FuseName, FuseState>, want: Record<FuseName, boolean> = WAVEHOUSE_FUSES): string[] {
  return FUSE_WIRE_V1.filter((n) => states[n] !== (want[n] ? 'on' : 'off') && !(states[n] === 'removed' && !want[n])).map(
    (n) => `${n} is ${states[n]}, must be ${want[n] ? 'on' : 'off'}`,
  );
}

/** The part of @electron/fuses used here. */
export interface FusesModule {
  flipFuses(pathToElectron: string, config: Record<string, unknown>): Promise<number>;
}

/**
 * Flips our fuses in a packaged binary with @electron/fuses, then reads them back and throws if any
 * did not take: a build must never ship with RunAsNode or --inspect still available.
 */
export async function applyFuses(binary: string, opts: { platform: string; load?: () => Promise<FusesModule> }): Promise<Record<FuseName, FuseState>> {
  let fuses: FusesModule;
  try {
    fuses = await (opts.load ?? (() => import('@electron/fuses' as string) as Promise<FusesModule>))();
  } catch (err) {
    throw new Error(`cannot flip Electron fuses: @electron/fuses is not installed (npm i -D @electron/fuses@^2.1.3); refusing to package without them (${(err as Error).message})`);
  }
  // An ad-hoc signature must be renewed on macOS after the binary changed, or arm64 Macs refuse to start it.
  await fuses.flipFuses(binary, flipFusesConfig(WAVEHOUSE_FUSES, opts.platform === 'darwin' || opts.platform === 'mas'));
  const states = await readFuses(binary);
  const wrong = fuseMismatches(states);
  if (wrong.length) throw new Error(`Electron fuses did not take in ${binary}: ${wrong.join('; ')}`);
  return states;
}
