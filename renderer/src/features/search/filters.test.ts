import { describe, expect, it } from 'vitest';
import { chipLabel, removeFilter } from './filters.ts';

describe('removeFilter', () => {
  it('takes out a filter in the form it was typed, leaving the words', () => {
    expect(removeFilter('agenda kind:bookmarks summit', { key: 'kind', value: 'bookmark', negated: false })).toBe('agenda summit');
    expect(removeFilter('kind:people rogier', { key: 'kind', value: 'person', negated: false })).toBe('rogier');
    expect(removeFilter('#Summit2014 agenda', { key: 'tag', value: 'summit2014', negated: false })).toBe('agenda');
    expect(removeFilter('agenda tag:wol', { key: 'tag', value: 'wol', negated: false })).toBe('agenda');
    expect(removeFilter('talk @[Anna Berg]', { key: 'person', value: 'Anna Berg', negated: false })).toBe('talk');
    expect(removeFilter('is:open migration', { key: 'is', value: 'open', negated: false })).toBe('migration');
    expect(removeFilter('site:www.example.com docs', { key: 'site', value: 'example.com', negated: false })).toBe('docs');
    expect(removeFilter('after:2014-05-01 x', { key: 'after', value: '2014-05-01', negated: false })).toBe('x');
  });

  it('tells a negated filter from the plain one', () => {
    expect(removeFilter('#a -#b', { key: 'tag', value: 'b', negated: true })).toBe('#a');
    expect(removeFilter('-#b #b', { key: 'tag', value: 'b', negated: false })).toBe('-#b');
  });

  it('leaves the query alone when the filter is not found', () => {
    expect(removeFilter('summit', { key: 'tag', value: 'wol', negated: false })).toBe('summit');
  });
});

describe('chipLabel', () => {
  it('reads like the query language', () => {
    expect(chipLabel({ key: 'tag', value: 'wol', negated: false })).toBe('#wol');
    expect(chipLabel({ key: 'person', value: 'Rogier', negated: true })).toBe('not @Rogier');
    expect(chipLabel({ key: 'kind', value: 'bookmark', negated: false })).toBe('kind: bookmark');
  });
});
