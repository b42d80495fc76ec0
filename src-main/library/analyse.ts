/**
 * Reading one sample file into its record: size check, read, sha256, decode, peaks, folder label.
 * Pure of the database, so it runs in the import's worker threads as well as inline.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AudioDecodeError, computePeaks, decodeAudio, mixToMono } from '../audio';
import type { SampleRecord } from '../db/samples-repo';

/** Files larger than this are recorded as too large rather than read (a 2 GiB import ceiling). */
const MAX_FILE_BYTES = 2 * 1024 ** 3;

/** The default label of a file: the name of the folder it sits in, below the library root. */
export function folderLabel(relPath: string): string | null {
  const dir = dirname(relPath);
  if (dir === '.' || dir === '') return null;
  const parts = dir.split(/[\\/]/);
  return parts[parts.length - 1] || null;
}

export function emptyRecord(relPath: string, size: number, mtimeMs: number): SampleRecord {
  return {
    relPath, size, mtimeMs, contentHash: null, codec: null, sampleFormat: null, bitDepth: null, sampleRate: null,
    channels: null, frames: null, duration: null, peaks: null, label: folderLabel(relPath), errorCode: null, error: null,
    warnings: [],
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
    // A header with no sample frames is a file with nothing to hear, train on or place: a failure, not a sample.
    if (audio.frames === 0)
      return { ...rec, codec: audio.codec, errorCode: 'no-frames', error: 'the file holds no sample frames: there is nothing to play, train on or place', warnings: audio.warnings };
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
      warnings: audio.warnings,
    };
  } catch (err) {
    if (err instanceof AudioDecodeError) return { ...rec, errorCode: err.code, error: err.reason };
    return { ...rec, errorCode: 'decoder-failed', error: `could not decode: ${(err as Error).message}` };
  }
}

