import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, openDatabase, type Db } from '../db/connection.ts';
import * as repo from '../db/entries.repo.ts';
import { createEntriesService } from './entries.service.ts';
import { checkJournal } from './doctor-checks.ts';
import { createJournalService, importSession, RowidSet } from './journal.service.ts';
import { importJournalFile } from '../files/journal-import.ts';
import { toApiError } from '../core.ts';
import { createSearchService } from '../search/search.service.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { EntryCreateInput, EntryUpdateInput, SearchQueryInput } from '../../../shared/api/schemas.ts';
import { ENTRY_KINDS, LATEST_TIME, type BookmarkEntry } from '../../../shared/domain/entry.ts';
import type { JournalExport, JournalStats } from '../../../shared/domain/journal.ts';

function openJournal(dir = tempDir()) {
  let clock = Date.UTC(2014, 4, 1);
  const now = () => (clock += 1000);
  const databasePath = path.join(dir, 'outloud.sqlite');
  const db = openDatabase(databasePath);
  const entries = createEntriesService(db, now);
  const journal = createJournalService(db, { databasePath, now, entries });
  const search = createSearchService(db);
  return { db, entries, journal, search, databasePath };
}

/** Imports `data` as journal-import.ts imports a large file: here one item per batch, in its own transaction. */
async function importInBatches(j: ReturnType<typeof openJournal>, data: JournalExport) {
  const file = path.join(tempDir(), 'export.json');
  fs.writeFileSync(file, JSON.stringify(data));
  return importJournalFile(file, {
    journal: j.journal,
    importWhole: () => Promise.reject(new Error('not a small file')),
    tuning: { singleCallLimit: 0, batchSize: 1 },
  });
}

const withoutTime = <T extends { exportedAt: number }>(x: T) => ({ ...x, exportedAt: 0 });

// One step of a random journal's life.
const word = fc.constantFrom('summit', 'agenda', 'fts5', 'sqlite', 'lunr', 'team', 'wol', 'draft', 'review', 'ship', 'søren', 'straße');
const text = fc
  .array(fc.oneof(word, word.map((w) => `#${w}`), fc.constantFrom('@Ann', '@[Bob Smith]', '@rogier', '@Bjørn'), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(' ').replace(/\u0000/g, ''))
  .map((t) => (t.trim() ? t : 'x')); // an entry needs some text: blank text is refused before it is saved
const step = fc.oneof(
  text.map((body) => ({ op: 'note' as const, body })),
  fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), text).map(([p, body]) => ({ op: 'bookmark' as const, url: `https://example.com/${p}`, body })),
  fc.tuple(fc.constantFrom('Ann', 'Cleo', 'Dan', 'Øyvind'), fc.array(word, { maxLength: 3 })).map(([name, topics]) => ({ op: 'person' as const, name, topics })),
  text.map((body) => ({ op: 'question' as const, body })),
  fc.tuple(fc.nat(), text).map(([i, body]) => ({ op: 'edit' as const, i, body })),
  fc.nat().map((i) => ({ op: 'trash' as const, i })),
  fc.nat().map((i) => ({ op: 'restore-revision' as const, i })),
  fc.nat().map((i) => ({ op: 'restore' as const, i })),
  fc.nat().map((i) => ({ op: 'purge' as const, i })),
  fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([i, k, unlink]) => ({ op: 'answer' as const, i, k, unlink })),
);

type Step = { op: string; [k: string]: unknown };

function play(j: ReturnType<typeof openJournal>, steps: readonly Step[]) {
  const ids: string[] = [];
  for (const s of steps) {
    const pick = () => ids[(s.i as number) % ids.length];
    switch (s.op) {
      case 'note':
        ids.push(j.entries.create(EntryCreateInput.parse({ body: s.body })).id);
        break;
      case 'bookmark':
        ids.push(j.entries.create(EntryCreateInput.parse({ kind: 'bookmark', body: s.body, bookmark: { url: s.url } })).id);
        break;
      case 'person':
        // Two people of one name are kept apart through every step (allowSameName: a namesake is refused otherwise).
        ids.push(j.entries.create(EntryCreateInput.parse({ kind: 'person', person: { name: s.name, topics: s.topics }, allowSameName: true })).id);
        break;
      case 'question':
        ids.push(j.entries.create(EntryCreateInput.parse({ kind: 'question', body: s.body })).id);
        break;
      case 'edit': {
        const id = pick();
        if (id && j.entries.get({ id }).entry.deletedAt === null) j.entries.update(EntryUpdateInput.parse({ id, body: s.body }));
        break;
      }
      case 'trash': {
        const id = pick();
        if (id) j.entries.trash({ id });
        break;
      }
      case 'restore-revision': {
        const id = pick();
        if (!id || j.entries.get({ id }).entry.deletedAt !== null) break;
        const rev = j.entries.history({ id })[0];
        if (rev) j.entries.restoreRevision({ id, revisionId: rev.id });
        break;
      }
      case 'restore': {
        const id = pick();
        if (id && j.entries.get({ id }).entry.deletedAt !== null) j.entries.restore({ id });
        break;
      }
      case 'answer': {
        // Entry i answers the question k (or, unlink, none): where both are live and i is no question.
        const id = pick();
        const q = ids.length > 0 ? ids[(s.k as number) % ids.length] : undefined;
        if (!id || !q) break;
        const [e, question] = [j.entries.get({ id }).entry, j.entries.get({ id: q }).entry];
        if (e.deletedAt !== null || e.kind === 'question') break;
        if (s.unlink) j.entries.update(EntryUpdateInput.parse({ id, answerOf: null }));
        else if (question.kind === 'question' && question.deletedAt === null) j.entries.update(EntryUpdateInput.parse({ id, answerOf: q }));
        break;
      }
      case 'purge': {
        const id = pick();
        if (!id || j.entries.get({ id }).entry.deletedAt === null) break;
        j.entries.purge({ id });
        // Every time it was listed: a bookmark of an address saved twice is one entry, listed twice.
        for (let k = ids.indexOf(id); k >= 0; k = ids.indexOf(id)) ids.splice(k, 1);
        break;
      }
    }
  }
}

describe('journal export and import', () => {
  it('round-trips any journal losslessly: entries, revisions, trash and links', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const source = openJournal();
        play(source, steps);
        const exported = source.journal.exportJournal();
        const target = openJournal();
        const report = target.journal.importJournal({ data: JSON.parse(JSON.stringify(exported)) });
        expect(report.errors).toEqual([]);
        expect(report.added).toBe(exported.entries.length);
        expect(withoutTime(target.journal.exportJournal())).toEqual(withoutTime(exported));
        expect(checkJournal(target.db).ok).toBe(true);
        expect(checkJournal(source.db).ok).toBe(true);
        source.db.close();
        target.db.close();
      }),
      { numRuns: 25 },
    );
  });

  it('streams one snapshot: what another connection saves while the export is being read is not in it', () => {
    const dir = tempDir();
    const exporter = openJournal(dir);
    const writer = openJournal(dir);
    for (let i = 0; i < 5; i++) exporter.entries.create(EntryCreateInput.parse({ body: `Before the export ${i} #kept` }));
    const first = exporter.entries.list({ limit: 10 }).items[0]!.id;
    const streamed = exporter.journal.exportStream((stream) => {
      const ids: string[] = [];
      for (const e of stream.entries) {
        ids.push(e.id);
        // Halfway through the section, another connection adds a note and edits one already read.
        if (ids.length === 2) {
          writer.entries.create(EntryCreateInput.parse({ body: 'Saved during the export' }));
          writer.entries.update(EntryUpdateInput.parse({ id: first, body: 'Edited during the export' }));
        }
      }
      return { ids, counts: stream.counts, revisions: [...stream.revisions] };
    });
    expect(streamed.ids).toHaveLength(5);
    expect(streamed.counts).toEqual({ entries: 5, revisions: 0, links: 0 });
    expect(streamed.revisions).toEqual([]);
    // The same journal read afterwards has both changes, and the export held in memory agrees.
    const after = exporter.journal.exportJournal();
    expect(after.entries).toHaveLength(6);
    expect(after.revisions).toHaveLength(1);
    expect(after.entries.find((e) => e.id === first)!.body).toBe('Edited during the export');
    exporter.db.close();
    writer.db.close();
  });

  it('carries an answer-of link, and the status it gave the question, into another journal', () => {
    const source = openJournal();
    const q = source.entries.create(EntryCreateInput.parse({ kind: 'question', body: 'Which room?' }));
    const note = source.entries.create(EntryCreateInput.parse({ body: 'The second one', answerOf: q.id }));
    const exported = source.journal.exportJournal();
    expect(exported.links).toEqual([expect.objectContaining({ from: note.id, to: q.id, type: 'answer-of' })]);
    const target = openJournal();
    expect(target.journal.importJournal({ data: JSON.parse(JSON.stringify(exported)) })).toMatchObject({ added: 2, links: 1, errors: [] });
    const there = target.entries.get({ id: q.id });
    expect(there.backlinks).toEqual([expect.objectContaining({ type: 'answer-of', entry: expect.objectContaining({ id: note.id }) })]);
    expect(there.entry).toMatchObject({ question: { status: 'answered' } });
  });

  it('adds nothing when the same export is imported again', () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'hello @Ann #x' }));
    const data = j.journal.exportJournal();
    const again = j.journal.importJournal({ data });
    expect(again).toEqual({ added: 0, updated: 0, skipped: 2, revisions: 0, links: 0, leftOut: 0, errors: [] });
    expect(j.journal.stats().entries).toBe(2);
  });

  it('refuses a file that is not an export, or is truncated, and changes nothing', () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'keep me' }));
    const before = withoutTime(j.journal.exportJournal());
    const good = JSON.stringify(j.journal.exportJournal());
    const bad: unknown[] = [
      null,
      42,
      'text',
      { format: 'something-else' },
      { ...JSON.parse(good), version: 99 },
      { ...JSON.parse(good), entries: [{ id: '../../etc', kind: 'note' }] },
      { ...JSON.parse(good), entries: [{ ...JSON.parse(good).entries[0], id: 'x2', body: 'a\u0000b' }] },
    ];
    for (const data of bad) expect(() => j.journal.importJournal({ data })).toThrow(/Not an Outloud journal export/);
    expect(() => JSON.parse(good.slice(0, good.length / 2))).toThrow();
    expect(withoutTime(j.journal.exportJournal())).toEqual(before);
  });

  it('keeps hostile text as plain data', () => {
    const j = openJournal();
    const payload = '<img src=x onerror=alert(1)> [x](javascript:alert(1))';
    const e = j.entries.create(EntryCreateInput.parse({ title: payload, body: payload }));
    const target = openJournal();
    target.journal.importJournal({ data: j.journal.exportJournal() });
    expect(target.entries.get({ id: e.id }).entry.body).toBe(payload);
  });

  it('backs up a consistent copy that opens as a journal', async () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'backed up #safe' }));
    const out = path.join(tempDir(), 'nested', 'backup.sqlite');
    const result = await j.journal.backup(out);
    expect(result.bytes).toBeGreaterThan(0);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    const copy = openDatabase(out);
    expect(copy.prepare("SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH 'safe'").get()).toEqual({ n: 1 });
    copy.close();
    await expect(j.journal.backup(j.databasePath)).rejects.toThrow(/cannot overwrite/);
  });

  it('backs up over a file a crashed program left a -wal beside without that -wal replayed over the copy, keeping its mode', async () => {
    const j = openJournal();
    for (let i = 0; i < 5; i++) j.entries.create(EntryCreateInput.parse({ body: `note ${i}` }));
    const out = path.join(tempDir(), 'backup.sqlite');
    await j.journal.backup(out);
    fs.chmodSync(out, 0o600);
    // A program that had the earlier backup open changed it and died: its -wal stays beside the file.
    const other = openDatabase(out);
    other.pragma('wal_autocheckpoint = 0');
    other.exec("UPDATE entries SET body = body || ' (looked at)' WHERE rowid = 1");
    const wal = fs.readFileSync(`${out}-wal`);
    other.close(); // a clean close checkpoints and removes it: put back what a crash leaves
    fs.writeFileSync(`${out}-wal`, wal);
    for (let i = 5; i < 11; i++) j.entries.create(EntryCreateInput.parse({ body: `note ${i}` }));
    await j.journal.backup(out);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const copy = openDatabase(out);
    expect(copy.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(copy.prepare('SELECT body FROM entries ORDER BY rowid').pluck().all()).toEqual(Array.from({ length: 11 }, (_, i) => `note ${i}`));
    copy.close();
  });

  it('backs up nothing when cancelled, before or while it copies, and leaves the file it would replace as it was', async () => {
    const j = openJournal();
    j.entries.createMany(Array.from({ length: 500 }, (_, i) => EntryCreateInput.parse({ body: `entry ${i}` })));
    const dir = tempDir();
    const out = path.join(dir, 'backup.sqlite');
    fs.writeFileSync(out, 'an older backup, kept');
    await expect(j.journal.backup(out, AbortSignal.abort())).rejects.toMatchObject({ code: 'CANCELLED', message: 'The backup was cancelled; nothing was written.' });
    // Asked for once the copy has begun (its steps run on later turns of the event loop).
    const controller = new AbortController();
    const copying = j.journal.backup(out, controller.signal);
    controller.abort();
    await expect(copying).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fs.readdirSync(dir)).toEqual(['backup.sqlite']);
    expect(fs.readFileSync(out, 'utf8')).toBe('an older backup, kept');
  });

  it('backs up in one step, so another connection saving all the while cannot make it start over forever', async () => {
    const j = openJournal();
    j.entries.createMany(Array.from({ length: 2_000 }, (_, i) => EntryCreateInput.parse({ body: `entry ${i} ${'filler '.repeat(20)}` })));
    const writer = openJournal(path.dirname(j.databasePath));
    let saving = true;
    let saved = 0;
    // A save on every turn of the event loop, between any two steps of a backup.
    const save = () => {
      if (!saving) return;
      writer.entries.create(EntryCreateInput.parse({ body: `saved during the backup ${saved++}` }));
      setImmediate(save);
    };
    save();
    const out = path.join(tempDir(), 'busy.sqlite');
    try {
      await j.journal.backup(out);
    } finally {
      saving = false;
    }
    const copy = openDatabase(out);
    expect(copy.prepare('SELECT count(*) FROM entries').pluck().get()).toBeGreaterThanOrEqual(2_001);
    expect(copy.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    copy.close();
    writer.db.close();
  });

  it('doctor finds a healthy index healthy after another connection saved (its view of the index is read again)', async () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'agenda' }));
    const other = openJournal(path.dirname(j.databasePath));
    const search = () => j.search.query(SearchQueryInput.parse({ q: 'agenda' }));
    search();
    for (let i = 0; i < 20; i++) other.entries.create(EntryCreateInput.parse({ body: `from elsewhere ${i} agenda` }));
    search();
    for (let i = 0; i < 20; i++) other.entries.create(EntryCreateInput.parse({ body: `more from elsewhere ${i} agenda` }));
    // On this connection, which read the index before those saves, and in the doctor's own thread.
    expect(checkJournal(j.db).checks.filter((c) => !c.ok)).toEqual([]);
    expect((await j.journal.doctor()).checks.filter((c) => !c.ok)).toEqual([]);
    other.db.close();
  });

  it('doctor takes no write lock: it checks the whole journal, its index too, while another connection holds that lock to save', { timeout: 30_000 }, async () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'Drafted the agenda #summit' }));
    const app = openJournal(path.dirname(j.databasePath));
    app.db.exec('BEGIN IMMEDIATE');
    try {
      app.entries.create(EntryCreateInput.parse({ body: 'Saved by the app meanwhile, not committed yet' }));
      const report = await j.journal.doctor();
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.checks.find((c) => c.name === 'fts5 integrity-check')).toEqual({ name: 'fts5 integrity-check', ok: true, detail: 'ok' });
    } finally {
      app.db.exec('COMMIT');
    }
    expect((await j.journal.doctor()).ok).toBe(true);
    app.db.close();
  });

  it('doctor reports rows whose JSON does not parse by entry, instead of failing, and checks the rest', async () => {
    const j = openJournal();
    const bad = j.entries.create(EntryCreateInput.parse({ body: 'tags broken behind its back' }));
    j.entries.create(EntryCreateInput.parse({ body: 'fine' }));
    j.db.pragma('ignore_check_constraints = ON');
    j.db.prepare("UPDATE entries SET tags = '[broken' WHERE id = ?").run(bad.id);
    j.db.pragma('ignore_check_constraints = OFF');
    const report = await j.journal.doctor();
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    expect(report.ok).toBe(false);
    expect(byName.get('stored JSON')).toEqual({ name: 'stored JSON', ok: false, detail: `not valid JSON in entry ${bad.id} (edit or remove them)` });
    expect(byName.get('export readable')).toMatchObject({ ok: false, detail: expect.stringMatching(/^not checked/) });
    expect(byName.get('integrity_check')?.ok).toBe(false);
    expect(byName.get('title counts')?.ok).toBe(true);
  });

  it('doctor says a check could not run, never ok, when what it reads is not there to read', async () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'a note' }));
    j.db.exec('ALTER TABLE revisions RENAME TO revisions_moved'); // as another program might
    const byName = new Map((await j.journal.doctor()).checks.map((c) => [c.name, c]));
    expect(byName.get('stored JSON')).toEqual({ name: 'stored JSON', ok: false, detail: 'could not be checked: no such table: revisions' });
    expect(byName.get('export readable')).toMatchObject({ ok: false, detail: expect.stringMatching(/^not checked/) });
  });

  it('doctor --repair removes rows of entries that are gone, so none joins the next entry given that rowid', async () => {
    const j = openJournal();
    const kept = j.entries.create(EntryCreateInput.parse({ body: 'hi @Ann #x' }));
    const ghost = (j.db.prepare('SELECT max(rowid) + 1 FROM entries').pluck().get() as number) + 1;
    j.db.pragma('foreign_keys = OFF');
    j.db.prepare("INSERT INTO revisions (entry_rowid, saved_at, title, body, tags, fields) VALUES (?, 1, '', 'someone else''s old text', '[]', '{}')").run(ghost);
    j.db.prepare("INSERT INTO entry_tags (tag, entry_rowid) VALUES ('ghost', ?)").run(ghost);
    j.db.prepare("INSERT INTO person_names (key, entry_rowid) VALUES ('ghost', ?)").run(ghost);
    j.db.prepare("INSERT INTO links (from_rowid, to_rowid, type) VALUES ((SELECT rowid FROM entries WHERE id = ?), ?, 'mentions')").run(kept.id, ghost);
    j.db.pragma('foreign_keys = ON');
    expect((await j.journal.doctor()).checks.find((c) => c.name === 'foreign_key_check')).toMatchObject({ ok: false, detail: expect.stringMatching(/^4 rows point at missing entries/) });
    // An export counts what it holds: the rows of the missing entry are not in it.
    const snapshot = j.journal.exportStream((s) => ({ counts: s.counts, revisions: [...s.revisions].length, links: [...s.links].length }));
    expect(snapshot.counts).toMatchObject({ revisions: snapshot.revisions, links: snapshot.links });
    j.journal.rebuildIndex();
    expect((await j.journal.doctor()).ok).toBe(true);
    const next = j.entries.create(EntryCreateInput.parse({ body: 'brand new' }));
    j.entries.create(EntryCreateInput.parse({ body: 'and another' }));
    expect([next, j.entries.list({ limit: 5 }).items[0]!].flatMap((e) => j.entries.history({ id: e.id }))).toEqual([]);
    expect(j.entries.list({ limit: 5, tag: 'ghost' }).items).toEqual([]);
  });

  it('says a busy journal is busy, not damaged: a write whose snapshot went stale is DB_BUSY', () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'one' }));
    const other = openJournal(path.dirname(j.databasePath));
    let error: unknown;
    try {
      j.db.transaction(() => {
        j.db.prepare('SELECT count(*) FROM entries').get(); // a read snapshot
        other.entries.create(EntryCreateInput.parse({ body: 'saved elsewhere meanwhile' }));
        j.db.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run(); // too late to write from it
      })();
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe('SQLITE_BUSY_SNAPSHOT');
    expect(toApiError(error)).toEqual({ code: 'DB_BUSY', message: 'The journal is busy in another process; try again in a moment.' });
    other.db.close();
  });

  it('doctor reports a damaged full-text index and rebuildIndex repairs it', async () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'indexed words here' }));
    expect((await j.journal.doctor()).ok).toBe(true);
    // Change the content behind the index's back, as a buggy writer would.
    j.db.exec("UPDATE entries SET body = 'other words entirely';");
    const report = await j.journal.doctor();
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'fts5 integrity-check')?.ok).toBe(false);
    j.journal.rebuildIndex();
    expect((await j.journal.doctor()).ok).toBe(true);
  });

  it('doctor reports what an export would carry that its import refuses, naming the items, as the import does', async () => {
    const j = openJournal();
    expect((await j.journal.doctor()).checks.find((c) => c.name === 'export readable')).toEqual({ name: 'export readable', ok: true, detail: 'ok' });
    const note = j.entries.create(EntryCreateInput.parse({ body: 'a note' }));
    const edited = j.entries.create(EntryCreateInput.parse({ kind: 'question', body: 'first text?' }));
    j.entries.update(EntryUpdateInput.parse({ id: edited.id, body: 'second text?' }));
    expect((await j.journal.doctor()).ok).toBe(true);
    // Written by an older version (or a bug), behind the checks an entry passes today.
    j.db.prepare("UPDATE entries SET title = 'bell\u0007 in a title' WHERE id = ?").run(note.id);
    j.db.exec(`UPDATE revisions SET fields = json_set(fields, '$.status', 'bogus')`);
    const report = await j.journal.doctor();
    const check = report.checks.find((c) => c.name === 'export readable')!;
    expect(report.ok).toBe(false);
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(new RegExp(`^an import would refuse 2 items of this journal's export: entry ${note.id} title: .+; revision \\d+ fields.status: .+ \\(edit or remove them\\)$`));
    // Doctor is right: the journal's own export is refused.
    expect(() => openJournal().journal.importJournal({ data: j.journal.exportJournal() })).toThrow(/Not an Outloud journal export/);
  });

  it('doctor reports an entry whose folded index text is wrong, and rebuildIndex folds it again', async () => {
    const j = openJournal();
    const folded = j.entries.create(EntryCreateInput.parse({ body: 'Lunch with Søren in Łódź' }));
    j.entries.create(EntryCreateInput.parse({ body: 'plain words' }));
    const found = () => j.search.query(SearchQueryInput.parse({ q: 'soren lodz' })).hits.map((h) => h.entry.id);
    expect(found()).toEqual([folded.id]);
    expect((await j.journal.doctor()).checks.find((c) => c.name === 'folded index text')).toEqual({ name: 'folded index text', ok: true, detail: 'ok' });
    // Lost behind the repository's back, as a buggy writer or a hand edit would lose it.
    j.db.exec('UPDATE entries SET search_folded = NULL');
    const report = await j.journal.doctor();
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'folded index text')).toMatchObject({ ok: false, detail: expect.stringMatching(/^wrong for 1 entry \(run `outloud doctor --repair`/) });
    j.journal.rebuildIndex();
    expect((await j.journal.doctor()).ok).toBe(true);
    expect(found()).toEqual([folded.id]);
  });
});

describe('stats', () => {
  it('counts live entries by kind, the trash and revisions apart', () => {
    const j = openJournal();
    const create = (input: Record<string, unknown>) => j.entries.create(EntryCreateInput.parse(input));
    create({ body: 'a note with @Ann' }); // and Ann, a person
    const gone = create({ body: 'a note for the trash' });
    create({ kind: 'bookmark', body: 'why', bookmark: { url: 'https://example.com/a' } });
    const question = create({ kind: 'question', body: 'who knows?' });
    j.entries.update(EntryUpdateInput.parse({ id: question.id, body: 'who knows about FTS5?' }));
    j.entries.trash({ id: gone.id });
    expect(j.journal.stats()).toMatchObject({
      entries: 4,
      byKind: { note: 1, bookmark: 1, person: 1, question: 1 },
      trashed: 1,
      revisions: 1,
      schemaVersion: LATEST_VERSION,
    });
    j.db.close();
  });

  it('keeps its counts equal to the entries through every write: edits, trash, purges, imports, bulk creates, another connection', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), fc.array(step, { maxLength: 10 }), (steps, otherSteps) => {
        const dir = tempDir();
        const j = openJournal(dir);
        play(j, steps);
        expect(counts(j.journal.stats())).toEqual(countedAgain(j.db));
        // A second connection to the same file (the CLI beside the app) writes too.
        const other = openJournal(dir);
        play(other, otherSteps);
        expect(counts(j.journal.stats())).toEqual(countedAgain(j.db));
        // An import of the whole journal into a new one, and into itself (nothing added).
        const exported = j.journal.exportJournal();
        const target = openJournal();
        target.journal.importJournal({ data: exported });
        expect(counts(target.journal.stats())).toEqual(countedAgain(j.db));
        j.journal.importJournal({ data: exported });
        expect(counts(j.journal.stats())).toEqual(countedAgain(j.db));
        for (const x of [j, other, target]) {
          expect(checkJournal(x.db).checks.find((c) => c.name === 'journal counts')).toMatchObject({ ok: true, detail: 'ok' });
          x.db.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('counts a bulk create, small or large, and an import that updates and trashes what is here', () => {
    const j = openJournal();
    j.entries.createMany([EntryCreateInput.parse({ body: 'one @Ann' }), EntryCreateInput.parse({ kind: 'question', body: 'two?' })]);
    j.entries.createMany(Array.from({ length: repo.BULK_ENTRIES + 5 }, (_, i) => EntryCreateInput.parse({ body: `bulk ${i} #tag` })));
    expect(counts(j.journal.stats())).toEqual(countedAgain(j.db));
    expect(j.journal.stats().byKind).toMatchObject({ note: repo.BULK_ENTRIES + 6, question: 1, person: 1 });
    // The same entries come back from another journal newer and in the Trash, with a revision each.
    const exported = j.journal.exportJournal();
    const later = exported.entries.slice(0, 3).map((e) => ({ ...e, body: `${e.body} (edited)`, updatedAt: e.updatedAt + 10_000, deletedAt: e.updatedAt + 10_000 }));
    j.journal.importJournal({ data: { ...exported, entries: later, revisions: [], links: [] } });
    expect(j.journal.stats()).toMatchObject({ trashed: 3, revisions: 3 });
    expect(counts(j.journal.stats())).toEqual(countedAgain(j.db));
    j.db.close();
  });

  it('counts a purge out of the Trash, and the revisions it takes along', () => {
    const j = openJournal();
    const kept = j.entries.create(EntryCreateInput.parse({ body: 'kept, edited once' }));
    j.entries.update(EntryUpdateInput.parse({ id: kept.id, body: 'kept, edited' }));
    const gone = j.entries.create(EntryCreateInput.parse({ kind: 'question', body: 'asked twice?' }));
    for (const body of ['asked again?', 'and again?']) j.entries.update(EntryUpdateInput.parse({ id: gone.id, body }));
    j.entries.trash({ id: gone.id });
    expect(j.journal.stats()).toMatchObject({ entries: 1, trashed: 1, revisions: 3 });
    j.entries.purge({ id: gone.id });
    expect(j.journal.stats()).toMatchObject({ entries: 1, byKind: { note: 1, question: 0 }, trashed: 0, revisions: 1 });
    expect(counts(j.journal.stats())).toEqual(countedAgain(j.db));
    j.db.close();
  });

  it('doctor finds counts that disagree with the entries, and rebuildIndex counts them again', async () => {
    const j = openJournal();
    const gone = j.entries.create(EntryCreateInput.parse({ body: 'soon in the trash' }));
    j.entries.create(EntryCreateInput.parse({ kind: 'question', body: 'still open?' }));
    j.entries.trash({ id: gone.id });
    expect((await j.journal.doctor()).checks.find((c) => c.name === 'journal counts')?.detail).toBe('ok');
    // Counts changed behind the repository's back, as a buggy writer would.
    j.db.exec("UPDATE journal_counts SET n = n + 7 WHERE name = 'live question'; DELETE FROM journal_counts WHERE name = 'trashed note'; INSERT INTO journal_counts VALUES ('live bookmark', 2);");
    const report = await j.journal.doctor();
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'journal counts')?.detail).toBe(
      'counted wrong: live bookmark, live question, trashed note (run `outloud doctor --repair` to count them again)',
    );
    j.journal.rebuildIndex();
    expect((await j.journal.doctor()).ok).toBe(true);
    expect(j.journal.stats()).toMatchObject({ entries: 1, byKind: { note: 0, bookmark: 0, person: 0, question: 1 }, trashed: 1, revisions: 0 });
    j.db.close();
  });
});

const counts = (s: JournalStats) => ({ entries: s.entries, byKind: s.byKind, trashed: s.trashed, revisions: s.revisions });

/** The numbers of journal.stats counted from the rows themselves. */
function countedAgain(db: Db) {
  const count = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number;
  const byKind = Object.fromEntries(ENTRY_KINDS.map((k) => [k, count('SELECT count(*) FROM entries WHERE kind = ? AND deleted_at IS NULL', k)]));
  return {
    entries: count('SELECT count(*) FROM entries WHERE deleted_at IS NULL'),
    byKind,
    trashed: count('SELECT count(*) FROM entries WHERE deleted_at IS NOT NULL'),
    revisions: count('SELECT count(*) FROM revisions'),
  };
}

describe('backup into the data folder', () => {
  it('writes a dated copy under backups/ next to the journal', async () => {
    const dir = tempDir();
    const j = openJournal(dir);
    j.entries.create(EntryCreateInput.parse({ body: 'keep' }));
    const result = await j.journal.backupToDataDir();
    expect(path.dirname(result.path)).toBe(path.join(dir, 'backups'));
    expect(path.basename(result.path)).toMatch(/^outloud-2014-05-01T.*\.sqlite$/);
    expect(fs.statSync(result.path).size).toBe(result.bytes);
  });
});

describe('the entry order search relies on (entry_order)', () => {
  const recount = (db: Db) => db.prepare<[], repo.EntryOrder>(repo.ENTRY_ORDER_SQL).get()!;

  it('follows every way entries are added, and doctor finds it kept as more in order than it is', async () => {
    const j = openJournal();
    const note = (createdAt: number) => EntryCreateInput.parse({ body: `at ${createdAt}`, createdAt });
    for (const t of [10, 20, 20, 30]) j.entries.create(note(t));
    expect(repo.entryOrder(j.db)).toEqual({ newest: 30, disordered: 0 });
    const backdated = j.entries.create(note(15));
    const backdatedRowid = repo.rowidById(j.db, backdated.id)!;
    expect(repo.entryOrder(j.db)).toEqual({ newest: 30, disordered: backdatedRowid });
    // A bulk create, large enough for its rows to wait until the end of its transaction.
    j.entries.createMany([...Array.from({ length: 1_200 }, (_, i) => note(40 + i)), note(5), note(2_000)]);
    expect(repo.entryOrder(j.db)).toEqual(recount(j.db));
    expect(repo.entryOrder(j.db).disordered).toBeGreaterThan(backdatedRowid);
    // An import into a journal of its own, in the file's order (newest first), and into one in order.
    const file = JSON.parse(JSON.stringify(j.journal.exportJournal())) as JournalExport;
    const into = openJournal();
    into.journal.importJournal({ data: file });
    expect(repo.entryOrder(into.db)).toEqual(recount(into.db));
    // An import that rewrites an entry's creation time: every entry may now be out of order with it.
    const rewritten = { ...file, entries: file.entries.map((e) => (e.id === backdated.id ? { ...e, createdAt: 1, updatedAt: e.updatedAt + 1 } : e)) };
    into.journal.importJournal({ data: rewritten });
    expect(repo.entryOrder(into.db).disordered).toBeGreaterThanOrEqual(recount(into.db).disordered);
    expect((await into.journal.doctor()).ok).toBe(true);

    into.db.prepare('UPDATE entry_order SET disordered = 0').run();
    const check = (await into.journal.doctor()).checks.find((c) => c.name === 'entry order')!;
    expect(check).toMatchObject({ ok: false, detail: expect.stringContaining('doctor --repair') });
    into.journal.rebuildIndex();
    expect(repo.entryOrder(into.db)).toEqual(recount(into.db));
    expect((await into.journal.doctor()).ok).toBe(true);
  });
});

describe('backups at once', () => {
  it('each get a file of their own, also within one millisecond, and leave no partial file', async () => {
    const dir = tempDir();
    const databasePath = path.join(dir, 'outloud.sqlite');
    const db = openDatabase(databasePath);
    const entries = createEntriesService(db, () => Date.UTC(2014, 4, 1));
    const journal = createJournalService(db, { databasePath, now: () => Date.UTC(2014, 4, 1), entries });
    entries.create(EntryCreateInput.parse({ body: 'keep' }));
    const results = await Promise.all([journal.backupToDataDir(), journal.backupToDataDir(), journal.backupToDataDir()]);
    expect(new Set(results.map((r) => r.path)).size).toBe(3);
    expect(fs.readdirSync(path.join(dir, 'backups')).sort()).toEqual(['outloud-2014-05-01T00-00-00-000Z-2.sqlite', 'outloud-2014-05-01T00-00-00-000Z-3.sqlite', 'outloud-2014-05-01T00-00-00-000Z.sqlite']);
    for (const r of results) {
      const copy = openDatabase(r.path);
      expect(copy.prepare('SELECT body FROM entries').pluck().all()).toEqual(['keep']);
      copy.close();
    }
  });
});

describe('imported revisions', () => {
  it("of an entry already here are checked against its kind: one it cannot hold is left out and said, the rest come in", () => {
    const j = openJournal();
    const b = j.entries.create(EntryCreateInput.parse({ kind: 'bookmark', bookmark: { url: 'https://b.example/' } })) as BookmarkEntry;
    const file = JSON.parse(JSON.stringify(j.journal.exportJournal())) as JournalExport;
    const revision = (id: number, fields: Record<string, unknown>) => ({ id, entryId: b.id, savedAt: 5, title: `old ${id}`, body: '', tags: [], fields });
    // The entry as it is here in one batch, then revisions it does not have in the next (as the CLI
    // sends a large file), which no check of the file's own kinds saw.
    const session = importSession();
    j.journal.importValidated({ entries: file.entries, revisions: [], links: [] }, session);
    const report = j.journal.importValidated({ entries: [], revisions: [revision(7, { evil: 1 }), revision(8, { ...b.bookmark, excerpt: 'was' })], links: [] }, session);
    expect(report).toMatchObject({ revisions: 1, leftOut: 0 });
    expect(report.errors).toEqual([{ ref: b.id, message: expect.stringMatching(/^revision 7 left out: its fields\.url is not valid/) }]);
    expect(j.entries.history({ id: b.id }).map((r) => r.title)).toEqual(['old 8']);
  });

  it('are listed newest first by when they were replaced, whatever ids the import could keep', () => {
    const a = openJournal();
    const note = a.entries.create(EntryCreateInput.parse({ body: 'version one' }));
    a.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'version two' }));
    a.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'version three' }));
    const file = JSON.parse(JSON.stringify(a.journal.exportJournal())) as JournalExport;
    expect(file.revisions.map((r) => r.id)).toEqual([1, 2]);
    // Here, revisions 1 and 3 are taken and 2 is free (its entry was purged): the file's 2 keeps its
    // id, its 1 is numbered after 3.
    const b = openJournal();
    const here = ['p', 'q', 'r'].map((t) => b.entries.create(EntryCreateInput.parse({ body: t })));
    for (const e of here) b.entries.update(EntryUpdateInput.parse({ id: e.id, body: `${e.body} again` }));
    b.entries.trash({ id: here[1]!.id });
    b.entries.purge({ id: here[1]!.id });
    expect(b.journal.importJournal({ data: file }).errors).toEqual([]);
    const history = b.entries.history({ id: note.id });
    expect(history.map((r) => r.body)).toEqual(['version two', 'version one']);
    expect(history[0]!.savedAt).toBeGreaterThan(history[1]!.savedAt);
    expect(history.map((r) => r.id)).not.toEqual([...history.map((r) => r.id)].sort((x, y) => y - x));
  });

  it('keep their ids from the file only where the journal can still number its own after them', () => {
    const j = openJournal();
    const note = j.entries.create(EntryCreateInput.parse({ body: 'first' }));
    const file = JSON.parse(JSON.stringify(j.journal.exportJournal())) as JournalExport;
    const data = { ...file, revisions: [{ id: Number.MAX_SAFE_INTEGER, entryId: note.id, savedAt: 5, title: 'older', body: 'older', tags: [], fields: {} }] };
    const target = openJournal();
    expect(target.journal.importJournal({ data }).errors).toEqual([]);
    target.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'second' }));
    target.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'third' }));
    const ids = target.entries.history({ id: note.id }).map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(Number.isSafeInteger(id) && id < 2 ** 49).toBe(true);
    // And the journal's export imports again.
    expect(openJournal().journal.importJournal({ data: JSON.parse(JSON.stringify(target.journal.exportJournal())) }).errors).toEqual([]);
  });
});

describe('a newer version of an entry imported again', () => {
  it('brings the history it has in the file, saved at the same times, and no revision of a text only trashed there', async () => {
    const a = openJournal();
    const note = a.entries.create(EntryCreateInput.parse({ body: 'v1 text' }));
    const trashed = a.entries.create(EntryCreateInput.parse({ body: 'keep me' }));
    const first = JSON.parse(JSON.stringify(a.journal.exportJournal())) as JournalExport;
    a.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'v2 text' }));
    a.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'v3 text' }));
    a.entries.trash({ id: trashed.id });
    const second = JSON.parse(JSON.stringify(a.journal.exportJournal())) as JournalExport;
    const of = (data: Pick<JournalExport, 'entries' | 'revisions'>, id: string) => ({
      entries: data.entries.filter((e) => e.id === id),
      revisions: data.revisions.filter((r) => r.entryId === id),
    });
    // In one call (the app), and in batches, the file's revisions after all its entries (the CLI).
    for (const importAgain of [(b: ReturnType<typeof openJournal>) => b.journal.importJournal({ data: second }), (b: ReturnType<typeof openJournal>) => importInBatches(b, second)]) {
      const b = openJournal();
      b.journal.importJournal({ data: first });
      expect(await importAgain(b)).toMatchObject({ updated: 2, errors: [] });
      const exported = b.journal.exportJournal();
      for (const id of [note.id, trashed.id]) expect(of(exported, id)).toEqual(of(second, id));
      expect(b.journal.stats().revisions).toBe(2);
      expect(checkJournal(b.db).ok).toBe(true);
    }
  });

  it('keeps the version that was here as a revision when the file does not hold it', () => {
    const a = openJournal();
    const note = a.entries.create(EntryCreateInput.parse({ body: 'v1 text' }));
    const b = openJournal();
    b.journal.importJournal({ data: JSON.parse(JSON.stringify(a.journal.exportJournal())) });
    // Edited here, then edited there later: the file's version wins, and the text written here stays in the history.
    b.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'written here' }));
    a.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'written there' }));
    a.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'written there, again' }));
    b.journal.importJournal({ data: JSON.parse(JSON.stringify(a.journal.exportJournal())) });
    expect(b.entries.get({ id: note.id }).entry.body).toBe('written there, again');
    expect(b.entries.history({ id: note.id }).map((r) => r.body)).toEqual(expect.arrayContaining(['v1 text', 'written here', 'written there']));
    expect(checkJournal(b.db).ok).toBe(true);
  });
});

describe('imported entries in the index', () => {
  it('keep the names of a person the import renamed, for the notes here that mention them', () => {
    const j = openJournal();
    const ann = j.entries.create(EntryCreateInput.parse({ kind: 'person', person: { name: 'Ann Lee' } }));
    const target = openJournal();
    target.journal.importJournal({ data: JSON.parse(JSON.stringify(j.journal.exportJournal())) });
    // A note written over there only, then Ann renamed here and her new version imported there.
    const note = target.entries.create(EntryCreateInput.parse({ body: 'Lunch with @[Ann Lee]' }));
    j.entries.update(EntryUpdateInput.parse({ id: ann.id, person: { name: 'Ann Smith', aliases: ['annie'] } }));
    const newer = JSON.parse(JSON.stringify(j.journal.exportJournal())) as JournalExport;
    expect(target.journal.importJournal({ data: newer })).toMatchObject({ updated: 1, errors: [] });
    const found = (q: string) => target.db.prepare('SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ?').pluck().all(q);
    expect(found('people:annie')).toContain(note.id);
    expect(found('people:smith')).toContain(note.id);
    expect(checkJournal(target.db).ok).toBe(true);
  });


  it('are found by the names of the people they mention, aliases included', () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ kind: 'person', person: { name: 'Ann Lee', aliases: ['annie'] } }));
    const note = j.entries.create(EntryCreateInput.parse({ body: 'Lunch with @[Ann Lee]' }));
    const target = openJournal();
    target.journal.importJournal({ data: JSON.parse(JSON.stringify(j.journal.exportJournal())) });
    const found = (q: string) => target.db.prepare('SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ?').all(q);
    expect(found('people:annie')).toContainEqual({ id: note.id });
    expect(checkJournal(target.db).ok).toBe(true);
  });
});

describe('import of entries already here', () => {
  const file = (entries: unknown[]) => ({ format: 'outloud-journal', version: 1, exportedAt: 1, entries, revisions: [], links: [] });
  const note = (id: string, over: Record<string, unknown> = {}) => ({
    id, title: '', body: `note ${id}`, tags: [], createdAt: 1, updatedAt: 10, deletedAt: null, source: 'cli', sourceRef: null, kind: 'note', ...over,
  });
  const bookmark = (id: string, url: string, over: Record<string, unknown> = {}) => ({
    ...note(id, { kind: 'bookmark', title: url }),
    bookmark: { url, urlNormalized: url.replace('https://', ''), site: 'example.com', excerpt: '', notes: [], ...over },
  });

  it('sorts out each clash by id, bookmark address or source reference, and adds the rest', () => {
    const j = openJournal();
    j.journal.importJournal({ data: file([note('same1'), bookmark('bm1', 'https://example.com/a'), note('src1', { source: 'import:x', sourceRef: 'r1' }), note('old1')]) });
    const report = j.journal.importJournal({
      data: file([
        note('same1'), // the same entry again
        note('same1', { kind: 'question', question: { status: 'open', askedBy: '', answer: '', closedAt: null } }), // another kind, same id
        bookmark('bm2', 'https://example.com/a', { notes: ['a colleague read it too'] }), // another bookmark of the same address: joins it
        note('src2', { source: 'import:x', sourceRef: 'r1' }), // the same item of the same source
        note('old1', { body: 'newer text #fresh', tags: ['fresh'], updatedAt: 20 }), // a newer version
        note('new1'),
      ]),
    });
    expect(report).toEqual({
      added: 1,
      updated: 2,
      skipped: 2,
      revisions: 0,
      links: 0,
      leftOut: 0,
      errors: [{ ref: 'same1', message: 'kind differs (note here, question in the file)' }],
    });
    expect(j.entries.get({ id: 'bm1' }).entry).toMatchObject({ body: 'note bm1\n\na colleague read it too', bookmark: { notes: ['a colleague read it too'] } });
    expect(j.entries.get({ id: 'old1' }).entry).toMatchObject({ body: 'newer text #fresh', tags: ['fresh'] });
    expect(j.entries.history({ id: 'old1' }).map((r) => r.body)).toEqual(['note old1']);
    expect(j.entries.list({ limit: 50, tag: 'fresh' }).items.map((e) => e.id)).toEqual(['old1']);
    expect(j.journal.stats().entries).toBe(5);
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('joins a colleague’s bookmark of a page bookmarked here to it: both notes, the tags, the links; importing again adds nothing', () => {
    const mine = openJournal();
    const here = mine.entries.create(EntryCreateInput.parse({ kind: 'bookmark', bookmark: { url: 'https://example.com/post' }, body: 'my take' }));
    const theirs = openJournal();
    const b = theirs.entries.create(EntryCreateInput.parse({ kind: 'bookmark', bookmark: { url: 'https://EXAMPLE.com/post?utm_source=x' }, body: 'their take #security' }));
    theirs.entries.update(EntryUpdateInput.parse({ id: b.id, body: 'their take, edited #security' }));
    const cites = theirs.entries.create(EntryCreateInput.parse({ body: 'see https://example.com/post for the details' }));
    const data = JSON.parse(JSON.stringify(theirs.journal.exportJournal())) as JournalExport;
    expect(mine.journal.importJournal({ data })).toEqual({ added: 1, updated: 1, skipped: 0, revisions: 0, links: 1, leftOut: 0, errors: [] });
    const merged = mine.entries.get({ id: here.id });
    expect(merged.entry).toMatchObject({ body: 'my take\n\ntheir take, edited #security', tags: ['security'], bookmark: { notes: ['my take', 'their take, edited #security'] } });
    expect(merged.backlinks.map((l) => l.entry.id)).toEqual([cites.id]);
    // Their bookmark's history is theirs: it does not join this one's.
    expect(mine.entries.history({ id: here.id }).map((r) => r.body)).toEqual(['my take']);
    expect(mine.journal.importJournal({ data })).toEqual({ added: 0, updated: 0, skipped: 2, revisions: 0, links: 0, leftOut: 0, errors: [] });
    expect(checkJournal(mine.db).ok).toBe(true);
  });

  it('joins a bookmark at the address of another, in the file or here, to it; refuses a newer version moved onto another’s address', () => {
    const j = openJournal();
    j.journal.importJournal({ data: file([bookmark('here1', 'https://example.com/a'), bookmark('here2', 'https://example.com/b')]) });
    const report = j.journal.importJournal({
      data: file([
        { ...bookmark('here2', 'https://example.com/a'), updatedAt: 20 }, // a newer version, moved to here1's address
        bookmark('new1', 'https://example.com/c', { urlNormalized: '' }), // one page twice, with no address key in the file
        bookmark('new2', 'https://www.example.com/c/', { urlNormalized: '' }),
        note('new3'),
      ]),
    });
    expect(report).toEqual({
      added: 2,
      updated: 1,
      skipped: 0,
      revisions: 0,
      links: 0,
      leftOut: 0,
      errors: [{ ref: 'here2', message: 'same address as bookmark here1; kept the one already here' }],
    });
    expect(j.entries.get({ id: 'here2' }).entry).toMatchObject({ updatedAt: 10, bookmark: { url: 'https://example.com/b' } });
    expect(j.entries.get({ id: 'new1' }).entry.body).toBe('note new1\n\nnote new2');
    expect(() => j.entries.get({ id: 'new2' })).toThrow(/not found|No entry/i);
    expect(j.entries.get({ id: 'new3' }).entry.body).toBe('note new3');
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('keys a bookmark by its own URL, not by the address key and site in the file, so the page is not bookmarked twice', () => {
    const j = openJournal();
    const report = j.journal.importJournal({
      data: file([
        bookmark('page', 'https://www.example.com/page?utm_source=feed', { urlNormalized: 'somewhere else', site: 'elsewhere.org' }),
        bookmark('ftp', 'ftp://example.com/file'),
      ]),
    });
    expect(report.errors).toEqual([{ ref: 'ftp', message: 'not a web address: ftp://example.com/file (only http and https links can be bookmarked)' }]);
    expect(j.entries.get({ id: 'page' }).entry).toMatchObject({ bookmark: { urlNormalized: 'https://example.com/page', site: 'example.com' } });
    // The same page saved again is the bookmark already here; `site:` finds it.
    expect(j.entries.create(EntryCreateInput.parse({ kind: 'bookmark', body: 'read again', bookmark: { url: 'https://example.com/page' } })).id).toBe('page');
    expect(j.search.query(SearchQueryInput.parse({ q: 'site:example.com' })).hits.map((h) => h.entry.id)).toEqual(['page']);
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('keeps the tags of the newer version when one import holds an entry twice', () => {
    const j = openJournal();
    j.journal.importJournal({ data: file([note('twice', { tags: ['first'], updatedAt: 10 }), note('twice', { body: 'again', tags: ['second'], updatedAt: 11 })]) });
    expect(j.entries.get({ id: 'twice' }).entry.tags).toEqual(['second']);
    const tagRows = j.db.prepare('SELECT tag FROM entry_tags t JOIN entries e ON e.rowid = t.entry_rowid WHERE e.id = ?').all('twice');
    expect(tagRows).toEqual([{ tag: 'second' }]);
    expect(checkJournal(j.db).ok).toBe(true);
  });
});

describe('import of many entries', () => {
  const file = (entries: unknown[]) => ({ format: 'outloud-journal', version: 1, exportedAt: 1, entries, revisions: [], links: [] });
  const note = (i: number, over: Record<string, unknown> = {}) => ({
    id: `bulk${i}`, title: '', body: `bulk note ${i} about ${['sqlite', 'lunr', 'fts5'][i % 3]}`, tags: [`t${i % 5}`], createdAt: i, updatedAt: i,
    deletedAt: i % 7 === 0 ? 99 : null, source: 'cli', sourceRef: null, kind: 'note', ...over,
  });
  const hashsize = (db: ReturnType<typeof openJournal>['db']) => db.prepare("SELECT v FROM entries_fts_config WHERE k = 'hashsize'").get();
  const count = (db: ReturnType<typeof openJournal>['db'], q: string) => (db.prepare('SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH ?').get(q) as { n: number }).n;

  it('indexes and tags every live entry, and leaves FTS5 as it was set', () => {
    const j = openJournal();
    const entries = Array.from({ length: 1_500 }, (_, i) => note(i));
    expect(j.journal.importJournal({ data: file(entries) }).added).toBe(1_500);
    expect(count(j.db, 'sqlite')).toBe(entries.filter((e) => e.deletedAt === null && e.body.includes('sqlite')).length);
    expect(j.entries.list({ limit: 500, tag: 't3' }).items).toHaveLength(entries.filter((e, i) => e.deletedAt === null && i % 5 === 3).length);
    expect((j.db.prepare('SELECT count(*) AS n FROM entry_tags').get() as { n: number }).n).toBe(1_500); // the trash keeps its tags
    expect(hashsize(j.db)).toEqual({ v: 1024 * 1024 }); // FTS5's default, written back
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('indexes rows one by one when those waiting are not one range of rowids', () => {
    const j = openJournal();
    const write = (id: string, deletedAt: number | null = null) =>
      j.entries.toWrite({ id, kind: 'note', title: '', body: `pending ${id}`, tags: ['waiting'], fields: {}, createdAt: 1, updatedAt: 1, deletedAt, source: 'cli', sourceRef: null });
    j.db.transaction(() => {
      const pending = repo.pendingRows();
      repo.insertEntryIfNew(j.db, write('p1'), pending);
      repo.insertEntry(j.db, write('between')); // indexed at once: inside the range of those waiting
      repo.insertEntryIfNew(j.db, write('p2', 5), pending);
      repo.insertEntryIfNew(j.db, write('p3'), pending);
      expect(pending.rowids).toHaveLength(3);
      repo.writePending(j.db, pending);
      expect(pending.rowids).toEqual([]);
    })();
    expect(count(j.db, 'pending')).toBe(3); // p1, between, p3: the trashed p2 is not indexed
    expect((j.db.prepare("SELECT count(*) AS n FROM entry_tags WHERE tag = 'waiting'").get() as { n: number }).n).toBe(4);
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('writes nothing, and leaves FTS5 as it was, when a batch fails partway', () => {
    const j = openJournal();
    const before = hashsize(j.db);
    const entries = Array.from({ length: 1_200 }, (_, i) => note(i, { deletedAt: null }));
    // Not valid (importValidated trusts its caller to have checked): the database refuses the status.
    entries[1_100] = { ...entries[1_100]!, kind: 'question', question: { status: 'bogus', askedBy: '', answer: '', closedAt: null } } as never;
    expect(() => j.journal.importValidated({ entries: entries as never, revisions: [], links: [] })).toThrow(/CHECK constraint/);
    expect(j.journal.stats().entries).toBe(0);
    expect(count(j.db, 'bulk')).toBe(0);
    expect(hashsize(j.db)).toEqual(before);
    expect(j.journal.importValidated({ entries: entries.slice(0, 1_000) as never, revisions: [], links: [] }).added).toBe(1_000);
    expect(count(j.db, 'fts5')).toBe(333);
    expect(checkJournal(j.db).ok).toBe(true);
  });
});

describe('import of entries this journal would store otherwise', () => {
  it('brings in no revision of an entry it refuses: they would go to the other entry here with that id', () => {
    const j = openJournal();
    const note = j.entries.create(EntryCreateInput.parse({ body: 'my own note' }));
    const other = openJournal();
    const question = other.entries.create(EntryCreateInput.parse({ kind: 'question', body: 'first question text?' }));
    other.entries.update(EntryUpdateInput.parse({ id: question.id, body: 'QUESTION REVISION #evil?' }));
    const file = other.journal.exportJournal();
    // The question in the file has the note's id here.
    const clash = JSON.parse(JSON.stringify(file).replaceAll(question.id, note.id)) as JournalExport;
    const report = j.journal.importJournal({ data: clash });
    expect(report.errors).toEqual([{ ref: note.id, message: 'kind differs (note here, question in the file)' }]);
    expect(j.entries.history({ id: note.id })).toEqual([]);
    expect(j.entries.get({ id: note.id }).entry.body).toBe('my own note');
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('takes no revision or link for entries the file does not hold: they would attach to the entries here with those ids', async () => {
    const j = openJournal();
    const mine = j.entries.create(EntryCreateInput.parse({ body: 'my own note' }));
    const ada = j.entries.create(EntryCreateInput.parse({ kind: 'person', person: { name: 'Ada' } }));
    const theirs = openJournal();
    const their = theirs.entries.create(EntryCreateInput.parse({ body: 'their note' }));
    const base = JSON.parse(JSON.stringify(theirs.journal.exportJournal())) as JournalExport;
    // A file holding one note of its own, and a history and links for entries of this journal.
    const data: JournalExport = {
      ...base,
      revisions: [{ id: 900, entryId: mine.id, savedAt: 5, title: '', body: 'PLANTED TEXT', tags: [], fields: {} }],
      links: [
        { from: mine.id, to: ada.id, type: 'mentions' },
        { from: their.id, to: ada.id, type: 'refers-to' },
        { from: mine.id, to: their.id, type: 'refers-to' },
      ],
    };
    const untouched = () => ({ history: j.entries.history({ id: mine.id }), ada: j.entries.get({ id: ada.id }).backlinks, mine: j.entries.get({ id: mine.id }).links });
    const before = untouched();
    expect(j.journal.importJournal({ data })).toEqual({ added: 1, updated: 0, skipped: 0, revisions: 0, links: 0, leftOut: 4, errors: [] });
    expect(untouched()).toEqual(before);
    // The same in batches, as the CLI imports a large file: the file's own note is then here already.
    expect(await importInBatches(j, data)).toEqual({ added: 0, updated: 0, skipped: 1, revisions: 0, links: 0, leftOut: 4, errors: [] });
    expect(untouched()).toEqual(before);
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it("links to a bookmark the file's joined to one here, and to an item of a source imported here too, also from later batches", async () => {
    const j = openJournal();
    const here = j.entries.create(EntryCreateInput.parse({ kind: 'bookmark', bookmark: { url: 'https://example.com/post' } }));
    const slack = j.entries.create(EntryCreateInput.parse({ body: 'the thread', source: 'import:slack', sourceRef: 'C1/1700000000.1' }));
    const theirs = openJournal();
    const b = theirs.entries.create(EntryCreateInput.parse({ kind: 'bookmark', bookmark: { url: 'https://example.com/post' }, body: 'their take' }));
    const s = theirs.entries.create(EntryCreateInput.parse({ body: 'the thread, their copy', source: 'import:slack', sourceRef: 'C1/1700000000.1' }));
    const cites = theirs.entries.create(EntryCreateInput.parse({ body: 'see https://example.com/post' }));
    const data = JSON.parse(JSON.stringify(theirs.journal.exportJournal())) as JournalExport;
    data.links.push({ from: cites.id, to: s.id, type: 'refers-to' });
    // Each entry in a batch of its own, the links after: the joins are remembered between batches.
    const report = await importInBatches(j, data);
    expect(report).toMatchObject({ added: 1, updated: 1, skipped: 1, links: 2, leftOut: 0, errors: [] });
    expect(j.entries.get({ id: here.id }).backlinks.map((l) => l.entry.id)).toEqual([cites.id]);
    expect(j.entries.get({ id: slack.id }).backlinks.map((l) => l.entry.id)).toEqual([cites.id]);
    expect(j.entries.get({ id: slack.id }).entry.body).toBe('the thread');
    expect(() => j.entries.get({ id: b.id })).toThrow();
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('refuses an item of a source here as another kind, saying so, instead of skipping it in silence', () => {
    const j = openJournal();
    j.entries.create(EntryCreateInput.parse({ body: 'a note', source: 'import:mail', sourceRef: '<m1@example.com>' }));
    const theirs = openJournal();
    const q = theirs.entries.create(EntryCreateInput.parse({ kind: 'question', body: 'a question?', source: 'import:mail', sourceRef: '<m1@example.com>' }));
    const report = j.journal.importJournal({ data: JSON.parse(JSON.stringify(theirs.journal.exportJournal())) });
    expect(report).toMatchObject({ added: 0, skipped: 0, errors: [{ ref: q.id, message: expect.stringMatching(/^kind differs \(note .* here comes from the same source, question in the file\)$/) }] });
  });

  it('stores tags as a save does: no #, lower case, composed, once each; so tag filters find them', () => {
    const source = openJournal();
    const e = source.entries.create(EntryCreateInput.parse({ body: 'tagged from elsewhere' }));
    source.entries.update(EntryUpdateInput.parse({ id: e.id, body: 'tagged from elsewhere, edited' }));
    const file = source.journal.exportJournal();
    const entry = file.entries.find((x) => x.id === e.id)!;
    entry.tags = ['#Foo', ' Bar ', 'Stra\u0073\u0073e', 'Cafe\u0301', 'foo'];
    file.revisions[0]!.tags = ['#Old'];
    const j = openJournal();
    expect(j.journal.importJournal({ data: file }).errors).toEqual([]);
    expect(j.entries.get({ id: e.id }).entry.tags).toEqual(['foo', 'bar', 'strasse', 'café']);
    expect(j.entries.history({ id: e.id }).map((r) => r.tags)).toEqual([['old']]);
    for (const q of ['#foo', 'tag:bar', '#café']) expect(j.search.query(SearchQueryInput.parse({ q })).hits.map((h) => h.entry.id), q).toEqual([e.id]);
    expect(checkJournal(j.db).ok).toBe(true);
  });
});

describe('import of an entry whose links changed', () => {
  const mentioned = (j: ReturnType<typeof openJournal>, id: string) => j.entries.get({ id }).links.map((l) => l.entry.title).sort();
  const found = (j: ReturnType<typeof openJournal>, q: string) => j.search.query(SearchQueryInput.parse({ q })).hits.map((h) => h.entry.id);
  /** A journal's note mentioning Bob, then (edited) Carol: an export of each version, Carol after the note in the second. */
  function twoVersions() {
    const source = openJournal();
    const note = source.entries.create(EntryCreateInput.parse({ body: 'hi @Bob' }));
    const first = source.journal.exportJournal();
    source.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'hi @Carol' }));
    return { id: note.id, first, second: source.journal.exportJournal() };
  }
  it('takes the links of the newer version in the file in place of the old ones, in the index too', () => {
    const { id, first, second } = twoVersions();
    const j = openJournal();
    j.journal.importJournal({ data: first });
    expect(j.journal.importJournal({ data: second })).toEqual({ added: 1, updated: 1, skipped: 1, revisions: 0, links: 1, leftOut: 0, errors: [] });
    expect(mentioned(j, id)).toEqual(['Carol']);
    expect(found(j, '@bob')).not.toContain(id);
    expect(found(j, 'bob')).not.toContain(id); // nor by Bob's name in its people text
    expect(found(j, '@carol')).toContain(id);
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it("adds none of the file's links from an entry newer here, and those to it from entries it adds", () => {
    const source = openJournal();
    const note = source.entries.create(EntryCreateInput.parse({ body: 'hi @Bob' }));
    const j = openJournal();
    j.journal.importJournal({ data: source.journal.exportJournal() });
    j.entries.update(EntryUpdateInput.parse({ id: note.id, body: 'no mention' }));
    const thanks = source.entries.create(EntryCreateInput.parse({ body: 'thanks @Bob' }));
    expect(j.journal.importJournal({ data: source.journal.exportJournal() })).toEqual({ added: 1, updated: 0, skipped: 2, revisions: 0, links: 1, leftOut: 0, errors: [] });
    expect(mentioned(j, note.id)).toEqual([]);
    expect(mentioned(j, thanks.id)).toEqual(['Bob']);
    expect(found(j, '@bob')).toContain(thanks.id);
    expect(found(j, '@bob')).not.toContain(note.id);
    expect(checkJournal(j.db).ok).toBe(true);
  });

  it('does the same with a file whatever the imports before it in the same process left out', async () => {
    const { id, first, second } = twoVersions();
    const bob = second.entries.find((e) => e.title === 'Bob')!;
    /** A journal with the note edited here after the second version came in: newer here than either file. */
    const edited = () => {
      const j = openJournal();
      j.journal.importJournal({ data: second });
      j.entries.update(EntryUpdateInput.parse({ id, body: 'hi @Carol again' }));
      return j;
    };
    const fresh = edited();
    // One that imported the older file first: that import left the note, and its links, out.
    const before = edited();
    expect(await importInBatches(before, first)).toMatchObject({ updated: 0, errors: [] });
    expect(mentioned(before, id)).toEqual(['Carol']);
    // A later file linking the note to Bob (a link from an entry the file does not hold) leaves the
    // link out of both, as out of a journal whose process imported nothing before.
    const linkToBob: JournalExport = { ...second, entries: [bob], revisions: [], links: [{ from: id, to: bob.id, type: 'mentions' }] };
    for (const j of [before, fresh]) {
      expect(await importInBatches(j, linkToBob)).toMatchObject({ links: 0, leftOut: 1, errors: [] });
      expect(mentioned(j, id)).toEqual(['Carol']);
      expect(checkJournal(j.db).ok).toBe(true);
    }
  });

  it('holds to both when an entry and its links come in different batches, and an import run again still brings them', async () => {
    const { id, first, second } = twoVersions();
    expect(second.entries.map((e) => e.title)).toEqual(['Bob', 'hi @Carol', 'Carol']);
    // Updated in one batch; its link to Carol comes with Carol, in a later one.
    const updated = openJournal();
    updated.journal.importJournal({ data: first });
    expect(await importInBatches(updated, second)).toEqual({ added: 1, updated: 1, skipped: 1, revisions: 0, links: 1, leftOut: 0, errors: [] });
    expect(mentioned(updated, id)).toEqual(['Carol']);
    expect(found(updated, '@bob')).not.toContain(id);
    expect(found(updated, 'carol')).toContain(id);
    // Newer here: the link that comes after it is left out too.
    const newer = openJournal();
    newer.journal.importJournal({ data: second });
    newer.entries.update(EntryUpdateInput.parse({ id, body: 'no mention' }));
    expect(await importInBatches(newer, second)).toEqual({ added: 0, updated: 0, skipped: 3, revisions: 0, links: 0, leftOut: 0, errors: [] });
    expect(mentioned(newer, id)).toEqual([]);
    expect(found(newer, '@carol')).not.toContain(id);
    // The same version here, from an import that stopped before Carol's batch: run again, it completes it.
    const resumed = openJournal();
    resumed.journal.importValidated({ entries: second.entries.filter((e) => e.kind !== 'person' || e.title === 'Bob'), revisions: [], links: [] });
    expect(await importInBatches(resumed, second)).toEqual({ added: 1, updated: 0, skipped: 2, revisions: 1, links: 1, leftOut: 0, errors: [] });
    expect(mentioned(resumed, id)).toEqual(['Carol']);
    expect(found(resumed, '@carol')).toContain(id);
    for (const j of [updated, newer, resumed]) expect(checkJournal(j.db).ok).toBe(true);
  });
});

describe('RowidSet (the rows an import holds)', () => {
  it('holds exactly the rowids added, near and far, the way a Set does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(5_000), fc.integer({ min: 2 ** 27 - 3, max: 2 ** 27 + 3 }), fc.maxSafeInteger(), fc.integer({ min: -3, max: -1 }))), (added) => {
        const set = new RowidSet();
        for (const r of added) set.add(r);
        const want = new Set(added);
        for (const r of [...added, 0, 1, 7, 8, 4_999, 5_001, 2 ** 27 - 1, 2 ** 27, -1, Number.MAX_SAFE_INTEGER]) expect(set.has(r)).toBe(want.has(r));
      }),
    );
  });
});

describe('emptying the trash', () => {
  /** What the index and the pickers read beside the export, by entry id (rowids differ after an import). */
  const derived = (db: Db) => ({
    people: db.prepare('SELECT id, search_people, search_folded FROM entries ORDER BY id').all(),
    titles: db.prepare('SELECT title, uses FROM entry_titles ORDER BY title').all(),
  });

  it('leaves any journal as purging each entry in the trash one by one does, in batches of any size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), async (steps, batchSize) => {
        const a = openJournal();
        play(a, steps);
        // The same journal twice: b from a's export, its ids and links as they are.
        const b = openJournal();
        b.journal.importJournal({ data: JSON.parse(JSON.stringify(a.journal.exportJournal())) });
        expect(derived(b.db)).toEqual(derived(a.db));
        const trashed = a.journal.stats().trashed;
        const result = await a.entries.emptyTrash({ deletedUpTo: LATEST_TIME, expectedCount: trashed }, { batchSize });
        expect(result).toEqual({ purged: trashed });
        for (const e of b.entries.list({ trashed: true, limit: 200 }).items) b.entries.purge({ id: e.id });
        expect(withoutTime(a.journal.exportJournal())).toEqual(withoutTime(b.journal.exportJournal()));
        expect(derived(a.db)).toEqual(derived(b.db));
        expect(counts(a.journal.stats())).toEqual(countedAgain(a.db));
        expect((await a.journal.doctor()).ok).toBe(true);
        a.db.close();
        b.db.close();
      }),
      { numRuns: 30 },
    );
  });
});
