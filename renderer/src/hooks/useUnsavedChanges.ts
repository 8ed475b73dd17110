import { useEffect, useRef } from 'react';
import { transport } from '../lib/api.ts';
import { guardLeaving, type LeaveGuard } from '../lib/router.ts';

/**
 * While `unsaved` is true, leaving asks first: a route change (a link, a search result, Back) calls
 * `ask`, which puts the view's own question and calls `leave` if the user agrees; closing or
 * reloading the tab gets the browser's prompt.
 */
export function useUnsavedChanges(unsaved: boolean, ask: LeaveGuard): void {
  const askRef = useRef(ask);
  askRef.current = ask;

  useEffect(() => {
    if (!unsaved) return;
    const stopGuarding = guardLeaving((leave) => askRef.current(leave));
    // In a browser tab only: Electron shows no prompt for beforeunload, it silently keeps the
    // window from closing.
    if (transport() !== 'http') return stopGuarding;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      stopGuarding();
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [unsaved]);
}
