/**
 * The `library.import` job (runs in a worker process): walks the library root, decodes new and
 * changed files, records format, peaks and errors, marks vanished files missing. The user's files
 * are only read. A bad file is recorded with its reason and the import goes on.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { AudioDecodeError, computePeaks, decodeAudio, mixToMono, walkAudioFiles, type WalkEntry } from '../audio';
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
}

/** Files larger than this are recorded as too large rather than read (a 2 GiB import ceiling). */
const MAX_FILE_BYTES = 2 * 1024 ** 3;

/** The default label of a file: the name of the folder it sits in, below the library root. */
export function folderLabel(relPath: string): string | null {
  const dir = dirname(relPath);
  if (dir === '.' || dir === '') return null;
  const parts = dir.split(/[\\/]/);
  return parts[parts.length - 1] || null;
}

function emptyRecord(relPath: string, size: number, mtimeMs: number): SampleRecord {
  return {
    relPath, size, mtimeMs, contentHash: null, codec: null, sampleFormat: null, bitDepth: null, sampleRate: null,
    channels: null, frames: null, duration: null, peaks: null, label: folderLabel(relPath), errorCode: null, error: null,
  };
}

/** Reads and decodes one file into its record; never throws for a bad file. */
export async function analyseFile(path: string, relPath: string, size: number, mtimeMs: number): Promise<SampleRecord> {
  const rec = emptyRecord(relPath, size, mtimeMs);
  if (size > MAX_FILE_BYTES) return { ...rec, errorCode: 'too-large', error: `the file is ${(size / 1024 ** 3).toFixed(1)} GiB; the import limit is 2 GiB` };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return { ...rec, errorCode: 'read-failed', error: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  rec.contentHash = createHash('sha256').update(bytes).digest('hex');
  try {
    const audio = await decodeAudio(bytes);
    return {
      ...rec,
      codec: audio.codec,
      sampleFormat: audio.format,
      bitDepth: audio.bitDepth || null,
      sampleRate: audio.sampleRate,
      channels: audio.channels,
      frames: audio.frames,
      duration: audio.frames / audio.sampleRate,
      peaks: computePeaks(mixToMono(audio.data)),
    };
  } catch (err) {
    if (err instanceof AudioDecodeError) return { ...rec, errorCode: err.code, error: err.reason };
    return { ...rec, errorCode: 'decoder-failed', error: `could not decode: ${(err as Error).message}` };
  }
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

/** Runs the import. */
export async function run(ctx: JobContext<ImportParams>): Promise<ImportSummary> {
  const { libraryId, files } = ctx.params;
  const lib = ctx.db.prepare(`SELECT root_path FROM libraries WHERE id = ?`).get(libraryId) as { root_path: string } | undefined;
  if (!lib) throw new Error(`library ${libraryId} no longer exists`);
  const root = lib.root_path;
  const samples = new SamplesRepo(ctx.db);
  const known = samples.fileStates(libraryId);
  const summary: ImportSummary = { libraryId, imported: 0, updated: 0, unchanged: 0, failed: 0, missing: 0, failures: [] };

  ctx.progress(0, 'Scanning…');
  const entries: WalkEntry[] = [];
  for await (const entry of files ? listFiles(root, files) : walkAudioFiles(root)) {
    throwIfCancelled(ctx.signal);
    if ('error' in entry) {
      if (entry.relPath === '') throw new Error(`cannot import ${root}: ${entry.error.reason}`);
      if (entry.error.code === 'duplicate-dir') continue; // the same folder reached twice: not a failure
    }
    entries.push(entry);
    if (entries.length % 250 === 0) ctx.progress(0, `Scanning… ${entries.length} files found`);
  }

  const seen = new Set<string>();
  const BATCH = 64;
  let pending: SampleRecord[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    ctx.db.transaction(() => batch.forEach((rec) => samples.upsert(libraryId, rec)))();
  };

  for (let i = 0; i < entries.length; i++) {
    throwIfCancelled(ctx.signal);
    const entry = entries[i];
    const relPath = entry.relPath.split(sep).join('/');
    seen.add(relPath);
    const before = known.get(relPath);
    let rec: SampleRecord;
    if ('error' in entry) {
      rec = { ...emptyRecord(relPath, 0, 0), errorCode: entry.error.code, error: entry.error.reason };
    } else if (before && !before.hasError && !before.missing && before.size === entry.size && before.mtimeMs === entry.mtimeMs) {
      summary.unchanged++;
      ctx.progress((i + 1) / entries.length, `${i + 1} of ${entries.length}: ${relPath}`);
      continue;
    } else {
      rec = await analyseFile(join(root, entry.relPath), relPath, entry.size, entry.mtimeMs);
    }
    if (rec.error) {
      summary.failed++;
      summary.failures.push({ file: relPath, reason: rec.error });
    } else if (before) summary.updated++;
    else summary.imported++;
    pending.push(rec);
    if (pending.length >= BATCH) flush();
    ctx.progress((i + 1) / entries.length, `${i + 1} of ${entries.length}: ${relPath}`);
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
