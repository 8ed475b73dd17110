import { useEffect, useRef, type RefObject } from 'react';
import { busy } from './useShortcuts.ts';

/** How a key moves: `sequence`, to the next or previous item in order; `row`, to the row below or above (a grid). */
export type ListMove = 'sequence' | 'row';

/**
 * j and k move to the next and previous item of the list from anywhere on the page, as the shortcuts
 * card promises (not while typing, nor with a dialog open); ↓ and ↑ do too once the focus is in the
 * list. In a `grid`, ↓ and ↑ go a row down and up instead, and → and ← to the next and previous item.
 * `move` moves the focus and says whether there was somewhere to go.
 */
export function useListKeys(listRef: RefObject<HTMLElement | null>, move: (step: 1 | -1, how: ListMove) => boolean, options: { grid?: boolean } = {}): void {
  const moveRef = useRef(move);
  moveRef.current = move;
  const grid = options.grid === true;

  useEffect(() => {
    const keys: Record<string, [1 | -1, ListMove, 'anywhere' | 'in the list']> = {
      j: [1, 'sequence', 'anywhere'],
      k: [-1, 'sequence', 'anywhere'],
      ArrowDown: [1, grid ? 'row' : 'sequence', 'in the list'],
      ArrowUp: [-1, grid ? 'row' : 'sequence', 'in the list'],
      ...(grid ? { ArrowRight: [1, 'sequence', 'in the list'], ArrowLeft: [-1, 'sequence', 'in the list'] } : {}),
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || busy(e)) return;
      const key = Object.hasOwn(keys, e.key) ? keys[e.key] : undefined;
      if (!key) return;
      const [step, how, where] = key;
      if (where === 'in the list' && !(e.target instanceof Node && listRef.current?.contains(e.target) === true)) return;
      if (moveRef.current(step, how)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [listRef, grid]);
}

/**
 * j/k (and ↓/↑) for a list whose items are all in the page, such as People or Bookmarks: the focus
 * goes to an item's first link, which opens it with Enter. With no item focused they start from the
 * first item in view. Put the returned ref on the list element (its children are the items); for a
 * grid of cards (People), `grid` makes ↓/↑ go by rows and →/← by items.
 */
export function useListNavigation<T extends HTMLElement>(options: { grid?: boolean } = {}): RefObject<T | null> {
  const ref = useRef<T>(null);
  useListKeys(
    ref,
    (step, how) => {
      const list = ref.current;
      if (!list) return false;
      const items = [...list.children] as HTMLElement[];
      const at = items.findIndex((item) => item.contains(document.activeElement));
      const view = visibleArea(list);
      const next = at < 0 ? firstInView(items, view) : how === 'row' ? inNextRow(items, items[at]!, step) : items[at + step];
      const link = next?.querySelector<HTMLElement>('a[href]');
      if (!next || !link) return false;
      link.focus({ preventScroll: true });
      reveal(next, view);
      return true;
    },
    options,
  );
  return ref;
}

/**
 * The item of the row below `from` (step 1) or above it (-1) that stands nearest its column: in a
 * shorter last row, the nearest one there is.
 */
function inNextRow(items: HTMLElement[], from: HTMLElement, step: 1 | -1): HTMLElement | undefined {
  const box = from.getBoundingClientRect();
  const centre = box.left + box.width / 2;
  const beyond = items.filter((item) => {
    const r = item.getBoundingClientRect();
    return step === 1 ? r.top >= box.bottom - 1 : r.bottom <= box.top + 1;
  });
  if (beyond.length === 0) return undefined;
  // The nearest row of those: the smallest top below, the largest top above.
  const tops = beyond.map((item) => item.getBoundingClientRect().top);
  const rowTop = step === 1 ? Math.min(...tops) : Math.max(...tops);
  const row = beyond.filter((_, i) => Math.abs(tops[i]! - rowTop) < 1);
  const distance = (item: HTMLElement) => {
    const r = item.getBoundingClientRect();
    return Math.abs(r.left + r.width / 2 - centre);
  };
  return row.reduce((best, item) => (distance(item) < distance(best) ? item : best));
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
