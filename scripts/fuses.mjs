#!/usr/bin/env node
/**
 * Electron fuses at packaging time (src-main/electron/fuses.ts holds the logic and the fuse list).
 *
 * - As an electron-builder afterPack hook: `"afterPack": "scripts/fuses.mjs"` (Electron Forge: call
 *   applyFuses from its packageAfterCopy hook, or use @electron-forge/plugin-fuses with the same list).
 * - By hand: `node scripts/fuses.mjs check <Electron binary or .app>` prints the fuse states and exits
 *   1 unless they are ours; `node scripts/fuses.mjs flip <binary>` flips them (needs @electron/fuses).
 */
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const load = () => tsImport('../src-main/electron/fuses.ts', import.meta.url);

/** electron-builder's afterPack hook. */
export default async function afterPack(context) {
  const f = await load();
  const binary = f.packedElectronBinary(context);
  const states = await f.applyFuses(binary, { platform: context.electronPlatformName });
  console.log(`fuses set in ${binary}: ${JSON.stringify(states)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, binary] = process.argv.slice(2);
  const f = await load();
  if (command === 'check' && binary) {
    const states = await f.readFuses(binary);
    console.log(JSON.stringify(states, null, 2));
    const wrong = f.fuseMismatches(states);
    for (const w of wrong) console.error(w);
    process.exit(wrong.length ? 1 : 0);
  } else if (command === 'flip' && binary) {
    console.log(JSON.stringify(await f.applyFuses(binary, { platform: process.platform }), null, 2));
  } else {
    console.error('usage: node scripts/fuses.mjs check|flip <Electron binary or .app>');
    process.exit(2);
  }
}
