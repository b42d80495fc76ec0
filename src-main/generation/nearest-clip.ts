/**
 * Which library clip a take is nearest to, and whether it reproduces one: the project's training
 * clips fingerprinted at the model rate (src-main/quality/nearest.ts) once per generation job.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { decodeAudio, mixToMono, resample } from '../audio';
import type { Db } from '../db/database';
import type { NearestClipInfo } from '../db/takes-repo';
import { fingerprint, memorisationThreshold, nearestClip, type Fingerprint } from '../quality';

export type { NearestClipInfo };

/** At most this many clips are compared (a large library is sampled evenly). */
const MAX_CLIPS = 400;

export interface LibraryPrints {
  ids: string[];
  files: string[];
  prints: Fingerprint[];
  threshold: number;
}

/** Fingerprints of the project's usable samples (those with one of `labels`, when the model has labels). */
export async function libraryPrints(db: Db, projectId: string, labels: string[], rate: number): Promise<LibraryPrints> {
  let rows = db
    .prepare(
      `SELECT s.id, s.label, l.root_path AS root, s.rel_path AS rel FROM samples s
       JOIN project_libraries pl ON pl.library_id = s.library_id JOIN libraries l ON l.id = s.library_id
       WHERE pl.project_id = ? AND s.error IS NULL AND s.missing = 0 AND s.frames > 0 ORDER BY s.id`,
    )
    .all(projectId) as { id: string; label: string | null; root: string; rel: string }[];
  if (labels.length) rows = rows.filter((r) => r.label !== null && labels.includes(r.label));
  if (rows.length > MAX_CLIPS) rows = rows.filter((_, i) => i % Math.ceil(rows.length / MAX_CLIPS) === 0);
  const out: LibraryPrints = { ids: [], files: [], prints: [], threshold: 0 };
  for (const r of rows) {
    try {
      const audio = await decodeAudio(await readFile(join(r.root, r.rel)));
      const mono = mixToMono(audio.data);
      const atRate = audio.sampleRate === rate ? mono : await resample(mono, audio.sampleRate, rate, 'medium');
      out.prints.push(fingerprint(atRate, rate));
      out.ids.push(r.id);
      out.files.push(basename(r.rel));
    } catch {
      // A clip that no longer reads is simply not compared.
    }
  }
  out.threshold = memorisationThreshold(out.prints);
  return out;
}

/** The take's nearest library clip, or null when the library has no readable clip. */
export function nearestOf(lib: LibraryPrints, audio: Float32Array, rate: number): NearestClipInfo | null {
  if (lib.prints.length === 0) return null;
  const n = nearestClip(fingerprint(audio, rate), lib.prints);
  if (n.index < 0) return null;
  const distanceDb = Number(n.distance.toFixed(3));
  return { sampleId: lib.ids[n.index], file: lib.files[n.index], distanceDb, thresholdDb: Number(lib.threshold.toFixed(3)), reproduces: lib.prints.length >= 2 && n.distance < lib.threshold };
}
