import { useEffect, useRef } from 'react';
import { tinykeys } from 'tinykeys';

export interface ShortcutHandlers {
  search: () => void;
  newNote: () => void;
  help: () => void;
  go: (where: 'timeline' | 'people' | 'bookmarks' | 'questions' | 'trash' | 'settings') => void;
}

/** Typing in a field, or a dialog is open: single-key shortcuts stay out of the way. */
function busy(event: KeyboardEvent): boolean {
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
    const single = (fn: () => void) => (event: KeyboardEvent) => {
      if (busy(event)) return;
      event.preventDefault();
      fn();
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
        '/': single(() => h().search()),
        n: single(() => h().newNote()),
        '[Shift]+?': single(() => h().help()),
        'g t': single(() => h().go('timeline')),
        'g p': single(() => h().go('people')),
        'g b': single(() => h().go('bookmarks')),
        'g q': single(() => h().go('questions')),
        'g d': single(() => h().go('trash')),
        'g s': single(() => h().go('settings')),
      },
      { ignore: busy },
    );
    return () => {
      offGlobal();
      offSingle();
    };
  }, []);
}
