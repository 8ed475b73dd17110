import { useEffect, useRef, type RefObject } from 'react';

/**
 * For a list whose rows leave under the focus (restored, deleted for good, closed as solved, moved to
 * another tab): when a row left with the focus inside it, which then fell to <body>, it goes to the
 * row now in its place (the next one, else the one before at the end), or to the page's <main> once
 * the list is empty. `ids`: the rows' ids in order, space-separated; `rowTarget`: a selector, within
 * `rootRef`, of what to focus in each row, in the rows' order.
 */
export function useFocusInPlace(ids: string, rootRef: RefObject<HTMLElement | null>, rowTarget: string): void {
  const shownIds = useRef(ids);
  useEffect(() => {
    const before = shownIds.current.split(' ');
    const now = ids.split(' ');
    shownIds.current = ids;
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    const removedAt = before.findIndex((id, i) => id && now[i] !== id);
    if (removedAt < 0) return;
    const rows = rootRef.current?.querySelectorAll<HTMLElement>(rowTarget) ?? [];
    const row = rows[Math.min(removedAt, rows.length - 1)];
    if (row) row.focus();
    else rootRef.current?.closest<HTMLElement>('main')?.focus();
  }, [ids, rootRef, rowTarget]);
}
