import { useEffect, useRef, type RefObject } from 'react';

/**
 * For a "Show more" button under a list: call the returned function as it is pressed, and once the
 * next page has come in (`loading` back to false) the focus goes to the first item it added, so a
 * keyboard user reads on from there. Without it the focus was lost to the page: the button is
 * disabled while the page loads, and gone after the last one. `listRef`'s children are the items;
 * the focus goes to an item's first link or button.
 */
export function useFocusOnMore(listRef: RefObject<HTMLElement | null>, loading: boolean): () => void {
  /** How many items the list had when Show more was pressed; null when it was not. */
  const from = useRef<number | null>(null);
  useEffect(() => {
    if (loading || from.current === null) return;
    const first = listRef.current?.children[from.current];
    from.current = null;
    first?.querySelector<HTMLElement>('a[href], button')?.focus();
  }, [loading, listRef]);
  return () => {
    from.current = listRef.current?.children.length ?? 0;
  };
}
