import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { Entry } from '../../../../shared/domain/entry.ts';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { formatDay, startOfDay } from '../../lib/format.ts';
import { hrefFor } from '../../lib/router.ts';
import { TimelineEntry } from './TimelineEntry.tsx';
import { useTimeline } from './useTimeline.ts';
import { useToday } from '../../hooks/useToday.ts';

type Row = { type: 'day'; key: string; label: string } | { type: 'entry'; key: string; entry: Entry };

const DAY_ROW_HEIGHT = 40;

/** The rows for `items`, with day headings said as seen from `today` (the start of the local day). */
function toRows(items: Entry[], today: number): Row[] {
  const rows: Row[] = [];
  let day = -1;
  const now = Math.max(Date.now(), today);
  for (const entry of items) {
    const d = startOfDay(entry.createdAt);
    if (d !== day) {
      day = d;
      rows.push({ type: 'day', key: `day-${d}`, label: formatDay(entry.createdAt, now) });
    }
    rows.push({ type: 'entry', key: entry.id, entry });
  }
  return rows;
}

/**
 * Every entry, newest first, grouped by day. Only the rows in view are in the DOM (virtualised),
 * pages load as the end comes near, and the current day's heading sticks to the top.
 */
export function TimelineList({ tag, onCompose }: { tag?: string; onCompose?: () => void }) {
  const timeline = useTimeline(tag);
  const today = useToday();
  const rows = useMemo(() => toRows(timeline.items, today), [timeline.items, today]);
  const scrollRef = useRef<HTMLDivElement>(null);

  const dayIndexes = useMemo(() => rows.flatMap((r, i) => (r.type === 'day' ? [i] : [])), [rows]);
  const activeDay = useRef(0);

  const rangeExtractor = useCallback(
    (range: Range) => {
      // The heading of the day at the top of the view stays rendered so it can stick.
      let active = 0;
      for (const i of dayIndexes) {
        if (i <= range.startIndex) active = i;
        else break;
      }
      activeDay.current = active;
      const indexes = new Set([active, ...defaultRangeExtractor(range)]);
      return [...indexes].sort((a, b) => a - b);
    },
    [dayIndexes],
  );

  const store = timeline.store;
  const virtualizer = useVirtualizer({
    count: rows.length,
    // Coming back to the timeline: the same place, with the row sizes already known.
    initialOffset: () => store.scrollOffset,
    initialMeasurementsCache: store.measurements,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.type === 'day' ? DAY_ROW_HEIGHT : 96),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 4,
    rangeExtractor,
  });

  useEffect(() => {
    // Back from an entry: focus returns to the row it was opened from.
    const id = store.lastOpened;
    const frame = id
      ? requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-entry-id="${CSS.escape(id)}"] .tl-body`)?.focus({ preventScroll: true }))
      : 0;
    return () => {
      cancelAnimationFrame(frame);
      store.scrollOffset = virtualizer.scrollOffset ?? 0;
      store.measurements = virtualizer.takeSnapshot();
    };
  }, [store, virtualizer]);

  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? 0;
  const { done, loading, error, loadMore } = timeline;

  useEffect(() => {
    if (!done && !loading && !error && rows.length > 0 && lastIndex >= rows.length - 15) void loadMore();
  }, [lastIndex, rows.length, done, loading, error, loadMore]);

  // j/k and the arrow keys move between entries, scrolling the list as needed.
  const move = (step: number): boolean => {
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    let index = current && scrollRef.current?.contains(current) ? Number(current.dataset.index) : step > 0 ? -1 : rows.length;
    do index += step;
    while (rows[index]?.type === 'day');
    if (index < 0 || index >= rows.length) return false;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    const focus = (tries: number) => {
      const link = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] .tl-body`);
      if (link) link.focus({ preventScroll: true });
      else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
    };
    // At once when the row is already rendered, so a held-down j (key repeat) never reads a stale focus.
    focus(5);
    return true;
  };
  const moveRef = useRef(move);
  moveRef.current = move;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    const step = keys[e.key];
    if (!step || e.altKey || e.ctrlKey || e.metaKey) return;
    if (move(step)) e.preventDefault();
  };

  // j/k also work before the focus is in the list (on arrival the page itself has it), as the
  // shortcuts card promises; not while typing or with a dialog open.
  useEffect(() => {
    const onWindowKey = (e: globalThis.KeyboardEvent) => {
      const step = e.key === 'j' ? 1 : e.key === 'k' ? -1 : 0;
      if (!step || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.closest('dialog[open]'))) return;
      if (target && scrollRef.current?.contains(target)) return; // the list's own handler has it
      if (moveRef.current(step)) e.preventDefault();
    };
    window.addEventListener('keydown', onWindowKey);
    return () => window.removeEventListener('keydown', onWindowKey);
  }, []);

  if (!timeline.ready) return <LoadingRows rows={6} label="Loading timeline" />;
  if (timeline.error && rows.length === 0) return <ErrorState error={timeline.error} onRetry={timeline.reload} title="The timeline could not be loaded" />;
  if (rows.length === 0) {
    return tag ? (
      <EmptyState icon="hash" title={`Nothing tagged #${tag}`} action={<a className="button" href={hrefFor({ name: 'timeline' })}>Show every entry</a>}>
        <p>Add #{tag} to a note and it will show up here.</p>
      </EmptyState>
    ) : (
      <EmptyState
        icon="logo"
        title="Your journal is empty"
        action={
          onCompose && (
            <button type="button" className="button button-primary" onClick={onCompose}>
              Write your first note
            </button>
          )
        }
      >
        <p>Log what you are working on as it happens. Mention people with @name and tag topics with #tag; it all becomes searchable at once.</p>
      </EmptyState>
    );
  }

  return (
    <div
      ref={scrollRef}
      className="timeline-scroll"
      data-testid="timeline"
      role="feed"
      aria-label="Timeline"
      aria-busy={loading}
      onKeyDown={onKeyDown}
      onClick={(e) => {
        const row = (e.target as Element).closest<HTMLElement>('[data-entry-id]');
        if (row) store.lastOpened = row.dataset.entryId ?? null;
      }}
    >
      <div className="timeline-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          const sticky = row.type === 'day' && item.index === activeDay.current;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={row.type === 'entry' ? virtualizer.measureElement : undefined}
              className={row.type === 'day' ? `tl-row tl-day${sticky ? ' tl-day-sticky' : ''}` : 'tl-row'}
              style={sticky ? { height: DAY_ROW_HEIGHT } : { transform: `translateY(${item.start}px)`, ...(row.type === 'day' ? { height: DAY_ROW_HEIGHT } : {}) }}
            >
              {row.type === 'day' ? <h2 className="tl-day-label">{row.label}</h2> : <TimelineEntry entry={row.entry} />}
            </div>
          );
        })}
      </div>
      {loading && rows.length > 0 && <div className="timeline-more" role="status">Loading more…</div>}
      {error && rows.length > 0 && (
        <div className="timeline-more" role="alert">
          {error.message}{' '}
          <button type="button" className="link-button" onClick={() => void loadMore()}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
