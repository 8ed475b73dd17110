/**
 * The columns an entry is stored with that are worked out from the entry alone: a bookmark's address
 * key and site, a question's status, the extra indexed text, and for an imported entry all it is
 * written with but the names of the people it mentions (`importRow`). Pure functions of their input,
 * with no journal: the import's reader works them out in its own thread (journal-import-read.ts)
 * while the journal's thread writes the batch before.
 */
import { LIMITS } from '../../../shared/api/schemas.ts';
import type { Entry, EntryKind } from '../../../shared/domain/entry.ts';
import { normalizeTag } from '../../../shared/domain/text.ts';
import { normalizeUrl, parseHttpUrl, siteOf } from '../../../shared/domain/url.ts';
import { entryFields, foldedParts, type EntryWrite, type RowText } from '../db/entries.repo.ts';
import { facetText } from '../search/facets.ts';

/**
 * A bookmark's address as stored: the URL written out in full, its key for de-duplication and its
 * site; or why it cannot be bookmarked. Checked as stored, not as typed: written out in full
 * (percent-encoded) an address grows, and an export must hold what was saved (journal-format.ts).
 */
export function bookmarkAddress(url: string): { url: string; urlNormalized: string; site: string } | string {
  const parsed = parseHttpUrl(url);
  const urlNormalized = normalizeUrl(url);
  if (!parsed || !urlNormalized) return `Not a web address: ${url.slice(0, 200)} (only http and https links can be bookmarked)`;
  const longest = Math.max(parsed.href.length, urlNormalized.length);
  if (longest > LIMITS.url) return `The address is too long: ${longest.toLocaleString('en')} characters written out in full, at most ${LIMITS.url.toLocaleString('en')}.`;
  const site = siteOf(url);
  if (site.length > LIMITS.site) return `The address's host name is too long: ${site.length.toLocaleString('en')} characters, at most ${LIMITS.site}.`;
  return { url: parsed.href, urlNormalized, site };
}

/** The text the index holds for a kind's fields beyond title, tags, people and body. */
function searchExtra(kind: EntryKind, fields: Record<string, unknown>): string {
  const s = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : '');
  const l = (k: string) => (Array.isArray(fields[k]) ? (fields[k] as string[]).join(' ') : '');
  const joined = (...parts: string[]) => parts.filter((p) => p.trim()).join(' ');
  switch (kind) {
    case 'bookmark':
      return joined(s('url'), s('site'), s('excerpt'));
    case 'person':
      return joined(s('role'), s('organisation'), l('topics'), l('contacts'), s('recommendedBy'));
    case 'question':
      return joined(s('askedBy'), s('answer'));
    default:
      return '';
  }
}

/** The columns an entry's kind and fields give it: address key, site, status and extra indexed text. */
export function derivedColumns(kind: EntryKind, fields: Record<string, unknown>): Pick<EntryWrite, 'urlNormalized' | 'site' | 'status' | 'searchExtra'> {
  return {
    urlNormalized: kind === 'bookmark' ? String(fields.urlNormalized ?? '') : null,
    site: kind === 'bookmark' ? String(fields.site ?? '') : null,
    status: kind === 'question' ? String(fields.status ?? 'open') : null,
    searchExtra: searchExtra(kind, fields),
  };
}

/** A file's tags as a save stores them (`normalizeTag`: no `#`, lower case, composed), once each. */
export function importedTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTag).filter(Boolean))];
}

/**
 * The fields an imported entry is stored with, or why it cannot be. A bookmark's address key and site
 * are derived from its URL as the journal derives them when it saves one, not taken from the file: a
 * key that is not this journal's own (a file edited by hand, or empty) would let the same page be
 * bookmarked twice, or two pages clash. For a file Outloud wrote they are the values it holds.
 */
function storedFields(entry: Entry): Record<string, unknown> | string {
  if (entry.kind !== 'bookmark') return entryFields(entry);
  // The address key and site are made again here, as a save makes them (the file's are not used).
  const address = bookmarkAddress(entry.bookmark.url);
  if (typeof address === 'string') return address.charAt(0).toLowerCase() + address.slice(1);
  return { ...entry.bookmark, urlNormalized: address.urlNormalized, site: address.site };
}

/**
 * What an imported entry is written with beyond what the file's entry holds (its id, kind, title,
 * body, times and source), but for the names of the people it mentions (searchPeople). Without the
 * entry's own text: it crosses from the reader's thread beside the entry.
 */
export interface ImportRow {
  columns: Pick<EntryWrite, 'tags' | 'fields' | 'urlNormalized' | 'site' | 'status' | 'searchExtra'>;
  /** Its text as the row and the index are given it (entries.repo's insertEntryIfNew). */
  text: RowText;
}

/** What the entry of a file is written with (see ImportRow), or why it cannot be stored. */
export function importRow(entry: Entry): ImportRow | string {
  const fields = storedFields(entry);
  if (typeof fields === 'string') return fields;
  const tags = importedTags(entry.tags);
  const columns = { tags, fields, ...derivedColumns(entry.kind, fields) };
  const searchTags = tags.join(' ');
  return {
    columns,
    text: {
      tags: JSON.stringify(tags),
      fields: JSON.stringify(fields),
      searchTags,
      facets: facetText({ kind: entry.kind, status: columns.status, site: columns.site, tags, createdAt: entry.createdAt }),
      folded: foldedParts(entry.title, searchTags, entry.body, columns.searchExtra),
    },
  };
}

/** The write of an imported entry: the file's entry, what importRow made of it, and the people it mentions. */
export function importWrite(entry: Entry, row: ImportRow, searchPeople: string): EntryWrite {
  return {
    id: entry.id,
    kind: entry.kind,
    title: entry.title,
    body: entry.body,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    deletedAt: entry.deletedAt,
    source: entry.source,
    sourceRef: entry.sourceRef,
    ...row.columns,
    searchPeople,
  };
}
