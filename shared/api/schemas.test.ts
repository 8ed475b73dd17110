import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, METHOD_NAMES } from './contract.ts';
import { Body, DateText, EntryCreateInput, EntryListInput, EntryUpdateInput, lazySchema, SearchQueryInput, Tags, Title } from './schemas.ts';

describe('schemas built on first use', () => {
  it('builds a schema once, at its first use, not when declared', () => {
    let built = 0;
    const Name = lazySchema(() => {
      built++;
      return z.string().min(1, 'name is empty');
    });
    expect(built).toBe(0);
    expect(Name.parse('Ada')).toBe('Ada');
    expect(Name.safeParse('').error?.issues[0]?.message).toBe('name is empty');
    expect(built).toBe(1);
  });

  it('is a zod schema to its users: instanceof, wrapping, nesting, shape', () => {
    const Inner = lazySchema(() => z.number().int().min(0));
    const Outer = lazySchema(() => z.object({ n: Inner, list: z.array(Inner).max(2), maybe: Inner.optional() }).strict());
    expect(Inner).toBeInstanceOf(z.ZodType);
    expect(Outer).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(Outer.shape)).toEqual(['n', 'list', 'maybe']);
    expect(Outer.parse({ n: 1, list: [2] })).toEqual({ n: 1, list: [2] });
    const failed = Outer.safeParse({ n: -1, list: [1, 2, 3], extra: true });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['', 'list', 'n']);
    // A detached method still works (zod binds them to the schema).
    const { safeParse } = Inner;
    expect(safeParse(3)).toEqual({ success: true, data: 3 });
  });

  it('every method of the contract has a working input schema, with its defaults', () => {
    for (const method of METHOD_NAMES) expect(contract[method].input).toBeInstanceOf(z.ZodType);
    expect(SearchQueryInput.parse({ q: 'words' })).toEqual({ q: 'words', limit: 20, offset: 0, asYouType: false, quick: false });
    expect(contract['search.query'].input.safeParse({ q: 'x', limit: 0 }).success).toBe(false);
    expect(EntryCreateInput.parse({ body: 'a note #tag', tags: ['tag'] })).toMatchObject({ kind: 'note', body: 'a note #tag', tags: ['tag'] });
    expect(Tags.safeParse(['ok', '#']).error?.issues[0]?.message).toBe('Tag is empty');
    expect(Body.safeParse('a\u0000b').error?.issues[0]?.message).toBe('Body contains a NUL character');
  });
});

describe('text the API stores', () => {
  // What a JSON body with "\udc00"-style escapes decodes to: half of a UTF-16 pair, alone.
  const lone = (json: string) => JSON.parse(`"${json}"`) as string;

  it('refuses a lone surrogate in every stored text field, naming the field, and takes a real pair', () => {
    expect(Title.safeParse(lone('x\\udc00')).error?.issues[0]?.message).toBe('Title contains a lone surrogate (not valid text)');
    expect(Body.safeParse(lone('a\\ud800b')).error?.issues[0]?.message).toBe('Body contains a lone surrogate (not valid text)');
    expect(Tags.safeParse(['ok', lone('\\ud83c')]).error?.issues[0]).toMatchObject({ path: [1], message: 'Tag contains a lone surrogate (not valid text)' });
    // Through entries.create as a JSON body brings it, each kind's text fields too.
    const create = (json: string) => contract['entries.create'].input.safeParse(JSON.parse(json)).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(create('{"title":"x\\udc00","body":"a\\ud800b"}')).toEqual([
      'title: Title contains a lone surrogate (not valid text)',
      'body: Body contains a lone surrogate (not valid text)',
    ]);
    expect(create('{"kind":"bookmark","bookmark":{"url":"https://a.example/\\udfff","excerpt":"\\ud800"}}')).toEqual([
      'bookmark.url: URL contains a lone surrogate (not valid text)',
      'bookmark.excerpt: Text contains a lone surrogate (not valid text)',
    ]);
    expect(create('{"kind":"person","person":{"name":"Ann\\ud800","aliases":["\\udc00"],"topics":["x\\udbff"]}}')).toEqual([
      'person.name: Name contains a lone surrogate (not valid text)',
      'person.aliases.0: Alias contains a lone surrogate (not valid text)',
      'person.topics.0: Topic contains a lone surrogate (not valid text)',
    ]);
    expect(create('{"kind":"question","body":"q?","question":{"askedBy":"\\udc00","answer":"\\ud800"},"sourceRef":"\\udc00"}')).toEqual([
      'sourceRef: Text contains a lone surrogate (not valid text)',
      'question.askedBy: Asked by contains a lone surrogate (not valid text)',
      'question.answer: Body contains a lone surrogate (not valid text)',
    ]);
    expect(EntryUpdateInput.safeParse({ id: 'n1', tags: [lone('\\udc00')] }).success).toBe(false);
    // Both halves of a pair are text: an emoji, written as itself or as its two escapes.
    expect(EntryCreateInput.safeParse(JSON.parse('{"title":"\\ud83c\\udf89","body":"party 🎉","tags":["🎉"]}')).success).toBe(true);
  });
});

describe('dates as filter bounds', () => {
  const ok = (s: string) => DateText.safeParse(s).success;

  it('takes only a real calendar day, and a time whose parts are in range', () => {
    expect(['2023-11-30', '2024-02-29', '2000-02-29', '2023-12-31', '2023-01-01'].filter((s) => !ok(s))).toEqual([]);
    // Date.parse reads 2023-11-31 as December 1st and 2023-02-29 as March 1st.
    expect(['2023-11-31', '2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '2023-01-32', '0050-01-01'].filter(ok)).toEqual([]);
    expect(['2024-01-01T10:00', '2024-01-01 23:59:59', '2024-01-01T10:00:00.123Z', '2024-01-01T10:00+01:00', '2024-01-01T10:00-0530'].filter((s) => !ok(s))).toEqual([]);
    expect(['2024-01-01T24:00', '2024-01-01T23:60', '2024-01-01T10:00:60', '2024-01-01T10:00+24:00', '2024-01-01T10:00+01:60', '2023-11-31T10:00', '2024-01-01T10'].filter(ok)).toEqual([]);
    expect(EntryListInput.safeParse({ until: '2023-11-31' }).error?.issues[0]).toMatchObject({
      path: ['until'],
      message: 'not a valid date (use YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, or 3d, 2w, 6m, 1y for days, weeks, months, years ago)',
    });
  });

  it('takes a month, a year, and a day counted back from today', () => {
    expect(['2023-11', '2023', '2023-2', 'today', 'Yesterday', '0d', '3d', '2w', '6M', '1y', '9999d'].filter((s) => !ok(s))).toEqual([]);
    expect(['2023-13', '0999', 'tomorrow', 'last week', '3 d', '-3d', '3h', '1.5d', '10000d', 'today '].filter(ok)).toEqual([]);
  });
});
