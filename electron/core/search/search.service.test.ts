import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../core.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import type { Entry } from '../../../shared/domain/entry.ts';
import type { DoctorReport } from '../../../shared/domain/journal.ts';
import type { FuzzyMatch, SearchHit, SearchResult, SnippetSegment, WhoKnowsResult } from '../../../shared/domain/search.ts';
import { buildSearch, COUNT_EXAMINE_MAX, COUNT_LIMIT, FILTER_SET_MAX, RANK_EXPRESSION, TIE_WINDOW, TOTAL_CAP } from './query-builder.ts';
import { parseQuery } from './query-parser.ts';
import { createSearchService } from './search.service.ts';
import { SNIPPET_MAX_CHARS } from './highlight.ts';
import { BULK_ENTRIES, TITLE_CHANGES_KEPT } from '../db/entries.repo.ts';

const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

const DAY = 86_400_000;
const T0 = new Date(2014, 4, 1, 9, 0).getTime();

function journal(dataDir = tempDir()) {
  let clock = T0 + 400 * DAY;
  const core = openCore({ dataDir, now: () => (clock += 1000) });
  cores.push(core);
  async function call<T>(method: string, input: unknown): Promise<T> {
    const r = await core.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  }
  return {
    core,
    call,
    add: (input: Record<string, unknown>) => call<Entry>('entries.create', input),
    search: (q: string, extra: Record<string, unknown> = {}) => call<SearchResult>('search.query', { q, ...extra }),
    titles: async (q: string) => (await call<SearchResult>('search.query', { q })).hits.map((h) => h.entry.title),
  };
}

const marked = (segments: SnippetSegment[]) => segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join('');

describe('search.query: ranking', () => {
  it('weighs a match in the title above the same match in the body', async () => {
    const j = journal();
    await j.add({ title: 'Other things', body: 'somewhere in the body we mention kubernetes once among many other words here' });
    await j.add({ title: 'Kubernetes operators', body: 'notes from the meetup' });
    expect(await j.titles('kubernetes')).toEqual(['Kubernetes operators', 'Other things']);
  });

  it('weighs tags above the body', async () => {
    const j = journal();
    await j.add({ title: 'A', body: 'we talked about observability at length during lunch with the whole team' });
    await j.add({ title: 'B', body: 'lunch notes', tags: ['observability'] });
    expect(await j.titles('observability')).toEqual(['B', 'A']);
  });

  it('breaks relevance ties by recency, newest first', async () => {
    const j = journal();
    await j.add({ title: 'Same', body: 'identical text about gardening', createdAt: T0 });
    await j.add({ title: 'Same', body: 'identical text about gardening', createdAt: T0 + 2 * DAY });
    await j.add({ title: 'Same', body: 'identical text about gardening', createdAt: T0 + DAY });
    const r = await j.search('gardening');
    expect(r.hits.map((h) => h.entry.createdAt)).toEqual([T0 + 2 * DAY, T0 + DAY, T0]);
    expect(r.hits[0]!.score).toBeGreaterThan(0);
  });

  it('with more equally relevant matches than a page holds, the page is the newest of them', async () => {
    const j = journal();
    for (let i = 0; i < 30; i++) await j.add({ title: `Tie ${i}`, body: 'identical text about beekeeping', createdAt: T0 + i * DAY });
    const r = await j.search('beekeeping', { limit: 5 });
    expect(r.hits.map((h) => h.entry.title)).toEqual(['Tie 29', 'Tie 28', 'Tie 27', 'Tie 26', 'Tie 25']);
    const next = await j.search('beekeeping', { limit: 5, offset: 5 });
    expect(next.hits.map((h) => h.entry.title)).toEqual(['Tie 24', 'Tie 23', 'Tie 22', 'Tie 21', 'Tie 20']);
  });

  it('pages through results without repeating or losing any', async () => {
    const j = journal();
    for (let i = 0; i < 7; i++) await j.add({ body: `entry number ${i} about paging${' filler'.repeat(i)}` });
    const first = await j.search('paging', { limit: 3 });
    const second = await j.search('paging', { limit: 3, offset: 3 });
    const third = await j.search('paging', { limit: 3, offset: 6 });
    const ids = [...first.hits, ...second.hits, ...third.hits].map((h) => h.entry.id);
    expect(new Set(ids).size).toBe(7);
    expect(first.total).toBe(7);
  });
});

describe('search.query: the query language', () => {
  async function fixture() {
    const j = journal();
    const summit = await j.add({ body: 'Drafted the agenda for the summit; @Rogier will speak on working out loud #summit2014', createdAt: T0 });
    const anne = await j.add({ kind: 'person', person: { name: 'Anne-Marie Jansen', aliases: ['amj'], topics: ['kubernetes'] }, createdAt: T0 + DAY });
    const lunch = await j.add({ body: 'Lunch with @[Anne-Marie Jansen] about the summit venue #project/outloud', createdAt: T0 + 2 * DAY });
    const bookmark = await j.add({ kind: 'bookmark', bookmark: { url: 'https://blog.example.com/wol' }, body: 'Working out loud explained', tags: ['wol'], createdAt: T0 + 3 * DAY });
    const other = await j.add({ kind: 'bookmark', bookmark: { url: 'https://example.org/x' }, body: 'unrelated summit page', createdAt: T0 + 4 * DAY });
    const question = await j.add({ kind: 'question', body: 'Who can speak at the summit?', question: { askedBy: 'Jan' }, createdAt: T0 + 5 * DAY });
    return { j, summit, anne, lunch, bookmark, other, question };
  }
  const ids = (r: SearchResult) => r.hits.map((h) => h.entry.id).sort();

  it('ANDs words, matches phrases, excludes words, ORs, matches prefixes', async () => {
    const { j, summit, lunch, other, question, bookmark } = await fixture();
    expect(ids(await j.search('summit agenda'))).toEqual([summit.id]);
    expect(ids(await j.search('"out loud"'))).toEqual([summit.id, bookmark.id].sort());
    expect(ids(await j.search('"loud out"'))).toEqual([]);
    expect(ids(await j.search('summit -venue -agenda'))).toEqual([other.id, question.id].sort());
    expect(ids(await j.search('venue OR agenda'))).toEqual([summit.id, lunch.id].sort());
    expect(ids(await j.search('ven*'))).toEqual([lunch.id]);
  });

  it('filters by kind, tag (nested too), status, site and dates', async () => {
    const { j, summit, lunch, bookmark, other, question } = await fixture();
    expect(ids(await j.search('summit kind:bookmark'))).toEqual([other.id]);
    expect(ids(await j.search('kind:bookmarks'))).toEqual([bookmark.id, other.id].sort());
    expect(ids(await j.search('#summit2014'))).toEqual([summit.id]);
    expect(ids(await j.search('tag:project'))).toEqual([lunch.id]);
    expect(ids(await j.search('is:open'))).toEqual([question.id]);
    expect(ids(await j.search('site:example.com'))).toEqual([bookmark.id]);
    expect(ids(await j.search('summit after:2014-05-03'))).toEqual([lunch.id, other.id, question.id].sort());
    expect(ids(await j.search('summit before:2014-05-03'))).toEqual([summit.id]);
    expect(ids(await j.search('summit -after:2014-05-03'))).toEqual([summit.id]);
  });

  it('ranks words in OR with a filter by relevance, the filter\'s other entries after them newest first, and marks the words', async () => {
    const j = journal();
    const kettle = await j.add({ title: 'Kettle', body: 'Descaling the kettle: vinegar, then rinse the kettle twice.', createdAt: T0 });
    const groceries = await j.add({ body: 'Groceries: milk, bread, a new kettle maybe', createdAt: T0 + DAY });
    const walls = await j.add({ body: 'Painted the walls #kitchen', createdAt: T0 + 2 * DAY });
    const oldWalls = await j.add({ body: 'Measured the walls #kitchen', createdAt: T0 - DAY });
    const link = await j.add({ kind: 'bookmark', bookmark: { url: 'https://example.com/tea' }, body: 'tea notes', createdAt: T0 + 3 * DAY });
    await j.add({ body: 'Standup notes, nothing else', createdAt: T0 + 4 * DAY });
    const trashed = await j.add({ body: 'an old kettle #kitchen', createdAt: T0 + 5 * DAY });
    await j.call('entries.delete', { id: trashed.id });
    const words = (await j.search('kettle')).hits.map((h) => h.entry.id);
    expect(words).toEqual([kettle.id, groceries.id]);
    for (const [q, others] of [
      ['kettle OR #kitchen', [walls.id, oldWalls.id]],
      ['#kitchen OR kettle', [walls.id, oldWalls.id]],
      ['kettle OR site:example.com', [link.id]],
      ['kettle OR kind:bookmark', [link.id]],
    ] as const) {
      const r = await j.search(q);
      expect(r.hits.map((h) => h.entry.id), q).toEqual([...words, ...others]);
      expect(r.total, q).toBe(words.length + others.length);
      expect(r.hits[0]!.score, q).toBeGreaterThan(r.hits.at(-1)!.score);
      expect(marked(r.hits[0]!.titleSegments), q).toBe('[Kettle]');
    }
    // With other words too, and a page at a time.
    const anded = await j.search('vinegar kettle OR #kitchen');
    expect(anded.hits.map((h) => h.entry.id)).toEqual([kettle.id]);
    const second = await j.search('kettle OR #kitchen', { limit: 2, offset: 2 });
    expect(second.hits.map((h) => h.entry.id)).toEqual([walls.id, oldWalls.id]);
    // A word in OR with an excluded word cannot be ranked by FTS5, but its matches are still marked.
    const negated = await j.search('kettle OR -standup');
    expect(negated.hits.find((h) => h.entry.id === kettle.id)!.titleSegments.some((s) => s.match)).toBe(true);
  });

  it('finds a tag typed without its accents or folded letters (#orsted: #ørsted, nested ones too), as words are found', async () => {
    const j = journal();
    const orsted = await j.add({ body: 'wind farm visit', tags: ['Ørsted'] });
    const nested = await j.add({ body: 'turbine notes', tags: ['ørsted/wind'] });
    const plain = await j.add({ body: 'spelled plainly', tags: ['orsted'] });
    const cafe = await j.add({ body: 'coffee chat', tags: ['café'] });
    const street = await j.add({ body: 'walk', tags: ['Straße'] });
    const other = await j.add({ body: 'wind elsewhere', tags: ['orstedx'] });
    const found = async (q: string) => ids(await j.search(q));
    for (const q of ['#orsted', '#Ørsted', 'tag:orsted', '#ØRSTED']) expect(await found(q), q).toEqual([orsted.id, nested.id, plain.id].sort());
    expect(await found('#orsted/wind')).toEqual([nested.id]);
    expect(await found('#cafe')).toEqual([cafe.id]);
    expect(await found('#strasse')).toEqual([street.id]);
    expect(await found('wind #orsted')).toEqual([orsted.id, nested.id].sort()); // 'wind' is in the nested tag's name
    expect(await found('wind -#orsted')).toEqual([other.id]);
    expect(await found('#cafe OR #strasse')).toEqual([cafe.id, street.id].sort());
    // The chip says what was typed.
    expect((await j.search('#orsted')).filters.map((c) => c.value)).toEqual(['orsted']);
  });

  it('finds a site written with a trailing dot or a port, and a bookmark saved at such an address, by site:', async () => {
    const j = journal();
    const plain = await j.add({ kind: 'bookmark', bookmark: { url: 'https://example.com/a' } });
    const fqdn = await j.add({ kind: 'bookmark', bookmark: { url: 'https://example.com./b' } });
    const port = await j.add({ kind: 'bookmark', bookmark: { url: 'https://example.com:8443/c' } });
    await j.add({ kind: 'bookmark', bookmark: { url: 'https://elsewhere.org/' } });
    const all = [plain.id, fqdn.id, port.id].sort();
    for (const q of ['site:example.com', 'site:example.com.', 'site:example.com:8443', 'site:https://example.com:8443/c']) {
      const result = await j.search(q);
      expect(ids(result), q).toEqual(all);
      expect(result.filters, q).toEqual([{ key: 'site', value: 'example.com', negated: false, spans: [{ start: 0, end: q.length, text: q }] }]);
    }
  });

  it('filters by person: mentions by name or alias, and the person entry itself', async () => {
    const { j, summit, anne, lunch } = await fixture();
    expect(ids(await j.search('@[anne-marie jansen]'))).toEqual([anne.id, lunch.id].sort());
    expect(ids(await j.search('@amj'))).toEqual([anne.id, lunch.id].sort());
    expect(ids(await j.search('@anne'))).toEqual([anne.id, lunch.id].sort()); // a first name finds "Anne Marie Jansen"
    expect(ids(await j.search('summit @rogier'))).toEqual([summit.id]);
    expect(ids(await j.search('summit -@amj')).includes(lunch.id)).toBe(false);
  });

  it('finds entries that mention a person by the person’s new name or alias after an edit', async () => {
    const j = journal();
    const grace = await j.add({ kind: 'person', person: { name: 'Grace Hopper' } });
    const note = await j.add({ body: 'Compiler chat with @[Grace Hopper]' });
    const referral = await j.add({ kind: 'person', person: { name: 'Jean Sammet', recommendedBy: 'Grace Hopper' } });
    expect(ids(await j.search('amazing'))).toEqual([]);
    await j.call('entries.update', { id: grace.id, person: { name: 'Grace Brewster Hopper', aliases: ['Amazing Grace'] } });
    // Found by words in the `people` column (not only through the @ filter, which follows links).
    expect(ids(await j.search('amazing'))).toEqual([grace.id, note.id, referral.id].sort());
    expect(ids(await j.search('brewster compiler'))).toEqual([note.id]);
    expect(ids(await j.search('@amazing'))).toEqual([grace.id, note.id].sort());
    // The index still matches its content exactly.
    expect(() => j.core.db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });

  it('combines OR with filters and negated filters', async () => {
    const { j, summit, lunch, bookmark, other, question } = await fixture();
    expect(ids(await j.search('#summit2014 OR #wol'))).toEqual([summit.id, bookmark.id].sort());
    expect(ids(await j.search('summit -kind:bookmark -is:open'))).toEqual([summit.id, lunch.id].sort());
    expect(ids(await j.search('-#summit2014 summit -kind:question'))).toEqual([lunch.id, other.id].sort());
    expect((await j.search('-summit')).hits.map((h) => h.entry.id)).not.toContain(summit.id);
    expect(ids(await j.search('kind:question OR site:example.com'))).toEqual([bookmark.id, question.id].sort());
  });

  it('keeps a clause of words that mixes OR and a negation beside a person or tag filter', async () => {
    const j = journal();
    const beta = await j.add({ body: 'gamma beta @bob' });
    const alpha = await j.add({ body: 'gamma alpha @bob' });
    const delta = await j.add({ body: 'gamma delta @bob' });
    await j.add({ body: 'gamma beta' });
    await j.add({ body: 'gamma alpha #team' });
    await j.add({ body: 'gamma beta #team' });
    const ids = (r: SearchResult) => r.hits.map((h) => h.entry.id).sort();
    for (const q of ['gamma @bob alpha OR -beta', '@bob gamma -beta OR alpha']) {
      const r = await j.search(q);
      expect(ids(r), q).toEqual([alpha.id, delta.id].sort());
      expect(r.total, q).toBe(2);
    }
    // Entries without beta or without delta: all but the one with both.
    await j.add({ body: 'gamma beta delta @bob' });
    const either = await j.search('gamma @bob -beta OR -delta');
    expect(ids(either)).toEqual([beta.id, alpha.id, delta.id].sort());
    expect(either.total).toBe(3);
    expect((await j.search('gamma #team alpha OR -beta')).hits.map((h) => h.entry.body)).toEqual(['gamma alpha #team']);
  });

  it('lists filter-only queries by recency and returns the understood filters as chips', async () => {
    const { j } = await fixture();
    const r = await j.search('kind:bookmark -#nothing');
    expect(r.hits.map((h) => h.entry.createdAt)).toEqual([T0 + 4 * DAY, T0 + 3 * DAY]);
    expect(r.filters).toEqual([
      { key: 'kind', value: 'bookmark', negated: false, spans: [{ start: 0, end: 13, text: 'kind:bookmark' }] },
      { key: 'tag', value: 'nothing', negated: true, spans: [{ start: 14, end: 23, text: '-#nothing' }] },
    ]);
    expect(r.hits[0]!.snippet.every((s) => !s.match)).toBe(true);
    expect(r.hits[0]!.titleSegments).toEqual([{ text: 'https://example.org/x', match: false }]);
  });

  it('marks matched ranges in title and snippet as data', async () => {
    const { j } = await fixture();
    const hit = (await j.search('venue')).hits[0]!;
    expect(marked(hit.titleSegments)).toBe('Lunch with @Anne-Marie Jansen about the summit [venue] #project/outloud');
    // A one-line note's title is its text: said once, with no snippet repeating it.
    expect(hit.snippet).toEqual([]);
    const bookmarkHit = (await j.search('explained')).hits[0]!;
    expect(marked(bookmarkHit.snippet)).toContain('Working out loud [explained]');
  });
});

describe('search.query: snippets', () => {
  it('does not repeat a title made from the first line: the snippet comes from the lines after it', async () => {
    const j = journal();
    await j.add({ body: 'Standup: sending the agenda today' });
    await j.add({ body: 'Retro notes\nThe agenda ran over again; try a timer.' });
    await j.add({ title: 'Offsite', body: 'Agenda for the offsite\nsecond line' }); // a title of its own
    const hits = (await j.search('agenda')).hits;
    const byTitle = new Map(hits.map((h) => [h.entry.title, h]));
    expect(byTitle.get('Standup: sending the agenda today')!.snippet).toEqual([]);
    expect(marked(byTitle.get('Retro notes')!.snippet)).toBe('The [agenda] ran over again; try a timer.');
    expect(marked(byTitle.get('Offsite')!.snippet)).toBe('[Agenda] for the offsite second line');
    // A first line that says more than its title (a link's address) stays, so the match shows.
    await j.add({ body: 'Spec [draft](https://example.com/passwd-rotation)' });
    const link = (await j.search('passwd')).hits[0]!;
    expect(link.entry.title).toBe('Spec draft');
    expect(marked(link.snippet)).toBe('Spec draft (https://example.com/[passwd]-rotation)');
    // Filter-only results (no words to mark) follow the same rule.
    const listed = (await j.search('kind:note')).hits;
    expect(listed.find((h) => h.entry.title === 'Retro notes')!.snippet.map((x) => x.text).join('')).toBe('The agenda ran over again; try a timer.');
  });

  it('cuts long bodies around the match', async () => {
    const j = journal();
    const filler = 'lorem ipsum dolor sit amet '.repeat(40);
    await j.add({ title: 'Long', body: `${filler} the needle is here ${filler}` });
    const hit = (await j.search('needle')).hits[0]!;
    const text = hit.snippet.map((s) => s.text).join('');
    expect(text.length).toBeLessThan(200);
    expect(hit.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['needle']);
    expect(text.startsWith('…')).toBe(true);
  });

  it('marks matches on deep pages too', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    j.core.db.transaction(() => {
      for (let i = 0; i < 130; i++) create(EntryCreateInput.parse({ title: `Page ${i}`, body: `deep paging test number ${i}`, createdAt: T0 + i }));
    })();
    const r = await j.search('paging', { limit: 5, offset: 120 });
    expect(r.hits).toHaveLength(5);
    for (const hit of r.hits) expect(hit.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['paging']);
  });

  it('joins the text beyond the body only to text: no lone separator', async () => {
    const j = journal();
    await j.add({ kind: 'question', body: 'is the summit open?' });
    const question = (await j.search('kind:question summit')).hits[0]!;
    expect(question.snippet).toEqual([]);
    await j.add({ kind: 'bookmark', bookmark: { url: 'https://ex.com/wombat-page', excerpt: 'about quokka' } });
    const bookmark = (await j.search('wombat')).hits[0]!;
    expect(marked(bookmark.snippet)).toBe('https://ex.com/[wombat]-page ex.com about quokka');
    // A journal written before the text beyond the body was trimmed keeps spaces there.
    j.core.db.prepare("UPDATE entries SET search_extra = ' ' WHERE kind = 'question'").run();
    expect((await j.search('kind:question summit')).hits[0]!.snippet).toEqual([]);
  });

  it('keeps HTML and marker-like characters in the text as plain text', async () => {
    const j = journal();
    await j.add({ title: 'Markers \ue000x\ue001 inside', body: '<script>alert(1)</script> odd \ue000 \ue001 \ue002 characters and a target word' });
    const hit = (await j.search('target')).hits[0]!;
    expect(hit.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['target']);
    expect(hit.snippet.map((s) => s.text).join('')).toContain('<script>alert(1)</script> odd \ue000 \ue001 \ue002');
    expect(hit.titleSegments).toEqual([{ text: 'Markers \ue000x\ue001 inside', match: false }]);
  });
});

describe('search.query: the index follows the journal', () => {
  it('finds a saved entry at once, follows edits, hides the trash, shows restored entries', async () => {
    const j = journal();
    const e = await j.add({ body: 'first draft about zeppelins' });
    expect(await j.titles('zeppelins')).toEqual(['first draft about zeppelins']);
    await j.call('entries.update', { id: e.id, body: 'now about airships' });
    expect(await j.titles('zeppelins')).toEqual([]);
    expect(await j.titles('airships')).toEqual(['now about airships']);
    await j.call('entries.delete', { id: e.id });
    expect(await j.titles('airships')).toEqual([]);
    expect((await j.search('kind:note')).hits).toEqual([]);
    await j.call('entries.restore', { id: e.id });
    expect(await j.titles('airships')).toEqual(['now about airships']);
  });

  it('counts matches up to the cap and says when it stopped counting', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    j.core.db.transaction(() => {
      for (let i = 0; i < TOTAL_CAP + 5; i++) create(EntryCreateInput.parse({ body: `common word ${i}`, createdAt: T0 + i }));
    })();
    const r = await j.search('common', { limit: 5 });
    expect(r.total).toBe(TOTAL_CAP);
    expect(r.totalCapped).toBe(true);
    expect(r.hits).toHaveLength(5);
    const few = await j.search('"word 17"', { limit: 5 });
    expect(few.total).toBe(1);
    expect(few.totalCapped).toBeUndefined();
    const filtered = await j.search('kind:note', { limit: 5, offset: 10 });
    expect(filtered.total).toBe(TOTAL_CAP);
  });

  it('tells exactly TOTAL_CAP matches from more: only more are capped', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    j.core.db.transaction(() => {
      for (let i = 0; i < TOTAL_CAP; i++) create(EntryCreateInput.parse({ body: `heron ${i} @[Ada Lovelace]`, createdAt: T0 + i }));
    })();
    // Words alone, a filter alone, words with a facet, with a person (a set) and with a date (per match).
    const queries = ['heron', 'kind:note', 'heron kind:note', 'heron @ada', 'heron after:2014-01-01'];
    for (const q of queries) {
      const r = await j.search(q, { limit: 5 });
      expect(r.total, q).toBe(TOTAL_CAP);
      expect(r.totalCapped, q).toBeUndefined();
    }
    create(EntryCreateInput.parse({ body: 'heron one more @[Ada Lovelace]', createdAt: T0 + TOTAL_CAP }));
    for (const q of queries) {
      const r = await j.search(q, { limit: 5 });
      expect(r.total, q).toBe(TOTAL_CAP);
      expect(r.totalCapped, q).toBe(true);
    }
  });
});

describe('search.query: letters FTS5 does not fold', () => {
  it('finds Søren by soren, Łódź by lodz, Straße by strasse and a pasted ligature by its letters, and marks them', async () => {
    const j = journal();
    await j.add({ title: 'Coffee with Søren Kierkegaard', body: 'He moves to Łódź, Hauptstraße 5, in spring.\nSend him the ﬁnal draft', tags: ['ørsted'] });
    await j.add({ title: 'Soren the plain spelling', body: 'nothing else here' });
    await j.add({ body: 'Unrelated note about lodging' });
    expect(await j.titles('soren')).toEqual(['Soren the plain spelling', 'Coffee with Søren Kierkegaard']);
    expect(await j.titles('Søren')).toEqual(['Soren the plain spelling', 'Coffee with Søren Kierkegaard']);
    for (const q of ['"soren kierkegaard"', 'lodz', 'LÓDŹ', 'hauptstrasse', 'hauptstraße', 'final draft', 'orsted', '#ørsted', 'kierkegaard sø*', 'kierkegaard hauptstr*']) {
      expect(await j.titles(q), q).toEqual(['Coffee with Søren Kierkegaard']);
    }
    const hit = (await j.search('soren lodz hauptstrasse final')).hits[0]!;
    expect(marked(hit.titleSegments)).toBe('Coffee with [Søren] Kierkegaard');
    expect(marked(hit.snippet)).toContain('He moves to [Łódź], [Hauptstraße] 5');
    expect(marked(hit.snippet)).toContain('the [ﬁnal] draft');
    // Typed as you go, a prefix of the folded letters finds the word too.
    expect((await j.search('kierkegaard łód', { asYouType: true })).total).toBe(1);
    expect((await j.search('kierkegaard hauptstraß', { asYouType: true })).total).toBe(1);
    expect((await j.search('kierkegaard hauptstraß')).total).toBe(0);
    // "Did you mean" offers the folded word for a typo of it.
    expect((await j.search('kierkegard')).suggestions).toEqual(['kierkegaard']);
    expect((await j.search('sorem kierkegaard')).suggestions).toEqual(['soren kierkegaard']);
  });
});

describe('people by names with the letters search folds', () => {
  it('@soren is Søren: a mention links to the person, and the filter and the picker find them', async () => {
    const j = journal();
    const soren = await j.add({ kind: 'person', person: { name: 'Søren Kierkegaard', aliases: ['Bjørn'] } });
    const note = await j.add({ body: 'Coffee with @[Soren Kierkegaard] and @bjorn' });
    const got = await j.call<{ links: Array<{ entry: { id: string } }> }>('entries.get', { id: note.id });
    expect(got.links.map((l) => l.entry.id)).toEqual([soren.id]);
    expect((await j.call<FuzzyMatch[]>('people.find', { q: '' })).map((m) => m.label)).toEqual(['Søren Kierkegaard']);
    for (const q of ['@soren', '@søren', '@bjorn', '@[Soren Kierkegaard]']) {
      expect((await j.search(q)).hits.map((h) => h.entry.id), q).toEqual([note.id, soren.id]);
    }
    expect((await j.call<FuzzyMatch[]>('people.find', { q: 'soren' }))[0]?.ref.id).toBe(soren.id);
  });
});

describe('search.query: C++ and C#', () => {
  it('finds C++ by C++ (C++17 too) and C# by C#, not every lone c, and marks the whole name', async () => {
    const j = journal();
    await j.add({ title: 'Plan C for the launch', body: 'if plan b fails' });
    await j.add({ title: 'Learning C++ templates', body: 'moved the build to C++17' });
    await j.add({ title: 'C# records', body: 'neat for value objects' });
    await j.add({ title: 'F# type providers', body: 'and g++ flags' });
    expect(await j.titles('C++')).toEqual(['Learning C++ templates']);
    expect(await j.titles('c++ templates')).toEqual(['Learning C++ templates']);
    expect(await j.titles('"C++17"')).toEqual(['Learning C++ templates']);
    expect(await j.titles('c#')).toEqual(['C# records']);
    expect(await j.titles('csharp')).toEqual(['C# records']);
    expect(await j.titles('f#')).toEqual(['F# type providers']);
    expect(await j.titles('g++')).toEqual(['F# type providers']);
    expect(await j.titles('c')).toEqual(['Plan C for the launch']);
    expect((await j.titles('-c++ -c# -f#')).sort()).toEqual(['Plan C for the launch']);
    const hit = (await j.search('C++')).hits[0]!;
    expect(marked(hit.titleSegments)).toBe('Learning [C++] templates');
    expect(marked(hit.snippet)).toBe('moved the build to [C++]17');
  });

  it('offers C# as C#, not as the index word it is kept as, when a query near it finds nothing', async () => {
    const j = journal();
    await j.add({ title: 'C# records', body: 'value objects' });
    const r = await j.search('csharpp records');
    expect(r.hits).toEqual([]);
    expect(r.suggestions).toEqual(['c# records']);
    expect((await j.titles(r.suggestions[0]!))).toEqual(['C# records']);
  });
});

describe('search in other scripts', () => {
  it('finds words inside Chinese, Japanese and Korean text, where no space separates them, and marks them', async () => {
    const j = journal();
    await j.add({ body: '我在北京工作，喜欢机器学习' });
    await j.add({ body: '東京で機械学習の勉強会に参加した' });
    await j.add({ body: '서울에서 친구를 만났다' });
    await j.add({ body: 'がっこう and かっこう are different words' });
    for (const [q, want] of [['北京', 1], ['机器学习', 1], ['勉強会', 1], ['機械学習', 1], ['서울', 1], ['がっこう', 1], ['北京 勉強会', 0]] as const) {
      expect((await j.search(q)).total, q).toBe(want);
    }
    // A kana with its voicing mark is another letter: がっこう and かっこう stay apart.
    expect(marked((await j.search('かっこう')).hits[0]!.titleSegments)).toBe('がっこう and [かっこう] are different words');
    expect(marked((await j.search('北京')).hits[0]!.titleSegments)).toBe('我在[北京]工作，喜欢机器学习');
    // Drafts in those scripts find what they are about.
    const related = await j.call<SearchResult>('search.related', { text: '下周去北京参加机器学习会议' });
    expect(related.hits[0]!.entry.body).toBe('我在北京工作，喜欢机器学习');
  });

  it('finds words inside Thai and Lao text, written without spaces, by their word breaks, and marks them', async () => {
    const j = journal();
    const meeting = await j.add({ body: 'ประชุมก่อนเที่ยงกับทีมงาน' });
    await j.add({ body: 'เที่ยวทะเลวันหยุด' });
    const lao = await j.add({ body: 'ນັດປະຊຸມກັບທີມ' });
    for (const [q, want] of [['ก่อน', [meeting.id]], ['ทีมงาน', [meeting.id]], ['ประชุม เที่ยง', [meeting.id]], ['ປະຊຸມ', [lao.id]], ['ทะเล ประชุม', []]] as const) {
      expect((await j.search(q)).hits.map((h) => h.entry.id), q).toEqual(want);
    }
    expect(marked((await j.search('ก่อน')).hits[0]!.titleSegments)).toBe('ประชุม[ก่อน]เที่ยงกับทีมงาน');
  });

  it('folds the accents and vowel marks of Greek, Cyrillic, Arabic and Hebrew, and compatibility forms, as Latin accents are', async () => {
    const j = journal();
    await j.add({ body: 'Σωκράτης and ΟΔΥΣΣΕΥΣ' });
    await j.add({ body: 'Ёлка у дома' });
    await j.add({ body: 'اجتماع مع محمّد' });
    await j.add({ body: 'שָׁלוֹם from Tel Aviv' });
    await j.add({ body: 'ｆｕｌｌｗｉｄｔｈ and 𝐛𝐨𝐥𝐝 text, chapter Ⅻ' });
    const bodies = async (q: string) => (await j.search(q)).hits.map((h) => h.entry.body);
    for (const q of ['σωκρατης', 'Σωκράτης', 'οδυσσευς', 'ΟΔΥΣΣΕΥΣ']) expect(await bodies(q), q).toEqual(['Σωκράτης and ΟΔΥΣΣΕΥΣ']);
    for (const q of ['елка', 'ёлка']) expect(await bodies(q), q).toEqual(['Ёлка у дома']);
    for (const q of ['محمد', 'محمّد']) expect(await bodies(q), q).toEqual(['اجتماع مع محمّد']);
    for (const q of ['שלום', 'שָׁלוֹם']) expect(await bodies(q), q).toEqual(['שָׁלוֹם from Tel Aviv']);
    for (const q of ['fullwidth', 'bold', 'xii']) expect(await bodies(q), q).toEqual(['ｆｕｌｌｗｉｄｔｈ and 𝐛𝐨𝐥𝐝 text, chapter Ⅻ']);
    expect(marked((await j.search('محمد')).hits[0]!.titleSegments)).toBe('اجتماع مع [محمّد]');
    expect(marked((await j.search('σωκρατης')).hits[0]!.titleSegments)).toBe('[Σωκράτης] and ΟΔΥΣΣΕΥΣ');
  });

  it('shows about three times as many characters of Chinese or Japanese around a match as of words', async () => {
    const j = journal();
    const body = `${'今日は会議で新しいプロジェクトについて話し合いました。'.repeat(6)}東京の勉強会${'来週もまた集まる予定です。'.repeat(6)}`;
    await j.add({ title: '会議メモ', body });
    const snippet = (await j.search('勉強会')).hits[0]!.snippet;
    const text = marked(snippet);
    expect(text).toMatch(/^…[^…]+東京の\[勉強会\][^…]+…$/);
    expect(text.length).toBeGreaterThanOrEqual(45);
    expect(text.length).toBeLessThanOrEqual(60);
  });

  it('marks a word right after an emoji without the emoji’s selector, and a word after a keycap', async () => {
    const j = journal();
    await j.add({ body: 'I ❤️love Paris' });
    await j.add({ body: 'Step 1️⃣first do this' });
    expect(marked((await j.search('love')).hits[0]!.titleSegments)).toBe('I ❤️[love] Paris');
    expect(marked((await j.search('first')).hits[0]!.titleSegments)).toBe('Step 1️⃣[first] do this');
  });

  it('cuts a snippet of very long words to a few hundred characters around the match, and says the text goes on', async () => {
    const j = journal();
    const blob = 'QUJD'.repeat(5_000);
    await j.add({ title: 'Pasted key', body: `${blob} needle ${blob}` });
    const snippet = (await j.search('needle')).hits[0]!.snippet;
    const text = snippet.map((s) => s.text).join('');
    expect(text.length).toBeLessThanOrEqual(SNIPPET_MAX_CHARS + 2);
    expect(marked(snippet)).toMatch(/^…[A-Z]{40,} \[needle\] [A-Z]{40,}…$/);
    // A body read only in part (past SNIPPET_SCAN_CHARS) says so at the end of its snippet.
    await j.add({ title: 'Long', body: `opening words ${'filler '.repeat(10_000)}` });
    expect(marked((await j.search('opening')).hits[0]!.snippet).endsWith('…')).toBe(true);
  });
});

describe('search.query: did you mean', () => {
  it('suggests the closest indexed words when nothing is found, only rewrites that find something', async () => {
    const j = journal();
    await j.add({ body: 'Drafted the agenda for the summit #summit2014' });
    await j.add({ body: 'Notes on kubernetes operators' });
    const r = await j.search('sumit agnda');
    expect(r.hits).toEqual([]);
    expect(r.suggestions[0]).toBe('summit agenda');
    expect((await j.search(r.suggestions[0]!)).total).toBe(1);
    // Keeps filters and the rest of the query as typed.
    expect((await j.search('kubernets kind:note')).suggestions).toEqual(['kubernetes kind:note']);
    // Both words exist but never together: no rewrite finds anything.
    expect((await j.search('agenda kubernetes')).suggestions).toEqual([]);
    expect((await j.search('xqzvy')).suggestions).toEqual([]);
    // Found something: no suggestions.
    expect((await j.search('summit')).suggestions).toEqual([]);
  });

  it('suggests while the last word is still being typed, correcting the others and leaving it a prefix', async () => {
    const j = journal();
    await j.add({ body: 'Drafted the agenda for the summit' });
    const typing = (q: string) => j.search(q, { asYouType: true });
    expect((await typing('sumit agen')).suggestions).toEqual(['summit agen']);
    expect((await typing('summit agen')).total).toBe(1);
    expect((await typing('sumit agenda')).suggestions).toEqual(['summit agenda']);
    // The word being typed is corrected only when no word starts with it.
    expect((await typing('summit agnda')).suggestions).toEqual(['summit agenda']);
  });

  it('suggests the tag or person a mistyped #tag or @person filter meant, as a filter again', async () => {
    const j = journal();
    await j.add({ body: 'Drafted the agenda; @Rogier will speak #summit2014 #kitchen' });
    await j.add({ kind: 'person', person: { name: 'Anne-Marie Jansen' } });
    await j.add({ body: 'lunch with @[Anne-Marie Jansen] #kitchen' });
    expect((await j.search('#kitchn')).suggestions).toEqual(['#kitchen']);
    expect((await j.search('#sumit2014')).suggestions).toEqual(['#summit2014']);
    expect((await j.search('agenda #kitchn')).suggestions).toEqual(['agenda #kitchen']);
    expect((await j.search('@rogeir')).suggestions).toEqual(['@Rogier']);
    expect((await j.search('lunch @[Ann-Marie Jansen]')).suggestions).toEqual(['lunch @[Anne-Marie Jansen]']);
    // A word and a filter both mistyped: one rewrite mends both.
    expect((await j.search('agnda #kitchn')).suggestions).toEqual(['agenda #kitchen']);
    // Only rewrites that find something: the tag exists, but not with that word.
    expect((await j.search('lunch #summit2014')).suggestions).toEqual([]);
    // A negated filter is left alone.
    expect((await j.search('agnda -#kitchn')).suggestions).toEqual(['agenda -#kitchn']);
  });

  it('suggests a tag with spaces typed without quotes as the whole quoted tag, and a tag with a quote in it', async () => {
    const j = journal();
    await j.add({ body: 'Talk notes', tags: ['working out loud'] });
    await j.add({ body: 'Release notes', tags: ['say "hi"'] });
    // `#working out loud` is the tag `working` and two words: the suggestion takes the words in.
    expect((await j.search('#working out loud')).suggestions).toEqual(['#"working out loud"']);
    expect((await j.search('talk #Working Out Loud')).suggestions).toEqual(['talk #"working out loud"']);
    expect((await j.search('#"working out loud"')).total).toBe(1);
    // Words after the filter that the tag does not go on with stay as typed.
    expect((await j.search('#workin talk')).suggestions).toEqual(['#"working out loud" talk']);
    // A `"` in a tag is doubled inside the quotes, and the suggestion finds it.
    const [quoted] = (await j.search('#"say hi"')).suggestions;
    expect(quoted).toBe('#"say ""hi"""');
    expect((await j.search(quoted!)).total).toBe(1);
  });

  it('corrects typos in any position, including the first letters', async () => {
    const j = journal();
    await j.add({ body: 'observability dashboards' });
    for (const typo of ['obsevrability', 'bservability', 'obervability', 'boservability', 'observabilty']) {
      expect((await j.search(typo)).suggestions, typo).toEqual(['observability']);
    }
  });
});

describe('search.query: hostile input', () => {
  it('answers every hostile query with a result, never an error', async () => {
    const j = journal();
    await j.add({ body: 'NEAR( title: ^ col:x "quoted" a*b' });
    const hostile = ['NEAR(', '"', '^', 'title:', '*', '-', 'OR', 'AND', 'NOT', 'x'.repeat(10_000), 'summit\u0000agenda', '\u0001\u0002\u001f', '{title}: x', 'NEAR(a b, 2)', '"a" NOT', '((', '@[', '#', '\ud800', '\ue000\ue001'];
    for (const q of hostile) {
      const r = await j.core.dispatch('search.query', { q });
      expect(r.ok, JSON.stringify(q.slice(0, 20))).toBe(true);
    }
    expect((await j.search('NEAR(')).total).toBe(1);
    expect((await j.search('col:x')).total).toBe(1);
  });

  it('answers ANY query, topic, draft or picker text without an error (property)', async () => {
    const j = journal();
    await j.add({ body: 'Drafted the agenda for the summit; @Rogier will speak #summit2014 https://example.com' });
    await j.add({ kind: 'person', person: { name: 'Anne Jansen', topics: ['kubernetes'] } });
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.constantFrom('summit', 'sumit', 'OR', '-', '"', '*', '#summit2014', '@rogier', '@[Anne', 'kind:note', 'after:2014', 'after:3d', 'before:yesterday', '-after:9999y', 'NEAR(', '^', ':', '\u0000', '\ue000', ' '), { maxLength: 12 }).map((a) => a.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const calls: Array<[string, unknown]> = [
          ['search.query', { q: t }],
          ['search.related', { text: t }],
          ['people.find', { q: t.slice(0, 200) }],
          ['tags.find', { q: t.slice(0, 200) }],
          ['titles.find', { q: t.slice(0, 200) }],
        ];
        if (t.trim()) calls.push(['people.whoKnows', { topic: t.slice(0, 200) }]);
        for (const [method, input] of calls) {
          const r = await j.core.dispatch(method, input);
          expect(r.ok, `${method} ${JSON.stringify(t)} ${r.ok ? '' : r.error.message}`).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a query over 10,000 characters with a clear message', async () => {
    const j = journal();
    const r = await j.core.dispatch('search.query', { q: 'x'.repeat(10_001) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('too long') });
  });
});

describe('titles.find', () => {
  it('finds an entry by its title typed with a typo, a prefix or words out of order, and follows edits and the trash', async () => {
    const j = journal();
    const retro = await j.add({ title: 'Quarterly retrospective with the platform team', body: 'what went well' });
    await j.add({ title: 'Kubernetes operators', body: 'notes from the meetup' });
    await j.add({ kind: 'bookmark', bookmark: { url: 'https://example.com/observability', title: 'Observability engineering' } });
    await j.add({ kind: 'person', person: { name: 'Quentin Retro' } }); // people have people.find
    const find = (q: string) => j.call<FuzzyMatch[]>('titles.find', { q, limit: 5 });

    expect((await find('quartely retrospective'))[0]).toMatchObject({ ref: { id: retro.id, kind: 'note', title: retro.title }, label: retro.title, count: 1 });
    expect((await find('platform retro'))[0]?.ref.id).toBe(retro.id);
    expect((await find('observabil'))[0]?.ref.kind).toBe('bookmark');
    expect((await find('quentin')).map((m) => m.ref.kind)).not.toContain('person');
    expect(await find('zzzzzz')).toEqual([]);

    await j.call('entries.update', { id: retro.id, title: 'Annual planning offsite' });
    expect((await find('anual planning'))[0]?.ref.id).toBe(retro.id);
    expect((await find('quarterly retrospective')).map((m) => m.ref.id)).not.toContain(retro.id);
    await j.call('entries.delete', { id: retro.id });
    expect((await find('annual planning')).map((m) => m.ref.id)).not.toContain(retro.id);
    await j.call('entries.restore', { id: retro.id });
    expect((await find('annual planning'))[0]?.ref.id).toBe(retro.id);
  });

  it('lists a shared title once, pointing at its newest entry, and the most used titles for an empty query', async () => {
    const j = journal();
    await j.add({ title: 'Weekly sync', body: 'first', createdAt: T0 });
    const newest = await j.add({ title: 'Weekly sync', body: 'second', createdAt: T0 + DAY });
    await j.add({ title: 'Design review', body: 'once' });
    const found = await j.call<FuzzyMatch[]>('titles.find', { q: 'weekly snyc' });
    expect(found.filter((m) => m.label === 'Weekly sync')).toEqual([expect.objectContaining({ count: 2, ref: expect.objectContaining({ id: newest.id }) })]);
    const all = await j.call<FuzzyMatch[]>('titles.find', { q: '' });
    expect(all.map((m) => [m.label, m.count])).toEqual([['Weekly sync', 2], ['Design review', 1]]);
  });
});

describe('titles.find: keeping up with the journal', () => {
  const picked = (matches: FuzzyMatch[]) => matches.map((m) => `${m.label}:${m.count}:${m.ref.id}`).sort();

  it('after any mix of creates, edits, trash, restores and purges, lists every title with its count and newest entry', async () => {
    const j = journal();
    const long = createSearchService(j.core.db);
    const all = (s: ReturnType<typeof createSearchService>) => picked(s.findTitles({ q: '', limit: 100 }));
    // What the entries themselves say, counted from scratch.
    const truth = () =>
      (j.core.db
        .prepare(
          `SELECT e.title, t.uses, e.id FROM (SELECT title, count(*) AS uses, max(rowid) AS newest FROM entries
             WHERE deleted_at IS NULL AND kind <> 'person' AND title <> '' GROUP BY title) t JOIN entries e ON e.rowid = t.newest`,
        )
        .all() as Array<{ title: string; uses: number; id: string }>)
        .map((r) => `${r.title}:${r.uses}:${r.id}`)
        .sort();
    const names = ['Weekly sync', 'Design review', 'Incident review', 'Zeppelin maintenance', 'Budget'];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const live: string[] = [];
    const trashed: string[] = [];
    expect(all(long)).toEqual([]);
    for (let step = 0; step < 300; step++) {
      const op = next(6);
      if (op <= 1 || live.length === 0) {
        const kind = next(5) === 0 ? 'question' : 'note';
        live.push((await j.add({ kind, title: names[next(names.length)], body: `step ${step}` })).id);
      } else if (op === 2) {
        await j.call('entries.update', { id: live[next(live.length)], title: names[next(names.length)] });
      } else if (op === 3) {
        const id = live.splice(next(live.length), 1)[0]!;
        await j.call('entries.delete', { id });
        trashed.push(id);
      } else if (op === 4 && trashed.length > 0) {
        const id = trashed.splice(next(trashed.length), 1)[0]!;
        await j.call('entries.restore', { id });
        live.push(id);
      } else if (op === 5 && trashed.length > 0) {
        await j.call('entries.purge', { id: trashed.splice(next(trashed.length), 1)[0]! });
      }
      if (step % 7 === 0) expect(all(long), `step ${step}`).toEqual(truth());
    }
    expect(all(long)).toEqual(truth());
    expect(all(createSearchService(j.core.db))).toEqual(truth());
    expect(all(long).length).toBeGreaterThan(0);
    expect((await j.call<DoctorReport>('journal.doctor', {})).checks.find((c) => c.name === 'title counts')).toMatchObject({ ok: true });
  });

  it('follows another connection, an import, and catches up when the log no longer holds what it missed', async () => {
    const dataDir = tempDir();
    const j = journal(dataDir);
    const find = async (q: string) => picked(await j.call<FuzzyMatch[]>('titles.find', { q, limit: 5 }));
    await j.add({ title: 'Weekly sync', body: 'first' });
    expect(await find('weekly')).toHaveLength(1);
    // A second process (the CLI) writes to the same journal.
    const other = openCore({ dataDir });
    cores.push(other);
    const zeppelin = await other.dispatch('entries.create', { title: 'Zeppelin maintenance', body: 'hangar' });
    expect(zeppelin.ok).toBe(true);
    expect((await find('zepelin')).map((m) => m.split(':')[0])).toEqual(['Zeppelin maintenance']);
    // More changes than the log keeps (it keeps one to two thousand; the first of these, a new title,
    // is no longer in it): they are
    // read by listing every title again.
    other.db.transaction(() => {
      other.handlers['entries.create'](EntryCreateInput.parse({ title: 'Airship hangar', body: 'first of many' }));
      for (let i = 0; i < 2 * TITLE_CHANGES_KEPT + 50; i++) other.handlers['entries.create'](EntryCreateInput.parse({ title: 'Weekly sync', body: `again ${i}` }));
    })();
    expect((await find('airship')).map((m) => m.split(':')[0])).toEqual(['Airship hangar']);
    expect((await find('weekly sync'))[0]).toMatch(new RegExp(`^Weekly sync:${2 * TITLE_CHANGES_KEPT + 51}:`));
    // An import notes "many at once".
    const exported = await j.call<{ entries: unknown[] }>('journal.export', {});
    const target = journal();
    expect(await target.call<FuzzyMatch[]>('titles.find', { q: 'weekly', limit: 5 })).toEqual([]);
    await target.call('journal.import', { data: exported });
    expect((await target.call<FuzzyMatch[]>('titles.find', { q: 'zeppelin', limit: 5 })).map((m) => m.label)).toEqual(['Zeppelin maintenance']);
    expect((await target.call<FuzzyMatch[]>('titles.find', { q: 'weekly sync', limit: 5 }))[0]?.count).toBe(2 * TITLE_CHANGES_KEPT + 51);
    // A bulk create notes its titles one by one when it is small, all at once when it is large.
    const many = (title: string, n: number) => other.services.entries.createMany(Array.from({ length: n }, (_, i) => EntryCreateInput.parse({ title, body: `bulk ${i}` })));
    many('Harbour crane inspection', 3);
    expect((await find('harbor crane'))[0]).toMatch(/^Harbour crane inspection:3:/);
    many('Lighthouse keeper rota', BULK_ENTRIES);
    expect((await find('lighthouse rota'))[0]).toMatch(new RegExp(`^Lighthouse keeper rota:${BULK_ENTRIES}:`));
    // The same bookmark twice in one bulk create, first without a title (its address is its title),
    // then with one: the second merges into the first and gives it its title.
    other.services.entries.createMany(
      [undefined, 'Field guide'].map((title) => EntryCreateInput.parse({ kind: 'bookmark', title, bookmark: { url: 'https://example.com/guide' } })),
    );
    expect((await find('field guide')).map((m) => m.split(':').slice(0, 2).join(':'))).toEqual(['Field guide:1']);
    for (const core of [j.core, target.core]) {
      const report = (await core.dispatch('journal.doctor', {})) as { ok: true; value: DoctorReport };
      expect(report.value.checks.find((c) => c.name === 'title counts'), core.dataDir).toMatchObject({ ok: true });
    }
  });
});

describe('people.find, tags.find and who knows: popularity kept up with the journal', () => {
  it('orders the most mentioned people and who knows by live mentions after one note is trashed and another restored, or edited', async () => {
    const j = journal();
    const who = async () => (await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: 'rust' })).map((r) => r.person.title);
    const mostMentioned = async () => (await j.call<FuzzyMatch[]>('people.find', { q: '' })).map((m) => `${m.label} ${m.count}`);
    await j.add({ body: 'rust talk with @Anna' });
    await j.add({ body: 'rust talk with @Bert' });
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 3; i++) a.push((await j.add({ body: `lunch with @Anna ${i}` })).id);
    for (let i = 0; i < 3; i++) b.push((await j.add({ body: `lunch with @Bert ${i}` })).id);
    for (const id of b) await j.call('entries.delete', { id });
    expect(await mostMentioned()).toEqual(['Anna 4', 'Bert 1']);
    expect(await who()).toEqual(['Bert', 'Anna']); // fewer other mentions: more specific to the topic
    // As many trashed and restored: the journal's counts are what they were.
    for (const id of a) await j.call('entries.delete', { id });
    for (const id of b) await j.call('entries.restore', { id });
    expect(await mostMentioned()).toEqual(['Bert 4', 'Anna 1']);
    expect(await who()).toEqual(['Anna', 'Bert']);
    // An edit that mentions someone else: no entry added or trashed.
    for (const id of b) await j.call('entries.update', { id, body: 'lunch with @Anna again' });
    expect(await mostMentioned()).toEqual(['Anna 4', 'Bert 1']);
  });

  it('lists live tags, never hidden by tags only in the trash, the most used first by their live uses', async () => {
    const j = journal();
    const old: string[] = [];
    for (let i = 0; i < 3; i++) old.push((await j.add({ body: `draft ${i} #proja #projb` })).id);
    await j.add({ body: 'live #projz' });
    for (const id of old) await j.call('entries.delete', { id });
    const tags = async (q: string, limit: number) => (await j.call<FuzzyMatch[]>('tags.find', { q, limit })).map((m) => `${m.label} ${m.count}`);
    expect(await tags('', 1)).toEqual(['#projz 1']);
    expect(await tags('proj', 1)).toEqual(['#projz 1']);
    await j.add({ body: 'x #bravo' });
    await j.add({ body: 'y #bravo' });
    await j.add({ body: 'z #alpha' });
    await tags('', 3);
    for (let i = 0; i < 5; i++) await j.add({ body: `more ${i} #alpha` });
    expect(await tags('', 3)).toEqual(['#alpha 6', '#bravo 2', '#projz 1']);
  });
});

describe('people.find and tags.find', () => {
  it('finds people by a typo or an alias, and sees people added, renamed and trashed since', async () => {
    const j = journal();
    const rogier = await j.add({ kind: 'person', person: { name: 'Rogier Smit', aliases: ['rsmit'] } });
    await j.add({ kind: 'person', person: { name: 'Harold Jarche' } });
    const find = (q: string) => j.call<FuzzyMatch[]>('people.find', { q });
    expect((await find('rogeir'))[0]?.ref).toMatchObject({ id: rogier.id, kind: 'person', title: 'Rogier Smit' });
    expect((await find('rsmit'))[0]?.label).toBe('Rogier Smit (rsmit)');
    await j.add({ body: 'Coffee with @[Luis Suarez] and @[Harold Jarche]' });
    expect((await find('suarz'))[0]?.label).toBe('Luis Suarez');
    expect((await find('jarche'))[0]?.count).toBe(1);
    await j.call('entries.update', { id: rogier.id, person: { name: 'Rogier de Vries' } });
    expect((await find('vries'))[0]?.ref.id).toBe(rogier.id);
    await j.call('entries.delete', { id: rogier.id });
    expect((await find('rogier')).map((m) => m.ref.id)).not.toContain(rogier.id);
  });

  it('lists the most mentioned people for an empty query', async () => {
    const j = journal();
    await j.add({ body: '@alice and @bob' });
    await j.add({ body: '@bob again' });
    const all = await j.call<FuzzyMatch[]>('people.find', { q: '' });
    expect(all.map((m) => [m.label, m.count])).toEqual([['bob', 2], ['alice', 1]]);
  });

  it('counts and ranks people by the mentions of live entries: the trash does not count', async () => {
    const j = journal();
    const about = [];
    for (let i = 0; i < 3; i++) about.push(await j.add({ body: `Chat ${i} with @[Ada Lovelace]` }));
    await j.add({ body: 'Coffee with @[Bob Builder]' });
    const find = async (q: string) => (await j.call<FuzzyMatch[]>('people.find', { q })).map((m) => [m.label, m.count]);
    expect(await find('')).toEqual([['Ada Lovelace', 3], ['Bob Builder', 1]]);
    for (const e of about) await j.call('entries.delete', { id: e.id });
    expect(await find('')).toEqual([['Bob Builder', 1], ['Ada Lovelace', 0]]);
    expect(await find('ada')).toEqual([['Ada Lovelace', 0]]);
    await j.call('entries.restore', { id: about[0]!.id });
    expect(await find('ada')).toEqual([['Ada Lovelace', 1]]);
  });

  it('sees a person written by another process', async () => {
    const dir = tempDir();
    const a = journal(dir);
    const b = journal(dir);
    expect(await a.call<FuzzyMatch[]>('people.find', { q: 'jansen' })).toEqual([]);
    await b.add({ kind: 'person', person: { name: 'Anne Jansen' } });
    expect((await a.call<FuzzyMatch[]>('people.find', { q: 'jansen' }))[0]?.label).toBe('Anne Jansen');
  });

  it('finds tags fuzzily with their live entry counts', async () => {
    const j = journal();
    await j.add({ body: 'one #summit2014 #wol' });
    await j.add({ body: 'two #summit2014' });
    const trashed = await j.add({ body: 'three #onlyintrash' });
    await j.call('entries.delete', { id: trashed.id });
    const alsoTrashed = await j.add({ body: 'four #summit2014, then deleted' });
    await j.call('entries.delete', { id: alsoTrashed.id });
    const find = (q: string) => j.call<FuzzyMatch[]>('tags.find', { q });
    expect((await find('sumit'))[0]).toMatchObject({ label: '#summit2014', tag: 'summit2014', count: 2, ref: { id: 'summit2014', title: '#summit2014' } });
    expect(await find('onlyintrash')).toEqual([]);
    expect((await find('')).map((m) => [m.tag, m.count])).toEqual([['summit2014', 2], ['wol', 1]]);
    await j.add({ body: 'new tag #observability' });
    expect((await find('observ'))[0]?.tag).toBe('observability');
  });

  it('treats lunr syntax in a picker query as text', async () => {
    const j = journal();
    await j.add({ kind: 'person', person: { name: 'Rogier Smit' } });
    for (const q of ['rog*', 'rogier~2', '+rogier', '-smit', 'name:rogier', 'rogier^10', '*', ':', '~']) {
      const r = await j.core.dispatch('people.find', { q });
      expect(r.ok, q).toBe(true);
    }
    expect((await j.call<FuzzyMatch[]>('people.find', { q: 'title:rogier^2' }))[0]?.label).toBe('Rogier Smit');
  });
});

describe('people.whoKnows', () => {
  it('takes no evidence from an entry whose only match for the topic is the name of someone it mentions', async () => {
    const j = journal();
    const rust = await j.add({ kind: 'person', person: { name: 'Rust Cohle' } });
    const grace = await j.add({ kind: 'person', person: { name: 'Grace Hopper' } });
    for (let i = 0; i < 3; i++) await j.add({ body: `Dinner ${i} with @[Rust Cohle] and @[Grace Hopper]` });
    const about = await j.add({ body: 'Asked @[Grace Hopper] about the Rust borrow checker' });
    const onRust = await j.add({ body: 'Pairing with @[Rust Cohle] on the rust compiler' });
    const who = await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: 'rust' });
    const evidence = Object.fromEntries(who.map((r) => [r.person.id, r.evidence.map((e) => e.id)]));
    expect(evidence).toEqual({ [grace.id]: [about.id], [rust.id]: [onRust.id] });
    // Nor from a person's own entry found by their name: with no note on the topic, Rust Cohle is no one's answer.
    await j.call('entries.delete', { id: onRust.id });
    expect((await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: 'rust' })).map((r) => r.person.id)).toEqual([grace.id]);
  });

  it('takes as evidence an entry about the topic in its tags, excerpt or answer, and no mention of the name spelled without its accents', async () => {
    const j = journal();
    const rust = await j.add({ kind: 'person', person: { name: 'Rust Cohle' } });
    const tagged = await j.add({ body: 'Pairing session with @[Rust Cohle]', tags: ['rust'] });
    const book = await j.add({ kind: 'bookmark', title: 'Good book', bookmark: { url: 'https://example.com/b', excerpt: 'The Rust Programming Language' }, body: 'sent by @[Rust Cohle]' });
    const answered = await j.add({ kind: 'question', body: 'Which crate for async? asked @[Rust Cohle]', question: { answer: 'tokio, the rust async runtime' } });
    const ode = await j.add({ kind: 'person', person: { name: 'Rust Ødegaard' } });
    await j.add({ body: 'Dinner with @[Rust Odegaard]' });
    const ann = await j.add({ body: 'Learning the rust borrow checker with @Ann' });
    const who = await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: 'rust' });
    const evidence = Object.fromEntries(who.map((r) => [r.person.title, r.evidence.map((e) => e.id).sort()]));
    expect(evidence).toEqual({ 'Rust Cohle': [tagged.id, book.id, answered.id].sort(), Ann: [ann.id] });
    expect(who.map((r) => r.person.id)).not.toContain(ode.id);
    expect(who[0]!.person.id).toBe(rust.id);
  });

  it('ranks people by profile topics and by co-occurrence, with the entries as evidence', async () => {
    const j = journal();
    const anne = await j.add({ kind: 'person', person: { name: 'Anne Jansen', topics: ['Kubernetes', 'observability'] } });
    await j.add({ kind: 'person', person: { name: 'Bob Visser', topics: ['gardening'] } });
    const e1 = await j.add({ body: 'Asked @[Carl Berg] about kubernetes operators' });
    const e2 = await j.add({ body: '@[Carl Berg] runs our kubernetes clusters' });
    await j.add({ body: 'Lunch with @[Dana Kok], talked about gardening' });
    const trashed = await j.add({ body: '@[Eve Ros] knows kubernetes' });
    await j.call('entries.delete', { id: trashed.id });

    const r = await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: 'kubernetes' });
    expect(r.map((x) => x.person.title)).toEqual(['Anne Jansen', 'Carl Berg']);
    expect(r[0]).toMatchObject({ person: { id: anne.id }, profileTopics: ['Kubernetes'], evidence: [] });
    expect(r[1]!.evidence.map((e) => e.id).sort()).toEqual([e1.id, e2.id].sort());
    expect(r[1]!.profileTopics).toEqual([]);
    expect(r[0]!.score).toBeGreaterThan(r[1]!.score);
  });

  it('accepts tags and typos in profile topics, and nothing for an unknown topic', async () => {
    const j = journal();
    await j.add({ kind: 'person', person: { name: 'Anne Jansen', topics: ['working out loud'] } });
    const e = await j.add({ body: 'Talk by @[Rogier Smit] #wol' });
    expect((await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: 'loud' }))[0]?.profileTopics).toEqual(['working out loud']);
    const byTag = await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: '#wol' });
    expect(byTag.map((x) => [x.person.title, x.evidence.map((ev) => ev.id)])).toEqual([['Rogier Smit', [e.id]]]);
    expect(await j.call<WhoKnowsResult[]>('people.whoKnows', { topic: 'astrophysics' })).toEqual([]);
  });
});

describe('search.related: keeping up', () => {
  it('finds the note just saved on a new subject for the next draft about it (a word in no entry is not remembered as such)', async () => {
    const j = journal();
    await j.add({ body: 'Weekly sync notes' });
    const related = (text: string) => j.call<SearchResult>('search.related', { text }).then((r) => r.hits.map((h) => h.entry.body));
    expect(await related('Notes on the kubernetes rollout')).toEqual(['Weekly sync notes']);
    await j.add({ body: 'Notes on the kubernetes rollout' });
    expect(await related('more about kubernetes')).toEqual(['Notes on the kubernetes rollout']);
  });

  it('searches a mention as the person it means: @AnneJansen is Anne Jansen, as a save links it', async () => {
    const j = journal();
    const review = await j.add({ body: 'Budget review with @[Anne Jansen]' });
    for (const text of ['call @[Anne Jansen]', 'call @AnneJansen', 'call @anne_jansen']) {
      const hits = (await j.call<SearchResult>('search.related', { text })).hits.map((h) => h.entry.id);
      expect(hits, text).toContain(review.id);
    }
  });
});

describe('search.related', () => {
  it('finds the entries most related to a draft, sharing rare words, tags and people first', async () => {
    const j = journal();
    const wol = await j.add({ body: 'Rogier explained working out loud circles at the summit #summit2014' });
    const circles = await j.add({ body: 'Notes about circles and guides' });
    await j.add({ body: 'Bought groceries for the week' });
    const draft = await j.add({ body: 'Preparing my talk on working out loud circles' });
    const related = (text: string, excludeId?: string) => j.call<SearchResult>('search.related', { text, excludeId, limit: 5 });

    const r = await related('Preparing my talk on working out loud circles for #summit2014', draft.id);
    const ids = r.hits.map((h: SearchHit) => h.entry.id);
    expect(ids[0]).toBe(wol.id);
    expect(ids).toContain(circles.id);
    expect(ids).not.toContain(draft.id);
    expect([...r.hits[0]!.titleSegments, ...r.hits[0]!.snippet].some((s) => s.match)).toBe(true);
  });

  it('ignores words found in most entries, so they do not drown the telling ones', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    j.core.db.transaction(() => {
      for (let i = 0; i < 30; i++) create(EntryCreateInput.parse({ body: `weekly meeting notes ${i}` }));
    })();
    const z = await j.add({ body: 'meeting at the zeppelin hangar' });
    const r = await j.call<SearchResult>('search.related', { text: 'meeting about the zeppelin', limit: 5 });
    expect(r.hits.map((h) => h.entry.id)).toEqual([z.id]);
    expect(r.total).toBe(1);
  });

  it('finds what a long draft is about even when its telling word comes once among many long common ones', async () => {
    const j = journal();
    const tuned = await j.add({ body: 'Tuned sqlite WAL checkpoints for the sync service' });
    const chose = await j.add({ body: 'Chose sqlite over postgres for the desktop app' });
    for (let i = 0; i < 25; i++) await j.add({ body: `Standup ${i}: reviewed tickets and planned the sprint, nothing unusual` });
    const draft = `Yesterday afternoon I spent considerable time investigating intermittent performance degradation affecting several customers.
Initially everything pointed towards networking misconfiguration, however detailed measurements eventually revealed something different:
the sqlite database occasionally blocked writers during lengthy background maintenance operations. Afterwards, colleagues suggested
experimenting with alternative configuration strategies, documenting observations carefully, communicating findings transparently,
and scheduling comprehensive regression benchmarks before deploying anything potentially disruptive into production environments.`;
    const related = await j.call<SearchResult>('search.related', { text: draft });
    expect(related.hits.map((h) => h.entry.id).sort()).toEqual([tuned.id, chose.id].sort());
  });

  it('counts every related entry but the one left out, also when that one ranks first', async () => {
    const j = journal();
    const self = await j.add({ body: 'zeppelin zeppelin zeppelin hangar' });
    for (let i = 0; i < 9; i++) await j.add({ body: `zeppelin note ${i} with many other words to dilute the ranking here` });
    const related = (limit: number, excludeId?: string) => j.call<SearchResult>('search.related', { text: 'zeppelin hangar', limit, excludeId });
    expect((await related(5)).hits[0]!.entry.id).toBe(self.id);
    for (const limit of [5, 8, 9, 10, 50]) {
      const r = await related(limit, self.id);
      expect([r.total, r.hits.length], `limit ${limit}`).toEqual([9, Math.min(limit, 9)]);
      expect(r.hits.map((h) => h.entry.id)).not.toContain(self.id);
    }
    expect((await related(5)).total).toBe(10);
  });

  it('leaves out the trash, and finds nothing for a draft of stopwords', async () => {
    const j = journal();
    const e = await j.add({ body: 'Zeppelin museum visit' });
    const related = (text: string) => j.call<SearchResult>('search.related', { text });
    expect((await related('planning a zeppelin trip')).hits.map((h) => h.entry.id)).toEqual([e.id]);
    await j.call('entries.delete', { id: e.id });
    expect((await related('planning a zeppelin trip')).hits).toEqual([]);
    expect((await related('and the of it is')).hits).toEqual([]);
    expect((await related('')).hits).toEqual([]);
  });
});

describe('search as you type', () => {
  it('completes the last word while it is being typed, and still offers "did you mean"', async () => {
    const core = openCore({ dataDir: tempDir() });
    const summit = await core.dispatch('entries.create', { body: 'Drafted the agenda for the summit' });
    const search = async (q: string, asYouType: boolean) => {
      const r = await core.handlers['search.query']({ q, limit: 20, offset: 0, asYouType, quick: false });
      return { ids: r.hits.map((h) => h.entry.id), suggestions: r.suggestions };
    };
    const id = summit.ok ? (summit.value as { id: string }).id : '';
    expect((await search('drafted summ', true)).ids).toEqual([id]);
    // Not while typing (or after a space): whole words only.
    expect((await search('drafted summ', false)).ids).toEqual([]);
    // Too short to complete: a two-letter prefix would match too much.
    expect((await search('su', true)).ids).toEqual([]);
    // A misspelt last word is still corrected.
    expect((await search('agnda', true)).suggestions).toEqual(['agenda']);
    // Filters and phrases are left alone.
    expect((await search('"the summ"', true)).ids).toEqual([]);
    core.close();
  });
});

describe('search.query quick: answers for a keystroke', () => {
  function zeppelins() {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // Older entries have the word in their title (the best matches); the ten newest only in their body.
    j.core.db.transaction(() => {
      create(EntryCreateInput.parse({ title: 'Old rarity', body: 'quasar', createdAt: T0 - 1 }));
      for (let i = 0; i < 20; i++) create(EntryCreateInput.parse({ title: `Zeppelin ${i}`, body: 'airship history', createdAt: T0 + i }));
      for (let i = 0; i < 10; i++) create(EntryCreateInput.parse({ title: `Later ${i}`, body: `a zeppelin flew over, filler text ${i}`, createdAt: T0 + 100 + i }));
    })();
    return j;
  }

  it('words alone get their newest matches, newest first, marked provisional; a full answer ranks every match', () => {
    const j = zeppelins();
    const search = createSearchService(j.core.db);
    const run = (q: string, quick: boolean) => search.query({ q, limit: 5, offset: 0, asYouType: true, quick });

    const quick = run('zeppelin', true);
    expect(quick.provisional).toEqual({ order: 'newest' });
    expect(quick.hits.map((h) => h.entry.title)).toEqual(['Later 9', 'Later 8', 'Later 7', 'Later 6', 'Later 5']);
    expect(quick.total).toBe(30); // counted over the whole journal
    expect(quick.hits[0]!.snippet.some((s) => s.match && s.text === 'zeppelin')).toBe(true);
    // A prefix being typed, the same way.
    expect(run('zepp', true).hits.map((h) => h.entry.title)[0]).toBe('Later 9');

    const full = run('zeppelin', false);
    expect(full.provisional).toBeUndefined();
    expect(full.hits.map((h) => h.entry.title).every((t) => t.startsWith('Zeppelin'))).toBe(true);
    expect(full.total).toBe(30);

    // One match needs no ranking: the quick answer is final.
    const rare = run('quasar', true);
    expect(rare.provisional).toBeUndefined();
    expect(rare.hits.map((h) => h.entry.title)).toEqual(['Old rarity']);
    // Nothing found: "did you mean" as without `quick`.
    const typo = run('zepelin ', true);
    expect(typo.hits).toEqual([]);
    expect(typo.suggestions).toContain('zeppelin');
  });

  it('words alone in entries not added in the order they were written (an import) are ranked, not told as the newest', async () => {
    const j = journal();
    for (const date of ['2024-03-01', '2021-06-15', '2024-09-30', '2019-01-10', '2022-12-24']) {
      await j.add({ body: `offsite planning ${date}`, createdAt: Date.parse(`${date}T12:00:00Z`) });
    }
    const run = (quick: boolean) => j.search('offsi', { limit: 3, asYouType: true, quick });
    const quick = await run(true);
    expect(quick.provisional).toBeUndefined();
    expect(quick.hits.map((h) => h.entry.id)).toEqual((await run(false)).hits.map((h) => h.entry.id));
    // Entries added after them in order: their newest matches are the newest again.
    for (const day of [1, 2, 3]) await j.add({ body: `offsite review ${day}`, createdAt: Date.parse(`2025-01-0${day}T12:00:00Z`) });
    const later = await run(true);
    expect(later.provisional).toEqual({ order: 'newest' });
    expect(later.hits.map((h) => h.entry.body)).toEqual(['offsite review 3', 'offsite review 2', 'offsite review 1']);
  });

  it('words alone in a journal added out of order are ranked among the most recently added when those fill the page', () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // The best matches (the word in their title) first; then ten backdated notes with it in their body.
    j.core.db.transaction(() => {
      for (let i = 0; i < 20; i++) create(EntryCreateInput.parse({ title: `Zeppelin ${i}`, body: 'airship history', createdAt: T0 + i }));
      for (let i = 0; i < 10; i++) create(EntryCreateInput.parse({ title: `Backdated ${i}`, body: `a zeppelin flew over, filler text ${i}`, createdAt: T0 - 1000 + i }));
    })();
    const search = createSearchService(j.core.db, { recentWindow: 10 });
    const run = (q: string, quick: boolean) => search.query({ q, limit: 5, offset: 0, asYouType: true, quick });

    const quick = run('zeppelin', true);
    expect(quick.provisional).toEqual({ order: 'rank', within: 10 });
    expect(quick.hits.map((h) => h.entry.title).every((t) => t.startsWith('Backdated'))).toBe(true);
    expect(quick.total).toBe(30); // counted over the whole journal
    const full = run('zeppelin', false);
    expect(full.provisional).toBeUndefined();
    expect(full.hits.map((h) => h.entry.title).every((t) => t.startsWith('Zeppelin'))).toBe(true);
    // Too few matches among the most recently added to fill a page: every match is ranked.
    expect(run('airship', true).provisional).toBeUndefined();
    expect(run('airship', true).hits.map((h) => h.entry.id)).toEqual(run('airship', false).hits.map((h) => h.entry.id));
  });

  it('words with filters are ranked among the most recently added entries when those fill the page', () => {
    const j = zeppelins();
    const search = createSearchService(j.core.db, { recentWindow: 10 });
    const run = (q: string, quick: boolean) => search.query({ q, limit: 5, offset: 0, asYouType: true, quick });

    const quick = run('zeppelin kind:note', true);
    expect(quick.provisional).toEqual({ order: 'rank', within: 10 });
    expect(quick.hits.map((h) => h.entry.title).every((t) => t.startsWith('Later'))).toBe(true);
    expect(quick.total).toBe(30);
    expect(run('zeppelin kind:note', false).hits.map((h) => h.entry.title).every((t) => t.startsWith('Zeppelin'))).toBe(true);

    // Too few matches among the newest to fill a page: every match is ranked, as without `quick`.
    expect(run('airship kind:note', true).provisional).toBeUndefined();
    expect(run('airship kind:note', true).hits.map((h) => h.entry.title)).toEqual(run('airship kind:note', false).hits.map((h) => h.entry.title));
    // A journal no larger than the window is always ranked whole.
    const wide = createSearchService(j.core.db, { recentWindow: 100 });
    expect(wide.query({ q: 'zeppelin kind:note', limit: 5, offset: 0, asYouType: true, quick: true }).provisional).toBeUndefined();
  });
});

describe('search.query: ties on relevance', () => {
  it('go to the most recent entries, also when the filters are tested per match and the tie is longer than a page', () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // Thirty identical notes: they tie exactly on rank. A person and a date filter together are tested
    // on each match, in FTS5's rank order.
    const ids: string[] = [];
    j.core.db.transaction(() => {
      for (let i = 0; i < 30; i++) ids.push((create(EntryCreateInput.parse({ body: 'Daily standup with @[Ada Lovelace]', createdAt: T0 + i * DAY })) as Entry).id);
    })();
    const newest = ids.slice().reverse();
    const search = createSearchService(j.core.db);
    const page = (q: string, offset: number) => search.query({ q, limit: 5, offset, asYouType: false, quick: false }).hits.map((h) => h.entry.id);
    for (const q of ['standup', 'standup @ada after:2014-01-01', 'standup @ada -kind:question after:2014-01-01']) {
      expect(page(q, 0), q).toEqual(newest.slice(0, 5));
      expect(page(q, 10), q).toEqual(newest.slice(10, 15));
    }
    expect(search.plan('standup @ada after:2014-01-01').exactHits).toBeDefined();
  });

  it('go to the newest by creation date when entries were added in another order, and pages split one order', () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // Thirty identical notes added newest first (as an import or backdated notes may add them): the
    // most recently added are the oldest. Ten more with a tag, added oldest first, so the tied
    // entries' added order and date order disagree both ways.
    const byDate: Array<{ id: string; at: number }> = [];
    j.core.db.transaction(() => {
      for (let i = 0; i < 30; i++) {
        const at = T0 + (100 - i) * DAY;
        byDate.push({ id: (create(EntryCreateInput.parse({ body: 'Daily standup with @[Ada Lovelace]', createdAt: at })) as Entry).id, at });
      }
      for (let i = 0; i < 10; i++) {
        const at = T0 + (50 + i) * DAY;
        byDate.push({ id: (create(EntryCreateInput.parse({ body: 'Daily standup with @[Ada Lovelace]', createdAt: at })) as Entry).id, at });
      }
    })();
    const newest = byDate.sort((a, b) => b.at - a.at).map((e) => e.id);
    const search = createSearchService(j.core.db, { postingScanCost: 0 });
    for (const q of ['standup', 'standup @ada', 'standup @ada after:2014-01-01', 'standup kind:note', 'standup -kind:question after:2014-01-01', 'daily OR weekly']) {
      const page = (offset: number, limit: number) => search.query({ q, limit, offset, asYouType: false, quick: false }).hits.map((h) => h.entry.id);
      expect(page(0, 5), q).toEqual(newest.slice(0, 5));
      expect(page(5, 5), q).toEqual(newest.slice(5, 10));
      expect(page(35, 20), q).toEqual(newest.slice(35));
      // Pages of 20 together show every entry once, in one order.
      expect([...page(0, 20), ...page(20, 20)], q).toEqual(newest);
    }
  });
});

describe('search.query: ties in a journal added in creation order', () => {
  it('are not ranked again: the window of the most recently added is already the newest', () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    const ids: string[] = [];
    j.core.db.transaction(() => {
      // A tie longer than the window the page is ranked in.
      for (let i = 0; i < TIE_WINDOW + 30; i++) ids.push((create(EntryCreateInput.parse({ body: 'Daily standup', createdAt: T0 + i * DAY })) as Entry).id);
    })();
    // The statements the service prepares (it keeps them): the exact ranking is one of its own.
    const prepared: string[] = [];
    const prepare = j.core.db.prepare.bind(j.core.db);
    j.core.db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof j.core.db.prepare;
    const search = createSearchService(j.core.db);
    const exactRuns = () => prepared.filter((sql) => sql.includes(`${RANK_EXPRESSION} <= ?`)).length;
    const page = (offset: number) => search.query({ q: 'standup', limit: 5, offset, asYouType: false, quick: false }).hits.map((h) => h.entry.id);
    const newest = ids.slice().reverse();
    expect([...page(0), ...page(5)]).toEqual(newest.slice(0, 10));
    expect(exactRuns()).toBe(0);
    // A backdated note later (created between the two newest), the same tie is ranked again, exactly.
    const backdated = create(EntryCreateInput.parse({ body: 'Daily standup', createdAt: T0 + (ids.length - 2) * DAY + DAY / 2 })) as Entry;
    expect(page(0)).toEqual([newest[0], backdated.id, ...newest.slice(1, 4)]);
    expect(exactRuns()).toBe(1);
  });
});

describe('search.query: counting against filters tested per match', () => {
  it('stops after COUNT_EXAMINE_MAX matches and says the total is a lower bound', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // A common word, a person mentioned often (too often to be read as a set), and only the three
    // newest entries have both.
    j.core.db.transaction(() => {
      for (let i = 0; i < COUNT_EXAMINE_MAX + 50; i++) create(EntryCreateInput.parse({ body: `status update number ${i}`, createdAt: T0 + i }));
      for (let i = 0; i < FILTER_SET_MAX + 10; i++) create(EntryCreateInput.parse({ body: `lunch with @[Ada Lovelace] ${i}`, createdAt: T0 + 50_000 + i }));
      for (let i = 0; i < 3; i++) create(EntryCreateInput.parse({ body: `status update with @[Ada Lovelace] ${i}`, createdAt: T0 + 100_000 + i }));
    })();
    // With a second filter (a date that keeps everything) the person is no longer tested as a set:
    // each match is joined to its entry and tested.
    const r = await j.core.handlers['search.query']({ q: 'status @ada after:2000-01-01', limit: 2, offset: 0, asYouType: false, quick: false });
    expect(r.hits).toHaveLength(2);
    expect(r.hits.every((h) => h.entry.body.startsWith('status update with'))).toBe(true);
    // The three sit past the first COUNT_EXAMINE_MAX matches in index order: the count stopped before
    // them, so the total is what was found (at least the page) and marked as a lower bound.
    expect(r.total).toBeGreaterThanOrEqual(2);
    expect(r.total).toBeLessThanOrEqual(3);
    expect(r.totalCapped).toBe(true);
    // The person alone is tested as a set: an exact count.
    const alone = await j.core.handlers['search.query']({ q: 'status @ada', limit: 2, offset: 0, asYouType: false, quick: false });
    expect(alone.total).toBe(3);
    expect(alone.totalCapped).toBeUndefined();
    // Without the filter, nothing is partial: the plain count stops at the cap only.
    const plain = await j.core.handlers['search.query']({ q: 'status', limit: 2, offset: 0, asYouType: false, quick: false });
    expect(plain.total).toBe(TOTAL_CAP);
    expect(plain.totalCapped).toBe(true);
    // More than the cap pass the filters tested per match: the count says so (one past the cap), and
    // does not ask whether the examined matches were all of them; the total is told as capped.
    const many = buildSearch(parseQuery('status after:2000-01-01'), { limit: 2, offset: 0 });
    expect(j.core.db.prepare(many.count.sql).get(...many.count.params)).toEqual({ n: COUNT_LIMIT, partial: 0 });
    const capped = await j.core.handlers['search.query']({ q: 'status after:2000-01-01', limit: 2, offset: 0, asYouType: false, quick: false });
    expect(capped.total).toBe(TOTAL_CAP);
    expect(capped.totalCapped).toBe(true);
  });
});

describe('search.query: counting a prefix alone', () => {
  const count = (r: SearchResult) => ({ total: r.total, capped: r.totalCapped ?? false });

  it('tells one term in more than TOTAL_CAP entries as capped, and counts exactly up to it, in the trash or not', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    const ids: string[] = [];
    j.core.db.transaction(() => {
      for (let i = 0; i < TOTAL_CAP + 1; i++) ids.push((create(EntryCreateInput.parse({ body: `zorblax reading ${i}` })) as Entry).id);
      for (let i = 0; i < 10; i++) create(EntryCreateInput.parse({ body: `zorbit notes ${i}` }));
    })();
    // One term (zorblax) in TOTAL_CAP + 1 entries: the prefix is past the cap, so is the word.
    expect(count(await j.search('zorb*'))).toEqual({ total: TOTAL_CAP, capped: true });
    expect(count(await j.search('zorb', { asYouType: true }))).toEqual({ total: TOTAL_CAP, capped: true });
    expect(count(await j.search('zorblax'))).toEqual({ total: TOTAL_CAP, capped: true });
    // Two moved to the trash: zorblax in TOTAL_CAP - 1 live entries, zorbit in 10: counted, exactly.
    await j.call('entries.delete', { id: ids[0]! });
    await j.call('entries.delete', { id: ids[1]! });
    expect(count(await j.search('zorblax'))).toEqual({ total: TOTAL_CAP - 1, capped: false });
    expect(count(await j.search('zorbl*'))).toEqual({ total: TOTAL_CAP - 1, capped: false });
    // No term alone past the cap, together past it: counted, and capped.
    expect(count(await j.search('zorb*'))).toEqual({ total: TOTAL_CAP, capped: true });
    // A prefix outside ASCII letters and digits is counted as before.
    await j.add({ body: 'Zoë kept the café notes' });
    expect(count(await j.search('café*'))).toEqual({ total: 1, capped: false });
  });

  it('gives the total that counting every match gives, for prefixes of every length', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // Terms sharing prefixes: some in more than TOTAL_CAP entries, one in exactly TOTAL_CAP, some in fewer.
    const words = ['common', 'commonplace', 'comet', 'co', 'zz9', 'commit', 'quill'];
    const uses = [TOTAL_CAP + 5, 300, 800, 40, TOTAL_CAP + 1, 2, TOTAL_CAP];
    j.core.db.transaction(() => {
      words.forEach((w, k) => {
        for (let i = 0; i < uses[k]!; i++) create(EntryCreateInput.parse({ body: `${w} entry number ${i}` }));
      });
    })();
    const service = createSearchService(j.core.db);
    const plainCount = (q: string) => {
      const { count } = buildSearch(parseQuery(q), { limit: 20, offset: 0 });
      return (j.core.db.prepare(count.sql).get(...count.params) as { n: number }).n;
    };
    for (const prefix of ['c', 'co', 'com', 'comm', 'commo', 'common', 'commonp', 'come', 'comet', 'commi', 'z', 'zz', 'zz9', 'q', 'qu', 'p', 'd']) {
      const expected = Math.min(plainCount(`${prefix}*`), TOTAL_CAP + 1);
      const r = service.query({ q: `${prefix}*`, limit: 20, offset: 0, asYouType: false, quick: false });
      expect({ prefix, total: r.total, capped: r.totalCapped ?? false }).toEqual({ prefix, total: Math.min(expected, TOTAL_CAP), capped: expected > TOTAL_CAP });
    }
  });
});

describe('search.query: counting a range open towards now', () => {
  it('examines the newest matches first, the ones an after: filter keeps', () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // Many old matches (more than COUNT_EXAMINE_MAX), then 900 recent ones over a year.
    j.core.db.transaction(() => {
      for (let i = 0; i < COUNT_EXAMINE_MAX + 1_500; i++) create(EntryCreateInput.parse({ body: `status update ${i}`, createdAt: T0 + i }));
      for (let i = 0; i < 900; i++) create(EntryCreateInput.parse({ body: `status update recent ${i}`, createdAt: T0 + 365 * DAY + i * 9 * 3_600_000 }));
    })();
    // The range stays out of the index and each examined match is tested against its entry.
    const search = createSearchService(j.core.db, { dateMatchMax: -1, postingScanCost: Infinity });
    const after = new Date(T0 + 2 * DAY).toISOString().slice(0, 10);
    expect(search.plan(`status after:${after}`).count.sql).toContain('ORDER BY rowid DESC');
    const r = search.query({ q: `status after:${after}`, limit: 20, offset: 0, asYouType: false, quick: false });
    // All 900 are found among the newest COUNT_EXAMINE_MAX; the oldest would have held none of them.
    expect(r.total).toBe(900);
    expect(r.totalCapped).toBe(true);
    expect(r.hits.every((h) => h.entry.body.startsWith('status update recent'))).toBe(true);
  });
});

describe('search.query: a short date range inside the index', () => {
  it('gives the same page and total as testing the range on every match, at any bounds', async () => {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // Three years of a common word (more than DATE_WORDS_MIN matches), an entry every ~2 days, and some
    // right at the edges of local and UTC months.
    const start = new Date(2023, 0, 1).getTime();
    const times: number[] = [];
    for (let i = 0; i < 540; i++) times.push(start + i * 2 * DAY + (i % 7) * 3_600_000);
    for (const [y, m] of [[2024, 2], [2024, 5], [2025, 0]] as const) times.push(new Date(y, m, 1).getTime(), new Date(y, m, 1).getTime() - 1, Date.UTC(y, m, 1), Date.UTC(y, m, 1) - 1);
    j.core.db.transaction(() => {
      // Bodies of different lengths, so that no two entries tie on relevance.
      times.forEach((t, i) => create(EntryCreateInput.parse({ title: `Standup ${i}`, body: `standup notes ${'and more '.repeat(i)}`, createdAt: t })));
    })();
    const inMatch = createSearchService(j.core.db, { dateMatchMax: Infinity });
    const tested = createSearchService(j.core.db, { dateMatchMax: -1 });
    const ranges = ['after:2024-03-01', 'before:2023-03-15', 'after:2024-02-29 before:2024-06-01', 'after:2024-06-01 before:2024-06-02', 'after:2024-12-31 before:2025-01-02', 'after:2025-01-01', 'after:2026-01-01'];
    for (const range of ranges) {
      for (const offset of [0, 20]) {
        const q = `standup ${range}`;
        const a = inMatch.query({ q, limit: 20, offset, asYouType: false, quick: false });
        const b = tested.query({ q, limit: 20, offset, asYouType: false, quick: false });
        expect(a.hits.map((h) => h.entry.id), q).toEqual(b.hits.map((h) => h.entry.id));
        expect(a.hits.map((h) => h.score), q).toEqual(b.hits.map((h) => h.score));
        expect(a.total, q).toBe(b.total);
        // And exactly the entries the range keeps, by their creation time.
        const from = /after:(\S+)/.exec(range)?.[1];
        const to = /before:(\S+)/.exec(range)?.[1];
        const local = (d: string) => new Date(`${d}T00:00:00`).getTime();
        const kept = times.filter((t) => (!from || t >= local(from)) && (!to || t < local(to))).length;
        expect(a.total, q).toBe(Math.min(kept, TOTAL_CAP));
        expect(a.hits.every((h) => (!from || h.entry.createdAt >= local(from)) && (!to || h.entry.createdAt < local(to))), q).toBe(true);
      }
    }
  });
});

describe('search.query: a large filter goes into the index when the words match enough entries', () => {
  function updates() {
    const j = journal();
    const create = j.core.handlers['entries.create'];
    // 400 entries with "status" (one to three times), "quasar" in 7 and "zeppelin" in 3; every fifth is
    // tagged #ops (a fifth of the journal) and every fourth is a question (a quarter).
    j.core.db.transaction(() => {
      for (let i = 0; i < 400; i++) {
        const words = `status ${'status '.repeat(i % 3)}${i % 60 === 0 ? 'quasar ' : ''}${i % 150 === 0 ? 'zeppelin ' : ''}`;
        create(EntryCreateInput.parse({ kind: i % 4 === 0 ? 'question' : 'note', title: `Update ${i}`, body: `${words}${i % 5 === 0 ? '#ops ' : ''}number ${i}`, createdAt: T0 + i * DAY }));
      }
    })();
    return j;
  }

  it('puts it in when bm25 reading its postings costs less than ranking the matches it spares', () => {
    const j = updates();
    // Every filter above the fixed threshold, so the cost decides: a filter on F entries keeping a share
    // p goes in for words with more than F * POSTING_SCAN_COST / (1 - p) matches (#ops: 80 / 32 / 0.8,
    // so 5 or more; kind:question 6 or more), never for one keeping more than half (kind:note).
    const search = createSearchService(j.core.db, { facetMatchMax: 0 });
    const inMatch = (q: string) => search.plan(q).match!.includes('facets');
    expect(inMatch('status #ops')).toBe(true);
    expect(inMatch('quasar #ops')).toBe(true);
    expect(inMatch('zeppelin #ops')).toBe(false);
    expect(inMatch('status kind:question')).toBe(true);
    expect(inMatch('zeppelin kind:question')).toBe(false);
    expect(inMatch('status kind:note')).toBe(false);
    // Left out, it is tested on the best-ranked matches: enough of them for its share to fill the page
    // twice over (a fifth: 10 times the rows the page and its ties need), and that fills it.
    const never = createSearchService(j.core.db, { facetMatchMax: -1, postingScanCost: Infinity });
    const plan = never.plan('status #ops');
    expect(plan.match).not.toContain('facets');
    expect(plan.overfetchHits!.params).toContain((20 + TIE_WINDOW) * 10);
    expect(j.core.db.prepare(plan.overfetchHits!.sql).all(...plan.overfetchHits!.params)).toHaveLength(20);
  });

  it('puts a long date range in for words with enough matches, at its own cost: an OR of its years and months', () => {
    const j = journal();
    // 6,000 entries, one every 8 hours (about five and a half years): "status" in every one, "beacon"
    // in every 16th (375, past DATE_WORDS_MIN).
    j.core.services.entries.createMany(
      Array.from({ length: 6_000 }, (_, i) => EntryCreateInput.parse({ title: `Log ${i}`, body: `status ${i % 16 === 0 ? 'beacon ' : ''}number ${i}`, createdAt: T0 + (i * DAY) / 3 })),
    );
    // The last 40 % of the span: 2,400 entries, above any fixed threshold here. A facet that size goes
    // in for words with more than 2,400 / 32 / 0.6 = 125 matches; the range's years and months, read
    // together, only for more than 2,400 / 9 / 0.6 = 444: "status", not "beacon".
    const search = createSearchService(j.core.db, { dateMatchMax: 0 });
    const after = new Date(T0 + 1_200 * DAY);
    const range = `after:${after.getFullYear()}-${String(after.getMonth() + 1).padStart(2, '0')}-${String(after.getDate()).padStart(2, '0')}`;
    const inMatch = (q: string) => search.plan(q).match!.includes('facets');
    expect(inMatch(`status ${range}`)).toBe(true);
    expect(inMatch(`beacon ${range}`)).toBe(false);
    // Either way, the same page and total.
    const always = createSearchService(j.core.db, { dateMatchMax: Infinity });
    for (const q of [`status ${range}`, `beacon ${range}`]) {
      const a = search.query({ q, limit: 20, offset: 0, asYouType: false, quick: false });
      const b = always.query({ q, limit: 20, offset: 0, asYouType: false, quick: false });
      expect(a.hits.map((h) => h.entry.id), q).toEqual(b.hits.map((h) => h.entry.id));
      expect(a.total, q).toBe(b.total);
    }
  });

  it('gives the same page and total whichever way each filter is applied', () => {
    const j = updates();
    const plans = [
      createSearchService(j.core.db, { facetMatchMax: 0, dateMatchMax: 0 }),
      createSearchService(j.core.db, { facetMatchMax: Infinity, dateMatchMax: Infinity }),
      createSearchService(j.core.db, { facetMatchMax: -1, dateMatchMax: -1, postingScanCost: Infinity }),
    ];
    const queries = ['status #ops', 'quasar #ops', 'zeppelin #ops', 'status kind:question', 'status kind:note', 'quasar -#ops', 'status #ops kind:question',
      'status after:2014-09-01', 'status #ops before:2014-08-01', 'quasar kind:note after:2014-06-01'];
    for (const q of queries) {
      for (const offset of [0, 20]) {
        const [a, ...others] = plans.map((s) => s.query({ q, limit: 20, offset, asYouType: false, quick: false }));
        for (const b of others) {
          expect(b.hits.map((h) => h.entry.id), q).toEqual(a!.hits.map((h) => h.entry.id));
          expect(b.hits.map((h) => h.score), q).toEqual(a!.hits.map((h) => h.score));
          expect(b.total, q).toBe(a!.total);
        }
      }
    }
  });
});

describe('search.query: days in the user’s time zone', () => {
  it('counts after:today, after:7d, before:yesterday and the like back from the core’s clock, in the front end’s zone', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      // 23:30 on 27 November 2031 in UTC: 12:30 on the 28th in Auckland (NZDT, UTC+13).
      const core = openCore({ dataDir: tempDir(), now: () => Date.UTC(2031, 10, 27, 23, 30) });
      cores.push(core);
      const add = async (body: string, createdAt: number) => {
        const r = await core.dispatch('entries.create', { body, createdAt });
        if (!r.ok) throw new Error(r.error.message);
      };
      await add('standup today', Date.UTC(2031, 10, 27, 11, 30)); // the 28th in Auckland, the 27th in UTC
      await add('standup yesterday', Date.UTC(2031, 10, 26, 19)); // the 27th in Auckland, the 26th in UTC
      await add('standup last week', Date.UTC(2031, 10, 20, 12)); // 21 November, 01:00 in Auckland
      await add('standup october', Date.UTC(2031, 9, 1, 12));
      const found = async (q: string, timeZone?: string) => {
        const r = await core.dispatch('search.query', { q, ...(timeZone ? { timeZone } : {}) });
        if (!r.ok) throw new Error(r.error.message);
        return (r.value as SearchResult).hits.map((h) => h.entry.body.slice('standup '.length)).sort();
      };
      const auckland = 'Pacific/Auckland';
      expect(await found('standup after:today', auckland)).toEqual(['today']);
      expect(await found('standup after:yesterday', auckland)).toEqual(['today', 'yesterday']);
      expect(await found('standup before:yesterday', auckland)).toEqual(['last week', 'october']);
      expect(await found('standup after:7d', auckland)).toEqual(['last week', 'today', 'yesterday']);
      expect(await found('standup after:6d', auckland)).toEqual(['today', 'yesterday']);
      expect(await found('standup after:1w -after:yesterday', auckland)).toEqual(['last week']);
      expect(await found('standup after:1m', auckland)).toEqual(['last week', 'today', 'yesterday']);
      expect(await found('standup after:2m', auckland)).toEqual(['last week', 'october', 'today', 'yesterday']);
      // The core's own zone (UTC here) when the front end gives none: today is the 27th.
      expect(await found('standup after:today')).toEqual(['today']);
      expect(await found('standup after:yesterday')).toEqual(['today', 'yesterday']);
      // A count too far back is no date: its words are searched, and nothing has them.
      expect(await found('standup after:9999y')).toEqual([]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('reads after:/before: days in the zone the front end gives, else in this process’s own', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'UTC'; // the core, as a server in a container
    try {
      const j = journal();
      // 10 March 2026, 01:00 and 9 March 23:00 in Auckland (NZDT, UTC+13); both on 9 March in UTC.
      const morning = await j.add({ body: 'standup notes morning', createdAt: Date.UTC(2026, 2, 9, 12) });
      const evening = await j.add({ body: 'standup notes evening', createdAt: Date.UTC(2026, 2, 9, 10) });
      const ids = async (q: string, timeZone?: string) => {
        const r = await j.core.dispatch('search.query', { q, ...(timeZone ? { timeZone } : {}) });
        if (!r.ok) throw new Error(r.error.message);
        return (r.value as SearchResult).hits.map((h) => h.entry.id);
      };
      expect(await ids('standup after:2026-03-10', 'Pacific/Auckland')).toEqual([morning.id]);
      expect(await ids('standup before:2026-03-10', 'Pacific/Auckland')).toEqual([evening.id]);
      expect(await ids('standup -after:2026-03-10', 'Pacific/Auckland')).toEqual([evening.id]);
      // Without a zone, the core's own (UTC here): both are on 9 March.
      expect(await ids('standup after:2026-03-10')).toEqual([]);
      expect(await ids('standup after:2026-03-09')).toHaveLength(2);
      // A zone this runtime does not know is read as the core's own, not an error.
      expect(await ids('standup after:2026-03-10', 'Nowhere/Atlantis')).toEqual([]);
      // Not a zone name at all: refused as bad input.
      for (const timeZone of ['<script>', 'a b', 'x'.repeat(65), '', 42]) {
        const r = await j.core.dispatch('search.query', { q: 'standup', timeZone });
        expect(r.ok ? 'ok' : r.error.code, JSON.stringify(timeZone)).toBe('VALIDATION');
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('titles.find as the journal changes', () => {
  it('finds a title saved after the picker was first used, and answers after a listed title goes to the trash', async () => {
    const j = journal();
    const notes: Entry[] = [];
    for (let i = 0; i < 70; i++) notes.push(await j.add({ body: `Weekly topic number ${i} ${'abcdefghij'[i % 10]}lpha` }));
    const find = async (q: string) => {
      const r = await j.core.dispatch('titles.find', { q });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return (r.value as FuzzyMatch[]).map((m) => m.ref.title);
    };
    expect((await find('weekly topic 5'))[0]).toMatch(/^Weekly topic number 5\b/);
    await j.add({ body: 'Quokka zebrafish overlord memo' });
    expect(await find('quokka zebrafish')).toEqual(['Quokka zebrafish overlord memo']);
    await j.core.dispatch('entries.delete', { id: notes[5]!.id });
    expect(await find('weekly topic number 5')).not.toContain(notes[5]!.title);
  });
});
