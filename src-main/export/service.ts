import { isAbsolute, join } from 'node:path';
import type { Job } from '../../src-preload/contract';
import type { ArrangeService } from '../arrange/service';
import { AppError } from '../errors';
import type { JobService } from '../jobs/service';
import { projectDir } from '../paths';
import type { ExportParams } from './export-job';
import type { BitDepth } from './stems';

/** A folder name for one export: local date and time, sortable. */
export function exportFolderName(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}_${p(date.getHours())}-${p(date.getMinutes())}-${p(date.getSeconds())}`;
}

/** Starts exports of a project's arrangement as jobs. */
export class ExportService {
  constructor(
    private dataDir: string,
    private arrange: ArrangeService,
    private jobs: JobService,
  ) {}

  /** Renders stems and a mixdown into `outDir` (default: the project's exports folder). */
  start(projectId: string, bits: BitDepth, rate?: number, outDir?: string): { job: Job; outDir: string } {
    const { arrangement } = this.arrange.get(projectId);
    if (!arrangement.tracks.some((t) => t.clips.length > 0)) throw new AppError('CONFLICT', 'the arrangement is empty: put some takes or samples on the timeline first', 'projectId');
    if (rate !== undefined && rate !== 44100 && rate !== 48000 && rate !== arrangement.sampleRate) {
      throw new AppError('VALIDATION', `export at 44100 or 48000 Hz, or at the arrangement's ${arrangement.sampleRate} Hz`, 'rate');
    }
    if (outDir !== undefined && !isAbsolute(outDir)) throw new AppError('VALIDATION', 'the export folder must be an absolute path', 'outDir');
    const dir = outDir ?? join(projectDir(this.dataDir, projectId), 'exports', exportFolderName());
    const params: ExportParams = { projectId, bits, rate, outDir: dir };
    const job = this.jobs.start('export', `Export stems (${bits === '32f' ? '32-bit float' : `${bits}-bit`})`, params, projectId);
    return { job, outDir: dir };
  }
}
