/**
 * src-shared is imported by the renderer and the contract as well as by the main process, so it
 * must stay environment-free: this scans every file's imports and fails on Node built-ins, Electron,
 * native/Node-only packages, or any reach into src-main. It also checks the contract and the
 * renderer import nothing from src-main.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/** Every .ts / .svelte / .as file under dir. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|mts|svelte|as)$/.test(name)) out.push(p);
  }
  return out;
}

/** The module specifiers a source file imports (static, dynamic, re-exports, workers via `?worker`). */
export function importSpecifiers(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[2]);
  return specs;
}

const FORBIDDEN_PACKAGES = [/^node:/, /^electron(\/|$)/, /^better-sqlite3$/, /^@tensorflow\/tfjs-node/, /^ws$/,
  /^(fs|path|os|crypto|child_process|worker_threads|url|buffer|stream|util|events|http|https|net)(\/|$)/];

/** Why an import from `file` is not allowed in src-shared, or null. */
export function forbiddenInShared(file: string, spec: string): string | null {
  if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) return `${spec} is not environment-free`;
  if (spec.startsWith('.')) {
    const target = resolve(file, '..', spec);
    if (!target.startsWith(join(root, 'src-shared') + sep)) return `${spec} reaches outside src-shared (${relative(root, target)})`;
  }
  return null;
}

/** Whether a renderer / contract import reaches into src-main. */
function reachesMain(file: string, spec: string): boolean {
  return spec.startsWith('.') && resolve(file, '..', spec).startsWith(join(root, 'src-main') + sep);
}

describe('src-shared stays environment-free', () => {
  it('no file imports node built-ins, electron, native packages or src-main', () => {
    const files = sources(join(root, 'src-shared'));
    expect(files.length).toBeGreaterThan(20);
    const bad: string[] = [];
    for (const f of files) {
      for (const spec of importSpecifiers(readFileSync(f, 'utf8'))) {
        const why = forbiddenInShared(f, spec);
        if (why) bad.push(`${relative(root, f)}: ${why}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the guard catches the imports it exists for', () => {
    const f = join(root, 'src-shared/generation/takes.ts');
    const text = `import { x } from 'node:fs';\nimport Database from 'better-sqlite3';\nexport { y } from '../../src-main/model/checkpoint';\nconst e = await import('electron');\nimport '@tensorflow/tfjs-node';\nimport { ok } from './sampling';`;
    const found = importSpecifiers(text).map((s) => forbiddenInShared(f, s));
    expect(found.filter((w) => w !== null)).toHaveLength(5);
    expect(found[5]).toBeNull();
  });

  it('the contract and the renderer import nothing from src-main', () => {
    const files = [join(root, 'src-preload/contract.ts'), ...sources(join(root, 'src-renderer/src'))];
    const bad: string[] = [];
    for (const f of files) {
      for (const spec of importSpecifiers(readFileSync(f, 'utf8'))) if (reachesMain(f, spec)) bad.push(`${relative(root, f)}: ${spec}`);
    }
    expect(bad).toEqual([]);
  });
});
