/**
 * Recall search: query (stages: query-parser -> query-builder -> run -> highlight), related entries for
 * a draft, fuzzy people and tag pickers, and "who knows about X?".
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection.ts';
import { entryOrder, getRowsByRowids, rowToEntry, toRef } from '../db/entries.repo.ts';
import type { ParsedInput } from '../../../shared/api/contract.ts';
import type { EntryRef } from '../../../shared/domain/entry.ts';
import { markdownToPlain } from '../../../shared/domain/plain-text.ts';
import { bodyBeyondTitle, lazily, mentionSyntax, personKey, tagSyntax } from '../../../shared/domain/text.ts';
import type { FuzzyMatch, SearchHit, SearchResult, WhoKnowsResult } from '../../../shared/domain/search.ts';
import { createChangeStamp, createPeopleDirectory, createTagDirectory, createTitleDirectory, type TitleRecord } from './directories.ts';
import {
  buildSearch,
  COUNT_LIMIT,
  DATE_MATCH_MAX,
  DATE_POSTING_SCAN_COST,
  drivers,
  FACET_MATCH_MAX,
  facetClauses,
  FILTER_SET_MAX,
  hasColumnFilter,
  IN_MATCH_SHARE_MAX,
  isRankedClause,
  pageOfRanked,
  pageOfWindow,
  POSTING_SCAN_COST,
  RANK_EXPRESSION,
  tieWindow,
  TOTAL_CAP,
  type BuiltSearch,
  type PageOptions,
  type SqlQuery,
} from './query-builder.ts';
import { parseQuery, type Atom, type Clause, type ParsedQuery } from './query-parser.ts';
import { createHighlighter, leadText, plainSegments, queryPhrases, SNIPPET_SCAN_CHARS, type Highlighter } from './highlight.ts';
import { createSuggester, type FilterAlternatives } from './suggest.ts';
import { createRelatedTerms } from './related.ts';
import { scoreWhoKnows } from './who-knows.ts';
import { tokenize } from './text-tokens.ts';
import { dateRangeExpression } from './facets.ts';

type QueryInput = ParsedInput<'search.query'>;
type RelatedInput = ParsedInput<'search.related'>;
type FuzzyInput = ParsedInput<'people.find'>;
type WhoKnowsInput = ParsedInput<'people.whoKnows'>;

interface RankedRow {
  rowid: number;
  rank: number;
}

/** A row of a ranked page that says whether a tie on rank ran past the window it was ranked in. */
interface EdgeRow extends RankedRow {
  edge_tied?: number | null;
  edge_rank?: number | null;
  edge_rowid?: number | null;
}

/** True when the page ends inside a tie on rank that runs past the window its rows were ranked in. */
const endsInEdgeTie = (rows: readonly EdgeRow[]) => Boolean(rows[0]?.edge_tied) && rows[rows.length - 1]!.rank === rows[0]!.edge_rank;
const plainRows = (rows: readonly EdgeRow[]): RankedRow[] => rows.map((r) => ({ rowid: r.rowid, rank: r.rank }));

const STATEMENT_CACHE = 128;
/** Entries whose co-occurrence with a topic `whoKnows` considers, best matches first. */
const WHO_KNOWS_ENTRIES = 500;
/** Tags or people looked up for a filter that finds nothing ("did you mean"). */
const FILTER_SUGGESTIONS = 3;

export interface SearchServiceOptions {
  /** Quick answers rank among this many most recently added entries (see `query`). */
  recentWindow?: number;
  /**
   * A date range estimated to keep at most this many entries narrows the words' matches inside the
   * FTS5 expression (default `DATE_MATCH_MAX`; tests set it to force either way).
   */
  dateMatchMax?: number;
  /** The same for facets (default `FACET_MATCH_MAX`). */
  facetMatchMax?: number;
  /**
   * `POSTING_SCAN_COST` (the default) when a filter too large for `FACET_MATCH_MAX` or `dateMatchMax`
   * is worth putting into the expression; tests set 0 or Infinity to force either way.
   */
  postingScanCost?: number;
  /** The clock `after:today`, `before:3d` and the like count back from (default Date.now). */
  now?: () => number;
}

/**
 * A date range keeping at least this share of the journal's time span (entries assumed spread evenly)
 * lets most matches pass: counted by joining matches to entries, not by walking the range.
 */
const JOINED_COUNT_SHARE = 0.25;

/**
 * Words with at most this many matches test a date range on each match: cheaper than reading the
 * postings of the range's years and months.
 */
const DATE_WORDS_MIN = 300;

/** Entries a quick answer to words with filters ranks among, when they match more than a page of them. */
export const QUICK_WINDOW = 5_000;

/** Titles and snippets as plain text, with link addresses kept: the index holds their words too. */
const PLAIN = { keepLinkTargets: true } as const;
const asShown = (text: string) => markdownToPlain(text, PLAIN);

export function createSearchService(db: Db, options: SearchServiceOptions = {}) {
  const recentWindow = options.recentWindow ?? QUICK_WINDOW;
  const dateMatchMax = options.dateMatchMax ?? DATE_MATCH_MAX;
  const scanCost = options.postingScanCost ?? POSTING_SCAN_COST;
  const dateScanCost = options.postingScanCost ?? DATE_POSTING_SCAN_COST;
  const facetMatchMax = options.facetMatchMax ?? FACET_MATCH_MAX;
  const clock = options.now ?? Date.now;
  // Query shapes repeat (same filters, different words), so prepared statements are reused.
  const statements = new Map<string, Statement>();
  function prepare(sql: string): Statement {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
      statements.set(sql, stmt);
    }
    return stmt;
  }
  const all = <T>(q: SqlQuery) => prepare(q.sql).all(...q.params) as T[];

  // The pickers' directories, "did you mean" and related entries, made on first use: preparing their
  // 25 statements took ~0.55 ms of opening the journal (measured, core worker), and a search of words
  // uses none of them.
  const stamp = lazily(() => createChangeStamp(db));
  const people = lazily(() => createPeopleDirectory(db, stamp()));
  const tags = lazily(() => createTagDirectory(db, stamp()));
  const titles = lazily(() => createTitleDirectory(db, stamp()));
  const suggester = lazily(() => createSuggester(db));
  const relatedTerms = lazily(() => createRelatedTerms(db));
  // The indexed text beyond the body (bookmark excerpt and notes, a person's topics, an answer...):
  // a snippet may come from it.
  const extraStmt = db.prepare<[string], { rowid: number; search_extra: string }>(
    'SELECT rowid, search_extra FROM entries WHERE rowid IN (SELECT value FROM json_each(?))',
  );

  /** Loads the entries of ranked rows; with a highlighter, marks the title and picks a snippet. */
  function toHits(rows: readonly RankedRow[], highlighter: Highlighter | null): SearchHit[] {
    const rowids = rows.map((r) => r.rowid);
    const byRowid = getRowsByRowids(db, rowids);
    const extra = highlighter && rowids.length > 0 ? new Map(extraStmt.all(JSON.stringify(rowids)).map((r) => [r.rowid, r.search_extra])) : null;
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const row = byRowid.get(r.rowid);
      if (!row) continue;
      const entry = rowToEntry(row);
      // Read as plain text (no Markdown or mention markup); a title made from the body's first line
      // is not said twice: the snippet comes from the rest.
      const title = markdownToPlain(row.title, PLAIN);
      const beyond = bodyBeyondTitle(row.title, row.body, asShown);
      const body = markdownToPlain(beyond.slice(0, SNIPPET_SCAN_CHARS), PLAIN);
      if (!highlighter) {
        hits.push({ entry, score: 0, titleSegments: plainSegments(title), snippet: body ? plainSegments(leadText(body)) : [] });
        continue;
      }
      // (A journal written before the extra text was trimmed may hold spaces there.)
      const more = extra?.get(r.rowid)?.trim() ? markdownToPlain(extra.get(r.rowid)!.slice(0, SNIPPET_SCAN_CHARS), PLAIN) : '';
      const text = more && body ? `${body} · ${more}` : more || body;
      // (Read only in its first part: then the snippet says there is more, even when it shows the end of that part.)
      const shortened = beyond.length > SNIPPET_SCAN_CHARS || (extra?.get(r.rowid)?.length ?? 0) > SNIPPET_SCAN_CHARS;
      hits.push({ entry, score: -r.rank, titleSegments: highlighter.mark(title), snippet: text.trim() ? highlighter.snippet(text, shortened) : [] });
    }
    return hits;
  }

  /** A count query's row: `partial` is 1 when the count stopped early and is a lower bound. */
  function countRow(q: SqlQuery): { n: number; partial?: number } {
    return prepare(q.sql).get(...q.params) as { n: number; partial?: number };
  }

  // One term starting with the prefix in more than TOTAL_CAP entries (read from its own postings);
  // prepared on first use, through the cache, not at every open.
  const COMMON_TERM_SQL = 'SELECT 1 AS found FROM entries_vocab WHERE term >= ? AND term < ? AND doc > ? LIMIT 1';

  /**
   * The total's count. A prefix alone (a word being typed) is counted by FTS5 only after it has merged
   * the postings of every term starting with it, most of what such a query costs (`exp*` 1.7 ms,
   * `a*` 58 ms at 100,000 entries): when one of those terms alone is in more than TOTAL_CAP entries,
   * so are they all, and the index's vocabulary says so from that term's postings (0.1-1.5 ms).
   */
  function countTotal(built: BuiltSearch): { n: number; partial?: number } {
    const prefix = built.countPrefix;
    if (prefix) {
      const past = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
      if (prepare(COMMON_TERM_SQL).get(prefix, past, TOTAL_CAP)) return { n: COUNT_LIMIT };
    }
    return countRow(built.count);
  }

  function countOf(q: SqlQuery): number {
    return countRow(q).n;
  }

  /**
   * Builds the query, choosing how filters are applied from how many entries they select: common
   * words with a selective filter test matches against the filter's rows; a filter-only query is
   * driven by its most selective tag or person filter.
   */
  // Entries per facet filter, counted up to `facetCountCap()`. The count only chooses how the filter is
  // applied (every way gives the same hits), so it is kept until the journal has grown or shrunk by a
  // twentieth since: counting `kind:note` at a million entries takes ~50 ms, too long for every query
  // after every save.
  const facetCounts = new Map<string, { n: number; at: number }>();
  const facetCountCap = (live: number) => Math.min(Number.MAX_SAFE_INTEGER, Math.max(facetMatchMax, Math.ceil(live * IN_MATCH_SHARE_MAX)) + 1);
  function facetCount(expression: string): number {
    const live = journalSize();
    const known = facetCounts.get(expression);
    if (known && Math.abs(live - known.at) <= known.at / 20) return known.n;
    const n = matchesUpTo(expression, facetCountCap(live));
    if (facetCounts.size >= STATEMENT_CACHE) facetCounts.delete(facetCounts.keys().next().value!);
    facetCounts.set(expression, { n, at: live });
    return n;
  }

  /** Entries an FTS5 expression matches, counted up to `cap` (no bm25: ~8% of ranking them). */
  function matchesUpTo(expression: string, cap: number): number {
    return countOf({ sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)', params: [expression, cap] });
  }

  /**
   * The words' matches, counted up to what is asked: `atLeast(k)` is true when there are at least k.
   * Counting is ~8% of ranking them (no bm25), and stops at k.
   */
  function wordMatches(parsed: ParsedQuery) {
    let match: string | null | undefined;
    let counted = 0;
    let all = false;
    return {
      atLeast(k: number): boolean {
        match ??= buildSearch(parsed, { limit: 1, offset: 0 }).match;
        if (match === null) return false;
        if (counted < k && !all) {
          counted = matchesUpTo(match, k);
          all = counted < k;
        }
        return counted >= k;
      },
    };
  }
  type WordMatches = ReturnType<typeof wordMatches>;

  /**
   * True when a filter on `size` entries (a facet, or a date range's estimate) goes into the FTS5
   * expression of these words: always at or below `max`; above it, when bm25's pass over its postings
   * costs less than ranking the matches it spares (`cost` a posting: `POSTING_SCAN_COST`, or
   * `DATE_POSTING_SCAN_COST` for a date range).
   */
  function worthInMatch(size: number, max: number, words: WordMatches, cost = scanCost): boolean {
    if (size <= max) return true;
    const share = size / Math.max(1, journalSize());
    if (share > IN_MATCH_SHARE_MAX || !(cost < Infinity)) return false;
    return words.atLeast(Math.ceil((size * cost) / (1 - share)) + 1);
  }

  /**
   * How many times a page's rows to rank before testing the filters left (`BuildOptions.overfetch`):
   * twice what the share of the journal they keep needs, facets by their count and dates by their span.
   */
  function overfetchFor(parsed: ParsedQuery, inMatch: ReadonlySet<ParsedQuery['clauses'][number]>): number {
    let share = dateShare(parsed);
    const left = facetClauses(parsed).filter((f) => !inMatch.has(f.clause) && !(f.clause.atoms[0] as { negated: boolean }).negated);
    if (left.length > 0) {
      const live = Math.max(1, journalSize());
      for (const f of left) share *= Math.min(1, facetCount(f.expression) / live);
    }
    return share > 0 ? 2 / share : Infinity;
  }

  const maxRowidStmt = db.prepare<[], { m: number | null }>('SELECT max(rowid) AS m FROM entries');
  /** Entries ever added (the largest rowid): the journal's size, as the plans estimate it. */
  const journalSize = () => maxRowidStmt.get()?.m ?? 0;
  // The journal's time span, for `dateShare`: two index seeks.
  const firstStmt = db.prepare<[], { t: number }>('SELECT created_at AS t FROM entries WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1');
  const lastStmt = db.prepare<[], { t: number }>('SELECT created_at AS t FROM entries WHERE deleted_at IS NULL ORDER BY created_at DESC LIMIT 1');

  /** The creation-time range the query's positive `after:`/`before:` clauses keep, if it has any. */
  function dateRange(parsed: ParsedQuery): { from: number; to: number } | null {
    let from = -Infinity;
    let to = Infinity;
    for (const c of parsed.clauses) {
      const a = c.atoms[0];
      if (c.atoms.length !== 1 || a?.type !== 'filter' || a.negated) continue;
      if (a.filter.key === 'after') from = Math.max(from, a.filter.time);
      else if (a.filter.key === 'before') to = Math.min(to, a.filter.time);
    }
    return from === -Infinity && to === Infinity ? null : { from, to };
  }

  /** The journal's first and last creation time (live entries), if it has two distinct ones. */
  function span(): { first: number; last: number } | null {
    const first = firstStmt.get()?.t;
    const last = lastStmt.get()?.t;
    return first === undefined || last === undefined || last <= first ? null : { first, last };
  }

  /** The share of the journal's time span that a creation-time range keeps (0 to 1). */
  const shareOf = (range: { from: number; to: number }, s: { first: number; last: number }) =>
    Math.max(0, Math.min(range.to, s.last) - Math.max(range.from, s.first)) / (s.last - s.first);

  /** The share of the journal's time span that the query's `after:`/`before:` filters keep (0 to 1). */
  function dateShare(parsed: ParsedQuery): number {
    const range = dateRange(parsed);
    const s = range && span();
    return range && s ? shareOf(range, s) : 1;
  }

  /**
   * The years and months of the query's date range as an FTS5 expression, when the range keeps few
   * entries (estimated from its share of the journal's time span): worth adding to the expression of
   * words that match many entries. (bm25 reads every posting of the range's terms.)
   */
  function shortRangeExpression(parsed: ParsedQuery, words: WordMatches): string | null {
    const range = dateRange(parsed);
    const s = range && span();
    if (!range || !s) return null;
    if (!worthInMatch(shareOf(range, s) * journalSize(), dateMatchMax, words, dateScanCost)) return null;
    return dateRangeExpression(range.from, range.to, s);
  }

  /**
   * The query to run. `overfetchHits` (rank the words alone, then test the filters on a few pages'
   * worth) is kept only where the filters left usually let most matches pass: kinds or tags too
   * common to be in the FTS5 expression, date ranges. A person or a tag filter left over is usually
   * selective, and a short window would then cost a second query.
   */
  function build(typed: ParsedQuery, sized: PageOptions): BuiltSearch {
    const page = sized.tieWindow === undefined ? { ...sized, tieWindow: tieWindow(journalSize()) } : sized;
    const parsed = withTagSpellings(typed);
    const built = choose(parsed, page);
    if (!built.overfetchHits) return built;
    const facets = new Set(facetClauses(parsed).map((f) => f.clause));
    return onlyDatesLeft(parsed, facets) ? built : { ...built, overfetchHits: undefined };
  }

  /**
   * The query with each tag filter also taking the tags here that differ from it only in accents or
   * the letters the index folds (`#orsted` finds `#ørsted`, as the word `orsted` finds "Ørsted"): a
   * positive filter takes them in OR; a negated one alone in its clause excludes each. A query whose
   * tags have no other spelling here comes back as it is.
   */
  function withTagSpellings(parsed: ParsedQuery): ParsedQuery {
    if (!parsed.clauses.some((c) => c.atoms.some((a) => a.type === 'filter' && a.filter.key === 'tag'))) return parsed;
    let changed = false;
    const clauses: Clause[] = [];
    for (const clause of parsed.clauses) {
      const atoms: Atom[] = [];
      const apart: Clause[] = [];
      for (const atom of clause.atoms) {
        atoms.push(atom);
        if (atom.type !== 'filter' || atom.filter.key !== 'tag') continue;
        const others = tags().spellings(atom.filter.tag).map((tag): Atom => ({ ...atom, filter: { key: 'tag', tag } }));
        if (others.length === 0) continue;
        if (!atom.negated) atoms.push(...others);
        else if (clause.atoms.length === 1) apart.push(...others.map((a) => ({ atoms: [a] })));
        else continue; // `x OR -#orsted`: not (a or b) has no place in an OR; left as typed
        changed = true;
      }
      clauses.push({ atoms }, ...apart);
    }
    return changed ? { ...parsed, clauses } : parsed;
  }

  /** True when every filter clause not in `facets` is one positive `after:` or `before:` filter. */
  function onlyDatesLeft(parsed: ParsedQuery, facets: ReadonlySet<ParsedQuery['clauses'][number]>): boolean {
    return parsed.clauses
      .filter((c) => !facets.has(c) && !isRankedClause(c) && !c.atoms.every((a) => a.type === 'text'))
      .every((c) => c.atoms.length === 1 && c.atoms[0]!.type === 'filter' && !c.atoms[0]!.negated && (c.atoms[0]!.filter.key === 'after' || c.atoms[0]!.filter.key === 'before'));
  }

  function choose(parsed: ParsedQuery, page: PageOptions): BuiltSearch {
    // Words with kind, status, tag or site filters that select few enough entries: the filters go into
    // the FTS5 expression, so only entries that pass them are ranked.
    const hasWords = parsed.clauses.some(isRankedClause);
    const facets = hasWords ? facetClauses(parsed) : [];
    const words = wordMatches(parsed);
    const inMatch = new Set(facets.filter((f) => worthInMatch(facetCount(f.expression), facetMatchMax, words)).map((f) => f.clause));
    const options = { facetsInMatch: inMatch, overfetch: overfetchFor(parsed, inMatch) };
    const built = buildSearch(parsed, page, options);
    if (built.mode === 'fts') {
      if (!built.filterRows) return built;
      // Only kind, status, tag or site filters too common for the expression are left: most matches
      // pass them, so the words are ranked alone and the best few pages tested (`build` keeps
      // `overfetchHits`); no need to count the words' matches to choose.
      const common = facets.filter((f) => !inMatch.has(f.clause)).map((f) => f.clause);
      const left = parsed.clauses.filter((c) => !inMatch.has(c) && !isRankedClause(c) && !c.atoms.every((a) => a.type === 'text'));
      if (left.every((c) => common.includes(c) && !(c.atoms[0] as { negated: boolean }).negated)) return built;
      // Other filters are left (people, dates, common kinds or tags, filters in OR). Those of a facet
      // select too many entries to be a set worth reading; people and dates may.
      const allFacets = new Set(facets.map((f) => f.clause));
      const candidates = drivers(parsed, inMatch);
      // A person (or common tag) that is the only filter left: the words' matches are tested against
      // their entries (selected once, index-only), and only those are ranked. Joining each match to
      // its entry instead cost ~3 µs a match: 100+ ms for a common word at a million entries.
      const lone = candidates.find((d) => d.alone);
      if (lone) return buildSearch(parsed, page, { ...options, setFrom: lone.clause });
      // Few matches: join each to its entry and test it. Many matches (common words) and a selective
      // filter: read the filters' rows once and test matches against them. Both many: count from the
      // filters' side when an entries index can walk them.
      if (!built.matchCount) return built;
      const matches = countOf(built.matchCount);
      // Words with more than a few matches and a short date range as the only filter left: the range's
      // years and months join the expression, so only matches from those months are ranked and
      // counted, and nearly all of them pass the range's exact bounds.
      if (matches > DATE_WORDS_MIN && onlyDatesLeft(parsed, inMatch)) {
        const dates = shortRangeExpression(parsed, words);
        if (dates) return buildSearch(parsed, page, { ...options, dateExpression: dates, datesInMatch: true });
      }
      if (matches <= FILTER_SET_MAX) return built;
      const columnFilter = hasColumnFilter(parsed, allFacets);
      const smallDriver = candidates.some((d) => countOf(d.estimate) <= FILTER_SET_MAX);
      if (!columnFilter && !smallDriver) return built;
      // The column filters left are dates. A range that keeps many entries of a large journal is no
      // set worth reading; if it keeps a good share, the count is cheaper from the words' side (most
      // matches pass), else from the range's side.
      if (columnFilter && !smallDriver) {
        const share = dateShare(parsed);
        if (share * (maxRowidStmt.get()?.m ?? 0) > 2 * FILTER_SET_MAX) {
          return share >= JOINED_COUNT_SHARE ? built : buildSearch(parsed, page, { ...options, countFromFilters: true });
        }
      }
      const rows = all<{ rowid: number }>(built.filterRows);
      if (rows.length <= FILTER_SET_MAX) return buildSearch(parsed, page, { ...options, filterRowids: rows.map((r) => r.rowid) });
      return columnFilter ? buildSearch(parsed, page, { ...options, countFromFilters: true }) : built;
    }
    if (built.mode !== 'filter') return built;
    let best: { clause: ParsedQuery['clauses'][number]; n: number } | null = null;
    for (const d of drivers(parsed)) {
      const n = countOf(d.estimate);
      if (!best || n < best.n) best = { clause: d.clause, n };
    }
    if (!best) return built;
    return buildSearch(parsed, page, { countBy: best.clause, driveBy: best.n <= FILTER_SET_MAX ? best.clause : undefined });
  }

  /**
   * True when `q` finds at least one live entry (for verifying "did you mean" rewrites), read as the
   * query it rewrites was (as you type: its last word a prefix).
   */
  function finds(q: string, asYouType: boolean, timeZone?: string): boolean {
    const built = build(parseQuery(q, { asYouType, timeZone, now: clock() }), { limit: 1, offset: 0 });
    return built.mode !== 'empty' && all<RankedRow>(built.hits).length > 0;
  }

  /**
   * The page's rows. With common words and filters most matches pass, the words are first ranked
   * alone (bounded sort) and only the best few times a page are tested; a full page from that is
   * exact. Otherwise every match is tested, in FTS5's rank order. Either way, a page that ends inside a
   * tie on rank running past the window its rows were ranked in is ranked again with `exactHits`,
   * where ties go to the newest by creation time, not to the window's choice.
   */
  function pageRows(built: BuiltSearch, limit: number): RankedRow[] {
    if (built.overfetchHits) {
      const rows = all<EdgeRow>(built.overfetchHits);
      if (rows.length >= limit) return endsInEdgeTie(rows) && !inAddedOrder(rows[0]!.edge_rowid!) ? exact(built, rows[0]!.edge_rank!) : plainRows(rows);
    }
    const rows = all<RankedRow>(built.hits);
    if (!built.window) return rows;
    const { page, edgeRank, edgeRowid } = built.window.tiesNewestAdded ? pageOfRanked(rows, built.window, createdAtOf) : pageOfWindow(rows, built.window);
    if (edgeRank === undefined || (built.window.tiesNewestAdded && inAddedOrder(edgeRowid!))) return page;
    return exact(built, edgeRank);
  }

  /** The creation time of each of these entries, by rowid. */
  const createdAtOf = (rowids: number[]): Map<number, number> =>
    new Map(
      (prepare('SELECT rowid, created_at FROM entries WHERE rowid IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(rowids)) as Array<[number, number]>),
    );

  const exact = (built: BuiltSearch, edgeRank: number) => all<RankedRow>(built.exactHits!(edgeRank));

  /**
   * True when every entry from `rowid` on was added in creation order (entry_order, migration 0006):
   * the entries tied past a window of the most recently added, added before `rowid`, were created
   * before those in it, so the window's page is already the newest.
   */
  const inAddedOrder = (rowid: number) => entryOrder(db).disordered < rowid;

  function query(input: QueryInput): SearchResult {
    const parsed = parseQuery(input.q, { asYouType: input.asYouType, timeZone: input.timeZone, now: clock() });
    const page = { limit: input.limit, offset: input.offset };
    // A quick answer (a keystroke) to words alone is their newest matches: ranking them reads every
    // posting of every word, which for a common word or a short prefix ("a", "par") takes longer than a
    // keystroke at 100,000 entries, where the newest matches take well under a millisecond. With
    // filters, and for words alone where the most recently added are not the newest (an imported or
    // backdated stretch), the first page is ranked among the most recently added entries only. If that
    // window has too few matches to fill the page, every match is ranked, as without `quick`. Either
    // way the front end asks again without `quick` once typing pauses.
    let built: BuiltSearch | null = null;
    let rows: RankedRow[] = [];
    let provisional: SearchResult['provisional'];
    if (input.quick && input.offset === 0) {
      // (Words alone need no planning: this is what `build` makes of them.)
      const words = buildSearch(parsed, page);
      if (words.mode === 'fts' && words.newestHits) {
        // The most recently added matches are the newest only where entries were added in the order
        // they were created (not an imported or backdated stretch): elsewhere they are ranked, among
        // the most recently added first.
        const newest = all<RankedRow>(words.newestHits);
        if (newest.length === 0 || inAddedOrder(newest.at(-1)!.rowid)) {
          built = words;
          rows = newest;
          if (rows.length > 1) provisional = { order: 'newest' };
        }
      }
      // At 100,000 entries added out of order, ranking every match took 12 ms a keystroke for `fun`
      // and 35 ms for `a`; among the 5,000 most recently added, 6 and 9-14 ms (bm25 still reads each
      // word's whole posting list once, for how many entries hold it).
      if (!built) {
        const max = maxRowidStmt.get()?.m ?? 0;
        if (max > recentWindow) {
          const bounded = build(parsed, { ...page, minRowid: max - recentWindow + 1 });
          if (bounded.mode === 'fts') {
            rows = pageRows(bounded, input.limit);
            if (rows.length >= input.limit) {
              built = bounded;
              provisional = { order: 'rank', within: recentWindow };
            }
          }
        }
      }
    }
    if (!built) {
      built = build(parsed, page);
      if (built.mode === 'empty') return { hits: [], total: 0, suggestions: [], filters: parsed.chips };
      rows = pageRows(built, input.limit);
    }
    // A first page that is not full holds every match: no need to count.
    const counted = input.offset === 0 && rows.length < input.limit ? { n: rows.length } : countTotal(built);
    // More than TOTAL_CAP matches are told as TOTAL_CAP, capped. A partial count may have stopped before
    // the matches on this page: never less than what is shown. (A page past the end proves nothing.)
    const over = counted.n > TOTAL_CAP;
    const told = over ? TOTAL_CAP : counted.n;
    const total = rows.length > 0 ? Math.max(told, input.offset + rows.length) : told;
    // Words are marked wherever they match, also those in a clause with filters (`kettle OR #kitchen`).
    const phrases = queryPhrases(parsed);
    const result: SearchResult = {
      hits: toHits(rows, phrases.length > 0 ? createHighlighter(phrases) : null),
      total,
      suggestions: total === 0 ? suggester().suggest(parsed, (q) => finds(q, input.asYouType, input.timeZone), filterAlternatives) : [],
      filters: parsed.chips,
    };
    if (over || counted.partial) result.totalCapped = true;
    if (provisional) result.provisional = provisional;
    return result;
  }

  function related(input: RelatedInput): SearchResult {
    const draft = relatedTerms().matchFor(input.text);
    if (!draft) return { hits: [], total: 0, suggestions: [], filters: [] };
    const excluded = input.excludeId
      ? ((prepare('SELECT rowid FROM entries WHERE id = ?').get(input.excludeId) as { rowid: number } | undefined)?.rowid ?? null)
      : null;
    // One row more than the page (two with an entry to leave out): fewer back means these are all.
    const want = input.limit + (excluded === null ? 1 : 2);
    const fetched = all<RankedRow>({
      sql: `SELECT rowid, ${RANK_EXPRESSION} AS rank FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rank, rowid DESC LIMIT ?`,
      params: [draft.match, want],
    });
    const rows = fetched.filter((r) => r.rowid !== excluded);
    const total = fetched.length < want ? rows.length : countOf({
      sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? AND rowid IS NOT ? LIMIT ?)',
      params: [draft.match, excluded, COUNT_LIMIT],
    });
    const result: SearchResult = { hits: toHits(rows.slice(0, input.limit), createHighlighter(draft.phrases)), total: Math.min(total, TOTAL_CAP), suggestions: [], filters: [] };
    if (total > TOTAL_CAP) result.totalCapped = true;
    return result;
  }

  /**
   * For "did you mean": the tags or people a tag or person filter may have meant, from the pickers'
   * fuzzy lookups, written as a filter again (`#kitchen`, `@rogier`, `@[Anne Jansen]`). Each counts as
   * one edit; more entries first.
   */
  const filterAlternatives: FilterAlternatives = (atom) => {
    if (atom.filter.key === 'tag') {
      const typed = atom.filter.tag;
      // A tag `#tag` cannot say (spaces, `+`) is written as the parser reads it quoted.
      // `tag` lets "did you mean" take in the words typed after `#working` that the tag goes on with.
      return findTags({ q: typed, limit: FILTER_SUGGESTIONS })
        .filter((m) => m.tag && m.tag !== typed)
        .map((m) => ({ term: tagSyntax(m.tag!), distance: 1, doc: m.count ?? 0, tag: m.tag! }));
    }
    if (atom.filter.key === 'person') {
      const dir = people().all();
      const typed = atom.filter.personKey;
      return findPeople({ q: atom.filter.name, limit: FILTER_SUGGESTIONS }).flatMap((m) => {
        const name = dir.get(m.ref.id)?.name;
        if (!name || personKey(name) === typed) return [];
        return [{ term: mentionSyntax(name), distance: 1, doc: m.count ?? 0 }];
      });
    }
    return [];
  };

  function findPeople(input: FuzzyInput): FuzzyMatch[] {
    const dir = people().all();
    const catalog = people().catalog();
    const ref = (id: string): EntryRef | null => {
      const p = dir.get(id);
      return p ? { id: p.id, kind: 'person', title: p.title, deleted: false } : null;
    };
    if (!input.q.trim()) {
      // Nothing typed yet: the most mentioned people.
      return [...dir.values()]
        .sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name))
        .slice(0, input.limit)
        .map((p) => ({ ref: ref(p.id)!, label: p.name, score: 0, count: people().mentionCount(p.rowid) }));
    }
    return catalog.lookup(input.q, { limit: input.limit }).flatMap((hit) => {
      const p = dir.get(hit.item.id);
      const r = ref(hit.item.id);
      if (!p || !r) return [];
      const matchedName = hit.item.names[hit.nameIndex];
      const label = hit.nameIndex > 0 && matchedName ? `${p.name} (${matchedName})` : p.name;
      return [{ ref: r, label, score: hit.score, count: people().mentionCount(p.rowid) }];
    });
  }

  function findTags(input: FuzzyInput): FuzzyMatch[] {
    const catalog = tags().catalog();
    const typed = input.q.trim();
    const match = (tag: string, score: number, count: number): FuzzyMatch => ({ ref: { id: tag, kind: 'note', title: `#${tag}`, deleted: false }, label: `#${tag}`, score, tag, count });
    if (!typed) {
      // Nothing typed yet: the most used tags. The priors (uses as of the last change to the set of
      // tags) pick the candidates; their live counts, read now, order them.
      const sorted = [...tags().priors()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const live: FuzzyMatch[] = [];
      for (const [tag] of sorted) {
        const count = tags().liveCount(tag);
        if (count > 0) live.push(match(tag, 0, count));
        if (live.length >= input.limit * 4) break;
      }
      return live.sort((a, b) => b.count! - a.count! || (a.tag! < b.tag! ? -1 : 1)).slice(0, input.limit);
    }
    // Tags only on entries in the trash are left out: more candidates are asked for until the page is
    // full, or there are none left.
    const out: FuzzyMatch[] = [];
    for (let wanted = input.limit * 2; ; wanted *= 4) {
      const hits = catalog.lookup(typed, { limit: wanted });
      out.length = 0;
      for (const h of hits) {
        const count = tags().liveCount(h.item.id);
        if (count === 0) continue;
        out.push(match(h.item.id, h.score, count));
        if (out.length >= input.limit) return out;
      }
      if (hits.length < wanted) return out;
    }
  }

  function whoKnows(input: WhoKnowsInput): WhoKnowsResult[] {
    const parsed = parseQuery(input.topic, { now: clock() });
    const built = build(parsed, { limit: WHO_KNOWS_ENTRIES, offset: 0 });
    const entries = built.mode === 'empty' ? [] : pageRows(built, WHO_KNOWS_ENTRIES);
    const mentions = entries.length === 0
      ? []
      : (prepare(
          `SELECT l.from_rowid AS entry, l.to_rowid AS person FROM links l
           WHERE l.type = 'mentions' AND l.from_rowid IN (SELECT value FROM json_each(?))`,
        ).all(JSON.stringify(entries.map((e) => e.rowid))) as Array<{ entry: number; person: number }>);
    const about = aboutTheTopic(parsed, entries, mentions);
    const ranked = scoreWhoKnows({
      parsed,
      entries: entries.filter((e) => about(e.rowid)),
      mentions: mentions.filter((m) => about(m.entry)),
      people: people().all(),
      ranked: built.mode === 'fts',
    });
    const top = ranked.slice(0, input.limit);
    const refs = getRowsByRowids(db, top.flatMap((r) => r.evidence));
    return top.map((r) => ({
      person: { id: r.person.id, kind: 'person', title: r.person.title, deleted: false },
      score: r.score,
      profileTopics: r.profileTopics,
      evidence: r.evidence.flatMap((rowid) => {
        const row = refs.get(rowid);
        return row ? [toRef(row)] : [];
      }),
    }));
  }

  /**
   * Whether an entry the topic's words found is about the topic, and not only naming someone whose
   * name holds them: "Dinner with @[Rust Cohle]" is no evidence of who knows Rust. Read only for the
   * entries that mention such a person: the topic's words must be left once their names are taken out.
   */
  /** The string values in a field's value (a string, or strings in arrays and objects). */
  function valuesOf(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(valuesOf);
    if (value && typeof value === 'object') return Object.values(value).flatMap(valuesOf);
    return [];
  }

  /** `terms` with every run of each of `runs` taken out (the runs tried in the order given). */
  function withoutRuns(terms: readonly string[], runs: readonly (readonly string[])[]): string[] {
    let out = [...terms];
    for (const run of runs) {
      const kept: string[] = [];
      for (let i = 0; i < out.length; ) {
        if (run.every((t, k) => out[i + k] === t)) i += run.length;
        else kept.push(out[i++]!);
      }
      out = kept;
    }
    return out;
  }

  function aboutTheTopic(parsed: ParsedQuery, entries: readonly RankedRow[], mentions: ReadonlyArray<{ entry: number; person: number }>): (rowid: number) => boolean {
    const words = parsed.clauses.flatMap((c) => c.atoms).flatMap((a) => (a.type === 'text' && !a.negated ? a.tokens.map((t) => t.term) : []));
    if (words.length === 0 || entries.length === 0) return () => true;
    const byRowid = new Map([...people().all().values()].map((p) => [p.rowid, p]));
    const namesOf = (rowid: number) => {
      const p = byRowid.get(rowid);
      return p ? [p.name, ...p.aliases.map((a) => a.replace(/^@/, ''))].filter((n) => n.trim()) : [];
    };
    const holdsTopic = (names: string[]) => names.some((n) => tokenize(n).some((t) => words.includes(t.term)));
    const named = new Map<number, string[]>();
    for (const m of mentions) {
      const names = namesOf(m.person);
      if (holdsTopic(names)) named.set(m.entry, [...(named.get(m.entry) ?? []), ...names]);
    }
    // A person's own entry, found by their name alone.
    for (const e of entries) {
      const names = namesOf(e.rowid);
      if (holdsTopic(names)) named.set(e.rowid, [...(named.get(e.rowid) ?? []), ...names]);
    }
    if (named.size === 0) return () => true;
    const rows = getRowsByRowids(db, [...named.keys()]);
    const notAbout = new Set<number>();
    for (const [rowid, names] of named) {
      const row = rows.get(rowid);
      if (!row) continue;
      // What the index holds of the entry: its title, tags, body and the values of its fields (a
      // bookmark's excerpt, a question's answer, a person's profile), but not a person's names.
      const fields = Object.entries(JSON.parse(row.fields) as Record<string, unknown>).filter(([k]) => k !== 'name' && k !== 'aliases');
      const terms = tokenize([row.title, ...(JSON.parse(row.tags) as string[]), row.body, ...fields.flatMap(([, v]) => valuesOf(v))].join('\n')).map((t) => t.term);
      // Each name taken out where its words stand in a row, folded as the index folds them (`@[Rust
      // Odegaard]` is Rust Ødegaard); longest first, so a full name goes before an alias inside it.
      const nameTerms = names.map((n) => tokenize(n).map((t) => t.term)).filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
      const left = new Set(withoutRuns(terms, nameTerms));
      if (!words.every((w) => left.has(w))) notAbout.add(rowid);
    }
    return (rowid) => !notAbout.has(rowid);
  }

  /**
   * Entry titles by how they are typed (a typo, a prefix, words in any order): each distinct title
   * once, pointing at its most recently added entry, with how many live entries carry it.
   */
  function findTitles(input: FuzzyInput): FuzzyMatch[] {
    const catalog = titles().catalog();
    const records: Array<{ t: TitleRecord; score: number }> = input.q.trim()
      ? catalog.lookup(input.q, { limit: input.limit }).flatMap((h) => {
          const t = titles().get(h.item.id);
          return t ? [{ t, score: h.score }] : [];
        })
      : titles().mostUsed(input.limit).map((t) => ({ t, score: 0 }));
    const rows = getRowsByRowids(db, records.flatMap((r) => (r.t.rowid === null ? [] : [r.t.rowid])));
    return records.flatMap(({ t, score }) => {
      const row = t.rowid === null ? undefined : rows.get(t.rowid);
      return row && row.deleted_at === null ? [{ ref: toRef(row), label: t.title, score, count: t.uses }] : [];
    });
  }

  /** The statements a query runs as (its first page of `limit`): for tests and the benchmark's diagnosis. */
  function plan(q: string, limit = 20): BuiltSearch {
    return build(parseQuery(q, { now: clock() }), { limit, offset: 0 });
  }

  return { query, related, findPeople, findTags, findTitles, whoKnows, plan };
}

export type SearchService = ReturnType<typeof createSearchService>;
