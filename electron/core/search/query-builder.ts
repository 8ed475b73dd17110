/**
 * Stage 2 of search: the parsed query -> SQL with bound parameters. User text only ever reaches
 * MATCH as quoted FTS5 strings (see `ftsString`), and everything else as bound parameters.
 *
 * Shapes of query (the service picks the variant from cheap counts, see `search.service.ts`):
 * - `fts`: there are positive words. Matches are ranked by bm25 with the column weights below, and
 *   only the page's rows are joined to `entries` (joining every match before the LIMIT was measured 4x
 *   slower at 100k entries). Ties on relevance go to the most recent entry. Without filters, SQLite
 *   ranks with a bounded sort (`RANK_EXPRESSION`). Filters, if any, are applied either
 *   - per match, in FTS5's rank order: the match is joined to its entry by rowid and tested (tag and
 *     person filters by index lookups) — cheap when the words are rare or the filters let most pass;
 *   - or against a set: the rowids the filters select, read beforehand when they are few, tested
 *     without touching `entries`, ranked by the bounded sort — for common words with a selective filter.
 * - `filter`: only filters and/or excluded words: matching entries by recency, newest first, using
 *   the timeline indexes, or read from a rare tag's or person's rows and sorted.
 * Only live entries are in the FTS index; every shape also checks `deleted_at IS NULL`.
 */
import type { Atom, Clause, Filter, FilterAtom, ParsedQuery, TextAtom } from './query-parser.ts';
import { facetExpression, isFacetFilter, type FacetFilter } from './facets.ts';
import { ftsString } from './text-tokens.ts';

/** bm25 column weights, in the index's column order: title, tags, people, body, facets (never ranked). */
export const BM25_WEIGHTS = { title: 10, tags: 6, people: 4, body: 1, facets: 0 } as const;
const WEIGHT_ARGS = Object.values(BM25_WEIGHTS).map((w) => w.toFixed(1)).join(', ');
/** The weighted bm25 as FTS5's `rank` (for `rank MATCH ?`, when FTS5 itself sorts by rank). */
export const RANK_FUNCTION = `bm25(${WEIGHT_ARGS})`;
/**
 * The weighted bm25 as an SQL expression, for `ORDER BY ... LIMIT` sorted by SQLite. SQLite keeps only
 * the best LIMIT rows while it reads the matches; FTS5's own `ORDER BY rank` sorts every match first,
 * which measured 30-40% slower for common words at 100,000 entries (tests/bench/diagnose-search.ts).
 */
export const RANK_EXPRESSION = `bm25(entries_fts, ${WEIGHT_ARGS})`;
/** An FTS5 expression that is one prefix of ASCII letters and digits (`"javas" *`), the prefix captured. */
const ONE_ASCII_PREFIX = /^"([a-z0-9]+)" \*$/;
/** Matches are counted up to this many; with more, `total` says this many (`totalCapped`). */
export const TOTAL_CAP = 1000;
/** Count statements stop here: one past `TOTAL_CAP`, so that exactly `TOTAL_CAP` matches are told from more. */
export const COUNT_LIMIT = TOTAL_CAP + 1;
/**
 * A count that tests each match against its entry (people, dates, common kinds) looks at this many
 * matches at most; with more, and fewer than `TOTAL_CAP` passing, `total` is a lower bound too. At a
 * million entries a common word with a rare person took 200-400 ms to count exactly.
 */
export const COUNT_EXAMINE_MAX = 5_000;
/**
 * Extra rows ranked beyond the page so relevance ties at the page edge are broken by recency, and a
 * tie runs past the window (so the page is ranked again, `exactHits`, a second bm25 pass over every
 * match) only when it is long. Ties grow with the journal (more entries share a rank), and so does
 * the window: `tieWindow`. The benchmark's repeated paragraphs make long ties: with 10 rows, none of
 * its 165 word queries at 100,000 entries but 83 at 1,000,000 were ranked twice (the whole set's p95:
 * 72 ms); with 100, one was (a tie of 206; p95 44 ms). A larger window is not free: SQLite's bounded
 * sort keeps more rows, 0.2-0.4 ms more for a common word at 100,000 entries with 100 rows.
 */
export const TIE_WINDOW = 10;
/** The most rows `tieWindow` gives. */
export const TIE_WINDOW_MAX = 100;
/** Entries (by the largest rowid) per row of `tieWindow` past `TIE_WINDOW`. */
export const ENTRIES_PER_TIE_ROW = 10_000;

/** The tie window for a journal of this many entries: 10 rows up to 100,000, 100 from 1,000,000. */
export const tieWindow = (journalSize: number): number =>
  Math.min(TIE_WINDOW_MAX, Math.max(TIE_WINDOW, Math.ceil(journalSize / ENTRIES_PER_TIE_ROW)));

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

export interface BuiltSearch {
  mode: 'fts' | 'filter' | 'empty';
  /** The FTS5 expression that ranks (null in `filter` mode). */
  match: string | null;
  /**
   * Rows `{rowid, rank}` best first (rank 0 in `filter` mode, by creation time): the requested page,
   * or in `fts` mode the window it is ranked in, ties on rank most recently added first or newest
   * first (see `window`).
   */
  hits: SqlQuery;
  /**
   * `fts` mode: `hits` returns the best `size + 1` matches at most (the window and one past it), and
   * the page is `offset` and `limit` of them: `pageOfRanked` or `pageOfWindow` cuts it, and says
   * whether a tie on rank runs across the window's edge (then `exactHits`). Sorting the page in JavaScript costs less than
   * the SQL that said so (a materialised window read three more times, ~0.2 ms a query at 100k).
   */
  window?: {
    size: number;
    offset: number;
    limit: number;
    /**
     * The window's rows come by rank and then most recently added, not joined to their entries:
     * `pageOfRanked` cuts the page, reading the creation time of tied rows only. Otherwise (filters
     * tested per match) they come sorted by rank and creation time, and `pageOfWindow` cuts it.
     */
    tiesNewestAdded: boolean;
  };
  /**
   * `{n, partial?}`: number of matches, counted up to `COUNT_LIMIT` (more than `TOTAL_CAP`: there are
   * more); `partial` 1 when a count within `TOTAL_CAP` is a lower bound (past it, 0: the total is capped).
   */
  count: SqlQuery;
  /**
   * When `count` counts one prefix alone, of ASCII letters and digits (which FTS5's tokenizer keeps as
   * they are): that prefix (`javas` for `javas*`). One term starting with it in more than `TOTAL_CAP`
   * entries is enough to tell the total as capped.
   */
  countPrefix?: string;
  /**
   * Words alone: rows `{rowid, rank: 0}` of the page's newest matches, newest first (most recently
   * added), for quick answers. FTS5 reads each posting list backwards from its end and stops when the
   * page is full, where ranking reads every posting of every word (for bm25's counts).
   */
  newestHits?: SqlQuery;
  /**
   * Words and filters: `{n}`, the words' matches counted up to `FILTER_SET_MAX + 1`. When there are
   * more (common words), `filterRows` tells whether the filters are selective enough to be a set.
   */
  matchCount?: SqlQuery;
  /**
   * Words and filters: `{rowid}` of the live entries the filters alone select, up to
   * `FILTER_SET_MAX + 1`. When there are at most `FILTER_SET_MAX`, pass them back as `filterRowids`.
   */
  filterRows?: SqlQuery;
  /**
   * Words with filters tested per match: the same page found by ranking the words alone (SQLite's
   * bounded sort) for `OVERFETCH` times the rows the page needs, then testing only those. Exact when
   * it returns a full page (every entry that passes and ranks lower is outside the window) that does
   * not end in a tie across the window's edge (`edge_tied`, as for `hits`); otherwise use `hits`.
   */
  overfetchHits?: SqlQuery;
  /**
   * The page again, exactly, for when a row of `hits` (or `overfetchHits`) says a tie on rank ran
   * across the edge of its window (`edge_tied`) and the page ends inside that tie: every match ranking
   * at least as well as `edgeRank` (the row's `edge_rank`) joined to its entry, tested, and sorted by
   * rank then creation time. (The windows break ties by rowid to stop early, and an entry added later
   * may have been created earlier: an import, a backdated note.)
   */
  exactHits?: (edgeRank: number) => SqlQuery;
}

/**
 * How many times the rows a page needs `overfetchHits` ranks before testing the filters, at least
 * (`BuildOptions.overfetch` raises it for filters that let a smaller share pass).
 */
export const OVERFETCH = 4;
/** The most `BuildOptions.overfetch` may be: past it, testing so many rows costs more than it saves. */
export const OVERFETCH_MAX = 50;

export function ftsAtom(atom: TextAtom): string {
  return ftsString(atom.text, atom.prefix);
}

const isPositiveText = (a: Atom): a is TextAtom => a.type === 'text' && !a.negated;
const isNegatedText = (a: Atom): a is TextAtom => a.type === 'text' && a.negated;
const isPositiveFacet = (a: Atom): a is FilterAtom & { filter: FacetFilter } => a.type === 'filter' && !a.negated && isFacetFilter(a.filter);

/**
 * True when a clause is ranked in the FTS5 expression: positive words, or positive words in OR with
 * kind, status, tag or site filters (`kettle OR #kitchen`: its facet tokens join the expression, so the
 * entries the words match are ranked by them, and those the filter alone brings in follow, newest first,
 * at the facets column's weight of 0).
 */
export function isRankedClause(clause: Clause): boolean {
  return clause.atoms.some(isPositiveText) && clause.atoms.every((a) => isPositiveText(a) || isPositiveFacet(a));
}

/** `(a OR b)`: the FTS5 expression of words in OR, and of the facet filters of a ranked clause (`isRankedClause`). */
function ftsClause(atoms: readonly Atom[]): string {
  const parts = atoms.map((a) => (a.type === 'text' ? ftsAtom(a) : facetExpression((a as FilterAtom & { filter: FacetFilter }).filter)));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
}

/** Escapes LIKE wildcards for `LIKE ? ESCAPE '\'`. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A condition on `e` (entries) for one filter; never NULL, so NOT works as expected. Tag and person
 * filters come in two forms: `IN (rows)`, read once (right when many entries are tested, and lets
 * SQLite drive from the rows), or `correlated`, looked up per entry by index (right when few are: the
 * matches of a rare word).
 */
function filterSql(filter: Filter, negated: boolean, params: unknown[], correlated: boolean): string {
  switch (filter.key) {
    case 'kind':
      params.push(filter.kind);
      return negated ? 'e.kind <> ?' : 'e.kind = ?';
    case 'is':
      params.push(filter.status);
      return negated ? '(e.status IS NULL OR e.status <> ?)' : 'e.status = ?';
    case 'after':
      params.push(filter.time);
      return negated ? 'e.created_at < ?' : 'e.created_at >= ?';
    case 'before':
      params.push(filter.time);
      return negated ? 'e.created_at >= ?' : 'e.created_at < ?';
    case 'site':
      // Only bookmarks have a site: the kind narrows the rows to the bookmark timeline.
      params.push(filter.site, `%.${likeEscape(filter.site)}`);
      return `${negated ? 'NOT ' : ''}(e.kind = 'bookmark' AND (e.site = ? OR e.site LIKE ? ESCAPE '\\'))`;
    case 'tag':
    case 'person':
      if (!correlated) return `e.rowid ${negated ? 'NOT IN' : 'IN'} (${filterRowsSql(filter, params)})`;
      return `${negated ? 'NOT ' : ''}${correlatedSql(filter, params)}`;
  }
}

/** True when the entry `e` has the tag or mentions (or is) the person: per-entry index lookups. */
function correlatedSql(filter: Extract<Filter, { key: 'tag' | 'person' }>, params: unknown[]): string {
  if (filter.key === 'tag') {
    params.push(filter.tag, `${filter.tag}/`, `${filter.tag}0`);
    return 'EXISTS (SELECT 1 FROM entry_tags t WHERE t.entry_rowid = e.rowid AND (t.tag = ? OR (t.tag >= ? AND t.tag < ?)))';
  }
  const k = filter.personKey;
  params.push(k, `${k} `, `${k}!`, k, `${k} `, `${k}!`);
  return `(EXISTS (SELECT 1 FROM links l JOIN person_names n ON n.entry_rowid = l.to_rowid
      WHERE l.from_rowid = e.rowid AND l.type = 'mentions' AND (n.key = ? OR (n.key >= ? AND n.key < ?)))
    OR EXISTS (SELECT 1 FROM person_names n WHERE n.entry_rowid = e.rowid AND (n.key = ? OR (n.key >= ? AND n.key < ?))))`;
}

/** The rowids a tag or person filter selects. */
function filterRowsSql(filter: Extract<Filter, { key: 'tag' | 'person' }>, params: unknown[]): string {
  if (filter.key === 'tag') {
    // Nested tags: `#project` also matches `project/outloud` (a range on the tag index).
    params.push(filter.tag, `${filter.tag}/`, `${filter.tag}0`);
    return 'SELECT entry_rowid FROM entry_tags WHERE tag = ? OR (tag >= ? AND tag < ?)';
  }
  // The person by name or alias key; `@rogier` also finds "Rogier Smit" (a key that starts with the
  // word). Entries that mention them, and their own entry.
  const k = filter.personKey;
  params.push(k, `${k} `, `${k}!`, k, `${k} `, `${k}!`);
  return `SELECT l.from_rowid AS entry_rowid FROM person_names n JOIN links l ON l.to_rowid = n.entry_rowid AND l.type = 'mentions'
      WHERE n.key = ? OR (n.key >= ? AND n.key < ?)
    UNION ALL SELECT entry_rowid FROM person_names WHERE key = ? OR (key >= ? AND key < ?)`;
}

function atomSql(atom: Atom, params: unknown[], correlated: boolean): string {
  if (atom.type === 'filter') return filterSql(atom.filter, atom.negated, params, correlated);
  params.push(ftsAtom(atom));
  return `e.rowid ${atom.negated ? 'NOT IN' : 'IN'} (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)`;
}

interface Plan {
  match: string | null;
  conditions: string[];
  params: unknown[];
}

/**
 * Splits the query into the FTS5 expression and SQL conditions. `inMatch`: single facet-filter clauses
 * (kind, status, tag, site; see `facetClauses`) that go into the expression instead of SQL, when
 * there are words to rank. `dates`: the months of the query's date range (`dateRangeExpression`),
 * added to the expression when there are words; the date conditions stay in SQL for the exact bounds.
 */
function plan(query: ParsedQuery, skip?: Clause, correlated = false, inMatch?: ReadonlySet<Clause>, dates?: string): Plan {
  const ranked: string[] = [];
  const excluded: TextAtom[] = [];
  const facetsIn: string[] = [];
  const facetsOut: string[] = [];
  const mixed: Clause[] = [];
  const hasWords = query.clauses.some((c) => c !== skip && isRankedClause(c));
  for (const clause of query.clauses) {
    if (clause === skip) continue;
    const atom = clause.atoms[0]!;
    if (isRankedClause(clause)) ranked.push(ftsClause(clause.atoms));
    else if (clause.atoms.length === 1 && isNegatedText(atom)) excluded.push(atom);
    else if (hasWords && inMatch?.has(clause) && atom.type === 'filter' && isFacetFilter(atom.filter)) {
      (atom.negated ? facetsOut : facetsIn).push(facetExpression(atom.filter));
    } else mixed.push(clause);
  }
  const params: unknown[] = [];
  const conditions: string[] = [];
  let match: string | null = null;
  if (ranked.length > 0) {
    match = [...ranked, ...facetsIn, ...(dates ? [dates] : [])].join(' AND ');
    const out = [...(excluded.length > 0 ? [ftsClause(excluded.map((a) => ({ ...a, negated: false })))] : []), ...facetsOut];
    if (out.length > 0) match = `(${match}) NOT ${out.length === 1 ? out[0] : `(${out.join(' OR ')})`}`;
  } else {
    for (const atom of excluded) conditions.push(atomSql(atom, params, correlated));
  }
  for (const clause of mixed) {
    const parts = clause.atoms.map((a) => atomSql(a, params, correlated));
    conditions.push(parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`);
  }
  return { match, conditions, params };
}

/**
 * Clauses that are one kind, status, tag or site filter (negated or not): they can be tested inside
 * the FTS5 expression (`BuildOptions.facetsInMatch`), with `expression` selecting their entries.
 */
export function facetClauses(query: ParsedQuery): Array<{ clause: Clause; expression: string }> {
  return query.clauses.flatMap((clause) => {
    const atom = clause.atoms[0];
    if (clause.atoms.length !== 1 || atom?.type !== 'filter' || !isFacetFilter(atom.filter)) return [];
    return [{ clause, expression: facetExpression(atom.filter) }];
  });
}

export interface PageOptions {
  limit: number;
  offset: number;
  /** Rank only entries from this rowid on (the most recently added), for quick answers while typing. */
  minRowid?: number;
  /** Rows ranked past the page to break ties by creation time (default `TIE_WINDOW`; see `tieWindow`). */
  tieWindow?: number;
}

/**
 * A filter selecting at most this many entries is "selective": it may drive a filter-only query (its
 * rows read and sorted) or be applied to words' matches as a set of rowids (see `filterRows`).
 */
export const FILTER_SET_MAX = 3_000;

/**
 * A kind, status, tag or site filter selecting at most this many entries is always tested inside the
 * FTS5 expression (`facetsInMatch`). A larger one is, when the words match enough entries for it to pay
 * (see `POSTING_SCAN_COST`): bm25 makes a pass over the facet's postings (it counts the entries of every
 * phrase), and that pass is the cost of the facet being there.
 */
export const FACET_MATCH_MAX = 20_000;

/**
 * bm25's pass over a filter term's postings, per entry the term is on, as a share of what ranking one
 * match costs. A facet (or a date range's months) on F entries, keeping a share p of the journal, is
 * worth putting into the expression of words with W matches when `F * POSTING_SCAN_COST < W * (1 - p)`:
 * the pass costs less than ranking the matches it spares. Measured at 1,000,000 entries: the pass over
 * `kind:note`'s 935,406 postings took ~50 ms (0.053-0.064 µs each), ranking took 0.83-1.08 µs a match
 * (`api`: 86,198 matches in 93 ms).
 */
export const POSTING_SCAN_COST = 1 / 32;

/**
 * `POSTING_SCAN_COST` for a date range's years and months, an OR of several terms that bm25 reads
 * together: about 3.5 times a single facet term's, per posting. Measured at 100,000 entries, with
 * ranges keeping ~40 % of the journal: the range in the expression paid off from ~10,500 matches of
 * the words (`before:2022-07-15`) and from ~6,500 (`after:2022-01-01 before:2024-06-01`); with 1/32
 * it went in for words of 2,700-3,800 matches and made them 1.2-1.5x slower (`class
 * before:2022-07-15`: 5.9 against 4.0 ms).
 */
export const DATE_POSTING_SCAN_COST = 1 / 9;

/**
 * A filter keeping more than this share of the journal stays out of the expression however many
 * matches the words have (it would spare at most half of the ranking, for a pass over half the journal).
 */
export const IN_MATCH_SHARE_MAX = 0.5;

/**
 * A date range estimated (from its share of the journal's time span) to keep at most this many
 * entries puts its years and months into the FTS5 expression of words with many matches; a longer one
 * does when the words match enough entries (`POSTING_SCAN_COST`). Measured at
 * 100,000 entries: a range keeping ~15,000 entries took `take after:2025-02-01` from 12 to 8 ms and
 * `tar after:2024-12-01` from 9 to 5 ms; ranges keeping 40,000 or more were 1.5-3x slower that way
 * (bm25 reads every posting of the range's terms).
 */
export const DATE_MATCH_MAX = 30_000;

export interface Driver {
  clause: Clause;
  /** `{n}`: rows the filter selects, counted up to `FILTER_SET_MAX + 1` (index-only). */
  estimate: SqlQuery;
  /** `{rowid}` of the rows the filter selects, up to `FILTER_SET_MAX + 1` (index-only; trashed included). */
  rows: SqlQuery;
  /**
   * True when this is the only clause the words' FTS5 expression leaves to SQL: no other filter, and no
   * clause of words that the expression cannot hold (`alpha OR -beta`).
   */
  alone: boolean;
}

/**
 * Filters that can drive a query: positive tag and person filters standing alone in their clause.
 * For a filter-only query SQLite by default walks the timeline newest first and tests each entry,
 * which is right for a common tag's first page but reads the whole timeline for a rare one (and for
 * any count). The service counts each candidate's rows (cheaply, up to a cap) and passes the smallest
 * as `countBy`, and also as `driveBy` when it selects at most `FILTER_SET_MAX` rows, so those rows
 * are read directly (and sorted, for the page). With words, a selective driver that is the only
 * filter gives the set of rowids directly (trashed entries are not in the words' matches anyway).
 */
export function drivers(query: ParsedQuery, inMatch?: ReadonlySet<Clause>): Driver[] {
  const out: Driver[] = [];
  // The clauses `plan` turns into SQL conditions when the query has words (a lone `-word` joins the
  // expression; a clause mixing words and negations does not).
  const conditionClauses = query.clauses.filter(
    (c) => !inMatch?.has(c) && !isRankedClause(c) && !(c.atoms.length === 1 && isNegatedText(c.atoms[0]!)),
  );
  for (const clause of query.clauses) {
    if (inMatch?.has(clause)) continue;
    const atom = clause.atoms[0];
    if (clause.atoms.length !== 1 || atom?.type !== 'filter' || atom.negated) continue;
    if (atom.filter.key !== 'tag' && atom.filter.key !== 'person') continue;
    const params: unknown[] = [];
    const rows = filterRowsSql(atom.filter, params);
    out.push({
      clause,
      estimate: { sql: `SELECT count(*) AS n FROM (${rows} LIMIT ?)`, params: [...params, FILTER_SET_MAX + 1] },
      rows: { sql: `SELECT entry_rowid AS rowid FROM (${rows}) LIMIT ?`, params: [...params, FILTER_SET_MAX + 1] },
      alone: conditionClauses.length === 1,
    });
  }
  return out;
}

/**
 * True when some clause is a single positive filter on an entries column (kind, status, dates, site),
 * which an index of `entries` can walk. (Tag and person filters have their own estimate: `drivers`.)
 */
export function hasColumnFilter(query: ParsedQuery, inMatch?: ReadonlySet<Clause>): boolean {
  return query.clauses.some((c) => {
    if (inMatch?.has(c)) return false;
    const a = c.atoms[0];
    return c.atoms.length === 1 && a?.type === 'filter' && !a.negated && a.filter.key !== 'tag' && a.filter.key !== 'person';
  });
}

export interface BuildOptions {
  /** Facet clauses (from `facetClauses`) tested inside the FTS5 expression when there are words. */
  facetsInMatch?: ReadonlySet<Clause>;
  /**
   * The months of the query's `after:`/`before:` range as an FTS5 expression (`dateRangeExpression`
   * in facets.ts). Counts always narrow the words' matches with it; ranking does too when
   * `datesInMatch` is set (bm25 then also reads the months' postings, worth it for a short range).
   */
  dateExpression?: string;
  datesInMatch?: boolean;
  /** Words and filters: the rowids `filterRows` returned, when they were at most `FILTER_SET_MAX`. */
  filterRowids?: readonly number[];
  /**
   * Words and one tag or person filter (a `drivers()` clause that is `alone`): the words' matches are
   * tested against that filter's rows, selected by a subquery, however many there are.
   */
  setFrom?: Clause;
  /**
   * Words and filters, both matching many entries: count by walking the filters' indexes and probing
   * the words' matches (read once), instead of joining matches to entries until the cap is reached —
   * which reads ~1,000/p entries for a filter that lets a share p pass.
   */
  countFromFilters?: boolean;
  /** A clause from `drivers()` whose rows drive the page of a filter-only query. */
  driveBy?: Clause;
  /** A clause from `drivers()` whose rows drive the count of a filter-only query. */
  countBy?: Clause;
  /**
   * How many times the rows a page needs `overfetchHits` ranks (`OVERFETCH` to `OVERFETCH_MAX`): about
   * twice what the share of matches expected to pass the filters needs to fill the page.
   */
  overfetch?: number;
}

/** A filter-only query read from the rows one tag or person filter selects. */
function drivenFrom(query: ParsedQuery, clause: Clause) {
  const atom = clause.atoms[0] as FilterAtom & { filter: Extract<Filter, { key: 'tag' | 'person' }> };
  const params: unknown[] = [];
  const rows = filterRowsSql(atom.filter, params);
  const rest = plan(query, clause, true); // the driver's rows are tested one by one
  return {
    from: `(${rows}) d CROSS JOIN entries e ON e.rowid = d.entry_rowid`,
    where: ['e.deleted_at IS NULL', ...rest.conditions].join('\n    AND '),
    params: [...params, ...rest.params],
  };
}

/**
 * The page from `ranked` (rows `{rowid, rank}` best first, ties to the most recently added, one row
 * past a window of N: its params end with N + 1, then N), sorted by rank and then creation time, newest
 * first; each row says whether a tie on rank runs across the window's edge (`edge_tied`, the tied rank
 * as `edge_rank`). `where` tests the rows (alias `e`) after ranking. Params after the window's: `where`'s,
 * then the page's limit and offset.
 */
function edgeOf(ranked: string, where?: string): string {
  return `WITH w AS MATERIALIZED (
    ${ranked}
  ), edge AS (SELECT rank FROM w ORDER BY rank DESC LIMIT 2)
  SELECT h.rowid AS rowid, h.rank AS rank,
    (SELECT count(*) FROM w) > ? AND (SELECT min(rank) = max(rank) FROM edge) AS edge_tied, (SELECT max(rank) FROM w) AS edge_rank,
    (SELECT min(rowid) FROM w WHERE rank = (SELECT max(rank) FROM w)) AS edge_rowid
  FROM w h CROSS JOIN entries e ON e.rowid = h.rowid${where ? `\n  WHERE ${where}` : ''}
  ORDER BY h.rank, e.created_at DESC, e.rowid DESC LIMIT ? OFFSET ?`;
}

/** The lowest rowid among the rows of this rank: the tied rows past the window were added before it. */
function lowestTied(rows: ReadonlyArray<{ rowid: number; rank: number }>, rank: number): number {
  let lowest = Infinity;
  for (const r of rows) if (r.rank === rank && r.rowid < lowest) lowest = r.rowid;
  return lowest;
}

/**
 * The page of a `window` (the rows of `hits` in `fts` mode), and the rank of a tie it ends in that runs
 * past the window's edge (`edgeRank`; then the page is exact only from `exactHits(edgeRank)`). The
 * window was ranked by rank and then rowid, with one row past it: the two worst ranks of what came
 * back are those of the window's last row and the one past it.
 */
export function pageOfWindow<R extends { rowid: number; rank: number }>(
  rows: readonly R[],
  window: NonNullable<BuiltSearch['window']>,
): { page: R[]; edgeRank?: number; edgeRowid?: number } {
  const page = rows.slice(window.offset, window.offset + window.limit);
  if (rows.length <= window.size || page.length < window.limit) return { page };
  let worst = -Infinity;
  let second = -Infinity;
  for (const { rank } of rows) {
    if (rank >= worst) [worst, second] = [rank, worst];
    else if (rank > second) second = rank;
  }
  if (worst !== second || page[page.length - 1]!.rank !== worst) return { page };
  return { page, edgeRank: worst, edgeRowid: lowestTied(rows, worst) };
}

/**
 * The page of a window that came by rank and then most recently added (`window.tiesNewestAdded`):
 * the rows up to the page's last rank, ties among them sorted by creation time, newest first
 * (`createdAt` reads it for the tied rows only; a journal seldom has any). When the page's last rank
 * is also that of the row past the window, the tie may run beyond it: `edgeRank`, as `pageOfWindow`
 * says.
 */
export function pageOfRanked<R extends { rowid: number; rank: number }>(
  rows: readonly R[],
  window: NonNullable<BuiltSearch['window']>,
  createdAt: (rowids: number[]) => ReadonlyMap<number, number>,
): { page: R[]; edgeRank?: number; edgeRowid?: number } {
  const end = Math.min(rows.length, window.offset + window.limit, window.size);
  if (end <= window.offset) return { page: [] };
  const endRank = rows[end - 1]!.rank;
  // Every row ranked as well as the page's last, in the window: those past `end` are its tie.
  let upTo = end;
  while (upTo < Math.min(rows.length, window.size) && rows[upTo]!.rank === endRank) upTo++;
  const kept = rows.slice(0, upTo);
  const tied: number[] = [];
  for (let i = 0; i < kept.length; i++) {
    const rank = kept[i]!.rank;
    if ((i > 0 && kept[i - 1]!.rank === rank) || (i + 1 < kept.length && kept[i + 1]!.rank === rank)) tied.push(kept[i]!.rowid);
  }
  if (tied.length > 0) {
    const at = createdAt(tied);
    // (Only rows of equal rank compare their times, and those are all tied.)
    const time = (r: R) => at.get(r.rowid) ?? 0;
    kept.sort((a, b) => a.rank - b.rank || time(b) - time(a) || b.rowid - a.rowid);
  }
  const page = kept.slice(window.offset, window.offset + window.limit);
  if (rows.length <= window.size || rows[window.size]!.rank !== endRank) return { page };
  return { page, edgeRank: endRank, edgeRowid: lowestTied(rows, endRank) };
}

/**
 * The bound for `rank <= ?` that keeps every row tied with `edgeRank` (bm25 is negative, lower is
 * better): a hair beyond it, in case a statement that sorts by FTS5's `rank` column and one that calls
 * bm25() itself round the same score differently.
 */
const atLeastAsGood = (edgeRank: number) => edgeRank + Math.abs(edgeRank) * 1e-9;

export function buildSearch(query: ParsedQuery, page: PageOptions, options: BuildOptions = {}): BuiltSearch {
  const rankDates = options.datesInMatch ? options.dateExpression : undefined;
  const full = plan(query, undefined, false, options.facetsInMatch, rankDates);
  const hasFilters = full.conditions.length > 0;
  if (full.match === null && !hasFilters) {
    return { mode: 'empty', match: null, hits: { sql: 'SELECT NULL AS rowid, 0 AS rank WHERE 0', params: [] }, count: { sql: 'SELECT 0 AS n', params: [] } };
  }

  if (full.match === null) {
    const where = ['e.deleted_at IS NULL', ...full.conditions].join('\n    AND ');
    const candidates = drivers(query).map((d) => d.clause);
    const driveBy = options.driveBy && candidates.includes(options.driveBy) ? drivenFrom(query, options.driveBy) : null;
    const countBy = options.countBy && candidates.includes(options.countBy) ? drivenFrom(query, options.countBy) : null;
    return {
      mode: 'filter',
      match: null,
      hits: driveBy
        ? {
            sql: `SELECT DISTINCT e.rowid AS rowid, 0 AS rank, e.created_at FROM ${driveBy.from}
  WHERE ${driveBy.where}
  ORDER BY e.created_at DESC, e.rowid DESC LIMIT ? OFFSET ?`,
            params: [...driveBy.params, page.limit, page.offset],
          }
        : {
            sql: `SELECT e.rowid AS rowid, 0 AS rank FROM entries e
  WHERE ${where}
  ORDER BY e.created_at DESC, e.rowid DESC LIMIT ? OFFSET ?`,
            params: [...full.params, page.limit, page.offset],
          },
      count: countBy
        ? {
            sql: `SELECT count(*) AS n FROM (SELECT DISTINCT e.rowid FROM ${countBy.from} WHERE ${countBy.where} LIMIT ?)`,
            params: [...countBy.params, COUNT_LIMIT],
          }
        : {
            sql: `SELECT count(*) AS n FROM (SELECT 1 FROM entries e WHERE ${where} LIMIT ?)`,
            params: [...full.params, COUNT_LIMIT],
          },
    };
  }

  const { match, conditions, params } = full;
  const where = ['e.deleted_at IS NULL', ...conditions].join('\n    AND ');
  // Matches joined to their entries are tested one by one: tag and person filters look up by index.
  const joined = plan(query, undefined, true, options.facetsInMatch, rankDates);
  const joinedWhere = ['e.deleted_at IS NULL', ...joined.conditions].join('\n    AND ');

  // Words alone, or words tested against a small set of rowids the filters selected beforehand: SQLite
  // ranks every match with the weighted bm25 and keeps the best `window` rows as it goes (a bounded
  // sort). (`+rowid` keeps the set test out of FTS5, which would re-run the MATCH per value.) Titles and
  // snippets are marked afterwards, for the page's rows only (`highlight.ts`).
  // Words with filters tested per match: FTS5 sorts all matches by rank and each is joined to its entry
  // and tested in rank order, until the page is full — cheap while most matches pass the filters.
  const set = hasFilters ? setOf(query, options) : null;
  const inSet = set !== null;
  // A rowid range is applied by FTS5 itself: it reads only that part of each posting list.
  const bound = page.minRowid !== undefined ? (hasFilters && !inSet ? ' AND entries_fts.rowid >= ?' : ' AND rowid >= ?') : '';
  const boundParams = page.minRowid !== undefined ? [page.minRowid] : [];
  const setParams = set?.params ?? [];
  // Each ranked statement breaks ties on rank by rowid (most recently added first), to stop early; the
  // page is then sorted by creation time within its window. Where a tie runs across the window's edge,
  // entries outside it may be newer (backdated or imported ones): `pageOfWindow` (`edgeOf` for
  // `overfetchHits`) says so, and `exactHits`
  // ranks the page again with ties decided by creation time.
  const ranked = !hasFilters
    ? `SELECT rowid, ${RANK_EXPRESSION} AS rank FROM entries_fts WHERE entries_fts MATCH ?${bound} ORDER BY rank, rowid DESC LIMIT ?`
    : inSet
      ? `SELECT rowid, ${RANK_EXPRESSION} AS rank FROM entries_fts WHERE entries_fts MATCH ?${bound}
    AND +rowid IN (${set?.sql}) ORDER BY rank, rowid DESC LIMIT ?`
      : `SELECT entries_fts.rowid AS rowid, entries_fts.rank AS rank
    FROM entries_fts CROSS JOIN entries e ON e.rowid = entries_fts.rowid
    WHERE entries_fts MATCH ? AND entries_fts.rank MATCH ?${bound}
    AND ${joinedWhere}
    ORDER BY entries_fts.rank LIMIT ?`;
  const rankedParams = !hasFilters ? [match, ...boundParams] : inSet ? [match, ...boundParams, ...setParams] : [match, RANK_FUNCTION, ...boundParams, ...joined.params];
  const window = page.offset + page.limit + (page.tieWindow ?? TIE_WINDOW);
  const overfetch = Math.min(OVERFETCH_MAX, Math.max(OVERFETCH, Math.ceil(options.overfetch ?? OVERFETCH)));
  const perMatch = hasFilters && !inSet;
  // Every match with a rank at least as good as the edge's, joined to its entry: ties by creation time.
  const exactBound = page.minRowid !== undefined ? ' AND entries_fts.rowid >= ?' : '';
  const exactFilter = perMatch ? `\n    AND ${joinedWhere}` : inSet ? `\n    AND +entries_fts.rowid IN (${set?.sql})` : '';
  const exactFrom = `entries_fts CROSS JOIN entries e ON e.rowid = entries_fts.rowid
    WHERE entries_fts MATCH ?${exactBound}${exactFilter}
    AND ${RANK_EXPRESSION} <= ?`;
  const exactParams = perMatch ? [match, ...boundParams, ...joined.params] : [match, ...boundParams, ...setParams];
  return {
    mode: 'fts',
    match,
    // Ranked by SQLite, the window comes as it is, not joined to its entries to sort ties by creation
    // time: `pageOfRanked` reads the creation time of the tied rows alone, and a journal seldom has
    // any (the benchmark's queries at 100,000 entries: p50 4-7% lower, the same page for every one).
    hits: perMatch
      ? {
          sql: `SELECT h.rowid AS rowid, h.rank AS rank FROM (
    ${ranked}
  ) h CROSS JOIN entries e ON e.rowid = h.rowid
  ORDER BY h.rank, e.created_at DESC, e.rowid DESC`,
          params: [...rankedParams, window + 1],
        }
      : { sql: ranked, params: [...rankedParams, window + 1] },
    // (FTS5's own sort, per match, breaks ties the other way: oldest added first.)
    window: { size: window, offset: page.offset, limit: page.limit, tiesNewestAdded: !perMatch },
    exactHits: (edgeRank) => ({
      sql: `SELECT entries_fts.rowid AS rowid, ${RANK_EXPRESSION} AS rank FROM ${exactFrom}
  ORDER BY rank, e.created_at DESC, e.rowid DESC LIMIT ? OFFSET ?`,
      params: [...exactParams, atLeastAsGood(edgeRank), page.limit, page.offset],
    }),
    count: countSql(query, options, set),
    countPrefix: hasFilters ? undefined : ONE_ASCII_PREFIX.exec(match)?.[1],
    newestHits: hasFilters
      ? undefined
      : {
          sql: 'SELECT rowid, 0 AS rank FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?',
          params: [match, page.limit, page.offset],
        },
    overfetchHits: perMatch
      ? {
          sql: edgeOf(`SELECT rowid, ${RANK_EXPRESSION} AS rank FROM entries_fts WHERE entries_fts MATCH ?${bound} ORDER BY rank, rowid DESC LIMIT ?`, joinedWhere),
          params: [match, ...boundParams, window * overfetch + 1, window * overfetch, ...joined.params, page.limit, page.offset],
        }
      : undefined,
    filterRows: hasFilters
      ? { sql: `SELECT e.rowid AS rowid FROM entries e WHERE ${where} LIMIT ?`, params: [...params, FILTER_SET_MAX + 1] }
      : undefined,
    matchCount: hasFilters
      ? { sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)', params: [match, FILTER_SET_MAX + 1] }
      : undefined,
  };
}

/**
 * The rowids the words' matches are tested against, as SQL: the `filterRowids` read beforehand, or the
 * rows of the `setFrom` clause's tag or person, selected inside the statement (SQLite reads them once).
 */
function setOf(query: ParsedQuery, options: BuildOptions): SqlQuery | null {
  if (options.filterRowids !== undefined) return { sql: 'SELECT value FROM json_each(?)', params: [JSON.stringify(options.filterRowids)] };
  const atom = options.setFrom?.atoms[0];
  if (!options.setFrom || !query.clauses.includes(options.setFrom) || atom?.type !== 'filter' || (atom.filter.key !== 'tag' && atom.filter.key !== 'person')) return null;
  const params: unknown[] = [];
  return { sql: filterRowsSql(atom.filter, params), params };
}

/** True when the query keeps the entries created after a date and sets no end to the range. */
function openTowardsNow(query: ParsedQuery): boolean {
  let after = false;
  for (const c of query.clauses) {
    const a = c.atoms[0];
    if (c.atoms.length !== 1 || a?.type !== 'filter' || a.negated) continue;
    if (a.filter.key === 'before') return false;
    if (a.filter.key === 'after') after = true;
  }
  return after;
}

/**
 * The count of a words query, up to `COUNT_LIMIT`. Counting computes no bm25, so every kind, status,
 * tag and site filter, and the months of a date range, are tested inside the FTS5 expression here (an
 * intersection of postings), however many entries they select; the other filters as the options say.
 */
function countSql(query: ParsedQuery, options: BuildOptions, set: SqlQuery | null): SqlQuery {
  const facets = new Set(facetClauses(query).map((f) => f.clause));
  const dates = options.datesInMatch ? options.dateExpression : undefined;
  const full = plan(query, undefined, false, facets, dates);
  const match = full.match!;
  if (full.conditions.length === 0) {
    return { sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)', params: [match, COUNT_LIMIT] };
  }
  if (set) {
    return {
      sql: `SELECT count(*) AS n FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? AND +rowid IN (${set.sql}) LIMIT ?)`,
      params: [match, ...set.params, COUNT_LIMIT],
    };
  }
  if (options.countFromFilters) {
    return {
      sql: `SELECT count(*) AS n FROM (SELECT 1 FROM entries e WHERE ${['e.deleted_at IS NULL', ...full.conditions].join('\n    AND ')}
    AND e.rowid IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?) LIMIT ?)`,
      params: [...full.params, match, COUNT_LIMIT],
    };
  }
  // Each match joined to its entry and tested: the first COUNT_EXAMINE_MAX matches at most. With more
  // matches than that and fewer passing than the cap, the count is a lower bound (`partial`). A range
  // open towards now (`after:` alone) is counted from the newest matches, the ones it keeps: entries are
  // mostly added in time order, so the cap is reached after few (at 1,000,000 entries `parse
  // after:2021-04-01` examined all 5,000 oldest matches, 10 ms, to find fewer than 1,000).
  const joined = plan(query, undefined, true, facets, dates);
  const order = openTowardsNow(query) ? ' ORDER BY rowid DESC' : '';
  // Whether there were more matches than that is asked only of a count within the cap (past it, the
  // total is told as capped anyway): it evaluates the words' expression a second time.
  return {
    sql: `WITH c AS MATERIALIZED (SELECT (SELECT count(*) FROM (SELECT 1 FROM (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?${order} LIMIT ?) f
      CROSS JOIN entries e ON e.rowid = f.rowid
      WHERE ${['e.deleted_at IS NULL', ...joined.conditions].join('\n    AND ')} LIMIT ?)) AS n)
    SELECT n, CASE WHEN n > ? THEN 0 ELSE (SELECT count(*) FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)) > ? END AS partial FROM c`,
    params: [match, COUNT_EXAMINE_MAX, ...joined.params, COUNT_LIMIT, TOTAL_CAP, match, COUNT_EXAMINE_MAX + 1, COUNT_EXAMINE_MAX],
  };
}
