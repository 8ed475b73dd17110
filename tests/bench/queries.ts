/**
 * The fixed query set: drawn deterministically from the corpus's own vocabulary (the README text pool
 * and the fixed tag/people lists), so every query means something in the journal. The same seed and
 * text pool give the same queries at every N, so latencies are comparable across sizes.
 *
 * Each query carries its form in Outloud's query language (`q`, run through `search.query`) and in
 * plain FTS5 syntax with the filters dropped (`bare`, run on the baseline table).
 */
import { mulberry32, pick, PEOPLE, TAG_VOCABULARY, type Rng, type TextPool, words } from './corpus.ts';
import { siteOf } from '../../shared/domain/url.ts';

export type QueryCategory =
  | 'term'
  | 'rare-term'
  | 'two-terms'
  | 'three-terms'
  | 'prefix'
  | 'phrase'
  | 'or'
  | 'not'
  | 'kind'
  | 'tag'
  | 'date'
  | 'site'
  | 'person'
  | 'is';

export interface BenchQuery {
  category: QueryCategory;
  /** Outloud's query language. */
  q: string;
  /** FTS5 MATCH expression for the bare baseline (filters dropped). */
  bare: string;
}

const fts = (w: string) => `"${w.replace(/"/g, '""')}"`;

/** Words of a paragraph in order, as raw tokens (used for phrases). */
function rawTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const isPlainWord = (w: string) => /^[a-z]{3,}$/.test(w);

export function buildQueries(pool: TextPool, seed = 7): BenchQuery[] {
  const rng: Rng = mulberry32(seed);
  // Document frequency over the text pool: the corpus is made of these paragraphs, so the bands carry over.
  const df = new Map<string, number>();
  const paraWords: string[][] = [];
  for (const p of pool.paragraphs) {
    const ws = [...new Set(words(p))].filter(isPlainWord);
    paraWords.push(ws);
    for (const w of ws) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const byDf = [...df.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const common = byDf.slice(20, 300);
  const medium = byDf.slice(300, 3000);
  const rare = byDf.filter((w) => df.get(w) === 2 || df.get(w) === 3).filter((w) => w.length >= 5);

  const out: BenchQuery[] = [];
  const seen = new Set<string>();
  const add = (category: QueryCategory, q: string, bare: string) => {
    if (seen.has(q)) return false;
    seen.add(q);
    out.push({ category, q, bare });
    return true;
  };
  const repeat = (count: number, make: () => boolean) => {
    let made = 0;
    for (let guard = 0; made < count && guard < count * 50; guard++) if (make()) made++;
  };
  /** Two distinct words from one paragraph, so an AND of them finds something. */
  const cooccurring = (k: number): string[] | null => {
    const ws = pick(rng, paraWords).filter((w) => df.get(w)! >= 3);
    if (ws.length < k) return null;
    const chosen = new Set<string>();
    while (chosen.size < k) chosen.add(pick(rng, ws));
    return [...chosen];
  };
  const anyTerm = () => (rng() < 0.5 ? pick(rng, common) : pick(rng, medium));

  repeat(40, () => {
    const w = anyTerm();
    return add('term', w, fts(w));
  });
  repeat(15, () => {
    const w = pick(rng, rare);
    return add('rare-term', w, fts(w));
  });
  repeat(30, () => {
    const ws = cooccurring(2);
    return ws ? add('two-terms', ws.join(' '), ws.map(fts).join(' ')) : false;
  });
  repeat(10, () => {
    const ws = cooccurring(3);
    return ws ? add('three-terms', ws.join(' '), ws.map(fts).join(' ')) : false;
  });
  repeat(25, () => {
    const w = pick(rng, medium).slice(0, 3 + Math.floor(rng() * 3));
    return w.length >= 3 ? add('prefix', `${w}*`, `${fts(w)}*`) : false;
  });
  repeat(25, () => {
    const toks = rawTokens(pick(rng, pool.paragraphs));
    const len = rng() < 0.6 ? 2 : 3;
    if (toks.length < len + 1) return false;
    const start = Math.floor(rng() * (toks.length - len));
    const phrase = toks.slice(start, start + len);
    if (!phrase.every((t) => /^[a-z]+$/.test(t)) || !isPlainWord(phrase[0]!) || !isPlainWord(phrase.at(-1)!)) return false;
    const text = phrase.join(' ');
    return add('phrase', `"${text}"`, fts(text));
  });
  repeat(10, () => {
    const a = pick(rng, medium);
    const b = pick(rng, medium);
    return a !== b ? add('or', `${a} OR ${b}`, `${fts(a)} OR ${fts(b)}`) : false;
  });
  repeat(10, () => {
    const ws = cooccurring(2);
    return ws ? add('not', `${ws[0]} -${ws[1]}`, `${fts(ws[0]!)} NOT ${fts(ws[1]!)}`) : false;
  });
  const kinds = ['note', 'bookmark', 'question', 'person'] as const;
  repeat(12, () => {
    const kind = kinds[out.filter((q) => q.category === 'kind').length % kinds.length]!;
    const w = kind === 'person' ? pick(rng, pick(rng, PEOPLE).topics).split(' ')[0]! : anyTerm();
    return add('kind', `kind:${kind} ${w}`, fts(w));
  });
  repeat(12, () => {
    const tag = TAG_VOCABULARY[Math.floor(Math.pow(rng(), 1.5) * TAG_VOCABULARY.length)]!;
    const w = anyTerm();
    return add('tag', rng() < 0.7 ? `#${tag} ${w}` : `${w} tag:${tag}`, fts(w));
  });
  repeat(12, () => {
    const y = 2020 + Math.floor(rng() * 6);
    const m = String(1 + Math.floor(rng() * 12)).padStart(2, '0');
    const w = anyTerm();
    const form = rng();
    const q = form < 0.4 ? `${w} after:${y}-${m}-01` : form < 0.8 ? `${w} before:${y}-${m}-15` : `${w} after:${y}-01-01 before:${y}-12-31`;
    return add('date', q, fts(w));
  });
  // Sites ranked by how many bookmarked URLs they have.
  const siteCount = new Map<string, number>();
  for (const u of pool.urls) {
    const s = siteOf(u);
    if (s) siteCount.set(s, (siteCount.get(s) ?? 0) + 1);
  }
  const sites = [...siteCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 15).map(([s]) => s);
  repeat(12, () => {
    const site = pick(rng, sites);
    const w = pick(rng, common);
    return add('site', `site:${site} ${w}`, fts(w));
  });
  repeat(12, () => {
    const person = PEOPLE[Math.floor(Math.pow(rng(), 2.2) * PEOPLE.length)]!;
    const w = pick(rng, common);
    return add('person', rng() < 0.5 ? `@${person.handle} ${w}` : `@[${person.name}] ${w}`, fts(w));
  });
  repeat(10, () => {
    const status = pick(rng, ['open', 'answered', 'closed'] as const);
    const w = anyTerm();
    return add('is', `is:${status} ${w}`, fts(w));
  });
  return out;
}
