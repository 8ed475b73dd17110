import path from 'node:path';
import { OutloudError } from '../../../shared/api/errors.ts';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { createEntriesService, FEW_TAGGED, listQuery, titleFromText } from './entries.service.ts';
import { BACKLINK_WALK, findPersonRowidByKey, linksTo, PEOPLE_INDEX_IN_SQL, PEOPLE_INDEX_OUT_SQL, PERSON_BY_KEY_SQL, PERSON_CANDIDATES_SQL } from '../db/entries.repo.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import type { ParsedInput } from '../../../shared/api/contract.ts';
import { EntryCreateInput, EntryFacetsInput, EntryListInput, EntryUpdateInput, LIMITS, SearchQueryInput } from '../../../shared/api/schemas.ts';
import { LATEST_TIME } from '../../../shared/domain/entry.ts';
import { openCore } from '../core.ts';
import { parseJournalExport } from './journal-format.ts';
import { createSearchService } from '../search/search.service.ts';

function setup() {
  let clock = Date.UTC(2014, 4, 1, 9, 0, 0);
  const db = openDatabase(path.join(tempDir(), 'outloud.sqlite'));
  const svc = createEntriesService(db, () => (clock += 1000));
  const create = (input: Partial<ParsedInput<'entries.create'>> & Record<string, unknown>) => svc.create(EntryCreateInput.parse(input));
  return { db, svc, create };
}

describe('entries service', () => {
  it('recognises tags, mentions and creates the mentioned person with a backlink', () => {
    const { svc, create } = setup();
    const note = create({ body: 'Drafted the agenda for the summit; @Rogier will speak on working out loud #summit2014' });
    expect(note.title).toBe('Drafted the agenda for the summit; @Rogier will speak on working out loud #summit2014');
    expect(note.tags).toEqual(['summit2014']);
    const detail = svc.get({ id: note.id });
    expect(detail.links).toHaveLength(1);
    expect(detail.links[0]).toMatchObject({ type: 'mentions', entry: { kind: 'person', title: 'Rogier' } });
    const person = svc.get({ id: detail.links[0]!.entry.id });
    expect(person.backlinks.map((l) => l.entry.id)).toEqual([note.id]);
  });

  it('links a mention to an existing person by alias, case and accents ignored', () => {
    const { svc, create } = setup();
    const p = create({ kind: 'person', person: { name: 'José Ramírez', aliases: ['jr'] } });
    const a = create({ body: 'Talked to @JR about the plan' });
    const b = create({ body: 'Lunch with @[jose ramirez]' });
    const c = create({ body: 'Ping @JoseRamirez' });
    const backlinks = svc.get({ id: p.id }).backlinks.map((l) => l.entry.id).sort();
    expect(backlinks).toEqual([a.id, b.id, c.id].sort());
    expect(svc.list({ kind: 'person', limit: 50 }).items).toHaveLength(1);
  });

  it('keeps a revision on every edit and restores one', () => {
    const { svc, create } = setup();
    const note = create({ body: 'first version #a' });
    const v2 = svc.update({ id: note.id, body: 'second version #b' });
    expect(v2.tags).toEqual(['b']);
    expect(v2.title).toBe('second version #b');
    const history = svc.history({ id: note.id });
    expect(history).toHaveLength(1);
    expect(history[0]!.body).toBe('first version #a');
    const restored = svc.restoreRevision({ id: note.id, revisionId: history[0]!.id });
    expect(restored.body).toBe('first version #a');
    expect(restored.tags).toEqual(['a']);
    expect(svc.history({ id: note.id }).map((r) => r.body)).toEqual(['second version #b', 'first version #a']);
  });

  it('an edit with nothing changed writes no revision', () => {
    const { svc, create } = setup();
    const note = create({ body: 'same' });
    svc.update({ id: note.id, body: 'same' });
    expect(svc.history({ id: note.id })).toHaveLength(0);
  });

  it('keeps explicit tags across edits while text tags follow the text', () => {
    const { svc, create } = setup();
    const note = create({ body: 'about #x', tags: ['kept'] });
    expect(note.tags).toEqual(['kept', 'x']);
    expect(svc.update({ id: note.id, body: 'about #y' }).tags).toEqual(['kept', 'y']);
  });

  it('refuses a stale edit and an edit of a trashed entry', () => {
    const { svc, create } = setup();
    const note = create({ body: 'text' });
    svc.update({ id: note.id, body: 'text 2' });
    expect(() => svc.update({ id: note.id, body: 'text 3', expectedUpdatedAt: note.updatedAt })).toThrow(/changed elsewhere/);
    svc.trash({ id: note.id });
    expect(() => svc.update({ id: note.id, body: 'x' })).toThrow(/trash/);
  });

  it('moves to trash, restores, and purges only from the trash', () => {
    const { svc, create } = setup();
    const note = create({ body: 'to be deleted' });
    expect(() => svc.purge({ id: note.id })).toThrow(/trash/);
    svc.trash({ id: note.id });
    expect(svc.list({ limit: 50 }).items).toHaveLength(0);
    expect(svc.list({ trashed: true, limit: 50 }).items.map((e) => e.id)).toEqual([note.id]);
    svc.restore({ id: note.id });
    expect(svc.list({ limit: 50 }).items.map((e) => e.id)).toEqual([note.id]);
    svc.trash({ id: note.id });
    svc.purge({ id: note.id });
    expect(() => svc.get({ id: note.id })).toThrow(/No entry/);
  });

  it('saves the same URL twice as one bookmark with both notes', () => {
    const { svc, create } = setup();
    const a = create({ kind: 'bookmark', body: 'great intro', bookmark: { url: 'http://www.example.com/post/?utm_source=x#top' }, tags: ['wol'] });
    const b = create({ kind: 'bookmark', body: 'send to the team', bookmark: { url: 'https://example.com/post' }, tags: ['team'] });
    expect(b.id).toBe(a.id);
    if (b.kind !== 'bookmark') throw new Error('expected a bookmark');
    expect(b.bookmark.notes).toEqual(['great intro', 'send to the team']);
    expect(b.bookmark.site).toBe('example.com');
    expect(b.tags).toEqual(['wol', 'team']);
    expect(svc.list({ kind: 'bookmark', limit: 10 }).items).toHaveLength(1);
  });

  it('refuses a bookmark that is not a web address', () => {
    const { svc, create } = setup();
    expect(() => create({ kind: 'bookmark', bookmark: { url: 'javascript:alert(1)' } })).toThrow(/Not a web address/);
    expect(svc.list({ limit: 10 }).items).toHaveLength(0);
  });

  it('does not add the same imported item twice', () => {
    const { svc, create } = setup();
    const a = create({ body: 'from slack', source: 'import:slack', sourceRef: 'C1/123.456' });
    const b = create({ body: 'from slack', source: 'import:slack', sourceRef: 'C1/123.456' });
    expect(b.id).toBe(a.id);
    expect(svc.list({ limit: 10 }).items).toHaveLength(1);
  });

  it('links a note to a known bookmark it refers to', () => {
    const { svc, create } = setup();
    const bm = create({ kind: 'bookmark', bookmark: { url: 'https://example.org/wol' } });
    const note = create({ body: 'Read https://example.org/wol/ today' });
    expect(svc.get({ id: note.id }).links).toEqual([{ type: 'refers-to', entry: { id: bm.id, kind: 'bookmark', title: 'https://example.org/wol', deleted: false } }]);
  });

  it('records a person recommended by another person', () => {
    const { svc, create } = setup();
    const p = create({ kind: 'person', person: { name: 'Ada', topics: ['compilers'], recommendedBy: 'Grace' } });
    const links = svc.get({ id: p.id }).links;
    expect(links).toMatchObject([{ type: 'recommended-by', entry: { kind: 'person', title: 'Grace' } }]);
  });

  it('tracks question status: answered when an answer arrives, closedAt when closed', () => {
    const { svc, create } = setup();
    const q = create({ kind: 'question', body: 'Who knows about FTS5?', question: { askedBy: 'Ann' } });
    if (q.kind !== 'question') throw new Error('expected a question');
    expect(q.question.status).toBe('open');
    const answered = svc.update({ id: q.id, question: { answer: 'Use bm25' } });
    expect(answered.kind === 'question' && answered.question.status).toBe('answered');
    const closed = svc.update({ id: q.id, question: { status: 'closed' } });
    expect(closed.kind === 'question' && closed.question.closedAt).toBeGreaterThan(0);
  });

  it('pages through the timeline with a cursor, newest first', () => {
    const { svc, create } = setup();
    const ids = Array.from({ length: 7 }, (_, i) => create({ body: `note ${i}` }).id).reverse();
    const first = svc.list({ limit: 3 });
    const second = svc.list({ limit: 3, cursor: first.nextCursor! });
    const third = svc.list({ limit: 3, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((e) => e.id)).toEqual(ids);
    expect(third.nextCursor).toBeNull();
    expect(() => svc.list({ limit: 3, cursor: 'garbage!' })).toThrow(/cursor/);
  });

  it('filters the timeline by kind, tag and dates', () => {
    const { svc, create } = setup();
    create({ body: 'old #x', createdAt: Date.UTC(2014, 0, 2, 12) });
    const recent = create({ body: 'new #x', createdAt: Date.UTC(2014, 5, 2, 12) });
    create({ body: 'new #y', createdAt: Date.UTC(2014, 5, 3, 12) });
    expect(svc.list({ tag: 'x', since: '2014-05-01', limit: 10 }).items.map((e) => e.id)).toEqual([recent.id]);
    expect(svc.list({ until: '2014-01-31', limit: 10 }).items).toHaveLength(1);
  });

  it('reads list bounds as people write dates: a month or a year whole, a day counted back from the clock', () => {
    const { svc, create } = setup(); // the clock: 1 May 2014
    const old = create({ body: 'old', createdAt: Date.UTC(2014, 0, 2, 12) });
    const april = create({ body: 'april', createdAt: Date.UTC(2014, 3, 20, 12) });
    const june = create({ body: 'june', createdAt: Date.UTC(2014, 5, 2, 12) });
    const list = (bounds: { since?: string; until?: string }) => svc.list({ ...bounds, limit: 10 }).items.map((e) => e.body);
    expect(list({ since: '2014-06' })).toEqual([june.body]);
    expect(list({ until: '2014-04' })).toEqual([april.body, old.body]); // through 30 April
    expect(list({ since: '2014-01', until: '2014-01' })).toEqual([old.body]);
    expect(list({ since: '2014', until: '2014' })).toEqual([june.body, april.body, old.body]);
    expect(list({ since: '2015' })).toEqual([]);
    expect(list({ since: '30d' })).toEqual([june.body, april.body]);
    expect(list({ since: '2w', until: 'yesterday' })).toEqual([april.body]);
    expect(list({ until: '1m' })).toEqual([old.body]); // through 1 April
    expect(list({ since: 'today' })).toEqual([june.body]);
    expect(list({ since: '2014-04-20T13:00Z' })).toEqual([june.body]);
    expect(() => svc.list({ since: '9999y', limit: 10 })).toThrow('since: 9999y goes back before the year 1000');
    expect(() => svc.list({ until: '1027y', limit: 10 })).toThrow('until: 1027y goes back before the year 1000');
  });
});

describe('titleFromText', () => {
  it('takes the first line without Markdown markup, shortened', () => {
    expect(titleFromText('\n\n## A [link](https://x.y) and **bold**\nmore')).toBe('A link and bold');
    expect(titleFromText('x'.repeat(300))).toHaveLength(120);
  });
});

describe('tags from a long first line', () => {
  it('reads tags from the text, not from a title shortened from it', () => {
    const { create } = setup();
    const body =
      'Wrote up the webhook retry design: exponential back-off, capped at an hour, never post twice. See [the design doc](https://example.com/design/outbox). #engineering';
    const note = create({ body });
    expect(note.title.endsWith('…')).toBe(true);
    expect(note.tags).toEqual(['engineering']);
  });

  it('reads tags from a typed title', () => {
    const { create } = setup();
    expect(create({ title: 'Plan #q3', body: 'details' }).tags).toEqual(['q3']);
  });
});

describe('list filters for questions and bookmarks', () => {
  it('filters by question status and bookmark site', () => {
    const { svc, create } = setup();
    const open = create({ kind: 'question', body: 'open one?' });
    const answered = create({ kind: 'question', body: 'answered one?', question: { answer: 'yes' } });
    const a = create({ kind: 'bookmark', bookmark: { url: 'https://www.example.com/a' } });
    create({ kind: 'bookmark', bookmark: { url: 'https://other.org/b' } });
    expect(svc.list({ kind: 'question', status: 'open', limit: 10 }).items.map((e) => e.id)).toEqual([open.id]);
    expect(svc.list({ kind: 'question', status: 'answered', limit: 10 }).items.map((e) => e.id)).toEqual([answered.id]);
    expect(svc.list({ site: 'WWW.example.com', limit: 10 }).items.map((e) => e.id)).toEqual([a.id]);
  });
});

describe('lists by tag and by site', () => {
  /** Every page of a list, through its cursor. */
  function allPages(svc: ReturnType<typeof setup>['svc'], filter: Record<string, unknown>, limit: number): string[] {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = svc.list({ ...filter, limit, ...(cursor ? { cursor } : {}) } as ParsedInput<'entries.list'>);
      ids.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  it('pages through a rare tag, a common one and a site the same way: newest first, the trash apart', () => {
    const { svc } = setup();
    const inputs = Array.from({ length: FEW_TAGGED + 60 }, (_, i) =>
      EntryCreateInput.parse(
        i % 20 === 0
          ? { kind: 'bookmark', body: `link ${i} #common`, bookmark: { url: `https://${i % 40 === 0 ? 'www.' : ''}example.org/${i}` } }
          : { body: `note ${i} #common${i % 25 === 0 ? ' #rare' : ''}` },
      ),
    );
    const created = svc.createMany(inputs);
    const trashed = new Set([created[25]!.id, created[40]!.id, created[41]!.id]);
    for (const id of trashed) svc.trash({ id });
    const newestFirst = [...created].reverse();
    const expected = (keep: (e: (typeof created)[number]) => boolean) => newestFirst.filter((e) => !trashed.has(e.id) && keep(e)).map((e) => e.id);

    expect(allPages(svc, { tag: 'rare' }, 7)).toEqual(expected((e) => e.tags.includes('rare')));
    expect(allPages(svc, { tag: 'common' }, 100)).toEqual(expected((e) => e.tags.includes('common')));
    expect(allPages(svc, { site: 'Example.org' }, 9)).toEqual(expected((e) => e.kind === 'bookmark'));
    expect(allPages(svc, { site: 'example.org', tag: 'common', kind: 'bookmark' }, 9)).toEqual(expected((e) => e.kind === 'bookmark'));
    expect(allPages(svc, { tag: 'rare', trashed: true }, 5)).toEqual([created[25]!.id]);
    expect(allPages(svc, { tag: 'nowhere' }, 5)).toEqual([]);
  });

  it('reads a rare tag from its own rows, a site through its index, and a common tag along the timeline', () => {
    const { db, svc } = setup();
    svc.createMany(Array.from({ length: FEW_TAGGED + 1 }, (_, i) => EntryCreateInput.parse({ body: `n${i} #common` })));
    const plan = (input: Record<string, unknown>) => {
      const q = listQuery(db, { limit: 50, ...input } as ParsedInput<'entries.list'>);
      return (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    };
    expect(plan({ tag: 'rare' })).toMatch(/^SEARCH t USING PRIMARY KEY \(tag=\?\) \| SEARCH e USING INTEGER PRIMARY KEY/);
    expect(plan({ site: 'example.org' })).toMatch(/SEARCH e USING INDEX entries_site \(site=\?\)/);
    expect(plan({ tag: 'common' })).toMatch(/SEARCH e USING (COVERING )?INDEX entries_timeline \(deleted_at=\?\)/);
  });

  it('reads one kind past a cursor through its own index, not the whole timeline', () => {
    const { db, svc, create } = setup();
    for (let i = 0; i < 5; i++) create({ kind: 'person', person: { name: `Person ${i}` } });
    const first = svc.list(EntryListInput.parse({ kind: 'person', limit: 2 }));
    const q = listQuery(db, EntryListInput.parse({ kind: 'person', limit: 2, cursor: first.nextCursor! }));
    const details = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(details).toMatch(/SEARCH e USING INDEX entries_kind_timeline \(kind=\? AND deleted_at=\? AND created_at<\?\)/);
    // And the pages are those of the kind, newest first, to the end.
    const second = svc.list(EntryListInput.parse({ kind: 'person', limit: 2, cursor: first.nextCursor! }));
    const third = svc.list(EntryListInput.parse({ kind: 'person', limit: 2, cursor: second.nextCursor! }));
    expect([...first.items, ...second.items, ...third.items].map((p) => p.title)).toEqual(['Person 4', 'Person 3', 'Person 2', 'Person 1', 'Person 0']);
    expect(third.nextCursor).toBeNull();
  });
});

describe('query plans on the save path', () => {
  it('looks a mentioned person up by name key, not by walking the people, and sorts nothing', () => {
    const { db } = setup();
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${PERSON_BY_KEY_SQL}`).all('ann') as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join(' | ');
    expect(details).toMatch(/SEARCH n USING PRIMARY KEY \(key=\?\)/);
    expect(details).toMatch(/SEARCH e USING INTEGER PRIMARY KEY/);
    // The save path's own lookup: the same searches, without the sorter an ORDER BY sets up each time.
    const candidates = (db.prepare(`EXPLAIN QUERY PLAN ${PERSON_CANDIDATES_SQL}`).all('ann') as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
    expect(candidates).toMatch(/SEARCH n USING PRIMARY KEY \(key=\?\)/);
    expect(candidates).toMatch(/SEARCH entries USING INTEGER PRIMARY KEY/);
    expect(candidates).not.toMatch(/TEMP B-TREE/);
  });

  it('finds by a name key the person PERSON_BY_KEY_SQL finds: the oldest live one, the first saved among equals, none once all are gone', () => {
    const { db, svc } = setup();
    const person = (name: string, createdAt: number, aliases: string[] = []) =>
      svc.create(EntryCreateInput.parse({ kind: 'person', person: { name, aliases }, createdAt, allowSameName: true }));
    const lookup = (key: string) => [findPersonRowidByKey(db, key), db.prepare<[string], { rowid: number }>(PERSON_BY_KEY_SQL).get(key)?.rowid];
    const rowid = (id: string) => db.prepare<[string], { rowid: number }>('SELECT rowid FROM entries WHERE id = ?').get(id)!.rowid;
    const newer = person('Ann Lee', 2_000);
    const older = person('Ann Lee', 1_000);
    const sameTime = person('Annie', 1_000, ['Ann Lee']);
    const note = svc.create(EntryCreateInput.parse({ body: 'not a person' }));
    db.prepare("INSERT INTO person_names (key, entry_rowid) VALUES ('ann lee', ?)").run(rowid(note.id)); // a key on a row that is no person
    expect(lookup('ann lee')).toEqual([rowid(older.id), rowid(older.id)]);
    svc.trash({ id: older.id });
    expect(lookup('ann lee')).toEqual([rowid(sameTime.id), rowid(sameTime.id)]);
    svc.trash({ id: sameTime.id });
    expect(lookup('ann lee')).toEqual([rowid(newer.id), rowid(newer.id)]);
    svc.trash({ id: newer.id });
    expect(lookup('ann lee')).toEqual([undefined, undefined]);
    expect(lookup('nobody')).toEqual([undefined, undefined]);
  });

  it('moves the index entries of the entries naming a renamed person by their rowids, not along the timeline', () => {
    const { db } = setup();
    for (const sql of [PEOPLE_INDEX_OUT_SQL, PEOPLE_INDEX_IN_SQL]) {
      const details = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[]') as Array<{ detail: string }>).map((p) => p.detail).join(' | ');
      expect(details).toMatch(/^SEARCH entries USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(details).not.toMatch(/entries_timeline|TEMP B-TREE/);
    }
  });
});

describe('createMany', () => {
  const inputs = [
    { body: 'met @[Ann Lee] and @bob #x https://example.com/a' },
    { kind: 'bookmark', bookmark: { url: 'https://example.com/a' }, body: 'first', tags: ['z'] },
    { body: 'again @[ann lee], see https://example.com/a' },
    { kind: 'person', person: { name: 'Bob', aliases: ['bobby'] } },
    { body: '@bobby and @bob' },
    { kind: 'bookmark', bookmark: { url: 'https://example.com/a' }, body: 'second', tags: ['y'] },
    { kind: 'question', body: 'who knows @[Cleo Park]?' },
    { body: '@[cleo park] follow-up' },
    { kind: 'person', person: { name: 'Dee', recommendedBy: 'Ann Lee' } },
    { body: 'from elsewhere', source: 'import:x', sourceRef: 'r1' },
    { body: 'from elsewhere, again', source: 'import:x', sourceRef: 'r1' },
  ].map((i) => EntryCreateInput.parse(i));

  /** Everything the inputs left, in creation order, without ids: entries, their links, their indexed people. */
  function journal(db: ReturnType<typeof setup>['db']) {
    return db
      .prepare(
        `SELECT e.kind, e.title, e.body, e.tags, e.fields, e.source, e.search_people AS people,
           (SELECT group_concat(tag, ' ') FROM (SELECT tag FROM entry_tags WHERE entry_rowid = e.rowid ORDER BY tag)) AS tag_rows,
           (SELECT group_concat(l.type || '>' || t.title, ', ') FROM links l JOIN entries t ON t.rowid = l.to_rowid WHERE l.from_rowid = e.rowid) AS links
         FROM entries e ORDER BY e.rowid`,
      )
      .all();
  }

  it('leaves the same journal as one create per input, and returns each entry as get reads it', () => {
    const one = setup();
    const each = inputs.map((i) => one.svc.create(i));
    const many = setup();
    const all = many.svc.createMany(inputs);
    expect(journal(many.db)).toEqual(journal(one.db));
    expect(all.map(({ id: _id, ...rest }) => rest)).toEqual(each.map(({ id: _id, ...rest }) => rest));
    // What each returned is the entry as a read gives it back (the bookmark saved again later has changed since).
    for (const [i, e] of all.entries()) if (i !== 1) expect(many.svc.get({ id: e.id }).entry, `input ${i}`).toEqual(e);
    // The person a mention leads to is found whether it was made by a mention or in the same call: Bob,
    // saved after `@bob` made a person, is that person now, and `@bobby` (his new alias) finds him too.
    const bobby = many.svc.get({ id: all[4]!.id }).links.map((l) => `${l.type}>${l.entry.title}`);
    expect(bobby).toEqual(['mentions>Bob']);
    expect(all[3]!.id).toBe(many.svc.get({ id: all[0]!.id }).links.find((l) => l.entry.kind === 'person' && l.entry.title === 'Bob')!.entry.id);
    // The index holds the same (createMany writes it at the end, from the rows; the bookmark merged midway first).
    const indexed = (db: ReturnType<typeof setup>['db']) =>
      ['ann', 'bobby', 'first', 'second', 'cleo', 'elsewhere', 'people:lee', 'tags:z', 'tags:y', 'example'].map(
        (q) => (db.prepare('SELECT group_concat(e.kind || \':\' || e.title, \'|\') AS hits FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ? ORDER BY f.rowid').get(q) as { hits: string | null }).hits,
      );
    expect(indexed(many.db)).toEqual(indexed(one.db));
    expect(() => many.db.exec("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });

  it('indexes and tags every entry of a large call, and sets FTS5 back to what it was', () => {
    const { db, svc } = setup();
    const hashsize = () => db.prepare("SELECT v FROM entries_fts_config WHERE k = 'hashsize'").get();
    const before = hashsize();
    const notes = Array.from({ length: 1_200 }, (_, i) => EntryCreateInput.parse({ body: `bulk ${i} about ${['sqlite', 'lunr', 'fts5'][i % 3]} #t${i % 4}` }));
    expect(svc.createMany(notes)).toHaveLength(1_200);
    const found = (q: string) => (db.prepare('SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH ?').get(q) as { n: number }).n;
    expect(found('lunr')).toBe(400);
    expect(found('bulk')).toBe(1_200);
    expect(svc.list({ limit: 500, tag: 't2' }).items).toHaveLength(300);
    expect(hashsize()).toEqual(before ?? { v: 1024 * 1024 });
  });
});

describe('backlinks', () => {
  it('are the newest first, trashed ones included, however many there are and wherever they sit in the timeline', () => {
    const { db, svc, create } = setup();
    const T = Date.UTC(2020, 0, 1);
    const person = create({ kind: 'person', person: { name: 'Ada Lovelace' }, createdAt: T - 1 });
    // Twenty notes mentioning her, created out of rowid order; the third newest and the oldest trashed.
    const order = [7, 2, 15, 0, 11, 19, 4, 9, 13, 1, 17, 6, 3, 18, 10, 5, 14, 8, 16, 12];
    const mentions = order.map((k) => ({ k, id: create({ body: `met @[Ada Lovelace] ${k}`, createdAt: T + k * 1000 }).id }));
    const byK = (k: number) => mentions.find((m) => m.k === k)!.id;
    svc.trash({ id: byK(17) });
    svc.trash({ id: byK(0) });
    const newest = [...mentions].sort((a, b) => b.k - a.k).map((m) => m.id);
    const rowid = (db.prepare('SELECT rowid FROM entries WHERE id = ?').get(person.id) as { rowid: number }).rowid;
    const ids = (limit: number) => linksTo(db, rowid, limit).map((l) => l.entry.id);
    // More backlinks than asked for: read from the timeline (with the trash merged in), then all of them.
    for (const limit of [1, 5, 19, 20, 500]) expect(ids(limit), String(limit)).toEqual(newest.slice(0, limit));
    expect(linksTo(db, rowid, 5).map((l) => l.entry.deleted)).toEqual([false, false, true, false, false]);
    // Newer entries that do not mention her, more than BACKLINK_WALK per backlink: the walk gives up
    // and every backlink is sorted, with the same answer.
    db.transaction(() => {
      for (let i = 0; i < 20 * BACKLINK_WALK + 10; i++) create({ body: `unrelated ${i}`, createdAt: T + 100_000 + i });
    })();
    for (const limit of [1, 5, 20]) expect(ids(limit), String(limit)).toEqual(newest.slice(0, limit));
    expect(svc.get({ id: person.id }).backlinks.map((l) => l.entry.id)).toEqual(newest);
  });
});

describe('what the journal accepts, its export carries back in', () => {
  it('an export of entries saved at the limits imports again, whole', async () => {
    const from = openCore({ dataDir: tempDir() });
    const to = openCore({ dataDir: tempDir() });
    try {
      const create = (input: Record<string, unknown>) => from.services.entries.create(EntryCreateInput.parse(input));
      // A first line with a terminal's colour codes (piped output), a bookmark of a 1,200-character
      // address, a note with 101 hashtags, an entry edited at the latest time there is.
      const coloured = create({ body: '\u001b[31mERROR\u001b[0m build failed\nmore' });
      expect(coloured.title).toBe('[31mERROR [0m build failed');
      const long = create({ kind: 'bookmark', bookmark: { url: `https://l.example/?q=${'p'.repeat(1_200)}` }, body: 'x' });
      expect(long.title).toHaveLength(LIMITS.title);
      expect(long.title.endsWith('…')).toBe(true);
      const tagged = create({ body: Array.from({ length: 101 }, (_, i) => `#t${i}`).join(' ') });
      expect(tagged.tags).toHaveLength(LIMITS.tags);
      const late = create({ body: 'from the far future', createdAt: LATEST_TIME });
      from.db.prepare('UPDATE entries SET updated_at = ? WHERE id = ?').run(LATEST_TIME, late.id);
      expect(from.services.entries.update({ id: late.id, body: 'edited' }).updatedAt).toBe(LATEST_TIME);

      const file = from.services.journal.exportJournal();
      const parsed = parseJournalExport(JSON.parse(JSON.stringify(file)));
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      expect(to.services.journal.importJournal({ data: file })).toMatchObject({ errors: [] });
      expect(to.services.journal.exportJournal().entries).toEqual(file.entries);
    } finally {
      from.close();
      to.close();
    }
  });

  it('refuses to merge a note into a bookmark past what one entry holds, leaving the bookmark as it was', () => {
    const { svc, create } = setup();
    const url = 'https://b.example/p';
    const first = create({ kind: 'bookmark', bookmark: { url }, body: 'a'.repeat(300_000) });
    expect(() => create({ kind: 'bookmark', bookmark: { url }, body: 'b'.repeat(300_000) })).toThrow(
      `This address is bookmarked already (${first.id}), and its text would grow past 500,000 characters with this one: edit that bookmark instead.`,
    );
    expect(svc.get({ id: first.id }).entry).toEqual(first);
  });
});

describe('titles made from the text', () => {
  it('keep underscores, stars and backticks that are not markup, and drop control characters', () => {
    expect(titleFromText('snake_case_name is a var')).toBe('snake_case_name is a var');
    expect(titleFromText('2*3=6 and 4*5')).toBe('2*3=6 and 4*5');
    expect(titleFromText('see my_file.txt and `code_here`')).toBe('see my_file.txt and code_here');
    expect(titleFromText('**bold** _emph_ ~~gone~~')).toBe('bold emph gone');
    expect(titleFromText('a\u0007b\u001b[0mc')).toBe('a b [0mc');
  });
});

describe('people naming themselves', () => {
  it('a person whose name is a handle, or who mentions or recommends themselves, is one person with no link to themselves', () => {
    const { svc, create } = setup();
    const jdoe = create({ kind: 'person', person: { name: '@jdoe' } });
    expect(jdoe.title).toBe('jdoe');
    const grace = create({ kind: 'person', person: { name: 'Grace Hopper', aliases: ['@grace'] }, body: '@grace wrote COBOL' });
    const linus = create({ kind: 'person', person: { name: 'Linus', recommendedBy: '@Linus' } });
    const people = svc.list({ kind: 'person', limit: 50 }).items.map((p) => p.title).sort();
    expect(people).toEqual(['Grace Hopper', 'Linus', 'jdoe']);
    for (const p of [jdoe, grace, linus]) expect(svc.get({ id: p.id }).links).toEqual([]);
    // Mentions find them by handle and alias.
    const note = create({ body: 'Paired with @jdoe and @grace' });
    expect(svc.get({ id: note.id }).links.map((l) => l.entry.id).sort()).toEqual([jdoe.id, grace.id].sort());
  });

  it('renaming a person through their title renames the person: a mention of the new name finds them', () => {
    const { svc, create } = setup();
    const ann = create({ kind: 'person', person: { name: 'Ann Lee' } });
    const renamed = svc.update({ id: ann.id, title: 'Ann Smith' });
    expect(renamed).toMatchObject({ title: 'Ann Smith', person: { name: 'Ann Smith' } });
    const note = create({ body: 'Lunch with @[Ann Smith]' });
    expect(svc.get({ id: note.id }).links.map((l) => l.entry.id)).toEqual([ann.id]);
    expect(svc.list({ kind: 'person', limit: 50 }).items).toHaveLength(1);
    expect(() => svc.update({ id: ann.id, title: '' })).toThrow('title: Name is empty');
  });
});

describe('editing a bookmark', () => {
  it('is referred to by the entries that cited its address before it was saved, and only by those citing its address now', () => {
    const { svc, create } = setup();
    const before = create({ body: 'Read http://www.example.com/post/?utm_source=feed today' });
    const other = create({ body: 'Another page: https://example.com/other' });
    const mentionsHost = create({ body: 'example.com post mortem, no address here' });
    const b = create({ kind: 'bookmark', bookmark: { url: 'https://example.com/post' } });
    const backlinks = () => svc.get({ id: b.id }).backlinks.map((l) => l.entry.id).sort();
    expect(backlinks()).toEqual([before.id]);
    const after = create({ body: 'again https://example.com/post' });
    expect(backlinks()).toEqual([before.id, after.id].sort());
    // Moved to another address: the entries citing the old one no longer refer to it; those citing the new one do.
    svc.update(EntryUpdateInput.parse({ id: b.id, bookmark: { url: 'https://example.com/other' } }));
    expect(backlinks()).toEqual([other.id]);
    expect(svc.get({ id: before.id }).links).toEqual([]);
    expect(svc.get({ id: mentionsHost.id }).links).toEqual([]);
  });

  it('refuses an address too long as stored, so every bookmark saved exports and imports back', () => {
    const core = openCore({ dataDir: tempDir() });
    const create = (url: string) => core.services.entries.create(EntryCreateInput.parse({ kind: 'bookmark', bookmark: { url } }));
    // 3,000 é in a path: within the input's limit as typed, 18,000 characters percent-encoded.
    expect(() => create(`https://example.com/${'é'.repeat(3_000)}`)).toThrow(/too long: 18,0\d\d characters written out in full, at most 8,192/);
    expect(() => create(`https://${'a'.repeat(600)}.example.com/`)).toThrow(/host name is too long: 612 characters, at most 500/);
    const b = create(`https://example.com/${'é'.repeat(1_000)}`);
    expect(() => core.services.entries.update(EntryUpdateInput.parse({ id: b.id, bookmark: { url: `https://example.com/${'é'.repeat(3_000)}` } }))).toThrow(/too long/);
    expect(parseJournalExport(JSON.parse(JSON.stringify(core.services.journal.exportJournal()))).success).toBe(true);
    core.close();
  });

  it("drops the notes its text no longer holds, and a title that was its address follows a new address", () => {
    const { svc, create } = setup();
    const url = 'https://b.example/p';
    const b = create({ kind: 'bookmark', bookmark: { url }, body: 'first note' });
    create({ kind: 'bookmark', bookmark: { url }, body: 'second note' });
    expect(svc.get({ id: b.id }).entry).toMatchObject({ bookmark: { notes: ['first note', 'second note'] } });
    const edited = svc.update({ id: b.id, body: 'rewritten entirely, but the second note stays' });
    expect(edited).toMatchObject({ bookmark: { notes: ['second note'] } });
    const moved = svc.update({ id: b.id, bookmark: { url: 'https://new.other.org/q' } });
    expect(moved.title).toBe('https://new.other.org/q');
    // A title of its own stays.
    svc.update({ id: b.id, title: 'My reading' });
    expect(svc.update({ id: b.id, bookmark: { url: 'https://third.example/' } }).title).toBe('My reading');
  });

  it('gives a cleared title back its address, as a bookmark saved without a title has', () => {
    const { svc, create } = setup();
    const b = create({ kind: 'bookmark', bookmark: { url: 'https://example.com/b' }, title: 'Nice page' });
    expect(svc.update({ id: b.id, title: '' }).title).toBe('https://example.com/b');
    svc.update({ id: b.id, title: 'Nice page' });
    expect(svc.update({ id: b.id, title: ' ', bookmark: { url: 'https://example.com/c' } }).title).toBe('https://example.com/c');
  });
});

describe('emptying an entry', () => {
  it('refuses an edit that leaves a note with no text, unless it has a title of its own', () => {
    const { svc, create } = setup();
    const derived = create({ body: 'planning #work' });
    expect(() => svc.update({ id: derived.id, body: '' })).toThrow('body: an entry needs some text (a title or a body)');
    expect(svc.get({ id: derived.id }).entry).toEqual(derived);
    const titled = create({ title: 'Offsite', body: 'agenda' });
    expect(svc.update({ id: titled.id, body: '' })).toMatchObject({ title: 'Offsite', body: '' });
  });
});

describe('restoring a revision', () => {
  it('checks its fields against the entry’s kind, and reads a bookmark’s address again, before writing anything', () => {
    const { db, svc, create } = setup();
    const b = create({ kind: 'bookmark', bookmark: { url: 'https://b.example/p' }, body: 'kept' });
    const q = create({ kind: 'question', body: 'why?' });
    // Revisions as a journal may hold them from before imports checked them.
    const addRevision = (id: string, fields: unknown) =>
      Number(db.prepare('INSERT INTO revisions (entry_rowid, saved_at, title, body, tags, fields) SELECT rowid, 1, title, body, tags, ? FROM entries WHERE id = ?').run(JSON.stringify(fields), id).lastInsertRowid);
    const evil = addRevision(b.id, { evil: 1 });
    const script = addRevision(b.id, { url: 'javascript:alert(1)', urlNormalized: 'x', site: '<script>', excerpt: '', notes: [] });
    const pending = addRevision(q.id, { status: 'pending', askedBy: '', answer: '', closedAt: null });
    expect(() => svc.restoreRevision({ id: b.id, revisionId: evil })).toThrow(/^This revision cannot be restored: its fields\.url is not valid/);
    expect(() => svc.restoreRevision({ id: b.id, revisionId: script })).toThrow(/^Not a web address: javascript:alert\(1\)/);
    expect(() => svc.restoreRevision({ id: q.id, revisionId: pending })).toThrow(/^This revision cannot be restored: its fields\.status is not valid/);
    expect(svc.get({ id: b.id }).entry).toEqual(b);
    expect(svc.get({ id: q.id }).entry).toEqual(q);
    // A good one, with its address written loosely, is read as a save reads it.
    const good = addRevision(b.id, { url: 'HTTPS://Old.Example/a?utm_source=x', urlNormalized: 'whatever', site: 'whatever', excerpt: 'was', notes: [] });
    expect(svc.restoreRevision({ id: b.id, revisionId: good })).toMatchObject({ bookmark: { url: 'https://old.example/a?utm_source=x', site: 'old.example', excerpt: 'was' } });
  });
});

describe('editing an entry that links to people', () => {
  const people = (svc: ReturnType<typeof setup>['svc']) => svc.list({ kind: 'person', limit: 50 }).items.map((p) => p.title).sort();
  const backlinks = (svc: ReturnType<typeof setup>['svc'], id: string) => svc.get({ id }).backlinks.map((l) => `${l.type} ${l.entry.id}`);

  it('keeps a mention with a person renamed since: no new person is made from the old name', () => {
    const { svc, create } = setup();
    const note = create({ body: 'Lunch with @Rogier about #summit' });
    const rogier = svc.get({ id: note.id }).links[0]!.entry.id;
    svc.update({ id: rogier, person: { name: 'Rogier Smit' } });
    svc.update({ id: note.id, body: 'Lunch with @Rogier about #summit (great)' });
    expect(people(svc)).toEqual(['Rogier Smit']);
    expect(backlinks(svc, rogier)).toEqual([`mentions ${note.id}`]);
    // Restoring the revision that mentions them keeps the person too.
    const [before] = svc.history({ id: note.id });
    svc.restoreRevision({ id: note.id, revisionId: before!.id });
    expect(people(svc)).toEqual(['Rogier Smit']);
    expect(backlinks(svc, rogier)).toEqual([`mentions ${note.id}`]);
  });

  it('links a restored revision\'s mention to the person it named then, renamed since, even once the text had dropped it', () => {
    const { svc, create } = setup();
    const note = create({ body: 'Lunch with @Rogier about #summit' });
    const rogier = svc.get({ id: note.id }).links[0]!.entry.id;
    svc.update({ id: rogier, person: { name: 'Rogier de Vries' } });
    svc.update({ id: note.id, body: 'Lunch about #summit' }); // the mention gone, and its link with it
    expect(backlinks(svc, rogier)).toEqual([]);
    const [mentioning] = svc.history({ id: note.id });
    svc.restoreRevision({ id: note.id, revisionId: mentioning!.id });
    expect(people(svc)).toEqual(['Rogier de Vries']);
    expect(backlinks(svc, rogier)).toEqual([`mentions ${note.id}`]);
    // A name no one ever had still makes its person, as any save does.
    const other = create({ body: 'Coffee with @Mira' });
    svc.update({ id: other.id, body: 'Coffee alone' });
    const mira = svc.list({ kind: 'person', limit: 50 }).items.find((p) => p.title === 'Mira')!;
    svc.purge({ id: (svc.trash({ id: mira.id }), mira.id) });
    svc.restoreRevision({ id: other.id, revisionId: svc.history({ id: other.id })[0]!.id });
    expect(people(svc)).toEqual(['Mira', 'Rogier de Vries']);
  });

  it('keeps a mention of a person in the trash, who has it back when restored', () => {
    const { svc, create } = setup();
    const ada = create({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['ada'] } });
    const note = create({ body: 'Asked @ada about #compilers' });
    svc.trash({ id: ada.id });
    svc.update({ id: note.id, tags: ['compilers', 'followup'] });
    expect(people(svc)).toEqual([]); // no live "ada" made while she is away
    svc.restore({ id: ada.id });
    expect(people(svc)).toEqual(['Ada Lovelace']);
    expect(backlinks(svc, ada.id)).toEqual([`mentions ${note.id}`]);
  });

  it('keeps the recommender of a person edited after the recommender was renamed', () => {
    const { svc, create } = setup();
    const ada = create({ kind: 'person', person: { name: 'Ada', recommendedBy: 'Grace' } });
    const grace = svc.get({ id: ada.id }).links[0]!.entry.id;
    svc.update({ id: grace, person: { name: 'Grace Hopper' } });
    svc.update({ id: ada.id, person: { role: 'Engineer' } });
    expect(people(svc)).toEqual(['Ada', 'Grace Hopper']);
    expect(backlinks(svc, grace)).toEqual([`recommended-by ${ada.id}`]);
  });

  it('links a mention added by the edit, or one whose name changed, by the name as a new note would', () => {
    const { svc, create } = setup();
    const note = create({ body: 'Lunch with @Rogier' });
    const rogier = svc.get({ id: note.id }).links[0]!.entry.id;
    svc.update({ id: rogier, person: { name: 'Rogier Smit' } });
    const edited = svc.update({ id: note.id, body: 'Lunch with @Rogier and @Ann, then @[Rogier Smit] again' });
    expect(people(svc)).toEqual(['Ann', 'Rogier Smit']);
    expect(svc.get({ id: edited.id }).links.map((l) => l.entry.title).sort()).toEqual(['Ann', 'Rogier Smit']);
  });
});

describe('saving a person a note already mentioned', () => {
  it('takes over the person the mention made: one person, whose page shows every entry that mentions them', () => {
    const { svc, create } = setup();
    const asked = create({ body: 'Asked @Rogier about the #summit agenda' });
    const stub = svc.get({ id: asked.id }).links[0]!.entry.id;
    const rogier = create({ kind: 'person', person: { name: 'Rogier', topics: ['working out loud'], role: 'Speaker' }, source: 'cli' });
    const followUp = create({ body: 'Follow up with @Rogier on slides' });
    expect(rogier).toMatchObject({ id: stub, source: 'cli', person: { name: 'Rogier', role: 'Speaker', topics: ['working out loud'] } });
    expect(svc.list({ kind: 'person', limit: 50 }).items.map((p) => p.id)).toEqual([stub]);
    expect(svc.get({ id: stub }).backlinks.map((l) => l.entry.id).sort()).toEqual([asked.id, followUp.id].sort());
  });

  it('by an alias too, but leaves alone a person the user gave anything more than a name', () => {
    const { svc, create } = setup();
    const asked = create({ body: 'Asked @ada about engines' });
    const ada = create({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['ada'] } });
    expect(svc.get({ id: asked.id }).links.map((l) => l.entry.id)).toEqual([ada.id]);
    expect(svc.list({ kind: 'person', limit: 50 }).items.map((p) => p.title)).toEqual(['Ada Lovelace']);
    // Ada is no stub (she has an alias the user gave): a second Ada Lovelace is someone else, added
    // only when the caller says so (allowSameName).
    expect(() => create({ kind: 'person', person: { name: 'Ada Lovelace' } })).toThrow(OutloudError);
    const second = create({ kind: 'person', person: { name: 'Ada Lovelace' }, allowSameName: true });
    expect(second.id).not.toBe(ada.id);
    expect(svc.list({ kind: 'person', limit: 50 }).items).toHaveLength(2);
  });
});

describe('adding a person who is in the journal already', () => {
  it('refuses a name or an alias a live person has, naming them, and changes nothing', () => {
    const { db, create } = setup();
    const ada = create({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['@countess'], role: 'Analyst' } });
    const state = () => JSON.stringify(db.prepare('SELECT * FROM entries ORDER BY rowid').all());
    const before = state();
    const refused = (person: { name: string; aliases?: string[]; role?: string }) => {
      try {
        create({ kind: 'person', person });
      } catch (error) {
        expect(error).toBeInstanceOf(OutloudError);
        expect((error as OutloudError).toApiError()).toMatchObject({ code: 'CONFLICT', entryId: ada.id });
        return (error as Error).message;
      }
      throw new Error(`${JSON.stringify(person)} was added`);
    };
    const again = 'is already in your journal; add them again as another person only if this is someone else of the same name.';
    expect(refused({ name: 'Ada Lovelace', role: 'Mathematician' })).toBe(`Ada Lovelace ${again}`);
    // Names compare as mentions match them: case, accents and spacing aside.
    expect(refused({ name: '  ada  LOVELACE ' })).toBe(`Ada Lovelace ${again}`);
    expect(refused({ name: 'Ada Lóvelace' })).toBe(`Ada Lovelace ${again}`);
    expect(refused({ name: 'AdaLovelace' })).toBe(`Ada Lovelace ${again}`);
    // Her alias as a name, or her name as an alias.
    expect(refused({ name: 'Countess' })).toBe(`Countess (a name of Ada Lovelace) ${again}`);
    expect(refused({ name: 'Augusta Ada King', aliases: ['Ada Lovelace'] })).toBe(`Ada Lovelace ${again}`);
    expect(state()).toBe(before);
  });

  it('adds someone else of the same name when told to, and anyone whose namesake is in the trash', () => {
    const { svc, create } = setup();
    const first = create({ kind: 'person', person: { name: 'John Smith', organisation: 'Acme' } });
    const second = create({ kind: 'person', person: { name: 'John Smith', organisation: 'Initech' }, allowSameName: true });
    expect(second.id).not.toBe(first.id);
    // Mentions still go to the first, the oldest of that name.
    const note = create({ body: 'Call @[John Smith] about the invoice' });
    expect(svc.get({ id: note.id }).links.map((l) => l.entry.id)).toEqual([first.id]);
    svc.trash({ id: first.id });
    svc.trash({ id: second.id });
    const third = create({ kind: 'person', person: { name: 'John Smith' } });
    expect([first.id, second.id]).not.toContain(third.id);
    // A different name is no namesake, however close.
    expect(create({ kind: 'person', person: { name: 'Jon Smith' } }).title).toBe('Jon Smith');
  });

  it('refuses renaming a person to a name another has, unless told to; a person who shares a name is still edited', () => {
    const { svc, create } = setup();
    const ada = create({ kind: 'person', person: { name: 'Ada Lovelace' } });
    const grace = create({ kind: 'person', person: { name: 'Grace Hopper', aliases: ['amazing grace'] } });
    const update = (input: Record<string, unknown>) => svc.update(EntryUpdateInput.parse({ id: grace.id, ...input }));
    const conflict = (input: Record<string, unknown>) => {
      try {
        update(input);
      } catch (error) {
        return (error as OutloudError).toApiError();
      }
      throw new Error('updated');
    };
    const taken = { code: 'CONFLICT', message: 'Ada Lovelace is already in your journal; keep the name only if this is someone else of the same name.', entryId: ada.id };
    expect(conflict({ person: { name: 'Ada Lovelace' } })).toEqual(taken);
    expect(conflict({ title: 'ada lovelace' })).toEqual(taken);
    expect(conflict({ person: { aliases: ['amazing grace', 'Ada Lovelace'] } })).toEqual(taken);
    expect(svc.get({ id: grace.id }).entry.title).toBe('Grace Hopper');
    // Her own names, kept or dropped, are no conflict; nor is anything else about her.
    expect(update({ person: { name: 'Grace Brewster Hopper', aliases: ['Grace Hopper'], role: 'Rear admiral' } }).title).toBe('Grace Brewster Hopper');
    // Told to: two people of one name, each still editable on its own.
    expect(update({ person: { name: 'Ada Lovelace' }, allowSameName: true }).title).toBe('Ada Lovelace');
    update({ person: { role: 'Programmer' } });
    expect(svc.get({ id: grace.id }).entry).toMatchObject({ person: { name: 'Ada Lovelace', role: 'Programmer' } });
    expect(svc.update(EntryUpdateInput.parse({ id: ada.id, person: { topics: ['engines'] } })).title).toBe('Ada Lovelace');
  });

  it('fills in a person a note made by mentioning them, as before, unless another of their names is taken', () => {
    const { svc, create } = setup();
    const note = create({ body: 'Asked @[Grace Hopper] about compilers, and @grace too' });
    const grace = create({ kind: 'person', person: { name: 'Grace Hopper', role: 'Rear admiral' } });
    expect(svc.get({ id: note.id }).links.map((l) => l.entry.title).sort()).toEqual(['Grace Hopper', 'grace']);
    expect(svc.list({ kind: 'person', limit: 10 }).items.map((p) => p.title).sort()).toEqual(['Grace Hopper', 'grace']);
    // `@grace` made a person of its own; filling it in with Grace Hopper's name as an alias would
    // give two people one name.
    expect(() => create({ kind: 'person', person: { name: 'Grace', aliases: ['Grace Hopper'] } })).toThrow('Grace Hopper is already in your journal');
    expect(grace.id).toBe(svc.get({ id: note.id }).links.find((l) => l.entry.title === 'Grace Hopper')!.entry.id);
    const filled = create({ kind: 'person', person: { name: 'Grace', aliases: ['gracie'] } });
    expect(svc.list({ kind: 'person', limit: 10 }).items.map((p) => p.id).sort()).toEqual([grace.id, filled.id].sort());
  });
});

describe('purging a person', () => {
  it('takes their names out of what the entries that mentioned them are found by', () => {
    const { db, svc, create } = setup();
    const found = (q: string) => createSearchService(db).query(SearchQueryInput.parse({ q })).hits.map((h) => h.entry.id);
    const ada = create({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['ada'] } });
    const note = create({ body: 'Asked @ada about engines' });
    const recommended = create({ kind: 'person', person: { name: 'Charles', recommendedBy: 'ada' } });
    expect(found('lovelace').sort()).toEqual([ada.id, note.id, recommended.id].sort());
    svc.trash({ id: ada.id });
    svc.purge({ id: ada.id });
    expect(found('lovelace')).toEqual([]);
    expect(found('engines')).toEqual([note.id]);
    expect(() => db.exec("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });
});

describe('clearing a question’s answer', () => {
  it('makes an answered question open again, unless a status is given; a closed one stays closed', () => {
    const { svc, create } = setup();
    const status = (e: ReturnType<typeof svc.update>) => (e.kind === 'question' ? e.question.status : e.kind);
    const q = create({ kind: 'question', body: 'How do we shard the #index?' });
    expect(status(svc.update({ id: q.id, question: { answer: 'Use a hash ring' } }))).toBe('answered');
    expect(status(svc.update({ id: q.id, question: { answer: '' } }))).toBe('open');
    svc.update({ id: q.id, question: { answer: 'Use a hash ring' } });
    expect(status(svc.update({ id: q.id, question: { answer: '', status: 'answered' } }))).toBe('answered');
    svc.update({ id: q.id, question: { answer: 'Use a hash ring', status: 'closed' } });
    expect(status(svc.update({ id: q.id, question: { answer: '' } }))).toBe('closed');
  });
});

describe('times of an entry whose last save is dated ahead of the clock', () => {
  const YEAR = 365 * 24 * 3600_000;

  it('dates a question closed and an entry moved to the trash by the clock, not after its skewed save', () => {
    const { db, svc, create } = setup();
    const q = create({ kind: 'question', body: 'Who owns the build?' });
    const note = create({ body: 'a note' });
    // Both last saved on a machine a year ahead (an import keeps those times).
    db.prepare('UPDATE entries SET updated_at = updated_at + ? WHERE id IN (?, ?)').run(YEAR, q.id, note.id);
    const skewed = svc.get({ id: note.id }).entry.updatedAt;
    const closed = svc.update({ id: q.id, question: { status: 'closed' } });
    expect(closed.kind === 'question' && closed.question.closedAt).toBeLessThan(q.createdAt + 60_000);
    expect(closed.updatedAt).toBeGreaterThan(q.createdAt + YEAR); // still after the last save: a stale editor is caught
    const trashed = svc.trash({ id: note.id });
    expect(trashed.deletedAt).toBeLessThan(note.createdAt + 60_000);
    expect(trashed.updatedAt).toBeGreaterThan(skewed);
  });

  it('tells when the text was edited apart from a move to the trash and back', () => {
    const { svc, create } = setup();
    const note = create({ body: 'first text' });
    svc.trash({ id: note.id });
    svc.restore({ id: note.id });
    const restored = svc.get({ id: note.id });
    expect(restored.entry.updatedAt).toBeGreaterThan(note.updatedAt);
    expect(restored.editedAt).toBeNull();
    const edited = svc.update({ id: note.id, body: 'second text' });
    expect(svc.get({ id: note.id }).editedAt).toBe(edited.updatedAt);
    svc.trash({ id: note.id });
    svc.restore({ id: note.id });
    expect(svc.get({ id: note.id }).editedAt).toBe(edited.updatedAt);
  });

  it('refuses a checked edit of an entry dated at the last time the journal holds, which no later save could be told from', () => {
    const { db, svc, create } = setup();
    const note = create({ body: 'from the far future' });
    db.prepare('UPDATE entries SET updated_at = ? WHERE id = ?').run(LATEST_TIME, note.id);
    // Two editors opened it at that time; before, both saves went through and the second overwrote the first.
    expect(() => svc.update({ id: note.id, body: 'editor A', expectedUpdatedAt: LATEST_TIME })).toThrow(/end of the time the journal can hold/);
    expect(svc.get({ id: note.id }).entry.body).toBe('from the far future');
    // Without the check (outloud edit --body), the text is saved.
    expect(svc.update({ id: note.id, body: 'saved anyway' }).body).toBe('saved anyway');
  });
});

describe('editing a person others mention', () => {
  /** The database, counting how often the entries that mention someone are looked up (refreshMentioners). */
  function counting(db: ReturnType<typeof openDatabase>) {
    let lookups = 0;
    const proxy = new Proxy(db, {
      get(target, key) {
        if (key === 'prepare') {
          return (sql: string) => {
            const statement = target.prepare(sql);
            if (!sql.startsWith('SELECT DISTINCT from_rowid FROM links WHERE to_rowid')) return statement;
            return new Proxy(statement, {
              get: (s, k) => (k === 'all' ? (...args: unknown[]) => (lookups++, (s.all as (...a: unknown[]) => unknown)(...args)) : Reflect.get(s, k, s)),
            });
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { db: proxy, lookups: () => lookups };
  }

  it('indexes the mentioning entries again only when a name or alias changed', () => {
    const raw = openDatabase(path.join(tempDir(), 'outloud.sqlite'));
    const { db, lookups } = counting(raw);
    const svc = createEntriesService(db);
    const create = (input: Record<string, unknown>) => svc.create(EntryCreateInput.parse(input));
    const rogier = create({ kind: 'person', person: { name: 'Rogier Smit' } });
    for (let i = 0; i < 20; i++) create({ body: `Call ${i} with @[Rogier Smit]` });
    const before = lookups();
    svc.update(EntryUpdateInput.parse({ id: rogier.id, person: { role: 'Editor', topics: ['publishing'] } }));
    expect(lookups()).toBe(before);
    svc.update(EntryUpdateInput.parse({ id: rogier.id, person: { aliases: ['rs'] } }));
    expect(lookups()).toBe(before + 1);
    // What a rename must still do: the notes are found by the new name.
    svc.update(EntryUpdateInput.parse({ id: rogier.id, person: { name: 'Rogier de Vries' } }));
    const search = createSearchService(raw);
    expect(search.query(SearchQueryInput.parse({ q: 'vries call', limit: 50 })).total).toBe(20);
    expect(search.query(SearchQueryInput.parse({ q: 'rs call', limit: 50 })).total).toBe(20);
  });
});

describe('renaming, aliasing or purging a person many entries mention', () => {
  const MENTIONS = 600;
  const parse = (input: Record<string, unknown>) => EntryCreateInput.parse(input);

  /**
   * A journal where MENTIONS notes mention Ada by her alias (`@ada`: only the index's people column,
   * not their text, says "Lovelace"); a tenth of them mention Charles too, a tenth have text the index
   * is given folded (København), a tenth Chinese (also folded); Charles, whom she recommended; and one
   * mentioning note in the trash.
   */
  function journal() {
    let clock = Date.UTC(2014, 4, 1);
    const core = openCore({ dataDir: tempDir(), now: () => (clock += 1000) });
    const { entries } = core.services;
    const ada = entries.create(parse({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['ada'] } }));
    entries.create(parse({ kind: 'person', person: { name: 'Charles Babbage', aliases: ['charles'], recommendedBy: 'ada' } }));
    const bodies = [(i: number) => `Engine ${i}, asked @ada`, (i: number) => `Engine ${i}: @ada and @charles`, (i: number) => `Engine ${i} in København with @ada`, (i: number) => `Engine ${i} 北京 @ada`];
    const notes = entries.createMany(Array.from({ length: MENTIONS }, (_, i) => parse({ body: bodies[i % 10 < 4 ? i % 10 : 0]!(i) })));
    const trashed = notes[5]!;
    entries.trash({ id: trashed.id });
    /** How many live entries a search finds (exact below 1,000). */
    const found = (q: string) => createSearchService(core.db).query(SearchQueryInput.parse({ q, limit: 1 })).total;
    const rename = (person: Record<string, unknown>) => entries.update(EntryUpdateInput.parse({ id: ada.id, person }));
    const failedChecks = async () => (await core.services.journal.doctor()).checks.filter((c) => !c.ok);
    return { core, entries, ada, trashed, found, rename, failedChecks };
  }

  it('a rename: every entry that mentions them is found by the new name and none by the old, the trash too once restored', async () => {
    const { entries, trashed, found, rename, failedChecks } = journal();
    // The live notes, Ada herself and Charles (recommended by her).
    expect(found('lovelace')).toBe(MENTIONS + 1);
    rename({ name: 'Augusta Ada King' });
    expect(found('lovelace')).toBe(0);
    expect(found('augusta')).toBe(MENTIONS + 1);
    expect(found('engine augusta')).toBe(MENTIONS - 1);
    expect(found('kobenhavn augusta')).toBe(MENTIONS / 10);
    expect(found('北京 augusta')).toBe(MENTIONS / 10);
    expect(found('babbage augusta')).toBe(MENTIONS / 10 + 1); // a note's other people stay
    expect(await failedChecks()).toEqual([]);
    entries.restore({ id: trashed.id });
    expect(found('augusta')).toBe(MENTIONS + 2);
    expect(found('lovelace')).toBe(0);
    // A name the index is given folded, and back to one it is not: each row's folded copy follows.
    rename({ name: 'Ada Bjørnsdóttir' });
    expect(found('bjornsdottir')).toBe(MENTIONS + 2);
    expect(found('augusta')).toBe(0);
    expect(await failedChecks()).toEqual([]);
    rename({ name: 'Ada King' });
    expect(found('bjornsdottir')).toBe(0);
    expect(found('king engine')).toBe(MENTIONS);
    expect(await failedChecks()).toEqual([]);
  });

  it('an alias added is found in every entry that mentions them, with their name; one taken away in none', async () => {
    const { found, rename, failedChecks } = journal();
    rename({ aliases: ['ada', 'countess'] });
    expect(found('countess')).toBe(MENTIONS + 1);
    expect(found('lovelace')).toBe(MENTIONS + 1);
    expect(await failedChecks()).toEqual([]);
    rename({ aliases: ['ada'] });
    expect(found('countess')).toBe(0);
    expect(found('lovelace engine')).toBe(MENTIONS - 1);
    expect(await failedChecks()).toEqual([]);
  });

  it('a purge: no entry is found by their names any more, each still by its own text and its other people', async () => {
    const { entries, ada, trashed, found, failedChecks } = journal();
    expect(found('babbage')).toBe(MENTIONS / 10 + 1);
    entries.trash({ id: ada.id });
    entries.purge({ id: ada.id });
    expect(found('lovelace')).toBe(0);
    expect(found('engine')).toBe(MENTIONS - 1);
    expect(found('babbage')).toBe(MENTIONS / 10 + 1);
    expect(await failedChecks()).toEqual([]);
    entries.restore({ id: trashed.id });
    expect(found('lovelace')).toBe(0);
    expect(found('engine')).toBe(MENTIONS);
  });

  it('moves their index entries in as many statements for 400 mentions as for 10: none a mentioning entry', () => {
    /** Statements run while Ada is renamed, with `mentions` notes mentioning her. */
    const statementsFor = (mentions: number) => {
      const raw = openDatabase(path.join(tempDir(), 'outloud.sqlite'));
      let runs = 0;
      const db = new Proxy(raw, {
        get(target, key) {
          if (key === 'prepare') {
            return (sql: string) =>
              new Proxy(target.prepare(sql), {
                get: (s, k) => {
                  const value = Reflect.get(s, k, s) as unknown;
                  if (typeof value !== 'function') return value;
                  return (...args: unknown[]) => {
                    if (k === 'run' || k === 'get' || k === 'all' || k === 'iterate') runs++;
                    return (value as (...a: unknown[]) => unknown).apply(s, args);
                  };
                },
              });
          }
          const value = Reflect.get(target, key, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const svc = createEntriesService(db);
      const ada = svc.create(parse({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['ada'] } }));
      svc.createMany(Array.from({ length: mentions }, (_, i) => parse({ body: `Engine ${i}, asked @ada` })));
      const before = runs;
      svc.update(EntryUpdateInput.parse({ id: ada.id, person: { name: 'Augusta Ada King' } }));
      expect(createSearchService(raw).query(SearchQueryInput.parse({ q: 'augusta engine' })).total).toBe(mentions);
      return runs - before;
    };
    expect(statementsFor(400)).toBe(statementsFor(10));
  });
});

describe('an entry that answers a question (answerOf: an answer-of link)', () => {
  const update = (svc: ReturnType<typeof setup>['svc'], input: Record<string, unknown>) => svc.update(EntryUpdateInput.parse(input));
  const status = (svc: ReturnType<typeof setup>['svc'], id: string) => {
    const e = svc.get({ id }).entry;
    return e.kind === 'question' ? e.question.status : e.kind;
  };

  it('links the answer to the question, and an open question becomes answered (with a revision), shown as links both ways', () => {
    const { svc, create } = setup();
    const q = create({ kind: 'question', body: 'Can the workshop take 30 people?' });
    const note = create({ body: 'The venue says the second room seats 30 #summit', answerOf: q.id });
    expect(svc.get({ id: note.id }).links).toEqual([expect.objectContaining({ type: 'answer-of', entry: expect.objectContaining({ id: q.id, kind: 'question' }) })]);
    const question = svc.get({ id: q.id });
    expect(question.backlinks).toEqual([expect.objectContaining({ type: 'answer-of', entry: expect.objectContaining({ id: note.id }) })]);
    expect(question.entry).toMatchObject({ question: { status: 'answered', answer: '', closedAt: null } });
    expect(question.revisionCount).toBe(1);
    // The answer itself is saved as it was given.
    expect(svc.get({ id: note.id }).entry).toMatchObject({ body: 'The venue says the second room seats 30 #summit', tags: ['summit'] });
  });

  it('an edit links, moves or removes the answer; a closed or answered question keeps its status', () => {
    const { svc, create } = setup();
    const open = create({ kind: 'question', body: 'Open one?' });
    const closed = create({ kind: 'question', body: 'Closed one?', question: { status: 'closed' } });
    const bookmark = create({ kind: 'bookmark', bookmark: { url: 'https://example.org/answer' } });
    const before = svc.get({ id: bookmark.id }).entry.updatedAt;
    update(svc, { id: bookmark.id, answerOf: closed.id });
    expect(status(svc, closed.id)).toBe('closed');
    expect(svc.get({ id: closed.id }).revisionCount).toBe(0);
    update(svc, { id: bookmark.id, answerOf: open.id });
    expect(svc.get({ id: bookmark.id }).links.map((l) => [l.type, l.entry.id])).toEqual([['answer-of', open.id]]);
    expect(status(svc, open.id)).toBe('answered');
    // Linking again changes nothing; taking the link away leaves the status as it is.
    update(svc, { id: bookmark.id, answerOf: open.id });
    expect(svc.get({ id: open.id }).revisionCount).toBe(1);
    update(svc, { id: bookmark.id, answerOf: null });
    expect(svc.get({ id: bookmark.id }).links).toEqual([]);
    expect(status(svc, open.id)).toBe('answered');
    // The bookmark itself was never changed by its links.
    expect(svc.get({ id: bookmark.id }).entry.updatedAt).toBe(before);
  });

  it('a person can be the answer; a bulk create links its answers, to questions of the same call too', () => {
    const { svc } = setup();
    const [q, ada] = svc.createMany([
      EntryCreateInput.parse({ kind: 'question', body: 'Who knows the old billing code?' }),
      EntryCreateInput.parse({ kind: 'person', person: { name: 'Ada' } }),
    ]);
    const [, answer] = svc.createMany([
      EntryCreateInput.parse({ kind: 'question', body: 'Another question' }),
      EntryCreateInput.parse({ body: 'Ada wrote it in 2009', answerOf: q!.id }),
    ]);
    update(svc, { id: ada!.id, answerOf: q!.id });
    expect(svc.get({ id: q!.id }).backlinks.map((l) => l.entry.id).sort()).toEqual([ada!.id, answer!.id].sort());
    expect(status(svc, q!.id)).toBe('answered');
  });

  it('refuses what is not a live question, a question as the answer, and changes nothing', () => {
    const { db, svc, create } = setup();
    const note = create({ body: 'just a note' });
    const q = create({ kind: 'question', body: 'Gone?' });
    svc.trash({ id: q.id });
    const q2 = create({ kind: 'question', body: 'Here?' });
    const snapshot = () => JSON.stringify([db.prepare('SELECT * FROM entries ORDER BY rowid').all(), db.prepare('SELECT * FROM links ORDER BY 1, 2, 3').all()]);
    const before = snapshot();
    const refused = (fn: () => unknown, code: string, message: RegExp) => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OutloudError);
      expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    };
    refused(() => create({ body: 'an answer', answerOf: 'nosuchid0000000' }), 'NOT_FOUND', /^answerOf: no question with id nosuchid0000000$/);
    refused(() => create({ body: 'an answer', answerOf: note.id }), 'VALIDATION', new RegExp(`^answerOf: ${note.id} is a note, not a question$`));
    refused(() => create({ body: 'an answer', answerOf: q.id }), 'VALIDATION', /is in the trash; restore it first$/);
    refused(() => update(svc, { id: q2.id, answerOf: q2.id }), 'VALIDATION', /^answerOf: a question cannot be the answer to a question$/);
    refused(() => update(svc, { id: note.id, body: 'edited too', answerOf: note.id }), 'VALIDATION', /is a note, not a question/);
    expect(() => EntryCreateInput.parse({ kind: 'question', body: 'x', answerOf: q2.id })).toThrow(/a question cannot be the answer to a question/);
    expect(snapshot()).toBe(before);
  });
});

describe('lists by name and facet counts (entries.list order, entries.facets)', () => {
  const parseList = (input: Record<string, unknown>) => EntryListInput.parse(input);
  const parseFacets = (input: Record<string, unknown>) => EntryFacetsInput.parse(input);
  /** Every person's name, by name, read two to a page (so the cursor is crossed). */
  const namesByName = (svc: ReturnType<typeof setup>['svc']): string[] => {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = svc.list(parseList({ kind: 'person', order: 'name', limit: 2, ...(cursor ? { cursor } : {}) }));
      names.push(...page.items.map((e) => e.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return names;
  };

  it('pages through every person by name, A to Z, whatever order they were added in', () => {
    const { svc, create } = setup();
    for (const name of ['Bas Bosman', 'ada Bakker', 'Zoë Zwart', 'Carl Cox', 'Ada Beek']) create({ kind: 'person', person: { name } });
    const names = namesByName(svc);
    expect(names).toEqual(['ada Bakker', 'Ada Beek', 'Bas Bosman', 'Carl Cox', 'Zoë Zwart']);
    // The default order is still newest first.
    expect(svc.list(parseList({ kind: 'person', limit: 1 })).items[0]!.title).toBe('Ada Beek');
  });

  it('sorts names as a reader does, whatever their accents and letters: Émile among the E’s, Łukasz among the L’s', () => {
    const { svc, create } = setup();
    for (const name of ['Zoë Zwart', 'Émile Zola', 'Łukasz Nowak', 'Øystein Berg', 'anna Smith', 'Ángel Ruiz', 'Bob', 'Straße Kai', 'Strand Ida']) create({ kind: 'person', person: { name } });
    const names = namesByName(svc);
    expect(names).toEqual(['Ángel Ruiz', 'anna Smith', 'Bob', 'Émile Zola', 'Łukasz Nowak', 'Øystein Berg', 'Strand Ida', 'Straße Kai', 'Zoë Zwart']);
  });

  it('refuses a name cursor whose entry is gone, and a date cursor given for a list by name', () => {
    const { svc, create } = setup();
    const a = create({ kind: 'person', person: { name: 'Ann' } });
    create({ kind: 'person', person: { name: 'Bob' } });
    const first = svc.list(parseList({ kind: 'person', order: 'name', limit: 1 }));
    expect(first.items[0]!.id).toBe(a.id);
    svc.trash({ id: a.id });
    svc.purge({ id: a.id });
    expect(() => svc.list(parseList({ kind: 'person', order: 'name', limit: 1, cursor: first.nextCursor! }))).toThrow(/start again/);
    const byDate = svc.list(parseList({ kind: 'person', limit: 1 })).nextCursor;
    create({ kind: 'person', person: { name: 'Cy' } });
    expect(() => svc.list(parseList({ kind: 'person', order: 'name', limit: 1, cursor: byDate ?? 'x' }))).toThrow(/cursor/);
  });

  it('counts questions by status over the whole journal, the trash left out', () => {
    const { svc, create } = setup();
    const made = Array.from({ length: 7 }, (_, i) => create({ kind: 'question', body: `question ${i}?` }));
    svc.update({ id: made[0]!.id, question: { status: 'closed' } });
    svc.update({ id: made[1]!.id, question: { answer: 'yes', status: 'answered' } });
    svc.trash({ id: made[2]!.id });
    create({ body: 'a note, not counted' });
    expect(svc.facets(parseFacets({ kind: 'question', by: 'status' }))).toEqual({
      values: [
        { value: 'open', count: 4 },
        { value: 'answered', count: 1 },
        { value: 'closed', count: 1 },
      ],
      distinct: 3,
    });
  });

  it('counts bookmarks by site and by tag, live ones only, narrowed to a tag, most common first', () => {
    const { svc, create } = setup();
    const bm = (url: string, tags: string[]) => create({ kind: 'bookmark', bookmark: { url }, tags });
    bm('https://a.example/1', ['x']);
    bm('https://www.a.example/2', ['x', 'y']);
    bm('https://a.example/3', ['y']);
    const gone = bm('https://b.example/1', ['x']);
    bm('https://c.example/1', ['z']);
    create({ body: 'note #x https://a.example/9' });
    svc.trash({ id: gone.id });
    expect(svc.facets(parseFacets({ kind: 'bookmark', by: 'site' }))).toEqual({
      values: [
        { value: 'a.example', count: 3 },
        { value: 'c.example', count: 1 },
      ],
      distinct: 2,
    });
    expect(svc.facets(parseFacets({ kind: 'bookmark', by: 'tag' })).values).toEqual([
      { value: 'x', count: 2 },
      { value: 'y', count: 2 },
      { value: 'z', count: 1 },
    ]);
    expect(svc.facets(parseFacets({ kind: 'bookmark', by: 'site', tag: '#X' })).values).toEqual([{ value: 'a.example', count: 2 }]);
    expect(svc.facets(parseFacets({ kind: 'bookmark', by: 'tag', tag: 'y' })).values).toEqual([
      { value: 'y', count: 2 },
      { value: 'x', count: 1 },
    ]);
    expect(svc.facets(parseFacets({ kind: 'bookmark', by: 'tag', limit: 1 }))).toEqual({ values: [{ value: 'x', count: 2 }], distinct: 3 });
    // What the counts promise, the list gives: every bookmark of the site.
    expect(svc.list(parseList({ kind: 'bookmark', site: 'a.example', limit: 50 })).items).toHaveLength(3);
  });

  it('counts tags over every kind when no kind is given: live entries only, narrowed to a tag, most common first', () => {
    const { svc, create } = setup();
    create({ body: 'summit agenda #summit #planning' });
    create({ kind: 'bookmark', bookmark: { url: 'https://a.example/1' }, tags: ['summit'] });
    create({ kind: 'question', body: 'Who opens the #summit?', tags: ['open'] });
    create({ kind: 'person', person: { name: 'Ada' }, tags: ['planning'] });
    const gone = create({ body: 'old #summit #draft' });
    const goneToo = create({ body: 'only #draft' });
    svc.trash({ id: gone.id });
    svc.trash({ id: goneToo.id });
    expect(svc.facets(parseFacets({ by: 'tag' }))).toEqual({
      values: [
        { value: 'summit', count: 3 },
        { value: 'planning', count: 2 },
        { value: 'open', count: 1 },
      ],
      distinct: 3,
    });
    expect(svc.facets(parseFacets({ by: 'tag', tag: '#Summit' })).values).toEqual([
      { value: 'summit', count: 3 },
      { value: 'open', count: 1 },
      { value: 'planning', count: 1 },
    ]);
    expect(svc.facets(parseFacets({ by: 'tag', limit: 1 }))).toEqual({ values: [{ value: 'summit', count: 3 }], distinct: 3 });
    // By status or site without a kind: the questions' and the bookmarks', the only ones that have them.
    expect(svc.facets(parseFacets({ by: 'status' })).values).toEqual([{ value: 'open', count: 1 }]);
    expect(svc.facets(parseFacets({ by: 'site' })).values).toEqual([{ value: 'a.example', count: 1 }]);
    // Restored, an entry's tags count again.
    svc.restore({ id: gone.id });
    expect(svc.facets(parseFacets({ by: 'tag' })).values.find((t) => t.value === 'draft')).toEqual({ value: 'draft', count: 1 });
  });

  it('reads the lists and counts through indexes (EXPLAIN QUERY PLAN)', () => {
    const { db, svc, create } = setup();
    create({ kind: 'person', person: { name: 'Ann' } });
    create({ kind: 'person', person: { name: 'Bob' } });
    const first = svc.list(parseList({ kind: 'person', order: 'name', limit: 1 }));
    const { sql, params } = listQuery(db, parseList({ kind: 'person', order: 'name', limit: 1, cursor: first.nextCursor! }));
    const plan = (q: string, p: unknown = {}) => (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all(p) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan(sql, params)).toMatch(/entries_kind_timeline \(kind=\? AND deleted_at=\?\)/);
    expect(plan("SELECT site AS value, count(*) AS count FROM entries INDEXED BY entries_site WHERE site IS NOT NULL GROUP BY site")).toMatch(/COVERING INDEX entries_site/);
    expect(
      plan(`SELECT t.tag AS value, count(*) AS count FROM entries e CROSS JOIN entry_tags t ON t.entry_rowid = e.rowid
            WHERE e.kind = 'bookmark' AND e.deleted_at IS NULL GROUP BY t.tag`),
    ).toMatch(/COVERING INDEX entries_kind_timeline[\s\S]*COVERING INDEX entry_tags_entry/);
    // Tags over every kind: entry_tags alone, in its key's order (no sort); the trash's through the timeline index.
    expect(plan('SELECT tag AS value, count(*) AS count FROM entry_tags GROUP BY tag')).toMatch(/^SCAN entry_tags$/);
    expect(
      plan(`SELECT t.tag AS value, count(*) AS count FROM entries e CROSS JOIN entry_tags t ON t.entry_rowid = e.rowid
            WHERE e.deleted_at IS NOT NULL GROUP BY t.tag`),
    ).toMatch(/COVERING INDEX entries_timeline \(deleted_at>\?\)[\s\S]*COVERING INDEX entry_tags_entry/);
  });
});

describe('backlink counts', () => {
  it('counts every entry linking here by type, beyond the 500 backlinks an entry comes with', () => {
    const { svc, create } = setup();
    for (let i = 0; i < 520; i++) create({ body: `Standup ${i} with @[Rogier Smit]` });
    const rogier = svc.list(EntryListInput.parse({ kind: 'person', limit: 1 })).items[0]!;
    create({ kind: 'person', person: { name: 'Ann Lee', recommendedBy: 'Rogier Smit' } });
    const detail = svc.get({ id: rogier.id });
    expect(detail.backlinks).toHaveLength(500);
    expect(detail.backlinkCounts).toEqual({ mentions: 520, 'recommended-by': 1 });
    svc.trash({ id: svc.list(EntryListInput.parse({ kind: 'note', limit: 1 })).items[0]!.id });
    expect(svc.get({ id: rogier.id }).backlinkCounts.mentions).toBe(520); // a trashed mention is still listed, struck through
  });
});

describe('emptying the trash (entries.emptyTrash)', () => {
  function journal(dataDir = tempDir(), start = Date.UTC(2014, 4, 1, 9)) {
    let clock = start;
    const core = openCore({ dataDir, now: () => (clock += 1000) });
    const svc = core.services.entries;
    const create = (input: Record<string, unknown>) => svc.create(EntryCreateInput.parse(input));
    const found = (q: string) => createSearchService(core.db).query(SearchQueryInput.parse({ q })).hits.map((h) => h.entry.id).sort();
    const n = (sql: string, ...params: unknown[]) => (core.db.prepare(sql).get(...params) as { n: number }).n;
    const stats = () => core.services.journal.stats();
    /** What the person is shown before they confirm: the newest entry in the trash, and how many there are. */
    const shown = () => ({ deletedUpTo: svc.list({ trashed: true, limit: 1 }).items[0]!.deletedAt!, expectedCount: stats().trashed });
    return { core, svc, create, found, n, stats, shown, dataDir };
  }

  it('purges every entry in the trash with its revisions, tags and links, and leaves the live ones as they were', async () => {
    const j = journal();
    const kept = j.create({ body: 'kept #keep' });
    const draft = j.create({ body: 'old draft #gone' });
    j.svc.update(EntryUpdateInput.parse({ id: draft.id, body: 'old draft, edited #gone' }));
    const bookmark = j.create({ kind: 'bookmark', bookmark: { url: 'https://example.com/post' }, body: 'why it mattered #gone' });
    const citing = j.create({ body: 'Read https://example.com/post today' });
    const question = j.create({ kind: 'question', body: 'Who runs the summit? #gone' });
    const ada = j.create({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['countess'] } });
    const asked = j.create({ body: 'Asked @[Ada Lovelace] about engines' });
    const grace = j.create({ kind: 'person', person: { name: 'Grace Hopper' } });
    const lunch = j.create({ body: 'Lunch with @[Grace Hopper] #gone' });
    expect(j.svc.get({ id: citing.id }).links.map((l) => l.entry.id)).toEqual([bookmark.id]);
    expect(j.found('countess')).toEqual([ada.id, asked.id].sort());
    const purgedIds = [draft.id, bookmark.id, question.id, ada.id, lunch.id];
    for (const id of purgedIds) j.svc.trash({ id });
    const live = [kept, citing, asked, grace].map((e) => j.svc.get({ id: e.id }).entry);

    expect(await j.svc.emptyTrash(j.shown())).toEqual({ purged: 5 });

    for (const id of purgedIds) expect(() => j.svc.get({ id })).toThrow(/No entry/);
    expect(live.map((e) => j.svc.get({ id: e.id }).entry)).toEqual(live);
    expect(j.stats()).toMatchObject({ entries: 4, trashed: 0, revisions: 0, byKind: { note: 3, person: 1, bookmark: 0, question: 0 } });
    expect(j.n('SELECT count(*) AS n FROM revisions')).toBe(0);
    expect(j.n("SELECT count(*) AS n FROM entry_tags WHERE tag = 'gone'")).toBe(0);
    expect(j.n("SELECT count(*) AS n FROM entry_tags WHERE tag = 'keep'")).toBe(1);
    expect(j.n('SELECT count(*) AS n FROM links')).toBe(0);
    // A live note keeps its text but no longer links to what went, nor is found by a purged person's alias.
    expect(j.svc.get({ id: citing.id }).links).toEqual([]);
    expect(j.svc.get({ id: asked.id }).links).toEqual([]);
    expect(j.svc.get({ id: grace.id }).backlinks).toEqual([]);
    expect(j.found('countess')).toEqual([]);
    expect(j.found('engines')).toEqual([asked.id]);
    // The address is free again: saved anew it is a new bookmark, which the note citing it refers to.
    const again = j.create({ kind: 'bookmark', bookmark: { url: 'https://example.com/post' } });
    expect(again.id).not.toBe(bookmark.id);
    expect(j.svc.get({ id: citing.id }).links.map((l) => l.entry.id)).toEqual([again.id]);
    expect(await j.core.services.journal.doctor()).toMatchObject({ ok: true });
    expect(await j.svc.emptyTrash({ deletedUpTo: LATEST_TIME, expectedCount: 0 })).toEqual({ purged: 0 });
    j.core.close();
  });

  it('refuses, deleting nothing, when the trash holds more than the person was told of; fewer is fine', async () => {
    const j = journal();
    const a = j.create({ body: 'first to go' });
    const b = j.create({ body: 'second to go' });
    j.svc.trash({ id: a.id });
    const seen = j.shown();
    j.svc.trash({ id: b.id });
    // b was dated after what was shown: it stays, and the count shown (1) holds.
    expect(await j.svc.emptyTrash(seen)).toEqual({ purged: 1 });
    expect(j.svc.get({ id: b.id }).entry.deletedAt).not.toBeNull();
    const c = j.create({ body: 'third to go' });
    j.svc.trash({ id: c.id });
    await expect(j.svc.emptyTrash({ deletedUpTo: LATEST_TIME, expectedCount: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^The trash holds 2 entries, not the 1 entry you were told of .*nothing was deleted/),
    });
    expect(j.stats().trashed).toBe(2);
    expect(await j.svc.emptyTrash({ deletedUpTo: LATEST_TIME, expectedCount: 3 })).toEqual({ purged: 2 });
    expect(j.stats().trashed).toBe(0);
    j.core.close();
  });

  it('takes only the entries found when it began: not one trashed meanwhile by a clock behind, nor one restored (or restored and trashed again) meanwhile', async () => {
    const j = journal();
    // Another process on the same journal, whose clock is a year behind.
    const behind = journal(j.dataDir, Date.UTC(2013, 4, 1, 9));
    const ada = j.create({ kind: 'person', person: { name: 'Ada Lovelace', aliases: ['countess'] } });
    const charles = j.create({ kind: 'person', person: { name: 'Charles Babbage', recommendedBy: 'Ada Lovelace' } });
    const [first, restored, retrashed, last] = ['first note', 'restored note', 'restored and trashed again', 'last note'].map((body) => j.create({ body }));
    const late = j.create({ body: 'trashed while the trash was being emptied' });
    for (const e of [first!, restored!, retrashed!, last!, ada, charles]) j.svc.trash({ id: e.id });
    expect(j.found('countess')).toEqual([]);
    const seen = j.shown();
    const batches: number[] = [];
    const result = await j.svc.emptyTrash(seen, {
      batchSize: 1,
      onBatch: ({ done }) => {
        batches.push(done);
        if (done === 1) {
          behind.svc.trash({ id: late.id });
          j.svc.restore({ id: restored!.id });
          j.svc.restore({ id: retrashed!.id });
          j.svc.trash({ id: retrashed!.id });
        }
        // Ada is gone: Charles, whom she recommended, waits to go next; brought back instead.
        if (done === 5) j.svc.restore({ id: charles.id });
      },
    });
    expect(result).toEqual({ purged: 3 });
    expect(batches).toEqual([1, 2, 3, 4, 5, 6]);
    expect(behind.svc.get({ id: late.id }).entry.deletedAt).toBeLessThan(seen.deletedUpTo);
    expect(j.svc.get({ id: restored!.id }).entry.deletedAt).toBeNull();
    expect(j.svc.get({ id: retrashed!.id }).entry.deletedAt).toBeGreaterThan(seen.deletedUpTo);
    expect(j.svc.get({ id: charles.id }).entry.deletedAt).toBeNull();
    for (const e of [first!, last!, ada]) expect(() => j.svc.get({ id: e.id })).toThrow(/No entry/);
    // Charles is indexed again without the names of the one who recommended him.
    expect(j.found('countess')).toEqual([]);
    expect(j.found('babbage')).toEqual([charles.id]);
    expect(await j.core.services.journal.doctor()).toMatchObject({ ok: true });
    behind.core.close();
    j.core.close();
  });

  it('purges a large trash in several transactions and answers other calls between them', async () => {
    const j = journal();
    const notes = j.svc.createMany(Array.from({ length: 2_500 }, (_, i) => EntryCreateInput.parse({ body: `note ${i} #bulk` })));
    j.core.db.transaction(() => notes.forEach((e) => j.svc.trash({ id: e.id })))();
    const batches: number[] = [];
    const emptying = j.svc.emptyTrash(j.shown(), { onBatch: (b) => batches.push(b.entries) });
    // A call that arrives meanwhile (a task of the event loop, as a message from the app is) is answered
    // between two transactions, not after the last.
    const meanwhile = await new Promise<{ trashed: number; between: { id: string } }>((resolve) =>
      setTimeout(() => resolve({ trashed: j.stats().trashed, between: j.create({ body: 'saved while the trash was being emptied' }) }), 0),
    );
    expect(await emptying).toEqual({ purged: 2_500 });
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(2_500);
    expect(meanwhile.trashed).toBeGreaterThan(0);
    expect(meanwhile.trashed).toBeLessThan(2_500);
    const { between } = meanwhile;
    expect(j.svc.get({ id: between.id }).entry.deletedAt).toBeNull();
    expect(j.stats()).toMatchObject({ entries: 1, trashed: 0 });
    expect(await j.core.services.journal.doctor()).toMatchObject({ ok: true });
    j.core.close();
  });
});
