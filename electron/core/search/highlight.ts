/**
 * Stage 3 of search: what a result shows of the query — its title with the matched words marked, and
 * a snippet of its text around the best cluster of matches — as segments (data, never HTML).
 *
 * Computed here from the page's own rows rather than with FTS5's highlight()/snippet(): those run
 * inside the ranking statement, where SQLite's bounded sort evaluates them for every row that enters
 * its heap (about k·ln(n/k) rows, not k), which measured 4-5 ms per query for common words at 100,000
 * entries; marking 20 rows here costs well under a millisecond, whatever the number of matches.
 *
 * Words are compared in the index's folded form (`text-tokens.ts`, the same tokenizer the parser used
 * for the query), so "jose" marks "José". A phrase (or a quoted string of several words) is marked
 * only where its words follow each other; a prefix query marks every word that starts with it.
 * Excluded words (`-word`) are never marked.
 */
import type { SnippetSegment } from '../../../shared/domain/search.ts';
import type { ParsedQuery } from './query-parser.ts';
import { isCjkCharacter, tokenize, type TextToken } from './text-tokens.ts';

/** Words to mark: one word, or several in a row; the last one may be a prefix. */
export interface HighlightPhrase {
  terms: readonly string[];
  prefix: boolean;
}

/** Snippet length, in words (as FTS5's snippet() was asked for). */
export const SNIPPET_WORDS = 16;
/**
 * The most characters a snippet shows: its words may be very long (a pasted blob, a long address).
 * Past it, the snippet is cut in characters, `SNIPPET_LEAD_CHARS` before its first match.
 */
export const SNIPPET_MAX_CHARS = 320;
const SNIPPET_LEAD_CHARS = 80;
/** How much of a text is searched for the snippet's matches, in characters. */
export const SNIPPET_SCAN_CHARS = 50_000;
/** Windows tried for the snippet: one per match, up to this many. */
const MAX_WINDOWS = 200;

/** The positive words, phrases and prefixes of a parsed query. */
export function queryPhrases(parsed: ParsedQuery): HighlightPhrase[] {
  const out: HighlightPhrase[] = [];
  for (const clause of parsed.clauses) {
    for (const atom of clause.atoms) {
      if (atom.type !== 'text' || atom.negated || atom.tokens.length === 0) continue;
      out.push({ terms: atom.tokens.map((t) => t.term), prefix: atom.prefix });
    }
  }
  return out;
}

function matchesAt(tokens: readonly TextToken[], i: number, phrase: HighlightPhrase): boolean {
  const n = phrase.terms.length;
  if (i + n > tokens.length) return false;
  for (let k = 0; k < n; k++) {
    const term = tokens[i + k]!.term;
    const want = phrase.terms[k]!;
    if (k === n - 1 && phrase.prefix ? !term.startsWith(want) : term !== want) return false;
  }
  return true;
}

interface Hit {
  /** Token index range [from, to] of the match. */
  from: number;
  to: number;
  phrase: number;
}

function findHits(tokens: readonly TextToken[], phrases: readonly HighlightPhrase[]): Hit[] {
  const hits: Hit[] = [];
  if (phrases.length === 0) return hits;
  for (let i = 0; i < tokens.length; i++) {
    phrases.forEach((p, k) => {
      if (matchesAt(tokens, i, p)) hits.push({ from: i, to: i + p.terms.length - 1, phrase: k });
    });
  }
  return hits;
}

/** Text from `start` to `end` (character offsets) as segments, with the hits inside marked. */
function segments(text: string, tokens: readonly TextToken[], hits: readonly Hit[], start: number, end: number): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  const push = (piece: string, match: boolean) => {
    if (!piece) return;
    const last = out.at(-1);
    if (last && last.match === match) last.text += piece;
    else out.push({ text: piece, match });
  };
  let at = start;
  // Hits in order, overlapping ones merged.
  const ranges = hits
    .map((h) => [tokens[h.from]!.start, tokens[h.to]!.end] as const)
    .filter(([s, e]) => s >= start && e <= end)
    .sort((a, b) => a[0] - b[0]);
  for (const [s, e] of ranges) {
    if (e <= at) continue;
    push(text.slice(at, Math.max(at, s)), false);
    push(text.slice(Math.max(at, s), e), true);
    at = e;
  }
  push(text.slice(at, end), false);
  return out;
}

/** Whitespace runs become one space, without moving any match boundary. */
function flatten(segs: SnippetSegment[]): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  for (const s of segs) {
    const text = s.text.replace(/\s+/g, ' ');
    if (text) out.push({ text, match: s.match });
  }
  const first = out[0];
  if (first && !first.match) first.text = first.text.trimStart();
  const last = out.at(-1);
  if (last && !last.match) last.text = last.text.trimEnd();
  return out.filter((s) => s.text);
}

export interface Highlighter {
  /** The whole text, matches marked (for titles). */
  mark(text: string): SnippetSegment[];
  /**
   * About `SNIPPET_WORDS` words (at most `SNIPPET_MAX_CHARS` characters) around the best cluster of
   * matches, `…` where text was left out. `shortened`: the text given is the start of a longer one.
   */
  snippet(text: string, shortened?: boolean): SnippetSegment[];
}

export function createHighlighter(phrases: readonly HighlightPhrase[]): Highlighter {
  return {
    mark(text) {
      if (!text) return [];
      const tokens = tokenize(text);
      return segments(text, tokens, findHits(tokens, phrases), 0, text.length);
    },
    snippet(full, shortened = false) {
      // A very long text is searched for the snippet in its first part only.
      const text = full.length > SNIPPET_SCAN_CHARS ? full.slice(0, SNIPPET_SCAN_CHARS) : full;
      const cut = shortened || text !== full;
      const tokens = tokenize(text);
      if (tokens.length === 0) return flatten([{ text, match: false }]);
      const hits = findHits(tokens, phrases);
      // In Chinese or Japanese each character is a token: a snippet of them takes three per word.
      const words = mostlyOneCharacter(tokens) ? SNIPPET_WORDS * 3 : SNIPPET_WORDS;
      let from = 0;
      if (tokens.length > words && hits.length > 0) {
        // The window with the most different phrases, then the most matches, then the earliest; it
        // starts a little before its first match so the match has some context.
        let best = { score: -1, from: 0 };
        let first = 0;
        for (const h of hits.slice(0, MAX_WINDOWS)) {
          const start = Math.max(0, Math.min(h.from - words / 8, tokens.length - words));
          while (hits[first]!.from < start) first++;
          const seen = new Set<number>();
          let count = 0;
          for (let j = first; j < hits.length && hits[j]!.from < start + words; j++) {
            if (hits[j]!.to >= start + words) continue;
            seen.add(hits[j]!.phrase);
            count++;
          }
          const score = seen.size * 1000 + count;
          if (score > best.score) best = { score, from: start };
        }
        from = best.from;
      }
      const to = Math.min(tokens.length, from + words) - 1;
      let start = from === 0 ? 0 : tokens[from]!.start;
      let end = to === tokens.length - 1 && !cut ? text.length : tokens[to]!.end;
      const wordsEnd = end;
      if (end - start > SNIPPET_MAX_CHARS) {
        const hit = hits.find((h) => tokens[h.from]!.start >= start && tokens[h.to]!.end <= end);
        const anchor = hit ? tokens[hit.from]!.start : start;
        start = Math.max(start, Math.min(anchor - SNIPPET_LEAD_CHARS, end - SNIPPET_MAX_CHARS));
        end = Math.min(end, start + SNIPPET_MAX_CHARS);
        // Never half a character.
        if (isLowSurrogate(text.charCodeAt(start))) start++;
        if (isLowSurrogate(text.charCodeAt(end))) end--;
      }
      const segs = flatten(segments(text, tokens, hits, start, end));
      if (start > 0) segs.unshift({ text: '…', match: false });
      if (end < wordsEnd || to < tokens.length - 1 || cut) segs.push({ text: '…', match: false });
      // Neighbouring plain pieces (the ellipses) merge into one segment.
      return segs.reduce<SnippetSegment[]>((acc, s) => {
        const last = acc.at(-1);
        if (last && !last.match && !s.match) last.text += s.text;
        else acc.push({ ...s });
        return acc;
      }, []);
    },
  };
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when most of the first tokens are single Chinese, Japanese or Korean characters (text-tokens.ts). */
function mostlyOneCharacter(tokens: readonly TextToken[]): boolean {
  const sample = Math.min(tokens.length, 64);
  let single = 0;
  for (let i = 0; i < sample; i++) if (isCjkCharacter(tokens[i]!.term)) single++;
  return single * 2 > sample;
}

/** Text without marks, as segments. */
export function plainSegments(text: string): SnippetSegment[] {
  return text ? [{ text, match: false }] : [];
}

/** The first words of a text, for results that have no matched range (filter-only queries). */
export function leadText(text: string, maxChars = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
