import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyFuses,
  FUSE_SENTINEL,
  FUSE_WIRE_V1,
  flipFusesConfig,
  fuseFile,
  fuseMismatches,
  packedElectronBinary,
  readFuses,
  WAVEHOUSE_FUSES,
  type FusesModule,
} from '../../../src-main/electron/fuses';
import { tempDir } from '../../helpers/tmp';

/** A stand-in Electron binary: filler bytes around a version-1 fuse wire with Electron's defaults (all on but the snapshot and file fuses). */
function fakeBinary(path: string, opts: { before?: number; wire?: string } = {}): void {
  const before = Buffer.alloc(opts.before ?? 5000, 0x41);
  const wire = opts.wire ?? '11110100';
  writeFileSync(path, Buffer.concat([before, Buffer.from(FUSE_SENTINEL, 'latin1'), Buffer.from([1, wire.length]), Buffer.from(wire, 'latin1'), Buffer.alloc(3000, 0x42)]));
}

/** Flips the wire the way @electron/fuses does (one byte per index, '0'/'1'), for the hook's read-back to check. */
const realisticFlip: FusesModule = {
  async flipFuses(path, config) {
    const bytes = readFileSync(path);
    const at = bytes.indexOf(Buffer.from(FUSE_SENTINEL, 'latin1')) + FUSE_SENTINEL.length + 2;
    for (const [k, v] of Object.entries(config)) if (/^\d+$/.test(k)) bytes[at + Number(k)] = v ? 0x31 : 0x30;
    writeFileSync(path, bytes);
    return 1;
  },
};

describe('Electron fuses for packaged builds', () => {
  const dir = tempDir();
  afterAll(dir.cleanup);

  it('ships with RunAsNode, NODE_OPTIONS and --inspect off, and the app only from an integrity-checked asar', () => {
    expect(WAVEHOUSE_FUSES).toMatchObject({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      OnlyLoadAppFromAsar: true,
      EnableEmbeddedAsarIntegrityValidation: true,
    });
    // The indexes @electron/fuses' FuseV1Options uses for them.
    const config = flipFusesConfig(WAVEHOUSE_FUSES, false);
    expect(config).toMatchObject({ version: '1', 0: false, 2: false, 3: false, 4: true, 5: true });
    expect(FUSE_WIRE_V1.indexOf('OnlyLoadAppFromAsar')).toBe(5);
  });

  it('finds the binary electron-builder packed on each platform', () => {
    const ctx = (p: string) => ({ appOutDir: '/out', electronPlatformName: p, packager: { appInfo: { productFilename: 'Wavehouse' }, executableName: 'wavehouse' } });
    expect(packedElectronBinary(ctx('linux'))).toBe('/out/wavehouse');
    expect(packedElectronBinary(ctx('win32'))).toBe('/out/Wavehouse.exe');
    expect(packedElectronBinary(ctx('darwin'))).toBe('/out/Wavehouse.app');
    expect(fuseFile('/out/Wavehouse.app')).toBe('/out/Wavehouse.app/Contents/Frameworks/Electron Framework.framework/Electron Framework');
  });

  it('reads the fuse wire, also when it straddles a read chunk', async () => {
    const p = join(dir.path, 'electron');
    fakeBinary(p, { before: 4090 });
    const states = await readFuses(p, 4096);
    expect(states).toEqual({
      RunAsNode: 'on', EnableCookieEncryption: 'on', EnableNodeOptionsEnvironmentVariable: 'on', EnableNodeCliInspectArguments: 'on',
      EnableEmbeddedAsarIntegrityValidation: 'off', OnlyLoadAppFromAsar: 'on', LoadBrowserProcessSpecificV8Snapshot: 'off', GrantFileProtocolExtraPrivileges: 'off',
    });
    expect(fuseMismatches(states)).toEqual([
      'RunAsNode is on, must be off',
      'EnableNodeOptionsEnvironmentVariable is on, must be off',
      'EnableNodeCliInspectArguments is on, must be off',
      'EnableEmbeddedAsarIntegrityValidation is off, must be on',
    ]);
    writeFileSync(join(dir.path, 'plain'), Buffer.alloc(10_000));
    await expect(readFuses(join(dir.path, 'plain'))).rejects.toThrow(/no Electron fuse wire/);
  });

  it('the hook flips and reads back; a flip that did not take, or a missing @electron/fuses, stops the build', async () => {
    const p = join(dir.path, 'packed');
    fakeBinary(p);
    const states = await applyFuses(p, { platform: 'linux', load: async () => realisticFlip });
    expect(fuseMismatches(states)).toEqual([]);
    // The bytes on disk changed, not just what the function returned.
    const raw = readFileSync(p);
    const at = raw.indexOf(Buffer.from(FUSE_SENTINEL, 'latin1')) + FUSE_SENTINEL.length + 2;
    expect(raw.subarray(at, at + 8).toString('latin1')).toBe('01001100');

    fakeBinary(p);
    const noop: FusesModule = { flipFuses: async () => 1 };
    await expect(applyFuses(p, { platform: 'linux', load: async () => noop })).rejects.toThrow(/did not take.*RunAsNode is on, must be off/);
    await expect(applyFuses(p, { platform: 'linux', load: () => import('@electron/fuses-not-here' as string) })).rejects.toThrow(/@electron\/fuses is not installed.*refusing to package/);
  });

  it('the real @electron/fuses flips the stand-in binary and the independent read-back agrees', async () => {
    const p = join(dir.path, 'real-flip');
    fakeBinary(p);
    // The default loader: the installed package, not a stand-in.
    const states = await applyFuses(p, { platform: 'linux' });
    expect(fuseMismatches(states)).toEqual([]);
    expect(states.RunAsNode).toBe('off');
    expect((await readFuses(p)).EnableNodeCliInspectArguments).toBe('off');
  });

  it('scripts/fuses.mjs check exits 1 on an unflipped binary and 0 on a flipped one', async () => {
    const p = join(dir.path, 'cli-binary');
    fakeBinary(p);
    const script = join(import.meta.dirname, '..', '..', '..', 'scripts', 'fuses.mjs');
    const before = spawnSync(process.execPath, [script, 'check', p], { encoding: 'utf8' });
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/RunAsNode is on, must be off/);
    await realisticFlip.flipFuses(p, flipFusesConfig(WAVEHOUSE_FUSES, false));
    const after = spawnSync(process.execPath, [script, 'check', p], { encoding: 'utf8' });
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
  });
});
