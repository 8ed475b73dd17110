import { useCallback } from 'react';
import type { Result } from '../../../shared/api/errors.ts';
import { useToast } from './useToast.ts';

/**
 * Wraps a mutation: a failure becomes a toast with the core's message; the result is passed on so
 * the caller can act on success.
 */
export function useAction() {
  const toast = useToast();
  return useCallback(
    async <T,>(pending: Promise<Result<T>>): Promise<Result<T>> => {
      const result = await pending;
      if (!result.ok) toast.error(result.error.message);
      return result;
    },
    [toast],
  );
}
