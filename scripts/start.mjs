#!/usr/bin/env node
/**
 * `npm start`: build, then open the desktop app. Electron fetches its binary on first run; where it
 * cannot (offline machines, servers), start the same studio headless with `serve` instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const bin = (name) => `${root}node_modules/.bin/${name}`;

const build = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let electronPath;
// Electron's first-run download leaves a rejected promise behind when it fails; it is reported below.
process.on('unhandledRejection', () => undefined);
try {
  electronPath = require('electron'); // resolves (and on first run downloads) the Electron binary
} catch (err) {
  console.error(`Electron is not available here (${err instanceof Error ? err.message.split('\n')[0] : err}).`);
  console.error('Starting the studio headless instead: open the URL below in a browser.\n');
}

const child = electronPath
  ? spawn(electronPath, ['.'], { cwd: root, stdio: 'inherit' })
  : spawn(process.execPath, [`${root}bin/wavehouse.mjs`, 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code) => process.exit(code ?? 0));
