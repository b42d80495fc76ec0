/**
 * The Wavehouse contract: every command (name, zod input, zod output) and every event, declared once.
 * Main registers a handler per command, the preload and the WebSocket client forward calls by name,
 * and the renderer, CLI and tests infer their types from here.
 */
import { z } from 'zod';
// The arrangement's schemas live with its pure model (src-shared/arrange, zod only: safe in any bundle).
import { ArrangementSchema, EditSchema } from '../src-shared/arrange/schema';
import { INSTRUMENT_KEY_CODES, RECORDING_LIMITS } from '../src-shared/instrument/keys';

// ---------------------------------------------------------------------------------------------
// Shared schemas

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');
const Name = z.string().trim().min(1, 'a name is required').max(120, 'names are at most 120 characters');
const IsoTime = z.string();

export const JobKind = z.enum(['library.import', 'training', 'generation', 'export']);
export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']);

export const Job = z.object({
  id: Id,
  kind: JobKind,
  state: JobState,
  title: z.string(),
  progress: z.number().min(0).max(1),
  message: z.string(),
  projectId: Id.nullable(),
  error: z.string().nullable(),
  result: z.unknown().nullable(),
  createdAt: IsoTime,
  startedAt: IsoTime.nullable(),
  endedAt: IsoTime.nullable(),
});
export type Job = z.infer<typeof Job>;

export const Library = z.object({
  id: Id,
  name: z.string(),
  rootPath: z.string(),
  sampleCount: z.number().int(),
  failedCount: z.number().int(),
  missingCount: z.number().int(),
  /** Imported samples that carry at least one import warning. */
  warnedCount: z.number().int(),
  totalDuration: z.number(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Library = z.infer<typeof Library>;

/** Something the import recovered from or assumed: a stable code (see AudioWarningCode) and one sentence. */
export const SampleWarning = z.object({ code: z.string(), message: z.string() });
export type SampleWarning = z.infer<typeof SampleWarning>;

export const Sample = z.object({
  id: Id,
  libraryId: Id,
  relPath: z.string(),
  size: z.number(),
  codec: z.string().nullable(),
  sampleFormat: z.string().nullable(),
  bitDepth: z.number().nullable(),
  sampleRate: z.number().nullable(),
  channels: z.number().nullable(),
  frames: z.number().nullable(),
  duration: z.number().nullable(),
  label: z.string().nullable(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  missing: z.boolean(),
  warnings: z.array(SampleWarning),
  peaks: z.string().nullable(),
});
export type Sample = z.infer<typeof Sample>;

const Label = z.string().trim().min(1, 'a label cannot be empty').max(80, 'labels are at most 80 characters');

export const Preset = z.enum(['sketch', 'studio', 'custom']);

export const ModelConfig = z.object({
  sampleRate: z.number().int().min(4000).max(48000),
  residualChannels: z.number().int().min(1).max(512),
  dilationChannels: z.number().int().min(2).max(1024).refine((v) => v % 2 === 0, 'dilationChannels must be even'),
  skipChannels: z.number().int().min(1).max(1024),
  layersPerStack: z.number().int().min(1).max(14),
  stacks: z.number().int().min(1).max(8),
  quantization: z.literal(256),
  numLabels: z.number().int().min(0).max(4096),
});
export type ModelConfig = z.infer<typeof ModelConfig>;

export const Project = z.object({
  id: Id,
  name: z.string(),
  preset: Preset,
  config: ModelConfig,
  libraryIds: z.array(Id),
  receptiveFieldMs: z.number(),
  parameterCount: z.number().int(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Project = z.infer<typeof Project>;

export const ArrangementState = z.object({
  projectId: Id,
  arrangement: ArrangementSchema,
  revision: z.number().int(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  undoLabel: z.string().nullable(),
  redoLabel: z.string().nullable(),
});
export type ArrangementState = z.infer<typeof ArrangementState>;

export const Checkpoint = z.object({
  id: Id,
  projectId: Id,
  runId: Id.nullable(),
  step: z.number().int(),
  path: z.string(),
  trainLoss: z.number().nullable(),
  validationBits: z.number().nullable(),
  labels: z.array(z.string()),
  backend: z.string().nullable(),
  /** Held-out bits/sample per label at this checkpoint. */
  validationBitsPerLabel: z.record(z.string(), z.number()).nullable(),
  /** Classifier-free guidance its takes get by default (null: trained without label dropout, so none). */
  guidance: z.number().nullable().optional(),
  /** Short takes rendered from these weights while training (media kind `preview`). */
  previews: z.array(z.object({ mediaId: z.string(), label: z.string().nullable(), matches: z.boolean().nullable(), flatness: z.number() })),
  createdAt: IsoTime,
});
export type Checkpoint = z.infer<typeof Checkpoint>;

/** The WaveNet hyper-parameters (src-shared/model/config.ts WaveNetConfig). */
export const WaveNetConfigSchema = z.object({
  sampleRate: z.number().int().positive(),
  residualChannels: z.number().int().positive(),
  dilationChannels: z.number().int().positive(),
  skipChannels: z.number().int().positive(),
  layersPerStack: z.number().int().positive(),
  stacks: z.number().int().positive(),
  quantization: z.number().int().positive(),
  numLabels: z.number().int().min(0),
  excitationChannels: z.number().int().min(0).max(16).optional(),
});

/** What the renderer's live generator needs to generate from a checkpoint exactly as a take job does. */
export const LiveModel = z.object({
  checkpointId: Id,
  config: WaveNetConfigSchema,
  labels: z.array(z.string()),
  /** Guidance a labelled take gets by default (ModelCard.guidance; null: none). */
  guidance: z.number().nullable(),
  /** Pitch-excitation voicings per label (ModelCard.excitation; null: the model has none). */
  voicings: z.record(z.string(), z.array(z.array(z.number()))).nullable(),
  /** Media id of the weights (kind `weights`): the checkpoint's weights section, float32 little-endian. */
  weightsMediaId: Id,
  weightsBytes: z.number().int().positive(),
  /** sha256 (hex) of those bytes, from the card: the renderer checks what it downloaded. */
  weightsSha256: z.string(),
});
export type LiveModel = z.infer<typeof LiveModel>;

export const Take = z.object({
  id: Id,
  projectId: Id,
  checkpointId: Id.nullable(),
  name: z.string(),
  path: z.string(),
  label: z.string().nullable(),
  seed: z.number().int(),
  temperature: z.number(),
  params: z.record(z.string(), z.unknown()),
  /** The library clip this take is nearest to, and whether it reproduces it (memorised) rather than varies it. */
  nearestClip: z.object({ sampleId: Id, file: z.string(), distanceDb: z.number(), thresholdDb: z.number(), reproduces: z.boolean() }).nullable(),
  sampleRate: z.number().int(),
  frames: z.number().int(),
  duration: z.number(),
  peaks: z.string().nullable(),
  starred: z.boolean(),
  createdAt: IsoTime,
});
export type Take = z.infer<typeof Take>;

/** One label's computer key (KeyboardEvent.code) and MIDI note on the Instrument view; null: not mapped that way. */
export const MappingEntry = z
  .object({
    label: z.string().trim().min(1, 'a label cannot be empty').max(80, 'labels are at most 80 characters'),
    key: z.string().refine((c) => INSTRUMENT_KEY_CODES.includes(c), 'not a key the instrument can use').nullable(),
    note: z.number().int().min(0).max(127).nullable(),
  })
  .strict();
export type MappingEntry = z.infer<typeof MappingEntry>;

/** A project's instrument mapping as the user set it (labels left out play their defaults). */
export const InstrumentMapping = z.object({ projectId: Id, entries: z.array(MappingEntry), updatedAt: IsoTime.nullable() });
export type InstrumentMapping = z.infer<typeof InstrumentMapping>;

/** Mapping entries with no label, key or note given twice (the one ambiguity a mapping cannot have). */
const MappingEntries = z
  .array(MappingEntry)
  .max(1024)
  .superRefine((entries, ctx) => {
    const seen = { label: new Map<string, number>(), key: new Map<string, number>(), note: new Map<number, number>() };
    entries.forEach((e, i) => {
      for (const field of ['label', 'key', 'note'] as const) {
        const value = e[field];
        if (value === null) continue;
        const map = seen[field] as Map<string | number, number>;
        const first = map.get(value);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, field], message: `"${e.label}" has the same ${field} (${value}) as "${entries[first].label}"` });
        else map.set(value, i);
      }
    });
  });

const RecordingId = z.string().regex(/^[0-9a-f-]{36}$/, 'not a recording id');

export const TrainingSettings = z.object({
  steps: z.number().int().min(1).max(10_000_000),
  /** Train for this many minutes (the schedule fits the budget); null: until `steps`. */
  minutes: z.number().gt(0).max(7 * 24 * 60).nullable().optional(),
  batchSize: z.number().int().min(1).max(256),
  windowT: z.number().int().min(16).max(65_536),
  learningRate: z.number().gt(0).max(1),
  warmupSteps: z.number().int().min(0),
  clipNorm: z.number().gt(0),
  checkpointEvery: z.number().int().min(1),
  validateEvery: z.number().int().min(1),
  seed: z.number().int().min(0),
  validationFraction: z.number().min(0).max(0.15),
  /** Share of training windows that see no label, so takes can be guided towards theirs (0: never). */
  labelDropout: z.number().min(0).max(0.5).optional(),
  /** Extra loss weight on the first milliseconds after each clip's onset, where the label decides the pitch (0: none). */
  onsetEmphasis: z.number().min(0).max(100).optional(),
  /** Previews from the latest weights every this many minutes (null: only on request). */
  previewEveryMinutes: z.number().gt(0).max(24 * 60).nullable().optional(),
  /** Labels to preview (null: all, twelve per round). */
  previewLabels: z.array(z.string().max(80)).max(64).nullable().optional(),
});

export const Run = z.object({
  id: Id,
  projectId: Id,
  jobId: Id.nullable(),
  backend: z.string(),
  state: z.enum(['running', 'pausing', 'stopping', 'paused', 'stopped', 'done', 'failed', 'interrupted']),
  step: z.number().int(),
  settings: TrainingSettings,
  startedAt: IsoTime,
  endedAt: IsoTime.nullable(),
  error: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

export const TrainingStatus = z.object({
  projectId: Id,
  run: Run.nullable(),
  jobId: Id.nullable(),
  metrics: z.array(z.object({ step: z.number().int(), trainLoss: z.number().nullable(), validationBits: z.number().nullable(), samplesPerSecond: z.number().nullable() })),
});
export type TrainingStatus = z.infer<typeof TrainingStatus>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  transport: z.enum(['electron', 'websocket']),
  platform: z.string(),
  node: z.string(),
  schemaVersion: z.number().int(),
});

/** Errors cross the wire as values: a stable code, a human message, and the offending field if any. */
export const ErrorCode = z.enum([
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'UNKNOWN_COMMAND',
  'BAD_MESSAGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'UNAVAILABLE',
  'CANCELLED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const WireError = z.object({ code: ErrorCode, message: z.string(), field: z.string().optional() });
export type WireError = z.infer<typeof WireError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

// ---------------------------------------------------------------------------------------------
// Commands

const NoInput = z.object({}).strict().default({});
const ById = z.object({ id: Id }).strict();

function command<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) {
  return { input, output, doc };
}

export const commands = {
  'app.info': command(NoInput, AppInfo, 'Version, data dir and transport of the running studio.'),

  'system.pickPaths': command(
    z.object({ kind: z.enum(['folder', 'files']), title: z.string().max(120).optional() }).strict(),
    z.object({ paths: z.array(z.string()), canceled: z.boolean() }),
    'Show the native open dialog (desktop app only; `serve` answers UNAVAILABLE: type a path instead).',
  ),

  'libraries.list': command(NoInput, z.array(Library), 'All sample libraries with their counts.'),
  'libraries.import': command(
    z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000), name: z.string().trim().max(120).optional() }).strict(),
    z.object({ job: Job, library: Library }),
    'Import (or rescan) a folder, or a set of files, as a library; runs as a job.',
  ),

  'libraries.rescan': command(ById, z.object({ job: Job, library: Library }), 'Rescan a library folder for new, changed and missing files.'),
  'libraries.remove': command(ById, z.object({ removed: z.boolean() }), "Forget a library and its records (the user's files are untouched)."),

  'samples.list': command(
    z
      .object({
        libraryId: Id,
        search: z.string().max(200).optional(),
        label: Label.nullable().optional(),
        minDuration: z.number().min(0).optional(),
        maxDuration: z.number().min(0).optional(),
        sampleRate: z.number().int().positive().optional(),
        status: z.enum(['all', 'ok', 'failed', 'missing', 'warnings']).default('all'),
        sort: z.enum(['name', 'duration', 'label', 'rate', 'channels']).default('name'),
        direction: z.enum(['asc', 'desc']).default('asc'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(Sample) }),
    "A page of a library's samples, filtered and sorted.",
  ),
  'samples.labels': command(z.object({ libraryId: Id }).strict(), z.array(z.object({ label: z.string(), count: z.number().int() })), 'Labels in use in a library, with counts.'),
  'samples.setLabel': command(
    z.object({ ids: z.array(Id).min(1).max(50_000), label: Label.nullable() }).strict(),
    z.object({ updated: z.number().int() }),
    'Set (or clear) the label of one or many samples.',
  ),
  'samples.labelByPattern': command(
    z
      .object({
        libraryId: Id,
        pattern: z.string().min(1).max(200),
        labelFrom: z.array(z.string().max(40)).max(8).optional(),
        /** Only report what would change. */
        preview: z.boolean().default(false),
      })
      .strict(),
    z.object({
      matched: z.number().int(),
      unmatched: z.number().int(),
      examples: z.array(z.object({ relPath: z.string(), label: z.string().nullable() })),
      updated: z.number().int(),
    }),
    'Label samples from their file names with a pattern like {root}{octave}_{quality}.',
  ),

  'projects.list': command(NoInput, z.array(Project), 'All model projects, newest first.'),
  'projects.get': command(ById, Project, 'One model project.'),
  'projects.create': command(
    z
      .object({
        name: Name,
        preset: Preset.default('sketch'),
        libraryIds: z.array(Id).max(64).default([]),
        config: ModelConfig.partial().optional(),
      })
      .strict(),
    Project,
    'Create a model project from a preset (and overrides for custom) over some libraries.',
  ),
  'projects.setLibraries': command(
    z.object({ id: Id, libraryIds: z.array(Id).max(64) }).strict(),
    Project,
    'Choose which libraries a project trains on (takes effect at the next training run).',
  ),
  'projects.rename': command(z.object({ id: Id, name: Name }).strict(), Project, 'Rename a project.'),
  'projects.delete': command(ById, z.object({ deleted: z.boolean() }), 'Delete a project and its records.'),

  'training.status': command(z.object({ projectId: Id }).strict(), TrainingStatus, "The project's latest run, its metric history and the running job."),
  'training.start': command(
    z.object({ projectId: Id, settings: TrainingSettings.partial().strict().default({}) }).strict(),
    TrainingStatus,
    "Start a new training run with the preset's defaults (overridable); runs as a job.",
  ),
  'training.pause': command(z.object({ projectId: Id }).strict(), TrainingStatus, 'Pause: finish the step, write a checkpoint, wait for resume.'),
  'training.resume': command(z.object({ projectId: Id }).strict(), TrainingStatus, 'Continue the latest run from its last checkpoint.'),
  'training.preview': command(
    z.object({ projectId: Id }).strict(),
    z.object({ requested: z.boolean() }),
    'Ask the running training for previews from its latest weights now (they arrive on a new checkpoint).',
  ),
  'training.stop': command(z.object({ projectId: Id }).strict(), TrainingStatus, 'Stop the run for good; its checkpoints stay.'),

  'checkpoints.list': command(z.object({ projectId: Id }).strict(), z.array(Checkpoint), "A project's checkpoints, newest step first."),
  'checkpoints.live': command(
    ById,
    LiveModel,
    "A checkpoint's card as the renderer's live generator needs it, and the media id of its weights (fetched as media kind `weights`).",
  ),

  'generation.start': command(
    z
      .object({
        projectId: Id,
        checkpointId: Id.optional(),
        count: z.number().int().min(1).max(32).default(1),
        seconds: z.number().min(0.05).max(120).default(2),
        label: z.string().max(80).nullable().default(null),
        temperature: z.number().min(0).max(3).default(1),
        topK: z.number().int().min(1).max(256).optional(),
        topP: z.number().gt(0).max(1).optional(),
        /** Classifier-free guidance towards the label (1: off; default: the checkpoint's, when it was trained for it). */
        guidance: z.number().min(0).max(10).optional(),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
        prime: z.object({ sampleId: Id, start: z.number().min(0), seconds: z.number().gt(0).max(30) }).strict().optional(),
        /** Stream every take while it is generated (`generation.chunk` events, each with its take index); the saved takes are the same bytes either way. */
        stream: z.boolean().optional(),
      })
      .strict(),
    z.object({ job: Job }),
    'Generate takes from a checkpoint (default: the latest); runs as a job.',
  ),
  'takes.list': command(z.object({ projectId: Id }).strict(), z.array(Take), "A project's takes, newest first."),
  'takes.update': command(z.object({ id: Id, name: Name.optional(), starred: z.boolean().optional() }).strict(), Take, 'Rename or star a take.'),
  'takes.delete': command(ById, z.object({ deleted: z.boolean() }), 'Delete a take and its file (refused while the timeline uses it).'),

  'arrangement.get': command(z.object({ projectId: Id }).strict(), ArrangementState, "The project's timeline (tempo, tracks, clips) and undo state."),
  'arrangement.edit': command(
    z.object({ projectId: Id, edit: EditSchema, label: z.string().max(80).optional(), revision: z.number().int().min(0).optional() }).strict(),
    ArrangementState,
    'Apply one undoable edit to the timeline; saved at once.',
  ),
  'arrangement.undo': command(z.object({ projectId: Id }).strict(), ArrangementState, 'Undo the last timeline edit.'),
  'arrangement.redo': command(z.object({ projectId: Id }).strict(), ArrangementState, 'Redo the last undone timeline edit.'),

  'instrument.getMapping': command(z.object({ projectId: Id }).strict(), InstrumentMapping, "The project's instrument mapping as set (labels left out play their defaults)."),
  'instrument.setMapping': command(
    z.object({ projectId: Id, entries: MappingEntries }).strict(),
    InstrumentMapping,
    "Replace the project's instrument mapping (no label, key or note twice).",
  ),
  'instrument.recordingStart': command(
    z
      .object({
        projectId: Id,
        sampleRate: z.number().int().min(RECORDING_LIMITS.minSampleRate).max(RECORDING_LIMITS.maxSampleRate),
        checkpointId: Id.nullable().default(null),
      })
      .strict(),
    z.object({ recordingId: RecordingId, maxSamples: z.number().int(), maxChunkSamples: z.number().int() }),
    'Open an upload for a recorded performance: float32 mono at sampleRate, sent in order with instrument.recordingAppend.',
  ),
  'instrument.recordingAppend': command(
    z
      .object({
        recordingId: RecordingId,
        /** Index of the chunk's first sample in the recording. */
        offset: z.number().int().min(0),
        /** float32 little-endian, base64 (src-preload/sample-codec.ts), at most maxChunkSamples. */
        samples: z.string().min(1).max(4 * Math.ceil((RECORDING_LIMITS.maxChunkSamples * 4) / 3)),
      })
      .strict(),
    z.object({ received: z.number().int() }),
    'Append a chunk of a recorded performance (a chunk sent again at an offset already received is ignored).',
  ),
  'instrument.recordingFinish': command(
    z
      .object({
        recordingId: RecordingId,
        /** Labels played, for the take's note. */
        labels: z.array(z.string().max(80)).max(1024).default([]),
        notes: z.number().int().min(0).max(1_000_000).default(0),
        name: Name.optional(),
        /** Where the clip starts on the timeline, in arrangement frames (default: after the last clip of the Instrument track). */
        position: z.number().int().min(0).max(2 ** 40).optional(),
      })
      .strict(),
    z.object({ take: Take, arrangement: ArrangementState, trackId: z.string(), clipId: z.string() }),
    'Save a recorded performance as a take (32-bit float WAV, written atomically) and place it on the timeline as one undoable edit.',
  ),
  'instrument.recordingCancel': command(z.object({ recordingId: RecordingId }).strict(), z.object({ cancelled: z.boolean() }), 'Drop an open recording and its temp file.'),

  'exports.start': command(
    z
      .object({
        projectId: Id,
        bits: z.union([z.literal(16), z.literal(24), z.literal('32f')]).default(24),
        rate: z.number().int().positive().optional(),
        outDir: z.string().min(1).max(4096).optional(),
        /** Replace a previous Wavehouse export in outDir (any other non-empty folder is refused). */
        replace: z.boolean().optional(),
      })
      .strict(),
    z.object({ job: Job, outDir: z.string() }),
    'Export the arrangement as stems (one WAV per track) and a mixdown; runs as a job.',
  ),

  'jobs.list': command(
    z.object({ activeOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(50) }).strict().default({ activeOnly: false, limit: 50 }),
    z.array(Job),
    'Recent jobs, newest first.',
  ),
  'jobs.get': command(ById, Job, 'One job.'),
  'jobs.cancel': command(ById, Job, 'Ask a running job to stop; it ends as cancelled.'),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a caller passes (defaults still optional). */
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
/** What a handler receives (parsed, defaults applied). */
export type ParsedInput<K extends CommandName> = z.output<Commands[K]['input']>;
/** What a handler returns and a caller receives. */
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>;
export const commandNames = Object.keys(commands) as CommandName[];

/** True when `name` is a command of the contract (guards untyped transports). */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}

// ---------------------------------------------------------------------------------------------
// Events (main → renderer)

export const events = {
  /** A job was created, changed state or progressed. */
  'job.updated': Job,
  /** Some collection changed; views showing it reload. */
  'data.changed': z.object({ entity: z.enum(['libraries', 'samples', 'projects', 'takes', 'arrangement', 'checkpoints']), projectId: Id.optional() }),
  /** A training job reported metrics. */
  'training.metrics': z.object({
    jobId: Id,
    projectId: Id,
    step: z.number().int(),
    trainLoss: z.number().nullable(),
    validationBits: z.number().nullable(),
    samplesPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    /** Share of the run done: steps of its step target or minutes of its time budget, whichever is further. */
    progress: z.number().min(0).max(1).optional(),
  }),
  /**
   * Samples of a take being generated with `stream`: float32 little-endian in base64
   * (src-preload/sample-codec.ts), in order, each sample once; chunks of one take end at `total`.
   */
  'generation.chunk': z.object({
    jobId: Id,
    projectId: Id,
    /** Index of the take in its job (the take seeded seed + take). */
    take: z.number().int().min(0),
    start: z.number().int().min(0),
    total: z.number().int().min(0),
    sampleRate: z.number().int().positive(),
    samples: z.string(),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
export const eventNames = Object.keys(events) as EventName[];

/** The bridge the preload exposes as `window.wavehouse` (and the WebSocket client mirrors). */
export interface Bridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
  /** Electron only: the file-system path of a File dropped on the window. */
  pathForFile?(file: File): string;
  /** Electron only: drag a take, sample or exported file out of the window (to the desktop or a DAW). */
  startDrag?(kind: 'take' | 'sample' | 'export', id: string): void;
}

/** The IPC channel names used by the Electron transport. */
export const IPC_INVOKE = 'wavehouse:invoke';
export const IPC_EVENT = 'wavehouse:event';
export const IPC_DRAG = 'wavehouse:drag';
