/**
 * "Did you mean": when a query finds nothing, rewrite it with the closest indexed terms.
 *
 * The index's own vocabulary (`entries_vocab`, an fts5vocab table: term and document count) is the
 * dictionary, so suggestions are always words the journal contains. fts5vocab reads the postings of
 * every term it returns (~7 ms for a common two-letter start at 100k entries; a point lookup is no
 * cheaper), so candidates come from prefix ranges read in tiers, each only if the previous found
 * nothing:
 *   1. the three-letter starts a word can have after one edit past its second letter, or a swap or
 *      an extra letter at the front (`sumit` -> `sum`, `agnda` -> `agn`/`aga`..., `smumit` -> `sum`);
 *   2. its first two letters (a wrong or missing third letter);
 *   3. its first letter (a wrong or missing second letter);
 *   4. for a Latin word, every letter followed by its first or second (a wrong or missing first letter).
 * Ranges read are cached for a few minutes (typing `sumi`, `sumit`, `sumitt` reads `sum` once), and
 * the whole search stops after `TIME_BUDGET_MS`: suggestions are best effort and never hold up a
 * search. Candidates within the word's typo budget (1 edit up to 7 letters, 2 from 8) are ranked by
 * distance, then by how many entries contain them. Rewrites are verified: only a query that finds
 * something is offered.
 */
import type { Db } from '../db/connection.ts';
import { editDistance, typoBudget } from './edit-distance.ts';
import type { FilterAtom, ParsedQuery } from './query-parser.ts';
import { ftsString, writtenTerm } from './text-tokens.ts';
import { createChangeStamp } from './directories.ts';

const PER_WORD = 3;
const MAX_WORDS = 3;
const MAX_TRIES = 8;
const MAX_SUGGESTIONS = 3;
const LATIN = 'abcdefghijklmnopqrstuvwxyz';
// Generous enough for a cold first query on a busy machine; only a query that found nothing pays it.
export const TIME_BUDGET_MS = 80;
const RANGE_CACHE_MS = 5 * 60_000;
const RANGE_CACHE_MAX_TERMS = 200_000;

interface Candidate {
  /** The word (or, for a filter, the whole filter as typed: `#kitchen`) that replaces the misspelt one. */
  term: string;
  distance: number;
  doc: number;
  /** For a tag filter's candidate, the tag it names (`working out loud` for `#"working out loud"`). */
  tag?: string;
  /** Where the replaced text ends, when the candidate also takes in words typed after the filter. */
  end?: number;
}

/**
 * Filters a tag or person filter's value may have meant (`#kitchn`: `#kitchen`), as the text that
 * replaces the filter in the query: the search service looks them up in its tag and people pickers.
 */
export type FilterAlternatives = (atom: FilterAtom) => Candidate[];

interface Misspelt {
  term: string;
  spans: Array<{ start: number; end: number }>;
  candidates: Candidate[];
}

interface VocabRow {
  term: string;
  doc: number;
}

/** The prefix ranges to read, tier by tier (see the module comment). */
export function candidateRanges(word: string): string[][] {
  const w = Array.from(word);
  const at = (i: number) => w[i] ?? '';
  const [a, b, c, d] = [at(0), at(1), at(2), at(3)];
  const tiers = [[a + b + c, a + b + d, a + c + d, b + c + d, b + a + c, a + c + b], [a + b], [a]];
  if (/^[a-z]$/.test(a)) tiers.push([...LATIN].flatMap((x) => [x + a, x + b]));
  const seen = new Set<string>();
  return tiers.map((tier) =>
    tier.filter((p) => {
      if (!p || seen.has(p)) return false;
      seen.add(p);
      return true;
    }),
  );
}

export function createSuggester(db: Db, now: () => number = () => performance.now(), stamp: () => string = createChangeStamp(db)) {
  // Ranges read are only valid until the journal changes (a save adds words to the vocabulary).
  let cacheStamp = '';
  const knownStmt = db.prepare<[string], { x: number }>('SELECT 1 AS x FROM entries_fts WHERE entries_fts MATCH ? LIMIT 1');
  const rangeStmt = db.prepare<[string, string], VocabRow>('SELECT term, doc FROM entries_vocab WHERE term >= ? AND term < ?');
  const cache = new Map<string, { rows: VocabRow[]; at: number }>();
  let cachedTerms = 0;

  const isKnown = (term: string, prefix = false) => knownStmt.get(ftsString(term, prefix)) !== undefined;

  /** Terms starting with `prefix`, or null when the time ran out before they were all read. */
  function range(prefix: string, deadline: number): VocabRow[] | null {
    const t = now();
    const current = stamp();
    if (current !== cacheStamp) {
      cache.clear();
      cachedTerms = 0;
      cacheStamp = current;
    }
    const hit = cache.get(prefix);
    if (hit && t - hit.at < RANGE_CACHE_MS) return hit.rows;
    const rows: VocabRow[] = [];
    for (const row of rangeStmt.iterate(prefix, `${prefix}\uffff`)) {
      rows.push(row);
      if (rows.length % 256 === 0 && now() > deadline) return null;
    }
    if (cachedTerms + rows.length > RANGE_CACHE_MAX_TERMS) {
      cache.clear();
      cachedTerms = 0;
    }
    cache.set(prefix, { rows, at: t });
    cachedTerms += rows.length;
    return rows;
  }

  function candidatesFor(word: string, deadline = now() + TIME_BUDGET_MS): Candidate[] {
    const budget = typoBudget(word.length);
    if (budget === 0 || /^\p{N}+$/u.test(word)) return [];
    const found = new Map<string, Candidate>();
    for (const tier of candidateRanges(word)) {
      for (const prefix of tier) {
        if (now() > deadline) break;
        for (const row of range(prefix, deadline) ?? []) {
          if (found.has(row.term) || Math.abs(row.term.length - word.length) > budget) continue;
          const distance = editDistance(word, row.term, budget);
          // Offered as written: `c#` rather than the index's `csharp` (the same query).
          if (distance <= budget && distance > 0) found.set(row.term, { term: writtenTerm(row.term), distance, doc: row.doc });
        }
      }
      if (found.size > 0) break;
    }
    return [...found.values()].sort((x, y) => x.distance - y.distance || y.doc - x.doc || (x.term < y.term ? -1 : 1)).slice(0, PER_WORD);
  }

  /**
   * Query rewrites that find something, best first. `finds` runs a rewritten query; `filters` offers
   * what a tag or person filter that finds nothing alone may have meant.
   */
  function suggest(query: ParsedQuery, finds: (q: string) => boolean, filters?: FilterAlternatives): string[] {
    const words = new Map<string, Misspelt>();
    /** The word still being typed (a search as you type): misspelt only when no indexed word starts with it. */
    const unfinished = new Set<string>();
    for (const clause of query.clauses) {
      for (const atom of clause.atoms) {
        if (atom.type !== 'text' || atom.negated) continue;
        atom.tokens.forEach((token, i) => {
          const last = i === atom.tokens.length - 1;
          if (atom.prefix && !atom.implicitPrefix && last) return; // a typed prefix is not a misspelling
          if (atom.implicitPrefix && last) unfinished.add(token.term);
          const entry = words.get(token.term) ?? { term: token.term, spans: [], candidates: [] };
          entry.spans.push({ start: token.start, end: token.end });
          words.set(token.term, entry);
        });
      }
    }
    const deadline = now() + TIME_BUDGET_MS;
    const misspelt: Misspelt[] = [];
    for (const w of words.values()) {
      if (misspelt.length >= MAX_WORDS) break;
      if (isKnown(w.term, unfinished.has(w.term))) continue;
      w.candidates = candidatesFor(w.term, deadline);
      if (w.candidates.length > 0) misspelt.push(w);
    }
    // A tag or person filter that finds nothing on its own: the tags and people it may have meant.
    if (filters) {
      for (const clause of query.clauses) {
        for (const atom of clause.atoms) {
          if (misspelt.length >= MAX_WORDS || now() > deadline) break;
          if (atom.type !== 'filter' || atom.negated || (atom.filter.key !== 'tag' && atom.filter.key !== 'person')) continue;
          const typed = query.source.slice(atom.start, atom.end);
          if (finds(typed)) continue;
          const candidates = filters(atom)
            .filter((c) => c.term !== typed)
            .slice(0, PER_WORD)
            .map((c) => ({ ...c, end: c.tag === undefined ? undefined : typedOnTo(query.source, atom.start, atom.end, c.tag) }));
          if (candidates.length > 0) misspelt.push({ term: typed, spans: [{ start: atom.start, end: atom.end }], candidates });
        }
      }
    }
    if (misspelt.length === 0) return [];

    // Combinations of candidates, fewest edits first, then the most common words.
    let combos: Candidate[][] = [[]];
    for (const w of misspelt) combos = combos.flatMap((combo) => w.candidates.map((c) => [...combo, c]));
    const cost = (combo: Candidate[]) => combo.reduce((s, c) => s + c.distance, 0);
    const popularity = (combo: Candidate[]) => combo.reduce((s, c) => s + Math.log1p(c.doc), 0);
    combos.sort((x, y) => cost(x) - cost(y) || popularity(y) - popularity(x));

    const out: string[] = [];
    for (const combo of combos.slice(0, MAX_TRIES)) {
      const edits = misspelt.flatMap((w, i) => w.spans.map((span) => ({ start: span.start, end: combo[i]!.end ?? span.end, text: combo[i]!.term })));
      edits.sort((x, y) => y.start - x.start);
      // A filter that took in the words after it may cover a word corrected on its own: not both.
      if (edits.some((e, k) => k > 0 && e.end > edits[k - 1]!.start)) continue;
      let rewritten = query.source;
      for (const e of edits) rewritten = rewritten.slice(0, e.start) + e.text + rewritten.slice(e.end);
      rewritten = rewritten.trim();
      if (!out.includes(rewritten) && finds(rewritten)) out.push(rewritten);
      if (out.length >= MAX_SUGGESTIONS) break;
    }
    return out;
  }

  return { suggest, candidatesFor, isKnown };
}

/**
 * `#working out loud` typed without quotes is the tag `working` and two words. When the tag a
 * suggestion names is the typed tag followed by the words typed after it, the suggestion replaces
 * them too (`#"working out loud"`, not `#"working out loud" out loud`): where that text ends, else
 * undefined.
 */
export function typedOnTo(source: string, start: number, end: number, tag: string): number | undefined {
  const words = tag.split(/\s+/).filter(Boolean);
  if (words.length < 2) return undefined;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(?:#|tag:)${escaped.join('\\s+')}(?=\\s|$)`, 'iuy');
  re.lastIndex = start;
  const m = re.exec(source);
  return m && start + m[0].length > end ? start + m[0].length : undefined;
}
