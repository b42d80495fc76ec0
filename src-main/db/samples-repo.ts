import type { AudioWarning } from '../audio/types';
import type { Db } from './database';
import { newId, nowIso } from './ids';

/** What the import stores about one file (decoded or failed). */
export interface SampleRecord {
  relPath: string;
  size: number;
  mtimeMs: number;
  contentHash: string | null;
  codec: string | null;
  sampleFormat: string | null;
  bitDepth: number | null;
  sampleRate: number | null;
  channels: number | null;
  frames: number | null;
  duration: number | null;
  peaks: Int8Array | Uint8Array | null;
  label: string | null;
  errorCode: string | null;
  error: string | null;
  /** What the decoder recovered from or assumed; empty for a clean file. */
  warnings: AudioWarning[];
}

export interface StoredFileState {
  id: string;
  relPath: string;
  size: number;
  mtimeMs: number;
  contentHash: string | null;
  hasError: boolean;
  missing: boolean;
  label: string | null;
  /** False for a sample imported before warnings were recorded (it is analysed again on rescan). */
  checked: boolean;
}

/** The samples table, as the import writes it. */
export class SamplesRepo {
  constructor(private db: Db) {}

  /** What is recorded for every file of a library, keyed by relative path (for rescans). */
  fileStates(libraryId: string): Map<string, StoredFileState> {
    const rows = this.db
      .prepare(`SELECT id, rel_path, size, mtime_ms, content_hash, error, missing, label, warnings IS NOT NULL AS checked FROM samples WHERE library_id = ?`)
      .all(libraryId) as {
      id: string;
      rel_path: string;
      size: number;
      mtime_ms: number;
      content_hash: string | null;
      error: string | null;
      missing: number;
      label: string | null;
      checked: number;
    }[];
    return new Map(
      rows.map((r) => [
        r.rel_path,
        { id: r.id, relPath: r.rel_path, size: r.size, mtimeMs: r.mtime_ms, contentHash: r.content_hash, hasError: r.error !== null, missing: r.missing === 1, label: r.label, checked: r.checked === 1 },
      ]),
    );
  }

  /** Inserts or replaces the record of one file, keeping its id and label if it was known. */
  upsert(libraryId: string, rec: SampleRecord): void {
    this.db
      .prepare(
        `INSERT INTO samples (id, library_id, rel_path, size, mtime_ms, content_hash, codec, sample_format, bit_depth, sample_rate, channels, frames, duration, peaks, label, error_code, error, warnings, missing, imported_at)
         VALUES (@id, @libraryId, @relPath, @size, @mtimeMs, @contentHash, @codec, @sampleFormat, @bitDepth, @sampleRate, @channels, @frames, @duration, @peaks, @label, @errorCode, @error, @warnings, 0, @now)
         ON CONFLICT(library_id, rel_path) DO UPDATE SET
           size = excluded.size, mtime_ms = excluded.mtime_ms, content_hash = excluded.content_hash, codec = excluded.codec,
           sample_format = excluded.sample_format, bit_depth = excluded.bit_depth, sample_rate = excluded.sample_rate,
           channels = excluded.channels, frames = excluded.frames, duration = excluded.duration, peaks = excluded.peaks,
           label = COALESCE(samples.label, excluded.label), error_code = excluded.error_code, error = excluded.error, warnings = excluded.warnings, missing = 0, imported_at = excluded.imported_at`,
      )
      .run({
        id: newId(),
        libraryId,
        ...rec,
        peaks: rec.peaks ? Buffer.from(rec.peaks.buffer, rec.peaks.byteOffset, rec.peaks.byteLength) : null,
        warnings: JSON.stringify(rec.warnings),
        now: nowIso(),
      });
  }

  /** Marks files as present or missing after a scan. */
  setMissing(libraryId: string, relPaths: string[], missing: boolean): void {
    const stmt = this.db.prepare(`UPDATE samples SET missing = ? WHERE library_id = ? AND rel_path = ?`);
    for (const rel of relPaths) stmt.run(missing ? 1 : 0, libraryId, rel);
  }
}
