/**
 * The timeline's data, kept outside React so it survives leaving the view: going back from an entry
 * shows the same place in the list, without fetching again. Pages of entries.list (newest first) are
 * fetched on demand and kept current with the changes this window (and others) make.
 */
import type { VirtualItem } from '@tanstack/react-virtual';
import type { ApiError } from '../../../../shared/api/errors.ts';
import type { Entry } from '../../../../shared/domain/entry.ts';
import { call, onJournalChange, type JournalChange } from '../../lib/api.ts';
import { takePrefetched } from '../../lib/prefetch.ts';

export const TIMELINE_PAGE = 100;

export interface TimelineState {
  /**
   * Newest first. A page scrolled to is pushed onto this same array (copying everything loaded for
   * each page made going far back cost O(n²)); any other change makes a new array, so an array that
   * grew in place only gained entries at its end (timeline-rows.ts relies on it).
   */
  items: Entry[];
  /** No more pages. */
  done: boolean;
  loading: boolean;
  error: ApiError | null;
  /** The first page has arrived (or failed). */
  ready: boolean;
}

/** People created only because a note mentioned them are not something the user logged. */
const shown = (e: Entry) => e.deletedAt === null && e.source !== 'mention';
const newestFirst = (a: Entry, b: Entry) => b.createdAt - a.createdAt;

export class TimelineStore {
  readonly tag: string | undefined;
  state: TimelineState = { items: [], done: false, loading: false, error: null, ready: false };
  /** Where the list was scrolled to, and the row sizes measured, for coming back. */
  scrollOffset = 0;
  measurements: VirtualItem[] = [];
  /** The entry last opened from the list, to give focus back to it. */
  lastOpened: string | null = null;
  private cursor: string | null = null;
  /** The ids in `known.items`, kept up to date as pages are appended to it. */
  private known: { items: Entry[]; ids: Set<string> } = { items: [], ids: new Set() };
  private busy = false;
  private generation = 0;
  private started = false;
  private readonly listeners = new Set<() => void>();

  constructor(tag: string | undefined) {
    this.tag = tag;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): TimelineState => this.state;

  private set(next: Partial<TimelineState>): void {
    this.state = { ...this.state, ...next };
    for (const l of [...this.listeners]) l();
  }

  /** First use: load the first page; later uses: just look for entries added meanwhile. */
  start(): void {
    if (!this.started) {
      this.started = true;
      void this.loadMore();
    } else if (this.state.ready) {
      void this.refreshHead();
    }
  }

  loadMore = async (): Promise<void> => {
    if (this.busy || this.state.done) return;
    this.busy = true;
    const gen = this.generation;
    this.set({ loading: true, error: null });
    const input = { limit: TIMELINE_PAGE, ...(this.cursor ? { cursor: this.cursor } : {}), ...(this.tag ? { tag: this.tag } : {}) };
    const result = await (takePrefetched(input) ?? call('entries.list', input));
    if (gen !== this.generation) return;
    this.busy = false;
    if (!result.ok) {
      this.set({ loading: false, error: result.error, ready: true });
      return;
    }
    this.cursor = result.value.nextCursor;
    const items = this.state.items;
    const known = this.knownIds();
    const page = result.value.items.filter((e) => shown(e) && !known.has(e.id));
    for (const e of page) {
      known.add(e.id);
      items.push(e);
    }
    this.set({ items, done: result.value.nextCursor === null, loading: false, error: null, ready: true });
  };

  /** The ids of the entries loaded: read again only after a change other than a page appended. */
  private knownIds(): Set<string> {
    const items = this.state.items;
    if (this.known.items !== items) this.known = { items, ids: new Set(items.map((e) => e.id)) };
    return this.known.ids;
  }

  reload = (): void => {
    this.generation += 1;
    this.cursor = null;
    this.busy = false;
    this.scrollOffset = 0;
    this.measurements = [];
    this.state = { items: [], done: false, loading: false, error: null, ready: false };
    this.started = true;
    void this.loadMore();
  };

  /** Entries saved elsewhere (the capture window, the CLI) are put on top. */
  refreshHead = async (): Promise<void> => {
    const result = await call('entries.list', { limit: 50, ...(this.tag ? { tag: this.tag } : {}) });
    if (!result.ok) return;
    const known = this.knownIds();
    // Any entry not shown yet that falls inside what is loaded, not only those newer than the top one:
    // an entry dated ahead (a colleague's clock) would otherwise keep every new one out.
    const last = this.state.items.at(-1);
    const inLoaded = (e: Entry) => this.state.done || !last || e.createdAt >= last.createdAt;
    const fresh = result.value.items.filter((e) => shown(e) && !known.has(e.id) && inLoaded(e));
    if (fresh.length > 0) this.set({ items: [...fresh, ...this.state.items].sort(newestFirst) });
  };

  apply({ method, value }: JournalChange): void {
    if (!this.started) return;
    if (value === undefined) {
      // Changed in another window: only the method is known.
      if (method === 'entries.create') void this.refreshHead();
      else this.reload();
      return;
    }
    if (method === 'entries.restore' || method === 'journal.import') {
      this.reload();
      return;
    }
    if (method === 'entries.purge' || method === 'entries.delete') {
      const id = (value as { id?: string } | null)?.id;
      if (id && this.state.items.some((e) => e.id === id)) this.set({ items: this.state.items.filter((e) => e.id !== id) });
      return;
    }
    if (method !== 'entries.create' && method !== 'entries.update' && method !== 'entries.restoreRevision') return;
    const entry = value as Entry;
    const fits = shown(entry) && (!this.tag || entry.tags.includes(this.tag));
    const items = this.state.items;
    const at = items.findIndex((e) => e.id === entry.id);
    if (at >= 0) {
      const next = items.slice();
      if (fits) next[at] = entry;
      else next.splice(at, 1);
      this.set({ items: next });
      return;
    }
    if (!fits || method !== 'entries.create') return;
    const last = items[items.length - 1];
    // Only place it if it falls inside what is loaded (an import of old notes may not).
    if (!this.state.done && last && entry.createdAt < last.createdAt) return;
    this.set({ items: [...items, entry].sort(newestFirst) });
  }
}

// A few timelines (all entries, recent tags) stay in memory; the oldest tag view is dropped first.
const MAX_STORES = 4;
const stores = new Map<string, TimelineStore>();
let listening = false;

export function timelineStore(tag: string | undefined): TimelineStore {
  const key = tag ?? '';
  let store = stores.get(key);
  if (store) {
    stores.delete(key);
  } else {
    store = new TimelineStore(tag);
    for (const [k] of stores) {
      if (stores.size < MAX_STORES) break;
      if (k !== '') stores.delete(k);
    }
  }
  stores.set(key, store);
  if (!listening) {
    listening = true;
    onJournalChange((change) => {
      for (const s of stores.values()) s.apply(change);
    });
  }
  return store;
}
