import { useEffect, useState } from 'react';
import { startOfDay } from '../lib/format.ts';

/**
 * The start of today (local), which changes at midnight: views that say "Today" and "Yesterday" read
 * it so an app left open overnight moves its headings on. Checked again when the page is shown or
 * focused, since a timer may fire late (or not at all) while the machine sleeps.
 */
export function useToday(): number {
  const [today, setToday] = useState(() => startOfDay(Date.now()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      clearTimeout(timer);
      const now = Date.now();
      setToday(startOfDay(now));
      // A moment after the next midnight (a day may have 23 or 25 hours: ask the calendar).
      const next = new Date(now);
      next.setHours(24, 0, 1, 0);
      timer = setTimeout(check, Math.max(1_000, next.getTime() - now));
    };
    check();
    const onVisible = () => {
      if (document.visibilityState === 'visible') check();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', check);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', check);
    };
  }, []);
  return today;
}
