import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, METHOD_NAMES } from './contract.ts';
import { Body, EntryCreateInput, lazySchema, SearchQueryInput, Tags } from './schemas.ts';

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
