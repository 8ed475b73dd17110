import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { Icon } from './components/Icon.tsx';
import { ShortcutsDialog } from './components/ShortcutsDialog.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import { BookmarksView } from './features/bookmarks/BookmarksView.tsx';
import { CaptureView } from './features/capture/CaptureView.tsx';
import { EntryPage } from './features/entry/EntryPage.tsx';
import { TrashView } from './features/entry/TrashView.tsx';
import { PeopleView } from './features/people/PeopleView.tsx';
import { QuestionsView } from './features/questions/QuestionsView.tsx';
import { SearchOverlay } from './features/search/SearchOverlay.tsx';
import { SettingsView } from './features/settings/SettingsView.tsx';
import { TimelineView } from './features/timeline/TimelineView.tsx';
import { useApiQuery } from './hooks/useApiQuery.ts';
import { useShortcuts } from './hooks/useShortcuts.ts';
import { hasToken, listenToShellChanges, onUnauthorized, shell, transport } from './lib/api.ts';
import { hrefFor, navigate, useRoute, type Route } from './lib/router.ts';

const TITLES: Partial<Record<Route['name'], string>> = {
  timeline: 'Timeline',
  people: 'People',
  bookmarks: 'Bookmarks',
  questions: 'Questions',
  trash: 'Trash',
  settings: 'Settings',
  capture: 'Quick capture',
};

export function App() {
  const route = useRoute();
  const [authorised, setAuthorised] = useState(hasToken);
  useEffect(() => onUnauthorized(() => setAuthorised(false)), []);

  if (!authorised) return <NoAccess />;
  return <ToastProvider>{route.name === 'capture' ? <CaptureView /> : <MainWindow route={route} />}</ToastProvider>;
}

function MainWindow({ route }: { route: Route }) {
  const [search, setSearch] = useState<{ open: boolean; query: string }>({ open: false, query: '' });
  const [helpOpen, setHelpOpen] = useState(false);
  const [composeTick, setComposeTick] = useState(0);
  const stats = useApiQuery('journal.stats', {});
  const main = useRef<HTMLElement>(null);

  const openSearch = useCallback((query = '') => setSearch((s) => (s.open && !query ? { open: false, query: '' } : { open: true, query })), []);
  const newNote = useCallback(() => {
    setSearch({ open: false, query: '' });
    if (window.location.hash !== '#/' && window.location.hash !== '') navigate({ name: 'timeline' });
    setComposeTick((t) => t + 1);
  }, []);

  useShortcuts({
    search: () => openSearch(),
    newNote,
    help: () => setHelpOpen(true),
    go: (where) => navigate(where === 'questions' ? { name: 'questions', status: 'open' } : { name: where }),
  });

  // The desktop shell: menu and tray commands, deep links, changes made in other windows.
  useEffect(() => {
    const sh = shell();
    if (!sh) return;
    listenToShellChanges();
    const offCommand = sh.onCommand((command) => {
      if (command === 'new-note') newNote();
      else if (command === 'search') openSearch();
      else if (command === 'questions') navigate({ name: 'questions', status: 'open' });
      else navigate({ name: command });
    });
    const offLink = sh.onDeepLink((link) => {
      if (link.kind === 'entry') navigate({ name: 'entry', id: link.id });
    });
    return () => {
      offCommand();
      offLink();
    };
  }, [newNote, openSearch]);

  useEffect(() => {
    document.title = `${TITLES[route.name] ?? 'Outloud'} · Outloud`;
    // After navigating from the sidebar (or anywhere outside the page), focus moves to the page.
    const active = document.activeElement;
    if (!active || active === document.body || !main.current?.contains(active)) main.current?.focus({ preventScroll: true });
  }, [route]);

  const viewKey = JSON.stringify(route);

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <div className="app">
        <aside className="app-sidebar">
          <Sidebar route={route} stats={stats.state.data} onSearch={() => openSearch()} browserMode={transport() === 'http'} />
        </aside>
        <main ref={main} id="main" className="app-main" tabIndex={-1}>
          <ErrorBoundary resetKey={viewKey}>
            <View route={route} composeTick={composeTick} />
          </ErrorBoundary>
        </main>
      </div>
      <SearchOverlay open={search.open} initialQuery={search.query} onClose={() => setSearch({ open: false, query: '' })} />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}

function View({ route, composeTick }: { route: Route; composeTick: number }) {
  switch (route.name) {
    case 'timeline':
      return <TimelineView key={route.tag ?? ''} tag={route.tag} focusComposer={composeTick} />;
    case 'entry':
    case 'person':
      return <EntryPage key={route.id} id={route.id} />;
    case 'people':
      return <PeopleView />;
    case 'bookmarks':
      return <BookmarksView tag={route.tag} site={route.site} />;
    case 'questions':
      return <QuestionsView status={route.status} />;
    case 'trash':
      return <TrashView />;
    case 'settings':
      return <SettingsView />;
    case 'capture':
      return null;
    case 'notFound':
      return (
        <div className="state state-empty">
          <div className="state-icon">
            <Icon name="inbox" size={22} />
          </div>
          <h1 className="state-title">Nothing here</h1>
          <p className="state-body">This address does not lead to a page of Outloud.</p>
          <div className="state-action">
            <a className="button" href={hrefFor({ name: 'timeline' })}>
              Go to the timeline
            </a>
          </div>
        </div>
      );
  }
}

/** Browser mode without the token: explain how to get in, instead of showing failing views. */
function NoAccess() {
  return (
    <main className="no-access">
      <div className="state state-error">
        <div className="state-icon">
          <Icon name="logo" size={22} />
        </div>
        <h1 className="state-title">Open Outloud from its link</h1>
        <p className="state-body">
          This page needs the access token that <code>outloud serve</code> prints when it starts (the link ending in <code>#token=…</code>). Open that
          link again; the token stays in this tab only.
        </p>
      </div>
    </main>
  );
}
