/**
 * "Who knows about X?" — people ranked by their profile topics and by co-occurrence with the topic.
 *
 * Scoring (higher is better):
 *   score = 3 x profile + co-occurrence (+ 1 x own-page weight when the profile did not match)
 * - profile: how well the best of the person's profile topics matches the topic's words (folded):
 *   1 the same words, 0.75 the profile topic contains every word of the topic ("working out loud"
 *   for "loud"), 0.5 the topic contains every word of the profile topic ("social networks" for
 *   "enterprise social networks"). A match that needs a typo (one letter in a word of 6+ letters,
 *   never a digit: python2 is not python3) counts FUZZY_WEIGHT of that, less than any exact match,
 *   so the person who wrote the topic as asked comes first. A profile match counts as much as three
 *   strongly matching entries: it is the person's own statement.
 * - co-occurrence: the entries about the topic (the topic is run as a search query, so `#tag`,
 *   `kind:` and the rest work too; the best 500 matches) that mention the person. Each adds its
 *   relevance relative to the best match (bm25 / best bm25, in (0, 1]; 1 each when the topic is only
 *   filters). The sum is scaled by 0.75 + 0.25 x specificity, where specificity is the share of the
 *   person's mentions that are about the topic, so a specialist edges out someone mentioned everywhere.
 * - own page: the person's own entry matches the topic (role, organisation, notes) without a profile
 *   topic matching.
 * Evidence: up to 5 mentioning entries, most relevant first.
 */
import { editDistance } from './edit-distance.ts';
import type { ParsedQuery } from './query-parser.ts';
import type { PersonRecord } from './directories.ts';
import { tokenize, writtenTerm } from './text-tokens.ts';

export const PROFILE_WEIGHT = 3;
export const OWN_PAGE_WEIGHT = 1;
/** What a profile match that needs a typo counts, relative to the same match without: below 0.5, the weakest exact one. */
export const FUZZY_WEIGHT = 0.4;
const MAX_EVIDENCE = 5;

export interface WhoKnowsInputs {
  /** The topic, parsed as a search query. */
  parsed: ParsedQuery;
  /** Entries matching the topic, best first (rank: bm25, lower is better). */
  entries: ReadonlyArray<{ rowid: number; rank: number }>;
  /** `mentions` links from those entries. */
  mentions: ReadonlyArray<{ entry: number; person: number }>;
  /** Live people by id. */
  people: ReadonlyMap<string, PersonRecord>;
  /** True when `entries` are ranked by relevance (words), false when only filtered. */
  ranked: boolean;
}

export interface WhoKnowsScore {
  person: PersonRecord;
  score: number;
  profileTopics: string[];
  /** Rowids of evidence entries, most relevant first. */
  evidence: number[];
}

/** A word's digits, in order: "topic10" → "10". */
const digitsOf = (word: string) => word.replace(/\P{Nd}/gu, '');

/**
 * The same word, or (with `typos`) one letter off in a word of 6+ letters, never in its digits, and
 * never a language named by a letter and symbols: C# and F# (`csharp`, `fsharp`) are one letter apart.
 */
function sameWord(a: string, b: string, typos: boolean): boolean {
  if (a === b) return true;
  if (!typos || a.length < 6 || b.length < 6 || digitsOf(a) !== digitsOf(b)) return false;
  return writtenTerm(a) === a && writtenTerm(b) === b && editDistance(a, b, 1) <= 1;
}

const containsAll = (haystack: readonly string[], needles: readonly string[], typos: boolean) =>
  needles.every((n) => haystack.some((h) => sameWord(h, n, typos)));

function wordsMatch(topicWords: readonly string[], words: readonly string[], typos: boolean): number {
  if (words.length === 0 || topicWords.length === 0) return 0;
  if (words.length === topicWords.length && words.every((w, i) => sameWord(w, topicWords[i]!, typos))) return 1;
  if (containsAll(words, topicWords, typos)) return 0.75;
  if (containsAll(topicWords, words, typos)) return 0.5;
  return 0;
}

/**
 * A word of a topic as written: its folded term, and any `+` and `#` right after it. C++ and C# are
 * terms of their own (`cplusplus`, `csharp`: text-tokens.ts); other symbols still make another word
 * (`c+` is not C).
 */
const wordAt = (text: string, t: { term: string; end: number }) => t.term + (/^[+#]+/.exec(text.slice(t.end, t.end + 8))?.[0] ?? '');
const wordsOfTopic = (text: string) => tokenize(text).map((t) => wordAt(text, t));

/** How well one profile topic matches the topic's words (0 = not at all), a typo tolerated. */
export function topicMatch(topicWords: readonly string[], profileTopic: string): number {
  return wordsMatch(topicWords, wordsOfTopic(profileTopic), true);
}

/** What one profile topic adds to the score: its exact match, or FUZZY_WEIGHT of the match a typo makes. */
export function profileMatch(topicWords: readonly string[], profileTopic: string): number {
  const words = wordsOfTopic(profileTopic);
  const exact = wordsMatch(topicWords, words, false);
  return exact === 1 ? 1 : Math.max(exact, FUZZY_WEIGHT * wordsMatch(topicWords, words, true));
}

/** The words a topic is about: its positive words and its tags. */
function topicWordsOf(parsed: ParsedQuery): string[] {
  const words: string[] = [];
  for (const atom of parsed.clauses.flatMap((c) => c.atoms)) {
    if (atom.negated) continue;
    if (atom.type === 'text') words.push(...atom.tokens.map((t) => wordAt(parsed.source, t)));
    else if (atom.filter.key === 'tag') words.push(...wordsOfTopic(atom.filter.tag));
  }
  return [...new Set(words)];
}

export function scoreWhoKnows(input: WhoKnowsInputs): WhoKnowsScore[] {
  const topicWords = topicWordsOf(input.parsed);
  const byRowid = new Map<number, PersonRecord>();
  for (const p of input.people.values()) byRowid.set(p.rowid, p);

  const best = input.entries[0]?.rank ?? 0;
  const weight = new Map<number, number>();
  for (const e of input.entries) weight.set(e.rowid, input.ranked && best < 0 ? Math.min(1, Math.max(0, e.rank / best)) : 1);

  const cooccurring = new Map<number, number[]>();
  for (const m of input.mentions) {
    if (!byRowid.has(m.person) || m.person === m.entry) continue;
    const list = cooccurring.get(m.person) ?? [];
    list.push(m.entry);
    cooccurring.set(m.person, list);
  }

  const out: WhoKnowsScore[] = [];
  for (const person of input.people.values()) {
    const matches = person.topics.map((t) => ({ t, s: profileMatch(topicWords, t) })).filter((m) => m.s > 0);
    matches.sort((a, b) => b.s - a.s);
    const profile = matches[0]?.s ?? 0;
    const entries = (cooccurring.get(person.rowid) ?? []).sort((a, b) => weight.get(b)! - weight.get(a)! || b - a);
    const sum = entries.reduce((s, e) => s + weight.get(e)!, 0);
    const specificity = person.mentions > 0 ? Math.min(1, entries.length / person.mentions) : 1;
    const own = profile === 0 ? (weight.get(person.rowid) ?? 0) : 0;
    const score = PROFILE_WEIGHT * profile + sum * (0.75 + 0.25 * specificity) + OWN_PAGE_WEIGHT * own;
    if (score <= 0) continue;
    out.push({ person, score, profileTopics: matches.map((m) => m.t), evidence: entries.slice(0, MAX_EVIDENCE) });
  }
  return out.sort((a, b) => b.score - a.score || b.evidence.length - a.evidence.length || a.person.name.localeCompare(b.person.name));
}
