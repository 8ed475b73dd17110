/** The quick checks of an export agree with its zod schemas: never more lenient, same result. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEntry, checkExportItem, checkLink, ExportedEntry, ExportedLink, JournalExportSchema, parseExportItem, parseJournalExport } from './journal-format.ts';

// Strings near every limit and rule: lengths around the maxima, control characters, NUL, '#'-only tags.
// Mostly ordinary values, so that whole entries pass now and then; each field's edge cases sometimes.
const text = (max: number) =>
  fc.oneof(
    { arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !/[\u0000-\u001f\u007f#]/.test(t) && t.trim() !== ''), weight: 30 },
    { arbitrary: fc.constantFrom('', ' ', '#', '##', '# ', 'a\u0000b', 'bell\u0007', 'tab\tand\nnewline', 'ünï 🎉', '\u007f'), weight: 1 },
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
