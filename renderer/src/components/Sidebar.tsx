import type { JournalStats } from '../../../shared/domain/journal.ts';
import { useEntrySection } from '../lib/current-entry.ts';
import { formatNumber, modKey } from '../lib/format.ts';
import { hrefFor, type Route } from '../lib/router.ts';
import { Icon, type IconName } from './Icon.tsx';

interface NavItem {
  label: string;
  icon: IconName;
  route: Route;
  match: Route['name'][];
  count?: (s: JournalStats) => number;
  testId: string;
}

const MAIN: NavItem[] = [
  { label: 'Timeline', icon: 'timeline', route: { name: 'timeline' }, match: ['timeline'], testId: 'nav-timeline' },
  { label: 'People', icon: 'people', route: { name: 'people' }, match: ['people'], count: (s) => s.byKind.person ?? 0, testId: 'nav-people' },
  { label: 'Bookmarks', icon: 'bookmark', route: { name: 'bookmarks' }, match: ['bookmarks'], count: (s) => s.byKind.bookmark ?? 0, testId: 'nav-bookmarks' },
  { label: 'Questions', icon: 'question', route: { name: 'questions', status: 'open' }, match: ['questions'], count: (s) => s.byKind.question ?? 0, testId: 'nav-questions' },
];
const SECONDARY: NavItem[] = [
  { label: 'Trash', icon: 'trash', route: { name: 'trash' }, match: ['trash'], count: (s) => s.trashed, testId: 'nav-trash' },
  { label: 'Settings', icon: 'settings', route: { name: 'settings' }, match: ['settings'], testId: 'nav-settings' },
];

export function Sidebar({ route, stats, onSearch, browserMode }: { route: Route; stats: JournalStats | undefined; onSearch: () => void; browserMode: boolean }) {
  // An entry's page belongs to the section that lists it (a trashed one to the Trash); until it has
  // loaded, a person's page is known to be People's and any other entry is left unmarked.
  const loaded = useEntrySection(route.name === 'entry' || route.name === 'person' ? route.id : null);
  const section = route.name === 'entry' ? loaded : route.name === 'person' ? (loaded ?? 'people') : route.name;
  const item = (n: NavItem) => {
    const current = section !== null && n.match.includes(section);
    const count = stats && n.count ? n.count(stats) : 0;
    return (
      <li key={n.label}>
        <a className="nav-item" href={hrefFor(n.route)} aria-current={current ? 'page' : undefined} data-testid={n.testId}>
          <Icon name={n.icon} size={16} />
          <span className="nav-label">{n.label}</span>
          {count > 0 && <span className="nav-count">{formatNumber(count)}</span>}
        </a>
      </li>
    );
  };
  return (
    <div className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="logo" size={16} />
        </span>
        <span className="brand-name">Outloud</span>
        {browserMode && (
          <span className="brand-mode" title="Served by outloud serve on this computer">
            browser
          </span>
        )}
      </div>
      <button type="button" className="search-trigger" onClick={onSearch} data-testid="open-search">
        <Icon name="search" size={15} />
        <span>Search</span>
        <kbd>{modKey}</kbd>
        <kbd>K</kbd>
      </button>
      <nav aria-label="Main">
        <ul className="nav-list">{MAIN.map(item)}</ul>
        <ul className="nav-list nav-secondary">{SECONDARY.map(item)}</ul>
      </nav>
      <div className="sidebar-footer">
        {stats && (
          <p className="sidebar-stat">
            {formatNumber(stats.entries)} {stats.entries === 1 ? 'entry' : 'entries'}, all on this computer
          </p>
        )}
      </div>
    </div>
  );
}
