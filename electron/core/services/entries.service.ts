/**
 * Entries: create, read, edit (with revisions), trash, restore, purge. Text is parsed for #tags,
 * @mentions and URLs; mentions link to person entries (created when new), URLs to known bookmarks.
 */
import { isBusyError, writeTransaction, type Db } from '../db/connection.ts';
import * as repo from '../db/entries.repo.ts';
import * as lists from '../db/lists.repo.ts';
import { LOCK_FREE_MS, nextBatchSize } from './write-batches.ts';
import type { DerivedColumn, EntryRow, EntryWrite } from '../db/entries.repo.ts';
import type { FacetCounts, ParsedInput } from '../../../shared/api/contract.ts';
import { OutloudError } from '../../../shared/api/errors.ts';
import { LIMITS } from '../../../shared/api/schemas.ts';
import { LATEST_TIME, MAX_BOOKMARK_NOTES } from '../../../shared/domain/entry.ts';
import type {
  BookmarkFields,
  Entry,
  EntryDetail,
  EntryKind,
  LinkType,
  Page,
  PersonFields,
  QuestionFields,
  Revision,
} from '../../../shared/domain/entry.ts';
import { normalizeTag, parseText, personKey, personKeys, shortened, titleFromText } from '../../../shared/domain/text.ts';

export { titleFromText };
import { normalizeUrl } from '../../../shared/domain/url.ts';
import { newId } from '../ids.ts';
import { parseRevisionFields } from './journal-format.ts';
import { bookmarkAddress, derivedColumns } from './entry-columns.ts';
import { ftsString } from '../search/text-tokens.ts';
import { readPeriod } from '../search/date-periods.ts';

type CreateInput = ParsedInput<'entries.create'>;
type UpdateInput = ParsedInput<'entries.update'>;
type ListInput = ParsedInput<'entries.list'>;
type FacetsInput = ParsedInput<'entries.facets'>;

/**
 * The text tags and mentions are read from: the body, and the title when it was typed rather than
 * made from the body (a shortened first line could cut `#engineering` to `#engi…`). A person's title
 * is their name: not text to read `@handle` from (`--person @jdoe` mentions no one).
 */
function textOf(kind: EntryKind, title: string, body: string): string {
  return kind !== 'person' && title && title !== titleFromText(body) ? `${title}\n${body}` : body;
}

/** A bookmark's title when none is given: its address, shortened to what a title may hold. */
const urlTitle = (url: string) => shortened(url, LIMITS.title);

/** A name or alias as typed, without the `@` a handle is mentioned with. */
const asName = (value: string) => value.trim().replace(/^@+/, '').trim();

function uniq(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

function cleanList(values: readonly string[] | undefined, clean: (value: string) => string = (v) => v.trim()): string[] {
  return uniq((values ?? []).map(clean).filter(Boolean));
}

interface Derived {
  tags: string[];
  mentions: string[];
  urls: string[];
}

/**
 * A tag on at most this many entries is listed from its own rows (then sorted), one on more by walking
 * the timeline and keeping its entries: a rare tag (or one no entry has) otherwise walked the whole
 * timeline, 89-128 ms at 1,000,000 entries, and a common one from its rows sorted them all.
 */
export const FEW_TAGGED = 1_000;

/**
 * The SQL function a list by name sorts with: a name as `personKey` makes it, so Émile sorts among
 * the E's and Łukasz among the L's. Registered on each connection that lists by name; used in those
 * statements only, never in the schema, so other programs can still open and write the journal.
 */
const NAME_ORDER = 'outloud_name_order';
const withNameOrder = new WeakSet<Db>();
/** Name keys kept per connection: enough for every person of a large journal. */
const NAME_KEYS_KEPT = 50_000;

function nameOrderIn(db: Db): void {
  if (withNameOrder.has(db)) return;
  // Each page calls it once for every person it sorts: keys already made are kept.
  const keys = new Map<string, string>();
  db.function(NAME_ORDER, { deterministic: true }, (name: unknown) => {
    if (typeof name !== 'string') return '';
    let key = keys.get(name);
    if (key === undefined) {
      if (keys.size >= NAME_KEYS_KEPT) keys.clear();
      key = personKey(name);
      keys.set(name, key);
    }
    return key;
  });
  withNameOrder.add(db);
}

/**
 * The statement of `entries.list`: newest first (in the trash, most recently deleted first), a page
 * after the cursor. A site's bookmarks come through the site index and are sorted: walking the
 * timeline until a page of them turned up took 600-800 ms at 1,000,000 entries for a site whose
 * bookmarks were all old, 6 ms so.
 */
export function listQuery(db: Db, input: ListInput, now: number = Date.now()): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [input.trashed ? 'e.deleted_at IS NOT NULL' : 'e.deleted_at IS NULL'];
  const params: Record<string, unknown> = { limit: input.limit + 1 };
  const orderCol = input.trashed ? 'e.deleted_at' : 'e.created_at';
  const byName = input.order === 'name';
  let from = 'entries e';
  if (input.kind) {
    where.push('e.kind = @kind');
    params.kind = input.kind;
  }
  if (input.status) {
    where.push('e.status = @status');
    params.status = input.status;
  }
  if (input.site) {
    from = 'entries e INDEXED BY entries_site';
    where.push('e.site = @site');
    params.site = input.site.trim().toLowerCase().replace(/^www\./, '');
  }
  if (input.tag) {
    params.tag = normalizeTag(input.tag);
    const few = repo
      .stmt<[string, number], { n: number }>(db, 'SELECT count(*) AS n FROM (SELECT 1 FROM entry_tags WHERE tag = ? LIMIT ?)')
      .get(params.tag as string, FEW_TAGGED + 1)!.n <= FEW_TAGGED;
    if (few && !input.site) {
      from = 'entry_tags t CROSS JOIN entries e ON e.rowid = t.entry_rowid';
      where.push('t.tag = @tag');
    } else {
      where.push('e.rowid IN (SELECT entry_rowid FROM entry_tags WHERE tag = @tag)');
    }
  }
  // One kind, newest first or by name: its own index gives the rows in order from the cursor on.
  // Left to itself the planner took the timeline index past a cursor and read a row per entry of
  // every kind to test it: 360 ms for the last page of 4,877 people among 205,000 entries, 1 ms so.
  if (input.kind && from === 'entries e') from = 'entries e INDEXED BY entries_kind_timeline';
  if (input.since) {
    where.push('e.created_at >= @since');
    params.since = dateBound(input.since, 'start', now);
  }
  if (input.until) {
    where.push('e.created_at <= @until');
    params.until = dateBound(input.until, 'end', now);
  }
  if (byName) nameOrderIn(db);
  // Past a name cursor: the names after the last one given (`after`, tested on the keys made once).
  let after = '';
  if (input.cursor && byName) {
    // The cursor names the last row given; its title is read again here, so a cursor stays short
    // whatever the name's length.
    const rowid = decodeNameCursor(input.cursor);
    const last = repo.stmt<[number], { title: string }>(db, 'SELECT title FROM entries WHERE rowid = ?').get(rowid);
    if (!last) throw new OutloudError('VALIDATION', 'cursor: the list changed since this page (its last entry is gone); start again from the first page');
    after = 'WHERE n.k > @cKey OR (n.k = @cKey AND n.rowid > @cRowid)';
    params.cKey = personKey(last.title);
    params.cRowid = rowid;
  } else if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(`(${orderCol} < @cAt OR (${orderCol} = @cAt AND e.rowid < @cRowid))`);
    params.cAt = c.at;
    params.cRowid = c.rowid;
  }
  // By name: the kind's rows through the (kind, deleted_at) index, each name's key made once (a
  // materialised list), sorted: no index holds names as they are compared (`personKey`: case,
  // accents, ø ł ß and spacing ignored; ties by the order added). SQLite's NOCASE, used before, knew
  // ASCII letters only, so Émile came after Zoë.
  if (byName) {
    return {
      sql: `WITH n AS MATERIALIZED (SELECT e.rowid AS rowid, ${NAME_ORDER}(e.title) AS k FROM ${from} WHERE ${where.join(' AND ')})
  SELECT e.*, ${orderCol} AS order_at FROM n CROSS JOIN entries e ON e.rowid = n.rowid ${after}
  ORDER BY n.k, n.rowid LIMIT @limit`,
      params,
    };
  }
  return {
    sql: `SELECT e.*, ${orderCol} AS order_at FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${orderCol} DESC, e.rowid DESC LIMIT @limit`,
    params,
  };
}

/** Entries read to find those citing a bookmark's address (`linkCiters`): the index's candidates, newest kept. */
const CITERS_MAX = 2_000;

export function createEntriesService(db: Db, now: () => number = Date.now) {
  /** Timestamps only move forward for an entry, so `expectedUpdatedAt` checks are reliable. */
  /** Now, but after `after` (an edit's time follows the last), and never past what a time may be. */
  const tick = (after = 0) => Math.min(LATEST_TIME, Math.max(now(), after + 1));
  // When something happened (closed, moved to the trash): the clock, not an entry's updatedAt pushed
  // past it, which an entry last saved on a machine whose clock ran ahead carries.
  const clockTime = () => Math.min(LATEST_TIME, now());

  function mustGetRow(id: string): EntryRow {
    const row = repo.getRowById(db, id);
    if (!row) throw new OutloudError('NOT_FOUND', `No entry with id ${id}`);
    return row;
  }

  function derive(kind: EntryKind, title: string, body: string, explicitTags: readonly string[]): Derived {
    const parsed = parseText(textOf(kind, title, body));
    return {
      // At most LIMITS.tags, as an entry saved with tags given may hold (and an export may carry):
      // those given first, then the text's in order.
      tags: uniq([...explicitTags.map(normalizeTag).filter(Boolean), ...parsed.tags]).slice(0, LIMITS.tags),
      mentions: parsed.mentions,
      urls: parsed.urls,
    };
  }

  /**
   * Answers that stay true while one createMany runs, kept so that a name mentioned in many entries
   * is looked up once: the person a name key leads to, and the names of a person. Whatever writes
   * a person's names drops what it could change.
   */
  let bulk:
    | {
        personByKey: Map<string, number | undefined>;
        names: Map<number, string[]>;
        pending: repo.PendingRows;
        /** Bookmarks made by this bulk create, and the rows of it that cite each address (linkCiters). */
        bookmarks: Array<[number, string]>;
        citedBy: Map<string, number[]>;
      }
    | undefined;

  function personByKey(key: string): number | undefined {
    if (!bulk) return repo.findPersonRowidByKey(db, key);
    if (bulk.personByKey.has(key)) return bulk.personByKey.get(key);
    const rowid = repo.findPersonRowidByKey(db, key);
    bulk.personByKey.set(key, rowid);
    return rowid;
  }

  /** Names (and aliases) of these people, in rowid order, as repo.personNames gives them. */
  function peopleNames(rowids: readonly number[]): string[] {
    if (!bulk) return repo.personNames(db, rowids);
    const names = bulk.names;
    const missing = rowids.filter((r) => !names.has(r));
    if (missing.length > 0) for (const [rowid, list] of repo.personNamesByRowid(db, missing)) names.set(rowid, list);
    return [...new Set(rowids)].sort((a, b) => a - b).flatMap((r) => names.get(r) ?? []);
  }

  function setPersonNames(rowid: number, person: Pick<PersonFields, 'name' | 'aliases'>): void {
    const keys = personKeys(person);
    repo.setPersonNames(db, rowid, keys);
    if (!bulk) return;
    // The keys may lead elsewhere now (the oldest person with a key wins): look them up again.
    for (const key of keys) bulk.personByKey.delete(key);
    bulk.names.delete(rowid);
  }

  function resolvePerson(name: string, at: number): number {
    const key = personKey(name);
    const existing = personByKey(key) ?? personByKey(key.replace(/ /g, ''));
    if (existing !== undefined) return existing;
    const person: PersonFields = { name, aliases: [], role: '', organisation: '', contacts: [], topics: [], recommendedBy: '' };
    const write: EntryWrite = {
      id: newId(at),
      kind: 'person',
      title: name,
      body: '',
      tags: [],
      fields: { ...person },
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
      source: 'mention',
      sourceRef: null,
      urlNormalized: null,
      site: null,
      status: null,
      searchPeople: name,
      searchExtra: '',
    };
    const rowid = repo.insertEntry(db, write, bulk?.pending);
    setPersonNames(rowid, person);
    return rowid;
  }

  interface ResolvedLinks {
    mentions: number[];
    recommendedBy: number[];
    refersTo: number[];
    /** The addresses the text cites, normalised (a bulk create links them to its new bookmarks). */
    cited: string[];
    /** Names for the index's `people` column: the people mentioned, and a person's own names. */
    people: string;
  }

  /** Who each name an entry links by led to when it was saved, by the name's key (linkedByName). */
  interface PreviousLinks {
    mentions: Map<string, number>;
    recommendedBy: Map<string, number>;
  }

  /**
   * The person each of these names (the mentions of an entry's saved text, or its recommender) links
   * to now, by personKey of the name: among the entry's links of this type, the one whose names answer
   * to it, or else whose names did before (a person renamed since: their revisions hold the old name).
   * Looking the name up again instead would miss a person renamed or in the trash, and make a new one.
   */
  function linkedByName(rowid: number, type: LinkType, names: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    if (names.length === 0) return out;
    const targets = repo.linkTargets(db, rowid, type);
    if (targets.length === 0) return out;
    // A mention finds a person by its key, or by its key without spaces (resolvePerson).
    const answersTo = (keys: Set<string>, key: string) => keys.has(key) || keys.has(key.replace(/ /g, ''));
    const current = repo.personNamesByRowid(db, targets);
    const keysOf = (names: readonly string[]) => new Set(names.length > 0 ? personKeys({ name: names[0]!, aliases: names.slice(1) }) : []);
    const named = new Map(targets.map((t) => [t, keysOf(current.get(t) ?? [])]));
    let wasNamed: Map<number, Set<string>> | undefined;
    const formerly = () =>
      (wasNamed ??= new Map(
        targets.map((t) => [
          t,
          new Set(
            repo.listRevisions(db, t).flatMap((r) => {
              const f = r.fields as Partial<PersonFields>;
              return typeof f.name === 'string' ? personKeys({ name: f.name, aliases: Array.isArray(f.aliases) ? f.aliases : [] }) : [];
            }),
          ),
        ]),
      ));
    for (const name of names) {
      const key = personKey(name);
      if (!key || out.has(key)) continue;
      const target = targets.find((t) => answersTo(named.get(t)!, key)) ?? targets.find((t) => answersTo(formerly().get(t)!, key));
      if (target !== undefined) out.set(key, target);
    }
    return out;
  }

  /**
   * For text of an earlier version (a revision restored): `linked`, and each mention in it that no
   * live person answers to now but one did before, under a name their revisions keep (`@Rogier` of
   * someone renamed Rogier de Vries since): that person, rather than a new one made from the old
   * name. Reads the revisions of every live person: a restore is rare, and this only when needed.
   */
  function formerlyNamed(mentions: readonly string[], linked: Map<string, number>): Map<string, number> {
    const unknown = mentions.map(personKey).filter((key) => key && !linked.has(key) && personByKey(key) === undefined && personByKey(key.replace(/ /g, '')) === undefined);
    if (unknown.length === 0) return linked;
    const byFormerKey = new Map<string, number>();
    const rows = db
      .prepare<[], { rowid: number; fields: string }>(
        `SELECT e.rowid, r.fields FROM entries e JOIN revisions r ON r.entry_rowid = e.rowid
         WHERE e.kind = 'person' AND e.deleted_at IS NULL ORDER BY e.created_at, e.rowid, r.id DESC`,
      )
      .iterate();
    for (const r of rows) {
      const f = JSON.parse(r.fields) as Partial<PersonFields>;
      if (typeof f.name !== 'string') continue;
      // The oldest person with a former name wins, as with names now; their latest such name first.
      for (const key of personKeys({ name: f.name, aliases: Array.isArray(f.aliases) ? f.aliases : [] })) if (!byFormerKey.has(key)) byFormerKey.set(key, r.rowid);
    }
    const out = new Map(linked);
    for (const key of unknown) {
      const rowid = byFormerKey.get(key) ?? byFormerKey.get(key.replace(/ /g, ''));
      if (rowid !== undefined) out.set(key, rowid);
    }
    return out;
  }

  /**
   * Resolves mentions (creating new people), recommended-by and URLs to entries, before the save. A
   * name the entry already linked by (`previous`) keeps its person, renamed or in the trash as they may be.
   */
  function resolveLinks(kind: EntryKind, derived: Derived, fields: Record<string, unknown>, at: number, self?: number, previous?: PreviousLinks): ResolvedLinks {
    const distinct = (rowids: number[]) => [...new Set(rowids)].filter((r) => r !== self);
    // A person who names themselves (`@grace` in Grace's own notes, recommended by themselves) is no
    // one else: no link, and no second person made from the name.
    const ownKeys = kind === 'person' ? new Set(personKeys(fields as unknown as PersonFields)) : null;
    const other = (name: string) => !ownKeys || !personKeys({ name, aliases: [] }).some((k) => ownKeys.has(k));
    const person = (name: string, linked: Map<string, number> | undefined) => linked?.get(personKey(name)) ?? resolvePerson(name, at);
    const mentions = distinct(derived.mentions.filter(other).map((m) => person(m, previous?.mentions)));
    const by = kind === 'person' && typeof fields.recommendedBy === 'string' ? asName(fields.recommendedBy) : '';
    const recommendedBy = distinct(by && other(by) ? [person(by, previous?.recommendedBy)] : []);
    const refersTo: number[] = [];
    const cited: string[] = [];
    for (const url of derived.urls) {
      const norm = normalizeUrl(url);
      if (!norm) continue;
      cited.push(norm);
      const bookmark = repo.getBookmarkRowByUrl(db, norm);
      if (bookmark) refersTo.push(bookmark.rowid);
    }
    const own = kind === 'person' ? [String(fields.name ?? ''), ...((fields.aliases as string[]) ?? [])] : [];
    const names = peopleNames([...mentions, ...recommendedBy]);
    return { mentions, recommendedBy, refersTo: distinct(refersTo), cited, people: uniq([...own, ...names].filter(Boolean)).join(' ') };
  }

  /** `fresh`: the entry was just inserted, so it has no links to replace. */
  function writeLinks(rowid: number, kind: EntryKind, links: ResolvedLinks, fields: Record<string, unknown>, fresh = false): void {
    const set = (type: LinkType, to: number[]) => {
      if (!fresh) repo.setOutgoingLinks(db, rowid, type, to);
      else for (const t of to) repo.insertLink(db, rowid, t, type);
    };
    set('mentions', links.mentions);
    set('refers-to', links.refersTo);
    if (kind === 'person') {
      set('recommended-by', links.recommendedBy);
      if (bulk) bulk.personByKey.clear(); // a changed person may have dropped a name as well
      setPersonNames(rowid, fields as unknown as PersonFields);
    }
  }

  /** The entry as given, plus the columns derived from it (address, site, status, indexed text). */
  function toWrite(base: Omit<EntryWrite, DerivedColumn>): EntryWrite {
    return { ...base, ...derivedColumns(base.kind, base.fields), searchPeople: '' };
  }

  function bookmarkFields(url: string, excerpt: string, notes: string[]): BookmarkFields {
    const address = bookmarkAddress(url);
    if (typeof address === 'string') throw new OutloudError('VALIDATION', address);
    return { ...address, excerpt, notes };
  }

  function personFields(p: NonNullable<CreateInput['person']>, prev?: PersonFields): PersonFields {
    return {
      name: p.name !== undefined ? asName(p.name) : (prev?.name ?? ''),
      aliases: p.aliases ? cleanList(p.aliases, asName) : (prev?.aliases ?? []),
      role: p.role?.trim() ?? prev?.role ?? '',
      organisation: p.organisation?.trim() ?? prev?.organisation ?? '',
      contacts: p.contacts ? cleanList(p.contacts) : (prev?.contacts ?? []),
      topics: p.topics ? cleanList(p.topics) : (prev?.topics ?? []),
      recommendedBy: p.recommendedBy?.trim() ?? prev?.recommendedBy ?? '',
    };
  }

  function questionFields(q: CreateInput['question'], at: number, prev?: QuestionFields): QuestionFields {
    const answer = q?.answer ?? prev?.answer ?? '';
    // Unless a status is given, an answer given makes an open question answered, and an answer cleared
    // makes an answered one open again; a closed question stays closed either way.
    const answered = q?.answer === undefined ? undefined : q.answer.trim() !== '';
    const byAnswer = answered === true && (prev?.status ?? 'open') === 'open' ? 'answered' : answered === false && prev?.status === 'answered' ? 'open' : undefined;
    const status = q?.status ?? byAnswer ?? prev?.status ?? 'open';
    const closedAt = status === 'closed' ? (prev?.status === 'closed' ? prev.closedAt : at) : null;
    return { status, askedBy: q?.askedBy?.trim() ?? prev?.askedBy ?? '', answer, closedAt };
  }

  /** The body of a create; the caller owns the transaction. */
  function createInTransaction(input: CreateInput): Entry {
    const entry = createEntry(input);
    if (input.answerOf !== undefined) answer(entry, input.answerOf);
    return entry;
  }

  /**
   * Makes `entry` the answer to the question `questionId` (one `answer-of` link from it; another it
   * had goes), or to none (null). A question that was open becomes answered, as recording its answer
   * does; taking the link away leaves its status as it is. The entry itself is not changed.
   */
  function answer(entry: Entry, questionId: string | null): void {
    // Said as the contract says a field it refuses: each front door names the field its own way.
    const refused = (message: string) => new OutloudError('VALIDATION', `answerOf: ${message}`, [{ path: 'answerOf', message }]);
    if (entry.kind === 'question' && questionId !== null) throw refused('a question cannot be the answer to a question');
    const rowid = repo.rowidById(db, entry.id);
    if (rowid === undefined) throw new OutloudError('INTERNAL', `entry ${entry.id} vanished while it was saved`);
    if (questionId === null) {
      repo.setOutgoingLinks(db, rowid, 'answer-of', []);
      return;
    }
    const question = repo.getRowById(db, questionId);
    if (!question) throw new OutloudError('NOT_FOUND', `answerOf: no question with id ${questionId}`);
    if (question.kind !== 'question') throw refused(`${questionId} is a ${question.kind}, not a question`);
    if (question.deleted_at !== null) throw refused(`the question ${questionId} is in the trash; restore it first`);
    const before = repo.linkTargets(db, rowid, 'answer-of');
    if (before.length === 1 && before[0] === question.rowid) return;
    repo.setOutgoingLinks(db, rowid, 'answer-of', [question.rowid]);
    const current = repo.rowToEntry(question);
    if (current.kind !== 'question' || current.question.status !== 'open') return;
    // The question's index entry may still wait in a bulk create's pending rows: written first.
    if (bulk) repo.writePending(db, bulk.pending);
    applyUpdate(question, { title: current.title, body: current.body, fields: { ...current.question, status: 'answered' } });
  }

  function createEntry(input: CreateInput): Entry {
    const at = tick();
    const createdAt = input.createdAt ?? at;
    const source = input.source ?? 'api';
    const sourceRef = input.sourceRef ?? null;
    if (sourceRef) {
      const existing = repo.getRowBySourceRef(db, source, sourceRef);
      if (existing) return repo.rowToEntry(existing); // re-import: nothing twice
    }
    let fields: Record<string, unknown> = {};
    let title = input.title?.trim() ?? '';
    const body = input.body;
    switch (input.kind) {
      case 'bookmark': {
        const b = input.bookmark!;
        const bf = bookmarkFields(b.url, b.excerpt?.trim() ?? '', body.trim() ? [body.trim()] : []);
        const existing = repo.getBookmarkRowByUrl(db, bf.urlNormalized);
        if (existing) {
          // The merge replaces this bookmark's tags, index entry and maybe its title: what waits is written first.
          if (bulk) repo.writePending(db, bulk.pending);
          return mergeBookmark(existing, input, bf, at);
        }
        fields = { ...bf };
        title ||= urlTitle(bf.url);
        break;
      }
      case 'person': {
        const pf = personFields(input.person!);
        const stub = mentionStub(pf);
        if (!input.allowSameName) refuseNamesake([pf.name, ...pf.aliases], stub?.rowid, 'add them again as another person');
        if (stub) {
          // The update below replaces the stub's index entry and tags: what waits is written first.
          if (bulk) repo.writePending(db, bulk.pending);
          return applyUpdate(stub, { title: pf.name, body, tags: input.tags ?? [], fields: { ...pf }, source: { source, sourceRef } }, at);
        }
        fields = { ...pf };
        title = pf.name;
        break;
      }
      case 'question':
        fields = { ...questionFields(input.question, at) };
        break;
      default:
        break;
    }
    title ||= titleFromText(body);
    const derived = derive(input.kind, title, body, input.tags ?? []);
    const links = resolveLinks(input.kind, derived, fields, at);
    const write = toWrite({ id: newId(createdAt), kind: input.kind, title, body, tags: derived.tags, fields, createdAt, updatedAt: at, deletedAt: null, source, sourceRef });
    const rowid = repo.insertEntry(db, { ...write, searchPeople: links.people }, bulk?.pending);
    writeLinks(rowid, input.kind, links, fields, true);
    // Entries written before the bookmark that cite its address refer to it now (a bulk create does
    // it once its rows are in the index).
    if (input.kind === 'bookmark') {
      if (bulk) bulk.bookmarks.push([rowid, String(fields.urlNormalized)]);
      else linkCiters(rowid, String(fields.urlNormalized));
    }
    if (bulk) {
      for (const norm of links.cited) {
        const from = bulk.citedBy.get(norm);
        if (from) from.push(rowid);
        else bulk.citedBy.set(norm, [rowid]);
      }
    }
    return repo.writeToEntry(write); // what was just written, as a read would give it back
  }

  function create(input: CreateInput): Entry {
    return writeTransaction(db, () => createInTransaction(input));
  }

  /**
   * Many entries in one transaction, for imports. Not a loop over `create`: each nested
   * transaction would be a SAVEPOINT, and FTS5 flushes its pending index data at every one
   * (measured: 7x slower).
   */
  function createMany(inputs: readonly CreateInput[]): Entry[] {
    bulk = { personByKey: new Map(), names: new Map(), pending: repo.pendingRows(), bookmarks: [], citedBy: new Map() };
    const { pending } = bulk;
    try {
      return writeTransaction(db, () => {
        const restore = inputs.length >= repo.BULK_ENTRIES ? repo.setIndexMemory(db, repo.BULK_INDEX_MEMORY) : undefined;
        const created = inputs.map(createInTransaction);
        // The index entries, tags, titles and counts of every entry created, a statement each, as an
        // import batch writes them. The title picker reads a large batch's titles all again, a small one's one by one.
        repo.writePending(db, pending, { noteEachTitle: inputs.length < repo.BULK_ENTRIES });
        // The entries citing each new bookmark's address refer to it. A small batch looks in the whole
        // journal, once every row is in the index (as one create per input would); a large one (an
        // import) among its own rows: an index query per bookmark made createMany 12% slower.
        const { bookmarks, citedBy } = bulk!;
        for (const [rowid, urlNormalized] of bookmarks) {
          if (inputs.length < repo.BULK_ENTRIES) linkCiters(rowid, urlNormalized);
          else for (const from of citedBy.get(urlNormalized) ?? []) if (from !== rowid) repo.insertLink(db, from, rowid, 'refers-to');
        }
        restore?.(); // on an error the transaction rolls back, the index setting with it
        return created;
      });
    } finally {
      bulk = undefined;
    }
  }

  /**
   * The person a mention made (source `mention`, nothing but a name, live) whom a person saved with
   * these names would be: the entry the mentions of those names already link to. Saving the person
   * takes it over (the stub becomes them, keeping its id, its creation time and its backlinks), so
   * the person's page shows every entry that mentions them, instead of a second person beside it.
   */
  function mentionStub(person: PersonFields): EntryRow | undefined {
    for (const key of personKeys(person)) {
      const rowid = personByKey(key);
      const row = rowid === undefined ? undefined : repo.getRowByRowid(db, rowid);
      if (!row || row.source !== 'mention' || row.deleted_at !== null || row.body !== '' || row.tags !== '[]') continue;
      const f = JSON.parse(row.fields) as PersonFields;
      if (f.aliases.length || f.role || f.organisation || f.contacts.length || f.topics.length || f.recommendedBy) continue;
      return row;
    }
    return undefined;
  }

  /**
   * A person added by hand (not a mention), or renamed, under a name (or alias) that is already a
   * name or an alias of another live person: most likely the same person twice (a script run again, a
   * name typed without looking), whom mentions would never reach (they go to the oldest). Refused,
   * naming who it is (`entryId`); `allowSameName` goes ahead all the same, for two people who share a
   * name. `self`: the person a mention made (a stub) that this one fills in, or the one renamed.
   */
  function refuseNamesake(names: readonly string[], self: number | undefined, instead: string): void {
    for (const name of names) {
      const key = personKey(name.replace(/^@/, ''));
      if (!key) continue;
      const rowid = personByKey(key) ?? personByKey(key.replace(/ /g, ''));
      const row = rowid === undefined || rowid === self ? undefined : repo.getRowByRowid(db, rowid);
      if (!row) continue;
      const spaceless = (k: string) => k.replace(/ /g, '');
      const who = spaceless(personKey(row.title)) === spaceless(key) ? row.title : `${name.replace(/^@/, '')} (a name of ${row.title})`;
      throw new OutloudError('CONFLICT', `${who} is already in your journal; ${instead} only if this is someone else of the same name.`, undefined, { entryId: row.id });
    }
  }

  /** The same URL saved again: one bookmark, every note kept, tags merged. */
  function mergeBookmark(row: EntryRow, input: CreateInput, incoming: BookmarkFields, at: number): Entry {
    const current = repo.rowToEntry(row);
    if (current.kind !== 'bookmark') throw new OutloudError('INTERNAL', 'bookmark index points at a non-bookmark');
    const note = input.body.trim();
    const notes = note && !current.bookmark.notes.includes(note) ? [...current.bookmark.notes, note] : current.bookmark.notes;
    const body = note && !current.body.includes(note) ? (current.body.trim() ? `${current.body.trimEnd()}\n\n${note}` : note) : current.body;
    // What one entry may hold (an export of it must import again): the bookmark is left as it was.
    if (body.length > LIMITS.body || notes.length > MAX_BOOKMARK_NOTES) {
      throw new OutloudError(
        'VALIDATION',
        `This address is bookmarked already (${current.id}), and its text would grow past ${body.length > LIMITS.body ? `${LIMITS.body.toLocaleString('en')} characters` : `${MAX_BOOKMARK_NOTES.toLocaleString('en')} notes`} with this one: edit that bookmark instead.`,
      );
    }
    return applyUpdate(row, {
      title: current.title === urlTitle(current.bookmark.url) && input.title?.trim() ? input.title.trim() : current.title,
      body,
      tags: uniq([...current.tags, ...(input.tags ?? []).map(normalizeTag)]),
      fields: { ...current.bookmark, excerpt: current.bookmark.excerpt || incoming.excerpt, notes },
      restore: true,
    }, at);
  }

  function applyUpdate(
    row: EntryRow,
    next: {
      title: string;
      body: string;
      tags?: string[];
      fields: Record<string, unknown>;
      restore?: boolean;
      source?: { source: string; sourceRef: string | null };
      /** An earlier version's text (a revision restored): its mentions may name people as they were named then. */
      earlier?: boolean;
    },
    at = tick(row.updated_at),
  ): Entry {
    const current = repo.rowToEntry(row);
    const oldText = parseText(textOf(current.kind, current.title, current.body));
    const oldParsed = oldText.tags;
    // Tags the user set explicitly survive; tags that came from the old text follow the new text.
    const explicit = next.tags ?? current.tags.filter((t) => !oldParsed.includes(t));
    const derived = derive(current.kind, next.title, next.body, explicit);
    const changed =
      next.title !== current.title ||
      next.body !== current.body ||
      JSON.stringify(derived.tags) !== JSON.stringify(current.tags) ||
      JSON.stringify(next.fields) !== row.fields;
    const source = next.source ?? { source: row.source, sourceRef: row.source_ref };
    const resourced = source.source !== row.source || source.sourceRef !== row.source_ref;
    if (!changed && !resourced && !(next.restore && row.deleted_at !== null)) return current;
    const updatedAt = Math.min(LATEST_TIME, Math.max(at, row.updated_at + 1));
    if (changed) repo.insertRevision(db, row, updatedAt);
    const write = toWrite({
      id: row.id,
      kind: row.kind,
      title: next.title,
      body: next.body,
      tags: derived.tags,
      fields: next.fields,
      createdAt: row.created_at,
      updatedAt,
      deletedAt: next.restore ? null : row.deleted_at,
      source: source.source,
      sourceRef: source.sourceRef,
    });
    const previous: PreviousLinks = {
      mentions: next.earlier ? formerlyNamed(derived.mentions, linkedByName(row.rowid, 'mentions', oldText.mentions)) : linkedByName(row.rowid, 'mentions', oldText.mentions),
      recommendedBy: linkedByName(row.rowid, 'recommended-by', current.kind === 'person' ? [asName(current.person.recommendedBy)] : []),
    };
    const links = resolveLinks(row.kind, derived, next.fields, updatedAt, row.rowid, previous);
    repo.updateEntry(db, row.rowid, { ...write, searchPeople: links.people });
    writeLinks(row.rowid, row.kind, links, next.fields);
    // Entries that mention a person index their names: only a change of name or aliases is theirs to
    // follow (a role or topic edit of someone mentioned 50,000 times took seconds, all of them blocking).
    if (row.kind === 'person' && current.kind === 'person' && !sameNames(current.person, next.fields)) refreshMentioners(row.rowid);
    return repo.rowToEntry(repo.getRowByRowid(db, row.rowid)!);
  }

  /** True when a person's name and aliases are as they were (their fields before and after a save). */
  function sameNames(before: { name: string; aliases: readonly string[] }, after: Record<string, unknown>): boolean {
    return before.name === after.name && JSON.stringify(before.aliases) === JSON.stringify(after.aliases);
  }

  /**
   * A person's names changed: the entries that mention them (or name them as recommender) index
   * their names in the `people` column, so they are indexed again with the new ones.
   */
  function refreshMentioners(personRowid: number): void {
    repo.refreshSearchPeople(db, repo.mentionerRowids(db, personRowid));
  }

  function update(input: UpdateInput): Entry {
    return writeTransaction(db, (): Entry => {
      const row = mustGetRow(input.id);
      if (row.deleted_at !== null) throw new OutloudError('CONFLICT', 'This entry is in the trash; restore it before editing.');
      if (input.expectedUpdatedAt !== undefined && input.expectedUpdatedAt !== row.updated_at) {
        throw new OutloudError('CONFLICT', 'This entry was changed elsewhere since you opened it; reload it and edit again.');
      }
      // A save dates itself after the last one, which is how a stale editor is caught above; at the
      // last time the journal can hold (an imported date of 9999-12-31) it cannot, so such an edit
      // could silently overwrite another.
      if (input.expectedUpdatedAt !== undefined && row.updated_at >= LATEST_TIME) {
        throw new OutloudError('CONFLICT', 'This entry is dated at the end of the time the journal can hold (9999-12-31), so a change made elsewhere since you opened it cannot be told apart; nothing was saved. Save its text without checking (outloud edit ID --body).');
      }
      const current = repo.rowToEntry(row);
      const at = tick(row.updated_at);
      let fields: Record<string, unknown> = repo.entryFields(current);
      let title = input.title?.trim() ?? current.title;
      const body = input.body ?? current.body;
      if (current.kind === 'bookmark' && (input.bookmark || input.body !== undefined)) {
        const url = input.bookmark?.url ?? current.bookmark.url;
        // The notes saved with the address are kept only while the text still holds them: text the
        // user removed from the body does not stay behind in the bookmark (nor in its export).
        const notes = current.bookmark.notes.filter((note) => body.includes(note));
        const bf = bookmarkFields(url, input.bookmark?.excerpt?.trim() ?? current.bookmark.excerpt, notes);
        const clash = repo.getBookmarkRowByUrl(db, bf.urlNormalized);
        if (clash && clash.rowid !== row.rowid) throw new OutloudError('CONFLICT', `Another bookmark already has this address (${clash.id}).`, undefined, { entryId: clash.id });
        fields = { ...bf };
        // A title that was the old address follows the new one.
        if (input.title === undefined && current.title === urlTitle(current.bookmark.url)) title = urlTitle(bf.url);
      } else if (current.kind === 'person' && (input.person || input.title !== undefined)) {
        // A person's title is their name: renaming either renames both (and what mentions match).
        const person = { ...input.person, ...(input.person?.name === undefined && input.title !== undefined ? { name: input.title } : {}) };
        const pf = personFields(person as NonNullable<CreateInput['person']>, current.person);
        if (!pf.name) throw new OutloudError('VALIDATION', `${input.person?.name === undefined ? 'title' : 'person.name'}: Name is empty`);
        if (!input.allowSameName) {
          // Only names new to this person: one who shares a name already may still be edited.
          const had = new Set(personKeys(current.person));
          const added = [pf.name, ...pf.aliases].filter((n) => !had.has(personKey(n.replace(/^@/, ''))));
          refuseNamesake(added, row.rowid, 'keep the name');
        }
        fields = { ...pf };
        title = pf.name;
      } else if (current.kind === 'question' && input.question) {
        fields = { ...questionFields(input.question, clockTime(), current.question) };
      } else if (input.bookmark || input.person || input.question) {
        throw new OutloudError('VALIDATION', `A ${current.kind} has no ${input.bookmark ? 'bookmark' : input.person ? 'person' : 'question'} fields.`);
      }
      // A title cleared falls back as on a save without one: a bookmark's to its address, others' to their text.
      if (input.title !== undefined && !title) title = current.kind === 'bookmark' ? urlTitle(String(fields.url)) : titleFromText(body);
      else if (input.body !== undefined && input.title === undefined && current.kind !== 'bookmark' && current.kind !== 'person' && current.title === titleFromText(current.body)) {
        title = titleFromText(body); // a derived title follows the text: emptied with it
      }
      if (!title && !body.trim() && current.kind !== 'bookmark') {
        throw new OutloudError('VALIDATION', `${input.body !== undefined ? 'body' : 'title'}: an entry needs some text (a title or a body)`);
      }
      const updated = applyUpdate(row, { title, body, tags: input.tags?.map(normalizeTag), fields }, at);
      if (current.kind === 'bookmark' && fields.urlNormalized !== current.bookmark.urlNormalized) linkCiters(row.rowid, String(fields.urlNormalized));
      if (input.answerOf !== undefined) answer(updated, input.answerOf);
      return updated;
    });
  }

  /**
   * Makes the entries that cite `urlNormalized` in their text, and only those, refer to the bookmark
   * at `rowid` (its address new or changed): a note saved before the bookmark links to it as one saved
   * after does. Candidates come from the index by the address's words, then each one's addresses are
   * read as a save reads them.
   */
  function linkCiters(rowid: number, urlNormalized: string): void {
    // The host and path as a phrase: a note may cite it with another scheme, `www.` or parameters.
    const address = new URL(urlNormalized);
    const candidates = citersStmt().all(ftsString(`${address.hostname}${address.pathname}`), CITERS_MAX);
    const citing = new Set<number>();
    for (const c of candidates) {
      if (c.rowid === rowid) continue;
      const cited = parseText(textOf(c.kind, c.title, c.body)).urls.some((u) => normalizeUrl(u) === urlNormalized);
      if (cited) citing.add(c.rowid);
    }
    for (const from of repo.linkSources(db, rowid, 'refers-to')) {
      if (!citing.delete(from)) repo.deleteLink(db, from, rowid, 'refers-to');
    }
    for (const from of citing) repo.insertLink(db, from, rowid, 'refers-to');
  }
  const citersStmt = () =>
    repo.stmt<[string, number], { rowid: number; kind: EntryKind; title: string; body: string }>(
      db,
      'SELECT e.rowid, e.kind, e.title, e.body FROM entries_fts f CROSS JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?',
    );

  function get(input: { id: string }): EntryDetail {
    const row = mustGetRow(input.id);
    const revisions = repo.revisionSummary(db, row.rowid);
    return {
      entry: repo.rowToEntry(row),
      links: repo.linksFrom(db, row.rowid),
      backlinks: repo.linksTo(db, row.rowid),
      backlinkCounts: repo.backlinkCounts(db, row.rowid),
      revisionCount: revisions.count,
      editedAt: revisions.lastSavedAt,
    };
  }

  function list(input: ListInput): Page<Entry> {
    const { sql, params } = listQuery(db, input, now());
    const rows = db.prepare<Record<string, unknown>, EntryRow & { order_at: number }>(sql).all(params);
    const more = rows.length > input.limit;
    const page = more ? rows.slice(0, input.limit) : rows;
    const last = page.at(-1);
    return {
      items: page.map(repo.rowToEntry),
      nextCursor: more && last ? (input.order === 'name' ? encodeNameCursor(last.rowid) : encodeCursor(last.order_at, last.rowid)) : null,
    };
  }

  /** entries.facets: every live entry of the kind (or of every kind) counted by the field (lists.repo.ts has the queries). */
  function facets(input: FacetsInput): FacetCounts {
    const tag = input.tag === undefined ? undefined : normalizeTag(input.tag);
    // Only questions have a status and only bookmarks a site: without a kind, theirs are counted.
    const all = (
      input.by === 'status'
        ? lists.countByStatus(db, input.kind ?? 'question', tag)
        : input.by === 'site'
          ? lists.countBySite(db, input.kind ?? 'bookmark', tag)
          : lists.countByTag(db, input.kind, tag)
    ).filter((r) => r.value !== '');
    return { values: all.slice(0, input.limit), distinct: all.length };
  }

  function trash(input: { id: string }): Entry {
    return writeTransaction(db, (): Entry => {
      const row = mustGetRow(input.id);
      if (row.deleted_at !== null) return repo.rowToEntry(row);
      repo.setDeletedAt(db, row.rowid, clockTime(), tick(row.updated_at));
      return repo.rowToEntry(repo.getRowByRowid(db, row.rowid)!);
    });
  }

  function restore(input: { id: string }): Entry {
    return writeTransaction(db, (): Entry => {
      const row = mustGetRow(input.id);
      if (row.deleted_at === null) return repo.rowToEntry(row);
      repo.setDeletedAt(db, row.rowid, null, tick(row.updated_at));
      return repo.rowToEntry(repo.getRowByRowid(db, row.rowid)!);
    });
  }

  function purge(input: { id: string }): { id: string } {
    return writeTransaction(db, () => {
      const row = mustGetRow(input.id);
      if (row.deleted_at === null) throw new OutloudError('CONFLICT', 'Only entries in the trash can be purged; delete it first.');
      // The entries that mention a purged person keep their names in the index until told otherwise.
      const mentioners = repo.mentionerRowids(db, row.rowid).filter((r) => r !== row.rowid);
      repo.deleteEntry(db, row.rowid);
      repo.refreshSearchPeople(db, mentioners);
      return { id: row.id };
    });
  }

  /**
   * One transaction of emptyTrash: purges those of `batch` still in the trash as they were found, as
   * `purge` does one, then indexes again the entries that mentioned them. Not those `pending` (to be
   * purged by a later batch): they go into `deferred`, indexed again at the end if they stayed after all.
   */
  function purgeTrashBatch(batch: readonly repo.TrashedRow[], pending: Set<number>, deferred: Set<number>): number {
    return writeTransaction(db, (): number => {
      for (const t of batch) pending.delete(t.rowid);
      const { deleted, mentioners } = repo.deleteTrashed(db, batch);
      const now: number[] = [];
      for (const rowid of mentioners) {
        if (pending.has(rowid)) deferred.add(rowid);
        else now.push(rowid);
      }
      repo.refreshSearchPeople(db, now);
      return deleted.length;
    });
  }

  /**
   * entries.emptyTrash: purges, as `purge` does one, every entry moved to the trash at or before
   * `deletedUpTo`, as found when it starts (one moved there later, or restored meanwhile, stays). A
   * large trash goes in batches paced as an import's (write-batches.ts): each one short transaction,
   * the write lock left free a moment between them and this thread answering other calls meanwhile:
   * the app saves and searches while it runs. A batch is sized in work: an entry, and each entry that
   * mentions a person purged (indexed again without their names). What a batch purged stays purged if
   * a later one fails (the journal busy in another process, closed, the process ended): emptying the
   * trash again purges the rest.
   */
  async function emptyTrash(input: { deletedUpTo: number; expectedCount: number }, options: EmptyTrashOptions = {}): Promise<{ purged: number }> {
    const found = repo.trashedUpTo(db, input.deletedUpTo);
    if (found.length > input.expectedCount) {
      throw new OutloudError(
        'CONFLICT',
        `The trash holds ${countOf(found.length)}, not the ${countOf(input.expectedCount)} you were told of (some were moved there since); nothing was deleted. Look at the trash again.`,
      );
    }
    const pending = new Set(found.map((t) => t.rowid));
    const deferred = new Set<number>();
    let budget = options.batchSize ?? EMPTY_TRASH_BATCH.first;
    let purged = 0;
    let committedAt = Number.NEGATIVE_INFINITY;
    const stopped = (reason: string) =>
      `${reason}: ${purged.toLocaleString('en')} of the ${countOf(found.length)} were deleted for good, the rest are still in the trash (empty it again to delete them)`;
    /** Runs one transaction, once the write lock has been free a moment since the last; how long it held it. */
    const inTurn = async (write: () => number): Promise<{ n: number; ms: number }> => {
      const free = performance.now() - committedAt;
      if (free < LOCK_FREE_MS) await new Promise((resolve) => setTimeout(resolve, LOCK_FREE_MS - free));
      if (!db.open) throw new OutloudError('IO', stopped('The journal was closed while the trash was being emptied'));
      const started = performance.now();
      try {
        return { n: write(), ms: performance.now() - started };
      } catch (error) {
        if (purged > 0 && isBusyError(error)) throw new OutloudError('DB_BUSY', stopped('The journal is busy in another process'));
        throw error;
      } finally {
        committedAt = performance.now();
      }
    };
    // What an entry costs a batch: itself, and for a person each entry that mentions them (read when
    // the batch is made: by then most of those in the trash are gone).
    const cost = (t: repo.TrashedRow) => 1 + (t.person && options.batchSize === undefined ? repo.mentionCount(db, t.rowid) * EMPTY_TRASH_REINDEX_COST : 0);
    for (let done = 0; done < found.length; ) {
      let units = 0;
      let end = done;
      while (end < found.length) {
        const more = cost(found[end]!);
        if (end > done && units + more > budget) break;
        units += more;
        end++;
      }
      const batch = found.slice(done, end);
      const { n, ms } = await inTurn(() => purgeTrashBatch(batch, pending, deferred));
      purged += n;
      done = end;
      options.onBatch?.({ entries: batch.length, ms, done, total: found.length });
      if (options.batchSize === undefined) budget = nextBatchSize(units, ms, EMPTY_TRASH_BATCH);
    }
    // Entries that mentioned a purged one while they waited to be purged too, and were restored or
    // trashed again meanwhile: indexed again now, without its names.
    const kept = [...deferred].filter((rowid) => repo.deletedAtOf(db, rowid) !== undefined).sort((a, b) => a - b);
    const perBatch = Math.max(1, Math.floor(budget / EMPTY_TRASH_REINDEX_COST));
    for (let i = 0; i < kept.length; i += perBatch) {
      const some = kept.slice(i, i + perBatch);
      await inTurn(() =>
        writeTransaction(db, () => {
          repo.refreshSearchPeople(db, some); // those purged since are not found, and left out
          return some.length;
        }),
      );
    }
    return { purged };
  }

  function history(input: { id: string }): Revision[] {
    return repo.listRevisions(db, mustGetRow(input.id).rowid);
  }

  /**
   * A revision's fields as the entry may hold them again: checked against its kind, and a bookmark's
   * address read again as a save reads it (a revision imported from a file made by hand, or before
   * imports checked revisions, may hold anything).
   */
  function restorableFields(row: EntryRow, fields: Record<string, unknown>): Record<string, unknown> {
    const checked = parseRevisionFields(row.kind, fields);
    if (!checked.success) {
      throw new OutloudError('VALIDATION', `This revision cannot be restored: its ${checked.issue.path.join('.')} is not valid (${checked.issue.message}).`);
    }
    if (row.kind !== 'bookmark') return checked.data;
    const { url, excerpt, notes } = checked.data as unknown as BookmarkFields;
    const bf = bookmarkFields(url, excerpt, notes);
    const clash = repo.getBookmarkRowByUrl(db, bf.urlNormalized);
    if (clash && clash.rowid !== row.rowid) throw new OutloudError('CONFLICT', `Another bookmark already has this revision's address (${clash.id}).`);
    return { ...bf };
  }

  function restoreRevision(input: { id: string; revisionId: number }): Entry {
    return writeTransaction(db, (): Entry => {
      const row = mustGetRow(input.id);
      if (row.deleted_at !== null) throw new OutloudError('CONFLICT', 'This entry is in the trash; restore it before restoring a revision.');
      const revision = repo.getRevision(db, row.rowid, input.revisionId);
      if (!revision) throw new OutloudError('NOT_FOUND', `Entry ${row.id} has no revision ${input.revisionId}`);
      return applyUpdate(row, { title: revision.title, body: revision.body, tags: revision.tags, fields: restorableFields(row, revision.fields), earlier: true });
    });
  }

  return { create, createMany, get, update, list, facets, trash, restore, purge, emptyTrash, history, restoreRevision, toWrite };
}

export type EntriesService = ReturnType<typeof createEntriesService>;

/** What a caller of emptyTrash outside the contract may add: a batch size fixed (tests), and word of each batch. */
export interface EmptyTrashOptions {
  /** Entries per transaction, instead of sizing each batch from how long the last one took (and what it mentions). */
  batchSize?: number;
  /** After each batch's transaction: its entries, how long it held the write lock, how far the whole has come. */
  onBatch?(batch: { entries: number; ms: number; done: number; total: number }): void;
}

/** "1 entry", "1,234 entries". */
const countOf = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'entry' : 'entries'}`;

/** The work of the first batch (entries, or entries indexed again), and the bounds of the ones after it. */
export const EMPTY_TRASH_BATCH = { first: 1_000, min: 100, max: 20_000 } as const;
/**
 * Indexing again an entry that mentioned a purged person, in purged entries' worth: 0.05-0.1 ms against
 * 0.015-0.08 ms (measured at 100,000 entries: the newest entries purge faster than ones spread out).
 */
export const EMPTY_TRASH_REINDEX_COST = 2;

/**
 * A bound of `entries.list` as an instant: a date as people write it (shared/domain/dates.ts) is a
 * local day, month or year, from its first millisecond (`start`, for `since`) to its last (`end`, for
 * `until`); `today`, `3d` and the like count back from `now`. A date with a time of day is that instant.
 */
export function dateBound(text: string, edge: 'start' | 'end', now: number): number {
  const period = readPeriod(text, { now });
  if (period) return edge === 'start' ? period.start : period.end - 1;
  const t = /[T ]\d/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(t)) {
    // What the contract lets through and still names no day: one counted back past the year 1000.
    const field = edge === 'start' ? 'since' : 'until';
    const message = `${text} goes back before the year 1000`;
    throw new OutloudError('VALIDATION', `${field}: ${message}`, [{ path: field, message }]);
  }
  return t;
}

function encodeCursor(at: number, rowid: number): string {
  return Buffer.from(`${at}:${rowid}`).toString('base64url');
}

/** A cursor of a list by name: the last row's rowid (`n:` tells it from a cursor by date). */
function encodeNameCursor(rowid: number): string {
  return Buffer.from(`n:${rowid}`).toString('base64url');
}

function decodeNameCursor(cursor: string): number {
  const m = /^n:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new OutloudError('VALIDATION', 'cursor: not a cursor this journal gave out for a list by name');
  return Number(m[1]);
}

function decodeCursor(cursor: string): { at: number; rowid: number } {
  const m = /^(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new OutloudError('VALIDATION', 'cursor: not a cursor this journal gave out');
  return { at: Number(m[1]), rowid: Number(m[2]) };
}
