import { useEffect, useMemo, useState } from 'react';
import type { Entry, EntryDetail, PersonEntry } from '../../../../shared/domain/entry.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { EntryHeaderActions, TrashBanner } from '../entry/EntryChrome.tsx';
import { Icon, KIND_ICON } from '../../components/Icon.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, LoadingRows } from '../../components/States.tsx';
import { TagList } from '../../components/TagList.tsx';
import { TokenText } from '../../components/TokenText.tsx';
import { call, externalUrl, openExternal } from '../../lib/api.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { entryHref, hrefFor } from '../../lib/router.ts';
import { fallbackTitle, hasDerivedTitle, mentionSyntax, previewText } from '../../lib/text.ts';
import { EntryEditor } from '../entry/EntryEditor.tsx';
import { AnswersQuestion } from '../entry/AnswersQuestion.tsx';
import { LinkGroups } from '../entry/LinkList.tsx';
import { mentionTargets } from '../entry/mention-targets.ts';
import { RevisionHistory } from '../entry/RevisionHistory.tsx';
import { useEntryActions } from '../entry/useEntryActions.ts';
import { useEntryPageFocus } from '../entry/useEntryPageFocus.ts';
import { useFocusOnMore } from '../../hooks/useFocusOnMore.ts';
import { useListNavigation } from '../../hooks/useListKeys.ts';

const MENTION_PAGE = 25;

/** A person: profile, topics, who recommended them, and every entry that mentions them. */
export function PersonPage({ detail }: { detail: EntryDetail }) {
  const entry = detail.entry as PersonEntry;
  const p = entry.person;
  const [editing, setEditing] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [confirmPurge, setConfirmPurge] = useState(false);
  const actions = useEntryActions();
  const people = useMemo(() => mentionTargets(detail.links), [detail.links]);
  const trashed = entry.deletedAt !== null;
  const answersOne = detail.links.some((l) => l.type === 'answer-of');
  const focus = useEntryPageFocus(editing, trashed);
  const mentionedIn = detail.backlinks.filter((l) => l.type === 'mentions');
  const recommender = detail.links.find((l) => l.type === 'recommended-by');
  const name = p.name || entry.title;

  return (
    <div className="page page-person" data-testid="person-page" data-entry-id={entry.id}>
      <PageHeader
        back
        heading={false}
        title={
          <span className="crumb">
            <Icon name="people" size={14} /> <a href={hrefFor({ name: 'people' })}>People</a>
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
        <TrashBanner message="This person is in the Trash." onRestore={() => void actions.restore(entry.id)} onPurge={() => setConfirmPurge(true)} restoreRef={focus.restoreButton} />
      )}
      <div className="entry-layout">
        <div className="entry-main">
          {editing ? (
            <EntryEditor entry={entry} onDone={() => setEditing(false)} />
          ) : (
            <>
              <header className="person-hero">
                <Avatar name={name} size={64} />
                <div>
                  <h1 className="person-name" id="entry-title">
                    {name}
                  </h1>
                  {(p.role || p.organisation) && <p className="person-role">{[p.role, p.organisation].filter(Boolean).join(' · ')}</p>}
                  {p.aliases.length > 0 && <p className="muted small">Also known as {p.aliases.join(', ')}</p>}
                </div>
              </header>
              <dl className="profile">
                <div className="profile-row">
                  <dt>Knows about</dt>
                  <dd>
                    {p.topics.length ? (
                      <span className="chip-row">
                        {p.topics.map((t) => (
                          <span key={t} className="chip">
                            {t}
                          </span>
                        ))}
                      </span>
                    ) : (
                      <span className="muted">No topics yet</span>
                    )}
                  </dd>
                </div>
                <div className="profile-row">
                  <dt>Contact</dt>
                  <dd>{p.contacts.length ? <Contacts contacts={p.contacts} /> : <span className="muted">No contact details</span>}</dd>
                </div>
                <div className="profile-row">
                  <dt>Recommended by</dt>
                  <dd>
                    {recommender ? (
                      <a href={entryHref(recommender.entry)}>{recommender.entry.title}</a>
                    ) : p.recommendedBy ? (
                      p.recommendedBy
                    ) : (
                      <span className="muted">Nobody noted</span>
                    )}
                  </dd>
                </div>
              </dl>
              {entry.body.trim() && (
                <section className="person-notes" aria-label="Notes">
                  <Markdown source={entry.body} people={people} tags={entry.tags} />
                </section>
              )}
              <TagList tags={entry.tags} text={entry.body} />
              <MentionedIn ids={mentionedIn.map((l) => l.entry.id)} total={detail.backlinkCounts.mentions ?? 0} name={name} />
            </>
          )}
        </div>
        <aside className="entry-aside" aria-label="Links">
          {/* Someone can be the answer to a question ("who knows the old billing code?"), as a note can. */}
          {!trashed && answersOne && <AnswersQuestion entryId={entry.id} links={detail.links} />}
          <LinkGroups links={detail.links} direction="out" exclude={['recommended-by', 'answer-of']} />
          <LinkGroups links={detail.backlinks} direction="in" exclude={['mentions']} />
          {!trashed && !answersOne && <AnswersQuestion entryId={entry.id} links={detail.links} />}
        </aside>
      </div>
      <RevisionHistory entry={entry} open={historyOpen} onClose={() => setHistoryOpen(false)} />
      <ConfirmDialog
        open={confirmPurge}
        title="Delete forever?"
        message={<p>{name} and their history will be removed from the journal. Notes that mention them stay. This cannot be undone.</p>}
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

function Contacts({ contacts }: { contacts: string[] }) {
  return (
    <ul className="contact-list">
      {contacts.map((c) => {
        const href = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c) ? externalUrl(`mailto:${c}`) : externalUrl(c);
        return (
          <li key={c}>
            {href ? (
              <a
                href={href}
                onClick={(e) => {
                  e.preventDefault();
                  openExternal(href);
                }}
              >
                {c}
              </a>
            ) : (
              c
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Every entry that mentions the person (the backlinks), loaded a page at a time with their text. */
/** `ids`: the newest mentions the entry came with (at most 500); `total`: all of them. */
function MentionedIn({ ids, total, name }: { ids: string[]; total: number; name: string }) {
  const [shown, setShown] = useState(MENTION_PAGE);
  const listRef = useListNavigation<HTMLUListElement>();
  const [entries, setEntries] = useState<Map<string, Entry>>(new Map());
  const [loading, setLoading] = useState(true);
  const focusOnMore = useFocusOnMore(listRef, loading);
  const key = ids.slice(0, shown).join(',');

  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(',') : [];
    setLoading(true);
    void Promise.all(wanted.map((id) => call('entries.get', { id }))).then((results) => {
      if (!live) return;
      const map = new Map<string, Entry>();
      for (const r of results) if (r.ok) map.set(r.value.entry.id, r.value.entry);
      setEntries(map);
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, [key]);

  return (
    <section className="mentioned-in" aria-labelledby="mentioned-heading" data-testid="mentioned-in">
      <h2 id="mentioned-heading" className="section-heading">
        Mentioned in <span className="count">{formatNumber(Math.max(total, ids.length))}</span>
      </h2>
      {ids.length === 0 ? (
        <EmptyState icon="at" title={`No notes mention ${name} yet`}>
          {/* The mention that links to this person: `@Bea` alone would be another person, Bea. */}
          <p>Write {mentionSyntax(name)} in a note and it will be listed here.</p>
        </EmptyState>
      ) : loading && entries.size === 0 ? (
        <LoadingRows rows={3} label="Loading mentions" />
      ) : (
        <ul className="mention-list" ref={listRef}>
          {ids.slice(0, shown).map((id) => {
            const e = entries.get(id);
            if (!e) return null;
            return (
              <li key={id}>
                <a className={`mention-item${e.deletedAt !== null ? ' ref-deleted' : ''}`} href={entryHref(e)} data-testid="mention-item">
                  <span className={`kind-dot kind-${e.kind}`}>
                    <Icon name={KIND_ICON[e.kind] ?? 'note'} size={14} />
                  </span>
                  <span className="mention-main">
                    {hasDerivedTitle(e) ? (
                      <span className="mention-lead">
                        <TokenText text={previewText(e.body, 240)} tags={e.tags} />
                      </span>
                    ) : (
                      <>
                        <span className="mention-title">{fallbackTitle(e)}</span>
                        {e.body && (
                          <span className="mention-text">
                            <TokenText text={previewText(e.body, 200)} tags={e.tags} />
                          </span>
                        )}
                      </>
                    )}
                  </span>
                  <span className="mention-date">{formatDate(e.createdAt)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {ids.length > shown && (
        <button
          type="button"
          className="button button-ghost load-more"
          onClick={() => {
            focusOnMore();
            setShown((s) => s + MENTION_PAGE);
          }}
          data-testid="mentions-more"
        >
          Show more ({ids.length - shown} left)
        </button>
      )}
      {total > ids.length && ids.length <= shown && (
        <p className="muted small" data-testid="mentions-beyond">
          The newest {formatNumber(ids.length)} are listed. Search for {mentionSyntax(name)} to find the other {formatNumber(total - ids.length)}.
        </p>
      )}
    </section>
  );
}
