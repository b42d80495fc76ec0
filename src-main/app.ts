/**
 * The composition root: builds every service of a studio from a data dir. The Electron shell,
 * `serve`, the CLI and the tests all start Wavehouse through createApp().
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { CommandInput, CommandName, CommandOutput } from '../src-preload/contract';
import { WavehouseError } from '../src-preload/client';
import { ArrangeService } from './arrange/service';
import { ExportService } from './export/service';
import { CheckpointsRepo } from './db/checkpoints-repo';
import { TakesRepo } from './db/takes-repo';
import { InstrumentRepo } from './db/instrument-repo';
import { InstrumentService } from './instrument/service';
import { GenerationService } from './generation/service';
import { TrainingService } from './training/service';
import { openDatabase, schemaVersion, type Db } from './db/database';
import { JobsRepo } from './db/jobs-repo';
import { LibrariesRepo } from './db/libraries-repo';
import { ProjectsRepo } from './db/projects-repo';
import { SettingsRepo } from './db/settings-repo';
import { AppError } from './errors';
import { EventBus } from './events';
import { sweepTempFiles } from './files/sweep';
import { forkLauncher } from './jobs/fork-launcher';
import { WarmLauncher } from './jobs/warm-launcher';
import type { WorkerLauncher } from './jobs/protocol';
import { JobService } from './jobs/service';
import { LibraryService } from './library/service';
import { MediaResolver } from './media';
import { APP_NAME, databasePath, resourcesDir } from './paths';
import { ProjectService } from './projects/service';
import { createDispatcher, type CallContext, type Dispatch, type Handlers } from './transport/dispatch';

/** What only a desktop shell can do; `serve` and the CLI have none of it. */
export interface NativeShell {
  pickPaths(kind: 'folder' | 'files', title?: string): Promise<{ paths: string[]; canceled: boolean }>;
}

export interface AppOptions {
  /** Native dialogs and the like (Electron); absent under plain Node. */
  shell?: NativeShell;
  dataDir: string;
  /** How job workers are spawned: fork under Node (default), utilityProcess in Electron. */
  launcher?: WorkerLauncher;
  transport?: 'electron' | 'websocket';
  jobConcurrency?: number;
  /** Import the demo library on first start (default true). */
  demoLibrary?: boolean;
  /** Keep a job worker process started ahead (the long-running studio: serve, the desktop app), so Generate plays at once. */
  warmJobWorker?: boolean;
}

export interface App {
  dataDir: string;
  db: Db;
  bus: EventBus;
  jobs: JobService;
  projects: ProjectService;
  libraries: LibraryService;
  arrange: ArrangeService;
  generation: GenerationService;
  instrument: InstrumentService;
  training: TrainingService;
  exporter: ExportService;
  settings: SettingsRepo;
  media: MediaResolver;
  handlers: Handlers;
  dispatch: Dispatch;
  /** Typed in-process call, for the CLI and tests (same validation as any transport). */
  call<K extends CommandName>(name: K, input?: CommandInput<K>, ctx?: CallContext): Promise<CommandOutput<K>>;
  /** Jobs found cut off by a crash at this start. */
  interruptedAtStart: number;
  /** Temp files of writes cut off by a crash, removed at this start. */
  sweptAtStart: string[];
  close(): void;
}

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve('../package.json');
    return JSON.parse(readFileSync(path, 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
}

/** On the first start of a data dir, import the bundled demo library (piano triads) as a job. */
function installDemoLibrary(settings: SettingsRepo, libraries: LibraryService): void {
  if (settings.get<boolean>('demo.installed')) return;
  const root = join(resourcesDir(), 'demo', 'piano-triads');
  settings.set('demo.installed', true);
  if (!existsSync(root) || libraries.list().length > 0) return;
  try {
    libraries.startImport([root], 'Piano triads (demo)');
  } catch (err) {
    console.error('could not install the demo library:', err);
  }
}

/** chmod that never fails start-up (a folder on a file system without modes, another owner). */
function chmodPrivate(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (err) {
    console.error(`could not make ${path} private:`, (err as Error).message);
  }
}

/**
 * Removes the temp files of writes a crash cut off: in the data dir (checkpoints, takes, previews,
 * exports to the default folder) and in every export folder a job was given.
 */
function sweepLeftovers(dataDir: string, jobsRepo: JobsRepo): string[] {
  const swept = sweepTempFiles(dataDir, { depth: 6 });
  for (const dir of jobsRepo.exportFolders()) swept.push(...sweepTempFiles(dir));
  if (swept.length) console.error(`removed ${swept.length} temp file(s) left by an interrupted write`);
  return swept;
}

/** Opens (or creates) the studio in `dataDir` and wires every service. */
export function createApp(options: AppOptions): App {
  const { dataDir } = options;
  // The studio's own files are private to the user: the folder 0700 (the database is 0600, see
  // openDatabase). Older studios made it 0755.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodPrivate(dataDir, 0o700);
  const db = openDatabase(databasePath(dataDir));
  const bus = new EventBus();
  const jobsRepo = new JobsRepo(db);
  const interruptedAtStart = jobsRepo.markInterrupted();
  const sweptAtStart = sweepLeftovers(dataDir, jobsRepo);
  const librariesRepo = new LibrariesRepo(db);
  const projectsRepo = new ProjectsRepo(db);
  const settings = new SettingsRepo(db);
  const baseLauncher = options.launcher ?? forkLauncher();
  const warm = options.warmJobWorker ? new WarmLauncher(baseLauncher, ['generation']) : null;
  const jobs = new JobService(jobsRepo, bus, warm ? warm.launch : baseLauncher, dataDir, { concurrency: options.jobConcurrency });
  const projects = new ProjectService(projectsRepo, librariesRepo, bus);
  const libraries = new LibraryService(db, librariesRepo, jobs, bus);
  const media = new MediaResolver(db);
  const checkpoints = new CheckpointsRepo(db);
  const training = new TrainingService(db, projects, checkpoints, jobs, bus);
  const takesRepo = new TakesRepo(db);
  const generation = new GenerationService(projects, checkpoints, takesRepo, jobs, bus);
  const arrange = new ArrangeService(db, bus);
  const instrument = new InstrumentService(dataDir, new InstrumentRepo(db), projects, checkpoints, takesRepo, arrange, bus);
  const exporter = new ExportService(dataDir, arrange, jobs, () => librariesRepo.list().map((l) => l.rootPath));
  const version = packageVersion();
  if (options.demoLibrary !== false) installDemoLibrary(settings, libraries);
  warm?.prime();

  const handlers: Handlers = {
    'app.info': () => ({
      name: APP_NAME,
      version,
      dataDir,
      transport: options.transport ?? 'websocket',
      platform: process.platform,
      node: process.versions.node,
      schemaVersion: schemaVersion(db),
    }),
    'system.pickPaths': ({ kind, title }) => {
      if (!options.shell) throw new AppError('UNAVAILABLE', 'file dialogs exist only in the desktop app; type or paste a path instead');
      return options.shell.pickPaths(kind, title);
    },
    'libraries.list': () => libraries.list(),
    'libraries.import': ({ paths, name }) => libraries.startImport(paths, name),
    'libraries.rescan': ({ id }) => libraries.rescan(id),
    'libraries.remove': ({ id }) => ({ removed: libraries.remove(id) }),
    'samples.list': (query) => libraries.samples(query),
    'samples.labels': ({ libraryId }) => libraries.labels(libraryId),
    'samples.setLabel': ({ ids, label }) => ({ updated: libraries.setLabel(ids, label) }),
    'samples.labelByPattern': ({ libraryId, pattern, labelFrom, preview }) => libraries.labelByPattern(libraryId, pattern, labelFrom, preview),
    'projects.list': () => projects.list(),
    'projects.get': ({ id }) => projects.get(id),
    'projects.create': (input) => projects.create(input),
    'projects.setLibraries': ({ id, libraryIds }) => projects.setLibraries(id, libraryIds),
    'projects.rename': ({ id, name }) => projects.rename(id, name),
    'projects.delete': ({ id }) => ({ deleted: projects.delete(id) }),
    'training.status': ({ projectId }) => training.status(projectId),
    'training.start': ({ projectId, settings }) => training.start(projectId, settings),
    'training.pause': ({ projectId }) => training.pause(projectId),
    'training.resume': ({ projectId }) => training.resume(projectId),
    'training.preview': ({ projectId }) => training.requestPreview(projectId),
    'training.stop': ({ projectId }) => training.stop(projectId),
    'checkpoints.list': ({ projectId }) => generation.checkpointsOf(projectId),
    'checkpoints.live': ({ id }) => generation.liveModel(id),
    'generation.start': (input) => generation.start(input),
    'takes.list': ({ projectId }) => generation.list(projectId),
    'takes.update': ({ id, ...fields }) => generation.update(id, fields),
    'takes.delete': async ({ id }) => ({ deleted: await generation.delete(id) }),
    'arrangement.get': ({ projectId }) => arrange.get(projectId),
    'arrangement.edit': ({ projectId, edit, label, revision }) => arrange.edit(projectId, edit, label, revision),
    'arrangement.undo': ({ projectId }) => arrange.undo(projectId),
    'arrangement.redo': ({ projectId }) => arrange.redo(projectId),
    'instrument.getMapping': ({ projectId }) => instrument.getMapping(projectId),
    'instrument.setMapping': ({ projectId, entries }) => instrument.setMapping(projectId, entries),
    'instrument.recordingStart': ({ projectId, sampleRate, checkpointId }) => instrument.startRecording(projectId, sampleRate, checkpointId),
    'instrument.recordingAppend': ({ recordingId, offset, samples }) => instrument.appendRecording(recordingId, offset, samples),
    'instrument.recordingFinish': (input) => instrument.finishRecording(input),
    'instrument.recordingCancel': ({ recordingId }) => instrument.cancelRecording(recordingId),
    'exports.start': ({ projectId, bits, rate, outDir, replace }) => exporter.start(projectId, bits, rate, outDir, replace),
    'jobs.list': (input) => jobs.list(input),
    'jobs.get': ({ id }) => jobs.get(id),
    'jobs.cancel': ({ id }) => jobs.cancel(id),
  };
  const dispatch = createDispatcher(handlers, { checkOutput: process.env.NODE_ENV !== 'production' });

  let closed = false;
  return {
    dataDir,
    db,
    bus,
    jobs,
    projects,
    libraries,
    arrange,
    generation,
    instrument,
    training,
    exporter,
    settings,
    media,
    handlers,
    dispatch,
    interruptedAtStart,
    sweptAtStart,
    async call(name, input, ctx = { transport: 'test' }) {
      const result = await dispatch(name, input ?? {}, ctx);
      if (!result.ok) throw new WavehouseError(result.error);
      return result.value as never;
    },
    close() {
      if (closed) return;
      closed = true;
      warm?.dispose();
      instrument.close();
      jobs.shutdown();
      db.close();
    },
  };
}
