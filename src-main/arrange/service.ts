/**
 * Arrangements as the studio keeps them: one per project, stored with its undo history in SQLite and
 * saved on every edit, so undo and redo survive a restart of the view or of the studio.
 */
import type { Db } from '../db/database';
import { nowIso } from '../db/ids';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { Edit } from '../../src-shared/arrange/edits';
import { EditError } from '../../src-shared/arrange/errors';
import { UndoHistory } from './history';
import { createArrangement, sourceLengthAt, type Arrangement, type Clip } from '../../src-shared/arrange/model';
import { parseArrangement } from '../../src-shared/arrange/schema';

export interface ArrangementState {
  projectId: string;
  arrangement: Arrangement;
  /** Increments on every change; an edit made against an older revision is refused. */
  revision: number;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
}

/** The default arrangement rate: what DAWs and interfaces run at. */
export const DEFAULT_ARRANGEMENT_RATE = 48000;

function toAppError(err: unknown): never {
  if (err instanceof EditError) throw new AppError(err.code === 'not-found' ? 'NOT_FOUND' : 'VALIDATION', err.message, 'edit');
  throw err;
}

/** Every clip an edit would add to the timeline (walking batches). */
function addedClips(edit: Edit): Clip[] {
  switch (edit.type) {
    case 'addClip':
      return [edit.clip];
    case 'addClips':
      return edit.items.map((i) => i.clip);
    case 'addTrack':
      return edit.track.clips;
    case 'batch':
      return edit.edits.flatMap(addedClips);
    default:
      return [];
  }
}

export class ArrangeService {
  constructor(
    private db: Db,
    private bus: EventBus,
  ) {}

  private load(projectId: string): { arrangement: Arrangement; history: UndoHistory; revision: number } {
    const project = this.db.prepare(`SELECT id FROM projects WHERE id = ?`).get(projectId);
    if (!project) throw new AppError('NOT_FOUND', `project ${projectId} does not exist`, 'projectId');
    const row = this.db.prepare(`SELECT state, history, revision FROM arrangements WHERE project_id = ?`).get(projectId) as
      | { state: string; history: string; revision: number }
      | undefined;
    if (!row) return { arrangement: createArrangement({ sampleRate: DEFAULT_ARRANGEMENT_RATE }), history: new UndoHistory(), revision: 0 };
    return { arrangement: parseArrangement(JSON.parse(row.state)), history: UndoHistory.fromJSON(row.history), revision: row.revision };
  }

  private save(projectId: string, arrangement: Arrangement, history: UndoHistory, revision: number): ArrangementState {
    this.db
      .prepare(
        `INSERT INTO arrangements (project_id, state, history, revision, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(project_id) DO UPDATE SET state = excluded.state, history = excluded.history, revision = excluded.revision, updated_at = excluded.updated_at`,
      )
      .run(projectId, JSON.stringify(arrangement), JSON.stringify(history), revision, nowIso());
    this.bus.emit('data.changed', { entity: 'arrangement', projectId });
    return this.view(projectId, arrangement, history, revision);
  }

  private view(projectId: string, arrangement: Arrangement, history: UndoHistory, revision: number): ArrangementState {
    return {
      projectId,
      arrangement,
      revision,
      canUndo: history.canUndo,
      canRedo: history.canRedo,
      undoLabel: history.undoLabel ?? null,
      redoLabel: history.redoLabel ?? null,
    };
  }

  /** The project's arrangement (an empty one at 48 kHz, 120 BPM, 4/4 until the first edit). */
  get(projectId: string): ArrangementState {
    const { arrangement, history, revision } = this.load(projectId);
    return this.view(projectId, arrangement, history, revision);
  }

  /** Applies one edit (recorded for undo) and saves at once. */
  edit(projectId: string, edit: Edit, label?: string, expectedRevision?: number): ArrangementState {
    return this.db.transaction(() => {
      const { arrangement, history, revision } = this.load(projectId);
      if (expectedRevision !== undefined && expectedRevision !== revision) {
        throw new AppError('CONFLICT', `the arrangement changed (revision ${revision}, the edit was made on ${expectedRevision}); reload and retry`, 'revision');
      }
      for (const clip of addedClips(edit)) this.checkClip(projectId, clip, arrangement.sampleRate);
      let next: Arrangement;
      try {
        next = history.apply(arrangement, edit, label);
      } catch (err) {
        toAppError(err);
      }
      return this.save(projectId, next, history, revision + 1);
    })();
  }

  /** Reverts the last edit; a no-op when there is nothing to undo. */
  undo(projectId: string): ArrangementState {
    return this.step(projectId, 'undo');
  }

  /** Re-applies the last undone edit; a no-op when there is nothing to redo. */
  redo(projectId: string): ArrangementState {
    return this.step(projectId, 'redo');
  }

  private step(projectId: string, which: 'undo' | 'redo'): ArrangementState {
    return this.db.transaction(() => {
      const { arrangement, history, revision } = this.load(projectId);
      let next: Arrangement | null;
      try {
        next = which === 'undo' ? history.undo(arrangement) : history.redo(arrangement);
      } catch (err) {
        toAppError(err);
      }
      if (!next) return this.view(projectId, arrangement, history, revision);
      return this.save(projectId, next, history, revision + 1);
    })();
  }

  /**
   * A clip may only place a take of this project or a decoded sample with audio in it, and may not
   * claim more of its source than the file holds (a sourceLength of 2^40 on a 4,800-frame file).
   */
  private checkClip(projectId: string, clip: Clip, arrangementRate: number): void {
    const { source } = clip;
    const found = (
      source.kind === 'take'
        ? this.db.prepare(`SELECT frames, sample_rate AS rate FROM takes WHERE id = ? AND project_id = ?`).get(source.id, projectId)
        : this.db.prepare(`SELECT frames, sample_rate AS rate FROM samples WHERE id = ? AND error IS NULL AND frames > 0`).get(source.id)
    ) as { frames: number; rate: number } | undefined;
    if (!found) throw new AppError('NOT_FOUND', `${source.kind} ${source.id} does not exist${source.kind === 'take' ? ' in this project' : ' or cannot be played'}`, 'edit');
    // One frame of slack: resampled lengths round.
    const available = sourceLengthAt(found.frames, found.rate, arrangementRate);
    if (clip.sourceLength > available + 1) {
      throw new AppError('VALIDATION', `clip ${clip.id}: sourceLength ${clip.sourceLength} is longer than its ${source.kind} (${available} frames at ${arrangementRate} Hz)`, 'edit');
    }
  }
}
