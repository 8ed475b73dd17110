import { useCallback, useEffect, useRef, useState } from 'react';
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
  /** The result is a quick answer to the latest query, and its ranking is still to come. */
  refining: boolean;
  /** Asks for the ranking now instead of after REFINE_AFTER_MS (Enter on a quick answer). */
  refineNow: () => void;
}

/** A quick answer (not yet ranked, or ranked among recent entries only) is replaced by the ranking after this pause. */
export const REFINE_AFTER_MS = 250;
/** A spinner only for answers slower than this: one that flashes on every keystroke is noise. */
export const SLOW_AFTER_MS = 300;

interface Answer {
  result: SearchResult | null;
  error: ApiError | null;
  answered: string;
  /** The request answered: query, limit and whether the last word was still being typed. */
  key: string;
  /** A quick answer whose ranking is still to come. */
  provisional: boolean;
}

const NONE: Answer = { result: null, error: null, answered: '', key: '', provisional: false };
const noop = () => {};

/**
 * The time zone this page shows days in, sent with each search so `after:`/`before:` days are the
 * ones the timeline shows (in browser mode the server may be in another zone).
 */
function zone(): { timeZone?: string } {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return timeZone ? { timeZone } : {};
}

/**
 * Search as you type: every change is sent at once and answers that arrive out of order are dropped,
 * so what is painted always matches the latest query. Each keystroke asks for a quick answer: for
 * words alone the core gives their newest matches, for words with filters it ranks the most recently
 * added entries only (`provisional`); once typing pauses, the same query is asked again to rank every
 * match, and the ranking replaces the quick answer in place (no spinner: the results are already
 * there).
 *
 * A keystroke changes no state here until its answer arrives (`loading` is derived from the query
 * and the answer), so the frame that shows the typed letter carries no other work.
 */
export function useSearch(query: string, limit: number): SearchState {
  const [answer, setAnswer] = useState<Answer>(NONE);
  const [slowFor, setSlowFor] = useState<string | null>(null);
  const seq = useRef(0);
  const refineRef = useRef<() => void>(noop);
  const q = query.trim();
  // Still typing the last word (no space after it): let it match longer words too.
  const asYouType = !/\s$/.test(query);
  const key = `${limit}:${asYouType ? 1 : 0}:${q}`;

  useEffect(() => {
    const mine = ++seq.current;
    refineRef.current = noop;
    if (!q) {
      setAnswer(NONE);
      return;
    }
    let refine: ReturnType<typeof setTimeout> | undefined;
    const slow = setTimeout(() => setSlowFor(key), SLOW_AFTER_MS);
    void call('search.query', { q, limit, asYouType, quick: true, ...zone() }).then((res) => {
      clearTimeout(slow);
      if (mine !== seq.current) return;
      const provisional = res.ok && res.value.provisional !== undefined;
      setAnswer(res.ok ? { result: res.value, error: null, answered: q, key, provisional } : { result: null, error: res.error, answered: q, key, provisional });
      setSlowFor(null);
      if (!provisional) return;
      let asked = false;
      const rank = () => {
        if (asked) return;
        asked = true;
        clearTimeout(refine);
        void call('search.query', { q, limit, asYouType, quick: false, ...zone() }).then((full) => {
          if (mine !== seq.current) return;
          // A failed ranking leaves the quick answer, final now (no Enter waits on it forever).
          setAnswer(full.ok ? { result: full.value, error: null, answered: q, key, provisional: false } : (a) => ({ ...a, provisional: false }));
        });
      };
      refineRef.current = rank;
      refine = setTimeout(rank, REFINE_AFTER_MS);
    });
    return () => {
      clearTimeout(slow);
      clearTimeout(refine);
    };
  }, [q, limit, asYouType, key]); // `key` is made of the other three

  const refineNow = useCallback(() => refineRef.current(), []);
  if (!q) return { result: null, error: null, answered: '', loading: false, slow: false, refining: false, refineNow };
  const loading = answer.key !== key;
  return {
    result: answer.result,
    error: answer.error,
    answered: answer.answered,
    loading,
    slow: loading && slowFor === key,
    refining: !loading && answer.provisional,
    refineNow,
  };
}
