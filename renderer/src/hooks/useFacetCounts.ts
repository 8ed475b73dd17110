import { useCallback, useEffect, useRef, useState } from 'react';
import type { FacetCounts, MethodInput } from '../../../shared/api/contract.ts';
import { call, onJournalChange } from '../lib/api.ts';

/**
 * entries.facets for a view (Questions' tabs, Bookmarks' sites and tags): counts over the whole
 * journal, asked again after any change to it. Null until the first answer (or after a failure).
 */
export function useFacetCounts(input: MethodInput<'entries.facets'>): FacetCounts | null {
  const key = JSON.stringify(input);
  const [counts, setCounts] = useState<FacetCounts | null>(null);
  const generation = useRef(0);

  const load = useCallback(() => {
    const gen = ++generation.current;
    void call('entries.facets', JSON.parse(key) as MethodInput<'entries.facets'>).then((r) => {
      if (gen === generation.current) setCounts(r.ok ? r.value : null);
    });
  }, [key]);

  useEffect(() => {
    setCounts(null);
    load();
  }, [load]);

  useEffect(() => onJournalChange(load), [load]);

  return counts;
}
