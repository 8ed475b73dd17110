import { useEffect, useRef, useState } from 'react';
import type { PersonEntry } from '../../../../shared/domain/entry.ts';
import type { FuzzyMatch } from '../../../../shared/domain/search.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { useFocusOnMore } from '../../hooks/useFocusOnMore.ts';
import { useListNavigation } from '../../hooks/useListKeys.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { call } from '../../lib/api.ts';
import { hrefFor } from '../../lib/router.ts';
import { NewPersonDialog } from './NewPersonDialog.tsx';
import { WhoKnows } from './WhoKnows.tsx';

/** Everyone in the journal, with a fuzzy filter, and the "who knows about…" box beside. */
export function PeopleView() {
  const [filter, setFilter] = useState('');
  const [adding, setAdding] = useState(false);
  // Every person, A to Z by name, page by page: the core sorts them (entries.list order 'name').
  const list = usePagedList({ kind: 'person', order: 'name' });
  const [matches, setMatches] = useState<FuzzyMatch[] | null>(null);
  const seq = useRef(0);
  const listRef = useListNavigation<HTMLUListElement>({ grid: true });
  const focusOnMore = useFocusOnMore(listRef, list.loading);

  useEffect(() => {
    const mine = ++seq.current;
    const q = filter.trim();
    if (!q) {
      setMatches(null);
      return;
    }
    void call('people.find', { q, limit: 50 }).then((r) => {
      if (mine === seq.current) setMatches(r.ok ? r.value : []);
    });
  }, [filter]);

  const people = list.items.filter((e): e is PersonEntry => e.kind === 'person' && e.deletedAt === null);
  const byId = new Map(people.map((p) => [p.id, p]));

  return (
    <div className="page page-people">
      <PageHeader
        title="People"
        subtitle="Experts you heard of, who recommended them, and what they know about."
        actions={
          <button type="button" className="button button-primary" onClick={() => setAdding(true)} data-testid="add-person">
            <Icon name="plus" size={15} /> Add person
          </button>
        }
      />
      <div className="split-layout">
        <div className="split-main">
          <div className="filter-bar">
            <Icon name="filter" size={15} />
            <label htmlFor="people-filter" className="visually-hidden">
              Filter people
            </label>
            <input
              id="people-filter"
              className="filter-input"
              type="search"
              placeholder="Filter by name or alias (typos are fine)"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              autoComplete="off"
              data-testid="people-filter"
            />
          </div>
          {!list.ready ? (
            <LoadingRows rows={5} label="Loading people" />
          ) : list.error && people.length === 0 ? (
            <ErrorState error={list.error} onRetry={list.reload} />
          ) : matches ? (
            matches.length === 0 ? (
              <EmptyState icon="people" title={`No one matches “${filter.trim()}”`}>
                <p>Try part of a first name, a surname or a handle.</p>
              </EmptyState>
            ) : (
              <ul ref={listRef} className="people-grid" aria-label="Matching people" data-testid="people-list">
                {matches.map((m) => {
                  const p = byId.get(m.ref.id);
                  const sub = p ? [p.person.role, p.person.organisation].filter(Boolean).join(' · ') : '';
                  return (
                    <PersonCard
                      key={m.ref.id}
                      id={m.ref.id}
                      name={m.ref.title}
                      sub={m.label && m.label !== m.ref.title ? `matched “${m.label}”` : sub}
                      topics={p ? p.person.topics : []}
                    />
                  );
                })}
              </ul>
            )
          ) : people.length === 0 ? (
            <EmptyState
              icon="people"
              title="No people yet"
              action={
                <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
                  Add a person
                </button>
              }
            >
              <p>Mention someone in a note with @name and they appear here, or add them with their role and topics.</p>
            </EmptyState>
          ) : (
            <ul ref={listRef} className="people-grid" aria-label="People, A to Z by name" data-testid="people-list">
              {people.map((p) => (
                <PersonCard
                  key={p.id}
                  id={p.id}
                  name={p.person.name || p.title}
                  sub={[p.person.role, p.person.organisation].filter(Boolean).join(' · ') || (p.source === 'mention' ? 'Added from a mention' : '')}
                  topics={p.person.topics}
                />
              ))}
            </ul>
          )}
          {!matches && list.hasMore && (
            <button type="button" className="button button-ghost load-more" onClick={() => {
                focusOnMore();
                void list.loadMore();
              }}
              disabled={list.loading}
              data-testid="people-more"
            >
              {list.loading ? 'Loading…' : 'Show more'}
            </button>
          )}
        </div>
        <aside className="split-rail" aria-label="Who knows about a topic">
          <WhoKnows />
        </aside>
      </div>
      <NewPersonDialog open={adding} onClose={() => setAdding(false)} />
    </div>
  );
}

/** Room for topic chips on a card, in characters (each chip counts its padding as a few more). */
const TOPIC_BUDGET = 48;
const CHIP_COST = 4;

/** The topics that fit on about one line of a card, at least one and at most three; the rest become "+N". */
function visibleTopics(topics: string[]): { shown: string[]; more: number } {
  const shown: string[] = [];
  let used = 0;
  for (const t of topics.slice(0, 3)) {
    const cost = t.length + CHIP_COST;
    if (shown.length > 0 && used + cost > TOPIC_BUDGET) break;
    shown.push(t);
    used += cost;
  }
  return { shown, more: topics.length - shown.length };
}

function PersonCard({ id, name, sub, topics }: { id: string; name: string; sub: string; topics: string[] }) {
  const { shown, more } = visibleTopics(topics);
  return (
    <li className="person-card" data-testid="person-card">
      <a className="person-card-link" href={hrefFor({ name: 'person', id })}>
        <Avatar name={name} size={36} />
        <span className="person-card-text">
          <span className="person-card-name">{name}</span>
          {sub && <span className="person-card-sub">{sub}</span>}
          {topics.length > 0 && (
            <span className="person-card-topics">
              {shown.map((t) => (
                <span key={t} className="chip chip-small">
                  {t}
                </span>
              ))}
              {more > 0 && (
                <span className="chip chip-small" title={topics.slice(shown.length).join(', ')}>
                  +{more}
                  <span className="visually-hidden"> more: {topics.slice(shown.length).join(', ')}</span>
                </span>
              )}
            </span>
          )}
        </span>
      </a>
    </li>
  );
}
