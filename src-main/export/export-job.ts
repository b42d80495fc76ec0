/**
 * The `export` job (runs in a worker process): mixes the project's arrangement from the source files
 * into stems and a mixdown. Every file is written to a temp name first and all are renamed into
 * place only when the whole export succeeded, so a cancelled or crashed export leaves no half set.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArrangement } from '../../src-shared/arrange/schema';
import type { SourceRef } from '../../src-shared/arrange/model';
import { createWavEncoder, decodeAudio, resampleChannels } from '../audio';
import { tempPathFor, writeTemp } from '../files/atomic';
import { isDiskFull, writeFailure } from '../files/fs-errors';
import type { JobContext } from '../jobs/context';
import { EXPORT_MANIFEST } from './names';
import type { SourceAudio } from './mixer';
import { renderStems, type BitDepth, type ExportFileInfo, type ExportWriter } from './stems';

export interface ExportParams {
  projectId: string;
  bits: BitDepth;
  /** Output rate; default the arrangement's. */
  rate?: number;
  outDir: string;
}

export interface ExportResult {
  outDir: string;
  rate: number;
  frames: number;
  bits: BitDepth;
  files: { name: string; path: string; kind: 'stem' | 'mixdown'; frames: number; peak: number }[];
}

/** Where a source's file is, from the database (takes by path, samples by library root + relative path). */
export function sourcePath(ctx: Pick<JobContext, 'db'>, ref: SourceRef): string {
  if (ref.kind === 'take') {
    const row = ctx.db.prepare(`SELECT path FROM takes WHERE id = ?`).get(ref.id) as { path: string } | undefined;
    if (!row) throw new Error(`take ${ref.id} no longer exists`);
    return row.path;
  }
  const row = ctx.db
    .prepare(`SELECT l.root_path AS root, s.rel_path AS rel FROM samples s JOIN libraries l ON l.id = s.library_id WHERE s.id = ?`)
    .get(ref.id) as { root: string; rel: string } | undefined;
  if (!row) throw new Error(`sample ${ref.id} no longer exists`);
  return join(row.root, row.rel);
}

/**
 * A streaming writer for one exported file: the WAV header (sizes are known up front), then each
 * block as it is mixed, into a temp file beside the final name. Memory stays at one block per file.
 */
async function openTempWav(final: string, info: ExportFileInfo): Promise<ExportWriter & { tmp: string }> {
  const tmp = tempPathFor(final);
  const handle = await open(tmp, 'wx');
  const encoder = createWavEncoder(info.channels, info.rate, info.frames, {
    bits: info.bits,
    dither: info.bits === 16 ? 'tpdf' : 'none',
    seed: 0x5eed,
    // The timeline origin: every stem starts at the arrangement's frame 0.
    bext: { timeReference: 0, originator: 'Wavehouse', description: 'Wavehouse export' },
  });
  try {
    await handle.write(encoder.header);
  } catch (err) {
    // Not yet handed to the caller, so nothing else would remove it.
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  let open_ = true;
  return {
    tmp,
    async write(channels) {
      await handle.write(encoder.encode(channels, channels[0].length));
    },
    async close() {
      if (encoder.trailer.length) await handle.write(encoder.trailer);
      await handle.sync();
      await handle.close();
      open_ = false;
    },
    async abort() {
      if (open_) await handle.close().catch(() => undefined);
      open_ = false;
      await rm(tmp, { force: true });
    },
  };
}

/** Runs the export. */
export async function run(ctx: JobContext<ExportParams>): Promise<ExportResult> {
  const { projectId, bits, outDir } = ctx.params;
  const row = ctx.db.prepare(`SELECT state FROM arrangements WHERE project_id = ?`).get(projectId) as { state: string } | undefined;
  if (!row) throw new Error('the arrangement is empty: put some takes or samples on the timeline first');
  const arrangement = parseArrangement(JSON.parse(row.state));
  if (!arrangement.tracks.some((t) => t.clips.length > 0)) throw new Error('the arrangement is empty: put some takes or samples on the timeline first');
  await mkdir(outDir, { recursive: true });

  const cache = new Map<string, Promise<SourceAudio>>();
  const getSource = (ref: SourceRef) => {
    const key = `${ref.kind}:${ref.id}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        (async () => {
          const path = sourcePath(ctx, ref);
          const audio = await decodeAudio(await readFile(path)).catch((err) => {
            throw new Error(`cannot read ${ref.kind} ${path}: ${err.reason ?? err.message}`);
          });
          return { sampleRate: audio.sampleRate, channels: audio.data };
        })(),
      );
    }
    return cache.get(key)!;
  };

  const temps: { tmp: string; final: string }[] = [];
  try {
    const result = await renderStems(arrangement, getSource, {
      bits,
      rate: ctx.params.rate,
      resample: (channels, from, to) => resampleChannels(channels, from, to, 'best'),
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(p.fraction * 0.98, p.file ? `Rendering ${p.file}` : 'Rendering…'),
      createWriter: async (info) => {
        const final = join(outDir, info.name);
        const writer = await openTempWav(final, info);
        temps.push({ tmp: writer.tmp, final });
        return writer;
      },
    });
    const files: ExportResult['files'] = result.files.map((f) => ({ name: f.name, path: join(outDir, f.name), kind: f.kind, frames: f.frames, peak: f.peak }));
    ctx.progress(0.99, 'Moving files into place…');
    // The manifest is written before any rename, so a full disk cannot leave stems without it.
    const manifest = join(outDir, EXPORT_MANIFEST);
    temps.push({ tmp: await writeTemp(manifest, JSON.stringify({ projectId, rate: result.rate, frames: result.frames, bits, files: files.map((f) => f.name) }, null, 2)), final: manifest });
    for (const t of temps) await rename(t.tmp, t.final);
    temps.length = 0;
    return { outDir, rate: result.rate, frames: result.frames, bits, files };
  } catch (err) {
    if (isDiskFull(err)) throw writeFailure(err, 'export the arrangement', outDir, 'the export was abandoned and its partial files removed');
    throw err;
  } finally {
    for (const t of temps) await rm(t.tmp, { force: true });
  }
}
