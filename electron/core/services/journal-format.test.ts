/** The quick checks of an export agree with its zod schemas: never more lenient, same result. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntryKind } from '../../../shared/domain/entry.ts';
import {
  checkEntry,
  checkExportItem,
  checkLink,
  ExportedEntry,
  ExportedLink,
  JournalExportSchema,
  parseExportItem,
  parseJournalExport,
  parseRevisionFields,
  revisionFieldsFor,
} from './journal-format.ts';

// Strings near every limit and rule: lengths around the maxima, control characters, NUL, '#'-only tags,
// lone surrogates (either half alone, or a pair's halves the wrong way round) beside a real pair.
// Mostly ordinary values, so that whole entries pass now and then; each field's edge cases sometimes.
const text = (max: number) =>
  fc.oneof(
    { arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !/[\u0000-\u001f\u007f#]/.test(t) && t.trim() !== ''), weight: 30 },
    { arbitrary: fc.constantFrom('', ' ', '#', '##', '# ', 'a\u0000b', 'bell\u0007', 'tab\tand\nnewline', 'ünï 🎉', '\u007f', 'x\udc00', 'a\ud800b', '\udf89\ud83c', 'é\ud83c'), weight: 1 },
    { arbitrary: fc.integer({ min: Math.max(0, max - 1), max: max + 1 }).map((n) => 'x'.repeat(n)), weight: 1 },
  );
const time = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 2_000_000_000_000 }), weight: 30 },
  { arbitrary: fc.constantFrom(-1, 0.5, 253_402_300_799_000, 253_402_300_799_001, Number.NaN, Infinity), weight: 1 },
);
const id = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), weight: 30 },
  { arbitrary: fc.constantFrom('', '../x', 'a b', 'x'.repeat(64), 'x'.repeat(65)), weight: 1 },
);
const list = (item: fc.Arbitrary<unknown>, max: number) =>
  fc.oneof({ arbitrary: fc.array(item, { maxLength: 3 }), weight: 30 }, { arbitrary: fc.constant(Array.from({ length: max + 1 }, () => 'a')), weight: 1 });

const fields = {
  bookmark: fc.record({ url: text(8_192), urlNormalized: text(8_192), site: text(500), excerpt: text(2_000), notes: list(text(500_000), 1_000) }),
  person: fc.record({
    name: text(200),
    aliases: list(text(2_000), 1_000),
    role: text(2_000),
    organisation: text(2_000),
    contacts: list(text(2_000), 1_000),
    topics: list(text(2_000), 1_000),
    recommendedBy: text(200),
  }),
  question: fc.record({ status: fc.oneof({ arbitrary: fc.constantFrom('open', 'answered', 'closed'), weight: 20 }, { arbitrary: fc.constant('pending'), weight: 1 }), askedBy: text(200), answer: text(500_000), closedAt: fc.oneof(fc.constant(null), time) }),
};

const entry = fc
  .record({
    id,
    title: text(1_000),
    body: text(500_000),
    tags: list(text(64), 100),
    createdAt: time,
    updatedAt: time,
    deletedAt: fc.oneof(fc.constant(null), time),
    source: fc.oneof({ arbitrary: fc.constantFrom('cli', 'typed', 'import:bench'), weight: 20 }, { arbitrary: fc.constantFrom('import:', 'Import:x', 'nope'), weight: 1 }),
    sourceRef: fc.oneof(fc.constant(null), text(2_000)),
    kind: fc.oneof({ arbitrary: fc.constantFrom('note', 'bookmark', 'person', 'question'), weight: 20 }, { arbitrary: fc.constant('poem'), weight: 1 }),
  })
  .chain((base) =>
    fc.record({
      base: fc.constant(base),
      fields: base.kind in fields ? fields[base.kind as keyof typeof fields] : fc.constant(undefined),
      // Now and then: a key too many, a key missing, a wrong type, or the keys in another order.
      damage: fc.constantFrom('none', 'none', 'none', 'extra', 'missing', 'wrong-type', 'reordered', 'extra-in-fields'),
    }),
  )
  .map(({ base, fields: f, damage }) => {
    let e: Record<string, unknown> = { ...base };
    if (f !== undefined) e[base.kind] = damage === 'extra-in-fields' ? { ...f, extra: 1 } : f;
    if (damage === 'extra') e.extra = 'x';
    if (damage === 'missing') delete e.title;
    if (damage === 'wrong-type') e.tags = 'a,b';
    if (damage === 'reordered') e = Object.fromEntries(Object.entries(e).reverse());
    return e;
  });

const link = fc.record({ from: id, to: id, type: fc.constantFrom('mentions', 'refers-to', 'answer-of', 'recommended-by', 'owns') }).chain((l) => fc.constantFrom<object>(l, l, l, { ...l, extra: true }));

describe('the quick checks of an export', () => {
  it('accept an entry only when zod does, and give back exactly what zod gives, key order included', () => {
    let quick = 0;
    fc.assert(
      fc.property(entry, (e) => {
        const zod = ExportedEntry.safeParse(e);
        const fast = checkEntry(e);
        if (fast) {
          quick++;
          expect(zod.success).toBe(true);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
        }
        // The answer for one element, and its first problem, are zod's.
        const item = parseExportItem('entries', e);
        expect(item.success).toBe(zod.success);
        if (item.success) expect(JSON.stringify(item.data)).toBe(JSON.stringify(zod.data));
        else expect(item.issue.message).toBe(zod.error!.issues[0]!.message);
        expect(checkExportItem('entries', e)?.message).toBe(zod.success ? undefined : zod.error.issues[0]!.message);
      }),
      { numRuns: 3_000 },
    );
    expect(quick).toBeGreaterThan(300); // the quick path is really taken
  });

  it('accept a link only when zod does', () => {
    fc.assert(
      fc.property(link, (l) => {
        const zod = ExportedLink.safeParse(l);
        const fast = checkLink(l);
        if (fast) expect(fast).toEqual(zod.data);
        expect(checkExportItem('links', l) === undefined).toBe(zod.success);
      }),
      { numRuns: 1_000 },
    );
  });

  it('take every entry an Outloud export holds, and answer for a whole export as zod does', () => {
    const good = {
      format: 'outloud-journal',
      version: 1,
      exportedAt: 1,
      entries: [
        { id: 'n1', title: 'T', body: 'b', tags: ['x'], createdAt: 1, updatedAt: 2, deletedAt: null, source: 'cli', sourceRef: null, kind: 'note' },
        {
          id: 'b1', title: 'T', body: '', tags: [], createdAt: 1, updatedAt: 2, deletedAt: 3, source: 'capture', sourceRef: 'r', kind: 'bookmark',
          bookmark: { url: 'https://a.example/', urlNormalized: 'a.example', site: 'a.example', excerpt: '', notes: ['n'] },
        },
        {
          id: 'p1', title: 'Ann', body: '', tags: [], createdAt: 1, updatedAt: 2, deletedAt: null, source: 'mention', sourceRef: null, kind: 'person',
          person: { name: 'Ann', aliases: ['annie'], role: '', organisation: '', contacts: [], topics: ['sqlite'], recommendedBy: '' },
        },
        {
          id: 'q1', title: 'Q?', body: 'q', tags: [], createdAt: 1, updatedAt: 2, deletedAt: null, source: 'api', sourceRef: null, kind: 'question',
          question: { status: 'closed', askedBy: 'Ann', answer: 'a', closedAt: 5 },
        },
      ],
      revisions: [{ id: 1, entryId: 'n1', savedAt: 2, title: 'old', body: 'older', tags: [], fields: {} }],
      links: [{ from: 'n1', to: 'p1', type: 'mentions' }],
    };
    for (const e of good.entries) expect(checkEntry(e), e.id).toBeDefined();
    const whole = parseJournalExport(good);
    expect(whole.success).toBe(true);
    expect(JSON.stringify(whole.data)).toBe(JSON.stringify(JournalExportSchema.parse(good)));
    // An extra top-level key goes to zod, which strips it; a bad element gets zod's errors.
    expect(parseJournalExport({ ...good, note: 'x' }).data).toEqual(JournalExportSchema.parse(good));
    const bad = { ...good, entries: [...good.entries, { ...good.entries[0], id: 'n2', body: 'a\u0000b' }] };
    const refused = parseJournalExport(bad);
    expect(refused.success).toBe(false);
    expect(refused.success ? undefined : refused.error.issues).toEqual(JournalExportSchema.safeParse(bad).error?.issues);
  });
});

// One good entry of each kind, for exports built around them.
const goodEntries = [
  { id: 'n1', title: 'T', body: 'b', tags: ['x'], createdAt: 1, updatedAt: 2, deletedAt: null, source: 'cli', sourceRef: null, kind: 'note' },
  {
    id: 'b1', title: 'T', body: '', tags: [], createdAt: 1, updatedAt: 2, deletedAt: null, source: 'capture', sourceRef: null, kind: 'bookmark',
    bookmark: { url: 'https://a.example/', urlNormalized: 'a.example', site: 'a.example', excerpt: '', notes: ['n'] },
  },
  {
    id: 'p1', title: 'Ann', body: '', tags: [], createdAt: 1, updatedAt: 2, deletedAt: null, source: 'mention', sourceRef: null, kind: 'person',
    person: { name: 'Ann', aliases: ['annie'], role: '', organisation: '', contacts: [], topics: ['sqlite'], recommendedBy: '' },
  },
  {
    id: 'q1', title: 'Q?', body: 'q', tags: [], createdAt: 1, updatedAt: 2, deletedAt: null, source: 'api', sourceRef: null, kind: 'question',
    question: { status: 'open', askedBy: 'Ann', answer: '', closedAt: null },
  },
] as const;
const KIND_OF: Record<string, EntryKind> = { n1: 'note', b1: 'bookmark', p1: 'person', q1: 'question' };
const exportOf = (entries: readonly unknown[], revisions: readonly unknown[]) => ({ format: 'outloud-journal', version: 1, exportedAt: 1, entries, revisions, links: [] });
const revisionOf = (entryId: string, fields: unknown, more: object = {}) => ({ id: 1, entryId, savedAt: 2, title: 'old', body: 'older', tags: [], fields, ...more });
const firstIssue = (result: ReturnType<typeof parseJournalExport>) => {
  const issue = result.success ? undefined : result.error.issues[0];
  return issue && `${issue.path.join('.')}: ${issue.message}`;
};

// Fields of any kind, or none, for a revision of an entry of any kind: now and then damaged.
const someFields = fc
  .oneof(
    fields.bookmark,
    fields.person,
    fields.question,
    fc.constantFrom<unknown>({}, { evil: 1 }, { status: 'open' }, [], null, 'x', { url: 'https://a.example/', deeper: [[[{}]]] }),
  )
  .chain((f) =>
    fc.constantFrom('none', 'none', 'extra', 'missing', 'reordered').map((damage) => {
      if (typeof f !== 'object' || f === null || Array.isArray(f) || damage === 'none') return f;
      if (damage === 'extra') return { ...f, extra: { nested: 1 } };
      if (damage === 'missing') return Object.fromEntries(Object.entries(f).slice(1));
      return Object.fromEntries(Object.entries(f).reverse());
    }),
  );
const revision = fc.record({
  id: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 1_000 }), weight: 20 }, { arbitrary: fc.constant(0), weight: 1 }),
  entryId: fc.constantFrom('n1', 'b1', 'p1', 'q1', 'elsewhere'),
  savedAt: time,
  title: text(1_000),
  body: text(500_000),
  tags: list(text(64), 100),
  fields: someFields,
});

describe('the checks of text and of revisions in an export', () => {
  // The file of the report: valid JSON escapes, each of which decodes to half of a UTF-16 pair.
  const withLoneSurrogates = JSON.parse('{"title":"x\\udc00","body":"a\\ud800b"}') as { title: string; body: string };

  it('refuse a person with no name, or a name with control characters, as a save does', () => {
    const person = goodEntries[2]!;
    const withName = (name: string) => ({ ...person, person: { ...person.person, name } });
    expect(checkExportItem('entries', withName('   '))).toEqual({ path: ['person', 'name'], message: 'Name is empty' });
    expect(checkExportItem('entries', withName('Ad\u0000a'))).toEqual({ path: ['person', 'name'], message: 'Name contains control characters' });
    expect(checkExportItem('entries', withName('Ada'))).toBeUndefined();
    expect(firstIssue(parseJournalExport(exportOf([withName('A\u0001B')], [])))).toBe('entries.0.person.name: Name contains control characters');
  });

  it('refuse a lone surrogate in any text of an entry or a revision, with the path and a message naming it', () => {
    const note = { ...goodEntries[0], ...withLoneSurrogates };
    expect(checkEntry(note)).toBeUndefined();
    expect(checkExportItem('entries', note)).toEqual({ path: ['title'], message: 'Title contains a lone surrogate (not valid text)' });
    expect(JournalExportSchema.safeParse(exportOf([note], [])).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'entries.0.title: Title contains a lone surrogate (not valid text)',
      'entries.0.body: Body contains a lone surrogate (not valid text)',
    ]);
    expect(firstIssue(parseJournalExport(exportOf([note], [])))).toBe('entries.0.title: Title contains a lone surrogate (not valid text)');
    // Every other text an entry stores: its tags, source ref and each kind's fields.
    const [, bookmark, person, question] = goodEntries;
    const refusedAt = (e: object) => checkExportItem('entries', e);
    expect(refusedAt({ ...goodEntries[0], tags: ['ok', '\ud83c'] })).toEqual({ path: ['tags', 1], message: 'Tag contains a lone surrogate (not valid text)' });
    expect(refusedAt({ ...goodEntries[0], sourceRef: 'r\udc00' })?.path).toEqual(['sourceRef']);
    expect(refusedAt({ ...bookmark, bookmark: { ...bookmark.bookmark, url: 'https://a.example/\udfff' } })).toEqual({
      path: ['bookmark', 'url'],
      message: 'contains a lone surrogate (not valid text)',
    });
    expect(refusedAt({ ...bookmark, bookmark: { ...bookmark.bookmark, notes: ['\ud800'] } })?.path).toEqual(['bookmark', 'notes', 0]);
    expect(refusedAt({ ...person, person: { ...person.person, aliases: ['\udc00nnie'] } })?.path).toEqual(['person', 'aliases', 0]);
    expect(refusedAt({ ...question, question: { ...question.question, answer: '\ud800' } })?.path).toEqual(['question', 'answer']);
    expect(checkExportItem('revisions', revisionOf('n1', {}, withLoneSurrogates))).toEqual({ path: ['title'], message: 'Title contains a lone surrogate (not valid text)' });
    // A real pair is text, in its two halves as in one character.
    expect(checkEntry({ ...goodEntries[0], title: '\ud83c\udf89', body: 'party 🎉' })).toBeDefined();
  });

  it("refuse a revision whose fields its entry's kind cannot hold, the revision's path named", () => {
    const bookmarkFile = exportOf([goodEntries[1]], [revisionOf('b1', { evil: 1 })]);
    expect(firstIssue(parseJournalExport(bookmarkFile))).toBe('revisions.0.fields.url: Invalid input: expected string, received undefined');
    expect(JournalExportSchema.safeParse(bookmarkFile).success).toBe(false);
    // A question's status, which the journal's CHECK constraint refused with a raw error.
    const badStatus = exportOf(goodEntries, [revisionOf('b1', goodEntries[1].bookmark), revisionOf('q1', { ...goodEntries[3].question, status: 'pending' })]);
    expect(firstIssue(parseJournalExport(badStatus))).toMatch(/^revisions\.1\.fields\.status: Invalid option/);
    // Fields nested deeper than a stack: refused with a message, not a RangeError.
    const deep = JSON.parse(`{"status":"open","askedBy":${'['.repeat(100_000)}${']'.repeat(100_000)},"answer":"","closedAt":null}`) as unknown;
    expect(firstIssue(parseJournalExport(exportOf([goodEntries[3]], [revisionOf('q1', deep)])))).toBe(
      'revisions.0.fields.askedBy: Invalid input: expected string, received array',
    );
    // Fields the kind holds are taken, as the entry's own are: keys it does not know left out, so a
    // note's fields are {} whatever the file says.
    const taken = parseJournalExport(exportOf(goodEntries, [revisionOf('n1', { evil: deep }), revisionOf('p1', { extra: 1, ...goodEntries[2].person })]));
    expect(taken.success).toBe(true);
    expect(taken.data?.revisions.map((r) => r.fields)).toEqual([{}, goodEntries[2].person]);
    expect(JSON.stringify(taken.data)).toBe(JSON.stringify(JournalExportSchema.parse(exportOf(goodEntries, [revisionOf('n1', { evil: deep }), revisionOf('p1', { extra: 1, ...goodEntries[2].person })]))));
    // The first entry with an id is the one an import keeps: its kind decides.
    expect(parseJournalExport(exportOf([goodEntries[0], { ...goodEntries[1], id: 'n1' }], [revisionOf('n1', { evil: 1 })])).success).toBe(true);
    // An entry not in the export is the importer's to look up (parseRevisionFields): left as given here.
    expect(parseJournalExport(exportOf([], [revisionOf('b1', { evil: 1 })])).data?.revisions[0]?.fields).toEqual({ evil: 1 });
  });

  it("check fields alone for an entry's kind, with the path from the revision, for an importer that knows the kind", () => {
    expect(parseRevisionFields('bookmark', { evil: 1 })).toEqual({
      success: false,
      issue: { path: ['fields', 'url'], message: 'Invalid input: expected string, received undefined' },
    });
    expect(parseRevisionFields('person', { ...goodEntries[2].person, name: '' })).toMatchObject({ success: false, issue: { path: ['fields', 'name'] } });
    expect(parseRevisionFields('question', { ...goodEntries[3].question, answer: 'a\ud800b' })).toEqual({
      success: false,
      issue: { path: ['fields', 'answer'], message: 'Body contains a lone surrogate (not valid text)' },
    });
    expect(parseRevisionFields('note', [])).toMatchObject({ success: false, issue: { path: ['fields'] } });
    expect(parseRevisionFields('note', { evil: 1 })).toEqual({ success: true, data: {} });
    for (const e of goodEntries.slice(1)) {
      const own = (e as Record<string, unknown>)[e.kind];
      expect(parseRevisionFields(e.kind, { ...(own as object), extra: 1 })).toEqual({ success: true, data: own });
    }
  });

  it("answer for revisions' fields as zod does: in a whole export, and alone for each kind", () => {
    fc.assert(
      fc.property(fc.array(revision, { maxLength: 4 }), (revisions) => {
        const file = exportOf(goodEntries, revisions);
        const zod = JournalExportSchema.safeParse(file);
        const fast = parseJournalExport(file);
        expect(fast.success).toBe(zod.success);
        if (fast.success) expect(JSON.stringify(fast.data)).toBe(JSON.stringify(zod.data));
        else expect(fast.error.issues).toEqual(zod.error!.issues);
        for (const r of revisions) {
          const kind = KIND_OF[r.entryId] ?? 'note';
          const own = revisionFieldsFor(kind).safeParse(r.fields);
          const alone = parseRevisionFields(kind, r.fields);
          expect(alone.success).toBe(own.success);
          if (alone.success) expect(JSON.stringify(alone.data)).toBe(JSON.stringify(own.data));
          else expect(alone.issue).toEqual({ path: ['fields', ...own.error!.issues[0]!.path], message: own.error!.issues[0]!.message });
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
