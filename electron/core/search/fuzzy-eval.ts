/**
 * Measuring fuzzy lookup: deterministic one-typo and prefix queries over a list of labels, and the
 * share of queries that find their intended label in the top k. Used by `fuzzy.test.ts` and the
 * benchmark, so both report the same numbers.
 */
import { fuzzyLookup, type FuzzyIndex, type LookupOptions } from './fuzzy.ts';

export interface EvalQuery {
  query: string;
  /** The label the query is meant to find. */
  label: string;
}

/** A small deterministic PRNG (LCG), so the same seed gives the same queries everywhere. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 1) / 0x80000000;
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One random edit (substitute, delete, insert, swap neighbours) in a word. */
export function oneTypo(word: string, random: () => number): string {
  const i = Math.floor(random() * word.length);
  const c = LETTERS[Math.floor(random() * LETTERS.length)]!;
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, i) + c + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + c + word.slice(i);
    default:
      return i < word.length - 1 ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word.slice(0, i) + c;
  }
}

/** Each label with one typo in one of its words of 4+ ASCII letters (labels without one are skipped). */
export function oneTypoQueries(labels: readonly string[], seed = 42): EvalQuery[] {
  const random = seededRandom(seed);
  const out: EvalQuery[] = [];
  for (const label of labels) {
    const words = label.split(/\s+/);
    const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Za-z]{4,}$/.test(w));
    if (candidates.length === 0) continue;
    const [word, at] = candidates[Math.floor(random() * candidates.length)]!;
    const typo = oneTypo(word, random);
    if (typo.toLowerCase() === word.toLowerCase()) continue;
    out.push({ query: words.map((w, i) => (i === at ? typo : w)).join(' '), label });
  }
  return out;
}

/** The first 60% of each label (at least 3 characters), as typed into a picker. */
export function prefixQueries(labels: readonly string[]): EvalQuery[] {
  return labels.map((label) => ({ query: label.slice(0, Math.max(3, Math.ceil(label.length * 0.6))), label }));
}

export interface HitRate {
  queries: number;
  hits: number;
  rate: number;
  /** Lookup times in milliseconds, sorted. */
  times: number[];
}

/** Share of queries whose intended label (compared case-insensitively) is in the top `k`. */
export function hitRate(index: FuzzyIndex, queries: readonly EvalQuery[], k = 5, strategy: LookupOptions['strategy'] = 'combined'): HitRate {
  let hits = 0;
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    const found = fuzzyLookup(index, q.query, { limit: k, strategy });
    times.push(performance.now() - start);
    const want = q.label.toLowerCase();
    if (found.some((f) => f.item.label.toLowerCase() === want)) hits++;
  }
  times.sort((a, b) => a - b);
  return { queries: queries.length, hits, rate: queries.length ? hits / queries.length : 0, times };
}
