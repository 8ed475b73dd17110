import type { Entry, EntryRef } from './entry.ts';

/**
 * A piece of snippet text. `match: true` marks a range the query matched.
 * Snippets are data, never HTML, so every front end renders them safely.
 */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

export interface SearchHit {
  entry: Entry;
  score: number;
  titleSegments: SnippetSegment[];
  snippet: SnippetSegment[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** Number of matches, counted up to a cap (1,000); see `totalCapped`. */
  total: number;
  /**
   * True when there are at least `total` matches: counting stopped at the cap (1,000), or, for filters
   * tested against each match, after looking at the first 5,000 matches.
   */
  totalCapped?: boolean;
  /** "Did you mean" rewrites of the query, when it found nothing. */
  suggestions: string[];
  /** The filters that were understood, for display as chips. */
  filters: SearchFilterChip[];
  /**
   * Set on quick answers (`quick`) that are not yet the ranking; asking again without `quick` ranks
   * every match (`total` always counts them all):
   * - `{ order: 'newest' }` (words alone): the newest matches, newest first. Ranking reads every
   *   posting of every word, which for a common word or a short prefix takes longer than a keystroke;
   * - `{ order: 'rank', within: N }` (words with filters): ranked among the N most recently added
   *   entries only.
   */
  provisional?: { order: 'newest' } | { order: 'rank'; within: number };
}

export interface SearchFilterChip {
  key: string;
  value: string;
  negated: boolean;
  /**
   * Where the filter was typed, one span per time it was: UTF-16 offsets into the query that was
   * searched (`q`), from the `-` or the `NOT ` that negated it to its end, and the text found there
   * (`q.slice(start, end)`), so a front end can tell whether its query is still that one. Taking the
   * chip out of the query is cutting them.
   */
  spans?: Array<{ start: number; end: number; text: string }>;
}

export interface FuzzyMatch {
  /**
   * The person, or the entry with the title (its most recently added); for a tag, a pseudo ref:
   * `{id: tag, kind: 'note', title: '#tag'}` (not an entry id).
   */
  ref: EntryRef;
  /** What a picker shows: a person's name (with the alias that matched, if any), or `#tag`. */
  label: string;
  score: number;
  /** The tag itself (tags.find only). */
  tag?: string;
  /** Live entries with the tag (tags.find) or the title (titles.find), or entries mentioning the person (people.find). */
  count?: number;
}

export interface WhoKnowsResult {
  person: EntryRef;
  score: number;
  /** Topics from the person's profile that matched. */
  profileTopics: string[];
  /** Entries that mention the person and are about the topic. */
  evidence: EntryRef[];
}
