/**
 * The sources a project can put on its timeline: its takes and the samples of its libraries, with
 * what clips need to draw themselves (name, peaks) and to be placed (frames, rate).
 */
import type { Client } from '../../../src-preload/client';
import type { SourceRef } from '../../../src-shared/arrange/model';
import type { Toasts } from '../lib/toasts.svelte';
import { sourceKey } from './schedule';

export interface SourceInfo {
  kind: SourceRef['kind'];
  id: string;
  name: string;
  peaks: string | null;
  frames: number;
  sampleRate: number;
  channels: number;
}

/** MIME type of a source dragged onto a track; JSON `{kind, id, frames, sampleRate, name}`. */
export const SOURCE_DRAG_TYPE = 'application/x-wavehouse-source';

/** What the Takes list sets on its own rows (the take id only); accepted as well. */
export const TAKE_DRAG_TYPE = 'application/x-wavehouse-take';

export interface DraggedSource {
  kind: SourceRef['kind'];
  id: string;
  frames: number;
  sampleRate: number;
  name: string;
}

/** Reads a dragged source, or null when the payload is missing or malformed. */
export function parseDraggedSource(json: string): DraggedSource | null {
  try {
    const v = JSON.parse(json) as Partial<DraggedSource>;
    if ((v.kind === 'take' || v.kind === 'sample') && typeof v.id === 'string' && Number.isFinite(v.frames) && Number.isFinite(v.sampleRate) && (v.frames as number) > 0) {
      return { kind: v.kind, id: v.id, frames: v.frames as number, sampleRate: v.sampleRate as number, name: typeof v.name === 'string' ? v.name : v.id };
    }
  } catch {
    /* not ours */
  }
  return null;
}

function baseName(relPath: string): string {
  return relPath.split('/').pop()!.replace(/\.[^.]+$/, '');
}

export class SourceCatalogue {
  takes = $state.raw<SourceInfo[]>([]);
  samples = $state.raw<SourceInfo[]>([]);
  #byKey = $derived(new Map([...this.takes, ...this.samples].map((s) => [sourceKey(s), s])));

  constructor(
    private readonly client: Client,
    private readonly toasts: Toasts,
  ) {}

  find(ref: SourceRef): SourceInfo | undefined {
    return this.#byKey.get(sourceKey(ref));
  }

  /** A known source as a drop payload (for drags that carry only an id). */
  dragged(ref: SourceRef): DraggedSource | null {
    const s = this.find(ref);
    return s ? { kind: s.kind, id: s.id, frames: s.frames, sampleRate: s.sampleRate, name: s.name } : null;
  }

  /** Remembers a source dropped from elsewhere (e.g. a library the project does not train on). */
  remember(s: DraggedSource): void {
    if (this.find(s)) return;
    this.samples = [...this.samples, { ...s, peaks: null, channels: 1 }];
  }

  async load(projectId: string, libraryIds: string[]): Promise<void> {
    try {
      const [takes, ...pages] = await Promise.all([
        this.client.invoke('takes.list', { projectId }),
        ...libraryIds.map((libraryId) => this.client.invoke('samples.list', { libraryId, status: 'ok', limit: 1000 })),
      ]);
      this.takes = takes.map((t) => ({ kind: 'take', id: t.id, name: t.name, peaks: t.peaks, frames: t.frames, sampleRate: t.sampleRate, channels: 1 }));
      this.samples = pages
        .flatMap((p) => p.rows)
        .filter((s) => s.frames && s.sampleRate)
        .map((s) => ({ kind: 'sample', id: s.id, name: baseName(s.relPath), peaks: s.peaks, frames: s.frames!, sampleRate: s.sampleRate!, channels: s.channels ?? 1 }));
    } catch (err) {
      this.toasts.error('Could not load the takes and samples', err);
    }
  }
}
