/**
 * `npm run bench [suite…]`: runs every bench/*.bench.ts (or the named suites) in turn, each printing
 * JSON lines through emit(). Suites run one after another so they do not compete for the two cores.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

for (const suite of suites) {
  process.stderr.write(`bench: ${suite}\n`);
  const mod = await import(pathToFileURL(join(here, `${suite}.bench.ts`)).href);
  if (typeof mod.default === 'function') await mod.default();
}
