import { useCallback, useEffect, useRef, useState } from 'react';

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
  /** A value typed but not written yet (the write waits for a pause in typing). */
  const unwritten = useRef<string | null>(null);
  const write = useCallback(
    (v: string) => {
      try {
        if (v === fallback) localStorage.removeItem(key);
        else localStorage.setItem(key, v);
      } catch {
        // Storage full or disabled: the draft lives in memory only.
      }
    },
    [key, fallback],
  );
  useEffect(() => {
    unwritten.current = value;
    const timer = window.setTimeout(() => {
      unwritten.current = null;
      write(value);
    }, 150);
    return () => window.clearTimeout(timer);
  }, [value, write]);
  // Leaving the view, or the page going away, within the pause: written now, or the whole draft
  // would be lost (each key restarts the wait).
  useEffect(() => {
    const flush = () => {
      if (unwritten.current === null) return;
      write(unwritten.current);
      unwritten.current = null;
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      flush();
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [write]);
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
