#!/usr/bin/env node
/**
 * `npm test`: type-check, build (the e2e tests load the built renderer), then every Vitest suite
 * (unit, integration, e2e in Chromium). Ends with the plain `N passed, N failed, N skipped` line CI reads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
const run = (label, cmd, args) => {
  process.stderr.write(`\n▶ ${label}\n`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  process.stderr.write(`  ${label}: ${r.status === 0 ? 'ok' : `exit ${r.status}`} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return r.status ?? 1;
};

const extra = process.argv.slice(2);
let failedSteps = 0;
failedSteps += run('type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) === 0 ? 0 : 1;
failedSteps += run('build', bin('electron-vite'), ['build']) === 0 ? 0 : 1;

const report = `${root}test-artifacts/vitest.json`;
rmSync(report, { force: true });
const vitestStatus = run('tests', bin('vitest'), ['run', ...extra]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  // A suite that failed to load has no tests to count: count it as a failure.
  failed += (json.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
} else if (vitestStatus !== 0) {
  failed = 1;
}
failed += failedSteps;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && vitestStatus === 0 ? 0 : 1);
