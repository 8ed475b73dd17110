import { describe, expect, it } from 'vitest';
import type { SearchFilterChip } from '../../../../shared/domain/search.ts';
import { chipLabel, removeFilter } from './filters.ts';

/**
 * A chip as the core reports it for `query` (electron/core/search/query-parser.test.ts checks the
 * parser reports these spans): each span is where `typed` starts in the query.
 */
function chipFor(query: string, key: string, value: string, negated: boolean, ...typed: string[]): SearchFilterChip {
  let from = 0;
  const spans = typed.map((text) => {
    const start = query.indexOf(text, from);
    if (start < 0) throw new Error(`${text} is not in ${query}`);
    from = start + text.length;
    return { start, end: start + text.length, text };
  });
  return { key, value, negated, spans };
}

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

  it('cuts where the core read the filter, whatever form it was typed in', () => {
    const cases: Array<[string, SearchFilterChip]> = [
      ['kettle site:example.com/post', chipFor('kettle site:example.com/post', 'site', 'example.com', false, 'site:example.com/post')],
      ['kettle site:https://www.example.com', chipFor('kettle site:https://www.example.com', 'site', 'example.com', false, 'site:https://www.example.com')],
      ['kettle #kitchen,', chipFor('kettle #kitchen,', 'tag', 'kitchen', false, '#kitchen,')],
      ['kettle NOT #kitchen', chipFor('kettle NOT #kitchen', 'tag', 'kitchen', true, 'NOT #kitchen')],
      ['kettle @rogier.', chipFor('kettle @rogier.', 'person', 'rogier', false, '@rogier.')],
      ['kettle tag:Kitchen/', chipFor('kettle tag:Kitchen/', 'tag', 'kitchen', false, 'tag:Kitchen/')],
      ['kettle tag:"Working Out Loud"', chipFor('kettle tag:"Working Out Loud"', 'tag', 'working out loud', false, 'tag:"Working Out Loud"')],
      ['kettle #"working out loud"', chipFor('kettle #"working out loud"', 'tag', 'working out loud', false, '#"working out loud"')],
      ['kettle -tag:"working out loud"', chipFor('kettle -tag:"working out loud"', 'tag', 'working out loud', true, '-tag:"working out loud"')],
      ['kettle NOT #"working out loud"', chipFor('kettle NOT #"working out loud"', 'tag', 'working out loud', true, 'NOT #"working out loud"')],
    ];
    for (const [query, chip] of cases) expect(removeFilter(query, chip), query).toBe('kettle');
  });

  it('takes out every place the filter was typed, and only those', () => {
    const q = '#kitchen kettle tag:KITCHEN -#kitchen';
    expect(removeFilter(q, chipFor(q, 'tag', 'kitchen', false, '#kitchen', 'tag:KITCHEN'))).toBe('kettle -#kitchen');
    expect(removeFilter(q, chipFor(q, 'tag', 'kitchen', true, '-#kitchen'))).toBe('#kitchen kettle tag:KITCHEN');
  });

  it('leaves no operator without its operands', () => {
    const remove = (q: string, typed: string, negated = false) => removeFilter(q, chipFor(q, 'tag', 'b', negated, typed));
    expect(remove('#a OR #b', '#b')).toBe('#a');
    expect(remove('#b OR #a', '#b')).toBe('#a');
    expect(remove('x OR #b OR y', '#b')).toBe('x OR y');
    expect(remove('x AND #b', '#b')).toBe('x');
    expect(remove('x OR NOT #b', 'NOT #b', true)).toBe('x');
    expect(remove('#b OR NOT y', '#b')).toBe('NOT y');
    expect(remove('x NOT -#b', '-#b', true)).toBe('x');
    // An operator that joined the filter to the next word: the words are ANDed again.
    expect(remove('kettle #b OR y', '#b')).toBe('kettle y');
    expect(remove('x AND #b OR y', '#b')).toBe('x AND y');
    expect(remove('x OR #b AND y', '#b')).toBe('x AND y');
    expect(remove('x OR #b OR', '#b')).toBe('x');
    expect(removeFilter('#b OR x OR tag:b', chipFor('#b OR x OR tag:b', 'tag', 'b', false, '#b', 'tag:b'))).toBe('x');
    // Operators the cut did not touch stay as they were typed.
    expect(remove('OR summit #b', '#b')).toBe('OR summit');
    expect(remove('x OR y #b', '#b')).toBe('x OR y');
  });

  it('finds the filter in the box\'s query, which the search was asked trimmed', () => {
    expect(removeFilter('  kettle #kitchen, ', chipFor('kettle #kitchen,', 'tag', 'kitchen', false, '#kitchen,'))).toBe('kettle');
  });

  it('falls back to the filter\'s forms when the query changed since the chip was made', () => {
    const chip = chipFor('kettle #kitchen,', 'tag', 'kitchen', false, '#kitchen,');
    expect(removeFilter('big kettle #kitchen,', chip)).toBe('big kettle');
    // Typed on since: the chip's text is still there, but as part of another word.
    expect(removeFilter('kettle #kitchen,ware', chip)).toBe('kettle #kitchen,ware');
    expect(removeFilter('kettle tag:Kitchen/ OR #b', chip)).toBe('kettle #b');
    const negated = chipFor('kettle NOT #kitchen', 'tag', 'kitchen', true, 'NOT #kitchen');
    expect(removeFilter('tea NOT #kitchen', negated)).toBe('tea');
    expect(removeFilter('tea #kitchen', negated)).toBe('tea #kitchen');
    expect(removeFilter('tea NOT #kitchen', { ...chip, spans: [] })).toBe('tea NOT #kitchen');
    const site = chipFor('site:https://www.example.com', 'site', 'example.com', false, 'site:https://www.example.com');
    expect(removeFilter('docs site:https://www.example.com/post', site)).toBe('docs');
    const spaced = chipFor('tag:"working out loud"', 'tag', 'working out loud', false, 'tag:"working out loud"');
    expect(removeFilter('talk #"Working Out Loud"', spaced)).toBe('talk');
    // Unquoted, that is the tag `working` and two words: not this chip.
    expect(removeFilter('talk #working out loud', spaced)).toBe('talk #working out loud');
  });
});

describe('chipLabel', () => {
  it('reads like the query language', () => {
    expect(chipLabel({ key: 'tag', value: 'wol', negated: false })).toBe('#wol');
    expect(chipLabel({ key: 'person', value: 'Rogier', negated: true })).toBe('not @Rogier');
    expect(chipLabel({ key: 'kind', value: 'bookmark', negated: false })).toBe('kind: bookmark');
    expect(chipLabel({ key: 'tag', value: 'working out loud', negated: false })).toBe('#working out loud');
  });

  it('says a date counted back from today in words, and any other date as typed', () => {
    const label = (key: string, value: string, negated = false) => chipLabel({ key, value, negated });
    expect(label('after', '2w')).toBe('after: 2 weeks ago');
    expect(label('after', '1M')).toBe('after: 1 month ago');
    expect(label('before', '3d', true)).toBe('not before: 3 days ago');
    expect(label('before', '1y')).toBe('before: 1 year ago');
    expect(label('after', '0d')).toBe('after: today');
    expect(label('after', 'Yesterday')).toBe('after: yesterday');
    expect(label('after', '1d')).toBe('after: yesterday');
    expect(label('after', '2014-05')).toBe('after: 2014-05');
    expect(label('kind', '2w')).toBe('kind: 2w');
  });
});
