/**
 * Fuzzy lookups: the index of electron/core/search/fuzzy.ts built over the journal's titles and people,
 * queried with one-typo variants (deletion, insertion, substitution, transposition) and prefixes of
 * real README headings that are titles in the journal (hit = the intended title among the top 5);
 * and `people.find` through the core with one typo in a person's name.
 */
import type { Core } from '../../electron/core/core.ts';
import { buildFuzzyIndex, fuzzyLookup, type FuzzyIndex, type FuzzyItem } from '../../electron/core/search/fuzzy.ts';
import type { FuzzyMatch } from '../../shared/domain/search.ts';
import { mulberry32, shuffled, type Corpus, type Rng } from './corpus.ts';
import type { FuzzyBench, FuzzyBenchResult } from './core.bench.ts';
import { now, round, summarize } from './stats.ts';

export type TypoKind = 'deletion' | 'insertion' | 'substitution' | 'transposition';
export const TYPO_KINDS: readonly TypoKind[] = ['deletion', 'insertion', 'substitution', 'transposition'];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * One edit of `kind` in one word of 4+ ASCII letters of `text`, or null when the text has no such
 * word. The result always differs from the text, ignoring case.
 */
export function oneTypo(text: string, kind: TypoKind, rng: Rng): string | null {
  const wordsAt = [...text.matchAll(/[A-Za-z]{4,}/g)];
  if (wordsAt.length === 0) return null;
  for (let attempt = 0; attempt < 20; attempt++) {
    const m = wordsAt[Math.floor(rng() * wordsAt.length)]!;
    const word = m[0];
    const at = m.index;
    let typo: string;
    const pos = Math.floor(rng() * word.length);
    switch (kind) {
      case 'deletion':
        typo = word.slice(0, pos) + word.slice(pos + 1);
        break;
      case 'insertion': {
        const c = LETTERS[Math.floor(rng() * 26)]!;
        typo = word.slice(0, pos) + c + word.slice(pos);
        break;
      }
      case 'substitution': {
        let c = LETTERS[Math.floor(rng() * 26)]!;
        if (c === word[pos]!.toLowerCase()) c = LETTERS[(LETTERS.indexOf(c) + 1) % 26]!;
        typo = word.slice(0, pos) + c + word.slice(pos + 1);
        break;
      }
      case 'transposition': {
        const p = Math.min(pos, word.length - 2);
        typo = word.slice(0, p) + word[p + 1] + word[p] + word.slice(p + 2);
        break;
      }
    }
    const out = text.slice(0, at) + typo + text.slice(at + word.length);
    if (out.toLowerCase() !== text.toLowerCase()) return out;
  }
  return null;
}

/** The first 60% of a heading (at least 3 characters), as typed into a picker. */
export function prefixQuery(text: string): string {
  return text.slice(0, Math.max(3, Math.ceil(text.length * 0.6)));
}

interface TitleRow {
  title: string;
  uses: number;
}

interface PersonRow {
  id: string;
  title: string;
  fields: string;
}

interface Query {
  type: string;
  query: string;
  intended: string;
}

function measure(index: FuzzyIndex, kind: FuzzyBenchResult['index'], buildMs: number, headings: number, queries: Query[]): FuzzyBenchResult {
  // Warm-up (JIT), then one timed lookup per query.
  for (const q of queries.slice(0, 200)) fuzzyLookup(index, q.query, { limit: 5 });
  const latency: number[] = [];
  const byType = new Map<string, { hits: number; total: number; ms: number[] }>();
  const misses: FuzzyBenchResult['misses'] = [];
  let hits = 0;
  let typoHits = 0;
  let typoTotal = 0;
  for (const q of queries) {
    const t = now();
    const result = fuzzyLookup(index, q.query, { limit: 5 });
    const ms = now() - t;
    latency.push(ms);
    const hit = result.some((r) => r.item.id === q.intended);
    if (hit) hits++;
    else if (misses.length < 15) misses.push({ query: q.query, intended: q.intended.replace(/^\w+:/, ''), got: result.map((r) => r.item.label) });
    if (q.type !== 'prefix') {
      typoTotal++;
      if (hit) typoHits++;
    }
    const s = byType.get(q.type) ?? { hits: 0, total: 0, ms: [] };
    s.total++;
    if (hit) s.hits++;
    s.ms.push(ms);
    byType.set(q.type, s);
  }
  return {
    index: kind,
    items: index.size,
    buildMs: round(buildMs, 1),
    queries: queries.length,
    headings,
    hitRateTop5: round((100 * hits) / queries.length, 1),
    typoHitRateTop5: round((100 * typoHits) / Math.max(1, typoTotal), 1),
    byType: Object.fromEntries(
      [...byType.entries()].map(([k, s]) => [k, { queries: s.total, hitRateTop5: round((100 * s.hits) / s.total, 1), p95Ms: summarize(s.ms).p95 }]),
    ),
    latency: summarize(latency),
    misses,
  };
}

export async function benchFuzzy(core: Core, corpus: Corpus): Promise<FuzzyBench> {
  const titles = core.db
    .prepare<[], TitleRow>(
      `SELECT title, count(*) AS uses FROM entries
       WHERE deleted_at IS NULL AND kind <> 'person' AND title <> '' GROUP BY title`,
    )
    .all();
  const people = core.db.prepare<[], PersonRow>("SELECT id, title, fields FROM entries WHERE kind = 'person' AND deleted_at IS NULL").all();
  const personItems: FuzzyItem[] = people.map((p) => {
    const aliases = (JSON.parse(p.fields) as { aliases?: string[] }).aliases ?? [];
    return { id: `person:${p.id}`, label: p.title, names: [p.title, ...aliases], prior: 1 };
  });
  const titleItem = (t: TitleRow): FuzzyItem => ({ id: `title:${t.title}`, label: t.title, names: [t.title], prior: t.uses });

  // Real headings that are titles in this journal, with a word long enough to misspell.
  const titleSet = new Set(titles.map((t) => t.title));
  const headingSet = new Set(corpus.pool.headings);
  const rng = mulberry32(4242);
  const headings = shuffled(rng, corpus.pool.headings.filter((h) => titleSet.has(h) && /[A-Za-z]{4,}/.test(h))).slice(0, 400);
  const queries: Query[] = [];
  for (const h of headings) {
    for (const kind of TYPO_KINDS) {
      const q = oneTypo(h, kind, rng);
      if (q) queries.push({ type: kind, query: q, intended: `title:${h}` });
    }
    queries.push({ type: 'prefix', query: prefixQuery(h), intended: `title:${h}` });
  }

  // A picker over every title in the journal (first lines, bookmark addresses, headings) and people.
  let t = now();
  const all = buildFuzzyIndex([...titles.map(titleItem), ...personItems]);
  const allResult = measure(all, 'all-titles', now() - t, headings.length, queries);
  // Only the heading titles and people: the setting of the search module's own measurement.
  t = now();
  const some = buildFuzzyIndex([...titles.filter((x) => headingSet.has(x.title)).map(titleItem), ...personItems]);
  const headingResult = measure(some, 'heading-titles', now() - t, headings.length, queries);

  // people.find through the core: one typo in a person's name.
  const personQueries: Query[] = [];
  for (const p of people) {
    for (const kind of TYPO_KINDS) {
      const q = oneTypo(p.title, kind, rng);
      if (q) personQueries.push({ type: kind, query: q, intended: p.id });
    }
  }
  for (const q of personQueries.slice(0, 20)) await core.dispatch('people.find', { q: q.query, limit: 5 });
  const people5 = await top5Through(core, 'people.find', personQueries, (m, q) => m.ref.id === q.intended);
  // titles.find through the core: the same title queries (its index holds titles only, one per
  // distinct title; the first call builds it).
  t = now();
  await core.dispatch('titles.find', { q: 'warm', limit: 5 });
  const firstCallMs = now() - t;
  const titleHit = (m: FuzzyMatch, q: Query) => `title:${m.label}` === q.intended;
  const typos = await top5Through(core, 'titles.find', queries.filter((q) => q.type !== 'prefix'), titleHit);
  const prefixes = await top5Through(core, 'titles.find', queries.filter((q) => q.type === 'prefix'), titleHit);
  return {
    titles: allResult,
    headings: headingResult,
    people: { queries: personQueries.length, hitRateTop5: people5.hitRate, latency: summarize(people5.ms) },
    titlesFind: {
      items: titles.length,
      firstCallMs: round(firstCallMs, 1),
      queries: queries.length,
      hitRateTop5: typos.hitRate,
      prefixHitRateTop5: prefixes.hitRate,
      latency: summarize([...typos.ms, ...prefixes.ms]),
    },
  };
}

/** Each query through a fuzzy contract method (limit 5): its time, and the share whose intended item came back. */
async function top5Through(core: Core, method: 'people.find' | 'titles.find', queries: readonly Query[], isHit: (m: FuzzyMatch, q: Query) => boolean): Promise<{ ms: number[]; hitRate: number }> {
  const ms: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t0 = now();
    const r = await core.dispatch(method, { q: q.query, limit: 5 });
    ms.push(now() - t0);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
    if ((r.value as FuzzyMatch[]).some((m) => isHit(m, q))) hits++;
  }
  return { ms, hitRate: round((100 * hits) / Math.max(1, queries.length), 1) };
}
