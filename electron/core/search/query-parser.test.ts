import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCore } from '../core.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import type { SearchResult } from '../../../shared/domain/search.ts';
import { MAX_QUERY_ITEMS, parseQuery, type Atom, type ParsedQuery } from './query-parser.ts';
import { readPeriod } from './date-periods.ts';
import { normalizeTag, tagSyntax } from '../../../shared/domain/text.ts';

/** A compact picture of the AST: clauses joined by ' AND ', atoms by ' OR '. */
function show(q: ParsedQuery): string {
  const atom = (a: Atom) => {
    const neg = a.negated ? '-' : '';
    if (a.type === 'text') return `${neg}${a.phrase ? `"${a.text}"` : a.text}${a.prefix ? '*' : ''}`;
    const f = a.filter;
    const value = f.key === 'kind' ? f.kind : f.key === 'tag' ? f.tag : f.key === 'person' ? f.personKey : f.key === 'is' ? f.status : f.key === 'site' ? f.site : f.date;
    return `${neg}${f.key}=${value}`;
  };
  return q.clauses.map((c) => c.atoms.map(atom).join(' OR ')).join(' AND ');
}

/** The instant of each date filter (null for any other atom). */
function time(q: string, options: Parameters<typeof parseQuery>[1] = {}): Array<number | null> {
  return parseQuery(q, options)
    .clauses.flatMap((c) => c.atoms)
    .map((a) => (a.type === 'filter' && (a.filter.key === 'after' || a.filter.key === 'before') ? a.filter.time : null));
}

describe('query parser: the language', () => {
  it('ANDs words, keeps phrases, exclusions and prefixes', () => {
    expect(show(parseQuery('summit agenda'))).toBe('summit AND agenda');
    expect(show(parseQuery('"working out loud" talk'))).toBe('"working out loud" AND talk');
    expect(show(parseQuery('summit -draft -"old plan"'))).toBe('summit AND -draft AND -"old plan"');
    expect(show(parseQuery('summ* "work out"*'))).toBe('summ* AND "work out"*');
  });

  it('joins neighbours with OR and reads AND / NOT between items as operators', () => {
    expect(show(parseQuery('slack OR teams webhook'))).toBe('slack OR teams AND webhook');
    expect(show(parseQuery('a OR b OR c'))).toBe('a OR b OR c');
    expect(show(parseQuery('summit AND agenda'))).toBe('summit AND agenda');
    expect(show(parseQuery('summit NOT agenda'))).toBe('summit AND -agenda');
    expect(show(parseQuery('kind:note OR kind:bookmark'))).toBe('kind=note OR kind=bookmark');
  });

  it('reads operators without operands as literal words', () => {
    expect(show(parseQuery('OR'))).toBe('OR');
    expect(show(parseQuery('AND'))).toBe('AND');
    expect(show(parseQuery('NOT'))).toBe('NOT');
    expect(show(parseQuery('OR summit'))).toBe('OR AND summit');
    expect(show(parseQuery('summit OR'))).toBe('summit AND OR');
    expect(show(parseQuery('or and not'))).toBe('or AND and AND not');
  });

  it('understands every filter and reports it as a chip', () => {
    const q = parseQuery('kind:bookmark #summit2014 tag:WOL @rogier @[Anne-Marie Jansen] is:open after:2014-05-01 before:2014-06 site:https://www.Example.com/x');
    expect(show(q)).toBe(
      [
        'kind=bookmark',
        'tag=summit2014',
        'tag=wol',
        'person=rogier',
        'person=anne marie jansen',
        'is=open',
        'after=2014-05-01',
        'before=2014-06',
        'site=example.com',
      ].join(' AND '),
    );
    expect(q.chips.map(({ spans: _, ...chip }) => chip)).toEqual([
      { key: 'kind', value: 'bookmark', negated: false },
      { key: 'tag', value: 'summit2014', negated: false },
      { key: 'tag', value: 'wol', negated: false },
      { key: 'person', value: 'rogier', negated: false },
      { key: 'person', value: 'Anne-Marie Jansen', negated: false },
      { key: 'is', value: 'open', negated: false },
      { key: 'after', value: '2014-05-01', negated: false },
      { key: 'before', value: '2014-06', negated: false },
      { key: 'site', value: 'example.com', negated: false },
    ]);
  });

  it('accepts plural kinds and negated filters', () => {
    expect(show(parseQuery('kind:people -kind:notes -#draft -@bob -is:closed -site:x.org'))).toBe(
      'kind=person AND -kind=note AND -tag=draft AND -person=bob AND -is=closed AND -site=x.org',
    );
    expect(parseQuery('-#draft').chips).toEqual([{ key: 'tag', value: 'draft', negated: true, spans: [{ start: 0, end: 7, text: '-#draft' }] }]);
  });

  it('searches invalid filter values as words', () => {
    expect(show(parseQuery('kind:poem'))).toBe('kind:poem');
    expect(show(parseQuery('is:maybe'))).toBe('is:maybe');
    expect(show(parseQuery('after:2014-13-45 before:2014-02-30 after:tomorrow'))).toBe('after:2014-13-45 AND before:2014-02-30 AND after:tomorrow');
    expect(parseQuery('after:2014-13-45').chips).toEqual([]);
    expect(show(parseQuery('title:summit'))).toBe('title:summit');
    expect(show(parseQuery('#123'))).toBe('#123');
  });

  it('reads after: and before: as the start of a local day, month or year, or of a day counted back', () => {
    expect(time('after:2014-05-01 before:2014-05 after:2014')).toEqual([new Date(2014, 4, 1).getTime(), new Date(2014, 4, 1).getTime(), new Date(2014, 0, 1).getTime()]);
    const now = Date.parse('2026-11-27T23:30:00Z');
    const auckland = { now, timeZone: 'Pacific/Auckland' };
    expect(time('after:today before:yesterday after:3d before:2w after:6m before:1y', auckland)).toEqual(
      ['2026-11-28', '2026-11-27', '2026-11-25', '2026-11-14', '2026-05-28', '2025-11-28'].map((d) => readPeriod(d, { timeZone: 'Pacific/Auckland' })!.start),
    );
    expect(parseQuery('summit after:7d -before:yesterday', auckland).chips).toEqual([
      { key: 'after', value: '7d', negated: false, spans: [{ start: 7, end: 15, text: 'after:7d' }] },
      { key: 'before', value: 'yesterday', negated: true, spans: [{ start: 16, end: 33, text: '-before:yesterday' }] },
    ]);
    // Not a date: searched as words.
    expect(show(parseQuery('after:2014-02-29 before:lastweek after:3h after:99999d', { now }))).toBe('after:2014-02-29 AND before:lastweek AND after:3h AND after:99999d');
  });

  it('reads a day the local clock skipped as beginning where the next day does', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Apia'; // Samoa went from 29 to 31 December 2011
    try {
      expect(time('after:2011-12-30 after:2011-12-29 after:2011-02-30')).toEqual([new Date(2011, 11, 31).getTime(), new Date(2011, 11, 29).getTime(), null]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('keeps offsets of words so a rewrite can replace them', () => {
    const q = parseQuery('  "sumit plan" #x agnda');
    const texts = q.clauses.flatMap((c) => c.atoms).filter((a) => a.type === 'text');
    expect(texts.flatMap((a) => a.tokens.map((t) => q.source.slice(t.start, t.end)))).toEqual(['sumit', 'plan', 'agnda']);
  });

  it('folds case and accents in tokens', () => {
    const [atom] = parseQuery('Café').clauses[0]!.atoms;
    expect(atom?.type === 'text' && atom.tokens.map((t) => t.term)).toEqual(['cafe']);
  });
});

describe('query parser: tags with spaces', () => {
  it('reads a quoted tag, #"…" or tag:"…", whatever its case', () => {
    for (const q of ['tag:"working out loud"', '#"working out loud"', 'TAG:"Working Out Loud"', '#" Working Out Loud "']) {
      expect(show(parseQuery(q)), q).toBe('tag=working out loud');
      expect(parseQuery(q).chips.map((c) => [c.value, c.negated]), q).toEqual([['working out loud', false]]);
    }
    expect(show(parseQuery('talk #"working out loud" kind:bookmark'))).toBe('talk AND tag=working out loud AND kind=bookmark');
    expect(show(parseQuery('#"café  au lait"'))).toBe('tag=café  au lait');
  });

  it('reads "" inside a quoted tag as one quote, as tagSyntax writes it (property)', () => {
    expect(show(parseQuery('#"say ""hi"""'))).toBe('tag=say "hi"');
    expect(show(parseQuery('tag:"""quoted"" tag" next'))).toBe('tag="quoted" tag AND next');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom('a', 'b', ' ', '"', '#', '-', 'é', '+', '1') }), (raw) => {
        const tag = normalizeTag(raw);
        fc.pre(tag !== '' && !/^\d+$/.test(tag));
        const parsed = parseQuery(`x ${tagSyntax(tag)} y`);
        expect(parsed.chips.map((c) => c.value)).toEqual([tag]);
        expect(show(parsed)).toBe(`x AND tag=${tag} AND y`);
      }),
    );
  });

  it('negates a quoted tag with - or NOT', () => {
    expect(show(parseQuery('talk -tag:"working out loud"'))).toBe('talk AND -tag=working out loud');
    expect(show(parseQuery('talk -#"working out loud"'))).toBe('talk AND -tag=working out loud');
    expect(show(parseQuery('talk NOT tag:"working out loud"'))).toBe('talk AND -tag=working out loud');
    expect(show(parseQuery('#"a b" OR #"c d"'))).toBe('tag=a b OR tag=c d');
  });

  it('reads a quoted tag without its closing quote, or with nothing in it, as words as before', () => {
    expect(show(parseQuery('tag:"working out loud'))).toBe('tag:"working AND out AND loud');
    expect(show(parseQuery('#"working out loud'))).toBe('#"working AND out AND loud');
    expect(parseQuery('tag:"working out loud').chips).toEqual([]);
    expect(parseQuery('#"" tag:"  "').chips).toEqual([]);
    // `#123` is an issue number, quoted or not; `tag:` says it is a tag.
    expect(parseQuery('#"123"').chips).toEqual([]);
    expect(show(parseQuery('tag:"123"'))).toBe('tag=123');
    // @[Full Name] is read as before.
    expect(show(parseQuery('@[Anne Jansen] #"a b"'))).toBe('person=anne jansen AND tag=a b');
  });
});

describe('query parser: where each filter was typed (chip spans)', () => {
  const spans = (q: string) => parseQuery(q).chips.map((c) => ({ chip: `${c.negated ? '-' : ''}${c.key}:${c.value}`, spans: c.spans }));

  it('reports each filter as typed, trailing punctuation and all', () => {
    expect(spans('kettle site:example.com/post')).toEqual([{ chip: 'site:example.com', spans: [{ start: 7, end: 28, text: 'site:example.com/post' }] }]);
    expect(spans('kettle site:https://www.example.com')).toEqual([{ chip: 'site:example.com', spans: [{ start: 7, end: 35, text: 'site:https://www.example.com' }] }]);
    expect(spans('kettle #kitchen,')).toEqual([{ chip: 'tag:kitchen', spans: [{ start: 7, end: 16, text: '#kitchen,' }] }]);
    expect(spans('kettle @rogier.')).toEqual([{ chip: 'person:rogier', spans: [{ start: 7, end: 15, text: '@rogier.' }] }]);
    expect(spans('kettle tag:Kitchen/')).toEqual([{ chip: 'tag:kitchen', spans: [{ start: 7, end: 19, text: 'tag:Kitchen/' }] }]);
    expect(spans('talk @[Anna Berg] x')).toEqual([{ chip: 'person:Anna Berg', spans: [{ start: 5, end: 17, text: '@[Anna Berg]' }] }]);
    expect(spans('talk tag:"Working Out Loud"')).toEqual([{ chip: 'tag:working out loud', spans: [{ start: 5, end: 27, text: 'tag:"Working Out Loud"' }] }]);
  });

  it('covers the - or the NOT that negated a filter', () => {
    expect(spans('kettle NOT #kitchen')).toEqual([{ chip: '-tag:kitchen', spans: [{ start: 7, end: 19, text: 'NOT #kitchen' }] }]);
    expect(spans('kettle -#"a b"')).toEqual([{ chip: '-tag:a b', spans: [{ start: 7, end: 14, text: '-#"a b"' }] }]);
    expect(spans('x OR NOT  tag:"a b"')).toEqual([{ chip: '-tag:a b', spans: [{ start: 5, end: 19, text: 'NOT  tag:"a b"' }] }]);
  });

  it('gives one chip a span for every time its filter was typed', () => {
    expect(spans('#kitchen kettle tag:KITCHEN -#kitchen')).toEqual([
      { chip: 'tag:kitchen', spans: [{ start: 0, end: 8, text: '#kitchen' }, { start: 16, end: 27, text: 'tag:KITCHEN' }] },
      { chip: '-tag:kitchen', spans: [{ start: 28, end: 37, text: '-#kitchen' }] },
    ]);
  });

  it('reports offsets into the query as typed, control characters and all', () => {
    const q = 'a\u0000\u0007 #"b\tc" \ud800 #d';
    const chips = parseQuery(q).chips;
    expect(chips.map((c) => c.value)).toEqual(['b c', 'd']);
    for (const c of chips) for (const s of c.spans!) expect(q.slice(s.start, s.end)).toBe(s.text);
    expect(chips[0]!.spans![0]!.text).toBe('#"b\tc"');
  });

  it('spans are the query\'s own text (property)', () => {
    const strings = fc.array(fc.constantFrom('OR', 'AND', 'NOT', '-', '"', '#', '@', '@[', ']', 'tag:', 'kind:note', 'site:x.org', 'a b', 'x', '\u0000', '\ud800', ' ', ','), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(strings, (s) => {
        for (const chip of parseQuery(s).chips) {
          expect(chip.spans!.length).toBeGreaterThan(0);
          for (const span of chip.spans!) expect(s.slice(span.start, span.end)).toBe(span.text);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('search.query: tags with spaces, through the core', () => {
  it('finds a tag with spaces by tag:"…" and #"…", and leaves it out by -tag:"…"', async () => {
    const core = openCore({ dataDir: tempDir() });
    try {
      const call = async (method: string, input: unknown) => {
        const r = await core.dispatch(method, input);
        if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
        return r.value;
      };
      await call('entries.create', { kind: 'bookmark', body: 'talk recording', tags: ['Working Out Loud'], bookmark: { url: 'https://example.com/wol' } });
      await call('entries.create', { kind: 'note', body: 'talk notes', tags: ['working'] });
      const bodies = async (q: string) => ((await call('search.query', { q, limit: 5 })) as SearchResult).hits.map((h) => h.entry.body).sort();
      for (const q of ['tag:"working out loud"', '#"working out loud"', '#"Working Out Loud"', 'talk tag:"WORKING OUT LOUD"']) {
        expect(await bodies(q), q).toEqual(['talk recording']);
      }
      for (const q of ['talk -tag:"working out loud"', 'talk -#"working out loud"', 'talk NOT tag:"working out loud"']) {
        expect(await bodies(q), q).toEqual(['talk notes']);
      }
    } finally {
      core.close();
    }
  });
});

describe('query parser: hostile input is searched as literal words', () => {
  it('drops operators and punctuation that have no words', () => {
    for (const q of ['*', '-', '^', '"', '""', '"*', '(', ')', '+', ':', '#', '@', '@[', '@[]', '-"', '- -', '* * *']) {
      expect(parseQuery(q).clauses, JSON.stringify(q)).toEqual([]);
    }
  });

  it('reads FTS5 syntax as words', () => {
    expect(show(parseQuery('NEAR(a b)'))).toBe('NEAR(a AND b)');
    expect(show(parseQuery('title:x ^start col:y'))).toBe('title:x AND ^start AND col:y');
    expect(show(parseQuery('"unbalanced quote'))).toBe('unbalanced AND quote');
    expect(show(parseQuery('one "two three'))).toBe('one AND two AND three');
    expect(show(parseQuery('{title body}: x'))).toBe('{title AND body}: AND x');
  });

  it('replaces control characters and NUL with spaces', () => {
    const q = parseQuery('summit\u0000agenda\u0007x\u001b[31m');
    expect(q.source).not.toMatch(/[\u0000-\u001f]/);
    expect(show(q)).toBe('summit AND agenda AND x AND [31m');
  });

  it('caps a very long query', () => {
    const q = parseQuery('word '.repeat(2000));
    expect(q.clauses.length).toBe(MAX_QUERY_ITEMS);
    expect(parseQuery('x'.repeat(10_000)).clauses).toHaveLength(1);
  });

  it('reads #tag and tag: filters the same whichever way accents were typed', () => {
    for (const q of ['#café', '#cafe\u0301', 'tag:CAFE\u0301', '#हिंदी']) {
      const atom = parseQuery(q).clauses[0]!.atoms[0]!;
      expect(atom.type === 'filter' && atom.filter.key === 'tag' ? atom.filter.tag : null, q).toBe(q.includes('ह') ? 'हिंदी' : 'café');
    }
  });

  it('cut off right after OR or NOT, leaves the operator out rather than searching for the word', () => {
    const alphas = (n: number) => 'alpha '.repeat(n);
    expect(show(parseQuery(`${alphas(MAX_QUERY_ITEMS - 1)}OR beta`)).split(' AND ')).toEqual(Array(MAX_QUERY_ITEMS - 1).fill('alpha'));
    expect(show(parseQuery(`${alphas(MAX_QUERY_ITEMS - 1)}NOT gamma`))).not.toMatch(/not/i);
    // Typed last, with nothing cut, it stays a word as before.
    expect(show(parseQuery('alpha OR'))).toBe('alpha AND OR');
  });

  it('never throws, and every atom it keeps has words or is a filter (property)', () => {
    const strings = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.array(fc.constantFrom('OR', 'AND', 'NOT', '-', '"', '*', '#', '@', '@[', ']', 'kind:', 'tag:', 'is:', 'after:', 'before:', 'today', 'yesterday', '3d', '9999y', '2014-02', '1', 'w', 'site:', 'NEAR(', '^', ':', 'x', 'é', '\u0000', ' '), { maxLength: 30 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(strings, fc.integer({ min: -8.64e15, max: 8.64e15 }), (s, now) => {
        const q = parseQuery(s, { now, timeZone: 'Pacific/Kiritimati' });
        for (const atom of q.clauses.flatMap((c) => c.atoms)) {
          if (atom.type === 'text') expect(atom.tokens.length).toBeGreaterThan(0);
        }
        expect(q.clauses.length).toBeLessThanOrEqual(MAX_QUERY_ITEMS);
      }),
      { numRuns: 500 },
    );
  });
});
