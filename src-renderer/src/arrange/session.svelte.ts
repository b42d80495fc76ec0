/**
 * One open timeline: the arrangement (server state + optimistic local copy), selection, cursor,
 * snap, zoom, loop and the player. Every change is one `arrangement.edit` with a label; edits are
 * sent one after another with the revision they were made against, and a CONFLICT (someone else
 * edited, e.g. another window or the CLI) reloads the server's state.
 */
import type { Client } from '../../../src-preload/client';
import { WavehouseError } from '../../../src-preload/client';
import type { ArrangementState } from '../../../src-preload/contract';
import { applyEdit, type Edit } from '../../../src-shared/arrange/edits';
import { barFrames, clipEnd, createClip, createTrack, findClip, sourceLengthAt, type Arrangement, type Clip, type LoopRegion } from '../../../src-shared/arrange/model';
import type { Toasts } from '../lib/toasts.svelte';
import { SourceBuffers } from './buffers';
import { SourceCatalogue, type DraggedSource } from './catalogue.svelte';
import { newId, TRACK_COLOURS } from './ids';
import { ArrangementPlayer } from './playback';
import { clampZoom, snapFrame, ZOOM_STEP, type Snap } from './timeline';

export interface SessionDeps {
  client: Client;
  toasts: Toasts;
  mediaUrl: (kind: 'sample' | 'take' | 'export', id: string) => string;
}

export class ArrangeSession {
  /** What the backend last confirmed. */
  server = $state.raw<ArrangementState | null>(null);
  /** What the user sees: the server state with edits still in flight applied. */
  arrangement = $state.raw<Arrangement | null>(null);
  selection = $state.raw<ReadonlySet<string>>(new Set());
  /** Where play starts (timeline frame). */
  cursor = $state(0);
  snap = $state<Snap>('bar');
  pxPerSecond = $state(40);
  loopEnabled = $state(false);
  playing = $state(false);
  /** The frame being heard while playing. */
  playhead = $state(0);
  loading = $state(true);

  readonly catalogue: SourceCatalogue;
  readonly buffers: SourceBuffers;
  readonly player: ArrangementPlayer;
  #chain: Promise<unknown> = Promise.resolve();
  #inFlight = 0;
  #raf = 0;
  #unsubscribe: () => void;

  constructor(
    private readonly deps: SessionDeps,
    readonly projectId: string,
    libraryIds: string[],
  ) {
    this.catalogue = new SourceCatalogue(deps.client, deps.toasts);
    this.buffers = new SourceBuffers((ref) => deps.mediaUrl(ref.kind, ref.id));
    this.player = new ArrangementPlayer((ref) => (this.arrangement ? this.buffers.get(ref, this.arrangement.sampleRate) : undefined), {
      onEnded: () => this.#stopped(),
    });
    void this.reload();
    void this.catalogue.load(projectId, libraryIds);
    this.#unsubscribe = deps.client.on('data.changed', ({ entity, projectId: pid }) => {
      if (entity === 'arrangement' && pid === projectId && this.#inFlight === 0) void this.reload();
      if (entity === 'takes' || entity === 'samples') void this.catalogue.load(projectId, libraryIds);
    });
  }

  get pxPerFrame(): number {
    return this.pxPerSecond / (this.arrangement?.sampleRate ?? 48000);
  }

  get canUndo(): boolean {
    return this.#inFlight === 0 && !!this.server?.canUndo;
  }

  get canRedo(): boolean {
    return this.#inFlight === 0 && !!this.server?.canRedo;
  }

  async reload(): Promise<void> {
    try {
      const state = await this.deps.client.invoke('arrangement.get', { projectId: this.projectId });
      if (this.#inFlight > 0) return; // our own edits will bring a newer state
      // The echo of our own edit: nothing new (and a playing arrangement need not restart).
      if (this.server && state.revision === this.server.revision && this.arrangement === this.server.arrangement) return;
      this.#adopt(state);
    } catch (err) {
      this.deps.toasts.error('Could not load the timeline', err);
    } finally {
      this.loading = false;
    }
  }

  /** Applies `edit` locally at once, then sends it; resolves false when it was refused. */
  edit(edit: Edit, label: string): Promise<boolean> {
    const base = this.arrangement;
    if (!base) return Promise.resolve(false);
    try {
      this.#setLocal(applyEdit(base, edit).next);
    } catch (err) {
      this.deps.toasts.error(`Could not ${label.toLowerCase()}`, err);
      return Promise.resolve(false);
    }
    this.#inFlight++;
    const sent = this.#chain.then(async () => {
      try {
        const state = await this.deps.client.invoke('arrangement.edit', { projectId: this.projectId, edit, label, revision: this.server?.revision });
        this.#inFlight--;
        this.server = state;
        if (this.#inFlight === 0) this.#adopt(state);
        return true;
      } catch (err) {
        this.#inFlight--;
        if (err instanceof WavehouseError && err.code === 'CONFLICT') this.deps.toasts.info('The timeline changed elsewhere', 'Reloaded it; your last change was not applied.');
        else this.deps.toasts.error(`Could not ${label.toLowerCase()}`, err);
        if (this.#inFlight === 0) await this.reload();
        return false;
      }
    });
    this.#chain = sent;
    return sent;
  }

  async undo(): Promise<void> {
    await this.#history('arrangement.undo');
  }

  async redo(): Promise<void> {
    await this.#history('arrangement.redo');
  }

  async #history(command: 'arrangement.undo' | 'arrangement.redo'): Promise<void> {
    await this.#chain;
    try {
      this.#adopt(await this.deps.client.invoke(command, { projectId: this.projectId }));
    } catch (err) {
      this.deps.toasts.error(command === 'arrangement.undo' ? 'Could not undo' : 'Could not redo', err);
    }
  }

  #adopt(state: ArrangementState): void {
    this.server = state;
    this.#setLocal(state.arrangement);
  }

  #setLocal(arr: Arrangement): void {
    const before = this.arrangement;
    this.arrangement = arr;
    // Drop selected ids that no longer exist (after an undo, a delete, a reload).
    if (this.selection.size > 0) {
      const alive = new Set<string>();
      for (const id of this.selection) if (findClip(arr, id)) alive.add(id);
      if (alive.size !== this.selection.size) this.selection = alive;
    }
    // Playing: pick up the change from where the listener is.
    if (this.playing && before !== arr) void this.#restart();
  }

  // ---- selection -------------------------------------------------------------------------------

  select(clipId: string, mode: 'only' | 'toggle' | 'add' = 'only'): void {
    if (mode === 'only') this.selection = new Set([clipId]);
    else {
      const next = new Set(this.selection);
      if (mode === 'toggle' && next.has(clipId)) next.delete(clipId);
      else next.add(clipId);
      this.selection = next;
    }
  }

  clearSelection(): void {
    if (this.selection.size) this.selection = new Set();
  }

  selectedClips(): Clip[] {
    const arr = this.arrangement;
    if (!arr) return [];
    return [...this.selection].map((id) => findClip(arr, id)?.clip).filter((c): c is Clip => !!c);
  }

  // ---- edits the view and the shortcuts use ----------------------------------------------------

  addTrack(): Promise<boolean> {
    const arr = this.arrangement;
    if (!arr) return Promise.resolve(false);
    const n = arr.tracks.length;
    return this.edit({ type: 'addTrack', track: createTrack(newId('trk'), `Track ${n + 1}`, { colour: TRACK_COLOURS[n % TRACK_COLOURS.length] }) }, 'Add track');
  }

  /** Places a dropped source at `frame` (snapped) on `trackId`, or on a new track when null. */
  dropSource(source: DraggedSource, trackId: string | null, frame: number): Promise<boolean> {
    const arr = this.arrangement;
    if (!arr) return Promise.resolve(false);
    this.catalogue.remember(source);
    const length = sourceLengthAt(source.frames, source.sampleRate, arr.sampleRate);
    const clip = createClip(newId('clp'), { kind: source.kind, id: source.id }, length, snapFrame(arr, frame, this.snap));
    this.selection = new Set([clip.id]);
    if (trackId) return this.edit({ type: 'addClip', trackId, clip }, 'Add clip');
    const n = arr.tracks.length;
    const track = createTrack(newId('trk'), source.name.slice(0, 60) || `Track ${n + 1}`, { colour: TRACK_COLOURS[n % TRACK_COLOURS.length], clips: [clip] });
    return this.edit({ type: 'addTrack', track }, 'Add track with clip');
  }

  deleteSelected(): Promise<boolean> {
    const ids = this.selectedClips().map((c) => c.id);
    if (ids.length === 0) return Promise.resolve(false);
    return this.edit({ type: 'removeClips', clipIds: ids }, ids.length === 1 ? 'Delete clip' : `Delete ${ids.length} clips`);
  }

  duplicateSelected(): Promise<boolean> {
    const clips = this.selectedClips();
    if (clips.length === 0) return Promise.resolve(false);
    const newIds = clips.map(() => newId('clp'));
    const done = this.edit({ type: 'duplicateClips', clipIds: clips.map((c) => c.id), newClipIds: newIds }, clips.length === 1 ? 'Duplicate clip' : `Duplicate ${clips.length} clips`);
    this.selection = new Set(newIds);
    return done;
  }

  /** Splits the selected clips under the cursor (or, with nothing selected, every clip under it). */
  splitAtCursor(): Promise<boolean> {
    const arr = this.arrangement;
    if (!arr) return Promise.resolve(false);
    const at = this.playing ? this.playhead : this.cursor;
    const candidates = this.selection.size ? this.selectedClips() : arr.tracks.flatMap((t) => t.clips);
    const hits = candidates.filter((c) => c.position < at && clipEnd(c) > at);
    if (hits.length === 0) return Promise.resolve(false);
    const edits: Edit[] = hits.map((c) => ({ type: 'splitClip', clipId: c.id, at, newClipId: newId('clp') }));
    return this.edit(edits.length === 1 ? edits[0] : { type: 'batch', edits }, hits.length === 1 ? 'Split clip' : `Split ${hits.length} clips`);
  }

  // ---- view state ------------------------------------------------------------------------------

  zoomBy(factor: number): void {
    this.pxPerSecond = clampZoom(this.pxPerSecond * factor);
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  setCursor(frame: number): void {
    this.cursor = Math.max(0, Math.round(frame));
    if (this.playing) void this.#restart(this.cursor);
  }

  /** L: loop on/off. Turning it on without a region makes one (the selection's bars, else 4 bars from the cursor). */
  async toggleLoop(): Promise<void> {
    const arr = this.arrangement;
    if (!arr) return;
    if (!this.loopEnabled && !arr.loop) {
      const ok = await this.edit({ type: 'setLoop', loop: this.#defaultLoop(arr) }, 'Set loop region');
      if (!ok) return;
    }
    this.loopEnabled = !this.loopEnabled;
    if (this.playing) void this.#restart();
  }

  #defaultLoop(arr: Arrangement): LoopRegion {
    const bar = barFrames(arr);
    const clips = this.selectedClips();
    const first = clips.length ? Math.min(...clips.map((c) => c.position)) : this.cursor;
    const last = clips.length ? Math.max(...clips.map(clipEnd)) : first + 4 * bar;
    const startBar = Math.floor(first / bar + 1e-9);
    const endBar = Math.max(startBar + 1, Math.ceil(last / bar - 1e-9));
    return { start: Math.round(startBar * bar), end: Math.round(endBar * bar) };
  }

  // ---- playback --------------------------------------------------------------------------------

  async togglePlay(): Promise<void> {
    if (this.playing) this.stop();
    else await this.play();
  }

  async play(from = this.cursor): Promise<void> {
    const arr = this.arrangement;
    if (!arr) return;
    await this.buffers.loadFor(arr);
    this.#reportFailures();
    const loop = this.loopEnabled ? arr.loop : null;
    try {
      if (!(await this.player.play(arr, from, loop))) {
        this.deps.toasts.info('Nothing to play', 'Put a clip after the cursor, or move the cursor back.');
        return;
      }
    } catch (err) {
      this.deps.toasts.error('Could not start playback', err);
      return;
    }
    this.playing = true;
    this.playhead = from;
    cancelAnimationFrame(this.#raf);
    this.#follow();
  }

  /** Stop: the playhead goes back to the cursor (where play started), as in most DAWs. */
  stop(): void {
    this.player.stop();
    this.#stopped();
  }

  #stopped(): void {
    this.playing = false;
    cancelAnimationFrame(this.#raf);
    this.playhead = this.cursor;
  }

  async #restart(from?: number): Promise<void> {
    const at = from ?? this.player.position();
    await this.play(at);
  }

  #follow = (): void => {
    if (!this.playing) return;
    this.playhead = this.player.position();
    this.#raf = requestAnimationFrame(this.#follow);
  };

  #reportedFailures = new Set<string>();
  #reportFailures(): void {
    for (const [key, reason] of this.buffers.failures) {
      if (this.#reportedFailures.has(key)) continue;
      this.#reportedFailures.add(key);
      this.deps.toasts.show('error', 'A clip’s audio could not be loaded', `${this.catalogue.find({ kind: key.split(':')[0] as 'take', id: key.slice(key.indexOf(':') + 1) })?.name ?? key}: ${reason}`);
    }
  }

  dispose(): void {
    this.#unsubscribe();
    cancelAnimationFrame(this.#raf);
    this.player.dispose();
  }
}
