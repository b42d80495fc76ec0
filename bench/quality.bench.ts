/**
 * Model quality a musician hears, through the product: for each set (the demo library and sets
 * rendered with fluidsynth, bench/quality/sets.ts) and each wall-clock budget, import it, make a
 * sketch project, train it with the defaults the Model tab and `wavehouse train` use (only
 * `minutes` set), generate one take per label with the default sampling, and measure:
 *
 * - held-out NLL (bits/sample) of the final checkpoint, overall and the spread over labels;
 * - the share of takes whose pitch content matches their label (src-shared/pitch/chroma.ts);
 * - spectral flatness of the takes (real clips ≈ 0.001, white noise ≈ 0.56);
 * - each take's distance to its nearest library clip and how many reproduce one;
 * - scored training samples per wall second of the whole job (data, validation, checkpoints, previews).
 *
 *   npm run bench quality                       # every set, budgets 10, 20, 30 min (≈3 h)
 *   npm run bench quality -- --sets triads96 --minutes 30
 *   npm run bench quality -- --sets demo --minutes 10 --guidance 1,3   # also takes at these guidance values
 *   WAVEHOUSE_QUALITY_SETTINGS='{"learningRate":0.003}'   # research overrides (recorded in the output)
 *   npm run bench quality -- --sets demo --minutes 10 --keep /tmp/q   # keep each studio (takes, checkpoints) to listen to
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, median } from './emit';
import { SETS, type QualitySet } from './quality/sets';
import { createApp, type App } from '../src-main/app';
import { decodeAudio, mixToMono } from '../src-main/audio';
import { checkLabel, fingerprint, memorisationThreshold, nearestClip, spectralFlatness, type Fingerprint } from '../src-main/quality';
import type { GenerationResult } from '../src-main/generation/generation-job';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function readMono(path: string): Promise<{ audio: Float32Array; rate: number }> {
  const a = await decodeAudio(readFileSync(path));
  return { audio: mixToMono(a.data), rate: a.sampleRate };
}

function wavFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...wavFiles(join(dir, e.name)));
    else if (e.name.endsWith('.wav')) out.push(join(dir, e.name));
  }
  return out.sort();
}

/** Imports a set into the studio with its labels; the library id. */
async function importSet(app: App, set: QualitySet): Promise<string> {
  const { job, library } = await app.call('libraries.import', { paths: [set.dir] });
  const done = await app.jobs.waitFor(job.id);
  if (done.state !== 'done') throw new Error(`import of ${set.name}: ${done.state} ${done.error ?? ''}`);
  if ('pattern' in set.labels) {
    const r = await app.call('samples.labelByPattern', { libraryId: library.id, pattern: set.labels.pattern, labelFrom: set.labels.labelFrom });
    if (r.unmatched > 0) throw new Error(`${set.name}: ${r.unmatched} files do not fit ${set.labels.pattern}`);
  }
  return library.id;
}

async function measure(set: QualitySet, minutes: number, overrides: Record<string, unknown>): Promise<void> {
  const keep = option('keep');
  const dir = keep ? join(keep, `${set.name}-${minutes}min`) : mkdtempSync(join(tmpdir(), 'wavehouse-quality-'));
  if (keep) rmSync(dir, { recursive: true, force: true });
  const app = createApp({ dataDir: join(dir, 'data'), demoLibrary: false });
  try {
    const libraryId = await importSet(app, set);
    const project = await app.call('projects.create', { name: `${set.name} ${minutes} min`, preset: 'sketch', libraryIds: [libraryId] });
    const started = await app.call('training.start', { projectId: project.id, settings: { ...overrides, minutes } });
    const t0 = performance.now();
    const job = await app.jobs.waitFor(started.jobId!);
    const wallSeconds = (performance.now() - t0) / 1000;
    if (job.state !== 'done') throw new Error(`training ${job.state}: ${job.error ?? ''}`);
    const status = await app.call('training.status', { projectId: project.id });
    const run = status.run!;
    const checkpoints = await app.call('checkpoints.list', { projectId: project.id });
    const last = checkpoints[0];
    const scored = run.step * run.settings.batchSize * run.settings.windowT;

    // Library fingerprints for the nearest-clip distance and the memorisation threshold.
    const clips: Fingerprint[] = [];
    for (const f of wavFiles(set.dir)) {
      const { audio, rate } = await readMono(f);
      clips.push(fingerprint(audio, rate));
    }
    const threshold = memorisationThreshold(clips);

    // One take per label at the checkpoint's default guidance, then at every extra guidance asked for.
    const extra = (option('guidance') ?? '').split(',').filter(Boolean).map(Number);
    for (const guidance of [undefined, ...extra]) {
      const rows: { label: string; matches: boolean | null; overlap: number; found: number[]; flatness: number; nearest: number }[] = [];
      const genStarted = performance.now();
      for (const label of last.labels) {
        const { job: g } = await app.call('generation.start', { projectId: project.id, checkpointId: last.id, count: 1, seconds: set.takeSeconds, label, seed: 1, ...(guidance !== undefined ? { guidance } : {}) });
        const gj = await app.jobs.waitFor(g.id);
        if (gj.state !== 'done') throw new Error(`generation ${gj.state}: ${gj.error ?? ''}`);
        const { audio, rate } = await readMono((gj.result as GenerationResult).paths[0]);
        const check = checkLabel(audio, rate, label);
        // How many of the label's pitch classes are among the strongest found: progress short of a full match.
        const overlap = check.expected.filter((pc) => check.found.includes(pc)).length;
        rows.push({ label, matches: check.matches, overlap, found: check.found, flatness: spectralFlatness(audio, rate), nearest: nearestClip(fingerprint(audio, rate), clips).distance });
      }
      const generationSeconds = (performance.now() - genStarted) / 1000;
      const checked = rows.filter((r) => r.matches !== null);
      const recognised = checked.filter((r) => r.matches).length;
      const perLabel = last.validationBitsPerLabel ? Object.values(last.validationBitsPerLabel) : [];
      emit(`quality.${set.name}.${minutes}min${guidance !== undefined ? `.guidance${guidance}` : ''}`, checked.length ? recognised / checked.length : NaN, 'share of takes matching their label', {
        set: set.description,
        minutes,
        guidance: guidance ?? 'checkpoint default',
        recognised,
        takes: rows.length,
        heldOutBits: last.validationBits,
        heldOutBitsPerLabel: perLabel.length ? { min: Math.min(...perLabel), median: median(perLabel), max: Math.max(...perLabel) } : null,
        expectedPitchClassesFound: checked.length ? checked.reduce((a, r) => a + r.overlap, 0) / checked.length : null,
        distinctStrongestSets: new Set(checked.map((r) => [...r.found].sort((a, b) => a - b).join(','))).size,
        flatnessMedian: median(rows.map((r) => r.flatness)),
        nearestClipDbMedian: median(rows.map((r) => r.nearest)),
        memorisationThresholdDb: threshold,
        reproducesClip: rows.filter((r) => r.nearest < threshold).length,
        steps: run.step,
        settings: run.settings,
        scoredSamplesPerWallSecond: scored / wallSeconds,
        trainingWallSeconds: wallSeconds,
        generationSeconds,
        matchedLabels: rows.filter((r) => r.matches).map((r) => r.label),
        overrides,
      });
    }
  } finally {
    app.close();
    if (keep) process.stderr.write(`bench: kept the studio of ${set.name} ${minutes} min in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

export default async function quality(): Promise<void> {
  const sets = (option('sets') ?? 'demo,triads96,guitar-notes').split(',');
  const budgets = (option('minutes') ?? '10,20,30').split(',').map(Number);
  const overrides = JSON.parse(process.env.WAVEHOUSE_QUALITY_SETTINGS ?? '{}') as Record<string, unknown>;
  for (const name of sets) {
    const make = SETS[name];
    if (!make) throw new Error(`no quality set "${name}" (sets: ${Object.keys(SETS).join(', ')})`);
    const set = make();
    for (const minutes of budgets) await measure(set, minutes, overrides);
  }
}
