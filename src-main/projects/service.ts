import type { ModelConfig, ParsedInput, Project } from '../../src-preload/contract';
import { ModelConfig as ModelConfigSchema } from '../../src-preload/contract';
import type { LibrariesRepo } from '../db/libraries-repo';
import type { ProjectsRepo } from '../db/projects-repo';
import { AppError, notFound } from '../errors';
import type { EventBus } from '../events';
import { PRESETS } from '../../src-shared/model/config';

/** Model projects: a WaveNet preset plus the libraries it trains on. */
export class ProjectService {
  constructor(
    private projects: ProjectsRepo,
    private libraries: LibrariesRepo,
    private bus: EventBus,
  ) {}

  list(): Project[] {
    return this.projects.list();
  }

  get(id: string): Project {
    const project = this.projects.get(id);
    if (!project) throw notFound('project', id);
    return project;
  }

  /** Finds a project by id or by (case-insensitive) name, for the CLI's --project. */
  resolve(idOrName: string): Project {
    const project = this.projects.get(idOrName) ?? this.projects.findByName(idOrName);
    if (!project) throw new AppError('NOT_FOUND', `no project is called or has the id "${idOrName}"`, 'project');
    return project;
  }

  private checkLibraries(libraryIds: string[]): void {
    const existing = this.libraries.existing(libraryIds);
    const missing = libraryIds.find((id) => !existing.has(id));
    if (missing) throw new AppError('NOT_FOUND', `library ${missing} does not exist`, 'libraryIds');
  }

  create(input: ParsedInput<'projects.create'>): Project {
    if (this.projects.findByName(input.name)) throw new AppError('CONFLICT', `a project called "${input.name}" already exists`, 'name');
    this.checkLibraries(input.libraryIds);
    const base = input.preset === 'studio' ? PRESETS.studio : PRESETS.sketch;
    const config: ModelConfig = ModelConfigSchema.parse({ ...base, numLabels: 0, ...(input.config ?? {}) });
    const project = this.projects.create(input.name, input.preset, config, input.libraryIds);
    this.bus.emit('data.changed', { entity: 'projects' });
    return project;
  }

  /** Sets the libraries a project trains on; a run in progress keeps the data it started with. */
  setLibraries(id: string, libraryIds: string[]): Project {
    this.get(id);
    this.checkLibraries(libraryIds);
    this.projects.setLibraries(id, libraryIds);
    this.bus.emit('data.changed', { entity: 'projects' });
    return this.get(id);
  }

  rename(id: string, name: string): Project {
    const project = this.get(id);
    const clash = this.projects.findByName(name);
    if (clash && clash.id !== project.id) throw new AppError('CONFLICT', `a project called "${name}" already exists`, 'name');
    this.projects.rename(id, name);
    this.bus.emit('data.changed', { entity: 'projects' });
    return this.get(id);
  }

  delete(id: string): boolean {
    this.get(id);
    const deleted = this.projects.delete(id);
    this.bus.emit('data.changed', { entity: 'projects' });
    return deleted;
  }
}
