import { useMemo, useState } from 'react';
import type { BookmarkEntry, EntryDetail, QuestionEntry, QuestionStatus } from '../../../../shared/domain/entry.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { EntryHeaderActions, TrashBanner } from './EntryChrome.tsx';
import { Icon, KIND_ICON } from '../../components/Icon.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TagList } from '../../components/TagList.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { call, externalUrl, openExternal } from '../../lib/api.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { fallbackTitle, hasDerivedTitle } from '../../lib/text.ts';
import { AnswersQuestion } from './AnswersQuestion.tsx';
import { EntryEditor } from './EntryEditor.tsx';
import { LinkGroups } from './LinkList.tsx';
import { mentionTargets } from './mention-targets.ts';
import { RevisionHistory } from './RevisionHistory.tsx';
import { useEntryActions } from './useEntryActions.ts';
import { useEntryPageFocus } from './useEntryPageFocus.ts';

const KIND_NAME: Record<string, string> = { note: 'Note', bookmark: 'Bookmark', question: 'Question', person: 'Person' };

/** Where an entry came from, when it is worth saying ("typed" is the default and goes unsaid). */
export function sourceLabel(source: string): string | null {
  if (source === 'typed') return null;
  if (source === 'capture') return 'via quick capture';
  if (source === 'cli') return 'from the command line';
  if (source === 'api') return 'via the local API';
  if (source === 'mention') return 'added from a mention';
  if (source.startsWith('import:')) return `imported (${source.slice(7)})`;
  return source;
}

/** An entry: its text rendered safely, its fields, links both ways, history and trash. */
export function EntryView({ detail }: { detail: EntryDetail }) {
  const { entry } = detail;
  const [editing, setEditing] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [confirmPurge, setConfirmPurge] = useState(false);
  const actions = useEntryActions();
  const people = useMemo(() => mentionTargets(detail.links), [detail.links]);
  const trashed = entry.deletedAt !== null;
  const focus = useEntryPageFocus(editing, trashed);
  const title = fallbackTitle(entry);
  const hasOwnTitle = entry.kind === 'bookmark' || !hasDerivedTitle(entry);
  // A note or a bookmark may be the answer to a question (an answer-of link), set from its side panel.
  const canAnswer = entry.kind !== 'question' && !trashed;
  const answerOf = detail.links.some((l) => l.type === 'answer-of');

  return (
    <div className="page page-entry" data-testid="entry-view" data-entry-id={entry.id}>
      <PageHeader
        back
        heading={false}
        title={
          <span className="crumb">
            <Icon name={KIND_ICON[entry.kind] ?? 'note'} size={14} /> {KIND_NAME[entry.kind]}
          </span>
        }
        actions={
          !editing && (
            <EntryHeaderActions
              revisionCount={detail.revisionCount}
              trashed={trashed}
              onHistory={() => setHistoryOpen(true)}
              onEdit={() => setEditing(true)}
              onDelete={() => void actions.trash(entry)}
              editRef={focus.editButton}
            />
          )
        }
      />

      {trashed && (
        <TrashBanner message="This entry is in the Trash. It is not searched and not shown in the timeline." onRestore={() => void actions.restore(entry.id)} onPurge={() => setConfirmPurge(true)} restoreRef={focus.restoreButton} />
      )}

      <div className="entry-layout">
        <div className="entry-main">
          {editing ? (
            <EntryEditor entry={entry} onDone={() => setEditing(false)} />
          ) : (
            <article className="entry-article" aria-labelledby="entry-title">
              <h1 id="entry-title" className={hasOwnTitle ? 'entry-title' : 'visually-hidden'}>
                {title}
              </h1>
              <p className="entry-meta">
                <time dateTime={new Date(entry.createdAt).toISOString()}>{formatDateTime(entry.createdAt)}</time>
                {detail.editedAt !== null && <span> · edited {formatRelative(detail.editedAt)}</span>}
                {sourceLabel(entry.source) && <span> · {sourceLabel(entry.source)}</span>}
              </p>
              {entry.kind === 'bookmark' && <BookmarkPanel entry={entry} />}
              {entry.kind === 'question' && <QuestionPanel entry={entry} />}
              {entry.body.trim() ? (
                <Markdown source={entry.body} people={people} tags={entry.tags} className={hasOwnTitle ? 'entry-body' : 'entry-body entry-body-lead'} />
              ) : (
                <p className="muted">No text.</p>
              )}
              {entry.kind === 'question' && entry.question.answer.trim() && (
                <section className="answer" aria-labelledby="answer-heading">
                  <h2 id="answer-heading" className="answer-heading">
                    <Icon name="check" size={15} /> Answer
                  </h2>
                  <Markdown source={entry.question.answer} people={people} tags={entry.tags} />
                </section>
              )}
              <TagList tags={entry.tags} text={entry.kind === 'question' ? `${entry.body}\n\n${entry.question.answer}` : entry.body} />
            </article>
          )}
        </div>
        <aside className="entry-aside" aria-label="Links">
          {/* Which question this answers comes first, with its buttons; "Answers a question…" last, while it answers none. */}
          {canAnswer && answerOf && <AnswersQuestion entryId={entry.id} links={detail.links} />}
          <LinkGroups links={detail.links} direction="out" exclude={canAnswer ? ['answer-of'] : []} />
          <LinkGroups links={detail.backlinks} direction="in" />
          {detail.links.length === 0 && detail.backlinks.length === 0 && (
            <section className="aside-section">
              <h2 className="aside-heading">Links</h2>
              <p className="muted small">Mention someone with @name and they will be linked here; entries that refer to this one appear too.</p>
            </section>
          )}
          {canAnswer && !answerOf && <AnswersQuestion entryId={entry.id} links={detail.links} />}
        </aside>
      </div>

      <RevisionHistory entry={entry} open={historyOpen} onClose={() => setHistoryOpen(false)} />
      <ConfirmDialog
        open={confirmPurge}
        title="Delete forever?"
        message={
          <p>
            “{title}” and all {detail.revisionCount > 0 ? `${detail.revisionCount} earlier versions` : 'its history'} will be removed from the journal. This cannot be undone.
          </p>
        }
        confirmLabel="Delete forever"
        danger
        onCancel={() => setConfirmPurge(false)}
        onConfirm={() => {
          setConfirmPurge(false);
          void actions.purge(entry).then((ok) => {
            if (ok) window.location.hash = '#/trash';
          });
        }}
      />
    </div>
  );
}

function BookmarkPanel({ entry }: { entry: BookmarkEntry }) {
  const b = entry.bookmark;
  // The core also adds each note to the text, which is shown below: list only notes the text no longer holds.
  const otherNotes = b.notes.filter((n) => !entry.body.includes(n));
  return (
    <div className="bookmark-card">
      <div className="bookmark-site">
        <Icon name="globe" size={14} /> {b.site || 'link'}
      </div>
      <a
        className="bookmark-url"
        href={externalUrl(b.url) ?? undefined}
        onClick={(e) => {
          e.preventDefault();
          openExternal(b.url);
        }}
        data-testid="bookmark-url"
      >
        {b.url} <Icon name="external" size={13} />
      </a>
      {b.excerpt && <blockquote className="bookmark-excerpt">{b.excerpt}</blockquote>}
      {otherNotes.length > 0 && (
        <div className="bookmark-notes">
          <p className="small muted">Also noted when saved:</p>
          <ul>
            {otherNotes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const STATUS_LABEL: Record<QuestionStatus, string> = { open: 'Open', answered: 'Answered', closed: 'Closed' };

function QuestionPanel({ entry }: { entry: QuestionEntry }) {
  const q = entry.question;
  const run = useAction();
  const setStatus = (status: QuestionStatus) => void run(call('entries.update', { id: entry.id, question: { status } }));
  return (
    <div className="question-bar">
      <span className={`status status-${q.status}`} data-testid="question-status">
        {STATUS_LABEL[q.status]}
      </span>
      {q.askedBy && <span className="muted">asked by {q.askedBy}</span>}
      {q.closedAt && <span className="muted">closed {formatRelative(q.closedAt)}</span>}
      <span className="spacer" />
      {/* One button that turns into the other, so the focus stays on it. */}
      {entry.deletedAt === null && (
        <button
          type="button"
          className="button button-small"
          onClick={() => setStatus(q.status !== 'closed' ? 'closed' : q.answer.trim() ? 'answered' : 'open')}
        >
          {q.status !== 'closed' ? (
            <>
              <Icon name="check" size={14} /> Close as solved
            </>
          ) : (
            'Reopen'
          )}
        </button>
      )}
    </div>
  );
}
