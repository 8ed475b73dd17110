/**
 * Hash routing: works the same from a file:// page in Electron and from the loopback server, and
 * lets the shell deep-link (`outloud://entry/<id>` → `#/entry/<id>`) by setting the hash.
 */
import { useSyncExternalStore } from 'react';
import type { QuestionStatus } from '../../../shared/domain/entry.ts';

export type Route =
  | { name: 'timeline'; tag?: string }
  | { name: 'entry'; id: string }
  | { name: 'people' }
  | { name: 'person'; id: string }
  | { name: 'bookmarks'; tag?: string; site?: string }
  | { name: 'questions'; status: QuestionStatus }
  | { name: 'trash' }
  | { name: 'settings' }
  | { name: 'capture' }
  | { name: 'notFound'; path: string };

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function parseRoute(hash: string, search = ''): Route {
  if (new URLSearchParams(search).get('view') === 'capture') return { name: 'capture' };
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart = '/', queryPart = ''] = raw.split('?', 2);
  const params = new URLSearchParams(queryPart);
  const parts = pathPart.split('/').filter(Boolean).map((p) => safeDecode(p));
  const [head, second] = parts;
  switch (head) {
    case undefined:
    case 'timeline':
      return params.get('tag') ? { name: 'timeline', tag: params.get('tag') ?? '' } : { name: 'timeline' };
    case 'tags':
      return second ? { name: 'timeline', tag: second } : { name: 'timeline' };
    case 'entry':
      return second && ID_RE.test(second) ? { name: 'entry', id: second } : { name: 'notFound', path: raw };
    case 'people':
      if (!second) return { name: 'people' };
      return ID_RE.test(second) ? { name: 'person', id: second } : { name: 'notFound', path: raw };
    case 'bookmarks': {
      const route: Route = { name: 'bookmarks' };
      const tag = params.get('tag');
      const site = params.get('site');
      if (tag) route.tag = tag;
      if (site) route.site = site;
      return route;
    }
    case 'questions':
      return { name: 'questions', status: second === 'answered' || second === 'closed' ? second : 'open' };
    case 'trash':
      return { name: 'trash' };
    case 'settings':
      return { name: 'settings' };
    case 'capture':
      return { name: 'capture' };
    default:
      return { name: 'notFound', path: raw };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function hrefFor(route: Route): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case 'timeline':
      return route.tag ? `#/tags/${e(route.tag)}` : '#/';
    case 'entry':
      return `#/entry/${e(route.id)}`;
    case 'people':
      return '#/people';
    case 'person':
      return `#/people/${e(route.id)}`;
    case 'bookmarks': {
      const q = new URLSearchParams();
      if (route.tag) q.set('tag', route.tag);
      if (route.site) q.set('site', route.site);
      const qs = q.toString();
      return qs ? `#/bookmarks?${qs}` : '#/bookmarks';
    }
    case 'questions':
      return `#/questions/${route.status}`;
    case 'trash':
      return '#/trash';
    case 'settings':
      return '#/settings';
    case 'capture':
      return '#/capture';
    case 'notFound':
      return `#${route.path}`;
  }
}

/** The page for an entry: people have their own page. */
export function entryHref(ref: { id: string; kind: string }): string {
  return hrefFor(ref.kind === 'person' ? { name: 'person', id: ref.id } : { name: 'entry', id: ref.id });
}

export function navigate(target: Route | string): void {
  const href = typeof target === 'string' ? target : hrefFor(target);
  if (window.location.hash !== href) window.location.hash = href;
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  window.addEventListener('popstate', callback);
  return () => {
    window.removeEventListener('hashchange', callback);
    window.removeEventListener('popstate', callback);
  };
}

const snapshot = () => `${window.location.hash}|${window.location.search}`;

export function useRoute(): Route {
  const key = useSyncExternalStore(subscribe, snapshot);
  const [hash = '', search = ''] = key.split('|');
  return parseRoute(hash, search);
}

/** Back within the app when there is somewhere to go back to, else to the timeline. */
export function goBack(): void {
  if (window.history.length > 1) window.history.back();
  else navigate({ name: 'timeline' });
}
