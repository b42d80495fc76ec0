/**
 * The `library.import` job (runs in a worker process): walks the library root, decodes new and
 * changed files, records format, peaks and errors, marks vanished files missing. The user's files
 * are only read. A bad file is recorded with its reason and the import goes on.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { walkAudioFiles, type WalkEntry } from '../audio';
import { analyseFile, emptyRecord } from './analyse';
import { AnalysePool } from './analyse-pool';
import { SamplesRepo, type SampleRecord } from '../db/samples-repo';
import type { JobContext } from '../jobs/context';
import { throwIfCancelled } from '../jobs/context';

export interface ImportParams {
  libraryId: string;
  /** Only these files (relative to the root) instead of the whole folder. */
  files?: string[];
}

export interface ImportSummary {
  libraryId: string;
  imported: number;
  updated: number;
  unchanged: number;
  failed: number;
  missing: number;
  failures: { file: string; reason: string }[];
  /** Every warning of the files imported or updated by this run (what was recovered or assumed); failed files are in failures. */
  warnings: { file: string; code: string; reason: string }[];
}

/** The chosen files of a files-import, stat'ed like the walker's entries. */
async function* listFiles(root: string, files: string[]): AsyncGenerator<WalkEntry> {
  for (const relPath of files) {
    const path = join(root, relPath);
    try {
      const st = await stat(path);
      if (!st.isFile()) yield { path, relPath, error: { code: 'read-failed', reason: 'not a file' } };
      else yield { path, relPath, size: st.size, mtimeMs: st.mtimeMs };
    } catch (err) {
      yield { path, relPath, error: { code: 'read-failed', reason: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
    }
  }
}

/**
 * The entry, or a failure when its real path (after symlinks) lies outside the library's real
 * root: a link such as `notes.wav -> /etc/passwd` is never read, recorded or served.
 */
async function insideRoot(entry: WalkEntry, realRoot: string): Promise<WalkEntry> {
  if ('error' in entry) return entry;
  try {
    const real = await realpath(entry.path);
    if (real === realRoot || real.startsWith(realRoot + sep)) return entry;
    return { path: entry.path, relPath: entry.relPath, error: { code: 'outside-library', reason: `a link to ${real}, outside the library folder: not imported` } };
  } catch (err) {
    return { path: entry.path, relPath: entry.relPath, error: { code: 'read-failed', reason: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
  }
}

/** Runs the import. */
export async function run(ctx: JobContext<ImportParams>): Promise<ImportSummary> {
  const { libraryId, files } = ctx.params;
  const lib = ctx.db.prepare(`SELECT root_path FROM libraries WHERE id = ?`).get(libraryId) as { root_path: string } | undefined;
  if (!lib) throw new Error(`library ${libraryId} no longer exists`);
  const root = lib.root_path;
  const samples = new SamplesRepo(ctx.db);
  const known = samples.fileStates(libraryId);
  const summary: ImportSummary = { libraryId, imported: 0, updated: 0, unchanged: 0, failed: 0, missing: 0, failures: [], warnings: [] };

  ctx.progress(0, 'Scanning…');
  const entries: WalkEntry[] = [];
  const realRoot = await realpath(root).catch(() => root);
  for await (const found of files ? listFiles(root, files) : walkAudioFiles(root, ctx.signal)) {
    const entry = found.relPath === '' ? found : await insideRoot(found, realRoot);
    throwIfCancelled(ctx.signal);
    if ('error' in entry) {
      if (entry.relPath === '') throw new Error(`cannot import ${root}: ${entry.error.reason}`);
      if (entry.error.code === 'duplicate-dir') continue; // the same folder reached twice: not a failure
    }
    entries.push(entry);
    if (entries.length % 250 === 0) ctx.progress(0, `Scanning… ${entries.length} files found`);
  }
  throwIfCancelled(ctx.signal); // the walk stops between folders once cancelled

  const seen = new Set<string>();
  const BATCH = 64;
  let pending: SampleRecord[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    ctx.db.transaction(() => batch.forEach((rec) => samples.upsert(libraryId, rec)))();
  };

  // Decoding is CPU-bound: spread it over one worker thread per core, writing results in walk order.
  const pool = await AnalysePool.start();
  try {
    const WINDOW = 32;
    const inFlight = new Map<number, Promise<SampleRecord>>();
    const analyse = (i: number): Promise<SampleRecord> | null => {
      const entry = entries[i];
      if ('error' in entry) return null;
      const before = known.get(entry.relPath.split(sep).join('/'));
      // Unchanged files are skipped, except those imported before warnings were recorded (they catch up once).
      if (before && before.checked && !before.hasError && !before.missing && before.size === entry.size && before.mtimeMs === entry.mtimeMs) return null;
      const relPath = entry.relPath.split(sep).join('/');
      return pool ? pool.analyse(join(root, entry.relPath), relPath, entry.size, entry.mtimeMs) : analyseFile(join(root, entry.relPath), relPath, entry.size, entry.mtimeMs);
    };
    const ahead = (i: number) => {
      for (let j = i; j < Math.min(entries.length, i + WINDOW); j++) {
        if (!inFlight.has(j)) {
          const job = analyse(j);
          if (job) inFlight.set(j, job);
        }
      }
    };
    for (let i = 0; i < entries.length; i++) {
      throwIfCancelled(ctx.signal);
      ahead(i);
      const entry = entries[i];
      const relPath = entry.relPath.split(sep).join('/');
      seen.add(relPath);
      const before = known.get(relPath);
      let rec: SampleRecord;
      if ('error' in entry) {
        rec = { ...emptyRecord(relPath, 0, 0), errorCode: entry.error.code, error: entry.error.reason };
      } else if (!inFlight.has(i)) {
        summary.unchanged++;
        ctx.progress((i + 1) / entries.length, `${i + 1} of ${entries.length}: ${relPath}`);
        continue;
      } else {
        rec = await inFlight.get(i)!;
        inFlight.delete(i);
      }
      if (rec.error) {
        summary.failed++;
        summary.failures.push({ file: relPath, reason: rec.error });
      } else {
        if (before) summary.updated++;
        else summary.imported++;
        // A failed file's reason already says what is wrong; warnings are about files that did import.
        for (const w of rec.warnings) summary.warnings.push({ file: relPath, code: w.code, reason: w.message });
      }
      pending.push(rec);
      if (pending.length >= BATCH) flush();
      ctx.progress((i + 1) / entries.length, `${i + 1} of ${entries.length}: ${relPath}`);
    }
  } finally {
    await pool?.close();
  }
  flush();

  if (!files) {
    const vanished = [...known.keys()].filter((rel) => !seen.has(rel));
    ctx.db.transaction(() => samples.setMissing(libraryId, vanished, true))();
    summary.missing = vanished.length;
  }
  ctx.db.prepare(`UPDATE libraries SET updated_at = ? WHERE id = ?`).run(new Date().toISOString(), libraryId);
  ctx.emit('data.changed', { entity: 'samples' });
  ctx.emit('data.changed', { entity: 'libraries' });
  return summary;
}
