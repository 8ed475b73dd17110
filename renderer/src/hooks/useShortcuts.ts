import { useEffect, useRef } from 'react';
import { tinykeys } from 'tinykeys';

type Where = 'timeline' | 'people' | 'bookmarks' | 'questions' | 'trash' | 'settings';

export interface ShortcutHandlers {
  search: () => void;
  newNote: () => void;
  help: () => void;
  go: (where: Where) => void;
}

/** The second key of each "g …" chord. */
const GO_KEYS: Record<string, Where> = { t: 'timeline', p: 'people', b: 'bookmarks', q: 'questions', d: 'trash', s: 'settings' };

/** Typing in a field, or a dialog is open: single-key shortcuts stay out of the way. */
export function busy(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return true;
  return target.closest('dialog[open]') !== null;
}

/** The app's keyboard shortcuts. Ctrl/Cmd+K works everywhere, even while typing. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    const run = (fn: () => void) => (event: KeyboardEvent) => {
      event.preventDefault();
      fn();
    };
    const single = (fn: (event: KeyboardEvent) => void) => (event: KeyboardEvent) => {
      if (busy(event)) return;
      event.preventDefault();
      fn(event);
    };
    const h = () => ref.current;
    const offGlobal = tinykeys(
      window,
      {
        '$mod+KeyK': run(() => h().search()),
        '$mod+KeyN': run(() => h().newNote()),
      },
      { ignore: () => false },
    );
    const offSingle = tinykeys(
      window,
      {
        // One binding for every "g …" chord. tinykeys stops at the first binding that fires, so with
        // a binding per chord the others kept their half-typed "g" for a second and swallowed the
        // next one: "g b" right after "g p" did nothing. First in the list, so it sees every key.
        [`g (${Object.keys(GO_KEYS).join('|')})`]: single((event) => {
          const where = GO_KEYS[event.key.toLowerCase()];
          if (where) h().go(where);
        }),
        '/': single(() => h().search()),
        n: single(() => h().newNote()),
        '[Shift]+?': single(() => h().help()),
      },
      { ignore: busy },
    );
    return () => {
      offGlobal();
      offSingle();
    };
  }, []);
}
