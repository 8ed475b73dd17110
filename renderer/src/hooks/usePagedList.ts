import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput } from '../../../shared/api/contract.ts';
import type { ApiError } from '../../../shared/api/errors.ts';
import type { Entry } from '../../../shared/domain/entry.ts';
import { call, onJournalChange } from '../lib/api.ts';

type ListFilter = Omit<MethodInput<'entries.list'>, 'cursor' | 'limit'>;

/**
 * A non-virtualised list of entries (people, bookmarks, questions, trash): pages of entries.list,
 * up to `autoLoad` items fetched straight away, more with `loadMore`, and reloaded after any change
 * to the journal (as many as were shown, so the list does not shrink under the reader).
 */
export function usePagedList(filter: ListFilter, options: { pageSize?: number; autoLoad?: number } = {}) {
  const pageSize = options.pageSize ?? 200;
  const autoLoad = options.autoLoad ?? pageSize;
  const key = JSON.stringify(filter);
  const [items, setItems] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);
  const shown = useRef(0);
  shown.current = items.length;

  const fetchFrom = useCallback(
    async (gen: number, start: string | null, have: Entry[], target: number) => {
      let next = start;
      let all = have;
      setLoading(true);
      do {
        const r = await call('entries.list', { ...(JSON.parse(key) as ListFilter), limit: pageSize, ...(next ? { cursor: next } : {}) });
        if (gen !== generation.current) return;
        if (!r.ok) {
          setError(r.error);
          break;
        }
        all = [...all, ...r.value.items];
        next = r.value.nextCursor;
        setItems(all);
        setCursor(next);
        setError(null);
      } while (next && all.length < target);
      setLoading(false);
      setReady(true);
    },
    [key, pageSize],
  );

  const reload = useCallback(
    (keep = true) => {
      const gen = ++generation.current;
      void fetchFrom(gen, null, [], keep ? Math.max(autoLoad, shown.current) : autoLoad);
    },
    [fetchFrom, autoLoad],
  );

  useEffect(() => {
    setReady(false);
    setItems([]);
    shown.current = 0;
    reload(false);
  }, [reload]);

  useEffect(() => onJournalChange(() => reload()), [reload]);

  const loadMore = useCallback(async () => {
    if (!cursor || loading) return;
    await fetchFrom(generation.current, cursor, items, items.length + pageSize);
  }, [cursor, loading, fetchFrom, items, pageSize]);

  return { items, ready, loading, error, hasMore: cursor !== null, loadMore, reload };
}
