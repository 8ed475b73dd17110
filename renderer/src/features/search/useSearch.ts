import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../../shared/api/errors.ts';
import type { SearchResult } from '../../../../shared/domain/search.ts';
import { call } from '../../lib/api.ts';

export interface SearchState {
  result: SearchResult | null;
  loading: boolean;
  error: ApiError | null;
  /** The query the current result answers. */
  answered: string;
}

/** A quick answer ranked among recent entries only is replaced by a full ranking after this pause. */
export const REFINE_AFTER_MS = 250;

/**
 * Search as you type: every change is sent at once and answers that arrive out of order are dropped,
 * so what is painted always matches the latest query. Each keystroke asks for a quick answer: for
 * words that match much of the journal the core ranks the most recently added entries only
 * (`rankedWithin`); once typing pauses, the same query is asked again to rank every match, and the
 * full answer replaces the quick one in place (no spinner: the results are already there).
 */
export function useSearch(query: string, limit: number): SearchState {
  const [state, setState] = useState<SearchState>({ result: null, loading: false, error: null, answered: '' });
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const q = query.trim();
    if (!q) {
      setState({ result: null, loading: false, error: null, answered: '' });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    // Still typing the last word (no space after it): let it match longer words too.
    const input = { q, limit, asYouType: !/\s$/.test(query) };
    let refine: ReturnType<typeof setTimeout> | undefined;
    void call('search.query', { ...input, quick: true }).then((r) => {
      if (mine !== seq.current) return;
      setState(r.ok ? { result: r.value, loading: false, error: null, answered: q } : { result: null, loading: false, error: r.error, answered: q });
      if (!r.ok || r.value.rankedWithin === undefined) return;
      refine = setTimeout(() => {
        void call('search.query', { ...input, quick: false }).then((full) => {
          if (mine === seq.current && full.ok) setState({ result: full.value, loading: false, error: null, answered: q });
        });
      }, REFINE_AFTER_MS);
    });
    return () => clearTimeout(refine);
  }, [query, limit]);

  return state;
}
