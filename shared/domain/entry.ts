/** Domain types shared by every layer. Plain data: no DOM, no Node. */

export const ENTRY_KINDS = ['note', 'bookmark', 'person', 'question'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const QUESTION_STATUSES = ['open', 'answered', 'closed'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export const LINK_TYPES = ['mentions', 'answer-of', 'refers-to', 'recommended-by'] as const;

/** The latest time an entry may carry: the end of the year 9999 (UTC), in epoch milliseconds. */
export const LATEST_TIME = 253_402_300_799_000;

/** The most notes one bookmark keeps (the same address saved again adds one). */
export const MAX_BOOKMARK_NOTES = 1_000;
export type LinkType = (typeof LINK_TYPES)[number];

/** Where an entry came from. `import:*` sources carry the source's own id in `sourceRef`. */
export type EntrySource = 'typed' | 'capture' | 'cli' | 'api' | 'mention' | `import:${string}`;

export interface BookmarkFields {
  url: string;
  /** Normalised URL: the de-duplication key. */
  urlNormalized: string;
  site: string;
  excerpt: string;
  /** Every note given when the same URL was saved again. */
  notes: string[];
}

export interface PersonFields {
  name: string;
  aliases: string[];
  role: string;
  organisation: string;
  contacts: string[];
  topics: string[];
  recommendedBy: string;
}

export interface QuestionFields {
  status: QuestionStatus;
  askedBy: string;
  answer: string;
  closedAt: number | null;
}

interface EntryBase {
  id: string;
  title: string;
  /** Markdown source. */
  body: string;
  tags: string[];
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  source: EntrySource;
  sourceRef: string | null;
}

export type NoteEntry = EntryBase & { kind: 'note' };
export type BookmarkEntry = EntryBase & { kind: 'bookmark'; bookmark: BookmarkFields };
export type PersonEntry = EntryBase & { kind: 'person'; person: PersonFields };
export type QuestionEntry = EntryBase & { kind: 'question'; question: QuestionFields };
export type Entry = NoteEntry | BookmarkEntry | PersonEntry | QuestionEntry;

/** A compact reference to another entry, for link lists. */
export interface EntryRef {
  id: string;
  kind: EntryKind;
  title: string;
  deleted: boolean;
}

export interface EntryLink {
  type: LinkType;
  entry: EntryRef;
}

export interface EntryDetail {
  entry: Entry;
  /** Links from this entry to others. */
  links: EntryLink[];
  /** Links from other entries to this one. */
  backlinks: EntryLink[];
  revisionCount: number;
  /**
   * How many entries link here, by type, in the trash or not: `backlinks` holds the newest 500 of
   * them, so a person mentioned in 50,000 notes says so.
   */
  backlinkCounts: Partial<Record<LinkType, number>>;
  /**
   * When the text was last saved over an earlier version (the newest revision's `savedAt`), or null
   * when it never was. Not `updatedAt`, which a move to the trash and back also changes.
   */
  editedAt: number | null;
}

export interface Revision {
  id: number;
  entryId: string;
  /** When this version was replaced. */
  savedAt: number;
  title: string;
  body: string;
  tags: string[];
  /** Kind-specific fields as they were. */
  fields: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null at the end. */
  nextCursor: string | null;
}
