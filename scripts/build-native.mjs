#!/usr/bin/env node
// Builds the optional native training kernels (src-main/model/native, an N-API addon) with node-gyp.
// Runs at `npm install` / `npm ci` (postinstall). A machine without a compiler, Node's headers or an
// x86-64 CPU gets a warning and trains with the WebAssembly kernels instead: this never fails the install.
// `--require` makes a failed build an error (CI and benches that must measure the native path).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'src-main', 'model', 'native');
const required = process.argv.includes('--require');

function nodeGyp() {
  // npm hands lifecycle scripts the node-gyp it bundles; outside npm, look beside npm itself.
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

function fail(why) {
  const msg = `build-native: ${why}; training uses the WebAssembly kernels (slower, same results).`;
  if (required) {
    console.error(msg);
    process.exit(1);
  }
  console.warn(msg);
  process.exit(0);
}

if (process.env.WAVEHOUSE_NATIVE_KERNELS === 'off') fail('skipped (WAVEHOUSE_NATIVE_KERNELS=off)');
const gyp = nodeGyp();
if (!gyp) fail('node-gyp not found');
const args = [gyp, 'rebuild', `--directory=${dir}`];
// Offline machines cannot download headers: use the installed ones when npm has not said where they are.
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h') && existsSync('/usr/include/node/common.gypi')) args.push('--nodedir=/usr');
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) fail(`node-gyp failed (${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')})`);
console.log('build-native: built src-main/model/native/build/Release/wavehouse_kernels.node');
