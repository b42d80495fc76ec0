/** Model projects: the list plus the edits the UI makes. Failures are rethrown for forms to show inline. */
import type { Client } from '../../../src-preload/client';
import { Collection } from './collection.svelte';
import type { Toasts } from './toasts.svelte';
import type { CreateProjectInput, Project } from './types';

export class ProjectsStore extends Collection<Project> {
  constructor(
    private readonly client: Client,
    toasts: Toasts,
  ) {
    super('projects', () => client.invoke('projects.list'), toasts);
  }

  async create(input: CreateProjectInput): Promise<Project> {
    const project = await this.client.invoke('projects.create', input);
    this.#upsert(project);
    return project;
  }

  async rename(id: string, name: string): Promise<Project> {
    const project = await this.client.invoke('projects.rename', { id, name });
    this.#upsert(project);
    return project;
  }

  async setLibraries(id: string, libraryIds: string[]): Promise<Project> {
    const project = await this.client.invoke('projects.setLibraries', { id, libraryIds });
    this.#upsert(project);
    return project;
  }

  async remove(id: string): Promise<void> {
    await this.client.invoke('projects.delete', { id });
    this.items = this.items.filter((p) => p.id !== id);
  }

  // Show the result at once; the data.changed reload that follows confirms it.
  #upsert(project: Project): void {
    const index = this.items.findIndex((p) => p.id === project.id);
    if (index >= 0) this.items[index] = project;
    else this.items = [project, ...this.items];
  }
}
