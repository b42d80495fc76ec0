import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import type { Job, Library } from '../../src-preload/contract';
import type { LibrariesRepo } from '../db/libraries-repo';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { JobService } from '../jobs/service';
import type { ImportParams } from './import-job';

/** Sample libraries: import (as a job), list, rescan. The user's files are only ever read. */
export class LibraryService {
  constructor(
    private libraries: LibrariesRepo,
    private jobs: JobService,
    private bus: EventBus,
  ) {}

  list(): Library[] {
    return this.libraries.list();
  }

  /**
   * Starts importing a folder (recursively) or a set of files. Importing a folder that is already a
   * library rescans it instead of duplicating it. Paths come from the user, so they are checked here.
   */
  startImport(paths: string[], name?: string): { job: Job; library: Library } {
    if (paths.length === 0) throw new AppError('VALIDATION', 'choose a folder or some files to import', 'paths');
    const resolved = paths.map((p) => {
      if (!isAbsolute(p)) throw new AppError('VALIDATION', `not an absolute path: ${p}`, 'paths');
      try {
        const real = realpathSync(p);
        return { path: real, isDir: statSync(real).isDirectory() };
      } catch {
        throw new AppError('NOT_FOUND', `cannot open ${p}: it does not exist or cannot be read`, 'paths');
      }
    });
    let root: string;
    let files: string[] | undefined;
    if (resolved.length === 1 && resolved[0].isDir) {
      root = resolved[0].path;
    } else {
      if (resolved.some((r) => r.isDir)) throw new AppError('VALIDATION', 'import either one folder or a set of files, not both', 'paths');
      root = commonDir(resolved.map((r) => dirname(r.path)));
      files = resolved.map((r) => relative(root, r.path));
    }
    let library = this.libraries.findByRoot(root);
    if (!library) {
      library = this.libraries.create(name?.trim() || basename(root) || root, root);
      this.bus.emit('data.changed', { entity: 'libraries' });
    }
    const params: ImportParams = { libraryId: library.id, files };
    const job = this.jobs.start('library.import', `Import ${library.name}`, params);
    return { job, library };
  }
}

/** The deepest folder containing every folder in `dirs`. */
function commonDir(dirs: string[]): string {
  let parts = dirs[0].split(sep);
  for (const d of dirs.slice(1)) {
    const other = d.split(sep);
    let i = 0;
    while (i < parts.length && i < other.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join(sep) || sep;
}
