import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyTheme, readThemePref } from './hooks/useTheme.ts';
import { hasToken, initTransport, warmTransport } from './lib/api.ts';
import { prefetchList } from './lib/prefetch.ts';
import { parseRoute } from './lib/router.ts';
import { TIMELINE_PAGE } from './features/timeline/useTimeline.ts';
import './styles/theme.css';
import './styles/base.css';
import './styles/app.css';
import './styles/views.css';

// Before anything renders: take the browser-mode token out of the URL, and set the theme.
initTransport();
warmTransport();
applyTheme(readThemePref());
const first = parseRoute(window.location.hash, window.location.search);
if (first.name === 'timeline' && !first.tag && hasToken()) prefetchList({ limit: TIMELINE_PAGE });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
