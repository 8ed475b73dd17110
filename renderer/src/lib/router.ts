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

/**
 * Asked before the route changes, by whatever means (a link, navigate(), Back or Forward), while a
 * view holds work the change would lose. It is given `leave`, to call if the user agrees to go.
 */
export type LeaveGuard = (leave: () => void) => void;

const guards: LeaveGuard[] = [];
const listeners = new Set<() => void>();
/** The address the app shows, which stays put while a guard is asked about leaving it. */
let shown: string | null = null;
/** Where `shown` stands in the tab's history, kept in history.state so Back and Forward can be undone. */
let shownIndex = 0;
/** A change the user agreed to, let through when it arrives. */
let agreed: string | null = null;

interface HistoryMark {
  outloudIndex?: number;
}

const locationKey = () => `${window.location.hash}|${window.location.search}`;
const indexOf = (state: unknown) => (state as HistoryMark | null)?.outloudIndex;

function mark(index: number): void {
  shownIndex = index;
  window.history.replaceState({ ...(window.history.state as object | null), outloudIndex: index }, '');
}

/** The address shown; on first use, starts following the tab's address. */
function start(): string {
  if (shown === null) {
    shown = locationKey();
    mark(indexOf(window.history.state) ?? 0);
    window.addEventListener('hashchange', onHashChange);
  }
  return shown;
}

function onHashChange(): void {
  const next = locationKey();
  if (next === shown) return;
  // A link or `location.hash = …` makes a new history entry, which has no index yet; Back and
  // Forward land on one that has.
  const nextIndex = indexOf(window.history.state);
  const guard = guards.at(-1);
  if (guard && next !== agreed) {
    // Put the address back until the user has answered; going on repeats the move.
    const hash = window.location.hash;
    const distance = nextIndex === undefined ? 1 : nextIndex - shownIndex;
    window.history.go(-distance);
    guard(() => {
      agreed = next;
      if (nextIndex === undefined) window.location.hash = hash;
      else window.history.go(distance);
    });
    return;
  }
  agreed = null;
  shown = next;
  mark(nextIndex ?? shownIndex + 1);
  for (const listener of listeners) listener();
}

/**
 * Registers a guard for as long as the view holds unsaved work; the newest one is asked. Returns
 * its removal.
 */
export function guardLeaving(guard: LeaveGuard): () => void {
  start();
  guards.push(guard);
  return () => {
    const at = guards.indexOf(guard);
    if (at >= 0) guards.splice(at, 1);
  };
}

function subscribe(callback: () => void): () => void {
  start();
  listeners.add(callback);
  return () => listeners.delete(callback);
}

export function useRoute(): Route {
  const key = useSyncExternalStore(subscribe, start);
  const [hash = '', search = ''] = key.split('|');
  return parseRoute(hash, search);
}

/** Back within the app when there is somewhere to go back to, else to the timeline. */
export function goBack(): void {
  if (window.history.length > 1) window.history.back();
  else navigate({ name: 'timeline' });
}
