import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import type { Job } from '../../src-preload/contract';
import type { ArrangeService } from '../arrange/service';
import { AppError } from '../errors';
import type { JobService } from '../jobs/service';
import { projectDir } from '../paths';
import type { ExportParams } from './export-job';
import { EXPORT_MANIFEST } from './names';
import type { BitDepth } from './stems';

/** A folder name for one export: local date and time, sortable. */
export function exportFolderName(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}_${p(date.getHours())}-${p(date.getMinutes())}-${p(date.getSeconds())}`;
}

/** Real path of `path`, or of its nearest existing ancestor joined with the rest (for folders not yet made). */
function realOrAncestor(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realOrAncestor(parent), path.slice(parent.length + 1));
}

/**
 * Where an export may write: never inside (or onto) a library folder, and never into a folder that
 * already holds files unless it is a previous Wavehouse export and `replace` is set.
 */
export function checkExportFolder(outDir: string, libraryRoots: string[], replace: boolean): void {
  const real = realOrAncestor(outDir);
  for (const root of libraryRoots) {
    const realRoot = realOrAncestor(root);
    if (real === realRoot || real.startsWith(realRoot + sep)) {
      throw new AppError('VALIDATION', `${outDir} is inside the sample library ${root}: exports never write into your sample folders`, 'outDir');
    }
  }
  if (!existsSync(outDir) || readdirSync(outDir).length === 0) return;
  if (!existsSync(join(outDir, EXPORT_MANIFEST))) {
    throw new AppError('CONFLICT', `${outDir} already holds files that are not a Wavehouse export: choose an empty or new folder`, 'outDir');
  }
  if (!replace) {
    throw new AppError('CONFLICT', `${outDir} holds a previous Wavehouse export: replace it (the dialog's Replace, or --force) or choose a new folder`, 'outDir');
  }
}

/** Starts exports of a project's arrangement as jobs. */
export class ExportService {
  constructor(
    private dataDir: string,
    private arrange: ArrangeService,
    private jobs: JobService,
    private libraryRoots: () => string[],
  ) {}

  /** Renders stems and a mixdown into `outDir` (default: a new folder in the project's exports folder). */
  start(projectId: string, bits: BitDepth, rate?: number, outDir?: string, replace = false): { job: Job; outDir: string } {
    const { arrangement } = this.arrange.get(projectId);
    if (!arrangement.tracks.some((t) => t.clips.length > 0)) throw new AppError('CONFLICT', 'the arrangement is empty: put some takes or samples on the timeline first', 'projectId');
    if (rate !== undefined && rate !== 44100 && rate !== 48000 && rate !== arrangement.sampleRate) {
      throw new AppError('VALIDATION', `export at 44100 or 48000 Hz, or at the arrangement's ${arrangement.sampleRate} Hz`, 'rate');
    }
    if (outDir !== undefined && !isAbsolute(outDir)) throw new AppError('VALIDATION', 'the export folder must be an absolute path', 'outDir');
    if (outDir !== undefined) checkExportFolder(outDir, this.libraryRoots(), replace);
    const dir = outDir ?? join(projectDir(this.dataDir, projectId), 'exports', exportFolderName());
    const params: ExportParams = { projectId, bits, rate, outDir: dir };
    const job = this.jobs.start('export', `Export stems (${bits === '32f' ? '32-bit float' : `${bits}-bit`})`, params, projectId);
    return { job, outDir: dir };
  }
}
