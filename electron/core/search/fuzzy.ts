/**
 * Fuzzy lookup of short labels (people by name and aliases, tags, titles) for pickers.
 *
 * Three steps:
 * 1. Expand each query word into indexed words: itself if indexed; for the last word (the one being
 *    typed) the words it starts (`w*`, by binary search in the sorted vocabulary); for a word the index
 *    does not know, the words within one edit (`w~1`: lunr's token-set automata, the vocabulary as a
 *    minimal automaton intersected with the query word's edit automaton; words over 16 letters are
 *    compared one by one with the words sharing their first three letters, up to two edits).
 * 2. Candidates from an inverted index (word -> items), each expansion weighted by its kind and its
 *    rarity, words processed rarest first; very common words are skipped once candidates exist.
 * 3. Re-ranking of the best candidates by a word-level score (exact > prefix > one typo > two typos >
 *    typo in a word being typed), coverage of the name, and a small popularity prior. When nothing
 *    convincing comes out (two typos in a short word, a typo in a word still being typed) and the index
 *    is small (a people or tag picker), every item is scored directly.
 *
 * Why not lunr's own `Index.query` for steps 2-3: its cost grows with the postings of every expanded
 * term, creating objects per document, and it ranks by tf-idf rather than by how a name was typed.
 * Measured on the 2-core dev machine (busy: load 3-10): on 2,642 README headings with one typo,
 * lunr's own ranking (same `w w* w~1` clauses, no stemmer) found 98.1% in the top 5, this module
 * 99.7-99.9% (lunr with its default pipeline was measured at 79% before: the stemmer compares a
 * typo'd word with stemmed terms). Latency on the 100k bench journal (tests/bench/fuzzy.bench.ts):
 * all 12,629 titles p95 1.3 ms, titles.find through the core 1.3-1.4 ms (lunr's `Index.query`: 38 ms),
 * 2,471 heading titles 0.5-0.6 ms, people.find 0.25-0.3 ms. `strategy: 'lunr'`
 * keeps lunr's ranking available for comparison. Words are our tokenizer's (letters, digits, marks),
 * so no lunr syntax character (`* ~ ^ : + -`) ever reaches lunr.
 */
import lunr from 'lunr';
import { editDistance, typoBudget } from './edit-distance.ts';
import { tokenize } from './text-tokens.ts';

export interface FuzzyItem {
  id: string;
  /** What the picker shows. */
  label: string;
  /** Texts the item is found by (a person's name and aliases; a tag; a title). */
  names: readonly string[];
  /** Non-negative popularity (uses, mentions); breaks near-ties. */
  prior?: number;
}

export interface FuzzyHit {
  item: FuzzyItem;
  score: number;
  /** Index in `item.names` of the name that matched best. */
  nameIndex: number;
}

export interface LookupOptions {
  limit?: number;
  /** Benchmark switch: `lunr` = lunr's own `Index.query` ranking; `combined` (default) = this module's. */
  strategy?: 'lunr' | 'combined';
}

interface IndexedItem {
  item: FuzzyItem;
  /** Folded words of each name (empty for a name without words). */
  nameTokens: string[][];
  /** All folded words, deduplicated. */
  words: string[];
  /** Changes when the indexed words change (not the label or prior, which are read at lookup). */
  signature: string;
}

export interface FuzzyIndex {
  readonly size: number;
  readonly items: ReadonlyMap<string, IndexedItem>;
  /** Item ids by ordinal (the postings hold ordinals: candidates are gathered in typed arrays). */
  readonly ids: readonly string[];
  /** Word -> ordinals of the items holding it. */
  readonly postings: ReadonlyMap<string, Int32Array>;
  /** By ordinal: 1 / sqrt(the item's word count), the candidates' length normalisation. */
  readonly norm: Float64Array;
  /** Every indexed word, sorted, and as a lunr automaton. */
  readonly sortedWords: readonly string[];
  readonly tokenSet: lunr.TokenSet;
  /** Scratch space for `candidates`, one slot per item (lookups never run interleaved). */
  readonly scratch: { acc: Float64Array; best: Float64Array };
}

// @types/lunr declares the TokenSet factories as instance methods; they are static.
const TokenSet = lunr.TokenSet as unknown as {
  fromArray(words: string[]): lunr.TokenSet;
  fromFuzzyString(word: string, editDistance: number): lunr.TokenSet;
};

const CANDIDATES = 100;
/** Below this best score the candidates are deemed poor and, in a small index, every item is scored. */
const FALLBACK_BELOW = 0.7;
/** Indexes up to this size are scanned whole when the candidates are poor. */
const FALLBACK_SCAN_MAX = 10_000;
const MAX_QUERY_WORDS = 8;
const MAX_EXPANSIONS = 64;
/** Words compared one by one for a typo in a word of 17+ letters. */
const LONG_WORD_SCAN = 2_000;
/**
 * A query word whose expansions hold more items than this is skipped once candidates exist: its
 * postings would be most of the lookup's time and bring little (the re-ranking still scores it). On
 * the 12,629 titles of the 100k bench journal, 4,000 -> 1,000 took the lookup p95 from 1.63 to 1.13 ms
 * (median of 5 runs per query) with the same one-typo top-5 hit rate, 99.8%.
 */
const COMMON_POSTINGS = 1_000;
const OVERLAY_MAX = 64;

function indexItem(item: FuzzyItem): IndexedItem | null {
  const nameTokens = item.names.map((n) => tokenize(n).map((t) => t.term));
  const words = [...new Set(nameTokens.flat())];
  if (words.length === 0) return null;
  return { item, nameTokens, words, signature: item.names.join('\u0000') };
}

function buildFrom(indexed: Map<string, IndexedItem>): FuzzyIndex {
  const lists = new Map<string, number[]>();
  const ids: string[] = [];
  const norm = new Float64Array(indexed.size);
  for (const [id, it] of indexed) {
    const ordinal = ids.push(id) - 1;
    norm[ordinal] = 1 / Math.sqrt(it.words.length);
    for (const w of it.words) {
      const list = lists.get(w);
      if (list) list.push(ordinal);
      else lists.set(w, [ordinal]);
    }
  }
  const postings = new Map<string, Int32Array>();
  for (const [w, list] of lists) postings.set(w, Int32Array.from(list));
  const sortedWords = [...postings.keys()].sort();
  const scratch = { acc: new Float64Array(ids.length), best: new Float64Array(ids.length) };
  return { size: indexed.size, items: indexed, ids, postings, norm, sortedWords, tokenSet: TokenSet.fromArray(sortedWords), scratch };
}

export function buildFuzzyIndex(items: readonly FuzzyItem[]): FuzzyIndex {
  const indexed = new Map<string, IndexedItem>();
  for (const item of items) {
    const it = indexItem(item);
    if (it) indexed.set(item.id, it);
  }
  return buildFrom(indexed);
}

export function typedPrefixTypo(q: string, w: string): boolean {
  for (const len of [q.length, q.length + 1, q.length - 1]) {
    if (len < w.length && editDistance(q, w.slice(0, len), 1) <= 1) return true;
  }
  return false;
}

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

/**
 * False when one edit cannot turn `q` into `w` or into a start of `w`: within one edit, the first two
 * letters agree in place or swapped, or one of them does. A cheap test that spares most edit
 * distances (only for words of two letters or more whose first two are single code units).
 */
export function nearByOneEdit(q: string, w: string): boolean {
  if (q.length < 2 || w.length < 2) return true;
  const q0 = q.charCodeAt(0);
  const q1 = q.charCodeAt(1);
  const w0 = w.charCodeAt(0);
  const w1 = w.charCodeAt(1);
  if (isSurrogate(q0) || isSurrogate(q1) || isSurrogate(w0) || isSurrogate(w1)) return true;
  return q0 === w0 || q1 === w1 || q0 === w1 || q1 === w0;
}

/** Score of one query word against one word of a name: exact, prefix, one or two typos, or a typo in a word being typed. */
function pairScore(q: string, w: string, budget: number): number {
  if (w === q) return 1;
  if (w.startsWith(q)) return 0.8 + 0.1 * (q.length / w.length);
  if (budget === 0) return 0;
  const near = nearByOneEdit(q, w);
  if (budget === 1 && !near) return 0;
  const d = editDistance(q, w, budget);
  if (d <= budget) return d === 1 ? 0.75 : 0.6;
  // A typo in a word still being typed: compare with the word's start (one letter more or less).
  return near && q.length >= 3 && w.length > q.length && typedPrefixTypo(q, w) ? 0.55 : 0;
}

/**
 * Best score of one query word against one name's words. `seen` remembers the score of each word
 * for this query word during one lookup: candidate names share many words ("the", "module"), and
 * the edit distances were most of a lookup's time.
 */
function wordScore(q: string, words: readonly string[], seen: Map<string, number>): number {
  let best = 0;
  const budget = typoBudget(q.length);
  for (const w of words) {
    let s = seen.get(w);
    if (s === undefined) {
      s = pairScore(q, w, budget);
      seen.set(w, s);
    }
    if (s === 1) return 1;
    if (s > best) best = s;
  }
  return best;
}

/** Score of an item (0 = no word matched) and which of its names matched best. */
function scoreItem(queryWords: readonly string[], it: IndexedItem, seen: readonly Map<string, number>[]): { score: number; nameIndex: number } {
  let best = 0;
  let nameIndex = 0;
  it.nameTokens.forEach((words, i) => {
    if (words.length === 0) return;
    let sum = 0;
    let matched = 0;
    queryWords.forEach((q, k) => {
      const s = wordScore(q, words, seen[k]!);
      sum += s;
      if (s > 0) matched++;
    });
    if (matched === 0) return;
    // Mean word score, then a bonus for covering the whole name (shorter, closer names first).
    const score = sum / queryWords.length + 0.15 * Math.min(1, matched / words.length);
    if (score > best) {
      best = score;
      nameIndex = i;
    }
  });
  return { score: best === 0 ? 0 : best + 0.02 * Math.log1p(it.item.prior ?? 0), nameIndex };
}

/** Up to `max` indexed words starting with `prefix`, in order (a binary search in the sorted words). */
function wordsStarting(index: FuzzyIndex, prefix: string, max: number): string[] {
  const words = index.sortedWords;
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < words.length && words[i]!.startsWith(prefix) && out.length < max; i++) out.push(words[i]!);
  return out;
}

/** Indexed words starting with `prefix`, the most used first, at most `MAX_EXPANSIONS`. */
function prefixWords(index: FuzzyIndex, prefix: string): string[] {
  const out = wordsStarting(index, prefix, MAX_EXPANSIONS * 8);
  if (out.length <= MAX_EXPANSIONS) return out;
  return out.sort((a, b) => index.postings.get(b)!.length - index.postings.get(a)!.length).slice(0, MAX_EXPANSIONS);
}

/**
 * Indexed words within the typo budget of `word`: lunr's edit-distance automaton up to 16 letters;
 * for longer words (identifiers), whose automaton is costly, the words sharing the first three
 * letters, compared one by one.
 */
function fuzzyWords(index: FuzzyIndex, word: string): string[] {
  if (word.length < 3) return [];
  if (word.length <= 16) {
    // One edit: a second one multiplies the automaton's cost (lunr's own advice); two typos in one
    // word are left to the other words of the query and, in a small index, to the direct scan.
    return index.tokenSet.intersect(TokenSet.fromFuzzyString(word, 1)).toArray().slice(0, MAX_EXPANSIONS);
  }
  const out: string[] = [];
  for (const w of wordsStarting(index, word.slice(0, 3), LONG_WORD_SCAN)) {
    if (Math.abs(w.length - word.length) <= 2 && editDistance(word, w, 2) <= 2) out.push(w);
    if (out.length >= MAX_EXPANSIONS) break;
  }
  return out;
}

interface Expansion {
  word: string;
  weight: number;
}

function expand(index: FuzzyIndex, q: string, isLast: boolean): Expansion[] {
  const out = new Map<string, number>();
  const add = (word: string, weight: number) => out.set(word, Math.max(out.get(word) ?? 0, weight));
  if (index.postings.has(q)) add(q, 1);
  if (isLast) for (const w of prefixWords(index, q)) if (w !== q) add(w, 0.8);
  if (!index.postings.has(q)) for (const w of fuzzyWords(index, q)) add(w, 0.6);
  return [...out].map(([word, weight]) => ({ word, weight }));
}

/** Candidate ids by a cheap score: each query word's best expansion, weighted by rarity. */
function candidates(index: FuzzyIndex, queryWords: readonly string[], limit: number, usable: (id: string) => boolean): string[] {
  const perWord = queryWords.map((q, i) => {
    const expansions = expand(index, q, i === queryWords.length - 1);
    const postings = expansions.reduce((n, e) => n + index.postings.get(e.word)!.length, 0);
    return { expansions, postings };
  });
  perWord.sort((a, b) => a.postings - b.postings);
  // Weights are positive, so a slot above 0 has been touched; the touched lists keep the order in
  // which items were first met (the order ties are broken in) and say which slots to clear.
  const { acc, best } = index.scratch;
  const inAcc: number[] = [];
  for (const { expansions, postings } of perWord) {
    if (postings === 0 || (postings > COMMON_POSTINGS && inAcc.length > 0)) continue;
    const inBest: number[] = [];
    for (const e of expansions) {
      const list = index.postings.get(e.word)!;
      const weight = e.weight * Math.log(1 + index.size / list.length);
      for (const o of list) {
        const b = best[o]!;
        if (b === 0) inBest.push(o);
        if (b < weight) best[o] = weight;
      }
    }
    for (const o of inBest) {
      if (acc[o] === 0) inAcc.push(o);
      acc[o]! += best[o]!;
      best[o] = 0;
    }
  }
  // Shorter names first among equals: a query for a short name should not be crowded out by long
  // titles that merely contain its words. A common word can bring thousands of candidates: the best
  // `limit` are kept as they come (sorted, replacing the worst), instead of sorting them all.
  const top: Array<{ id: string; w: number }> = [];
  for (const o of inAcc) {
    const w = acc[o]! * index.norm[o]!;
    acc[o] = 0;
    if (top.length === limit && w <= top[limit - 1]!.w) continue;
    const id = index.ids[o]!;
    if (!usable(id)) continue;
    // Insertion by binary search; equal weights keep their order of arrival (as a stable sort would).
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (top[mid]!.w >= w) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, { id, w });
    if (top.length > limit) top.pop();
  }
  return top.map((t) => t.id);
}

function queryWordsOf(query: string): string[] {
  return [...new Set(tokenize(query).map((t) => t.term))].slice(0, MAX_QUERY_WORDS);
}

function rank(scored: Map<string, { it: IndexedItem; score: number; nameIndex: number }>, limit: number): FuzzyHit[] {
  return [...scored.values()]
    .map(({ it, score, nameIndex }) => ({ item: it.item, score, nameIndex }))
    .sort((a, b) => b.score - a.score || a.item.label.localeCompare(b.item.label))
    .slice(0, limit);
}

// lunr's own index, for the benchmark's comparison only (built on first use: ~80 µs per item).
const lunrIndexes = new WeakMap<FuzzyIndex, lunr.Index>();

function lunrLookup(index: FuzzyIndex, queryWords: readonly string[], limit: number): FuzzyHit[] {
  let li = lunrIndexes.get(index);
  if (!li) {
    li = lunr(function () {
      this.pipeline.reset();
      this.searchPipeline.reset();
      this.ref('id');
      this.field('words');
      for (const [id, it] of index.items) this.add({ id, words: it.words.join(' ') });
    });
    lunrIndexes.set(index, li);
  }
  const results = li.query((q) => {
    queryWords.forEach((w, i) => {
      q.term(w, { boost: 10, usePipeline: false });
      if (i === queryWords.length - 1) q.term(w, { boost: 4, usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
      if (w.length >= 3 && !index.postings.has(w)) q.term(w, { boost: 1, usePipeline: false, editDistance: 1 });
    });
  });
  return results.slice(0, limit).map((r) => ({ item: index.items.get(r.ref)!.item, score: r.score, nameIndex: 0 }));
}

/**
 * Looks up `query` in a built index. `overlay` items (added or changed since the build) are scored
 * directly; ids in `masked` are skipped.
 */
function lookupIn(
  index: FuzzyIndex,
  query: string,
  options: LookupOptions,
  overlay?: ReadonlyMap<string, IndexedItem>,
  masked?: ReadonlySet<string>,
): FuzzyHit[] {
  const limit = options.limit ?? 8;
  const queryWords = queryWordsOf(query);
  if (queryWords.length === 0) return [];
  if (options.strategy === 'lunr') return lunrLookup(index, queryWords, limit);
  const usable = (id: string) => !masked?.has(id);

  const scored = new Map<string, { it: IndexedItem; score: number; nameIndex: number }>();
  const seen = queryWords.map(() => new Map<string, number>());
  const consider = (id: string, it: IndexedItem) => {
    if (scored.has(id)) return;
    const s = scoreItem(queryWords, it, seen);
    if (s.score > 0) scored.set(id, { it, ...s });
  };
  for (const id of candidates(index, queryWords, CANDIDATES, usable)) consider(id, index.items.get(id)!);
  if (overlay) for (const [id, it] of overlay) consider(id, it);
  let best = 0;
  for (const v of scored.values()) if (v.score > best) best = v.score;
  if (best < FALLBACK_BELOW && index.size <= FALLBACK_SCAN_MAX) {
    for (const [id, it] of index.items) if (usable(id)) consider(id, it);
  }
  return rank(scored, limit);
}

export function fuzzyLookup(index: FuzzyIndex, query: string, options: LookupOptions = {}): FuzzyHit[] {
  return lookupIn(index, query, options);
}

/**
 * A fuzzy index kept in step with a changing list of items without rebuilding on every change.
 */
export class FuzzyCatalog {
  private index: FuzzyIndex = buildFuzzyIndex([]);
  /** Items added or changed since the index was built. */
  private overlay = new Map<string, IndexedItem>();
  /** Ids in the built index that were removed or changed since. */
  private masked = new Set<string>();
  private current = new Map<string, IndexedItem>();

  /** Brings the catalog up to date with `items` (the full current list). */
  sync(items: readonly FuzzyItem[]): void {
    const next = new Map<string, IndexedItem>();
    for (const item of items) {
      const it = indexItem(item);
      if (it) next.set(item.id, it);
    }
    const overlay = new Map<string, IndexedItem>();
    const masked = new Set<string>();
    for (const [id, it] of next) {
      const built = this.index.items.get(id);
      if (built?.signature === it.signature) {
        built.item = it.item; // label and prior may have changed; the indexed words have not
        continue;
      }
      overlay.set(id, it);
      if (built) masked.add(id);
    }
    for (const id of this.index.items.keys()) if (!next.has(id)) masked.add(id);
    this.current = next;
    if (overlay.size + masked.size > Math.max(OVERLAY_MAX, next.size / 10)) {
      // A copy: `current` changes with every apply(), and the built index must not change with it
      // (an item added after the build would look built and be missed; one removed would be reached).
      this.index = buildFrom(new Map(next));
      this.overlay = new Map();
      this.masked = new Set();
    } else {
      this.overlay = overlay;
      this.masked = masked;
    }
  }

  /**
   * Brings the catalog up to date with a few changes: `upserts` added or changed, `removed` (ids) gone.
   * The same result as `sync` with the full list so changed, without reading the items that did not
   * change.
   */
  apply(upserts: readonly FuzzyItem[], removed: readonly string[]): void {
    const drop = (id: string) => {
      this.current.delete(id);
      this.overlay.delete(id);
      if (this.index.items.has(id)) this.masked.add(id);
    };
    for (const id of removed) drop(id);
    for (const item of upserts) {
      const it = indexItem(item);
      if (!it) {
        drop(item.id);
        continue;
      }
      this.current.set(item.id, it);
      const built = this.index.items.get(item.id);
      if (built?.signature === it.signature) {
        built.item = it.item; // label and prior may have changed; the indexed words have not
        this.overlay.delete(item.id);
        this.masked.delete(item.id);
      } else {
        this.overlay.set(item.id, it);
        if (built) this.masked.add(item.id);
      }
    }
    if (this.overlay.size + this.masked.size > Math.max(OVERLAY_MAX, this.current.size / 10)) {
      this.index = buildFrom(new Map(this.current)); // a copy, as in sync()
      this.overlay = new Map();
      this.masked = new Set();
    }
  }

  get size(): number {
    return this.current.size;
  }

  /** All current items (for an empty query: the caller orders them). */
  items(): FuzzyItem[] {
    return [...this.current.values()].map((it) => it.item);
  }

  lookup(query: string, options: LookupOptions = {}): FuzzyHit[] {
    return lookupIn(this.index, query, { ...options, strategy: 'combined' }, this.overlay, this.masked);
  }
}
