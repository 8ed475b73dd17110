/** Input schemas for the API contract. Every front door parses input with these before a service sees it. */
import { z } from 'zod';
import { ENTRY_KINDS, QUESTION_STATUSES } from '../domain/entry.ts';
import { daysInMonth, DATE_FORMS_HINT, readDateWords } from '../domain/dates.ts';

export const LIMITS = {
  title: 1_000,
  body: 500_000,
  tag: 64,
  tags: 100,
  shortText: 2_000,
  query: 10_000,
  url: 8_192,
  /** A bookmark's host, as stored (a DNS name is at most 253 characters). */
  site: 500,
  list: 200,
} as const;

// NUL is never valid text; other C0 controls are allowed only in Markdown bodies (tab, newline, CR).
const NUL_RE = /\u0000/;
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** 500000 -> "500,000". Not toLocaleString: its first call loads ICU, ~20 ms of every cold start. */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * A schema built when it is first used, not when its module loads. Building every schema here took
 * ~10 ms (zod v4 sets up each instance and, the first time, each class), paid by every cold start of
 * the CLI and of the core worker, which then validate one method's input. Each export stays a real
 * zod schema to its users: the proxy hands every access to the schema, built on the first one.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const schema = () => (built ??= build());
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => Reflect.get(schema(), key),
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      // A proxy may not report a property its (empty) target lacks as non-configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}

const noNul = (s: string) => !NUL_RE.test(s);
const noControl = (s: string) => !CONTROL_RE.test(s);

/**
 * Whether `s` is text: no lone surrogate (half of a UTF-16 pair without the other half). SQLite stores
 * text as UTF-8, where such a half cannot be written: it would be saved as U+FFFD, silently.
 * (isWellFormed answers at once for a string of Latin-1 characters only, the common case.)
 */
export const isWellFormedText = (s: string): boolean => s.isWellFormed();
const loneSurrogate = (what: string) => `${what} contains a lone surrogate (not valid text)`;

function lineText(max: number, what: string) {
  return z
    .string()
    .max(max, `${what} is too long (limit ${grouped(max)} characters)`)
    .refine(noControl, `${what} contains control characters`)
    .refine(isWellFormedText, loneSurrogate(what));
}

export const Id = lazySchema(() => z.string().min(1, 'id is empty').max(64, 'id is too long').regex(/^[A-Za-z0-9_-]+$/, 'id has invalid characters'));
export const Title = lazySchema(() => lineText(LIMITS.title, 'Title'));
export const Body = lazySchema(() =>
  z
    .string()
    .max(LIMITS.body, `Body is too long (limit ${grouped(LIMITS.body)} characters)`)
    .refine(noNul, 'Body contains a NUL character')
    .refine(isWellFormedText, loneSurrogate('Body')),
);
export const Tag = lazySchema(() => lineText(LIMITS.tag, 'Tag').refine((t) => t.replace(/^#+/, '').trim().length > 0, 'Tag is empty'));
export const Tags = lazySchema(() => z.array(Tag).max(LIMITS.tags, `At most ${LIMITS.tags} tags`));
export const ShortText = lazySchema(() => lineText(LIMITS.shortText, 'Text'));
export const Kind = lazySchema(() => z.enum(ENTRY_KINDS));
export const QuestionStatus = lazySchema(() => z.enum(QUESTION_STATUSES));
/** Epoch milliseconds within a sane range (year 1970..9999). */
export const Timestamp = lazySchema(() => z.number().int().min(0).max(253_402_300_799_000));
// YYYY-MM-DD, optionally a time HH:MM[:SS[.fff]] and a zone (Z, +HH:MM or +HHMM).
const DATE_TEXT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * Whether `s` is a date bound as written: a date as people write it (shared/domain/dates.ts), or a
 * date-time, every part in range. Not Date.parse alone: it takes 2023-11-31 for December 1st. Years
 * before 1000 are refused, as search's `after:` does: the local-day reading of a bound
 * (`new Date(y, m, d)`) takes years 0..99 for 1900..1999.
 */
function isDateText(s: string): boolean {
  if (readDateWords(s)) return true;
  const m = DATE_TEXT_RE.exec(s);
  if (!m || m[4] === undefined) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  // Hours 00..23 (not 24:00), minutes and seconds 00..59; an offset up to 23:59.
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return !Number.isNaN(Date.parse(s));
}

/** A filter bound: a date as people write it (`2014-05-01`, `2014-05`, `today`, `3d`...) or a date-time. */
export const DateText = lazySchema(() => z.string().max(40).refine(isDateText, `not a valid date (use ${DATE_FORMS_HINT})`));
export const Source = lazySchema(() =>
  z
    .string()
    .max(64)
    .regex(/^(typed|capture|cli|api|mention|import:[a-z0-9-]+)$/, 'unknown source'),
);

export const BookmarkInput = lazySchema(() =>
  z.object({
    url: z.string().max(LIMITS.url, 'URL is too long').refine(isWellFormedText, loneSurrogate('URL')),
    excerpt: ShortText.optional(),
  }),
);
export const PersonInput = lazySchema(() =>
  z.object({
    name: lineText(200, 'Name').refine((s) => s.trim().length > 0, 'Name is empty'),
    aliases: z.array(lineText(200, 'Alias')).max(50, 'At most 50 other names').optional(),
    role: ShortText.optional(),
    organisation: ShortText.optional(),
    contacts: z.array(ShortText).max(50, 'At most 50 contacts').optional(),
    topics: z.array(lineText(200, 'Topic')).max(100, 'At most 100 topics').optional(),
    recommendedBy: lineText(200, 'Recommended by').optional(),
  }),
);
export const QuestionInput = lazySchema(() =>
  z.object({
    status: QuestionStatus.optional(),
    askedBy: lineText(200, 'Asked by').optional(),
    answer: Body.optional(),
  }),
);

export const EntryCreateInput = lazySchema(() =>
  z
    .object({
      kind: Kind.default('note'),
      title: Title.optional(),
      body: Body.default(''),
      tags: Tags.optional(),
      source: Source.optional(),
      sourceRef: ShortText.optional(),
      createdAt: Timestamp.optional(),
      bookmark: BookmarkInput.optional(),
      person: PersonInput.optional(),
      /**
       * A person whose name or alias is already a live person's: add them all the same (two people who
       * share a name). Without it, that is refused (CONFLICT), most likely the same person twice.
       */
      allowSameName: z.boolean().optional(),
      question: QuestionInput.optional(),
      /** The question this entry answers (an `answer-of` link to it): an open question becomes answered. */
      answerOf: Id.optional(),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.kind === 'question' && v.answerOf !== undefined) ctx.addIssue({ code: 'custom', path: ['answerOf'], message: 'a question cannot be the answer to a question' });
      if (v.kind === 'bookmark' && !v.bookmark) ctx.addIssue({ code: 'custom', path: ['bookmark'], message: 'a bookmark needs a url' });
      if (v.kind === 'person' && !v.person) ctx.addIssue({ code: 'custom', path: ['person'], message: 'a person needs a name' });
      if (v.kind === 'note' && !v.body.trim() && !v.title?.trim()) ctx.addIssue({ code: 'custom', path: ['body'], message: 'a note needs some text' });
      if (v.kind === 'question' && !v.body.trim() && !v.title?.trim()) ctx.addIssue({ code: 'custom', path: ['body'], message: 'a question needs some text' });
    }),
);

export const EntryUpdateInput = lazySchema(() =>
  z
    .object({
      id: Id,
      title: Title.optional(),
      body: Body.optional(),
      tags: Tags.optional(),
      bookmark: BookmarkInput.partial().optional(),
      person: PersonInput.partial().optional(),
      question: QuestionInput.optional(),
      /** A person renamed to a name or alias another live person has: go ahead (see EntryCreateInput). */
      allowSameName: z.boolean().optional(),
      /** The question this entry answers (see EntryCreateInput), or null: it answers none. */
      answerOf: Id.nullable().optional(),
      /** Optimistic concurrency: refuse the edit if the entry changed since. */
      expectedUpdatedAt: Timestamp.optional(),
    })
    .strict(),
);

export const IdInput = lazySchema(() => z.object({ id: Id }).strict());

export const EntryListInput = lazySchema(() =>
  z
    .object({
      kind: Kind.optional(),
      tag: Tag.optional(),
      since: DateText.optional(),
      until: DateText.optional(),
      status: QuestionStatus.optional(),
      site: z.string().max(253, 'Too long for a host name (at most 253 characters)').optional(),
      trashed: z.boolean().optional(),
      cursor: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(LIMITS.list).default(50),
      /**
       * `newest` (the default): newest first (in the trash, most recently deleted first). `name`: by
       * title, A to Z (letters compared without case, as SQLite's NOCASE does), as People lists them.
       */
      order: z.enum(ENTRY_LIST_ORDERS).optional(),
    })
    .strict(),
);

/** How entries.list may order a page. */
export const ENTRY_LIST_ORDERS = ['newest', 'name'] as const;

/** What entries.facets counts live entries by: a question's status, a bookmark's site, an entry's tags. */
export const FACET_FIELDS = ['status', 'site', 'tag'] as const;

/** Facet values said back at most (the most common first); `distinct` still counts them all. */
export const FACETS_MAX = 1_000;

export const EntryFacetsInput = lazySchema(() =>
  z
    .object({
      /** Only entries of this kind; without it, every kind (only tags are on more than one). */
      kind: Kind.optional(),
      by: z.enum(FACET_FIELDS),
      /** Only the entries with this tag (the bookmarks of #reading: their sites, their other tags). */
      tag: Tag.optional(),
      limit: z.number().int().min(1).max(FACETS_MAX).default(200),
    })
    .strict(),
);

/**
 * entries.emptyTrash: what the person was shown and agreed to delete. `deletedUpTo`: only entries
 * moved to the trash at or before this time (the `deletedAt` of the newest entry they saw there), so
 * one trashed while they read the question stays. `expectedCount`: how many they were told would go;
 * when more than that are in the trash up to `deletedUpTo` (one trashed since by a clock behind, or
 * an import dated ahead), nothing is deleted (CONFLICT).
 */
export const EmptyTrashInput = lazySchema(() =>
  z
    .object({
      deletedUpTo: Timestamp,
      expectedCount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    })
    .strict(),
);

export const RevisionRestoreInput = lazySchema(() => z.object({ id: Id, revisionId: z.number().int().positive() }).strict());

/**
 * An IANA time zone name (`Europe/Amsterdam`) or offset (`+05:30`). Its shape only: a zone newer than
 * this runtime's time zone data is read as the core's own zone rather than failing the search.
 */
const TimeZone = lazySchema(() =>
  z
    .string()
    .max(64, 'timeZone is too long')
    .regex(/^(?:[A-Za-z][A-Za-z0-9_+\-]*(?:\/[A-Za-z0-9_+\-]+)*|[+-]\d{2}:?\d{2})$/, 'timeZone is not a time zone name (an IANA name such as Europe/Amsterdam)'),
);

export const SearchQueryInput = lazySchema(() =>
  z
    .object({
      q: z.string().max(LIMITS.query, `Query is too long (limit ${grouped(LIMITS.query)} characters)`),
      limit: z.number().int().min(1).max(LIMITS.list).default(20),
      offset: z.number().int().min(0).max(10_000).default(0),
      /** The user is still typing: the last word, if not followed by a space, also matches as a prefix. */
      asYouType: z.boolean().default(false),
      /**
       * A quick answer for a keystroke: the newest matches of words alone, or, with filters, the first
       * page ranked among the most recently added entries only (the result says so in `provisional`).
       */
      quick: z.boolean().default(false),
      /**
       * The user's time zone (IANA, `Europe/Amsterdam`), where `after:`/`before:` days begin: a browser
       * in browser mode may be in another zone than the core. Unset: the core's own.
       */
      timeZone: TimeZone.optional(),
    })
    .strict(),
);

export const RelatedInput = lazySchema(() =>
  z
    .object({
      text: z.string().max(LIMITS.body),
      excludeId: Id.optional(),
      limit: z.number().int().min(1).max(50).default(5),
    })
    .strict(),
);

export const FuzzyInput = lazySchema(() =>
  z
    .object({ q: z.string().max(200), limit: z.number().int().min(1).max(50).default(8) })
    .strict(),
);

export const WhoKnowsInput = lazySchema(() =>
  z
    .object({ topic: z.string().min(1, 'topic is empty').max(200), limit: z.number().int().min(1).max(50).default(10) })
    .strict(),
);

export const ExportInput = lazySchema(() => z.object({}).strict());
export const ImportJsonInput = lazySchema(() => z.object({ data: z.unknown() }).strict());
export const EmptyInput = lazySchema(() => z.object({}).strict());
