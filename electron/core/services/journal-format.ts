/**
 * The zod schema of Outloud's JSON export, used to validate a file before anything is imported, and
 * a hand-written check of the same rules for the common case.
 *
 * The zod schemas are the definition. An import of 100,000 entries validates every entry twice (the
 * CLI checks the whole file before it writes, then `journal.import` checks each batch it is given),
 * and zod took 12 µs an entry, a third of the import's time budget; the checks below take about one.
 * They only ever accept what zod accepts, and return what zod would return (the same values, keys
 * in the same order); anything they do not accept outright (an unknown key, a value out of range) goes
 * to zod, which gives the answer and the error message. A property test holds them to that.
 *
 * A revision's `fields` are its entry's, so they are checked against the entry's kind, which the
 * revision does not say: for an entry in the same export here, for one already in the journal by the
 * importer that looks it up (parseRevisionFields).
 */
import { z } from 'zod';
import { Body, Id, isWellFormedText, lazySchema, LIMITS, Tags, Timestamp, Title } from '../../../shared/api/schemas.ts';
import {
  ENTRY_KINDS,
  LINK_TYPES,
  MAX_BOOKMARK_NOTES,
  QUESTION_STATUSES,
  type BookmarkFields,
  type Entry,
  type EntryKind,
  type LinkType,
  type PersonFields,
  type QuestionFields,
  type Revision,
} from '../../../shared/domain/entry.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type JournalExport } from '../../../shared/domain/journal.ts';

// Every string is stored as text (UTF-8 in SQLite), so none may hold a lone surrogate (see isWellFormedText).
const str = (max = 10_000) => z.string().max(max).refine(isWellFormedText, 'contains a lone surrogate (not valid text)');
const strList = lazySchema(() => z.array(str(2_000)).max(1_000));

const SOURCE_RE = /^(typed|capture|cli|api|mention|import:[a-z0-9-]+)$/;

// Each schema is built when first used (lazySchema): building them at load took ~5 ms of every start
// of the core (the app's, `outloud search`), which an import alone needs.
const base = () => ({
  id: Id,
  title: Title,
  body: Body,
  tags: Tags,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deletedAt: Timestamp.nullable(),
  source: str(64).regex(SOURCE_RE),
  sourceRef: str(2_000).nullable(),
});

/** The kind-specific fields of an entry of each kind (a note has none), as an entry and its revisions hold them. */
const KIND_FIELDS = {
  note: lazySchema(() => z.object({})),
  bookmark: lazySchema(() => z.object({ url: str(LIMITS.url), urlNormalized: str(LIMITS.url), site: str(LIMITS.site), excerpt: str(2_000), notes: z.array(Body).max(MAX_BOOKMARK_NOTES) })),
  person: lazySchema(() =>
    z.object({
    // As a save takes a name: some text, no control characters.
    name: str(200)
      .refine((n) => n.trim().length > 0, 'Name is empty')
      .refine((n) => !CONTROL_RE.test(n), 'Name contains control characters'),
    aliases: strList,
    role: str(2_000),
    organisation: str(2_000),
    contacts: strList,
    topics: strList,
    recommendedBy: str(200),
    }),
  ),
  question: lazySchema(() => z.object({ status: z.enum(QUESTION_STATUSES), askedBy: str(200), answer: Body, closedAt: Timestamp.nullable() })),
} as const satisfies Record<EntryKind, z.ZodType>;

export const ExportedEntry = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ ...base(), kind: z.literal('note') }),
    z.object({ ...base(), kind: z.literal('bookmark'), bookmark: KIND_FIELDS.bookmark }),
    z.object({ ...base(), kind: z.literal('person'), person: KIND_FIELDS.person }),
    z.object({ ...base(), kind: z.literal('question'), question: KIND_FIELDS.question }),
  ]),
);

/**
 * A revision on its own. Its `fields` are those of its entry's kind, which the revision does not say:
 * they are checked against it where the entry is known, by `revisionFieldsFor` (JournalExportSchema
 * does it for the entries of the same export).
 */
export const ExportedRevision = lazySchema(() =>
  z.object({
    id: z.number().int().positive(),
    entryId: Id,
    savedAt: Timestamp,
    title: Title,
    body: Body,
    tags: Tags,
    fields: z.record(z.string(), z.unknown()),
  }),
);

/**
 * The schema of a revision's `fields` for an entry of `kind`: the entry's own fields as they were
 * (what entries.repo's insertRevision copies), so restoring the revision gives a valid entry.
 */
export function revisionFieldsFor(kind: EntryKind): (typeof KIND_FIELDS)[EntryKind] {
  return KIND_FIELDS[kind];
}

export const ExportedLink = lazySchema(() => z.object({ from: Id, to: Id, type: z.enum(LINK_TYPES) }));

/** Entry id -> its kind, as the import writes it: the first entry with an id is the one kept. */
function kindsById(entries: readonly { id: string; kind: EntryKind }[]): Map<string, EntryKind> {
  const kinds = new Map<string, EntryKind>();
  for (const e of entries) if (!kinds.has(e.id)) kinds.set(e.id, e.kind);
  return kinds;
}

export const JournalExportSchema = lazySchema(() =>
  z
    .object({
      format: z.literal(EXPORT_FORMAT),
      version: z.literal(EXPORT_VERSION),
      exportedAt: Timestamp,
      entries: z.array(ExportedEntry),
      revisions: z.array(ExportedRevision),
      links: z.array(ExportedLink),
    })
    .transform((v, ctx) => {
      // The fields of each revision whose entry is in this export, as that entry's kind has them.
      if (v.revisions.length === 0) return v;
      const kinds = kindsById(v.entries);
      const revisions = v.revisions.map((r, i) => {
        const kind = kinds.get(r.entryId);
        if (kind === undefined) return r;
        const fields = revisionFieldsFor(kind).safeParse(r.fields);
        if (fields.success) return { ...r, fields: fields.data };
        for (const { path, message } of fields.error.issues) {
          ctx.issues.push({ code: 'custom', message, input: r.fields, path: ['revisions', i, 'fields', ...path] });
        }
        return r;
      });
      return { ...v, revisions };
    }),
);

export { ENTRY_KINDS };

// ---- the fast checks -------------------------------------------------------------------------------
// Each mirrors one zod schema above; `undefined` means "not accepted here, ask zod".

type Obj = Record<string, unknown>;

// The same rules as shared/api/schemas.ts (Title, Body, Tag, Id, Timestamp).
const NUL_RE = /\u0000/;
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const ID_RE = /^[A-Za-z0-9_-]+$/;
const LEADING_HASHES_RE = /^#+/;
const MAX_TIMESTAMP = 253_402_300_799_000;
const LINK_TYPE_SET: ReadonlySet<unknown> = new Set(LINK_TYPES);
const STATUS_SET: ReadonlySet<unknown> = new Set(QUESTION_STATUSES);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Exactly `n` keys: with every required key checked present, there is no unknown key to strip. */
function hasKeys(o: Obj, n: number): boolean {
  let count = 0;
  for (const _ in o) if (++count > n) return false;
  return count === n;
}
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && isWellFormedText(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_TIMESTAMP;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && ID_RE.test(v);
const isTitle = (v: unknown): v is string => isStr(v, 1_000) && !CONTROL_RE.test(v);
const isBody = (v: unknown): v is string => isStr(v, 500_000) && !NUL_RE.test(v);
const isTag = (v: unknown): v is string => isStr(v, 64) && !CONTROL_RE.test(v) && v.replace(LEADING_HASHES_RE, '').trim().length > 0;
const isShortListItem = (s: unknown) => isStr(s, 2_000);

function isList(v: unknown, maxItems: number, ok: (s: unknown) => boolean): v is string[] {
  if (!Array.isArray(v) || v.length > maxItems) return false;
  for (let i = 0; i < v.length; i++) if (!ok(v[i])) return false;
  return true;
}

function isBookmarkFields(b: unknown): b is BookmarkFields {
  return (
    isObj(b) &&
    hasKeys(b, 5) &&
    isStr(b.url, 8_192) &&
    isStr(b.urlNormalized, 8_192) &&
    isStr(b.site, 500) &&
    isStr(b.excerpt, 2_000) &&
    isList(b.notes, MAX_BOOKMARK_NOTES, isBody)
  );
}

function isPersonFields(p: unknown): p is PersonFields {
  return (
    isObj(p) &&
    hasKeys(p, 7) &&
    isStr(p.name, 200) &&
    p.name.trim().length > 0 &&
    !CONTROL_RE.test(p.name) &&
    isList(p.aliases, 1_000, isShortListItem) &&
    isStr(p.role, 2_000) &&
    isStr(p.organisation, 2_000) &&
    isList(p.contacts, 1_000, isShortListItem) &&
    isList(p.topics, 1_000, isShortListItem) &&
    isStr(p.recommendedBy, 200)
  );
}

function isQuestionFields(q: unknown): q is QuestionFields {
  return isObj(q) && hasKeys(q, 4) && STATUS_SET.has(q.status) && isStr(q.askedBy, 200) && isBody(q.answer) && (q.closedAt === null || isTime(q.closedAt));
}

/** Whether `ExportedEntry` accepts `v` as it is (no key to strip), decided quickly; false: ask zod. */
function isEntry(v: unknown): v is Entry {
  if (!isObj(v)) return false;
  const kind = v.kind;
  if (!hasKeys(v, kind === 'note' ? 10 : 11)) return false;
  if (!isId(v.id) || !isTitle(v.title) || !isBody(v.body) || !isList(v.tags, 100, isTag)) return false;
  if (!isTime(v.createdAt) || !isTime(v.updatedAt) || !(v.deletedAt === null || isTime(v.deletedAt))) return false;
  if (!isStr(v.source, 64) || !SOURCE_RE.test(v.source) || !(v.sourceRef === null || isStr(v.sourceRef, 2_000))) return false;
  switch (kind) {
    case 'note':
      return true;
    case 'bookmark':
      return isBookmarkFields(v.bookmark);
    case 'person':
      return isPersonFields(v.person);
    case 'question':
      return isQuestionFields(v.question);
    default:
      return false;
  }
}

/** `ExportedEntry.parse(v)` when that is quick to decide: a copy with zod's keys in zod's order. */
export function checkEntry(v: unknown): Entry | undefined {
  if (!isEntry(v)) return undefined;
  const common = {
    id: v.id,
    title: v.title,
    body: v.body,
    tags: v.tags.slice(),
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    deletedAt: v.deletedAt,
    source: v.source,
    sourceRef: v.sourceRef,
  };
  switch (v.kind) {
    case 'note':
      return { ...common, kind: v.kind };
    case 'bookmark':
      return { ...common, kind: v.kind, bookmark: copyBookmark(v.bookmark) };
    case 'person':
      return { ...common, kind: v.kind, person: copyPerson(v.person) };
    case 'question':
      return { ...common, kind: v.kind, question: copyQuestion(v.question) };
  }
}

// Copies of checked fields as zod gives them back: its keys, in its order, arrays copied.
const copyBookmark = ({ url, urlNormalized, site, excerpt, notes }: BookmarkFields) => ({ url, urlNormalized, site, excerpt, notes: notes.slice() });
const copyPerson = ({ name, aliases, role, organisation, contacts, topics, recommendedBy }: PersonFields) => ({
  name,
  aliases: aliases.slice(),
  role,
  organisation,
  contacts: contacts.slice(),
  topics: topics.slice(),
  recommendedBy,
});
const copyQuestion = ({ status, askedBy, answer, closedAt }: QuestionFields) => ({ status, askedBy, answer, closedAt });

/** `revisionFieldsFor(kind).parse(f)` when that is quick to decide; otherwise undefined. */
function checkFields(kind: EntryKind, f: unknown): Record<string, unknown> | undefined {
  switch (kind) {
    case 'note':
      return isObj(f) ? {} : undefined; // a note has no fields: zod strips whatever keys there are
    case 'bookmark':
      return isBookmarkFields(f) ? copyBookmark(f) : undefined;
    case 'person':
      return isPersonFields(f) ? copyPerson(f) : undefined;
    case 'question':
      return isQuestionFields(f) ? copyQuestion(f) : undefined;
  }
}

export type FieldsResult = { success: true; data: Record<string, unknown> } | { success: false; issue: { path: PropertyKey[]; message: string } };

/**
 * Validates a revision's `fields` for its entry's kind, as `revisionFieldsFor(kind)` does: the fields
 * zod gives back (unknown keys stripped), or the first problem, its path from the revision
 * (`['fields', 'url']`). For an importer that knows the entry's kind where the export does not say it
 * (an entry already in the journal).
 */
export function parseRevisionFields(kind: EntryKind, fields: unknown): FieldsResult {
  const quick = checkFields(kind, fields);
  if (quick) return { success: true, data: quick };
  const parsed = revisionFieldsFor(kind).safeParse(fields);
  if (parsed.success) return { success: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { success: false, issue: { path: ['fields', ...issue.path], message: issue.message } };
}

/** `ExportedLink.parse(v)` when that is quick to decide; otherwise undefined. */
export function checkLink(v: unknown): { from: string; to: string; type: LinkType } | undefined {
  if (!isObj(v) || !hasKeys(v, 3)) return undefined;
  const { from, to, type } = v;
  if (!isId(from) || !isId(to) || !LINK_TYPE_SET.has(type)) return undefined;
  return { from, to, type: type as LinkType };
}

function checkRevision(v: unknown): Revision | undefined {
  const parsed = ExportedRevision.safeParse(v);
  return parsed.success ? (parsed.data as Revision) : undefined;
}

const ITEM_CHECKS = { entries: checkEntry, revisions: checkRevision, links: checkLink } as const;
const ITEM_SCHEMAS = { entries: ExportedEntry, revisions: ExportedRevision, links: ExportedLink } as const;

export type ExportSection = keyof typeof ITEM_CHECKS;
export type ExportItem<S extends ExportSection> = JournalExport[S][number];

export type ItemResult<S extends ExportSection> =
  | { success: true; data: ExportItem<S> }
  | { success: false; issue: { path: PropertyKey[]; message: string } };

/**
 * Whether zod accepts `value` as an element of `section`; the first problem when not. For a check
 * that only needs the answer (the CLI's pass over a file before it imports anything).
 */
export function checkExportItem(section: ExportSection, value: unknown): { path: PropertyKey[]; message: string } | undefined {
  if (section === 'entries' ? isEntry(value) : ITEM_CHECKS[section](value)) return undefined;
  const parsed = ITEM_SCHEMAS[section].safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return { path: issue.path, message: issue.message };
}

/** Validates one element of an export's `entries`, `revisions` or `links`, as the zod schema does. */
export function parseExportItem<S extends ExportSection>(section: S, value: unknown): ItemResult<S> {
  const quick = ITEM_CHECKS[section](value);
  if (quick) return { success: true, data: quick as ExportItem<S> };
  const parsed = ITEM_SCHEMAS[section].safeParse(value);
  if (parsed.success) return { success: true, data: parsed.data as ExportItem<S> };
  const issue = parsed.error.issues[0]!;
  return { success: false, issue: { path: issue.path, message: issue.message } };
}

function quickExport(v: unknown): JournalExport | undefined {
  if (!isObj(v) || !hasKeys(v, 6) || v.format !== EXPORT_FORMAT || v.version !== EXPORT_VERSION || !isTime(v.exportedAt)) return undefined;
  const { entries, revisions, links } = v;
  if (!Array.isArray(entries) || !Array.isArray(revisions) || !Array.isArray(links)) return undefined;
  const out: JournalExport = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: v.exportedAt, entries: [], revisions: [], links: [] };
  for (const e of entries) {
    const checked = checkEntry(e);
    if (!checked) return undefined;
    out.entries.push(checked);
  }
  const kinds = revisions.length > 0 ? kindsById(out.entries) : undefined;
  for (const r of revisions) {
    const checked = checkRevision(r);
    if (!checked) return undefined;
    const kind = kinds?.get(checked.entryId);
    if (kind !== undefined) {
      const fields = checkFields(kind, checked.fields);
      if (!fields) return undefined;
      checked.fields = fields;
    }
    out.revisions.push(checked);
  }
  for (const l of links) {
    const checked = checkLink(l);
    if (!checked) return undefined;
    out.links.push(checked);
  }
  return out;
}

/** `JournalExportSchema.safeParse(v)`, answered quickly when every element passes the quick checks. */
export function parseJournalExport(v: unknown): ReturnType<typeof JournalExportSchema.safeParse> | { success: true; data: JournalExport } {
  const quick = quickExport(v);
  return quick ? { success: true, data: quick } : JournalExportSchema.safeParse(v);
}
