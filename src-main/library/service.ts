import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import type { Job, Library } from '../../src-preload/contract';
import type { LibrariesRepo } from '../db/libraries-repo';
import type { Db } from '../db/database';
import { labelCounts, querySamples, setLabels, type SampleQuery, type SampleRow } from '../db/samples-query';
import { AppError, notFound } from '../errors';
import { compilePattern, labelFromMatch, matchPattern } from './label-pattern';
import type { EventBus } from '../events';
import type { JobService } from '../jobs/service';
import type { ImportParams } from './import-job';

/** Sample libraries: import (as a job), list, rescan. The user's files are only ever read. */
export class LibraryService {
  constructor(
    private db: Db,
    private libraries: LibrariesRepo,
    private jobs: JobService,
    private bus: EventBus,
  ) {}

  get(id: string): Library {
    const library = this.libraries.get(id);
    if (!library) throw notFound('library', id);
    return library;
  }

  /** Rescans a library's folder (new, changed, missing files) as a job. */
  rescan(id: string): { job: Job; library: Library } {
    const library = this.get(id);
    const job = this.jobs.start('library.import', `Rescan ${library.name}`, { libraryId: id } satisfies ImportParams);
    return { job, library };
  }

  /** Forgets a library and its sample records; the files on disk are not touched. */
  remove(id: string): boolean {
    this.get(id);
    const removed = this.db.prepare(`DELETE FROM libraries WHERE id = ?`).run(id).changes > 0;
    this.bus.emit('data.changed', { entity: 'libraries' });
    return removed;
  }

  samples(query: SampleQuery): { total: number; rows: SampleRow[] } {
    this.get(query.libraryId);
    return querySamples(this.db, query);
  }

  labels(libraryId: string): { label: string; count: number }[] {
    this.get(libraryId);
    return labelCounts(this.db, libraryId);
  }

  setLabel(ids: string[], label: string | null): number {
    const updated = setLabels(this.db, ids, label);
    this.bus.emit('data.changed', { entity: 'samples' });
    return updated;
  }

  /** Labels every sample whose file name fits `pattern`; with preview, only reports. */
  labelByPattern(libraryId: string, pattern: string, labelFrom: string[] | undefined, preview: boolean) {
    this.get(libraryId);
    let compiled;
    try {
      compiled = compilePattern(pattern);
      if (labelFrom) for (const n of labelFrom) if (!compiled.names.includes(n)) throw new Error(`{${n}} is not in the pattern`);
    } catch (err) {
      throw new AppError('VALIDATION', (err as Error).message, 'pattern');
    }
    const files = this.db.prepare(`SELECT id, rel_path FROM samples WHERE library_id = ? AND missing = 0 ORDER BY rel_path`).all(libraryId) as { id: string; rel_path: string }[];
    const changes: { id: string; label: string }[] = [];
    const examples: { relPath: string; label: string | null }[] = [];
    for (const f of files) {
      const groups = matchPattern(compiled, f.rel_path);
      const label = groups ? labelFromMatch(compiled, groups, labelFrom) : null;
      if (label) changes.push({ id: f.id, label });
      if (examples.length < 20) examples.push({ relPath: f.rel_path, label });
    }
    let updated = 0;
    if (!preview) {
      const stmt = this.db.prepare(`UPDATE samples SET label = ? WHERE id = ?`);
      updated = this.db.transaction(() => changes.reduce((n, c) => n + stmt.run(c.label, c.id).changes, 0))();
      this.bus.emit('data.changed', { entity: 'samples' });
    }
    return { matched: changes.length, unmatched: files.length - changes.length, examples, updated };
  }

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
