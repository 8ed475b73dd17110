import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { timelineStore } from './timeline.store.ts';

export { TIMELINE_PAGE } from './timeline.store.ts';

/** The timeline's entries for a tag (or all), from a store that outlives the view. */
export function useTimeline(tag?: string) {
  const store = useMemo(() => timelineStore(tag), [tag]);
  const state = useSyncExternalStore(store.subscribe, store.getState);

  useEffect(() => {
    store.start();
    // Entries saved elsewhere show up when the window comes back.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void store.refreshHead();
    };
    window.addEventListener('focus', onVisible);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', onVisible);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [store]);

  return { ...state, store, loadMore: store.loadMore, reload: store.reload };
}
