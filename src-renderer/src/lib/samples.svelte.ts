/**
 * The sample browser of one library: filters, the total, and the rows fetched page by page as the
 * list scrolls. Only the pages near the viewport are ever requested; responses to an older query
 * (the user kept typing, or the data changed meanwhile) are dropped by a generation counter.
 */
import type { Client } from '../../../src-preload/client';
import type { CommandInput, CommandOutput } from '../../../src-preload/contract';
import { SampleSelection } from './samples-selection.svelte';
import type { Toasts } from './toasts.svelte';

export type Sample = CommandOutput<'samples.list'>['rows'][number];
export type LabelCount = CommandOutput<'samples.labels'>[number];
type ListInput = CommandInput<'samples.list'>;

export type StatusFilter = NonNullable<ListInput['status']>;
export type SortKey = NonNullable<ListInput['sort']>;

export interface SampleFilters {
  search: string;
  /** `undefined`: any label; `null`: only unlabelled samples. */
  label: string | null | undefined;
  /** Seconds; null for no bound. */
  minDuration: number | null;
  maxDuration: number | null;
  sampleRate: number | null;
  status: StatusFilter;
  sort: SortKey;
  direction: 'asc' | 'desc';
}

export const DEFAULT_FILTERS: SampleFilters = {
  search: '',
  label: undefined,
  minDuration: null,
  maxDuration: null,
  sampleRate: null,
  status: 'all',
  sort: 'name',
  direction: 'asc',
};

/** Rows per request: a few screens' worth, small enough that a page arrives within a frame or two. */
export const PAGE_SIZE = 100;
/** Pages kept in memory; beyond this the ones farthest from the view are dropped (refetched if scrolled back to). */
const MAX_CACHED_PAGES = 50;
/** Typing in the search box waits this long for a pause before querying. */
const FILTER_DEBOUNCE_MS = 180;
/** Most rows `samples.list` returns at once (the contract's limit), for collecting ids. */
const MAX_LIMIT = 1000;

export class SampleBrowser {
  /** What the toolbar shows; `applied` is what the rows reflect (after the debounce). */
  filters = $state<SampleFilters>({ ...DEFAULT_FILTERS });
  total = $state(0);
  /** False until the first page of the current query arrived. */
  loaded = $state(false);
  error = $state<string | null>(null);
  labels = $state<LabelCount[]>([]);
  /** Bumped when the query changes (not when the same query is refetched), so the list scrolls to the top. */
  queryVersion = $state(0);
  readonly selection = new SampleSelection();

  #pages = $state<Record<number, Sample[]>>({});
  /** Pages fetched for the current generation (others may still show, until refetched). */
  #fresh = new Set<number>();
  #inflight = new Set<number>();
  #generation = 0;
  #visible = { start: 0, end: PAGE_SIZE };
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #applied: SampleFilters = { ...DEFAULT_FILTERS };

  constructor(
    readonly libraryId: string,
    private readonly client: Client,
    private readonly toasts: Toasts,
  ) {
    this.#reload({ keepRows: false });
    void this.refreshLabels();
  }

  /** The row at `index` if its page is loaded. */
  rowAt(index: number): Sample | undefined {
    return this.#pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  }

  /** The list reports which rows it renders; the pages they need are fetched if missing. */
  show(start: number, end: number): void {
    this.#visible = { start, end };
    this.#fetchVisible();
  }

  /** Changes filters; text-like fields wait for a pause in typing, choices apply at once. */
  setFilters(patch: Partial<SampleFilters>, { immediate = false } = {}): void {
    this.filters = { ...this.filters, ...patch };
    clearTimeout(this.#debounce);
    if (immediate) this.#apply();
    else this.#debounce = setTimeout(() => this.#apply(), FILTER_DEBOUNCE_MS);
  }

  resetFilters(): void {
    this.setFilters({ ...DEFAULT_FILTERS, sort: this.filters.sort, direction: this.filters.direction }, { immediate: true });
  }

  /** The backend changed samples: refetch what is on screen, keeping the old rows until then. */
  invalidate(): void {
    this.#reload({ keepRows: true });
    void this.refreshLabels();
  }

  async refreshLabels(): Promise<void> {
    try {
      this.labels = await this.client.invoke('samples.labels', { libraryId: this.libraryId });
    } catch {
      /* the filter keeps its previous labels; the list itself reports errors */
    }
  }

  /** Ids of rows [start, end) under the current query, fetching what is not loaded. */
  async idsInRange(start: number, end: number): Promise<string[]> {
    const ids: string[] = [];
    const generation = this.#generation;
    for (let offset = start; offset < end; ) {
      const cached = this.rowAt(offset);
      if (cached) {
        ids.push(cached.id);
        offset++;
        continue;
      }
      const limit = Math.min(MAX_LIMIT, end - offset);
      const page = await this.client.invoke('samples.list', { ...this.#query(), offset, limit });
      if (generation !== this.#generation) throw new Error('the list changed while collecting the selection');
      ids.push(...page.rows.map((r) => r.id));
      if (page.rows.length < limit) break;
      offset += limit;
    }
    return ids;
  }

  /** Sets (or clears, with null) the label of some samples; the rows show it before the backend confirms. */
  async setLabel(ids: string[], label: string | null): Promise<number> {
    const wanted = new Set(ids);
    const previous = new Map<string, string | null>();
    this.#patchRows((row) => {
      if (!wanted.has(row.id)) return row;
      previous.set(row.id, row.label);
      return { ...row, label };
    });
    try {
      const { updated } = await this.client.invoke('samples.setLabel', { ids, label });
      return updated;
    } catch (err) {
      this.#patchRows((row) => (previous.has(row.id) ? { ...row, label: previous.get(row.id) ?? null } : row));
      throw err;
    }
  }

  dispose(): void {
    clearTimeout(this.#debounce);
    this.#generation++;
  }

  #apply(): void {
    const next = $state.snapshot(this.filters) as SampleFilters;
    if (JSON.stringify(next) === JSON.stringify(this.#applied)) return;
    this.#applied = next;
    this.selection.clear();
    this.#reload({ keepRows: false });
  }

  #reload({ keepRows }: { keepRows: boolean }): void {
    this.#generation++;
    this.#fresh.clear();
    this.#inflight.clear();
    if (!keepRows) {
      this.#pages = {};
      this.loaded = false;
      this.queryVersion++;
    }
    this.#fetchVisible();
  }

  #fetchVisible(): void {
    const first = Math.floor(this.#visible.start / PAGE_SIZE);
    const last = Math.floor(Math.max(this.#visible.start, this.#visible.end - 1) / PAGE_SIZE);
    for (let page = first; page <= last; page++) void this.#fetchPage(page);
  }

  async #fetchPage(page: number): Promise<void> {
    if (this.#fresh.has(page) || this.#inflight.has(page)) return;
    // Past the end of a known total there is nothing to fetch (page 0 is always asked, for the total).
    if (this.loaded && page > 0 && page * PAGE_SIZE >= this.total) return;
    const generation = this.#generation;
    this.#inflight.add(page);
    try {
      const result = await this.client.invoke('samples.list', { ...this.#query(), offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (generation !== this.#generation) return;
      this.#fresh.add(page);
      if (!this.loaded) {
        // First answer of a reload that kept the old rows: drop those now, they may be out of range.
        this.#pages = {};
      }
      this.#pages[page] = result.rows;
      this.#evictFarPages();
      this.total = result.total;
      this.loaded = true;
      this.error = null;
      this.selection.clamp(result.total);
    } catch (err) {
      if (generation !== this.#generation) return;
      // One toast per outage, not one per page the user scrolls past.
      if (this.error === null) this.toasts.error('Could not load samples', err);
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      if (generation === this.#generation) this.#inflight.delete(page);
    }
  }

  #evictFarPages(): void {
    const cached = Object.keys(this.#pages).map(Number);
    if (cached.length <= MAX_CACHED_PAGES) return;
    const centre = Math.floor((this.#visible.start + this.#visible.end) / 2 / PAGE_SIZE);
    cached.sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const page of cached.slice(0, cached.length - MAX_CACHED_PAGES)) {
      delete this.#pages[page];
      this.#fresh.delete(page);
    }
  }

  #query(): Omit<ListInput, 'offset' | 'limit'> {
    const f = this.#applied;
    return {
      libraryId: this.libraryId,
      search: f.search.trim() || undefined,
      label: f.label,
      minDuration: f.minDuration ?? undefined,
      maxDuration: f.maxDuration ?? undefined,
      sampleRate: f.sampleRate ?? undefined,
      status: f.status,
      sort: f.sort,
      direction: f.direction,
    };
  }

  #patchRows(change: (row: Sample) => Sample): void {
    for (const [page, rows] of Object.entries(this.#pages)) this.#pages[Number(page)] = rows.map(change);
  }
}
