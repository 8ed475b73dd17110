/**
 * Row-level access to entries and their satellite tables. Plain functions over a database handle;
 * services compose them inside transactions. All SQL binds its parameters.
 */
import type Database from 'better-sqlite3';
import type { Db } from './connection.ts';
import type { BookmarkFields, Entry, EntryKind, EntryLink, EntryRef, EntrySource, LinkType, PersonFields, QuestionFields, Revision } from '../../../shared/domain/entry.ts';
import { facetText } from '../search/facets.ts';
import { foldText } from '../search/text-tokens.ts';

export interface EntryRow {
  rowid: number;
  id: string;
  kind: EntryKind;
  title: string;
  body: string;
  tags: string;
  fields: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  source: string;
  source_ref: string | null;
  url_normalized: string | null;
  site: string | null;
  status: string | null;
}

/** What the repository writes: the entry plus the derived columns for indexing and filtering. */
export interface EntryWrite {
  id: string;
  kind: EntryKind;
  title: string;
  body: string;
  tags: string[];
  fields: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  source: string;
  sourceRef: string | null;
  urlNormalized: string | null;
  site: string | null;
  status: string | null;
  searchPeople: string;
  searchExtra: string;
}

/** The columns of an EntryWrite that the entries service derives from the others. */
export type DerivedColumn = 'urlNormalized' | 'site' | 'status' | 'searchPeople' | 'searchExtra';

// Prepared statements are cached per connection: the hot paths (save, import) run thousands a second.
const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement for this connection, compiled once. */
export function stmt<P extends unknown[] | object = unknown[], R = unknown>(db: Db, sql: string): Database.Statement<P, R> {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement as unknown as Database.Statement<P, R>;
}

const ENTRY_COLUMNS =
  'rowid, id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, source_ref, url_normalized, site, status';

export function rowToEntry(row: EntryRow): Entry {
  const base = {
    id: row.id,
    title: row.title,
    body: row.body,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    source: row.source as EntrySource,
    sourceRef: row.source_ref,
  };
  // Stored by this repository from validated input, so the shape matches the kind.
  const fields = JSON.parse(row.fields);
  return withKind(base, row.kind, fields);
}

type EntryBase = Omit<Extract<Entry, { kind: 'note' }>, 'kind'>;

/** The entry of a kind from its common fields and its kind-specific fields (stored as JSON). */
function withKind(base: EntryBase, kind: EntryKind, fields: unknown): Entry {
  switch (kind) {
    case 'bookmark':
      return { ...base, kind: 'bookmark', bookmark: fields as BookmarkFields };
    case 'person':
      return { ...base, kind: 'person', person: fields as PersonFields };
    case 'question':
      return { ...base, kind: 'question', question: fields as QuestionFields };
    default:
      return { ...base, kind: 'note' };
  }
}

/** The entry a row written from `e` reads back as (rowToEntry of it), without reading it. */
export function writeToEntry(e: EntryWrite): Entry {
  const base = {
    id: e.id,
    title: e.title,
    body: e.body,
    tags: [...e.tags],
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    deletedAt: e.deletedAt,
    source: e.source as EntrySource,
    sourceRef: e.sourceRef,
  };
  // The stored fields are JSON: the same round trip, so the entry holds no object shared with `e`.
  const fields = JSON.parse(JSON.stringify(e.fields));
  return withKind(base, e.kind, fields);
}

export function entryFields(entry: Entry): Record<string, unknown> {
  switch (entry.kind) {
    case 'bookmark':
      return { ...entry.bookmark };
    case 'person':
      return { ...entry.person };
    case 'question':
      return { ...entry.question };
    default:
      return {};
  }
}

export function getRowById(db: Db, id: string): EntryRow | undefined {
  return stmt<[string], EntryRow>(db, `SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = ?`).get(id);
}

export function getRowByRowid(db: Db, rowid: number): EntryRow | undefined {
  return stmt<[number], EntryRow>(db, `SELECT ${ENTRY_COLUMNS} FROM entries WHERE rowid = ?`).get(rowid);
}

export function getRowsByRowids(db: Db, rowids: readonly number[]): Map<number, EntryRow> {
  const out = new Map<number, EntryRow>();
  if (rowids.length === 0) return out;
  const rows = stmt<[string], EntryRow>(db, `SELECT ${ENTRY_COLUMNS} FROM entries WHERE rowid IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(rowids));
  for (const row of rows) out.set(row.rowid, row);
  return out;
}

export function getRowBySourceRef(db: Db, source: string, sourceRef: string): EntryRow | undefined {
  return stmt<[string, string], EntryRow>(db, `SELECT ${ENTRY_COLUMNS} FROM entries WHERE source = ? AND source_ref = ?`)
    .get(source, sourceRef);
}

export function getBookmarkRowByUrl(db: Db, urlNormalized: string): EntryRow | undefined {
  return stmt<[string], EntryRow>(db, `SELECT ${ENTRY_COLUMNS} FROM entries WHERE kind = 'bookmark' AND url_normalized = ?`)
    .get(urlNormalized);
}

function writeParams(e: EntryWrite) {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    body: e.body,
    tags: JSON.stringify(e.tags),
    fields: JSON.stringify(e.fields),
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    deleted_at: e.deletedAt,
    source: e.source,
    source_ref: e.sourceRef,
    url_normalized: e.urlNormalized,
    site: e.site,
    status: e.status,
    search_tags: e.tags.join(' '),
    search_people: e.searchPeople,
    search_extra: e.searchExtra,
    search_facets: facetText(e),
    search_folded: foldedIndexText(e.title, e.tags.join(' '), e.searchPeople, e.body, e.searchExtra),
  };
}

// ---- the full-text index -------------------------------------------------------------------------
// entries_fts is external content over the live entries (the `live_entries` view). Every write below
// keeps it in step: a live row's indexed text leaves the index before the row changes and enters
// again afterwards. FTS5's 'delete' needs the exact text that was indexed, which is read back here.

/**
 * The text the index holds for a row, when it is not the row's own: its title, tags, people and body
 * (with the extra text) with their letters folded (`foldText`), as a JSON array, or null when
 * folding changes none of them (the row's own columns are indexed, as for most entries). Stored in
 * `search_folded` (migration 0007), so the view, a rebuild and FTS5's integrity check read the same.
 */
export function foldedIndexText(title: string, searchTags: string, searchPeople: string, body: string, searchExtra: string): string | null {
  return foldedJson(foldedParts(title, searchTags, body, searchExtra), title, searchTags, searchPeople, body, searchExtra);
}

/**
 * The title, tags, body and extra text of a row folded (`foldText`), each null where folding leaves it
 * as it is; null when folding changes none of them.
 */
export type FoldedParts = [title: string | null, tags: string | null, body: string | null, extra: string | null];

export function foldedParts(title: string, searchTags: string, body: string, searchExtra: string): FoldedParts | null {
  const changed = (text: string) => {
    const folded = foldText(text);
    return folded === text ? null : folded;
  };
  const parts: FoldedParts = [changed(title), changed(searchTags), changed(body), changed(searchExtra)];
  return parts.every((p) => p === null) ? null : parts;
}

/** `search_folded` from the folded parts (foldedParts) and the people's names, folded here. */
function foldedJson(parts: FoldedParts | null, title: string, searchTags: string, searchPeople: string, body: string, searchExtra: string): string | null {
  const p = foldText(searchPeople);
  if (parts === null && p === searchPeople) return null;
  const [t, g, b, x] = parts ?? [];
  return JSON.stringify([t ?? title, g ?? searchTags, p, `${b ?? body}\n${x ?? searchExtra}`]);
}

/**
 * A new row's text as insertEntryIfNew binds it, worked out ahead (an import's reader does it in its
 * own thread): the tags and fields as JSON, the tags as indexed, the facet tokens, and the folded
 * parts of its text (foldedParts). Made from the write's own values: nothing else is checked.
 */
export interface RowText {
  tags: string;
  fields: string;
  searchTags: string;
  facets: string;
  folded: FoldedParts | null;
}

/**
 * The indexed columns as `live_entries` (migration 0007) has them, from `entries`: the folded text
 * where a row has one. Every statement that gives FTS5 a row's text reads it this way.
 */
export const INDEXED_COLUMNS_SQL = `coalesce(search_folded ->> 0, title) AS title, coalesce(search_folded ->> 1, search_tags) AS tags,
       coalesce(search_folded ->> 2, search_people) AS people, coalesce(search_folded ->> 3, body || char(10) || search_extra) AS body,
       search_facets AS facets`;

interface IndexedText {
  deleted_at: number | null;
  title: string;
  tags: string;
  people: string;
  body: string;
  facets: string;
}

const FTS_INSERT = 'INSERT INTO entries_fts (rowid, title, tags, people, body, facets) VALUES (?, ?, ?, ?, ?, ?)';
const FTS_DELETE = "INSERT INTO entries_fts (entries_fts, rowid, title, tags, people, body, facets) VALUES ('delete', ?, ?, ?, ?, ?, ?)";

function indexedText(db: Db, rowid: number): IndexedText | undefined {
  return stmt<[number], IndexedText>(
    db,
    `SELECT deleted_at, ${INDEXED_COLUMNS_SQL}
     FROM entries WHERE rowid = ?`,
  ).get(rowid);
}

/** Takes a live row out of the index (before it changes or goes). */
function unindex(db: Db, rowid: number): void {
  const t = indexedText(db, rowid);
  if (t && t.deleted_at === null) stmt(db, FTS_DELETE).run(rowid, t.title, t.tags, t.people, t.body, t.facets);
}

/** Puts a live row into the index (after it was written). */
function index(db: Db, rowid: number): void {
  const t = indexedText(db, rowid);
  if (t && t.deleted_at === null) stmt(db, FTS_INSERT).run(rowid, t.title, t.tags, t.people, t.body, t.facets);
}

// Positional parameters: binding 18 named ones cost ~6 µs more per row (measured in the import).
const INSERT_ENTRY = `INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, source_ref,
    url_normalized, site, status, search_tags, search_people, search_extra, search_facets, search_folded)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

// The body column as live_entries has it, joined by SQLite: no copy of the body made in JavaScript.
const FTS_INSERT_NEW = 'INSERT INTO entries_fts (rowid, title, tags, people, body, facets) VALUES (?, ?, ?, ?, ? || char(10) || ?, ?)';

// The same text for a range of new rows, in rowid order (FTS5 appends a rowid above all the ones it
// holds in memory cheaply; rows out of order cost it three times as much, measured). `+deleted_at`
// keeps the planner on the rowid range instead of the timeline index, whose order is not rowid order.
const FTS_INSERT_RANGE = `INSERT INTO entries_fts (rowid, title, tags, people, body, facets)
  SELECT rowid, ${INDEXED_COLUMNS_SQL}
  FROM entries WHERE rowid BETWEEN ? AND ? AND +deleted_at IS NULL ORDER BY rowid`;

// The tags of a range of new rows, from their `tags` column: no tag crosses from JavaScript again.
const TAGS_INSERT_RANGE = `INSERT OR IGNORE INTO entry_tags (tag, entry_rowid)
  SELECT t.value, e.rowid FROM entries e, json_each(e.tags) t WHERE e.rowid BETWEEN ? AND ?`;

/**
 * Rows an import inserted without their tags and full-text index entries (insertEntryIfNew), for
 * writePending to add in two statements: SQLite reads their text back itself, instead of JavaScript
 * binding every column a second time (measured: a third less time in the index for 100,000 entries),
 * and the index takes the terms of a whole transaction at once.
 */
export interface PendingRows {
  /** Their rowids, in the order they were inserted. */
  rowids: number[];
  /** The titles the picker lists among them, for insertTitleRows. */
  titles: TitleRows;
  /** What they add to journal_counts, for addCounts. */
  counts: CountRows;
  /** Their creation times, in the same order as `rowids` (for entry_order). */
  created: number[];
}

export const pendingRows = (): PendingRows => ({ rowids: [], titles: [], counts: new Map(), created: [] });

/** The entry order search relies on (migration 0006): `disordered` 0 while every entry was added in creation order. */
export interface EntryOrder {
  newest: number;
  disordered: number;
}

/** The entry order as the journal keeps it. */
export function entryOrder(db: Db): EntryOrder {
  return stmt<[], EntryOrder>(db, 'SELECT newest, disordered FROM entry_order WHERE id = 1').get() ?? { newest: 0, disordered: 0 };
}

/** The entry order counted again from the entries, in the order they were added. */
export const ENTRY_ORDER_SQL = `SELECT
    coalesce((SELECT max(created_at) FROM entries), 0) AS newest,
    coalesce((SELECT max(rowid) FROM (
      SELECT rowid, created_at < max(created_at) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS late
      FROM entries) WHERE late), 0) AS disordered`;

/** One entry added (the largest rowid): entry_order follows, in one statement. */
function noteAdded(db: Db, rowid: number, createdAt: number): void {
  stmt<{ at: number; rowid: number }>(
    db,
    'UPDATE entry_order SET disordered = CASE WHEN @at < newest THEN max(disordered, @rowid) ELSE disordered END, newest = max(newest, @at) WHERE id = 1',
  ).run({ at: createdAt, rowid });
}

/** Entries added in a bulk call, in the order they were added: entry_order follows, read and written once. */
function noteAddedMany(db: Db, rowids: readonly number[], created: readonly number[]): void {
  const kept = entryOrder(db);
  let { newest, disordered } = kept;
  rowids.forEach((rowid, i) => {
    const at = created[i]!;
    if (at < newest) disordered = Math.max(disordered, rowid);
    else newest = at;
  });
  if (newest !== kept.newest || disordered !== kept.disordered) {
    stmt(db, 'UPDATE entry_order SET newest = ?, disordered = ? WHERE id = 1').run(newest, disordered);
  }
}

/**
 * An entry's creation time was rewritten (an import's newer version of it): any entry added after it
 * may now be out of order with it, so entry_order says so of them all.
 */
export function noteCreationRewritten(db: Db, createdAt: number): void {
  stmt(db, 'UPDATE entry_order SET disordered = max(disordered, (SELECT coalesce(max(rowid), 0) FROM entries)), newest = max(newest, ?) WHERE id = 1').run(createdAt);
}

/** entry_order counted again (`doctor --repair`). */
export function recountEntryOrder(db: Db): void {
  const order = stmt<[], EntryOrder>(db, ENTRY_ORDER_SQL).get()!;
  stmt(db, 'UPDATE entry_order SET newest = ?, disordered = ? WHERE id = 1').run(order.newest, order.disordered);
}

/**
 * Writes the tags and index entries of the rows in `pending` and empties it. Call it before anything
 * else reads or changes those rows' tags or index entries, and before the transaction ends: until then
 * search cannot find them.
 */
export function writePending(db: Db, pending: PendingRows, options: { noteEachTitle?: boolean } = {}): void {
  const rowids = pending.rowids;
  if (rowids.length === 0) return;
  // Many rows at once: the title picker reads them all again; a few (noteEachTitle) it reads one by one.
  if (options.noteEachTitle) for (const [title] of pending.titles) noteTitleChange(db, title);
  else noteTitleChange(db, null);
  let first = rowids[0]!;
  let last = first;
  for (const rowid of rowids) {
    if (rowid < first) first = rowid;
    else if (rowid > last) last = rowid;
  }
  const index = stmt(db, FTS_INSERT_RANGE);
  const tags = stmt(db, TAGS_INSERT_RANGE);
  // New rowids are one above the largest, so the rows inserted since the last call fill a range (n
  // distinct rowids between first and last, n apart, are all of them). Were they not (a rowid near
  // the top of its range makes SQLite pick them at random), one by one.
  if (last - first + 1 === rowids.length) {
    index.run(first, last);
    tags.run(first, last);
  } else {
    // The index first: a statement that writes several rows (as the tags' may) makes FTS5 write out
    // the terms it holds, which between every two rows would leave a segment per row.
    for (const rowid of rowids) index.run(rowid, rowid);
    for (const rowid of rowids) tags.run(rowid, rowid);
  }
  insertTitleRows(db, pending.titles);
  addCounts(db, pending.counts);
  noteAddedMany(db, rowids, pending.created);
  rowids.length = 0;
  pending.created.length = 0;
}

/**
 * Inserts a new entry row, its full-text index entry, its tags, its title and its count (the last four
 * into `pending` when that is given, for writePending). `ifNew`: nothing is written, and the result is
 * undefined, when the id, the bookmark address or the source reference is already taken.
 */
function insertRow(db: Db, e: EntryWrite, ifNew: boolean, pending?: PendingRows, text?: RowText): number | undefined {
  const searchTags = text?.searchTags ?? e.tags.join(' ');
  const facets = text?.facets ?? facetText(e);
  const folded = text
    ? foldedJson(text.folded, e.title, searchTags, e.searchPeople, e.body, e.searchExtra)
    : foldedIndexText(e.title, searchTags, e.searchPeople, e.body, e.searchExtra);
  const info = stmt(db, ifNew ? `${INSERT_ENTRY} ON CONFLICT DO NOTHING` : INSERT_ENTRY).run(
    e.id,
    e.kind,
    e.title,
    e.body,
    text?.tags ?? JSON.stringify(e.tags),
    text?.fields ?? JSON.stringify(e.fields),
    e.createdAt,
    e.updatedAt,
    e.deletedAt,
    e.source,
    e.sourceRef,
    e.urlNormalized,
    e.site,
    e.status,
    searchTags,
    e.searchPeople,
    e.searchExtra,
    facets,
    folded,
  );
  if (info.changes === 0) return undefined;
  const rowid = Number(info.lastInsertRowid);
  const counted = countName(e.kind, e.deletedAt);
  if (pending) {
    pending.rowids.push(rowid);
    pending.created.push(e.createdAt);
    if (listsTitle(e.kind, e.title, e.deletedAt)) pending.titles.push([e.title, rowid]);
    pending.counts.set(counted, (pending.counts.get(counted) ?? 0) + 1);
    return rowid;
  }
  if (e.deletedAt === null) {
    if (folded === null) stmt(db, FTS_INSERT_NEW).run(rowid, e.title, searchTags, e.searchPeople, e.body, e.searchExtra, facets);
    else stmt(db, FTS_INSERT).run(rowid, ...(JSON.parse(folded) as [string, string, string, string]), facets);
  }
  if (listsTitle(e.kind, e.title, e.deletedAt)) titleIn(db, e.title, rowid, true);
  insertTags(db, rowid, e.tags);
  addToCount(db, counted, 1);
  noteAdded(db, rowid, e.createdAt);
  return rowid;
}

/**
 * Inserts an entry; with `pending` (a bulk create), its tags, index entry, title and count wait there
 * for writePending, which writes those of all the rows at once.
 */
export function insertEntry(db: Db, e: EntryWrite, pending?: PendingRows): number {
  return insertRow(db, e, false, pending)!;
}

/**
 * Inserts the entry unless its id, its bookmark address or its source reference is already taken
 * (then nothing is written and the result is undefined): one statement where an import would
 * otherwise look each of the three up first. Its tags and index entry wait in `pending`. `text`: its
 * text worked out ahead (RowText), else made here.
 */
export function insertEntryIfNew(db: Db, e: EntryWrite, pending: PendingRows, text?: RowText): number | undefined {
  return insertRow(db, e, true, pending, text);
}

/** From this many entries in one bulk call (an import batch, createMany), FTS5 gets BULK_INDEX_MEMORY for them. */
export const BULK_ENTRIES = 1_000;
/**
 * Enough for the terms of the CLI's largest import transaction, so that it writes one segment. For
 * createMany in chunks of 2,000 corpus entries: 5,300-6,300 -> 5,700-6,600 entries/s, 8-15% less CPU
 * (three interleaved rounds of 30,000).
 */
export const BULK_INDEX_MEMORY = 64 * 1024 * 1024;

/** FTS5's own default for `hashsize`. */
const FTS_DEFAULT_HASHSIZE = 1024 * 1024;

/**
 * Lets FTS5 keep up to `bytes` of new index terms in memory before it writes them out as a segment;
 * the function returned puts the setting back. Both inside one transaction: no other connection ever
 * sees it changed, and a crash leaves it as it was. FTS5's default (1 MB) turns a 5,000-entry import
 * transaction into a dozen small segments that it then merges again; one segment per transaction saved
 * a quarter of the import's SQLite time (measured at 100,000 entries).
 */
export function setIndexMemory(db: Db, bytes: number): () => void {
  const before = stmt<[], { v: unknown }>(db, "SELECT v FROM entries_fts_config WHERE k = 'hashsize'").get()?.v;
  const set = stmt<[number]>(db, "INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', CAST(? AS INTEGER))");
  set.run(bytes);
  return () => set.run(typeof before === 'number' ? before : FTS_DEFAULT_HASHSIZE);
}

/** The rowid of the entry with this id (no columns read). */
export function rowidById(db: Db, id: string): number | undefined {
  return stmt<[string], { rowid: number }>(db, 'SELECT rowid FROM entries WHERE id = ?').get(id)?.rowid;
}

export function updateEntry(db: Db, rowid: number, e: EntryWrite): void {
  const before = rowState(db, rowid);
  moveTitle(db, rowid, listedTitle(before), listsTitle(e.kind, e.title, e.deletedAt) ? e.title : null);
  if (before) moveCount(db, countName(before.kind, before.deleted_at), countName(e.kind, e.deletedAt));
  unindex(db, rowid);
  stmt(
    db,
    `UPDATE entries SET kind = @kind, title = @title, body = @body, tags = @tags, fields = @fields,
       created_at = @created_at, updated_at = @updated_at, deleted_at = @deleted_at, source = @source,
       source_ref = @source_ref, url_normalized = @url_normalized, site = @site, status = @status,
       search_tags = @search_tags, search_people = @search_people, search_extra = @search_extra,
       search_facets = @search_facets, search_folded = @search_folded
     WHERE rowid = @rowid AND id = @id`,
  ).run({ ...writeParams(e), rowid });
  index(db, rowid);
  setTags(db, rowid, e.tags);
}

/**
 * Compares every entry's `search_folded` with what `foldedIndexText` makes of its text now, and
 * returns how many differ. `store` writes the right value (for a full rebuild of the index after it);
 * `reindex` also moves each such live row's index entry to its new text (migration 0007). A chunk of
 * rows at a time, in rowid order: a statement cannot write while another one reads. `only`: just the
 * entries with text this matches (a migration that changed the fold of a few scripts folds only the
 * entries that have them; testing each row so took 0.2 s at 100,000, SQLite's GLOB 1.9 s, folding
 * every row 1.3 s).
 */
export function refoldEntries(db: Db, mode: 'check' | 'store' | 'reindex', only?: RegExp): number {
  const chunk = stmt<[number], { rowid: number; title: string; search_tags: string; search_people: string; body: string; search_extra: string; search_folded: string | null }>(
    db,
    'SELECT rowid, title, search_tags, search_people, body, search_extra, search_folded FROM entries WHERE rowid > ? ORDER BY rowid LIMIT 2000',
  );
  const update = stmt<[string | null, number]>(db, 'UPDATE entries SET search_folded = ? WHERE rowid = ?');
  let differ = 0;
  for (let rows = chunk.all(0); rows.length > 0; rows = chunk.all(rows.at(-1)!.rowid)) {
    for (const r of rows) {
      if (only && !only.test(r.title) && !only.test(r.body) && !only.test(r.search_tags) && !only.test(r.search_people) && !only.test(r.search_extra)) continue;
      const folded = foldedIndexText(r.title, r.search_tags, r.search_people, r.body, r.search_extra);
      if (folded === r.search_folded) continue;
      differ++;
      if (mode === 'check') continue;
      if (mode === 'reindex') unindex(db, r.rowid);
      update.run(folded, r.rowid);
      if (mode === 'reindex') index(db, r.rowid);
    }
  }
  return differ;
}

/**
 * Makes the `people` text of these entries again from what is stored (a person's own names and
 * aliases, then the names and aliases of the people it mentions or names as recommender, by rowid)
 * and moves the index entries of those whose text changed: for a person renamed, aliased or purged,
 * whom tens of thousands of entries may mention. Set-based: their links and stored text are read in
 * a few statements, and the changed rows' index entries leave the index in one statement, the rows
 * are updated in one and enter it again in one, their text read by SQLite. No body crosses into
 * JavaScript: only the `people` column changes, so a row's folded copy is made from the one stored.
 *
 * It stays in the transaction of the change that caused it. Done in batches after it, a search in
 * between would find the entries not yet done by the old name and miss them by the new one (the
 * index is the only place search reads those names from), and a crash in between would leave them
 * so. The rows go in ascending rowid: FTS5 writes out the terms it holds in memory as a new segment
 * whenever a row's rowid is below the last one's (0.4-0.5 ms a row instead of 0.05-0.1 ms out of
 * order, measured at 100,000 entries). What remains is FTS5's work, as long as an entry's index entry holds the names it mentions:
 * each changed row's whole index entry leaves and enters again (its body tokenized twice) and the
 * row is written again. For 50,000 entries: 2.4-2.5 s of CPU, 96% of it in SQLite (one row at a
 * time: 2.8-3.4 s, a fifth of it in JavaScript); tests/bench/diagnose-rename.ts.
 */
export function refreshSearchPeople(db: Db, rowids: Iterable<number>): void {
  const wanted = JSON.stringify([...new Set(rowids)]);
  // Each entry's link targets (mentions, recommended-by), in rowid order, as the save writes them.
  const targets = new Map<number, number[]>();
  const people = new Set<number>();
  for (const l of stmt<[string], { from_rowid: number; to_rowid: number }>(db, PEOPLE_LINKS_SQL).iterate(wanted)) {
    const list = targets.get(l.from_rowid);
    if (list) {
      if (list.at(-1) !== l.to_rowid) list.push(l.to_rowid);
    } else targets.set(l.from_rowid, [l.to_rowid]);
    people.add(l.to_rowid);
  }
  const names = personNamesByRowid(db, [...people]);
  const texts = new Map<string, string>();
  const folds = new Map<string, string>();
  const changes: Array<[number, string, string | null]> = [];
  const refold: Array<[number, string, string]> = [];
  for (const r of stmt<[string], StoredPeople>(db, STORED_PEOPLE_SQL).iterate(wanted)) {
    const linked = targets.get(r.rowid) ?? [];
    // Most entries mention the same few people: their text is made once.
    const key = `${r.person ?? ''}\u0000${linked.join(' ')}`;
    let text = texts.get(key);
    if (text === undefined) {
      const person = r.person === null ? undefined : (JSON.parse(r.person) as { name: string; aliases: string[] });
      const own = person ? [person.name, ...(person.aliases ?? [])] : [];
      text = [...new Set([...own, ...linked.flatMap((t) => names.get(t) ?? [])].filter(Boolean))].join(' ');
      texts.set(key, text);
    }
    if (text === r.search_people) continue;
    let folded = folds.get(text);
    if (folded === undefined) folds.set(text, (folded = foldText(text)));
    if (folded === text && r.plain) changes.push([r.rowid, text, null]);
    else refold.push([r.rowid, text, folded]);
  }
  // The folded copy (search_folded) of a row with folded text, or whose new names fold: the stored one
  // with the people replaced. Stored right (doctor checks it), its other parts are the fold of their
  // columns; and it is null only while folding changes nothing (`plain`, and names that stay as they are).
  if (refold.length > 0) {
    const stored = new Map(
      stmt<[string], { rowid: number; title: string; tags: string; body: string }>(
        db,
        `SELECT rowid, ${INDEXED_COLUMNS_SQL} FROM entries WHERE rowid IN (SELECT value ->> 0 FROM json_each(?))`,
      )
        .all(JSON.stringify(refold))
        .map((r) => [r.rowid, r]),
    );
    for (const [rowid, text, folded] of refold) {
      const s = stored.get(rowid)!;
      changes.push([rowid, text, JSON.stringify([s.title, s.tags, folded, s.body])]);
    }
  }
  if (changes.length === 0) return;
  const changed = JSON.stringify(changes.sort((a, b) => a[0] - b[0]));
  // Many rows: the terms going out in one segment and those coming in in another, as an import writes them.
  const restore = changes.length >= BULK_ENTRIES ? setIndexMemory(db, BULK_INDEX_MEMORY) : undefined;
  stmt<[string]>(db, PEOPLE_INDEX_OUT_SQL).run(changed);
  stmt<[string]>(db, PEOPLE_UPDATE_SQL).run(changed);
  stmt<[string]>(db, PEOPLE_INDEX_IN_SQL).run(changed);
  restore?.();
}

/** The links an entry's `people` text is made from, of the entries in a JSON array of rowids. */
const PEOPLE_LINKS_SQL = `SELECT from_rowid, to_rowid FROM links
  WHERE from_rowid IN (SELECT value FROM json_each(?)) AND type IN ('mentions', 'recommended-by') ORDER BY from_rowid, to_rowid`;

interface StoredPeople {
  rowid: number;
  search_people: string;
  /** A person's fields (their own names come first); null for other kinds. */
  person: string | null;
  /** 1 when the row's title, tags and body are indexed as they are (folding changes none of them). */
  plain: number;
}

/** What refreshSearchPeople reads of each entry in a JSON array of rowids (no body leaves SQLite). */
const STORED_PEOPLE_SQL = `SELECT rowid, search_people, CASE WHEN kind = 'person' THEN fields END AS person,
    search_folded IS NULL OR (search_folded ->> 0 = title AND search_folded ->> 1 = search_tags
      AND search_folded ->> 3 = body || char(10) || search_extra) AS plain
  FROM entries WHERE rowid IN (SELECT value FROM json_each(?))`;

// The rows of a JSON array of [rowid, people, folded]: their index entries out (as they are now),
// their people text and its folded copy written, their index entries in again, each in rowid order.
// `+deleted_at` keeps the planner on the rowids instead of the timeline index.
export const PEOPLE_INDEX_OUT_SQL = `INSERT INTO entries_fts (entries_fts, rowid, title, tags, people, body, facets)
  SELECT 'delete', rowid, ${INDEXED_COLUMNS_SQL}
  FROM entries WHERE rowid IN (SELECT value ->> 0 FROM json_each(?)) AND +deleted_at IS NULL ORDER BY rowid`;
const PEOPLE_UPDATE_SQL = `UPDATE entries SET search_people = c.value ->> 1, search_folded = c.value ->> 2
  FROM json_each(?) c WHERE entries.rowid = c.value ->> 0`;
export const PEOPLE_INDEX_IN_SQL = `INSERT INTO entries_fts (rowid, title, tags, people, body, facets)
  SELECT rowid, ${INDEXED_COLUMNS_SQL}
  FROM entries WHERE rowid IN (SELECT value ->> 0 FROM json_each(?)) AND +deleted_at IS NULL ORDER BY rowid`;

export function setSearchPeople(db: Db, rowid: number, searchPeople: string): void {
  const current = stmt<[number], { title: string; search_tags: string; search_people: string; body: string; search_extra: string }>(
    db,
    'SELECT title, search_tags, search_people, body, search_extra FROM entries WHERE rowid = ?',
  ).get(rowid);
  if (!current || current.search_people === searchPeople) return;
  unindex(db, rowid);
  stmt(db, 'UPDATE entries SET search_people = ?, search_folded = ? WHERE rowid = ?').run(
    searchPeople,
    foldedIndexText(current.title, current.search_tags, searchPeople, current.body, current.search_extra),
    rowid,
  );
  index(db, rowid);
}

export function setDeletedAt(db: Db, rowid: number, deletedAt: number | null, updatedAt: number): void {
  unindex(db, rowid);
  const before = rowState(db, rowid);
  const row = stmt<[number | null, number, number], { kind: string; title: string }>(db, 'UPDATE entries SET deleted_at = ?, updated_at = ? WHERE rowid = ? RETURNING kind, title').get(deletedAt, updatedAt, rowid);
  moveTitle(db, rowid, listedTitle(before), row && listsTitle(row.kind, row.title, deletedAt) ? row.title : null);
  if (before && row) moveCount(db, countName(before.kind, before.deleted_at), countName(row.kind, deletedAt));
  index(db, rowid);
}

export function deleteEntry(db: Db, rowid: number): void {
  unindex(db, rowid);
  const revisions = revisionSummary(db, rowid).count; // the delete takes them with it (ON DELETE CASCADE)
  const row = stmt<[number], RowState>(db, 'DELETE FROM entries WHERE rowid = ? RETURNING kind, title, deleted_at').get(rowid);
  moveTitle(db, rowid, listedTitle(row), null);
  if (row) {
    addToCount(db, countName(row.kind, row.deleted_at), -1);
    addToCount(db, REVISIONS_COUNT, -revisions);
  }
}

/** An entry in the trash as a purge finds it: which row, when it was moved there, and whether it is a person. */
export interface TrashedRow {
  rowid: number;
  deletedAt: number;
  /** 1 for a person (whose mentioners are indexed again when it goes), else 0. */
  person: number;
}

/**
 * The entries moved to the trash at or before `upTo`: the rest first, then people, each in the order
 * they were added. People last, so the notes that mention a person are gone before the person is, and
 * are not indexed again for its names only to be deleted after. Read from the kind index alone.
 */
export function trashedUpTo(db: Db, upTo: number): TrashedRow[] {
  return stmt<[number], TrashedRow>(
    db,
    `SELECT rowid, deleted_at AS deletedAt, kind = 'person' AS person FROM entries INDEXED BY entries_kind_timeline
     WHERE kind IN ('note', 'bookmark', 'person', 'question') AND deleted_at <= ? ORDER BY kind = 'person', rowid`,
  ).all(upTo);
}

/** How many links name this entry as the person mentioned or recommending (index only: links_to). */
export function mentionCount(db: Db, rowid: number): number {
  return stmt<[number], { n: number }>(db, "SELECT count(*) AS n FROM links WHERE to_rowid = ? AND type IN ('mentions', 'recommended-by')").get(rowid)!.n;
}

/** When the entry was moved to the trash: null when it is live, undefined when there is no such entry. */
export function deletedAtOf(db: Db, rowid: number): number | null | undefined {
  return stmt<[number], { deleted_at: number | null }>(db, 'SELECT deleted_at FROM entries WHERE rowid = ?').get(rowid)?.deleted_at;
}

/**
 * Deletes for good those of `rows` still in the trash as they were found (the same `deleted_at`: one
 * restored, or moved there again, since is left alone), with their revisions, tags, names and links
 * (ON DELETE CASCADE), and takes them out of the counts: deleteEntry for many entries of the trash
 * at once, in a few statements for all of them rather than six for each. An entry in the trash is
 * neither in the full-text index nor among the titles the picker lists, so nothing else holds it.
 * Returns the rowids deleted and the entries that mentioned them or named them as recommender
 * (ascending rowid: see refreshSearchPeople), which keep their names in the index until indexed again.
 */
export function deleteTrashed(db: Db, rows: readonly TrashedRow[]): { deleted: number[]; mentioners: number[] } {
  if (rows.length === 0) return { deleted: [], mentioners: [] };
  const found = stmt<[string], { rowid: number; kind: string }>(
    db,
    `SELECT e.rowid, e.kind FROM json_each(?) j CROSS JOIN entries e ON e.rowid = j.value ->> 0
     WHERE e.deleted_at IS NOT NULL AND e.deleted_at = j.value ->> 1 ORDER BY e.rowid`,
  ).all(JSON.stringify(rows.map((r) => [r.rowid, r.deletedAt])));
  if (found.length === 0) return { deleted: [], mentioners: [] };
  const deleted = found.map((r) => r.rowid);
  const ids = JSON.stringify(deleted);
  const gone = new Set(deleted);
  const mentioners = stmt<[string], { from_rowid: number }>(
    db,
    `SELECT DISTINCT from_rowid FROM links WHERE to_rowid IN (SELECT value FROM json_each(?)) AND type IN ('mentions', 'recommended-by') ORDER BY from_rowid`,
  )
    .all(ids)
    .map((r) => r.from_rowid)
    .filter((rowid) => !gone.has(rowid));
  const revisions = stmt<[string], { n: number }>(db, 'SELECT count(*) AS n FROM revisions WHERE entry_rowid IN (SELECT value FROM json_each(?))').get(ids)!.n;
  stmt<[string]>(db, 'DELETE FROM entries WHERE rowid IN (SELECT value FROM json_each(?))').run(ids);
  const counts: CountRows = new Map([[REVISIONS_COUNT, -revisions]]);
  for (const r of found) counts.set(countName(r.kind, 0), (counts.get(countName(r.kind, 0)) ?? 0) - 1);
  addCounts(db, counts);
  return { deleted, mentioners };
}

// ---- journal counts (for journal.stats; migration 0005) ---------------------------------------------

/** The journal_counts row an entry is counted in: `live note`, `trashed bookmark`, … */
export const countName = (kind: string, deletedAt: number | null): string => `${deletedAt === null ? 'live' : 'trashed'} ${kind}`;

/** The journal_counts row of the revisions. */
export const REVISIONS_COUNT = 'revisions';

/** Additions to journal_counts by name, for addCounts. */
export type CountRows = Map<string, number>;

/** Adds the counts in `rows` to journal_counts and empties it. */
export function addCounts(db: Db, rows: CountRows): void {
  for (const [name, delta] of rows) addToCount(db, name, delta);
  rows.clear();
}

/** How many entries are in the trash, from journal_counts (no scan). */
export function trashSize(db: Db): number {
  return stmt<[], { n: number }>(db, "SELECT coalesce(sum(n), 0) AS n FROM journal_counts WHERE name LIKE 'trashed %'").get()!.n;
}

/** Adds `delta` to a count of journal_counts (a row it does not have yet starts at 0). */
export function addToCount(db: Db, name: string, delta: number): void {
  if (delta === 0) return;
  stmt<[string, number]>(db, 'INSERT INTO journal_counts (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = n + excluded.n').run(name, delta);
}

function moveCount(db: Db, before: string, after: string): void {
  if (before === after) return;
  addToCount(db, before, -1);
  addToCount(db, after, 1);
}

/** journal_counts as counted from the entries and revisions: `{name, n}` (migration 0005 did it first). */
export const JOURNAL_COUNTS_SQL = `SELECT CASE WHEN deleted_at IS NULL THEN 'live ' ELSE 'trashed ' END || kind AS name, count(*) AS n FROM entries GROUP BY 1
  UNION ALL SELECT '${REVISIONS_COUNT}', count(*) FROM revisions`;

/** journal_counts counted again from the entries and revisions (`doctor --repair`). */
export function recountJournal(db: Db): void {
  stmt(db, 'DELETE FROM journal_counts').run();
  stmt(db, `INSERT INTO journal_counts (name, n) ${JOURNAL_COUNTS_SQL}`).run();
}

/** Every count of journal_counts by name. */
export function journalCounts(db: Db): Map<string, number> {
  return new Map(stmt<[], { name: string; n: number }>(db, 'SELECT name, n FROM journal_counts').all().map((r) => [r.name, r.n]));
}

// ---- title changes (for the title picker; migration 0004) -------------------------------------------

/**
 * An entry with this title joined the titles the picker lists. `fresh`: it was just inserted, so it is
 * the newest with its title; otherwise (restored, renamed) it is only if the newest is known and older.
 * It is noted in title_changes too.
 */
function titleIn(db: Db, title: string, rowid: number, fresh: boolean): void {
  stmt<{ title: string; rowid: number; fresh: number }>(
    db,
    `INSERT INTO entry_titles (title, uses, newest) VALUES (@title, 1, @rowid)
     ON CONFLICT (title) DO UPDATE SET uses = uses + 1,
       newest = CASE WHEN @fresh THEN excluded.newest WHEN newest IS NULL THEN NULL ELSE max(newest, excluded.newest) END`,
  ).run({ title, rowid, fresh: fresh ? 1 : 0 });
  noteTitleChange(db, title);
}

/** (title, rowid) of new entries a bulk create counts into entry_titles at the end, in one statement. */
export type TitleRows = Array<[string, number]>;

/**
 * Counts the titles insertEntry or insertEntryIfNew collected into entry_titles: one statement for a
 * bulk create or an import batch instead of one a row (which made a create of 150,000 entries 15 %
 * slower; counting them from the new rows, an import 12 %). The caller notes them in title_changes
 * (noteTitleChange). Call it before anything else in the transaction changes those entries' titles.
 */
function insertTitleRows(db: Db, rows: TitleRows): void {
  if (rows.length === 0) return;
  stmt<[string]>(
    db,
    `INSERT INTO entry_titles (title, uses, newest)
       SELECT value ->> 0, count(*), max(value ->> 1) FROM json_each(?) GROUP BY value ->> 0
     ON CONFLICT (title) DO UPDATE SET uses = uses + excluded.uses, newest = excluded.newest`,
  ).run(JSON.stringify(rows));
  rows.length = 0;
}

/** What decides which title and which count an entry is listed under. */
type RowState = { kind: string; title: string; deleted_at: number | null };

function rowState(db: Db, rowid: number): RowState | undefined {
  return stmt<[number], RowState>(db, 'SELECT kind, title, deleted_at FROM entries WHERE rowid = ?').get(rowid);
}

/** The title the picker lists an entry in this state under, or null (not listed, or no such entry). */
function listedTitle(row: RowState | undefined): string | null {
  return row && listsTitle(row.kind, row.title, row.deleted_at) ? row.title : null;
}

/** The entry went from being listed under `before` to being listed under `after` (null: not listed). */
function moveTitle(db: Db, rowid: number, before: string | null, after: string | null): void {
  if (before === after) return;
  if (before !== null) titleOut(db, before, rowid);
  if (after !== null) titleIn(db, after, rowid, false);
}

/** An entry with this title left the titles the picker lists; if it was the newest, that is unknown now. */
function titleOut(db: Db, title: string, rowid: number): void {
  stmt<{ title: string; rowid: number }>(
    db,
    'UPDATE entry_titles SET uses = uses - 1, newest = CASE WHEN newest = @rowid THEN NULL ELSE newest END WHERE title = @title',
  ).run({ title, rowid });
  stmt<[string]>(db, 'DELETE FROM entry_titles WHERE title = ? AND uses <= 0').run(title);
  noteTitleChange(db, title);
}

/** The titles the picker lists, counted from the entries: `{title, uses, newest}` (listsTitle in SQL). */
export const LISTED_TITLES_SQL = `SELECT title, count(*) AS uses, max(rowid) AS newest FROM entries
  WHERE deleted_at IS NULL AND kind <> 'person' AND title <> '' GROUP BY title`;

/** entry_titles counted again from the entries (migration 0004 did it first; `doctor --repair` again). */
export function recountTitles(db: Db): void {
  stmt(db, 'DELETE FROM entry_titles').run();
  stmt(db, `INSERT INTO entry_titles (title, uses, newest) SELECT title, uses, newest FROM (${LISTED_TITLES_SQL})`).run();
  noteTitleChange(db, null);
}

/** True for the entries the title picker lists: live, not a person, with a title. */
export const listsTitle = (kind: string, title: string, deletedAt: number | null): boolean => deletedAt === null && kind !== 'person' && title !== '';

/**
 * `title_changes` keeps at least this many of its newest rows: the repository drops older ones as it
 * adds, and a reader further behind than that reads every title again.
 */
export const TITLE_CHANGES_KEPT = 1_000;

/**
 * Notes that the entries with this title changed (null: many titles at once). The repository does it
 * for every write but inserts that wait in PendingRows, which writePending notes.
 */
export function noteTitleChange(db: Db, title: string | null): void {
  const seq = Number(stmt<[string | null]>(db, 'INSERT INTO title_changes (title) VALUES (?)').run(title).lastInsertRowid);
  if (seq % TITLE_CHANGES_KEPT === 0) stmt<[number]>(db, 'DELETE FROM title_changes WHERE seq <= ?').run(seq - TITLE_CHANGES_KEPT);
}

function setTags(db: Db, rowid: number, tags: readonly string[]): void {
  stmt(db, 'DELETE FROM entry_tags WHERE entry_rowid = ?').run(rowid);
  insertTags(db, rowid, tags);
}

function insertTags(db: Db, rowid: number, tags: readonly string[]): void {
  const insert = stmt(db, 'INSERT OR IGNORE INTO entry_tags (tag, entry_rowid) VALUES (?, ?)');
  for (const tag of tags) insert.run(tag, rowid);
}

// ---- people --------------------------------------------------------------------------------------

export function setPersonNames(db: Db, rowid: number, keys: readonly string[]): void {
  stmt(db, 'DELETE FROM person_names WHERE entry_rowid = ?').run(rowid);
  const insert = stmt(db, 'INSERT OR IGNORE INTO person_names (key, entry_rowid) VALUES (?, ?)');
  for (const key of keys) if (key) insert.run(key, rowid);
}

// CROSS JOIN keeps person_names (its key) as the outer loop: left to itself the planner walked every
// person in timeline order to satisfy the ORDER BY (300 µs a lookup in the import profile).
export const PERSON_BY_KEY_SQL = `SELECT e.rowid FROM person_names n CROSS JOIN entries e ON e.rowid = n.entry_rowid
  WHERE n.key = ? AND e.kind = 'person' AND e.deleted_at IS NULL ORDER BY e.created_at, e.rowid LIMIT 1`;

/**
 * The entries whose name or alias has a key, with the creation time of each that is a live person
 * (null for the others): the save path's lookup (findPersonRowidByKey). Not PERSON_BY_KEY_SQL, whose
 * ORDER BY sets up a sorter on every run: 20-30 µs a lookup against 4-6 µs (the 100,000-entry
 * benchmark journal), for the one or two rows a key has.
 */
export const PERSON_CANDIDATES_SQL = `SELECT n.entry_rowid AS rowid,
    (SELECT created_at FROM entries WHERE rowid = n.entry_rowid AND kind = 'person' AND deleted_at IS NULL) AS created_at
  FROM person_names n WHERE n.key = ?`;

/** The live person whose name or alias has this key; the oldest wins when several share it (then the first saved). */
export function findPersonRowidByKey(db: Db, key: string): number | undefined {
  let best: { rowid: number; created_at: number } | undefined;
  for (const row of stmt<[string], { rowid: number; created_at: number | null }>(db, PERSON_CANDIDATES_SQL).all(key)) {
    if (row.created_at === null) continue;
    if (!best || row.created_at < best.created_at || (row.created_at === best.created_at && row.rowid < best.rowid)) best = { rowid: row.rowid, created_at: row.created_at };
  }
  return best?.rowid;
}

// ---- links ---------------------------------------------------------------------------------------

export function setOutgoingLinks(db: Db, fromRowid: number, type: LinkType, toRowids: readonly number[]): void {
  stmt(db, 'DELETE FROM links WHERE from_rowid = ? AND type = ?').run(fromRowid, type);
  const insert = stmt(db, 'INSERT OR IGNORE INTO links (from_rowid, to_rowid, type) VALUES (?, ?, ?)');
  for (const to of toRowids) if (to !== fromRowid) insert.run(fromRowid, to, type);
}

/** The rowids of the entries `fromRowid` has a link of `type` to. */
export function linkTargets(db: Db, fromRowid: number, type: LinkType): number[] {
  return stmt<[number, string], { to_rowid: number }>(db, 'SELECT to_rowid FROM links WHERE from_rowid = ? AND type = ?')
    .all(fromRowid, type)
    .map((r) => r.to_rowid);
}

/** The rowids of the entries with a link of `type` to `toRowid`. */
export function linkSources(db: Db, toRowid: number, type: LinkType): number[] {
  return stmt<[number, string], { from_rowid: number }>(db, 'SELECT from_rowid FROM links WHERE to_rowid = ? AND type = ?')
    .all(toRowid, type)
    .map((r) => r.from_rowid);
}

export function deleteLink(db: Db, fromRowid: number, toRowid: number, type: LinkType): void {
  stmt(db, 'DELETE FROM links WHERE from_rowid = ? AND type = ? AND to_rowid = ?').run(fromRowid, type, toRowid);
}

/** Adds a link unless it is there; returns how many rows it added (0 or 1). */
export function insertLink(db: Db, fromRowid: number, toRowid: number, type: LinkType): number {
  return stmt(db, 'INSERT OR IGNORE INTO links (from_rowid, to_rowid, type) VALUES (?, ?, ?)').run(fromRowid, toRowid, type).changes;
}

interface LinkRow {
  type: LinkType;
  id: string;
  kind: EntryKind;
  title: string;
  deleted_at: number | null;
}

const toLink = (r: LinkRow): EntryLink => ({ type: r.type, entry: { id: r.id, kind: r.kind, title: r.title, deleted: r.deleted_at !== null } });

export function linksFrom(db: Db, rowid: number): EntryLink[] {
  return stmt<[number], LinkRow>(
    db,
      `SELECT l.type, e.id, e.kind, e.title, e.deleted_at FROM links l JOIN entries e ON e.rowid = l.to_rowid
       WHERE l.from_rowid = ? ORDER BY l.type, e.title`,
    )
    .all(rowid)
    .map(toLink);
}

/**
 * Entries linking to this one, newest first, at most `limit`. With more backlinks than that, the live
 * ones come from walking the timeline newest first, up to `BACKLINK_WALK` times as many entries as
 * there are backlinks: joining every backlink to its entry to sort them read a row per backlink,
 * 115 ms warm and 8 s from a cold disk for a person mentioned in 25,803 of 1,000,000 entries. The walk
 * reads the timeline index and only the rows it returns. When it finds too few (the backlinks are old),
 * they are all joined and sorted after all.
 */
export function linksTo(db: Db, rowid: number, limit = 500): EntryLink[] {
  // Index-only (links_to): 1 ms for 25,803 backlinks.
  const n = stmt<[number], { n: number }>(db, 'SELECT count(*) AS n FROM links WHERE to_rowid = ?').get(rowid)!.n;
  if (n > limit) {
    const live = stmt<{ to: number; examine: number; limit: number }, LinkRow & { created_at: number; rowid: number }>(
      db,
      `SELECT l.type, e.id, e.kind, e.title, e.deleted_at, t.created_at, t.rowid FROM (
         SELECT rowid, created_at FROM entries INDEXED BY entries_timeline WHERE deleted_at IS NULL
         ORDER BY created_at DESC, rowid DESC LIMIT @examine
       ) t CROSS JOIN links l ON l.from_rowid = t.rowid AND l.to_rowid = @to CROSS JOIN entries e ON e.rowid = t.rowid
       WHERE t.rowid IN (SELECT from_rowid FROM links WHERE to_rowid = @to)
       ORDER BY t.created_at DESC, t.rowid DESC LIMIT @limit`,
    ).all({ to: rowid, examine: n * BACKLINK_WALK, limit });
    if (live.length >= limit) {
      // The backlinks from the trash, read from whichever is smaller: the backlinks, or the trash. Each
      // trashed entry's own links are found by the primary key (`+` keeps the planner off links_to,
      // which would read every backlink once per trashed entry: 55-77 s for 50,000 of each).
      const trashed = stmt<{ to: number }, LinkRow & { created_at: number; rowid: number }>(
        db,
        n <= trashSize(db) ? TRASHED_BACKLINKS_BY_LINKS_SQL : TRASHED_BACKLINKS_BY_TRASH_SQL,
      ).all({ to: rowid });
      return [...live, ...trashed]
        .sort((a, b) => b.created_at - a.created_at || b.rowid - a.rowid)
        .slice(0, limit)
        .map(toLink);
    }
  }
  return stmt<[number, number], LinkRow>(
    db,
    `SELECT l.type, e.id, e.kind, e.title, e.deleted_at FROM links l JOIN entries e ON e.rowid = l.from_rowid
       WHERE l.to_rowid = ? ORDER BY e.created_at DESC, e.rowid DESC LIMIT ?`,
  )
    .all(rowid, limit)
    .map(toLink);
}

/** The backlinks to `@to` from entries in the trash, read from the backlinks (when they are fewer than the trash). */
export const TRASHED_BACKLINKS_BY_LINKS_SQL = `SELECT l.type, e.id, e.kind, e.title, e.deleted_at, e.created_at, e.rowid FROM links l
  CROSS JOIN entries e ON e.rowid = l.from_rowid WHERE l.to_rowid = @to AND e.deleted_at IS NOT NULL`;
/** The same, read from the trash (when it is the smaller), each entry's links by the primary key. */
export const TRASHED_BACKLINKS_BY_TRASH_SQL = `SELECT l.type, e.id, e.kind, e.title, e.deleted_at, e.created_at, e.rowid FROM entries e INDEXED BY entries_timeline
  CROSS JOIN links l ON l.from_rowid = e.rowid AND +l.to_rowid = @to WHERE e.deleted_at IS NOT NULL`;

/** How many entries link to this one, by type (index only: links_to). */
export function backlinkCounts(db: Db, rowid: number): Partial<Record<LinkType, number>> {
  const rows = stmt<[number], { type: LinkType; n: number }>(db, 'SELECT type, count(*) AS n FROM links WHERE to_rowid = ? GROUP BY type').all(rowid);
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
}

/** How far `linksTo` walks the timeline, in entries per backlink, before it sorts them all instead. */
export const BACKLINK_WALK = 30;

/** Names (and aliases) of these people, for the index's `people` column. */
export function personNames(db: Db, rowids: readonly number[]): string[] {
  if (rowids.length === 0) return [];
  return stmt<[string], { title: string; fields: string }>(db, 'SELECT title, fields FROM entries WHERE rowid IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(rowids))
    .flatMap((r) => [r.title, ...((JSON.parse(r.fields) as { aliases?: string[] }).aliases ?? [])]);
}

/** The name and aliases of the person with this id; none when it is not a person (or not here). */
export function personNamesById(db: Db, id: string): string[] {
  const row = stmt<[string], { kind: EntryKind; fields: string }>(db, 'SELECT kind, fields FROM entries WHERE id = ?').get(id);
  if (row?.kind !== 'person') return [];
  const person = JSON.parse(row.fields) as { name: string; aliases: string[] };
  return [person.name, ...person.aliases];
}

/** Names (and aliases) of each of these people, by rowid. */
export function personNamesByRowid(db: Db, rowids: readonly number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (rowids.length === 0) return out;
  const rows = stmt<[string], { rowid: number; title: string; fields: string }>(
    db,
    'SELECT rowid, title, fields FROM entries WHERE rowid IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(rowids));
  for (const r of rows) out.set(r.rowid, [r.title, ...((JSON.parse(r.fields) as { aliases?: string[] }).aliases ?? [])]);
  return out;
}

/** Entries that mention this person or name them as recommender (their `people` text holds its names). */
export function mentionerRowids(db: Db, rowid: number): number[] {
  return stmt<[number], { from_rowid: number }>(db, "SELECT DISTINCT from_rowid FROM links WHERE to_rowid = ? AND type IN ('mentions', 'recommended-by')")
    .all(rowid)
    .map((r) => r.from_rowid);
}

export function toRef(row: Pick<EntryRow, 'id' | 'kind' | 'title' | 'deleted_at'>): EntryRef {
  return { id: row.id, kind: row.kind, title: row.title, deleted: row.deleted_at !== null };
}

// ---- revisions -----------------------------------------------------------------------------------

interface RevisionRow {
  id: number;
  entry_id: string;
  saved_at: number;
  title: string;
  body: string;
  tags: string;
  fields: string;
}

const toRevision = (r: RevisionRow): Revision => ({
  id: r.id,
  entryId: r.entry_id,
  savedAt: r.saved_at,
  title: r.title,
  body: r.body,
  tags: JSON.parse(r.tags) as string[],
  fields: JSON.parse(r.fields) as Record<string, unknown>,
});

export function insertRevision(db: Db, row: EntryRow, savedAt: number): void {
  stmt(db, 'INSERT INTO revisions (entry_rowid, saved_at, title, body, tags, fields) VALUES (?, ?, ?, ?, ?, ?)').run(
    row.rowid,
    savedAt,
    row.title,
    row.body,
    row.tags,
    row.fields,
  );
  addToCount(db, REVISIONS_COUNT, 1);
}

/**
 * An entry's revisions, newest first by when each was replaced. Not by id: an import gives a file's
 * revision the id it had there wherever that id is free here, so ids need not follow time.
 */
export function listRevisions(db: Db, rowid: number): Revision[] {
  return stmt<[number], RevisionRow>(
    db,
      `SELECT r.id, e.id AS entry_id, r.saved_at, r.title, r.body, r.tags, r.fields
       FROM revisions r JOIN entries e ON e.rowid = r.entry_rowid WHERE r.entry_rowid = ? ORDER BY r.saved_at DESC, r.id DESC`,
    )
    .all(rowid)
    .map(toRevision);
}

export function getRevision(db: Db, rowid: number, revisionId: number): Revision | undefined {
  const row = stmt<[number, number], RevisionRow>(
    db,
      `SELECT r.id, e.id AS entry_id, r.saved_at, r.title, r.body, r.tags, r.fields
       FROM revisions r JOIN entries e ON e.rowid = r.entry_rowid WHERE r.entry_rowid = ? AND r.id = ?`,
    )
    .get(rowid, revisionId);
  return row ? toRevision(row) : undefined;
}

/** How many earlier versions an entry has, and when the newest of them was replaced (its text last saved). */
export function revisionSummary(db: Db, rowid: number): { count: number; lastSavedAt: number | null } {
  const row = stmt<[number], { n: number; last: number | null }>(db, 'SELECT count(*) AS n, max(saved_at) AS last FROM revisions WHERE entry_rowid = ?').get(rowid);
  return { count: row?.n ?? 0, lastSavedAt: row?.last ?? null };
}

/** Every revision, oldest first, read one row at a time as the result is iterated. */
export function* allRevisions(db: Db): Generator<Revision> {
  const rows = stmt<[], RevisionRow>(
    db,
    `SELECT r.id, e.id AS entry_id, r.saved_at, r.title, r.body, r.tags, r.fields
     FROM revisions r JOIN entries e ON e.rowid = r.entry_rowid ORDER BY r.id`,
  );
  for (const row of rows.iterate()) yield toRevision(row);
}

/** Every entry, trash included, in the order they were added, read one row at a time. */
export function* allEntries(db: Db): Generator<Entry> {
  for (const row of stmt<[], EntryRow>(db, 'SELECT * FROM entries ORDER BY rowid').iterate()) yield rowToEntry(row);
}

/** Every link by the ids of its two ends, in the order of their rows, read one row at a time. */
export function* allLinks(db: Db): Generator<{ from: string; to: string; type: LinkType }> {
  yield* stmt<[], { from: string; to: string; type: LinkType }>(
    db,
    `SELECT f.id AS "from", t.id AS "to", l.type FROM links l
     JOIN entries f ON f.rowid = l.from_rowid JOIN entries t ON t.rowid = l.to_rowid ORDER BY f.rowid, l.type, t.rowid`,
  ).iterate();
}
