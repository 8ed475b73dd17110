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
  total: number;
  /** "Did you mean" rewrites of the query, when it found nothing. */
  suggestions: string[];
  /** The filters that were understood, for display as chips. */
  filters: SearchFilterChip[];
}

export interface SearchFilterChip {
  key: string;
  value: string;
  negated: boolean;
}

export interface FuzzyMatch {
  ref: EntryRef;
  label: string;
  score: number;
}

export interface WhoKnowsResult {
  person: EntryRef;
  score: number;
  /** Topics from the person's profile that matched. */
  profileTopics: string[];
  /** Entries that mention the person and are about the topic. */
  evidence: EntryRef[];
}
