import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract.ts';
import type { ApiError } from '../../../shared/api/errors.ts';
import { call, onJournalChange } from '../lib/api.ts';

export type QueryState<T> =
  | { status: 'loading'; data: T | undefined; error: undefined }
  | { status: 'success'; data: T; error: undefined }
  | { status: 'error'; data: T | undefined; error: ApiError };

export interface QueryResult<T> {
  state: QueryState<T>;
  reload: () => void;
}

/**
 * Runs a read-only contract method and keeps its answer; re-runs when the input changes and, unless
 * told otherwise, after any change to the journal made in this window. Pass `null` to skip.
 * While re-loading, the previous answer stays visible (no flicker).
 */
export function useApiQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M> | null,
  options: { refetchOnChange?: boolean } = {},
): QueryResult<MethodOutput<M>> {
  const key = input === null ? null : JSON.stringify(input);
  const [state, setState] = useState<QueryState<MethodOutput<M>>>({ status: 'loading', data: undefined, error: undefined });
  const [version, setVersion] = useState(0);
  const seq = useRef(0);
  const refetchOnChange = options.refetchOnChange ?? true;

  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    setState((s) => ({ status: 'loading', data: s.data, error: undefined }));
    void call(method, JSON.parse(key) as MethodInput<M>).then((result) => {
      if (mine !== seq.current) return;
      setState((s) => (result.ok ? { status: 'success', data: result.value, error: undefined } : { status: 'error', data: s.data, error: result.error }));
    });
  }, [method, key, version]);

  useEffect(() => {
    if (!refetchOnChange) return;
    return onJournalChange(() => setVersion((v) => v + 1));
  }, [refetchOnChange]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { state, reload };
}
