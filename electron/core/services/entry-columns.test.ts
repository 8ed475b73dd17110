import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/domain/entry.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { openCore, type Core } from '../core.ts';
import * as repo from '../db/entries.repo.ts';
import { foldText } from '../search/text-tokens.ts';
import { importRow, importWrite } from './entry-columns.ts';

const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

function journal(): Core {
  const core = openCore({ dataDir: tempDir() });
  cores.push(core);
  return core;
}

// Words whose folding changes them (ø, ß, accents unicode61 keeps, C++), CJK, and plain ASCII.
const word = fc.constantFrom('summit', 'Søren', 'straße', 'Ørsted', 'café', 'C++', 'C#', '東京', 'naïve', 'ship', 'Ⅻ', 'ﬁle', '');
const words = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' '));
const base = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{6,12}$/),
  title: words,
  body: fc.oneof(words, fc.string({ maxLength: 40 })),
  tags: fc.array(fc.oneof(word, fc.constantFrom('#Team', 'team', 'Wol/Notes')), { maxLength: 4 }),
  createdAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  deletedAt: fc.option(fc.constant(4_102_444_800_000), { nil: null }),
});
const entry: fc.Arbitrary<Entry> = fc
  .tuple(
    base,
    fc.constantFrom('note', 'bookmark', 'person', 'question'),
    words,
    fc.constantFrom('https://example.org/Søren?q=1', 'https://EXAMPLE.com/a/../b', 'not a web address'),
  )
  .map(([b, kind, extra, url]) => {
    const common = { ...b, id: `${kind}-${b.id}`, updatedAt: b.createdAt, source: 'cli', sourceRef: null };
    switch (kind) {
      case 'bookmark':
        return { ...common, kind, bookmark: { url, excerpt: extra, notes: [extra] } } as Entry;
      case 'person':
        return { ...common, kind, person: { name: `Bjørn ${b.id}`, aliases: [extra], role: extra, organisation: '', contacts: [], topics: [extra], recommendedBy: '' } } as Entry;
      case 'question':
        return { ...common, kind, question: { status: 'answered', askedBy: extra, answer: extra, closedAt: null } } as Entry;
      default:
        return { ...common, kind: 'note' } as Entry;
    }
  });

const rowsOf = (core: Core) => core.db.prepare('SELECT * FROM entries ORDER BY id').all();
const indexOf = (core: Core) => core.db.prepare(`SELECT e.id, ${repo.INDEXED_COLUMNS_SQL} FROM entries e ORDER BY e.id`).all();

describe('importRow', () => {
  it('writes every row as the journal makes it itself: text worked out ahead (the reader thread) or in the transaction, the same columns', () => {
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 12 }), fc.constantFrom('', 'Ann', 'Øyvind Ås', 'ﬁona C++'), (entries, people) => {
        const ahead = journal();
        const here = journal();
        const inserted = new Map<Core, number>();
        for (const core of [ahead, here]) {
          const pending = repo.pendingRows();
          for (const e of entries) {
            const row = importRow(e);
            if (typeof row === 'string') {
              // A bookmark whose address cannot be stored: refused the same either way.
              expect(row).toMatch(/^not a web address/);
              continue;
            }
            const rowid = repo.insertEntryIfNew(core.db, importWrite(e, row, people), pending, core === ahead ? row.text : undefined);
            if (rowid !== undefined) inserted.set(core, (inserted.get(core) ?? 0) + 1);
          }
          repo.writePending(core.db, pending);
        }
        expect(rowsOf(ahead)).toEqual(rowsOf(here));
        expect(indexOf(ahead)).toEqual(indexOf(here));
        expect(rowsOf(here)).toHaveLength(inserted.get(here) ?? 0);
        // And the folded text as the index's rule says (entries.repo foldedIndexText), worked out here.
        for (const r of rowsOf(ahead) as Array<Record<string, string>>) {
          const parts = [r.title!, r.search_tags!, r.search_people!, r.body!, r.search_extra!];
          const folded = parts.map(foldText);
          const same = folded.every((f, i) => f === parts[i]);
          expect(r.search_folded).toBe(same ? null : JSON.stringify([folded[0], folded[1], folded[2], `${folded[3]}\n${folded[4]}`]));
        }
        for (const core of [ahead, here]) cores.splice(cores.indexOf(core), 1)[0]!.close();
      }),
      { numRuns: 40 },
    );
  });

  it('folds the text the index is given, and keeps the folded people out of what crosses from the reader', () => {
    const e = { id: 'n1', kind: 'note', title: 'Søren’s notes', body: 'plain words', tags: ['Straße'], createdAt: 1, updatedAt: 1, deletedAt: null, source: 'cli', sourceRef: null } as Entry;
    const row = importRow(e);
    if (typeof row === 'string') throw new Error(row);
    expect(row.text.folded).not.toBeNull();
    expect(row.text.folded![0]).not.toBe(e.title);
    expect(row.columns.tags).toEqual(['straße']);
    expect(JSON.stringify(row)).not.toContain('plain words'); // the entry's own text does not cross twice
    const core = journal();
    const pending = repo.pendingRows();
    repo.insertEntryIfNew(core.db, importWrite(e, row, 'Øyvind'), pending, row.text);
    repo.writePending(core.db, pending);
    const folded = JSON.parse(core.db.prepare('SELECT search_folded FROM entries').pluck().get() as string) as string[];
    expect(folded[2]).not.toBe('Øyvind'); // the people's names, folded in the transaction
    expect(core.db.prepare("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'people:oyvind'").pluck().get()).toBe(1);
  });
});
