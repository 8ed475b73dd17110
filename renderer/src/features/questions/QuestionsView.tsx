import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { QuestionEntry, QuestionStatus } from '../../../../shared/domain/entry.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { Icon } from '../../components/Icon.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { TokenText } from '../../components/TokenText.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useFacetCounts } from '../../hooks/useFacetCounts.ts';
import { useFocusInPlace } from '../../hooks/useFocusInPlace.ts';
import { useFocusOnMore } from '../../hooks/useFocusOnMore.ts';
import { useListNavigation } from '../../hooks/useListKeys.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { call } from '../../lib/api.ts';
import { formatDate, formatNumber, formatRelative } from '../../lib/format.ts';
import { entryHref, navigate } from '../../lib/router.ts';
import { fallbackTitle, previewText } from '../../lib/text.ts';
import { NewQuestionDialog } from './NewQuestionDialog.tsx';

const EMPTY_COPY: Record<QuestionStatus, { title: string; body: string }> = {
  open: { title: 'No open questions', body: 'When a question reaches you, log it here, post it to your network, and record the answer when it comes.' },
  answered: { title: 'Nothing answered and waiting', body: 'Questions with an answer that are not closed yet show up here.' },
  closed: { title: 'No closed questions yet', body: 'Close a question as solved once its answer is recorded; it stays findable here.' },
};

/** Questions shown at first, and added by each "Show more". */
const PAGE_SIZE = 100;

/**
 * Questions answered in the open: open → answered → closed. The tab's questions come from the core
 * page by page (filtered by status there), and each tab's count is every question of that status.
 */
export function QuestionsView({ status }: { status: QuestionStatus }) {
  const list = usePagedList({ kind: 'question', status }, { pageSize: PAGE_SIZE });
  const facets = useFacetCounts({ kind: 'question', by: 'status' });
  const [asking, setAsking] = useState(false);
  const listRef = useListNavigation<HTMLUListElement>();
  const focusOnMore = useFocusOnMore(listRef, list.loading);
  const pageRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  // A question whose status just changed stays out of this tab even before the list is read again.
  const shown = useMemo(
    () => list.items.filter((e): e is QuestionEntry => e.kind === 'question' && e.deletedAt === null && e.question.status === status),
    [list.items, status],
  );
  // A question closed, reopened or answered leaves this tab with the button that had focus: the focus
  // goes to the question now in its place, not to the page.
  useFocusInPlace(shown.map((q) => q.id).join(' '), pageRef, '.question-item .card-title');
  const counts = useMemo(() => {
    const c: Record<QuestionStatus, number> = { open: 0, answered: 0, closed: 0 };
    for (const v of facets?.values ?? []) if (v.value in c) c[v.value as QuestionStatus] = v.count;
    return c;
  }, [facets]);

  return (
    <div className="page page-questions" ref={pageRef}>
      <PageHeader
        narrow
        title="Questions"
        subtitle="Answer in the open, and keep the answers findable."
        actions={
          <button type="button" className="button button-primary" onClick={() => setAsking(true)} data-testid="add-question">
            <Icon name="plus" size={15} /> Log a question
          </button>
        }
      />
      <div className="page-body page-body-narrow">
        <Tabs
          label="Question status"
          panelId={panelId}
          selected={status}
          onSelect={(s) => navigate({ name: 'questions', status: s })}
          items={(['open', 'answered', 'closed'] as const).map((s) => ({
            key: s,
            label: (
              <>
                {s === 'open' ? 'Open' : s === 'answered' ? 'Answered' : 'Closed'}
                {facets && <span className="count">{formatNumber(counts[s])}</span>}
              </>
            ),
          }))}
        />
        <div id={panelId} role="tabpanel" aria-labelledby={`tab-${status}`} className="tab-panel">
          {!list.ready ? (
            <LoadingRows rows={4} label="Loading questions" />
          ) : list.error && shown.length === 0 ? (
            <ErrorState error={list.error} onRetry={list.reload} />
          ) : shown.length === 0 ? (
            <EmptyState
              icon="question"
              title={EMPTY_COPY[status].title}
              action={
                status === 'open' && (
                  <button type="button" className="button button-primary" onClick={() => setAsking(true)}>
                    Log a question
                  </button>
                )
              }
            >
              <p>{EMPTY_COPY[status].body}</p>
            </EmptyState>
          ) : (
            <ul ref={listRef} className="card-list" aria-label={`${status} questions`} data-testid="question-list">
              {shown.map((q) => (
                <QuestionCard key={q.id} entry={q} />
              ))}
            </ul>
          )}
          {list.ready && list.hasMore && shown.length > 0 && (
            <button type="button" className="button button-ghost load-more" onClick={() => {
                focusOnMore();
                void list.loadMore();
              }}
              disabled={list.loading}
              data-testid="questions-more"
            >
              {list.loading ? 'Loading…' : `Show more (${formatNumber(shown.length)} of ${formatNumber(Math.max(counts[status], shown.length))} shown)`}
            </button>
          )}
        </div>
      </div>
      <NewQuestionDialog open={asking} onClose={() => setAsking(false)} />
    </div>
  );
}

function QuestionCard({ entry }: { entry: QuestionEntry }) {
  const q = entry.question;
  const [answering, setAnswering] = useState(false);
  const [answer, setAnswer] = useState(q.answer);
  const [saving, setSaving] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const answerButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const run = useAction();
  const id = useId();
  const title = fallbackTitle(entry);
  const body = previewText(entry.body, 240);

  // The form closes under the focus: it goes back to the button that opened it, not to the page.
  useEffect(() => {
    if (answering || !refocus.current) return;
    refocus.current = false;
    answerButton.current?.focus();
  }, [answering]);
  const closeForm = () => {
    refocus.current = true;
    setAnswering(false);
  };
  const discard = () => {
    setAnswer(q.answer);
    closeForm();
  };
  // As in the entry editor: an answer typed is not thrown away without asking.
  const cancel = () => (answer !== q.answer ? setConfirmDiscard(true) : discard());

  const save = async (status: QuestionStatus) => {
    setSaving(true);
    const r = await run(call('entries.update', { id: entry.id, question: { answer, status } }));
    setSaving(false);
    if (r.ok) closeForm();
  };
  const setStatus = (status: QuestionStatus) => void run(call('entries.update', { id: entry.id, question: { status } }));

  return (
    <li className="card question-item" data-testid="question-item">
      <div className="question-head">
        <a className="card-title" href={entryHref(entry)}>
          {title}
        </a>
        <span className={`status status-${q.status}`}>{q.status}</span>
      </div>
      {body && body !== title && (
        <p className="card-text">
          <TokenText text={body} />
        </p>
      )}
      <p className="card-meta">
        {q.askedBy ? `Asked by ${q.askedBy} · ` : ''}
        {formatDate(entry.createdAt)}
        {q.closedAt ? ` · closed ${formatRelative(q.closedAt)}` : ''}
      </p>
      {q.answer.trim() && !answering && (
        <div className="question-answer">
          <p className="question-answer-label">
            <Icon name="check" size={13} /> Answer
          </p>
          <Markdown source={q.answer} />
        </div>
      )}
      {answering ? (
        <form
          className="answer-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save('answered');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !e.defaultPrevented) {
              e.preventDefault();
              cancel();
            }
          }}
        >
          <label className="field-label" htmlFor={`${id}-answer`}>
            Answer
          </label>
          <textarea
            id={`${id}-answer`}
            className="input textarea"
            rows={4}
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
            autoFocus
          />
          <div className="row-actions">
            <button type="button" className="button button-ghost" onClick={cancel}>
              Cancel
            </button>
            <button type="submit" className="button" disabled={saving || !answer.trim()}>
              Save answer
            </button>
            <button type="button" className="button button-primary" disabled={saving || !answer.trim()} onClick={() => void save('closed')}>
              Save and close as solved
            </button>
          </div>
        </form>
      ) : (
        <div className="row-actions">
          {q.status !== 'closed' && (
            <button ref={answerButton} type="button" className="button button-small" onClick={() => setAnswering(true)}>
              <Icon name="edit" size={14} /> {q.answer.trim() ? 'Edit answer' : 'Record answer'}
            </button>
          )}
          {q.status === 'answered' && (
            <button type="button" className="button button-small button-primary" onClick={() => setStatus('closed')}>
              <Icon name="check" size={14} /> Close as solved
            </button>
          )}
          {q.status === 'open' && (
            <button type="button" className="button button-small button-ghost" onClick={() => setStatus('closed')}>
              Close without answer
            </button>
          )}
          {q.status === 'closed' && (
            <button type="button" className="button button-small" onClick={() => setStatus(q.answer.trim() ? 'answered' : 'open')}>
              Reopen
            </button>
          )}
        </div>
      )}
      <ConfirmDialog
        open={confirmDiscard}
        title="Discard your answer?"
        message={q.answer.trim() ? 'The answer stays as it was before you started editing.' : 'The question stays without an answer.'}
        confirmLabel="Discard answer"
        danger
        onCancel={() => setConfirmDiscard(false)}
        onConfirm={() => {
          setConfirmDiscard(false);
          discard();
        }}
      />
    </li>
  );
}
