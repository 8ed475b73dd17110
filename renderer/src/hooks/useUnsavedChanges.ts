import { useEffect, useRef } from 'react';
import { guardLeaving, type LeaveGuard } from '../lib/router.ts';

/**
 * While `unsaved` is true, leaving asks first: a route change (a link, a search result, Back) calls
 * `ask`, which puts the view's own question and calls `leave` if the user agrees; closing or
 * reloading the tab gets the browser's prompt, quitting the desktop app its dialog.
 */
export function useUnsavedChanges(unsaved: boolean, ask: LeaveGuard): void {
  const askRef = useRef(ask);
  askRef.current = ask;

  useEffect(() => {
    if (!unsaved) return;
    const stopGuarding = guardLeaving((leave) => askRef.current(leave));
    // A browser tab asks with its own prompt; the desktop app's main process asks with a dialog of
    // its own when a quit or reload is held (will-prevent-unload, electron/main/windows.ts).
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      stopGuarding();
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [unsaved]);
}
