/**
 * The `wavehouse` command line: `serve` now; import, train, generate and export as their issues land.
 * Every command takes --data-dir (default: the desktop app's user-data dir) and --json (one JSON
 * object per line on stdout). Exit code 0 on success; non-zero with the reason on stderr.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve as resolvePath } from 'node:path';
import { commands, type Job, type ModelConfig } from '../src-preload/contract';
import type { TrainingSettings } from './db/runs-repo';
import { defaultSettings } from './training/service';
import { generateToFolder } from './generation/to-folder';
import { ENGINE_KINDS, type EngineKind } from '../src-shared/generation/engine';
import type { GenerationResult } from './generation/generation-job';
import { validationError } from './transport/dispatch';
import { createApp, type App } from './app';
import type { ExportResult } from './export/export-job';
import type { ImportSummary } from './library/import-job';
import { defaultDataDir, rendererDir } from './paths';
import { startServer } from './transport/websocket-server';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** A usage error: printed with the command's help, exit code 2. */
export class UsageError extends Error {}

const COMMON = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

interface CommandSpec {
  summary: string;
  usage: string;
  options: ParseArgsConfig['options'];
  run(args: { values: Record<string, unknown>; positionals: string[]; io: Io; openApp: () => App }): Promise<number>;
}

/** Follows a job to its end, drawing progress on stderr; resolves with the finished job. */
async function followJob(app: App, jobId: string, io: Io, signal?: AbortSignal): Promise<Job> {
  let last = '';
  const off = app.bus.subscribe((name, payload) => {
    if (name !== 'job.updated' || (payload as Job).id !== jobId) return;
    const job = payload as Job;
    const line = `${Math.round(job.progress * 100).toString().padStart(3)}% ${job.message}`;
    if (line !== last) io.err(line);
    last = line;
  });
  const onAbort = () => app.jobs.cancel(jobId);
  signal?.addEventListener('abort', onAbort);
  try {
    return await app.jobs.waitFor(jobId);
  } finally {
    off();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Ctrl+C cancels the running job instead of killing the CLI mid-write. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}

/** Finds a checkpoint card from --mp: a .json card, a .whck file, or a folder (its highest step). */
function resolveCheckpointPath(mp: string): string {
  const path = resolvePath(mp);
  if (!existsSync(path)) throw new Error(`no checkpoint at ${path}`);
  if (!statSync(path).isDirectory()) return path;
  const cards = readdirSync(path).filter((f) => f.endsWith('.json') && f !== 'wavehouse-export.json').sort();
  if (cards.length === 0) throw new Error(`no checkpoint card (.json) in ${path}`);
  return join(path, cards[cards.length - 1]);
}

function numberOption(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${raw}`);
  return n;
}

/** The article's model flags mapped onto our config: --nf filters, --nl layers (stacks of ≤ 10), --sr rate. */
export function articleConfig(values: Record<string, unknown>): Partial<ModelConfig> {
  const ks = values.ks === undefined ? 2 : Number(values.ks);
  if (ks !== 2) throw new UsageError(`--ks ${values.ks}: Wavehouse's WaveNet uses kernel size 2 (dilated causal convolutions), as the paper does`);
  const config: Partial<ModelConfig> = {};
  if (values.nf !== undefined) {
    const nf = Number(values.nf);
    if (!Number.isInteger(nf) || nf < 1) throw new UsageError(`--nf must be a whole number of filters, got ${values.nf}`);
    Object.assign(config, { residualChannels: nf, dilationChannels: 2 * nf, skipChannels: 2 * nf });
  }
  if (values.nl !== undefined) {
    const nl = Number(values.nl);
    if (!Number.isInteger(nl) || nl < 1) throw new UsageError(`--nl must be a whole number of layers, got ${values.nl}`);
    config.stacks = Math.ceil(nl / 10);
    config.layersPerStack = Math.ceil(nl / config.stacks);
  }
  if (values.sr !== undefined) config.sampleRate = Number(values.sr);
  return config;
}

/** "20 epochs = 18,750 steps; at 21,000 samples/s (this studio's last run) about 1:01 h" — said before training starts. */
function epochEstimate(app: App, steps: number, perStep: number, epochs: number): string {
  const row = app.db
    .prepare(`SELECT samples_per_second AS sps FROM run_metrics WHERE samples_per_second IS NOT NULL ORDER BY rowid DESC LIMIT 1`)
    .get() as { sps: number } | undefined;
  const head = `${epochs} epoch${epochs === 1 ? '' : 's'} = ${steps.toLocaleString('en')} steps of ${perStep.toLocaleString('en')} samples`;
  if (!row?.sps) return `${head}; no earlier run here to estimate the time from: the ETA shows after the first steps.`;
  // Steps run at the measured rate; data, validation and previews add about 15%.
  const seconds = ((steps * perStep) / row.sps) * 1.15;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return `${head}; at ${Math.round(row.sps).toLocaleString('en')} samples/s (this studio's last run) that takes about ${h ? `${h} h ${m} min` : `${m} min`}. (--minutes N trains for a time budget instead.)`;
}

const commandSpecs: Record<string, CommandSpec> = {
  train: {
    summary: "train a project's WaveNet (or, the article's way, a folder of WAVs with --dp)",
    usage:
      'wavehouse train --project NAME [--minutes N | --steps N] [--resume] [--json]\n' +
      '       wavehouse train --dp <dir> [--epochs N | --minutes N] [--bs B] [--nl LAYERS] [--ks 2] [--nf FILTERS] [--sr RATE] [--json]',
    options: {
      project: { type: 'string' },
      steps: { type: 'string' },
      minutes: { type: 'string' },
      resume: { type: 'boolean', default: false },
      dp: { type: 'string' },
      epochs: { type: 'string' },
      bs: { type: 'string' },
      nl: { type: 'string' },
      ks: { type: 'string' },
      nf: { type: 'string' },
      sr: { type: 'string' },
    },
    async run({ values, io, openApp }) {
      const app = openApp();
      let projectId: string;
      const settings: Partial<TrainingSettings> = {};
      if (values.bs !== undefined) settings.batchSize = numberOption(values, 'bs', 4);
      if (values.steps !== undefined) {
        // A step count replaces the preset's time budget unless --minutes is given too.
        settings.steps = numberOption(values, 'steps', 1000);
        settings.minutes = null;
      }
      if (values.minutes !== undefined) {
        const minutes = numberOption(values, 'minutes', 30);
        if (!(minutes > 0)) throw new UsageError(`--minutes must be a positive number, got ${values.minutes}`);
        settings.minutes = minutes;
        if (values.steps === undefined) settings.steps = 10_000_000;
      }
      if (values.dp !== undefined) {
        const config = articleConfig(values);
        const dir = resolvePath(values.dp as string);
        const { job, library } = app.libraries.startImport([dir]);
        if (!values.json) io.err(`Importing ${dir}…`);
        const imported = await followJob(app, job.id, io);
        if (imported.state !== 'done') throw new Error(`import ${imported.state}: ${imported.error ?? ''}`);
        const name = basename(dir);
        const existing = app.projects.list().find((p) => p.name.toLowerCase() === name.toLowerCase());
        const project = existing ?? app.projects.create({ name, preset: Object.keys(config).length ? 'custom' : 'sketch', libraryIds: [library.id], config });
        projectId = project.id;
        if (values.epochs !== undefined) {
          // One epoch: as many windows as it takes to cover the library's audio once.
          const epochs = numberOption(values, 'epochs', 1);
          const frames = app.db
            .prepare(`SELECT SUM(frames * ? / sample_rate) AS n FROM samples WHERE library_id = ? AND error IS NULL AND missing = 0`)
            .get(project.config.sampleRate, library.id) as { n: number | null };
          const defaults = defaultSettings(project);
          const perStep = (settings.batchSize ?? defaults.batchSize) * defaults.windowT;
          settings.steps = Math.max(1, Math.ceil(((frames.n ?? 0) * epochs) / perStep));
          if (values.minutes === undefined) settings.minutes = null;
          if (!values.json) io.err(epochEstimate(app, settings.steps, perStep, epochs));
        }
      } else if (values.project !== undefined) {
        projectId = app.projects.resolve(values.project as string).id;
      } else throw new UsageError('give --project NAME, or --dp <dir> (the article\'s form)');

      const status = values.resume ? app.training.resume(projectId) : app.training.start(projectId, settings);
      const jobId = status.jobId!;
      const off = app.bus.subscribe((name, payload) => {
        if (name !== 'training.metrics' || (payload as { jobId: string }).jobId !== jobId) return;
        if (values.json) io.out(JSON.stringify({ event: 'metrics', ...(payload as object) }));
      });
      process.once('SIGINT', () => {
        io.err('Pausing: finishing the step and writing a checkpoint… (resume with --resume)');
        app.training.pause(projectId);
      });
      const done = await followJob(app, jobId, io);
      off();
      const final = app.training.status(projectId);
      if (values.json) io.out(JSON.stringify({ event: 'train', state: final.run?.state, step: final.run?.step, backend: final.run?.backend, checkpoints: app.generation.checkpointsOf(projectId).length, error: done.error }));
      else io.out(`${final.run?.state} at step ${final.run?.step} on ${final.run?.backend}`);
      return done.state === 'done' || done.state === 'cancelled' ? 0 : 1;
    },
  },
  generate: {
    summary: 'generate takes from a trained model',
    usage:
      'wavehouse generate --project NAME [--checkpoint ID] | --mp <checkpoint> --fs <out dir>\n' +
      '                   [--seconds S] [--count N] [--label L] [--temperature T] [--top-k K] [--top-p P] [--guidance G] [--seed N] [--json]\n' +
      '                   [--engine wasm|wasm-f32|js]   (with --mp: wasm = int16 weights, the default)',
    options: {
      project: { type: 'string' },
      checkpoint: { type: 'string' },
      mp: { type: 'string' },
      fs: { type: 'string' },
      seconds: { type: 'string' },
      count: { type: 'string' },
      label: { type: 'string' },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      guidance: { type: 'string' },
      seed: { type: 'string' },
      engine: { type: 'string' },
    },
    async run({ values, io, openApp }) {
      const seconds = numberOption(values, 'seconds', 2);
      const count = numberOption(values, 'count', 1);
      const temperature = numberOption(values, 'temperature', 1);
      const seed = values.seed === undefined ? undefined : numberOption(values, 'seed', 0);
      const topK = values['top-k'] === undefined ? undefined : numberOption(values, 'top-k', 0);
      const topP = values['top-p'] === undefined ? undefined : numberOption(values, 'top-p', 1);
      const label = (values.label as string | undefined) ?? null;
      // Classifier-free guidance towards the label; default: the checkpoint's own.
      const guidance = values.guidance === undefined ? undefined : numberOption(values, 'guidance', 1);
      if (values.mp !== undefined) {
        // The article's form: a checkpoint file in, WAV files out, no studio records.
        const outDir = resolvePath((values.fs as string | undefined) ?? '.');
        const engine = values.engine as string | undefined;
        if (engine !== undefined && !ENGINE_KINDS.includes(engine as EngineKind)) throw new UsageError(`--engine must be one of ${ENGINE_KINDS.join(', ')}, got ${engine}`);
        const paths = await generateToFolder(resolveCheckpointPath(values.mp as string), outDir, { seconds, count, temperature, label, seed: seed ?? Date.now() % 2 ** 31, topK, topP, guidance, engine: engine as EngineKind | undefined }, io);
        if (values.json) io.out(JSON.stringify({ event: 'generate', state: 'done', paths }));
        else paths.forEach((p) => io.out(p));
        return 0;
      }
      if (!values.project) throw new UsageError('give --project NAME, or --mp <checkpoint> --fs <out dir>');
      if (values.engine !== undefined) throw new UsageError('--engine applies to --mp generation only');
      const app = openApp();
      const project = app.projects.resolve(values.project as string);
      const input = { projectId: project.id, checkpointId: values.checkpoint as string | undefined, count, seconds, label, temperature, topK, topP, guidance, seed };
      const parsed = commands['generation.start'].input.safeParse(input);
      if (!parsed.success) throw new UsageError(validationError(parsed.error).message);
      const { job } = app.generation.start(parsed.data);
      const done = await followJob(app, job.id, io, interruptSignal());
      const result = done.result as GenerationResult | null;
      if (values.json) io.out(JSON.stringify({ event: 'generate', state: done.state, error: done.error, ...(result ?? {}) }));
      else result?.paths.forEach((p) => io.out(p));
      if (done.state !== 'done') {
        io.err(`generation ${done.state}${done.error ? `: ${done.error}` : ''}`);
        return 1;
      }
      return 0;
    },
  },
  export: {
    summary: "render a project's arrangement to stems (one WAV per track) and a mixdown",
    usage: 'wavehouse export --project NAME --out DIR [--bits 16|24|32f] [--rate R] [--force] [--data-dir D] [--json]\n' +
      '                 (DIR must be new or empty; --force replaces a previous Wavehouse export there, nothing else)',
    options: { project: { type: 'string' }, out: { type: 'string' }, bits: { type: 'string', default: '24' }, rate: { type: 'string' }, force: { type: 'boolean' } },
    async run({ values, io, openApp }) {
      if (!values.project) throw new UsageError('--project is required');
      if (!values.out) throw new UsageError('--out is required');
      const bits = values.bits === '32f' ? '32f' : Number(values.bits);
      if (bits !== 16 && bits !== 24 && bits !== '32f') throw new UsageError(`--bits must be 16, 24 or 32f, got ${values.bits}`);
      const rate = values.rate === undefined ? undefined : Number(values.rate);
      if (rate !== undefined && !Number.isInteger(rate)) throw new UsageError(`--rate must be a whole number of Hz, got ${values.rate}`);
      const app = openApp();
      const project = app.projects.resolve(values.project as string);
      const { job, outDir } = app.exporter.start(project.id, bits, rate, resolvePath(values.out as string), values.force === true);
      if (!values.json) io.err(`Exporting "${project.name}" to ${outDir}`);
      const done = await followJob(app, job.id, io, interruptSignal());
      const result = done.result as ExportResult | null;
      if (values.json) io.out(JSON.stringify({ event: 'export', state: done.state, error: done.error, ...(result ?? {}) }));
      else if (result) for (const f of result.files) io.out(f.path);
      if (done.state !== 'done') {
        io.err(`export ${done.state}${done.error ? `: ${done.error}` : ''}`);
        return 1;
      }
      return 0;
    },
  },
  import: {
    summary: 'import (or rescan) a folder of samples, or some files, as a library',
    usage: 'wavehouse import <dir | files…> [--library NAME] [--data-dir D] [--json]',
    options: { library: { type: 'string' } },
    async run({ values, positionals, io, openApp }) {
      if (positionals.length === 0) throw new UsageError('name a folder or some files to import');
      const app = openApp();
      const { job, library } = app.libraries.startImport(positionals.map((p) => resolvePath(p)), values.library as string | undefined);
      if (!values.json) io.err(`Importing into library "${library.name}" (${library.rootPath})`);
      const done = await followJob(app, job.id, io, interruptSignal());
      const summary = done.result as ImportSummary | null;
      if (values.json) io.out(JSON.stringify({ event: 'import', state: done.state, library: library.name, ...(summary ?? {}), error: done.error }));
      else if (summary) {
        io.out(`${summary.imported} imported, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed} failed, ${summary.missing} missing`);
        for (const f of summary.failures) io.out(`  failed: ${f.file}: ${f.reason}`);
        for (const w of summary.warnings ?? []) io.out(`  warning: ${w.file}: ${w.reason} (${w.code})`);
      }
      if (done.state !== 'done') {
        io.err(`import ${done.state}${done.error ? `: ${done.error}` : ''}`);
        return 1;
      }
      return 0;
    },
  },
  serve: {
    summary: 'start the studio headless and print the URL to open in a browser',
    usage: 'wavehouse serve [--port N] [--data-dir D] [--json]',
    options: { port: { type: 'string' } },
    async run({ values, io, openApp }) {
      const port = values.port === undefined ? 0 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got ${values.port}`);
      const app = openApp();
      const staticDir = rendererDir();
      if (!existsSync(join(staticDir, 'index.html'))) io.err('The studio\'s pages are not built yet: run `npm run build` first (the API and media are served meanwhile).');
      const server = await startServer(app, { port, staticDir });
      if (values.json) io.out(JSON.stringify({ event: 'listening', url: server.url, openUrl: server.openUrl, port: server.port, dataDir: app.dataDir }));
      else {
        io.out(`Wavehouse is running (data: ${app.dataDir})`);
        io.out(`Open ${server.openUrl}`);
        io.out('Press Ctrl+C to stop.');
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      app.close();
      return 0;
    },
  },
};

function help(): string {
  const lines = ['usage: wavehouse <command> [options]', '', 'commands:'];
  for (const [name, spec] of Object.entries(commandSpecs)) lines.push(`  ${name.padEnd(10)} ${spec.summary}`);
  lines.push('', 'options for every command:', '  --data-dir D   the studio folder (default: the desktop app\'s user-data dir)', '  --json         machine-readable output, one JSON object per line');
  return lines.join('\n');
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const spec = commandSpecs[name];
  if (!spec) {
    io.err(`wavehouse: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...spec.options }, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`wavehouse ${name}: ${(err as Error).message}\nusage: ${spec.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`${spec.summary}\nusage: ${spec.usage}`);
    return 0;
  }
  const dataDir = (parsed.values['data-dir'] as string | undefined) ?? defaultDataDir();
  let app: App | undefined;
  // Only the long-running studio (serve, the desktop app) installs the demo library on first start.
  const openApp = () => (app ??= createApp({ dataDir, transport: 'websocket', demoLibrary: name === 'serve', warmJobWorker: name === 'serve' }));
  try {
    return await spec.run({ values: parsed.values, positionals: parsed.positionals, io, openApp });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`wavehouse ${name}: ${err.message}\nusage: ${spec.usage}`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (parsed.values.json) io.out(JSON.stringify({ event: 'error', message, code: (err as { code?: string }).code ?? 'INTERNAL' }));
    io.err(`wavehouse ${name}: ${message}`);
    return 1;
  } finally {
    app?.close();
  }
}
