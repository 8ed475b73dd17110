import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../core.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { buildSearch, drivers, facetClauses, OVERFETCH_MAX, pageOfRanked, pageOfWindow, RANK_EXPRESSION, RANK_FUNCTION, TIE_WINDOW, TIE_WINDOW_MAX, tieWindow, type BuiltSearch } from './query-builder.ts';
import { parseQuery } from './query-parser.ts';

/** The `{rowid, rank}` of a page's rows (`hits` tested per match also says whether a tie ran past its window). */
/** The page a statement's rows give: `hits` in `fts` mode returns the window the page is ranked in. */
const pageOf = (rows: unknown[], built?: BuiltSearch, forHits = false, db?: Core['db']) => {
  const all = (rows as Array<{ rowid: number; rank: number }>).map(({ rowid, rank }) => ({ rowid, rank }));
  if (!forHits || !built?.window) return all;
  if (!built.window.tiesNewestAdded) return pageOfWindow(all, built.window).page;
  const createdAt = (rowids: number[]) =>
    new Map(rowids.map((r) => [r, (db!.prepare('SELECT created_at AS t FROM entries WHERE rowid = ?').get(r) as { t: number }).t]));
  return pageOfRanked(all, built.window, createdAt).page;
};

const page = { limit: 20, offset: 0 };

describe('query builder: user text reaches MATCH only as quoted strings', () => {
  it('quotes every word and phrase, doubling quotes, with prefix outside the string', () => {
    expect(buildSearch(parseQuery('summit agenda'), page).match).toBe('"summit" AND "agenda"');
    expect(buildSearch(parseQuery('say"hi" NEAR(x'), page).match).toBe('"say""hi""" AND "NEAR(x"');
    expect(buildSearch(parseQuery('summ* "out loud"*'), page).match).toBe('"summ" * AND "out loud" *');
    expect(buildSearch(parseQuery('a OR b c -d -"e f"'), page).match).toBe('(("a" OR "b") AND "c") NOT ("d" OR "e f")');
    expect(buildSearch(parseQuery('title:x ^y'), page).match).toBe('"title:x" AND "^y"');
  });

  it('binds filter values as parameters, never as SQL text', () => {
    const built = buildSearch(parseQuery("summit site:evil.com'-- #x' @[Robert'); DROP TABLE entries;--]"), page);
    expect(built.hits.sql).not.toContain('DROP');
    expect(built.hits.sql).not.toContain('evil');
    expect(built.hits.params.some((p) => typeof p === 'string' && p.startsWith("robert'); drop table entries;"))).toBe(true);
  });

  it('has three shapes: ranked words, filters only by recency, nothing', () => {
    expect(buildSearch(parseQuery('summit kind:note'), page).mode).toBe('fts');
    expect(buildSearch(parseQuery('kind:note -summit'), page).mode).toBe('filter');
    expect(buildSearch(parseQuery('-summit'), page).mode).toBe('filter');
    expect(buildSearch(parseQuery(''), page).mode).toBe('empty');
    expect(buildSearch(parseQuery('^ * "'), page).mode).toBe('empty');
  });
});

describe('query builder against a real journal', () => {
  let core: Core;
  beforeAll(async () => {
    core = openCore({ dataDir: tempDir() });
    const inputs = [
      { body: 'Drafted the agenda for the summit; @Rogier will speak on working out loud #summit2014' },
      { kind: 'bookmark', bookmark: { url: 'https://example.com/wol' }, body: 'why it matters', tags: ['wol'] },
      { kind: 'question', body: 'Who runs the NEAR( meetup?' },
      { kind: 'person', person: { name: 'Anne Jansen', topics: ['kubernetes'] } },
      { body: 'nested tags #project #project/outloud' },
    ];
    for (const input of inputs) {
      const r = await core.dispatch('entries.create', input);
      expect(r.ok).toBe(true);
    }
  });
  afterAll(() => core.close());

  const run = (q: string) => {
    const built = buildSearch(parseQuery(q), page);
    const hits = core.db.prepare(built.hits.sql).all(...built.hits.params);
    const count = core.db.prepare(built.count.sql).get(...built.count.params) as { n: number };
    return { built, hits, count };
  };
  const plan = (sql: string, params: unknown[]) =>
    (core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);

  it('words + filters: FTS5 drives and sorts, entries are looked up by rowid, nothing scans entries', () => {
    for (const q of ['summit kind:note', 'summit #summit2014 -is:open', 'summit @rogier site:example.com after:2014']) {
      const { built } = run(q);
      const steps = plan(built.hits.sql, built.hits.params);
      expect(steps.some((s) => /^SCAN entries_fts VIRTUAL TABLE INDEX \d+:r/.test(s)), steps.join('\n')).toBe(true);
      expect(steps).toContain('SEARCH e USING INTEGER PRIMARY KEY (rowid=?)');
      expect(steps.filter((s) => /^SCAN (e|x|entries)\b/.test(s)), steps.join('\n')).toEqual([]);
      // FTS5 consumes ORDER BY rank: no sort of all matches; only the page is re-sorted for recency ties.
      expect(steps.filter((s) => s.includes('TEMP B-TREE FOR ORDER BY')), steps.join('\n')).toEqual([]);
      // Tag and person filters are index lookups per match, never scans.
      expect(steps.filter((s) => /^SCAN (t|n|l|entry_tags|person_names|links)\b/.test(s)), steps.join('\n')).toEqual([]);
      expect(steps.filter((s) => /^SEARCH (t|n|l) /.test(s)).every((s) => s.includes('INDEX') || s.includes('KEY'))).toBe(true);
    }
  });

  it('filters only: an index range of the timeline, not a scan of the table', () => {
    for (const q of ['kind:note', '#summit2014', 'is:open']) {
      const { built } = run(q);
      const steps = plan(built.hits.sql, built.hits.params);
      expect(steps.some((s) => /^(SEARCH|SCAN) e USING (COVERING )?INDEX entries_/.test(s)), steps.join('\n')).toBe(true);
      expect(steps.filter((s) => /^SCAN e$/.test(s))).toEqual([]);
    }
  });

  it('a selective tag or person filter can drive a filter-only query, with the same results', () => {
    for (const q of ['#summit2014', '#summit2014 kind:note', '@rogier', '@rogier -#wol', '#wol OR #summit2014 @rogier', '#project kind:bookmark', '#project']) {
      const parsed = parseQuery(q);
      const plain = buildSearch(parsed, page);
      const rows = (b: typeof plain) => core.db.prepare(b.hits.sql).all(...b.hits.params).map((r) => (r as { rowid: number }).rowid);
      const count = (b: typeof plain) => (core.db.prepare(b.count.sql).get(...b.count.params) as { n: number }).n;
      for (const d of drivers(parsed)) {
        const driven = buildSearch(parsed, page, { driveBy: d.clause, countBy: d.clause });
        expect(rows(driven), q).toEqual(rows(plain));
        expect(count(driven), q).toBe(count(plain));
        const steps = plan(driven.hits.sql, driven.hits.params);
        expect(steps.some((s) => s.startsWith('SEARCH e USING INTEGER PRIMARY KEY')), steps.join('\n')).toBe(true);
        expect(steps.some((s) => s.includes('entries_timeline')), steps.join('\n')).toBe(false);
      }
    }
    expect(drivers(parseQuery('-#wol kind:note #a OR #b'))).toEqual([]);
    const nested = parseQuery('#project');
    const driven = buildSearch(nested, page, { driveBy: drivers(nested)[0]!.clause });
    expect(core.db.prepare(driven.hits.sql).all(...driven.hits.params)).toHaveLength(1);
  });

  it('words with filters give the same results whether matches are joined or tested against the filter set', () => {
    for (const q of ['summit kind:note', 'summit -kind:note', 'summit #summit2014', 'speak OR why @rogier', 'summit @rogier', 'nested #project', 'summit -#wol -is:open', 'the site:example.com', 'summit before:2000']) {
      const parsed = parseQuery(q);
      const joined = buildSearch(parsed, page);
      expect(joined.filterRows, q).toBeDefined();
      const set = (core.db.prepare(joined.filterRows!.sql).all(...joined.filterRows!.params) as Array<{ rowid: number }>).map((r) => r.rowid);
      const tested = buildSearch(parsed, page, { filterRowids: set });
      const rows = (b: typeof joined) => pageOf(core.db.prepare(b.hits.sql).all(...b.hits.params), b, true, core.db);
      const count = (b: typeof joined) => (core.db.prepare(b.count.sql).get(...b.count.params) as { n: number; partial?: number }).n;
      expect(rows(tested), q).toEqual(rows(joined));
      expect(count(tested), q).toEqual(count(joined));
      expect(count(buildSearch(parsed, page, { countFromFilters: true })), q).toEqual(count(joined));
      // Kind, status, tag and site filters tested inside the FTS5 expression: the same rows, ranks and marks.
      const facets = new Set(facetClauses(parsed).map((f) => f.clause));
      const inMatch = buildSearch(parsed, page, { facetsInMatch: facets });
      expect(rows(inMatch), q).toEqual(rows(joined));
      expect(count(inMatch), q).toEqual(count(joined));
      const lone = drivers(parsed).find((d) => d.alone);
      if (lone) {
        const own = (core.db.prepare(lone.rows.sql).all(...lone.rows.params) as Array<{ rowid: number }>).map((r) => r.rowid);
        const byDriver = buildSearch(parsed, page, { filterRowids: own });
        expect(rows(byDriver), q).toEqual(rows(joined));
        expect(count(byDriver), q).toEqual(count(joined));
        const bySubquery = buildSearch(parsed, page, { setFrom: lone.clause });
        expect(rows(bySubquery), q).toEqual(rows(joined));
        expect(count(bySubquery), q).toEqual(count(joined));
      }
      // Tested against the set: FTS5 reads the matches, SQLite keeps the best rows; entries only for the page.
      const steps = plan(tested.hits.sql, tested.hits.params);
      expect(steps.some((s) => /^SCAN entries_fts VIRTUAL TABLE INDEX \d+:M/.test(s)), steps.join('\n')).toBe(true);
      expect(steps.filter((s) => /^SCAN (e|x|entries)\b/.test(s)), steps.join('\n')).toEqual([]);
    }
  });

  it('ranks with the column weights in every shape: a word in the title outranks the same word in the body', async () => {
    expect(RANK_FUNCTION).toBe('bm25(10.0, 6.0, 4.0, 1.0, 0.0)');
    expect(RANK_EXPRESSION).toBe('bm25(entries_fts, 10.0, 6.0, 4.0, 1.0, 0.0)');
    const inBody = await core.dispatch('entries.create', { title: 'Plain heading', body: 'the zeppelin zeppelin landed; more zeppelin talk' });
    const inTitle = await core.dispatch('entries.create', { title: 'Zeppelin', body: 'a short note about airships' });
    expect(inBody.ok && inTitle.ok).toBe(true);
    const titleId = inTitle.ok ? (inTitle.value as { id: string }).id : '';
    for (const q of ['zeppelin', 'zeppelin kind:note', 'zeppelin -is:open']) {
      const parsed = parseQuery(q);
      const shapes = [buildSearch(parsed, page)];
      const joined = shapes[0]!;
      if (joined.filterRows) {
        const set = (core.db.prepare(joined.filterRows.sql).all(...joined.filterRows.params) as Array<{ rowid: number }>).map((r) => r.rowid);
        shapes.push(buildSearch(parsed, page, { filterRowids: set }));
      }
      for (const built of shapes) {
        const rows = core.db.prepare(built.hits.sql).all(...built.hits.params) as Array<{ rowid: number }>;
        expect(rows, q).toHaveLength(2);
        const first = core.db.prepare('SELECT id FROM entries WHERE rowid = ?').get(rows[0]!.rowid) as { id: string };
        expect(first.id, q).toBe(titleId);
      }
    }
  });

  it('runs hostile queries without an SQLite error', () => {
    for (const q of ['NEAR(', '"', '^', 'title:', '*', '-', 'OR', 'AND', 'NOT', 'x'.repeat(10_000), 'a\u0000b', '\u0001\u0002', '{a b}:c', 'a:b:c', '""""', '"a" "', '@[x', '#', "'; DROP TABLE entries; --", '(a OR b)', 'a OR', 'word '.repeat(2000)]) {
      expect(() => run(q), JSON.stringify(q.slice(0, 30))).not.toThrow();
    }
  });

  it('for ANY string, the built SQL runs without an SQLite error (property)', () => {
    const pieces = fc.constantFrom('OR', 'AND', 'NOT', '-', '"', '*', '#', '#a', '@', '@[Anne Jansen]', '@rogier', 'kind:note', 'tag:x', 'is:open', 'after:2014', 'before:2014-05-01', 'site:example.com', 'NEAR(', '^', 'title:', '(', ')', '{', '}', ':', 'summit', 'é', '\u0000', '\ue000', ' ', '  ');
    const queries = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.array(pieces, { maxLength: 25 }).map((a) => a.join(' ')),
      fc.array(pieces, { maxLength: 25 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(queries, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 100 }), (q, limit, offset) => {
        const parsed = parseQuery(q);
        const facetsInMatch = new Set(facetClauses(parsed).map((f) => f.clause));
        for (const built of [buildSearch(parsed, { limit, offset }), buildSearch(parsed, { limit, offset }, { facetsInMatch })]) {
          core.db.prepare(built.hits.sql).all(...built.hits.params);
          core.db.prepare(built.count.sql).get(...built.count.params);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('query builder: ranking the words alone first, then testing the filters (overfetch)', () => {
  it('gives the same full page as testing every match, and a short one when too few pass in its window', async () => {
    const core = openCore({ dataDir: tempDir() });
    for (let i = 0; i < 120; i++) {
      const r = await core.dispatch('entries.create', {
        kind: i % 5 === 0 ? 'question' : 'note',
        title: i % 7 === 0 ? `Harbour plan ${i}` : `Entry ${i}`,
        body: `the harbour ${'harbour '.repeat(i % 4)}needs work ${i}`,
        createdAt: 1_400_000_000_000 + i * 86_400_000,
      });
      expect(r.ok).toBe(true);
    }
    const rows = (q: { sql: string; params: unknown[] }) => pageOf(core.db.prepare(q.sql).all(...q.params));
    const hits = (b: BuiltSearch) => pageOf(core.db.prepare(b.hits.sql).all(...b.hits.params), b, true, core.db);
    for (const [q, offset] of [['harbour kind:note', 0], ['harbour kind:note', 5], ['harbour -kind:question after:2014-06-01', 0], ['harbour before:2014-07-01', 0]] as const) {
      const built = buildSearch(parseQuery(q), { limit: 5, offset });
      expect(built.overfetchHits, q).toBeDefined();
      const over = rows(built.overfetchHits!);
      expect(over, q).toHaveLength(5);
      expect(over, q).toEqual(hits(built));
    }
    // A filter that almost nothing passes leaves the window short of a page: the caller then uses `hits`.
    const rare = buildSearch(parseQuery('harbour kind:question before:2014-05-20'), { limit: 5, offset: 0 });
    expect(rows(rare.overfetchHits!).length).toBeLessThan(5);
    expect(hits(rare).length).toBeGreaterThan(0);
    // Told that few pass (`overfetch`), the window is wide enough to hold every match that passes (two
    // here), the same rows as testing every match; past OVERFETCH_MAX it is no wider.
    const wide = buildSearch(parseQuery('harbour kind:question before:2014-05-20'), { limit: 5, offset: 0 }, { overfetch: 20 });
    expect(rows(wide.overfetchHits!)).toHaveLength(hits(rare).length);
    expect(rows(wide.overfetchHits!)).toEqual(hits(rare).slice(0, 5));
    const window = (o: number) => buildSearch(parseQuery('harbour kind:question'), { limit: 5, offset: 0 }, { overfetch: o }).overfetchHits!.params[2];
    const w = 5 + TIE_WINDOW; // the page's rows and the tie window
    expect([window(1), window(4), window(4.2), window(OVERFETCH_MAX), window(1e9), window(Infinity)]).toEqual([w * 4, w * 4, w * 5, w * OVERFETCH_MAX, w * OVERFETCH_MAX, w * OVERFETCH_MAX]);
    core.close();
  });
});

describe('pageOfRanked: a page cut from a window ranked by rank, then most recently added', () => {
  interface Row {
    rowid: number;
    rank: number;
    at: number;
  }
  // A journal's matches: few distinct ranks (long ties), creation times in any order of rowids.
  const journals = fc
    .record({
      ranks: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 80 }),
      times: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 80, maxLength: 80 }),
      offset: fc.integer({ min: 0, max: 30 }),
      limit: fc.integer({ min: 1, max: 20 }),
      tieWindow: fc.integer({ min: 0, max: 12 }),
    })
    .map(({ ranks, times, ...page }) => ({ rows: ranks.map((r, i): Row => ({ rowid: i + 1, rank: -r, at: times[i]! })), ...page }));

  it('gives the page of the exact order (rank, then creation time, newest first), or says the tie runs past the window', () => {
    fc.assert(
      fc.property(journals, ({ rows, offset, limit, tieWindow }) => {
        const size = offset + limit + tieWindow;
        const window = { size, offset, limit, tiesNewestAdded: true };
        // What the ranking statement returns: by rank, then rowid descending, one row past the window.
        const ranked = [...rows].sort((a, b) => a.rank - b.rank || b.rowid - a.rowid).slice(0, size + 1);
        const looked: number[] = [];
        const byRowid = new Map(rows.map((r) => [r.rowid, r.at]));
        const createdAt = (rowids: number[]) => (looked.push(...rowids), new Map(rowids.map((r) => [r, byRowid.get(r)!])));
        const { page, edgeRank } = pageOfRanked(ranked, window, createdAt);
        const exact = [...rows].sort((a, b) => a.rank - b.rank || b.at - a.at || b.rowid - a.rowid).slice(offset, offset + limit);
        if (edgeRank === undefined) expect(page.map((r) => r.rowid)).toEqual(exact.map((r) => r.rowid));
        else {
          // Only when the page's last rank is shared by the row past the window.
          expect(ranked[size]!.rank).toBe(edgeRank);
          expect(page.at(-1)!.rank).toBe(edgeRank);
        }
        // Creation times are read for tied rows only.
        for (const rowid of looked) expect(ranked.filter((r) => r.rank === ranked.find((x) => x.rowid === rowid)!.rank).length).toBeGreaterThan(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('brings onto the page an entry added earlier but written later, tied with the page’s last inside the window', () => {
    // Five ranked better, then a tie of four (added 6 to 9; 6, added first, written last), then the
    // row past a window of nine, ranked worse.
    const rows = [
      ...[10, 11, 12, 13, 14].map((rowid, i) => ({ rowid, rank: -10 + i })),
      ...[9, 8, 7, 6].map((rowid) => ({ rowid, rank: -1 })),
      { rowid: 20, rank: 5 },
    ];
    const at = new Map([[9, 100], [8, 101], [7, 102], [6, 500]]);
    const window = { size: 9, offset: 0, limit: 6, tiesNewestAdded: true };
    const { page, edgeRank } = pageOfRanked(rows, window, (ids) => new Map(ids.map((r) => [r, at.get(r)!])));
    expect(edgeRank).toBeUndefined();
    expect(page.map((r) => r.rowid)).toEqual([10, 11, 12, 13, 14, 6]);
  });
});

describe('tieWindow: the rows ranked past the page grow with the journal', () => {
  it('is TIE_WINDOW up to 100,000 entries, one row more per 10,000 after, and TIE_WINDOW_MAX from 1,000,000', () => {
    expect([0, 5_000, 100_000, 100_001, 250_000, 999_999, 1_000_000, 5_000_000].map(tieWindow)).toEqual([TIE_WINDOW, TIE_WINDOW, TIE_WINDOW, 11, 25, TIE_WINDOW_MAX, TIE_WINDOW_MAX, TIE_WINDOW_MAX]);
  });

  it('sets the window the words are ranked in', () => {
    const size = (tie?: number) => buildSearch(parseQuery('summit'), { ...page, offset: 40, tieWindow: tie }).window!.size;
    expect([size(), size(55)]).toEqual([60 + TIE_WINDOW, 115]);
  });
});
