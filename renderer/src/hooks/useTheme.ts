import { useCallback, useEffect, useState } from 'react';

export type ThemePref = 'system' | 'light' | 'dark';
const KEY = 'outloud.theme';

export function readThemePref(): ThemePref {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

/**
 * Sets `data-theme` on <html> to the theme in force: the user's choice, or the OS's for 'system'
 * (theme.css keeps one set of dark colours, under `[data-theme='dark']`).
 */
export function applyTheme(pref: ThemePref): void {
  document.documentElement.dataset.theme = pref === 'system' ? (systemDark.matches ? 'dark' : 'light') : pref;
}

// Following the OS: re-apply when it switches between light and dark.
systemDark.addEventListener('change', () => applyTheme(readThemePref()));

export function useTheme(): [ThemePref, (pref: ThemePref) => void] {
  const [pref, setPref] = useState<ThemePref>(readThemePref);
  useEffect(() => {
    applyTheme(pref);
    try {
      if (pref === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, pref);
    } catch {
      // Not persisted; the choice holds for this session.
    }
  }, [pref]);
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === KEY) setPref(readThemePref());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  return [pref, useCallback((p: ThemePref) => setPref(p), [])];
}
