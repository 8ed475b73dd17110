import { memo, startTransition, useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { EntryRef } from '../../../../shared/domain/entry.ts';
import type { SearchHit, SnippetSegment } from '../../../../shared/domain/search.ts';
import { Icon, KIND_ICON } from '../../components/Icon.tsx';
import { Segments } from '../../components/Segments.tsx';
import { Spinner } from '../../components/States.tsx';
import { useApiQuery } from '../../hooks/useApiQuery.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { entryHref, navigate } from '../../lib/router.ts';
import { fallbackTitle } from '../../lib/text.ts';
import { chipLabel, removeFilter } from './filters.ts';
import { useSearch } from './useSearch.ts';

const QUICK_FILTERS = [
  { label: 'Notes', token: 'kind:note' },
  { label: 'Bookmarks', token: 'kind:bookmark' },
  { label: 'People', token: 'kind:person' },
  { label: 'Questions', token: 'kind:question' },
  { label: 'Open questions', token: 'is:open' },
];

const PAGE = 20;
/**
 * Rows rendered in the frame that answers a keystroke: as many as the list can show at once (six rows
 * with two-line snippets, ten without; the dialog is never taller). The rest follow once typing
 * pauses for REST_AFTER_MS, or at once when the list is scrolled or the selection moves past them;
 * until then a spacer of REST_ROW_PX per row keeps the list about as tall, so the scrollbar does not
 * jump, and "Show more results" waits for them.
 */
const FIRST_ROWS = 10;
const REST_AFTER_MS = 150;
const REST_ROW_PX = 80;

/** Ctrl/Cmd+K from anywhere: results as you type, matches highlighted, all from the keyboard. */
export function SearchOverlay({ open, initialQuery, onClose }: { open: boolean; initialQuery: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const [query, setQuery] = useState(initialQuery);
  const [limit, setLimit] = useState(PAGE);
  const [active, setActive] = useState(0);
  const results = useRef<HTMLDivElement>(null);
  /** The results list was scrolled down since the query last changed. */
  const scrolled = useRef(false);
  /** A new query starts again at the first result and the first page, scrolled to the top. */
  const changeQuery = (q: string) => {
    setQuery(q);
    setActive(0);
    setLimit(PAGE);
    if (scrolled.current && results.current) {
      results.current.scrollTop = 0;
      scrolled.current = false;
    }
  };
  const search = useSearch(open ? query : '', limit);
  const hits = search.result?.hits ?? [];
  const ids = useId();
  const listId = `${ids}-results`;
  // All rows, or the first FIRST_ROWS: see FIRST_ROWS. Kept per query, so a refined answer or a
  // longer page of the same query comes whole.
  const [allRowsFor, setAllRowsFor] = useState<string | null>(null);
  const allRows = allRowsFor === search.answered || active >= FIRST_ROWS || hits.length <= FIRST_ROWS;
  const rows = allRows ? hits : hits.slice(0, FIRST_ROWS);

  useEffect(() => {
    if (allRows) return;
    const answered = search.answered;
    const timer = setTimeout(() => startTransition(() => setAllRowsFor(answered)), REST_AFTER_MS);
    return () => clearTimeout(timer);
  }, [allRows, search.answered]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      setQuery(initialQuery);
      setActive(0);
      setLimit(PAGE);
      d.showModal();
      // The query brought along is selected, so typing replaces it; not if typing has already begun
      // (this runs a frame later, and selecting then would let the next key erase what was typed).
      requestAnimationFrame(() => {
        const el = input.current;
        if (el && el.value === initialQuery) el.select();
      });
    }
    if (!open && d.open) d.close();
  }, [open, initialQuery]);

  useEffect(() => {
    list.current?.querySelector(`[data-option="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const openRef = useCallback(
    (ref: Pick<EntryRef, 'id' | 'kind'>) => {
      onClose();
      navigate(entryHref(ref));
    },
    [onClose],
  );
  const choose = useCallback((hit: SearchHit | undefined) => hit && openRef(hit.entry), [openRef]);

  // Enter opens the best match of the text in the box: typed before its answer has come, it opens
  // that answer's chosen row when it arrives (never a row of an earlier query still on screen); on a
  // quick answer whose ranking is still to come, with no row chosen, it asks for the ranking at once
  // and opens its first row. A new keystroke cancels it.
  const [enterFor, setEnterFor] = useState<string | null>(null);
  const { loading, refining, refineNow } = search;
  useEffect(() => {
    if (enterFor === null) return;
    if (enterFor !== query) setEnterFor(null);
    else if (loading) return;
    else if (refining && active === 0) refineNow();
    else {
      setEnterFor(null);
      choose(hits[active]);
    }
  }, [enterFor, query, loading, refining, refineNow, hits, active, choose]);

  // A row chosen with the keyboard or the pointer stays chosen when the ranking replaces the quick
  // answer it was chosen in, wherever it moved (or the first row, if it is gone).
  const chosen = useRef<{ hits: SearchHit[]; answered: string; id: string; active: number } | null>(null);
  useLayoutEffect(() => {
    const before = chosen.current;
    const now = hits[active];
    // The list was replaced while the selection stayed where it was (a key pressed in the same frame
    // is a choice made on the new list, and is kept).
    const replaced = before !== null && before.hits !== hits && before.answered === search.answered && before.active === active;
    if (replaced && active > 0 && now?.entry.id !== before.id) {
      const moved = hits.findIndex((h) => h.entry.id === before.id);
      const next = moved >= 0 ? moved : 0;
      chosen.current = { ...before, hits, active: next };
      setActive(next);
      return;
    }
    chosen.current = now ? { hits, answered: search.answered, id: now.entry.id, active } : null;
  }, [hits, active, search.answered]);

  const setQueryAndFocus = (q: string) => {
    changeQuery(q);
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    const n = hits.length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (n) setActive((a) => (a + 1) % n);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (n) setActive((a) => (a - 1 + n) % n);
        break;
      case 'Home':
        if (n && e.ctrlKey) {
          e.preventDefault();
          setActive(0);
        }
        break;
      case 'End':
        if (n && e.ctrlKey) {
          e.preventDefault();
          setActive(n - 1);
        }
        break;
      case 'PageDown':
        e.preventDefault();
        if (n) setActive((a) => Math.min(n - 1, a + 8));
        break;
      case 'PageUp':
        e.preventDefault();
        if (n) setActive((a) => Math.max(0, a - 8));
        break;
      case 'Enter':
        e.preventDefault();
        if (loading || (refining && active === 0)) setEnterFor(query);
        else choose(hits[active]);
        break;
    }
  };

  const q = query.trim();
  const result = search.result;
  // The tips stay until the first answer comes: no empty box in between, which would shrink the
  // dialog for a frame and grow it again.
  const showHelp = !q || (!result && !search.error);
  const hasKindFilter = result?.filters.some((f) => f.key === 'kind' || f.key === 'is') ?? false;

  return (
    <dialog
      ref={dialog}
      className="search-dialog"
      aria-label="Search"
      data-testid="search-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => {
        if (e.target === dialog.current) onClose();
      }}
    >
      {open && (
        <div className="search-box">
          <div className="search-input-row">
            <Icon name="search" size={18} />
            <input
              ref={input}
              className="search-input"
              type="text"
              role="combobox"
              aria-label="Search your journal"
              aria-expanded={hits.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={hits.length > 0 ? `${ids}-opt-${active}` : undefined}
              placeholder="Search notes, people, bookmarks…"
              spellCheck={false}
              autoComplete="off"
              value={query}
              onChange={(e) => changeQuery(e.target.value)}
              onKeyDown={onKeyDown}
              data-testid="search-input"
            />
            {search.slow && <Spinner />}
            <kbd className="search-esc">Esc</kbd>
          </div>

          <div className="search-filters" aria-label="Filters" role="group">
            {result?.filters.map((chip) => (
              <button
                key={`${chip.key}:${chip.value}:${chip.negated}`}
                type="button"
                className="chip chip-filter chip-active"
                onClick={() => setQueryAndFocus(removeFilter(query, chip))}
                aria-label={`Remove filter ${chipLabel(chip)}`}
                data-testid="search-filter-chip"
              >
                {chipLabel(chip)} <Icon name="close" size={12} />
              </button>
            ))}
            {!hasKindFilter &&
              QUICK_FILTERS.map((f) => (
                <button key={f.token} type="button" className="chip chip-filter" onClick={() => setQueryAndFocus(`${query.trim()} ${f.token} `.trimStart())}>
                  {f.label}
                </button>
              ))}
          </div>

          {/* data-answered and aria-busy: which query the results shown answer, and whether a newer one is on its
              way; data-refining: they are a quick answer whose ranking is still to come. */}
          <div
            ref={results}
            className="search-results"
            data-testid="search-results"
            data-answered={search.answered}
            data-refining={search.refining ? 'true' : undefined}
            aria-busy={search.loading}
            onScroll={(e) => {
              if (e.currentTarget.scrollTop <= 0) return;
              scrolled.current = true;
              if (!allRows) setAllRowsFor(search.answered);
            }}
          >
            {showHelp && <SearchHelp onExample={setQueryAndFocus} />}
            {q && search.error && (
              <p className="search-message" role="alert">
                {search.error.message}
              </p>
            )}
            {/* Kept while the next query is on its way (it names the query it answers): no empty box in between. */}
            {q && result && hits.length === 0 && (
              <div className="search-message" data-testid="search-no-results">
                <p>
                  Nothing found for <strong>{search.answered}</strong>.
                </p>
                {result.suggestions.length > 0 && <DidYouMean suggestions={result.suggestions} onPick={setQueryAndFocus} />}
                <CloseTitles q={search.answered} onChoose={openRef} />
              </div>
            )}
            {q && result && result.suggestions.length > 0 && hits.length > 0 && (
              <DidYouMean suggestions={result.suggestions} onPick={setQueryAndFocus} inline />
            )}
            <ul ref={list} id={listId} role="listbox" aria-label="Search results" className="search-list" hidden={hits.length === 0}>
              {rows.map((hit, i) => (
                <HitRow
                  key={hit.entry.id}
                  hit={hit}
                  index={i}
                  count={hits.length}
                  id={`${ids}-opt-${i}`}
                  selected={i === active}
                  onHover={setActive}
                  onChoose={choose}
                />
              ))}
            </ul>
            {rows.length < hits.length && <div aria-hidden="true" style={{ height: (hits.length - rows.length) * REST_ROW_PX }} />}
            {/* After the last row only once every row is there, so it never moves under the pointer. */}
            {result && allRows && hits.length < result.total && (
              <button type="button" className="button button-ghost search-more" onClick={() => setLimit((l) => Math.min(200, l + PAGE))}>
                Show more results
              </button>
            )}
          </div>

          <footer className="search-footer">
            <span role="status" aria-live="polite" data-testid="search-count">
              {q && result ? `${formatNumber(result.total)}${result.totalCapped ? '+' : ''} ${result.total === 1 ? 'result' : 'results'}` : ''}
            </span>
            <span className="search-keys">
              <kbd>↑</kbd>
              <kbd>↓</kbd> to move <kbd>↵</kbd> to open <kbd>Esc</kbd> to close
            </span>
          </footer>
        </div>
      )}
    </dialog>
  );
}

interface HitRowProps {
  hit: SearchHit;
  index: number;
  /** How many results the list has (some may not be rendered yet). */
  count: number;
  id: string;
  selected: boolean;
  onHover: (index: number) => void;
  onChoose: (hit: SearchHit) => void;
}

function HitRowView({ hit, index, count, id, selected, onHover, onChoose }: HitRowProps) {
  return (
    <li
      id={id}
      data-option={index}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={count}
      className="search-hit"
      onMouseMove={() => !selected && onHover(index)}
      onClick={() => onChoose(hit)}
      data-testid="search-result"
    >
      <span className={`search-hit-icon kind-${hit.entry.kind}`}>
        <Icon name={KIND_ICON[hit.entry.kind] ?? 'note'} size={16} />
      </span>
      <span className="search-hit-main">
        <span className="search-hit-title">
          <Segments segments={hit.titleSegments} fallback={fallbackTitle(hit.entry)} />
        </span>
        {hit.snippet.length > 0 && (
          <span className="search-hit-snippet">
            <Segments segments={hit.snippet} />
          </span>
        )}
      </span>
      <span className="search-hit-meta">{formatDate(hit.entry.createdAt)}</span>
    </li>
  );
}

/**
 * One result, memoised: typing a letter or moving the selection re-renders only the rows whose
 * entry, highlights or selection changed. A new answer that shows the same entry the same way (a
 * refined ranking, often another letter typed) leaves its row alone.
 */
const HitRow = memo(
  HitRowView,
  (a, b) =>
    a.index === b.index &&
    a.count === b.count &&
    a.id === b.id &&
    a.selected === b.selected &&
    a.onHover === b.onHover &&
    a.onChoose === b.onChoose &&
    sameHit(a.hit, b.hit),
);

function sameHit(a: SearchHit, b: SearchHit): boolean {
  return (
    a === b ||
    (a.entry.id === b.entry.id &&
      a.entry.updatedAt === b.entry.updatedAt &&
      a.entry.createdAt === b.entry.createdAt &&
      sameSegments(a.titleSegments, b.titleSegments) &&
      sameSegments(a.snippet, b.snippet))
  );
}

function sameSegments(a: SnippetSegment[], b: SnippetSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => s.text === b[i]!.text && s.match === b[i]!.match);
}

/**
 * Titles close to what was typed, when the words find nothing: a title remembered with a typo, or
 * with its words in another order, is still one click (or Tab, Enter) away.
 */
function CloseTitles({ q, onChoose }: { q: string; onChoose: (ref: EntryRef) => void }) {
  const { state } = useApiQuery('titles.find', { q, limit: 5 }, { refetchOnChange: false });
  const matches = state.status === 'success' ? state.data : [];
  if (matches.length === 0) return null;
  return (
    <div className="search-close-titles" data-testid="search-close-titles">
      <p className="search-help-title">Titles like this</p>
      <ul>
        {matches.map((m) => (
          <li key={m.ref.id}>
            <button type="button" className="search-close-title" onClick={() => onChoose(m.ref)}>
              <Icon name={KIND_ICON[m.ref.kind] ?? 'note'} size={14} />
              <span>{m.label}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Did you mean a, b?" with each rewrite a button that searches it. */
function DidYouMean({ suggestions, onPick, inline = false }: { suggestions: string[]; onPick: (q: string) => void; inline?: boolean }) {
  return (
    <p className={inline ? 'search-suggestions search-suggestions-inline' : 'search-suggestions'}>
      Did you mean{' '}
      {suggestions.map((s, i) => (
        <span key={s}>
          {i > 0 && ', '}
          <button type="button" className="link-button" onClick={() => onPick(s)} data-testid="search-suggestion">
            {s}
          </button>
        </span>
      ))}
      ?
    </p>
  );
}

const EXAMPLES = [
  { q: '"working out loud"', text: 'an exact phrase' },
  { q: '#summit', text: 'entries with a tag' },
  { q: '@Rogier', text: 'entries that mention someone' },
  { q: 'slack OR teams', text: 'either word' },
  { q: 'kind:bookmark site:example.com', text: 'bookmarks from one site' },
  { q: 'is:open', text: 'questions still open' },
  { q: 'agenda -draft after:2w', text: 'exclude a word; the last two weeks only' },
  { q: 'summit after:2014-05 before:2014-06', text: 'created in May 2014' },
];

function SearchHelp({ onExample }: { onExample: (q: string) => void }) {
  return (
    <div className="search-help">
      <p className="search-help-title">Search tips</p>
      <ul className="search-help-list">
        {EXAMPLES.map((ex) => (
          <li key={ex.q}>
            <button type="button" className="search-example" onClick={() => onExample(ex.q)}>
              <code>{ex.q}</code>
              <span>{ex.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
