import { afterEach, describe, expect, it, vi } from 'vitest';
import { hrefFor, parseRoute, type Route } from './router.ts';

describe('routes', () => {
  it('read back every route they write', () => {
    const routes: Route[] = [
      { name: 'timeline' },
      { name: 'timeline', tag: 'wol/circles' },
      { name: 'entry', id: '01m88zksr07nkjd3' },
      { name: 'people' },
      { name: 'person', id: 'abc_DEF-1' },
      { name: 'bookmarks' },
      { name: 'bookmarks', tag: 'reading', site: 'example.com' },
      { name: 'questions', status: 'answered' },
      { name: 'trash' },
      { name: 'settings' },
      { name: 'capture' },
    ];
    for (const route of routes) expect(parseRoute(hrefFor(route))).toEqual(route);
  });

  it('opens the capture view from ?view=capture and the timeline from an empty hash', () => {
    expect(parseRoute('', '?view=capture')).toEqual({ name: 'capture' });
    expect(parseRoute('')).toEqual({ name: 'timeline' });
    expect(parseRoute('#/')).toEqual({ name: 'timeline' });
  });

  it('refuses ids that are not entry ids instead of passing them on', () => {
    expect(parseRoute('#/entry/..%2F..%2Fetc')).toEqual({ name: 'notFound', path: '/entry/..%2F..%2Fetc' });
    expect(parseRoute('#/people/a b').name).toBe('notFound');
    expect(parseRoute('#/nowhere').name).toBe('notFound');
  });
});

/**
 * A tab's history as the browser keeps it, for the router's guard: a fragment navigation adds an
 * entry, go() moves later (as the browser does), and both fire hashchange when the fragment changes.
 */
function fakeTab(start: string) {
  const entries: { hash: string; state: unknown }[] = [{ hash: start, state: null }];
  let at = 0;
  const listeners: (() => void)[] = [];
  const moveTo = (index: number) => {
    const before = entries[at]!.hash;
    at = index;
    if (entries[at]!.hash !== before) for (const l of listeners) l();
  };
  const tab = {
    location: {
      search: '',
      get hash() {
        return entries[at]!.hash;
      },
      set hash(hash: string) {
        entries.splice(at + 1, Infinity, { hash, state: null });
        setTimeout(() => moveTo(at + 1));
      },
    },
    history: {
      get state() {
        return entries[at]!.state;
      },
      replaceState(state: unknown) {
        entries[at]!.state = state;
      },
      go(delta: number) {
        const target = Math.max(0, Math.min(entries.length - 1, at + delta));
        setTimeout(() => moveTo(target));
      },
      back() {
        tab.history.go(-1);
      },
    },
    addEventListener: (_type: string, listener: () => void) => listeners.push(listener),
  };
  return { tab, hashes: () => entries.map((e) => e.hash), at: () => at };
}

describe('leaving while a guard is registered', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

  async function setUp() {
    const fake = fakeTab('#/');
    vi.stubGlobal('window', fake.tab);
    vi.resetModules();
    const router = await import('./router.ts');
    // The app follows the tab's history from its first render on (useRoute); a guard added and
    // removed starts that here.
    router.guardLeaving(() => undefined)();
    return { ...fake, router };
  }
  afterEach(() => vi.unstubAllGlobals());

  it('puts a link back, asks, and follows it only once the user agrees', async () => {
    const { tab, router, hashes } = await setUp();
    router.navigate('#/entry/abc');
    await settle();
    const asked: (() => void)[] = [];
    const stop = router.guardLeaving((leave) => asked.push(leave));
    router.navigate('#/people');
    await settle();
    expect(asked).toHaveLength(1);
    expect(tab.location.hash).toBe('#/entry/abc');
    asked[0]!();
    await settle();
    expect(tab.location.hash).toBe('#/people');
    expect(hashes()).toEqual(['#/', '#/entry/abc', '#/people']);
    stop();
  });

  it('undoes Back and Forward, however far they went, and repeats them when agreed', async () => {
    const { tab, router, hashes, at } = await setUp();
    for (const hash of ['#/people', '#/trash', '#/settings']) {
      router.navigate(hash);
      await settle();
    }
    const asked: (() => void)[] = [];
    router.guardLeaving((leave) => asked.push(leave));
    tab.history.go(-2);
    await settle();
    expect(tab.location.hash).toBe('#/settings');
    asked[0]!();
    await settle();
    expect(tab.location.hash).toBe('#/people');
    expect(hashes()).toEqual(['#/', '#/people', '#/trash', '#/settings']);
    tab.history.go(1);
    await settle();
    expect(asked).toHaveLength(2);
    expect([tab.location.hash, at()]).toEqual(['#/people', 1]);
  });

  it('lets every change through once its guard is removed', async () => {
    const { tab, router } = await setUp();
    const asked: (() => void)[] = [];
    router.guardLeaving((leave) => asked.push(leave))();
    router.navigate('#/people');
    await settle();
    expect(asked).toHaveLength(0);
    expect(tab.location.hash).toBe('#/people');
  });
});
