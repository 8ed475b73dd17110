/**
 * For an entry that is no question (a note, a bookmark, a person): which question it answers, if any (an
 * `answer-of` link, shown above under "Answer to"), and the buttons to make it the answer to one, to
 * another, or to none. Linking an open question marks it answered (the core does).
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { EntryLink, QuestionEntry } from '../../../../shared/domain/entry.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { TextField } from '../../components/Field.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { call } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { entryHref } from '../../lib/router.ts';

export function AnswersQuestion({ entryId, links }: { entryId: string; links: EntryLink[] }) {
  const [picking, setPicking] = useState(false);
  const run = useAction();
  const current = links.find((l) => l.type === 'answer-of');
  const link = async (answerOf: string | null) => {
    const r = await run(call('entries.update', { id: entryId, answerOf }));
    if (r.ok) setPicking(false);
  };
  const picker = <QuestionPicker open={picking} exclude={current?.entry.id} onClose={() => setPicking(false)} onPick={(id) => void link(id)} />;

  if (!current) {
    return (
      <section className="aside-section" aria-label="Answers a question" data-testid="answers-question">
        <button type="button" className="button button-small" onClick={() => setPicking(true)} data-testid="pick-question">
          <Icon name="question" size={14} /> Answers a question…
        </button>
        <p className="muted small aside-hint">Pick the question this answers; an open one is marked answered.</p>
        {picker}
      </section>
    );
  }
  return (
    <section className="aside-section" aria-label="Answer to" data-testid="links-answer-of">
      <h2 className="aside-heading">Answer to</h2>
      <ul className="ref-list">
        <li>
          <a className={current.entry.deleted ? 'ref ref-deleted' : 'ref'} href={entryHref(current.entry)}>
            <Icon name="question" size={14} />
            <span className="ref-title">{current.entry.title || 'Untitled'}</span>
            {current.entry.deleted && <span className="badge">in Trash</span>}
          </a>
        </li>
      </ul>
      <div className="aside-actions" data-testid="answers-question">
        <button type="button" className="link-button" onClick={() => setPicking(true)}>
          Another question…
        </button>
        <span aria-hidden="true">·</span>
        <button type="button" className="link-button" onClick={() => void link(null)} data-testid="not-an-answer">
          Not an answer
        </button>
      </div>
      {picker}
    </section>
  );
}

/** Open and answered questions (the newest 100 of each), filtered by what is typed; a click picks one. */
function QuestionPicker(props: { open: boolean; exclude?: string; onClose: () => void; onPick: (id: string) => void }) {
  const [questions, setQuestions] = useState<QuestionEntry[] | null>(null);
  const [filter, setFilter] = useState('');
  const listId = useId();

  useEffect(() => {
    if (!props.open) return;
    let live = true;
    setFilter('');
    setQuestions(null);
    void Promise.all(
      (['open', 'answered'] as const).map((status) => call('entries.list', { kind: 'question', status, limit: 100 })),
    ).then((pages) => {
      if (!live) return;
      setQuestions(pages.flatMap((p) => (p.ok ? (p.value.items as QuestionEntry[]) : [])));
    });
    return () => {
      live = false;
    };
  }, [props.open]);

  const shown = useMemo(() => {
    const words = filter.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    return (questions ?? []).filter((q) => q.id !== props.exclude && words.every((w) => q.title.toLocaleLowerCase().includes(w)));
  }, [questions, filter, props.exclude]);

  return (
    <Dialog open={props.open} onClose={props.onClose} title="Which question does this answer?" testId="question-picker">
      <div className="form-stack">
        <TextField
          label="Find a question"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Words from its title"
          aria-controls={listId}
          data-autofocus
        />
        {questions === null ? (
          <p className="muted">Loading questions…</p>
        ) : shown.length === 0 ? (
          <p className="muted" role="status">
            {questions.length === 0 ? 'No open or answered questions yet. Log one under Questions first.' : 'No question has those words in its title.'}
          </p>
        ) : (
          <ul className="pick-list" id={listId} aria-label="Questions">
            {shown.map((q) => (
              <li key={q.id}>
                <button type="button" className="pick-item" onClick={() => props.onPick(q.id)}>
                  <span className="pick-title">{q.title}</span>
                  <span className="pick-meta">
                    <span className={`status status-${q.question.status}`}>{q.question.status === 'open' ? 'Open' : 'Answered'}</span>
                    {formatDateTime(q.createdAt)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
