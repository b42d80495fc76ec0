#!/usr/bin/env node
// The `wavehouse` command: runs the TypeScript CLI through tsx, so the CLI always matches the sources.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli.ts');
process.exitCode = await main(process.argv.slice(2));
