import { useMemo, useState } from 'react';
import type { BookmarkEntry } from '../../../../shared/domain/entry.ts';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TokenText } from '../../components/TokenText.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/States.tsx';
import { useListNavigation } from '../../hooks/useListKeys.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { externalUrl, openExternal } from '../../lib/api.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { entryHref, hrefFor } from '../../lib/router.ts';
import { previewText } from '../../lib/text.ts';
import { NewBookmarkDialog } from './NewBookmarkDialog.tsx';

function countBy(values: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Bookmarks, narrowed by tag (asked of the core) and by site. */
export function BookmarksView({ tag, site }: { tag?: string; site?: string }) {
  const list = usePagedList({ kind: 'bookmark', ...(tag ? { tag } : {}) }, { autoLoad: 2000 });
  const [adding, setAdding] = useState(false);
  const listRef = useListNavigation<HTMLUListElement>();
  const all = useMemo(() => list.items.filter((e): e is BookmarkEntry => e.kind === 'bookmark' && e.deletedAt === null), [list.items]);
  const shown = site ? all.filter((b) => b.bookmark.site === site) : all;
  const sites = useMemo(() => countBy(all.map((b) => b.bookmark.site)), [all]);
  const tags = useMemo(() => countBy(all.flatMap((b) => b.tags)), [all]);
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
          ) : list.error && all.length === 0 ? (
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
          {list.hasMore && (
            <button type="button" className="button button-ghost load-more" onClick={() => void list.loadMore()} disabled={list.loading}>
              {list.loading ? 'Loading…' : 'Show more'}
            </button>
          )}
        </div>
        {sites.length + tags.length > 0 && (
          <aside className="split-rail" aria-label="Browse bookmarks">
            <Facet title="Sites" icon="globe" items={sites} active={site} href={(s) => hrefFor({ name: 'bookmarks', ...(tag ? { tag } : {}), ...(s === site ? {} : { site: s }) })} />
            <Facet title="Tags" icon="hash" items={tags} active={tag} prefix="#" href={(t) => hrefFor({ name: 'bookmarks', ...(site ? { site } : {}), ...(t === tag ? {} : { tag: t }) })} />
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
  active,
  href,
  prefix = '',
}: {
  title: string;
  icon: 'globe' | 'hash';
  items: Array<[string, number]>;
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
          {all ? 'Show fewer' : `Show all ${items.length}`}
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
