import { useRef, useState } from 'react';
import type { Entry } from '../../../../shared/domain/entry.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { Icon, KIND_ICON } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useFocusInPlace } from '../../hooks/useFocusInPlace.ts';
import { useFocusOnMore } from '../../hooks/useFocusOnMore.ts';
import { useToast } from '../../hooks/useToast.ts';
import { call } from '../../lib/api.ts';
import { formatDate, formatNumber, formatRelative } from '../../lib/format.ts';
import { entryHref } from '../../lib/router.ts';
import { bodyBeyondTitle } from '../../../../shared/domain/text.ts';
import { fallbackTitle, previewText } from '../../lib/text.ts';
import { useEntryActions } from './useEntryActions.ts';

/** What emptying the Trash will delete, as the person is asked: how many, and up to when they were deleted. */
interface EmptyTrashPlan {
  count: number;
  deletedUpTo: number;
}

/** Deleted entries: restore them, or delete them for good (after a confirmation), one or all at once. */
export function TrashView() {
  const list = usePagedList({ trashed: true });
  const actions = useEntryActions();
  const [purging, setPurging] = useState<Entry | null>(null);
  const emptying = useEmptyTrash(list.reload);
  const items = list.items.filter((e) => e.deletedAt !== null);
  const page = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const focusOnMore = useFocusOnMore(listRef, list.loading);
  // A row restored or deleted for good leaves with the button that had focus, which would fall to
  // <body>: give it to the row now in its place (the next one, else the one before), or to the page
  // once the Trash is empty.
  useFocusInPlace(items.map((e) => e.id).join(' '), page, '.trash-item .card-title');

  return (
    <div className="page page-trash" ref={page}>
      <PageHeader
        narrow
        title="Trash"
        subtitle="Deleted entries stay here until you delete them for good."
        actions={
          list.ready &&
          (items.length > 0 || emptying.busy) && (
            <button
              type="button"
              className="button button-ghost button-danger-ghost"
              onClick={() => void emptying.ask()}
              disabled={emptying.busy}
              aria-busy={emptying.busy}
              data-testid="empty-trash"
            >
              <Icon name="trash" size={15} /> {emptying.busy ? 'Emptying…' : 'Empty trash'}
            </button>
          )
        }
      />
      <div className="page-body page-body-narrow">
        {!list.ready ? (
          <LoadingRows rows={4} label="Loading trash" />
        ) : list.error && items.length === 0 ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : items.length === 0 ? (
          <EmptyState icon="trash" title="The Trash is empty">
            <p>When you delete an entry it comes here first, so nothing is lost by accident.</p>
          </EmptyState>
        ) : (
          <ul ref={listRef} className="card-list" aria-label="Deleted entries" data-testid="trash-list">
            {items.map((entry) => (
              <li key={entry.id} className="card trash-item" data-testid="trash-item">
                <span className={`kind-dot kind-${entry.kind}`}>
                  <Icon name={KIND_ICON[entry.kind] ?? 'note'} size={15} />
                </span>
                <div className="trash-main">
                  <a className="card-title" href={entryHref(entry)}>
                    {fallbackTitle(entry)}
                  </a>
                  {bodyBeyondTitle(entry.title, entry.body) && <p className="card-text">{previewText(bodyBeyondTitle(entry.title, entry.body), 160)}</p>}
                  <p className="card-meta">
                    Written {formatDate(entry.createdAt)} · deleted {entry.deletedAt ? formatRelative(entry.deletedAt) : ''}
                  </p>
                </div>
                <div className="trash-actions">
                  <button type="button" className="button" onClick={() => void actions.restore(entry.id)} aria-label={`Restore ${fallbackTitle(entry)}`}>
                    <Icon name="restore" size={15} /> Restore
                  </button>
                  <button type="button" className="button button-ghost button-danger-ghost" onClick={() => setPurging(entry)} aria-label={`Delete ${fallbackTitle(entry)} forever`}>
                    Delete forever
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {list.hasMore && (
          <button
            type="button"
            className="button button-ghost load-more"
            onClick={() => {
              focusOnMore();
              void list.loadMore();
            }}
            disabled={list.loading}
            data-testid="trash-more"
          >
            {list.loading ? 'Loading…' : 'Show more'}
          </button>
        )}
      </div>
      <ConfirmDialog
        open={purging !== null}
        title="Delete forever?"
        message={<p>“{purging ? fallbackTitle(purging) : ''}” and its history will be removed from the journal. This cannot be undone.</p>}
        confirmLabel="Delete forever"
        danger
        onCancel={() => setPurging(null)}
        onConfirm={() => {
          const entry = purging;
          setPurging(null);
          if (entry) void actions.purge(entry);
        }}
      />
      <ConfirmDialog
        open={emptying.plan !== null}
        title="Empty the Trash?"
        message={<p>{emptyTrashMessage(emptying.plan?.count ?? 0)}</p>}
        confirmLabel={emptying.plan?.count === 1 ? 'Delete 1 entry' : `Delete ${formatNumber(emptying.plan?.count ?? 0)} entries`}
        danger
        onCancel={emptying.cancel}
        onConfirm={() => void emptying.confirm()}
      />
    </div>
  );
}

/**
 * Emptying the Trash: `ask` reads what is there now (the newest entry, then the count: one trashed
 * between the two is counted, never deleted unseen) into a plan to confirm; `confirm` deletes what the
 * plan names and nothing trashed since (entries.emptyTrash).
 */
function useEmptyTrash(reload: () => void) {
  const run = useAction();
  const toast = useToast();
  const [plan, setPlan] = useState<EmptyTrashPlan | null>(null);
  const [busy, setBusy] = useState(false);

  const ask = async () => {
    const newest = await run(call('entries.list', { trashed: true, limit: 1 }));
    const stats = await run(call('journal.stats', {}));
    if (!newest.ok || !stats.ok) return;
    const first = newest.value.items[0];
    if (!first || stats.value.trashed === 0) {
      toast.info('The Trash is already empty');
      return;
    }
    setPlan({ count: stats.value.trashed, deletedUpTo: first.deletedAt ?? first.updatedAt });
  };

  const confirm = async () => {
    const chosen = plan;
    setPlan(null);
    if (!chosen) return;
    setBusy(true);
    const r = await run(call('entries.emptyTrash', { deletedUpTo: chosen.deletedUpTo, expectedCount: chosen.count }));
    setBusy(false);
    if (!r.ok) reload(); // the Trash changed meanwhile (the message says so): show it as it is now
    else toast.info(r.value.purged === 1 ? 'Deleted 1 entry for good' : `Deleted ${formatNumber(r.value.purged)} entries for good`);
  };

  return { plan, busy, ask, confirm, cancel: () => setPlan(null) };
}

function emptyTrashMessage(count: number): string {
  return count === 1
    ? 'The entry in the Trash will be deleted for good, with its history. This cannot be undone.'
    : `All ${formatNumber(count)} entries in the Trash will be deleted for good, with their history. This cannot be undone.`;
}
