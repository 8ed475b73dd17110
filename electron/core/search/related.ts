/**
 * `related(text)`: the FTS5 expression that finds the entries most related to a draft.
 *
 * The draft's significant terms are ORed and bm25 ranks the matches (title and tags weigh more, as in
 * search). Significant means: not a stopword, 3+ characters, not a number, present in the index, and
 * not very common (in at most 20% of entries once the journal has 20 or more). They are taken by
 * highest tf x idf, at most 12, and only while their postings add up to `POSTINGS_BUDGET`: ranking
 * an OR reads every posting of every term (an OR with three terms found in ~5% of 100k entries each
 * took ~100 ms; rare terms are also the telling ones). The draft's #tags are searched in the tags
 * column and its @mentions in the people column, so entries sharing them rank high.
 *
 * Document frequencies come from `entries_vocab`, which reads a term's postings to count them, so
 * they are cached for a few minutes; the number of entries for idf is estimated by the largest rowid
 * (no count of the table). Both only steer which terms are kept; ranking uses the live index.
 */
import type { Db } from '../db/connection.ts';
import { PERSON_BY_KEY_SQL } from '../db/entries.repo.ts';
import { parseText, personKey } from '../../../shared/domain/text.ts';
import { ftsString, hasTokens, isCjkCharacter, STOPWORDS, tokenize } from './text-tokens.ts';
import type { HighlightPhrase } from './highlight.ts';

// Addresses are not words about anything (`https`, `www`, `com`).
const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
const MAX_TERMS = 12;
/** A draft is read up to this many characters: its start says what it is about. */
const TEXT_MAX = 20_000;
export const POSTINGS_BUDGET = 5_000;
/**
 * Candidate words read from a draft, most frequent in it first. Their rarity in the journal is read
 * from the index (cached), up to `DF_READ_BUDGET` postings a draft: a long draft's telling words
 * (`sqlite` once in five lines) are not crowded out by its long common ones before their rarity is
 * known (with 40 candidates they were), and a draft of common words still costs a bounded read.
 */
const MAX_CANDIDATES = 150;
const DF_READ_BUDGET = 200_000;
const MAX_TAGS = 8;
const MAX_MENTIONS = 8;
const COMMON_SHARE = 0.2;
const CACHE_MS = 5 * 60_000;
const CACHE_MAX = 5_000;

export interface DraftTerm {
  term: string;
  tf: number;
}

/**
 * Candidate words of a draft with their frequency in it, most frequent (then longest) first. In
 * Chinese, Japanese and Korean, where each character is a token, the candidates are the pairs of
 * characters next to each other (most words there are two characters), searched as phrases.
 */
export function draftTerms(text: string): DraftTerm[] {
  const plain = text.replace(URL_RE, ' ');
  const tf = new Map<string, number>();
  let previous: { term: string; end: number } | null = null;
  for (const { term, start, end } of tokenize(plain)) {
    const cjk = isCjkCharacter(term);
    const pair = cjk && previous && previous.end === start ? previous.term + term : null;
    previous = cjk ? { term, end } : null;
    const candidate = pair ?? term;
    if (pair === null && (cjk || term.length < 3 || STOPWORDS.has(term) || /^\p{N}+$/u.test(term))) continue;
    tf.set(candidate, (tf.get(candidate) ?? 0) + 1);
  }
  return [...tf]
    .map(([term, n]) => ({ term, tf: n }))
    .sort((a, b) => b.tf - a.tf || b.term.length - a.term.length)
    .slice(0, MAX_CANDIDATES);
}

export function createRelatedTerms(db: Db, now: () => number = Date.now) {
  const dfStmt = db.prepare<[string], { doc: number }>('SELECT doc FROM entries_vocab WHERE term = ?');
  // A pair of characters is a phrase, not a term of the vocabulary: its entries are counted, up to the budget.
  const phraseDfStmt = db.prepare<[string, number], { doc: number }>('SELECT count(*) AS doc FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)');
  const sizeStmt = db.prepare<[], { n: number | null }>('SELECT max(rowid) AS n FROM entries');
  // The name of the live person a mention means (`@AnneJansen` is Anne Jansen), as a save links it.
  const personNameStmt = db.prepare<[string], { title: string }>(`SELECT title FROM entries WHERE rowid = (${PERSON_BY_KEY_SQL})`);
  /** What a draft's mention is searched by in the people column: the person's name when it means one. */
  const mentionName = (mention: string) => {
    const key = personKey(mention);
    return (key && (personNameStmt.get(key)?.title ?? personNameStmt.get(key.replace(/ /g, ''))?.title)) || mention;
  };
  const dfCache = new Map<string, { doc: number; at: number }>();

  /** The term's document frequency, or undefined when reading it would go past `budget.left`. */
  function docFrequency(term: string, budget: { left: number }): number | undefined {
    const t = now();
    const cached = dfCache.get(term);
    if (cached && t - cached.at < CACHE_MS) return cached.doc;
    if (budget.left <= 0) return undefined;
    if (dfCache.size >= CACHE_MAX) dfCache.clear();
    const doc = (isCjkCharacter(String.fromCodePoint(term.codePointAt(0) ?? 0)) ? phraseDfStmt.get(ftsString(term), POSTINGS_BUDGET + 1)?.doc : dfStmt.get(term)?.doc) ?? 0;
    // A word in no entry is looked up again next time (it costs one lookup): the note being written
    // about a new subject may be saved in a moment, and the next draft should find it.
    if (doc > 0) dfCache.set(term, { doc, at: t });
    budget.left -= doc;
    return doc;
  }

  /** The OR expression for a draft and the words it looks for, or null when it has nothing to search by. */
  function matchFor(fullText: string): { match: string; phrases: HighlightPhrase[] } | null {
    const text = fullText.length > TEXT_MAX ? fullText.slice(0, TEXT_MAX) : fullText;
    const parsed = parseText(text);
    const n = Math.max(1, sizeStmt.get()?.n ?? 0);
    const budget = { left: DF_READ_BUDGET };
    const ranked = draftTerms(text)
      .map((d) => ({ ...d, df: docFrequency(d.term, budget) ?? 0 }))
      .filter((d) => d.df > 0 && (n < 20 || d.df / n <= COMMON_SHARE))
      .map((d) => ({ term: d.term, df: d.df, weight: d.tf * Math.log(1 + n / d.df) }))
      .sort((a, b) => b.weight - a.weight);
    const terms: typeof ranked = [];
    let postings = 0;
    for (const t of ranked) {
      if (terms.length >= MAX_TERMS) break;
      if (postings + t.df > POSTINGS_BUDGET) continue;
      postings += t.df;
      terms.push(t);
    }
    const tags = parsed.tags.filter(hasTokens).slice(0, MAX_TAGS);
    const mentions = [...new Set(parsed.mentions.filter(hasTokens).slice(0, MAX_MENTIONS).map(mentionName))];
    const parts = [
      ...terms.map((t) => ftsString(t.term)),
      ...tags.map((tag) => `tags : ${ftsString(tag)}`),
      ...mentions.map((name) => `people : ${ftsString(name)}`),
    ];
    if (parts.length === 0) return null;
    const phrases: HighlightPhrase[] = [
      ...terms.map((t) => ({ terms: tokenize(t.term).map((k) => k.term), prefix: false })),
      ...[...tags, ...mentions].map((text) => ({ terms: tokenize(text).map((t) => t.term), prefix: false })),
    ];
    return { match: parts.join(' OR '), phrases };
  }

  return { matchFor };
}
