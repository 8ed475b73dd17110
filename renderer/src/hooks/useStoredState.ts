import { useCallback, useEffect, useState } from 'react';

function read(key: string, fallback: string): string {
  try {
    return localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * A string kept in localStorage (drafts survive a closed window). Writes are debounced a little so
 * typing does not hit storage on every key.
 */
export function useStoredState(key: string, fallback = ''): [string, (value: string) => void] {
  const [value, setValue] = useState(() => read(key, fallback));
  useEffect(() => {
    const timer = window.setTimeout(() => {
      try {
        if (value === fallback) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch {
        // Storage full or disabled: the draft lives in memory only.
      }
    }, 150);
    return () => window.clearTimeout(timer);
  }, [key, value, fallback]);
  // Another window (e.g. the capture window) may edit the same draft.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === key) setValue(e.newValue ?? fallback);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [key, fallback]);
  const set = useCallback((v: string) => setValue(v), []);
  return [value, set];
}
