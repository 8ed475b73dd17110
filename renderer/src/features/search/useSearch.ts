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

/**
 * Search as you type: every change is sent at once (the core answers in milliseconds) and answers
 * that arrive out of order are dropped, so what is painted always matches the latest query.
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
    void call('search.query', { q, limit, asYouType: !/\s$/.test(query) }).then((r) => {
      if (mine !== seq.current) return;
      setState(r.ok ? { result: r.value, loading: false, error: null, answered: q } : { result: null, loading: false, error: r.error, answered: q });
    });
  }, [query, limit]);

  return state;
}
