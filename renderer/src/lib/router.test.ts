import { describe, expect, it } from 'vitest';
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
