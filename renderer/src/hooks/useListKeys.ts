import { useEffect, useRef, type RefObject } from 'react';
import { busy } from './useShortcuts.ts';

/**
 * j and k move to the next and previous item of the list from anywhere on the page, as the shortcuts
 * card promises (not while typing, nor with a dialog open); ↓ and ↑ do too once the focus is in the
 * list. `move` moves the focus and says whether there was somewhere to go.
 */
export function useListKeys(listRef: RefObject<HTMLElement | null>, move: (step: 1 | -1) => boolean): void {
  const moveRef = useRef(move);
  moveRef.current = move;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || busy(e)) return;
      const inList = e.target instanceof Node && listRef.current?.contains(e.target) === true;
      const step = e.key === 'j' || (inList && e.key === 'ArrowDown') ? 1 : e.key === 'k' || (inList && e.key === 'ArrowUp') ? -1 : 0;
      if (step !== 0 && moveRef.current(step)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [listRef]);
}

/**
 * j/k (and ↓/↑) for a list whose items are all in the page, such as People or Bookmarks: the focus
 * goes to an item's first link, which opens it with Enter. With no item focused they start from the
 * first item in view. Put the returned ref on the list element (its children are the items).
 */
export function useListNavigation<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useListKeys(ref, (step) => {
    const list = ref.current;
    if (!list) return false;
    const items = [...list.children] as HTMLElement[];
    const at = items.findIndex((item) => item.contains(document.activeElement));
    const view = visibleArea(list);
    const next = at >= 0 ? items[at + step] : firstInView(items, view);
    const link = next?.querySelector<HTMLElement>('a[href]');
    if (!next || !link) return false;
    link.focus({ preventScroll: true });
    reveal(next, view);
    return true;
  });
  return ref;
}

/** The part of the window the list can be seen in: inside its scrolling parent, below anything stuck to its top (the page header). */
function visibleArea(list: HTMLElement): { scroller: HTMLElement; top: number; bottom: number } {
  let scroller = list.parentElement ?? list;
  while (scroller.parentElement && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
  const box = scroller.getBoundingClientRect();
  let top = Math.max(box.top, 0);
  for (let el: Element | null = list; el && el !== scroller; el = el.parentElement) {
    for (let before = el.previousElementSibling; before; before = before.previousElementSibling) {
      const style = getComputedStyle(before);
      if (style.position === 'sticky' && style.top !== 'auto') top = Math.max(top, before.getBoundingClientRect().bottom);
    }
  }
  return { scroller, top, bottom: Math.min(box.bottom, window.innerHeight) };
}

/** The first item wholly in view, else the first with some of it showing. */
function firstInView(items: HTMLElement[], view: { top: number; bottom: number }): HTMLElement | undefined {
  const showing = items.filter((item) => {
    const r = item.getBoundingClientRect();
    return r.bottom > view.top && r.top < view.bottom;
  });
  return showing.find((item) => item.getBoundingClientRect().top >= view.top - 1) ?? showing[0];
}

/** Scrolls just enough for the whole item to show below what sticks to the top. */
function reveal(item: HTMLElement, view: { scroller: HTMLElement; top: number; bottom: number }): void {
  const r = item.getBoundingClientRect();
  if (r.top < view.top) view.scroller.scrollBy({ top: r.top - view.top });
  else if (r.bottom > view.bottom) view.scroller.scrollBy({ top: Math.min(r.bottom - view.bottom, r.top - view.top) });
}
