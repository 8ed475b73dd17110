import { useMemo, useState } from 'react';
import type { FacetCounts } from '../../../../shared/api/contract.ts';
import type { BookmarkEntry } from '../../../../shared/domain/entry.ts';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TokenText } from '../../components/TokenText.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { useFacetCounts } from '../../hooks/useFacetCounts.ts';
import { useFocusOnMore } from '../../hooks/useFocusOnMore.ts';
import { useListNavigation } from '../../hooks/useListKeys.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { externalUrl, openExternal } from '../../lib/api.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { entryHref, hrefFor } from '../../lib/router.ts';
import { previewText } from '../../lib/text.ts';
import { NewBookmarkDialog } from './NewBookmarkDialog.tsx';

/** Bookmarks shown at first, and added by each "Show more". */
const PAGE_SIZE = 100;
/** Facet values asked for: the most the core says back (FACETS_MAX in shared/api/schemas.ts, not imported: it would bring zod into the page). */
const FACETS_MAX = 1_000;

const facetItems = (counts: FacetCounts | null): Array<[string, number]> => (counts ? counts.values.map((v) => [v.value, v.count]) : []);

/**
 * Bookmarks, narrowed by tag and by site, both asked of the core, page by page. The Sites and Tags
 * counts are of every bookmark in the journal (of the tag, when one is chosen), counted by the core.
 */
export function BookmarksView({ tag, site }: { tag?: string; site?: string }) {
  const list = usePagedList({ kind: 'bookmark', ...(tag ? { tag } : {}), ...(site ? { site } : {}) }, { pageSize: PAGE_SIZE });
  const siteCounts = useFacetCounts({ kind: 'bookmark', by: 'site', limit: FACETS_MAX, ...(tag ? { tag } : {}) });
  const tagCounts = useFacetCounts({ kind: 'bookmark', by: 'tag', limit: FACETS_MAX, ...(tag ? { tag } : {}) });
  const [adding, setAdding] = useState(false);
  const listRef = useListNavigation<HTMLUListElement>();
  const focusOnMore = useFocusOnMore(listRef, list.loading);
  const shown = useMemo(() => list.items.filter((e): e is BookmarkEntry => e.kind === 'bookmark' && e.deletedAt === null), [list.items]);
  const sites = useMemo(() => facetItems(siteCounts), [siteCounts]);
  const tags = useMemo(() => facetItems(tagCounts), [tagCounts]);
  const filtered = Boolean(tag || site);

  return (
    <div className="page page-bookmarks">
      <PageHeader
        title="Bookmarks"
        subtitle={filtered ? [tag && `#${tag}`, site].filter(Boolean).join(' · ') : 'Links worth keeping, with why they matter.'}
        actions={
          <>
            {filtered && (
              <a className="button button-ghost" href={hrefFor({ name: 'bookmarks' })}>
                <Icon name="close" size={14} /> Clear filters
              </a>
            )}
            <button type="button" className="button button-primary" onClick={() => setAdding(true)} data-testid="add-bookmark">
              <Icon name="plus" size={15} /> Add bookmark
            </button>
          </>
        }
      />
      {/* With no sites or tags to browse yet, the list (or the first-run state) takes the whole width. */}
      <div className={sites.length + tags.length > 0 ? 'split-layout' : 'split-layout split-layout-single'}>
        <div className="split-main">
          {!list.ready ? (
            <LoadingRows rows={5} label="Loading bookmarks" />
          ) : list.error && shown.length === 0 ? (
            <ErrorState error={list.error} onRetry={list.reload} />
          ) : shown.length === 0 ? (
            filtered ? (
              <EmptyState icon="bookmark" title="No bookmarks match" action={<a className="button" href={hrefFor({ name: 'bookmarks' })}>Show all bookmarks</a>} />
            ) : (
              <EmptyState
                icon="bookmark"
                title="No bookmarks yet"
                action={
                  <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
                    Add a bookmark
                  </button>
                }
              >
                <p>Save a link with a note on why it matters. Copy a URL before opening quick capture and it offers to save it for you.</p>
              </EmptyState>
            )
          ) : (
            <ul ref={listRef} className="card-list" aria-label="Bookmarks" data-testid="bookmark-list">
              {shown.map((b) => (
                <BookmarkCard key={b.id} entry={b} />
              ))}
            </ul>
          )}
          {list.ready && list.hasMore && (
            <button type="button" className="button button-ghost load-more" onClick={() => {
                focusOnMore();
                void list.loadMore();
              }}
              disabled={list.loading}
              data-testid="bookmarks-more"
            >
              {list.loading ? 'Loading…' : `Show more (${formatNumber(shown.length)} shown)`}
            </button>
          )}
        </div>
        {sites.length + tags.length > 0 && (
          <aside className="split-rail" aria-label="Browse bookmarks">
            <Facet title="Sites" icon="globe" items={sites} distinct={siteCounts?.distinct ?? 0} active={site} href={(s) => hrefFor({ name: 'bookmarks', ...(tag ? { tag } : {}), ...(s === site ? {} : { site: s }) })} />
            <Facet title="Tags" icon="hash" items={tags} distinct={tagCounts?.distinct ?? 0} active={tag} prefix="#" href={(t) => hrefFor({ name: 'bookmarks', ...(site ? { site } : {}), ...(t === tag ? {} : { tag: t }) })} />
          </aside>
        )}
      </div>
      <NewBookmarkDialog open={adding} onClose={() => setAdding(false)} />
    </div>
  );
}

function Facet({
  title,
  icon,
  items,
  distinct,
  active,
  href,
  prefix = '',
}: {
  title: string;
  icon: 'globe' | 'hash';
  items: Array<[string, number]>;
  /** How many values there are in all: more than `items` holds when the core said back only the most common. */
  distinct: number;
  active?: string;
  href: (value: string) => string;
  prefix?: string;
}) {
  const [all, setAll] = useState(false);
  if (items.length === 0) return null;
  const visible = all ? items : items.slice(0, 12);
  return (
    <section className="rail-card facet" aria-label={title}>
      <h2 className="rail-heading">
        <Icon name={icon} size={14} /> {title}
      </h2>
      <ul className="facet-list">
        {visible.map(([value, count]) => (
          <li key={value}>
            <a className="facet-item" href={href(value)} aria-current={value === active ? 'true' : undefined}>
              <span className="facet-label">
                {prefix}
                {value}
              </span>
              <span className="facet-count">{formatNumber(count)}</span>
            </a>
          </li>
        ))}
      </ul>
      {items.length > 12 && (
        <button type="button" className="link-button small" onClick={() => setAll((a) => !a)}>
          {all ? 'Show fewer' : distinct > items.length ? `Show the ${formatNumber(items.length)} most used (of ${formatNumber(distinct)})` : `Show all ${formatNumber(items.length)}`}
        </button>
      )}
    </section>
  );
}

function BookmarkCard({ entry }: { entry: BookmarkEntry }) {
  const b = entry.bookmark;
  const url = externalUrl(b.url);
  const note = previewText(entry.body, 200);
  return (
    <li className="card bookmark-item" data-testid="bookmark-item">
      <div className="bookmark-favicon" aria-hidden="true">
        {(b.site || '?').charAt(0).toUpperCase()}
      </div>
      <div className="bookmark-main">
        <a className="card-title" href={entryHref(entry)}>
          {entry.title || b.url}
        </a>
        <p className="card-meta">
          <a href={hrefFor({ name: 'bookmarks', site: b.site })} className="muted-link">
            {b.site}
          </a>{' '}
          · {formatDate(entry.createdAt)}
        </p>
        {b.excerpt && <p className="card-text">{previewText(b.excerpt, 220)}</p>}
        {note && (
          <p className="card-note">
            <TokenText text={note} />
          </p>
        )}
        {entry.tags.length > 0 && (
          <p className="card-tags">
            {entry.tags.map((t) => (
              <a key={t} className="tag" href={hrefFor({ name: 'bookmarks', tag: t })}>
                #{t}
              </a>
            ))}
          </p>
        )}
      </div>
      {url && (
        <a
          className="icon-button"
          href={url}
          title={`Open ${b.site}`}
          aria-label={`Open ${entry.title || b.url} in your browser`}
          onClick={(e) => {
            e.preventDefault();
            openExternal(url);
          }}
        >
          <Icon name="external" />
        </a>
      )}
    </li>
  );
}
