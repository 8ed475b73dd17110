import { useState } from 'react';
import type { Entry, Revision } from '../../../../shared/domain/entry.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useApiQuery } from '../../hooks/useApiQuery.ts';
import { useToast } from '../../hooks/useToast.ts';
import { call } from '../../lib/api.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { hasDerivedTitle, previewText } from '../../lib/text.ts';

/**
 * A version of the entry and when it was written. A revision records when it was *replaced*
 * (`savedAt`); it was written when the version before it was replaced, or, for the oldest one, when
 * the entry was created. The list is newest first, as the core returns it.
 */
type Version = { kind: 'current'; entry: Entry; writtenAt: number } | { kind: 'revision'; revision: Revision; writtenAt: number; first: boolean };

/** Every earlier version of an entry; any of them can be made current again (which is itself kept). */
export function RevisionHistory({ entry, open, onClose }: { entry: Entry; open: boolean; onClose: () => void }) {
  const { state, reload } = useApiQuery('entries.history', open ? { id: entry.id } : null);
  const [selected, setSelected] = useState<number | 'current'>('current');
  const [restoring, setRestoring] = useState(false);
  const run = useAction();
  const toast = useToast();

  const revisions = state.data ?? [];
  const versions: Version[] = [
    // The current text was written when the newest revision was replaced (not `updatedAt`, which a
    // move to the trash and back also changes), or with the entry.
    { kind: 'current', entry, writtenAt: revisions[0]?.savedAt ?? entry.createdAt },
    ...revisions.map((revision, i) => {
      const older = revisions[i + 1];
      return { kind: 'revision' as const, revision, writtenAt: older ? older.savedAt : entry.createdAt, first: !older };
    }),
  ];
  const chosen = versions.find((v) => (v.kind === 'current' ? selected === 'current' : v.revision.id === selected)) ?? versions[0];
  const chosenText = chosen?.kind === 'revision' ? chosen.revision : entry;

  const restore = async (revision: Revision, writtenAt: number) => {
    setRestoring(true);
    const r = await run(call('entries.restoreRevision', { id: entry.id, revisionId: revision.id }));
    setRestoring(false);
    if (r.ok) {
      toast.info(`Restored the version from ${formatDateTime(writtenAt)}`);
      setSelected('current');
      onClose();
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="History" size="large" testId="history-dialog">
      {state.status === 'loading' && !state.data ? (
        <LoadingRows rows={3} label="Loading history" />
      ) : state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={reload} />
      ) : revisions.length === 0 ? (
        <EmptyState icon="history" title="No earlier versions">
          <p>Each time you edit this entry, the version before the edit is kept here.</p>
        </EmptyState>
      ) : (
        <div className="history">
          <ul className="history-list" aria-label="Versions" data-testid="history-list">
            {versions.map((v) => {
              const id = v.kind === 'current' ? 'current' : v.revision.id;
              const isSelected = id === selected;
              const title = v.kind === 'current' ? v.entry.title : v.revision.title;
              return (
                <li key={String(id)}>
                  <button type="button" className="history-item" aria-pressed={isSelected} onClick={() => setSelected(id)} data-testid="history-version">
                    <span className="history-when">{v.kind === 'current' ? 'Current version' : formatDateTime(v.writtenAt)}</span>
                    <span className="history-sub">
                      {v.kind === 'current' ? `saved ${formatRelative(v.writtenAt)}` : `${v.first ? 'first written' : 'saved'} ${formatRelative(v.writtenAt)}`}
                    </span>
                    <span className="history-preview">{title || previewText(v.kind === 'current' ? v.entry.body : v.revision.body, 60)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="history-preview-pane" aria-live="polite">
            {chosen && (
              <>
                <div className="history-preview-head">
                  <div>
                    <p className="history-preview-title">{chosen.kind === 'current' ? 'Current version' : `Version of ${formatDateTime(chosen.writtenAt)}`}</p>
                    <p className="muted small">
                      {chosen.kind === 'current'
                        ? `What the entry says now, saved ${formatDateTime(chosen.writtenAt)}`
                        : `${chosen.first ? 'Written' : 'Saved'} ${formatDateTime(chosen.writtenAt)}, replaced ${formatDateTime(chosen.revision.savedAt)}`}
                    </p>
                  </div>
                  {chosen.kind === 'revision' && (
                    <button
                      type="button"
                      className="button button-primary"
                      disabled={restoring}
                      onClick={() => void restore(chosen.revision, chosen.writtenAt)}
                      data-testid="restore-version"
                    >
                      {restoring ? 'Restoring…' : 'Restore this version'}
                    </button>
                  )}
                </div>
                {/* The title only when the text does not already open with it (else it reads twice). */}
                {!hasDerivedTitle(chosenText) && <p className="history-version-title">{chosenText.title}</p>}
                <Markdown className="history-body" source={chosenText.body} />
                {chosenText.tags.length > 0 && (
                  <p className="muted small">Tags: {chosenText.tags.map((t) => `#${t}`).join(' ')}</p>
                )}
              </>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}
