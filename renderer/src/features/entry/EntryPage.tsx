import { useEffect } from 'react';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { useApiQuery } from '../../hooks/useApiQuery.ts';
import { sectionOf, showingEntry } from '../../lib/current-entry.ts';
import { hrefFor } from '../../lib/router.ts';
import { PersonPage } from '../people/PersonPage.tsx';
import { EntryView } from './EntryView.tsx';

/** Loads an entry and shows it with the page for its kind. */
export function EntryPage({ id }: { id: string }) {
  const { state, reload } = useApiQuery('entries.get', { id });
  const detail = state.data?.entry.id === id ? state.data : undefined;
  const section = detail ? sectionOf(detail.entry) : null;
  useEffect(() => {
    if (section) showingEntry(id, section);
  }, [id, section]);

  if (!detail) {
    if (state.status === 'error') {
      return (
        <div className="page">
          {state.error.code === 'NOT_FOUND' ? (
            <EmptyState icon="inbox" title="This entry is not here" action={<a className="button" href={hrefFor({ name: 'timeline' })}>Go to the timeline</a>}>
              <p>It may have been deleted for good, or the link is wrong.</p>
            </EmptyState>
          ) : (
            <ErrorState error={state.error} onRetry={reload} title="The entry could not be loaded" />
          )}
        </div>
      );
    }
    return (
      <div className="page">
        <LoadingRows rows={3} label="Loading entry" />
      </div>
    );
  }
  return detail.entry.kind === 'person' ? <PersonPage detail={detail} /> : <EntryView detail={detail} />;
}
