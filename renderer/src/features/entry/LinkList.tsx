import type { EntryLink, LinkType } from '../../../../shared/domain/entry.ts';
import { Icon, KIND_ICON } from '../../components/Icon.tsx';
import { entryHref } from '../../lib/router.ts';

const OUTGOING: Record<LinkType, string> = {
  mentions: 'Mentions',
  'refers-to': 'Refers to',
  'answer-of': 'Answer to',
  'recommended-by': 'Recommended by',
};
const INCOMING: Record<LinkType, string> = {
  mentions: 'Mentioned in',
  'refers-to': 'Referred to by',
  'answer-of': 'Answered by',
  'recommended-by': 'Recommends',
};

/** Links grouped by type, for the entry's side panel. */
export function LinkGroups({ links, direction, exclude = [] }: { links: EntryLink[]; direction: 'out' | 'in'; exclude?: LinkType[] }) {
  const labels = direction === 'out' ? OUTGOING : INCOMING;
  const groups = new Map<LinkType, EntryLink[]>();
  for (const link of links) {
    if (exclude.includes(link.type)) continue;
    const list = groups.get(link.type) ?? [];
    list.push(link);
    groups.set(link.type, list);
  }
  if (groups.size === 0) return null;
  return (
    <>
      {[...groups].map(([type, list]) => (
        <section key={type} className="aside-section" aria-label={labels[type]} data-testid={direction === 'out' ? `links-${type}` : `backlinks-${type}`}>
          <h2 className="aside-heading">
            {labels[type]} <span className="count">{list.length}</span>
          </h2>
          <ul className="ref-list">
            {list.map((link) => (
              <li key={`${link.type}-${link.entry.id}`}>
                <a className={link.entry.deleted ? 'ref ref-deleted' : 'ref'} href={entryHref(link.entry)}>
                  <Icon name={KIND_ICON[link.entry.kind] ?? 'note'} size={14} />
                  <span className="ref-title">{link.entry.title || 'Untitled'}</span>
                  {link.entry.deleted && <span className="badge">in Trash</span>}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
