import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { formatDay } from '../../lib/format.ts';
import { hrefFor } from '../../lib/router.ts';
import { TimelineEntry } from './TimelineEntry.tsx';
import { headingOf, TimelineRows } from './timeline-rows.ts';
import { useTimeline } from './useTimeline.ts';
import { useListKeys } from '../../hooks/useListKeys.ts';
import { useToday } from '../../hooks/useToday.ts';

const DAY_ROW_HEIGHT = 40;

/**
 * Every entry, newest first, grouped by day. Only the rows in view are in the DOM (virtualised),
 * pages load as the end comes near, and the current day's heading sticks to the top.
 */
export function TimelineList({ tag, onCompose }: { tag?: string; onCompose?: () => void }) {
  const timeline = useTimeline(tag);
  const today = useToday();
  // Extended, not rebuilt, when a page is appended; a new array only when rows may have moved.
  const rowMaker = useMemo(() => new TimelineRows(), [timeline.store]);
  const rows = rowMaker.update(timeline.items);
  const count = rows.length;
  const scrollRef = useRef<HTMLDivElement>(null);

  const activeDay = useRef(0);

  // The callbacks below change only with `rows` (not with each render, nor with a page appended to
  // it): the virtualizer lays every row out again whenever getItemKey changes.
  const rangeExtractor = useCallback(
    (range: Range) => {
      // The heading of the day at the top of the view stays rendered so it can stick.
      const active = Math.max(0, headingOf(rows, range.startIndex));
      activeDay.current = active;
      const indexes = new Set([active, ...defaultRangeExtractor(range)]);
      return [...indexes].sort((a, b) => a - b);
    },
    [rows],
  );
  const estimateSize = useCallback((i: number) => (rows[i]?.type === 'day' ? DAY_ROW_HEIGHT : 96), [rows]);
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);

  const store = timeline.store;
  const virtualizer = useVirtualizer({
    count,
    // Coming back to the timeline: the same place, with the row sizes already known.
    initialOffset: () => store.scrollOffset,
    initialMeasurementsCache: store.measurements,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: 4,
    // A row scrolled to with the keyboard stops below the day heading stuck to the top, not under it.
    scrollPaddingStart: DAY_ROW_HEIGHT,
    rangeExtractor,
  });

  // The row the last j or k went to while it was not rendered yet: the next key goes on from there,
  // not from the focus it has not reached (a held-down j would otherwise lose steps).
  const goingTo = useRef<number | null>(null);

  // Scrolls row `index` wholly into view and focuses its link, at once when it is rendered already.
  const focusRow = (index: number) => {
    virtualizer.scrollToIndex(index, { align: 'auto' });
    goingTo.current = index;
    const focus = (tries: number) => {
      if (goingTo.current !== index) return; // a later key went elsewhere
      const link = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] .tl-body`);
      if (link) link.focus({ preventScroll: true });
      if (link || tries === 0) goingTo.current = null;
      else requestAnimationFrame(() => focus(tries - 1));
    };
    focus(5);
  };
  const focusRowRef = useRef(focusRow);
  focusRowRef.current = focusRow;
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // The entries before and after the one last opened, when that one is gone (deleted on its page):
  // the first j or k goes on from there, as it would have from the entry itself.
  const resumeFrom = useRef<{ next?: string; prev?: string } | null>(null);

  useEffect(() => {
    // Back from an entry: focus returns to the row it was opened from.
    const id = store.lastOpened;
    const index = id ? rowsRef.current.findIndex((r) => r.key === id) : -1;
    if (id && index < 0) {
      // The sizes kept on leaving are those of the entry rows rendered so far, in order: the opened
      // one was among them, and so were the rows on either side of it.
      const kept = store.measurements.map((m) => String(m.key));
      const at = kept.indexOf(id);
      resumeFrom.current = at < 0 ? null : { prev: kept[at - 1], next: kept[at + 1] };
    }
    const frame = index >= 0 ? requestAnimationFrame(() => focusRowRef.current(index)) : 0;
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
    if (!done && !loading && !error && count > 0 && lastIndex >= count - 15) void loadMore();
  }, [lastIndex, count, done, loading, error, loadMore]);

  // With no row focused (just arrived, scrolled with the wheel, back from an entry deleted), j and k
  // start from what is in view, not from the top of the list: the entry beside the one deleted if it
  // is there, else the first entry wholly below the sticky day heading (or the first partly there).
  const startIndex = (step: number): number => {
    const el = scrollRef.current;
    if (!el) return -1;
    const top = el.scrollTop + DAY_ROW_HEIGHT;
    const bottom = el.scrollTop + el.clientHeight;
    const showing = virtualItems.filter((item) => rows[item.index]?.type === 'entry' && item.end > top && item.start < bottom);
    const beside = step > 0 ? resumeFrom.current?.next : resumeFrom.current?.prev;
    resumeFrom.current = null;
    return (showing.find((item) => item.key === beside) ?? showing.find((item) => item.start >= top - 1) ?? showing[0])?.index ?? -1;
  };

  // j/k and the arrow keys move between entries, scrolling the list as needed.
  useListKeys(scrollRef, (step) => {
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    const from = goingTo.current ?? (current && scrollRef.current?.contains(current) ? Number(current.dataset.index) : null);
    let index: number;
    if (from !== null) {
      index = from;
      do index += step;
      while (rows[index]?.type === 'day');
    } else {
      index = startIndex(step);
    }
    if (index < 0 || index >= rows.length) return false;
    focusRow(index);
    return true;
  });

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
              {row.type === 'day' ? <h2 className="tl-day-label">{formatDay(row.at, today)}</h2> : <TimelineEntry entry={row.entry} />}
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
