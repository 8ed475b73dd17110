import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SearchHit } from '../../../../shared/domain/search.ts';
import { Icon, KIND_ICON } from '../../components/Icon.tsx';
import { Segments } from '../../components/Segments.tsx';
import { Spinner } from '../../components/States.tsx';
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

/** Ctrl/Cmd+K from anywhere: results as you type, matches highlighted, all from the keyboard. */
export function SearchOverlay({ open, initialQuery, onClose }: { open: boolean; initialQuery: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const [query, setQuery] = useState(initialQuery);
  const [limit, setLimit] = useState(PAGE);
  const [active, setActive] = useState(0);
  const search = useSearch(open ? query : '', limit);
  const hits = search.result?.hits ?? [];
  const ids = useId();
  const listId = `${ids}-results`;

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      setQuery(initialQuery);
      d.showModal();
      requestAnimationFrame(() => input.current?.select());
    }
    if (!open && d.open) d.close();
  }, [open, initialQuery]);

  useEffect(() => {
    setActive(0);
    setLimit(PAGE);
  }, [query]);

  useEffect(() => {
    list.current?.querySelector(`[data-option="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onClose();
    navigate(entryHref(hit.entry));
  };

  const setQueryAndFocus = (q: string) => {
    setQuery(q);
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
        choose(hits[active]);
        break;
    }
  };

  const q = query.trim();
  const result = search.result;
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
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={onKeyDown}
              data-testid="search-input"
            />
            {search.loading && <Spinner />}
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

          <div className="search-results">
            {!q && <SearchHelp onExample={setQueryAndFocus} />}
            {q && search.error && (
              <p className="search-message" role="alert">
                {search.error.message}
              </p>
            )}
            {q && result && hits.length === 0 && !search.loading && (
              <div className="search-message" data-testid="search-no-results">
                <p>
                  Nothing found for <strong>{search.answered}</strong>.
                </p>
                {result.suggestions.length > 0 && <DidYouMean suggestions={result.suggestions} onPick={setQueryAndFocus} />}
              </div>
            )}
            {q && result && result.suggestions.length > 0 && hits.length > 0 && (
              <DidYouMean suggestions={result.suggestions} onPick={setQueryAndFocus} inline />
            )}
            <ul ref={list} id={listId} role="listbox" aria-label="Search results" className="search-list" hidden={hits.length === 0}>
              {hits.map((hit, i) => (
                <li
                  key={hit.entry.id}
                  id={`${ids}-opt-${i}`}
                  data-option={i}
                  role="option"
                  aria-selected={i === active}
                  className="search-hit"
                  onMouseMove={() => i !== active && setActive(i)}
                  onClick={() => choose(hit)}
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
              ))}
            </ul>
            {result && hits.length < result.total && (
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
  { q: 'kind:bookmark site:example.com', text: 'bookmarks from one site' },
  { q: 'is:open', text: 'questions still open' },
  { q: 'agenda -draft after:2014-05-01', text: 'exclude a word, limit by date' },
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
