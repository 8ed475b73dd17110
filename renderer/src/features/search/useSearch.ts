import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../../shared/api/errors.ts';
import type { SearchResult } from '../../../../shared/domain/search.ts';
import { call } from '../../lib/api.ts';

export interface SearchState {
  result: SearchResult | null;
  /** The query typed has not been answered yet (the result shown answers an earlier one). */
  loading: boolean;
  /** Still loading after SLOW_AFTER_MS: time to say so (a spinner). Most answers come well before. */
  slow: boolean;
  error: ApiError | null;
  /** The query the current result (or error) answers. */
  answered: string;
}

/** A quick answer ranked among recent entries only is replaced by a full ranking after this pause. */
export const REFINE_AFTER_MS = 250;
/** A spinner only for answers slower than this: one that flashes on every keystroke is noise. */
export const SLOW_AFTER_MS = 300;

interface Answer {
  result: SearchResult | null;
  error: ApiError | null;
  answered: string;
  /** The request answered: query, limit and whether the last word was still being typed. */
  key: string;
}

const NONE: Answer = { result: null, error: null, answered: '', key: '' };

/**
 * Search as you type: every change is sent at once and answers that arrive out of order are dropped,
 * so what is painted always matches the latest query. Each keystroke asks for a quick answer: for
 * words that match much of the journal the core ranks the most recently added entries only
 * (`rankedWithin`); once typing pauses, the same query is asked again to rank every match, and the
 * full answer replaces the quick one in place (no spinner: the results are already there).
 *
 * A keystroke changes no state here until its answer arrives (`loading` is derived from the query
 * and the answer), so the frame that shows the typed letter carries no other work.
 */
export function useSearch(query: string, limit: number): SearchState {
  const [answer, setAnswer] = useState<Answer>(NONE);
  const [slowFor, setSlowFor] = useState<string | null>(null);
  const seq = useRef(0);
  const q = query.trim();
  // Still typing the last word (no space after it): let it match longer words too.
  const asYouType = !/\s$/.test(query);
  const key = `${limit}:${asYouType ? 1 : 0}:${q}`;

  useEffect(() => {
    const mine = ++seq.current;
    if (!q) {
      setAnswer(NONE);
      return;
    }
    let refine: ReturnType<typeof setTimeout> | undefined;
    const slow = setTimeout(() => setSlowFor(key), SLOW_AFTER_MS);
    void call('search.query', { q, limit, asYouType, quick: true }).then((res) => {
      clearTimeout(slow);
      if (mine !== seq.current) return;
      setAnswer(res.ok ? { result: res.value, error: null, answered: q, key } : { result: null, error: res.error, answered: q, key });
      setSlowFor(null);
      if (!res.ok || res.value.rankedWithin === undefined) return;
      refine = setTimeout(() => {
        void call('search.query', { q, limit, asYouType, quick: false }).then((full) => {
          if (mine === seq.current && full.ok) setAnswer({ result: full.value, error: null, answered: q, key });
        });
      }, REFINE_AFTER_MS);
    });
    return () => {
      clearTimeout(slow);
      clearTimeout(refine);
    };
  }, [q, limit, asYouType, key]); // `key` is made of the other three

  if (!q) return { result: null, error: null, answered: '', loading: false, slow: false };
  const loading = answer.key !== key;
  return { result: answer.result, error: answer.error, answered: answer.answered, loading, slow: loading && slowFor === key };
}
