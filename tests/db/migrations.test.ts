/**
 * The migration runner (ordered list, one transaction, user_version, refusal of a database from the
 * future), the schema with the repository keeping the FTS5 index in step, migration 0002 (facets)
 * run on a journal written at version 1, migration 0003 (date facets) on one written at version 2, and
 * migrations 0004 (title counts) and 0005 (journal counts) on journals written before them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { OutloudError } from '../../shared/api/errors.ts';
import { LATEST_VERSION, openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { MIGRATIONS, type Migration } from '../../electron/core/db/migrations/index.ts';
import { m0001Initial } from '../../electron/core/db/migrations/0001-initial.ts';
import { m0002SearchFacets } from '../../electron/core/db/migrations/0002-search-facets.ts';
import { m0003DateFacets } from '../../electron/core/db/migrations/0003-date-facets.ts';
import { m0004TitleChanges } from '../../electron/core/db/migrations/0004-title-changes.ts';
import { m0005JournalCounts } from '../../electron/core/db/migrations/0005-journal-counts.ts';
import { m0006EntryOrder } from '../../electron/core/db/migrations/0006-entry-order.ts';
import { m0007FoldedLetters } from '../../electron/core/db/migrations/0007-folded-letters.ts';
import { m0008PersonKeys } from '../../electron/core/db/migrations/0008-person-keys.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { ftsString } from '../../electron/core/search/text-tokens.ts';
import { dateRangeExpression, FACET_MARK, facetExpression, facetText, type FacetFilter } from '../../electron/core/search/facets.ts';
import { deleteEntry, getRowByRowid, insertEntry, refoldEntries, rowToEntry, setDeletedAt, setSearchPeople, updateEntry, type EntryWrite } from '../../electron/core/db/entries.repo.ts';

const dbFile = () => path.join(tempDir('outloud-migrations-'), 'outloud.sqlite');
const userVersion = (db: Db) => db.pragma('user_version', { simple: true }) as number;
const tableNames = (db: Db) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** Everything a reader of the file could see: schema, version and every row of every table. */
function snapshot(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const parts: unknown[] = [db.pragma('user_version', { simple: true })];
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
      name: string;
      sql: string;
    }>;
    for (const t of tables) parts.push(t.sql, db.prepare(`SELECT * FROM "${t.name.replace(/"/g, '""')}"`).all());
    return JSON.stringify(parts);
  } finally {
    db.close();
  }
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The ids of the entries the index finds for an FTS5 expression, in rowid order. */
const indexedIds = (db: Db, q: string) =>
  (db.prepare('SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ? ORDER BY f.rowid').all(q) as Array<{ id: string }>).map((r) => r.id);

describe('migration runner', () => {
  it('brings a fresh database to LATEST_VERSION', () => {
    const db = openDatabase(dbFile());
    expect(LATEST_VERSION).toBe(MIGRATIONS.at(-1)!.version);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it('lists migrations with strictly increasing versions', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
  });

  it('runs nothing when re-opened at the latest version', () => {
    const file = dbFile();
    // A counting migration: if the runner ran it twice, the table would hold two rows.
    const migrations: Migration[] = [
      { version: 1, name: 'table', up: 'CREATE TABLE runs (n INTEGER)' },
      { version: 2, name: 'count', up: 'INSERT INTO runs VALUES (1)' },
    ];
    openDatabase(file, { migrations }).close();
    const db = openDatabase(file, { migrations });
    expect(userVersion(db)).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 1 });
    db.close();
    // The real list too: re-running 0001 would fail on CREATE TABLE entries.
    openDatabase(file.replace('outloud.sqlite', 'real.sqlite')).close();
    const again = openDatabase(file.replace('outloud.sqlite', 'real.sqlite'));
    expect(userVersion(again)).toBe(LATEST_VERSION);
    again.close();
  });

  it('runs only the pending migrations on a database at an older version', () => {
    const file = dbFile();
    const v1: Migration = { version: 1, name: 'a', up: 'CREATE TABLE a (x)' };
    const v2: Migration = { version: 2, name: 'b', up: 'CREATE TABLE b (x); INSERT INTO a VALUES (42)' };
    openDatabase(file, { migrations: [v1] }).close();
    const db = openDatabase(file, { migrations: [v1, v2] });
    expect(userVersion(db)).toBe(2);
    expect(tableNames(db)).toEqual(['a', 'b']);
    expect(db.prepare('SELECT x FROM a').all()).toEqual([{ x: 42 }]);
    db.close();
  });

  it('says so when the tables do not match the recorded version (set back by another program), and changes nothing', () => {
    for (const version of [0, 3]) {
      const file = dbFile();
      openDatabase(file).close();
      const raw = new Database(file);
      raw.pragma(`user_version = ${version}`);
      raw.close();
      const before = snapshot(file);
      const error = thrown(() => openDatabase(file));
      expect(error).toBeInstanceOf(OutloudError);
      expect((error as OutloudError).message).toMatch(
        new RegExp(`^The journal's tables do not match its recorded schema version \\(${version}\\): upgrading it to ${version + 1} \\(.+\\) failed \\(.*already exists\\)\\. Another program may have changed it; nothing was changed now\\.`),
      );
      expect(snapshot(file)).toBe(before);
    }
  });

  it('refuses a database from a newer Outloud with DB_FROM_FUTURE and does not modify it', () => {
    const file = dbFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    raw.pragma(`user_version = ${LATEST_VERSION + 7}`);
    raw.close();
    const before = snapshot(file);
    const bytesBefore = sha(file);

    const error = thrown(() => openDatabase(file));
    expect(error).toBeInstanceOf(OutloudError);
    expect((error as OutloudError).code).toBe('DB_FROM_FUTURE');
    expect((error as OutloudError).message).toMatch(/newer Outloud/);
    expect((error as OutloudError).message).toContain(String(LATEST_VERSION + 7));
    expect((error as OutloudError).message).toMatch(/Update Outloud/);

    expect(snapshot(file)).toBe(before);
    expect(sha(file)).toBe(bytesBefore);
    // Read-only opens refuse it the same way.
    expect((thrown(() => openDatabase(file, { readonly: true })) as OutloudError).code).toBe('DB_FROM_FUTURE');
  });

  it('refuses a future database in rollback-journal mode without switching it to WAL', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.exec("CREATE TABLE future_things (x); INSERT INTO future_things VALUES ('from the future')");
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const bytesBefore = sha(file);
    expect((thrown(() => openDatabase(file)) as OutloudError).code).toBe('DB_FROM_FUTURE');
    expect(sha(file)).toBe(bytesBefore);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('rolls a failing migration back completely, leaving the earlier version intact', () => {
    const file = dbFile();
    const good: Migration = { version: 1, name: 'good', up: "CREATE TABLE kept (x); INSERT INTO kept VALUES ('v1 data')" };
    const bad: Migration = {
      version: 2,
      name: 'bad',
      // The first statements succeed; the last one fails, so all of them must be undone.
      up: "CREATE TABLE half (x); INSERT INTO kept VALUES ('v2 data'); ALTER TABLE kept ADD COLUMN y; INSERT INTO no_such_table VALUES (1)",
    };
    openDatabase(file, { migrations: [good] }).close();
    const before = snapshot(file);

    expect(() => openDatabase(file, { migrations: [good, bad] })).toThrow(/no_such_table/);

    expect(snapshot(file)).toBe(before);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tableNames(db)).toEqual(['kept']);
    expect(db.prepare('SELECT * FROM kept').all()).toEqual([{ x: 'v1 data' }]);
    db.close();
  });

  it('rolls back every pending migration when a later one in the same run fails', () => {
    const file = dbFile();
    const bad: Migration = { version: 2, name: 'bad', up: 'SELECT no_such_function()' };
    expect(() => openDatabase(file, { migrations: [m0001Initial, bad] })).toThrow();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tableNames(db)).toEqual([]);
    db.close();
  });
});

describe('the schema (every migration) with the repository', () => {
  function fresh() {
    return openDatabase(dbFile());
  }

  let seq = 0;
  /** Inserts a note through the repository, which keeps the full-text index in step. */
  function insert(db: Db, values: { title: string; body: string; tags?: string; people?: string; extra?: string; deleted?: boolean }): number {
    const at = 1_400_000_000_000 + seq++;
    const tags = values.tags ? values.tags.split(' ') : [];
    return insertEntry(db, {
      id: `e${seq}`,
      kind: 'note',
      title: values.title,
      body: values.body,
      tags,
      fields: {},
      createdAt: at,
      updatedAt: at,
      deletedAt: values.deleted ? at : null,
      source: 'cli',
      sourceRef: null,
      urlNormalized: null,
      site: null,
      status: null,
      searchPeople: values.people ?? '',
      searchExtra: values.extra ?? '',
    });
  }

  /** Rewrites a row through the repository, as the services do. */
  function update(db: Db, rowid: number, change: { title?: string; body?: string; searchPeople?: string; fields?: Record<string, unknown> }) {
    const row = getRowByRowid(db, rowid)!;
    const e = rowToEntry(row);
    const current = db.prepare('SELECT search_people, search_extra FROM entries WHERE rowid = ?').get(rowid) as { search_people: string; search_extra: string };
    updateEntry(db, rowid, {
      id: e.id,
      kind: e.kind,
      title: change.title ?? e.title,
      body: change.body ?? e.body,
      tags: e.tags,
      fields: change.fields ?? JSON.parse(row.fields),
      createdAt: e.createdAt,
      updatedAt: e.updatedAt + 1,
      deletedAt: e.deletedAt,
      source: e.source,
      sourceRef: e.sourceRef,
      urlNormalized: null,
      site: null,
      status: null,
      searchPeople: change.searchPeople ?? current.search_people,
      searchExtra: current.search_extra,
    });
  }

  const match = (db: Db, q: string) =>
    (db.prepare('SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid').all(q) as Array<{ rowid: number }>).map((r) => r.rowid);

  function expectIndexConsistent(db: Db) {
    // rank = 1: compare the index against the content (the live_entries view), not only itself.
    expect(() => db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  }

  it('creates the tables, the view, the FTS5 and vocabulary tables, and no triggers (the repository indexes)', () => {
    const db = fresh();
    expect(userVersion(db)).toBe(LATEST_VERSION);
    const names = tableNames(db);
    for (const t of ['entries', 'entry_tags', 'person_names', 'links', 'revisions', 'settings', 'live_entries', 'entries_fts', 'entries_vocab']) {
      expect(names).toContain(t);
    }
    const triggers = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(triggers).toEqual([]);
    const ftsColumns = (db.prepare('PRAGMA table_info(entries_fts)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(ftsColumns).toEqual(['title', 'tags', 'people', 'body', 'facets']);
    db.close();
  });

  it('enforces its constraints: kinds, JSON columns, one bookmark per normalised URL, one entry per source ref', () => {
    const db = fresh();
    const row = (over: Record<string, unknown>) => ({
      id: `c${seq++}`,
      kind: 'note',
      tags: '[]',
      fields: '{}',
      url: null,
      source_ref: null,
      ...over,
    });
    const ins = db.prepare(
      `INSERT INTO entries (id, kind, tags, fields, created_at, updated_at, source, source_ref, url_normalized)
       VALUES (@id, @kind, @tags, @fields, 1, 1, 'import:x', @source_ref, @url)`,
    );
    expect(() => ins.run(row({ kind: 'poem' }))).toThrow(/CHECK/);
    expect(() => ins.run(row({ tags: 'not json' }))).toThrow(/CHECK/);
    ins.run(row({ kind: 'bookmark', url: 'https://example.org/' }));
    expect(() => ins.run(row({ kind: 'bookmark', url: 'https://example.org/' }))).toThrow(/UNIQUE/);
    ins.run(row({ source_ref: 'msg-1' }));
    expect(() => ins.run(row({ source_ref: 'msg-1' }))).toThrow(/UNIQUE/);
    // Deleting an entry removes its tags, names, links and revisions (ON DELETE CASCADE).
    const a = insert(db, { title: 'a', body: 'x' });
    const b = insert(db, { title: 'b', body: 'y' });
    db.prepare("INSERT INTO entry_tags (tag, entry_rowid) VALUES ('t', ?)").run(a);
    db.prepare("INSERT INTO person_names (key, entry_rowid) VALUES ('k', ?)").run(a);
    db.prepare("INSERT INTO links (from_rowid, to_rowid, type) VALUES (?, ?, 'mentions')").run(b, a);
    db.prepare("INSERT INTO revisions (entry_rowid, saved_at, title, body, tags, fields) VALUES (?, 1, 'old', 'old', '[]', '{}')").run(a);
    db.prepare('DELETE FROM entries WHERE rowid = ?').run(a);
    for (const t of ['entry_tags', 'person_names', 'links', 'revisions']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    }
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('with the repository, keeps the FTS index in sync on insert, update, trash, restore and purge', () => {
    const db = fresh();
    const id = insert(db, { title: 'Summit agenda', body: 'drafted the plan', tags: 'summit2014', people: 'Rogier', extra: 'example.org' });
    const other = insert(db, { title: 'Unrelated', body: 'lunch' });
    expect(match(db, 'agenda')).toEqual([id]);
    expect(match(db, 'tags:summit2014')).toEqual([id]);
    expect(match(db, 'people:rogier')).toEqual([id]);
    expect(match(db, 'body:example')).toEqual([id]);
    expect(match(db, 'plan*')).toEqual([id]);
    expectIndexConsistent(db);

    // Update: the old words leave the index, the new ones enter.
    update(db, id, { body: 'rewrote the programme', searchPeople: 'Ada' });
    expect(match(db, 'plan')).toEqual([]);
    expect(match(db, 'rogier')).toEqual([]);
    expect(match(db, 'programme')).toEqual([id]);
    expect(match(db, 'people:ada')).toEqual([id]);
    expectIndexConsistent(db);

    // An update of a column the index does not hold changes nothing in it.
    update(db, id, { fields: { a: 1 } });
    expect(match(db, 'programme')).toEqual([id]);
    expectIndexConsistent(db);

    // Trash: not searchable. Restore: searchable again.
    setDeletedAt(db, id, 1, 2);
    expect(match(db, 'programme')).toEqual([]);
    expect(match(db, 'agenda')).toEqual([]);
    expectIndexConsistent(db);
    // Editing an entry while it is in the trash keeps it out of the index.
    update(db, id, { title: 'Trashed edit' });
    expect(match(db, 'trashed')).toEqual([]);
    expectIndexConsistent(db);
    setDeletedAt(db, id, null, 3);
    expect(match(db, 'trashed')).toEqual([id]);
    expect(match(db, 'programme')).toEqual([id]);
    expectIndexConsistent(db);

    // Purge of a live entry and of a trashed one.
    deleteEntry(db, id);
    expect(match(db, 'programme')).toEqual([]);
    expectIndexConsistent(db);
    setDeletedAt(db, other, 5, 5);
    deleteEntry(db, other);
    expect(match(db, 'lunch')).toEqual([]);
    expectIndexConsistent(db);

    // An entry inserted straight into the trash is never indexed.
    const trashed = insert(db, { title: 'Hidden', body: 'secret', deleted: true });
    expect(match(db, 'secret')).toEqual([]);
    setDeletedAt(db, trashed, null, 6);
    // A change to the people text alone re-indexes the row.
    setSearchPeople(db, trashed, 'Grace Hopper');
    expect(match(db, 'people:grace')).toEqual([trashed]);
    expect(match(db, 'secret')).toEqual([trashed]);
    expectIndexConsistent(db);

    // The vocabulary table sees the indexed terms.
    expect(db.prepare("SELECT term FROM entries_vocab WHERE term = 'secret'").get()).toEqual({ term: 'secret' });
    db.close();
  });

  it('removes accents in the index, so "jose" finds "José"', () => {
    const db = fresh();
    const id = insert(db, { title: 'Met José Ramírez', body: '' });
    expect(match(db, 'jose ramirez')).toEqual([id]);
    db.close();
  });

  it('folds the letters FTS5 keeps (ø ł ß æ þ and ligatures) in every indexed column, through edits, renames, trash and restore', () => {
    const db = fresh();
    const plain = insert(db, { title: 'Plain ascii', body: 'nothing to fold' });
    const søren = insert(db, { title: 'Søren from Łódź', body: 'Straße, Æsir and a ﬁle', tags: 'ørsted', people: 'Þóra', extra: 'Đorđe' });
    const stored = () => db.prepare('SELECT rowid, search_folded FROM entries ORDER BY rowid').all();
    expect(stored()).toEqual([
      { rowid: plain, search_folded: null },
      { rowid: søren, search_folded: JSON.stringify(['Soren from Lódź', 'orsted', 'THóra', 'Strasse, AEsir and a file\nDorde']) },
    ]);
    // Each column, by its own column filter: the folded word finds it, and so does the original one as
    // search quotes it (ftsString folds it the same way). Unfolded, FTS5 would not.
    expect(match(db, '"søren"')).toEqual([]);
    for (const q of ['title : soren', 'title : lodz', 'tags : orsted', 'people : thora', 'body : strasse', 'body : aesir', 'body : file', 'body : dorde', ftsString('Søren'), ftsString('STRAẞE')]) {
      expect(match(db, q), q).toEqual([søren]);
    }
    expectIndexConsistent(db);

    update(db, søren, { title: 'Now plain', body: 'plain too', searchPeople: '' });
    expect(db.prepare('SELECT search_folded FROM entries WHERE rowid = ?').get(søren)).toEqual({ search_folded: JSON.stringify(['Now plain', 'orsted', '', 'plain too\nDorde']) });
    expect(match(db, 'soren')).toEqual([]);
    expect(match(db, 'plain')).toEqual([plain, søren]);
    expectIndexConsistent(db);

    // A person renamed elsewhere: the mentioner's people text changes, and its folded text with it.
    setSearchPeople(db, plain, 'Bjørn');
    expect(match(db, 'people : bjorn')).toEqual([plain]);
    expectIndexConsistent(db);
    setSearchPeople(db, plain, 'Bob');
    expect(match(db, 'bjorn')).toEqual([]);
    expect(db.prepare('SELECT search_folded FROM entries WHERE rowid = ?').get(plain)).toEqual({ search_folded: null });
    expectIndexConsistent(db);

    setDeletedAt(db, søren, 5, 5);
    expect(match(db, 'orsted')).toEqual([]);
    expectIndexConsistent(db);
    setDeletedAt(db, søren, null, 6);
    expect(match(db, 'orsted')).toEqual([søren]);
    expectIndexConsistent(db);
    deleteEntry(db, søren);
    expect(match(db, 'orsted')).toEqual([]);
    expectIndexConsistent(db);
    expect(refoldEntries(db, 'check')).toBe(0);
    db.close();
  });

  it('sets WAL, synchronous FULL, foreign keys and a busy timeout on every open', () => {
    const file = dbFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();
  });
});

describe('migration 0002 (search facets) on a journal written at version 1', () => {
  it('computes every entry’s facets, rebuilds the index with them, and keeps words and trash as they were', () => {
    const file = dbFile();
    const v1 = openDatabase(file, { migrations: [m0001Initial] });
    const insert = v1.prepare(
      `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, url_normalized, site, status, search_tags)
       VALUES (@id, @kind, @title, @body, @tags, '{}', 1, 1, @deleted, 'cli', @url, @site, @status, @searchTags)`,
    );
    const rows = [
      { id: 'n1', kind: 'note', title: 'Summit notes', body: 'agenda', tags: ['project/outloud', 'summit'], deleted: null, url: null, site: null, status: null },
      { id: 'b1', kind: 'bookmark', title: 'Gist', body: 'agenda', tags: [], deleted: null, url: 'https://gist.github.com/x', site: 'gist.github.com', status: null },
      { id: 'q1', kind: 'question', title: 'Who knows?', body: 'agenda', tags: ['summit'], deleted: null, url: null, site: null, status: 'open' },
      { id: 't1', kind: 'note', title: 'In the trash', body: 'agenda', tags: ['summit'], deleted: 5, url: null, site: null, status: null },
    ];
    for (const r of rows) insert.run({ ...r, tags: JSON.stringify(r.tags), searchTags: r.tags.join(' ') });
    v1.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')").run();
    v1.close();

    const db = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets] });
    expect(userVersion(db)).toBe(2);
    const facetsOf = (id: string) => (db.prepare('SELECT search_facets AS f FROM entries WHERE id = ?').get(id) as { f: string }).f;
    for (const r of rows) expect(facetsOf(r.id), r.id).toBe(facetText({ kind: r.kind, status: r.status, site: r.site, tags: r.tags }));
    // The rebuilt index matches its content, facets included.
    expect(() => db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    const ids = (expression: string) =>
      (db.prepare('SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ? ORDER BY e.id').all(expression) as Array<{ id: string }>).map((r) => r.id);
    expect(ids('agenda')).toEqual(['b1', 'n1', 'q1']); // the trashed entry stays out
    const facet = (filter: FacetFilter) => `agenda AND ${facetExpression(filter)}`;
    expect(ids(facet({ key: 'kind', kind: 'question' }))).toEqual(['q1']);
    expect(ids(facet({ key: 'is', status: 'open' }))).toEqual(['q1']);
    expect(ids(facet({ key: 'tag', tag: 'summit' }))).toEqual(['n1', 'q1']);
    expect(ids(facet({ key: 'tag', tag: 'project' }))).toEqual(['n1']); // nested: project/outloud
    expect(ids(facet({ key: 'site', site: 'github.com' }))).toEqual(['b1']); // a subdomain of the site
    expect(ids(facet({ key: 'site', site: 'hub.com' }))).toEqual([]);
    // Facet tokens never show up as words: not in the vocabulary a user's words are looked up in.
    const vocab = (db.prepare("SELECT term FROM entries_vocab WHERE term >= 'a' AND term < 'zzzz'").all() as Array<{ term: string }>).map((r) => r.term);
    expect(vocab).toContain('agenda');
    expect(vocab.some((t) => t.includes(FACET_MARK))).toBe(false);
    db.close();
  });
});

describe('migration 0003 (date facets) on a journal written at version 2', () => {
  it('adds each entry’s creation year and month to its facets and rebuilds the index with them', () => {
    const file = dbFile();
    const v2 = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets] });
    const insert = v2.prepare(
      `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, status, search_tags, search_facets)
       VALUES (@id, @kind, 'Standup', 'agenda', @tags, '{}', @at, @at, @deleted, 'cli', @status, @searchTags, @facets)`,
    );
    const rows = [
      { id: 'n1', kind: 'note', at: Date.UTC(2023, 11, 31, 23, 59), tags: ['summit'], deleted: null, status: null },
      { id: 'n2', kind: 'note', at: Date.UTC(2024, 0, 1), tags: [], deleted: null, status: null },
      { id: 'q1', kind: 'question', at: Date.UTC(2024, 6, 15), tags: [], deleted: null, status: 'open' },
      { id: 't1', kind: 'note', at: Date.UTC(2024, 6, 16), tags: [], deleted: 5, status: null },
    ];
    for (const r of rows) {
      const facets = facetText({ kind: r.kind, status: r.status, site: null, tags: r.tags });
      insert.run({ ...r, tags: JSON.stringify(r.tags), searchTags: r.tags.join(' '), facets });
    }
    v2.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')").run();
    v2.close();

    const db = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets, m0003DateFacets] });
    expect(userVersion(db)).toBe(3);
    const facetsOf = (id: string) => (db.prepare('SELECT search_facets AS f FROM entries WHERE id = ?').get(id) as { f: string }).f;
    for (const r of rows) {
      expect(facetsOf(r.id), r.id).toBe(facetText({ kind: r.kind, status: r.status, site: null, tags: r.tags, createdAt: r.at }));
    }
    expect(facetsOf('n1')).toContain(`${FACET_MARK}d202312`);
    expect(() => db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    const ids = (expression: string) =>
      (db.prepare('SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ? ORDER BY e.id').all(expression) as Array<{ id: string }>).map((r) => r.id);
    const span = { first: Date.UTC(2023, 11, 31, 23, 59), last: Date.UTC(2024, 6, 15) };
    expect(ids(`agenda AND ${dateRangeExpression(Date.UTC(2024, 0, 1), Infinity, span)}`)).toEqual(['n2', 'q1']);
    expect(ids(`agenda AND ${dateRangeExpression(-Infinity, Date.UTC(2024, 0, 1), span)}`)).toEqual(['n1']);
    expect(ids(`agenda AND ${dateRangeExpression(Date.UTC(2024, 6, 1), Date.UTC(2024, 7, 1), span)}`)).toEqual(['q1']); // not the trash
    // Date tokens never show up as words either.
    const vocab = (db.prepare("SELECT term FROM entries_vocab WHERE term >= '0' AND term < 'zzzz'").all() as Array<{ term: string }>).map((r) => r.term);
    expect(vocab).toContain('agenda');
    expect(vocab.some((t) => t.includes(FACET_MARK))).toBe(false);
    db.close();
  });
});

describe('migration 0004 (title changes) on a journal written at version 3', () => {
  it('counts the titles the picker lists and starts the change log with "read them all"', () => {
    const file = dbFile();
    const v3 = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets, m0003DateFacets] });
    const insert = v3.prepare(
      `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source)
       VALUES (@id, @kind, @title, 'text', '[]', '{}', 1, 1, @deleted, 'cli')`,
    );
    for (const r of [
      { id: 'n1', kind: 'note', title: 'Weekly sync', deleted: null },
      { id: 'b1', kind: 'bookmark', title: 'Observability', deleted: null },
      { id: 'n2', kind: 'note', title: 'Weekly sync', deleted: null },
      { id: 't1', kind: 'note', title: 'Weekly sync', deleted: 5 },
      { id: 'p1', kind: 'person', title: 'Ada Lovelace', deleted: null },
      { id: 'e1', kind: 'note', title: '', deleted: null },
    ]) insert.run(r);
    v3.close();

    const db = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets, m0003DateFacets, m0004TitleChanges] });
    expect(userVersion(db)).toBe(4);
    expect(db.prepare('SELECT seq, title FROM title_changes').all()).toEqual([{ seq: 1, title: null }]);
    // Live entries other than people, with a title; the newest of each (n2 is rowid 3).
    expect(db.prepare('SELECT title, uses, newest FROM entry_titles ORDER BY title').all()).toEqual([
      { title: 'Observability', uses: 1, newest: 2 },
      { title: 'Weekly sync', uses: 2, newest: 3 },
    ]);
    db.close();
  });
});

describe('migration 0005 (journal counts) on a journal written at version 4', () => {
  it('counts the entries of each kind, live and trashed, and the revisions', () => {
    const file = dbFile();
    const v4 = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets, m0003DateFacets, m0004TitleChanges] });
    const insert = v4.prepare(
      `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source)
       VALUES (@id, @kind, '', 'text', '[]', '{}', 1, 1, @deleted, 'cli')`,
    );
    for (const r of [
      { id: 'n1', kind: 'note', deleted: null },
      { id: 'n2', kind: 'note', deleted: null },
      { id: 'n3', kind: 'note', deleted: 5 },
      { id: 'q1', kind: 'question', deleted: 5 },
      { id: 'p1', kind: 'person', deleted: null },
    ]) insert.run(r);
    const revision = v4.prepare("INSERT INTO revisions (entry_rowid, saved_at, title, body, tags, fields) VALUES (?, 1, '', 'before', '[]', '{}')");
    for (const rowid of [1, 1, 3]) revision.run(rowid);
    v4.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT name, n FROM journal_counts ORDER BY name').all()).toEqual([
      { name: 'live note', n: 2 },
      { name: 'live person', n: 1 },
      { name: 'revisions', n: 3 },
      { name: 'trashed note', n: 1 },
      { name: 'trashed question', n: 1 },
    ]);
    db.close();
  });
});

describe('migration 0006 (entry order) on a journal written at version 5', () => {
  it('keeps the latest creation time and the last entry added before one created later', () => {
    const atVersion5 = [m0001Initial, m0002SearchFacets, m0003DateFacets, m0004TitleChanges, m0005JournalCounts];
    const insert = (db: Db, id: string, createdAt: number) =>
      db
        .prepare(
          `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source)
           VALUES (?, 'note', '', 'text', '[]', '{}', ?, ?, NULL, 'cli')`,
        )
        .run(id, createdAt, createdAt);
    // In order: nothing disordered. Then rows 4 and 6 added after a later one (an import, a backdated note).
    const cases: Array<[number[], { newest: number; disordered: number }]> = [
      [[], { newest: 0, disordered: 0 }],
      [[10, 20, 20, 30], { newest: 30, disordered: 0 }],
      [[10, 20, 30, 15, 40, 35, 50], { newest: 50, disordered: 6 }],
    ];
    for (const [times, want] of cases) {
      const file = dbFile();
      const v5 = openDatabase(file, { migrations: atVersion5 });
      times.forEach((t, i) => insert(v5, `e${i}`, t));
      v5.close();
      const db = openDatabase(file);
      expect(userVersion(db)).toBe(LATEST_VERSION);
      expect(db.prepare('SELECT newest, disordered FROM entry_order').all(), times.join(',')).toEqual([want]);
      db.close();
    }
  });
});

describe('migration 0007 (folded letters) on a journal written at version 6', () => {
  it('folds the text of the entries that need it, indexes only those again, and leaves the others as they were', () => {
    const file = dbFile();
    const v6 = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets, m0003DateFacets, m0004TitleChanges, m0005JournalCounts, m0006EntryOrder] });
    const rows: Array<[string, string, string, number | null]> = [
      ['plain', 'Plain note', 'about the build', null],
      ['soren', 'Met Søren', 'in Łódź, about the Straße', null],
      ['trashed', 'Trashed Bjørn', 'gone', 7],
    ];
    for (const [id, title, body, deleted] of rows) {
      const r = v6
        .prepare(
          `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, search_tags)
           VALUES (?, 'note', ?, ?, '["café"]', '{}', 1, 1, ?, 'cli', 'café')`,
        )
        .run(id, title, body, deleted);
      if (deleted === null) {
        v6.prepare("INSERT INTO entries_fts (rowid, title, tags, people, body, facets) VALUES (?, ?, 'café', '', ? || char(10), '')").run(r.lastInsertRowid, title, body);
      }
    }
    const before = (db: Db) => db.prepare("SELECT rowid FROM entries_fts WHERE entries_fts MATCH 'build OR søren OR cafe' ORDER BY rowid").all();
    const plainIndex = (db: Db) => db.prepare("SELECT * FROM entries_fts_docsize WHERE id = 1").get();
    const found = before(v6);
    const plainDocsize = plainIndex(v6);
    expect(found).toEqual([{ rowid: 1 }, { rowid: 2 }]);
    v6.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT id, search_folded FROM entries ORDER BY rowid').all()).toEqual([
      { id: 'plain', search_folded: null },
      { id: 'soren', search_folded: JSON.stringify(['Met Soren', 'café', '', 'in Lódź, about the Strasse\n']) },
      { id: 'trashed', search_folded: JSON.stringify(['Trashed Bjorn', 'café', '', 'gone\n']) },
    ]);
    expect(indexedIds(db, 'soren lodz strasse')).toEqual(['soren']);
    expect(indexedIds(db, ftsString('søren'))).toEqual(['soren']);
    expect(indexedIds(db, 'cafe')).toEqual(['plain', 'soren']);
    expect(indexedIds(db, 'bjorn')).toEqual([]);
    expect(plainIndex(db)).toEqual(plainDocsize);
    expect(() => db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    db.close();
  });
});

describe('migration 0008 (person keys) on a journal written at version 7', () => {
  it('makes every person’s keys again with the letters search folds, trashed people too', () => {
    const file = dbFile();
    const v7 = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets, m0003DateFacets, m0004TitleChanges, m0005JournalCounts, m0006EntryOrder, m0007FoldedLetters] });
    const person = v7.prepare(
      `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source)
       VALUES (?, 'person', ?, '', '[]', ?, 1, 1, ?, 'cli')`,
    );
    const key = v7.prepare('INSERT INTO person_names (key, entry_rowid) VALUES (?, ?)');
    const fields = (name: string, aliases: string[]) => JSON.stringify({ name, aliases, role: '', organisation: '', contacts: [], topics: [], recommendedBy: '' });
    // The keys version 7 made: accents off, ø and ł kept.
    const soren = person.run('p1', 'Søren Kierkegaard', fields('Søren Kierkegaard', ['@Bjørn']), null).lastInsertRowid;
    for (const k of ['søren kierkegaard', 'sørenkierkegaard', 'bjørn']) key.run(k, soren);
    const lukasz = person.run('p2', 'Łukasz', fields('Łukasz', []), 5).lastInsertRowid;
    key.run('łukasz', lukasz);
    v7.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT key, entry_rowid AS rowid FROM person_names ORDER BY entry_rowid, key').all()).toEqual([
      { key: 'bjorn', rowid: soren },
      { key: 'soren kierkegaard', rowid: soren },
      { key: 'sorenkierkegaard', rowid: soren },
      { key: 'lukasz', rowid: lukasz },
    ]);
    db.close();
  });
});

describe('migration 0009 (word breaks) on a journal written at version 8', () => {
  it('gives the index the words of Thai and Lao text apart, for those entries only, so a word inside a sentence is found', () => {
    const file = dbFile();
    const v8 = openDatabase(file, { migrations: [m0001Initial, m0002SearchFacets, m0003DateFacets, m0004TitleChanges, m0005JournalCounts, m0006EntryOrder, m0007FoldedLetters, m0008PersonKeys] });
    const rows: Array<[string, string, string, string, number | null]> = [
      ['plain', 'Plain note', 'about the build', '', null],
      ['thai', 'ประชุมก่อนเที่ยง', 'ทีมงาน', '', null],
      ['lao', 'Standup', 'notes', 'ນັດປະຊຸມ', null],
      ['trashed', 'ประชุมเก่า', 'gone', '', 7],
    ];
    for (const [id, title, body, tag, deleted] of rows) {
      const r = v8
        .prepare(
          `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, search_tags)
           VALUES (?, 'note', ?, ?, ?, '{}', 1, 1, ?, 'cli', ?)`,
        )
        .run(id, title, body, JSON.stringify(tag ? [tag] : []), deleted, tag);
      // As version 8 indexed them: the text as it is (it folded nothing in these scripts).
      if (deleted === null) v8.prepare("INSERT INTO entries_fts (rowid, title, tags, people, body, facets) VALUES (?, ?, ?, '', ? || char(10), '')").run(r.lastInsertRowid, title, tag, body);
    }
    expect(indexedIds(v8, ftsString('ก่อน'))).toEqual([]);
    const plainDocsize = v8.prepare('SELECT * FROM entries_fts_docsize WHERE id = 1').get();
    v8.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT id, search_folded FROM entries ORDER BY rowid').all()).toEqual([
      { id: 'plain', search_folded: null },
      { id: 'thai', search_folded: JSON.stringify(['ประชุม ก่อน เที่ยง', '', '', 'ทีม งาน\n']) },
      { id: 'lao', search_folded: JSON.stringify(['Standup', 'ນັດ ປະຊຸມ', '', 'notes\n']) },
      { id: 'trashed', search_folded: JSON.stringify(['ประชุม เก่า', '', '', 'gone\n']) },
    ]);
    expect(indexedIds(db, ftsString('ก่อน'))).toEqual(['thai']);
    expect(indexedIds(db, ftsString('ประชุม'))).toEqual(['thai']);
    expect(indexedIds(db, ftsString('ປະຊຸມ'))).toEqual(['lao']);
    expect(db.prepare('SELECT * FROM entries_fts_docsize WHERE id = 1').get()).toEqual(plainDocsize);
    expect(() => db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    db.close();
  });
});

describe('migration 0010 (stored values) on a journal written at version 9', () => {
  it('stores tags and bookmark sites as they are made now, for the entries that need it, index and tags table included', () => {
    const file = dbFile();
    const v9 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 9) });
    const write = (id: string, kind: 'note' | 'bookmark', tags: string[], fields: Record<string, unknown> = {}): EntryWrite => ({
      id,
      kind,
      title: `${id} title`,
      body: 'agenda',
      tags,
      fields,
      createdAt: 1,
      updatedAt: 1,
      deletedAt: null,
      source: 'cli',
      sourceRef: null,
      urlNormalized: kind === 'bookmark' ? String(fields.urlNormalized) : null,
      site: kind === 'bookmark' ? String(fields.site) : null,
      status: null,
      searchPeople: '',
      searchExtra: '',
    });
    // As version 9 stored them: `a -` kept as `a `, and a fully qualified host's trailing dot in the site.
    insertEntry(v9, write('odd', 'note', ['a ', 'b']));
    insertEntry(v9, write('plain', 'note', ['b']));
    const bookmark = { url: 'https://example.com./b', urlNormalized: 'https://example.com/b', site: 'example.com.', excerpt: '', notes: [] };
    insertEntry(v9, write('dotted', 'bookmark', [], bookmark));
    const plainRow = () => v9.prepare("SELECT * FROM entries WHERE id = 'plain'").get();
    const plainBefore = plainRow();
    v9.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    const row = (id: string) => db.prepare('SELECT tags, site, fields FROM entries WHERE id = ?').get(id) as { tags: string; site: string | null; fields: string };
    expect(JSON.parse(row('odd').tags)).toEqual(['a', 'b']);
    expect(row('dotted').site).toBe('example.com');
    expect(JSON.parse(row('dotted').fields)).toMatchObject({ site: 'example.com', url: 'https://example.com./b' });
    expect(db.prepare("SELECT * FROM entries WHERE id = 'plain'").get()).toEqual(plainBefore);
    // The tags table and the index follow.
    expect(db.prepare("SELECT t.tag FROM entry_tags t JOIN entries e ON e.rowid = t.entry_rowid WHERE e.id = 'odd' ORDER BY t.tag").all()).toEqual([{ tag: 'a' }, { tag: 'b' }]);
    const ids = (expression: string) =>
      (db.prepare('SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ? ORDER BY e.id').all(expression) as Array<{ id: string }>).map((r) => r.id);
    expect(ids(`agenda AND ${facetExpression({ key: 'tag', tag: 'a' })}`)).toEqual(['odd']);
    expect(ids(`agenda AND ${facetExpression({ key: 'site', site: 'example.com' })}`)).toEqual(['dotted']);
    expect(() => db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    db.close();
  });
});

describe('migration 0011 (symbol words) on a journal written at version 10', () => {
  it('gives the index C++ and C# as words of their own, for those entries only, so C++ no longer finds every lone c', () => {
    const file = dbFile();
    const v10 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 10) });
    const rows: Array<[string, string, string, string, number | null]> = [
      ['plain', 'Plan C', 'the letter c, and a #hashtag', '', null],
      ['cpp', 'Learning C++17', 'templates', '', null],
      ['csharp', 'Records', 'written in C#, with Søren', 'c#', null],
      ['trashed', 'Old C++ notes', 'gone', '', 7],
    ];
    for (const [id, title, body, tag, deleted] of rows) {
      const r = v10
        .prepare(
          `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, search_tags, search_folded)
           VALUES (?, 'note', ?, ?, ?, '{}', 1, 1, ?, 'cli', ?, ?)`,
        )
        .run(id, title, body, JSON.stringify(tag ? [tag] : []), deleted, tag, id === 'csharp' ? JSON.stringify([title, tag, '', 'written in C#, with Soren\n']) : null);
      // As version 10 indexed them: C++ and C# as their letter (Søren folded, as 0007 made it).
      if (deleted === null) {
        const indexedBody = id === 'csharp' ? 'written in C#, with Soren' : body;
        v10.prepare("INSERT INTO entries_fts (rowid, title, tags, people, body, facets) VALUES (?, ?, ?, '', ? || char(10), '')").run(r.lastInsertRowid, title, tag, indexedBody);
      }
    }
    expect(indexedIds(v10, ftsString('c'))).toEqual(['plain', 'cpp', 'csharp']);
    const plainDocsize = v10.prepare('SELECT * FROM entries_fts_docsize WHERE id = 1').get();
    v10.close();

    const db = openDatabase(file);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT id, search_folded FROM entries ORDER BY rowid').all()).toEqual([
      { id: 'plain', search_folded: null },
      { id: 'cpp', search_folded: JSON.stringify(['Learning cplusplus 17', '', '', 'templates\n']) },
      { id: 'csharp', search_folded: JSON.stringify(['Records', 'csharp', '', 'written in csharp, with Soren\n']) },
      { id: 'trashed', search_folded: JSON.stringify(['Old cplusplus notes', '', '', 'gone\n']) },
    ]);
    expect(indexedIds(db, ftsString('c'))).toEqual(['plain']);
    expect(indexedIds(db, ftsString('C++'))).toEqual(['cpp']);
    expect(indexedIds(db, ftsString('c#'))).toEqual(['csharp']);
    expect(indexedIds(db, ftsString('17'))).toEqual(['cpp']);
    expect(indexedIds(db, ftsString('soren'))).toEqual(['csharp']);
    expect(db.prepare('SELECT * FROM entries_fts_docsize WHERE id = 1').get()).toEqual(plainDocsize);
    expect(() => db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    db.close();
  });
});
