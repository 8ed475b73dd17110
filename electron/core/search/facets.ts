/**
 * Facets: an entry's kind, question status, tags and bookmark site as tokens of its own column of the
 * full-text index (`facets`), so that `kind:`, `is:`, `#tag` and `site:` filters can be part of the
 * FTS5 expression. FTS5 then intersects the words' matches with the filter's postings and ranks only
 * what is left, instead of ranking every match of the words and testing each against `entries`.
 *
 * Every facet token starts with `FACET_MARK`, a private-use character. unicode61 keeps it as part of
 * the token, no user word or prefix can reach a facet token by accident, and the vocabulary readers
 * (did-you-mean, related) never meet one. Tag and site values are hex-encoded so that any tag or host
 * is exactly one token (unicode61 would split `project/outloud` or `github.com`).
 *
 * Nested tags: `#project` finds `project` and `project/…`: the facet of `project/outloud` is the hex of
 * `project/outloud`, which starts with the hex of `project/`, so a prefix query finds the children.
 * Sites: `site:github.com` finds github.com and its subdomains: the host is stored with its labels
 * reversed and a final dot (`com.github.gist.`), so a prefix query on `com.github.` finds them all.
 *
 * Dates: the year and the month an entry was created in (UTC), `d` and four or six digits (`d2025`,
 * `d202502`), so an `after:` or `before:` range becomes the years and months it covers: whole years by
 * their token, the months at its ends one by one. (A prefix query `d2025*` would merge twelve posting
 * lists on every search.) Months are coarser than the range's own bounds, so the expression only
 * narrows the matches; the exact bounds are still tested on `entries.created_at`.
 *
 * Changing the tokens means every entry's facets must be computed again: add a migration for it.
 */
import type { Filter } from './query-parser.ts';

export const FACET_MARK = '\uef00';

/** What an entry's facets are made of (the fields of an entry write). */
export interface FacetSource {
  kind: string;
  status: string | null;
  site: string | null;
  tags: readonly string[];
  /**
   * Creation time (ms since the epoch). Absent only in migration 0002, written before date facets;
   * migration 0003 computes the facets again with it.
   */
  createdAt?: number;
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const reversedHost = (site: string) => `${site.toLowerCase().split('.').reverse().join('.')}.`;

const kindToken = (kind: string) => `${FACET_MARK}k${kind}`;
const statusToken = (status: string) => `${FACET_MARK}s${status}`;
const tagToken = (tag: string) => `${FACET_MARK}t${hex(tag)}`;
const siteToken = (site: string) => `${FACET_MARK}w${hex(reversedHost(site))}`;

/** Months since year 0 (UTC) of a time: the unit of date facets. */
const monthOf = (time: number) => {
  const d = new Date(time);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const yearText = (year: number) => String(year).padStart(4, '0');
const yearToken = (year: number) => `${FACET_MARK}d${yearText(year)}`;
const monthToken = (month: number) => `${yearToken(Math.floor(month / 12))}${String((month % 12) + 1).padStart(2, '0')}`;

/** The facet tokens of an entry, space-separated: the text indexed in the `facets` column. */
export function facetText(e: FacetSource): string {
  const tokens = [kindToken(e.kind)];
  if (e.status) tokens.push(statusToken(e.status));
  if (e.kind === 'bookmark' && e.site) tokens.push(siteToken(e.site));
  for (const tag of new Set(e.tags)) if (tag) tokens.push(tagToken(tag));
  if (e.createdAt !== undefined && Number.isFinite(e.createdAt)) {
    const month = monthOf(e.createdAt);
    tokens.push(yearToken(Math.floor(month / 12)), monthToken(month));
  }
  return tokens.join(' ');
}

export type FacetFilter = Extract<Filter, { key: 'kind' | 'is' | 'tag' | 'site' }>;

export function isFacetFilter(filter: Filter): filter is FacetFilter {
  return filter.key === 'kind' || filter.key === 'is' || filter.key === 'tag' || filter.key === 'site';
}

/**
 * The FTS5 expression that finds the entries a facet filter selects, restricted to the `facets`
 * column. Only hex digits and known enum values reach it, inside FTS5 strings.
 */
export function facetExpression(filter: FacetFilter): string {
  switch (filter.key) {
    case 'kind':
      return `facets : "${kindToken(filter.kind)}"`;
    case 'is':
      return `facets : "${statusToken(filter.status)}"`;
    case 'tag':
      return `facets : ("${tagToken(filter.tag)}" OR "${FACET_MARK}t${hex(`${filter.tag}/`)}" *)`;
    case 'site':
      return `facets : "${siteToken(filter.site)}" *`;
  }
}

/** Terms a date range may become (whole years and single months) before it is left to SQL alone. */
export const DATE_TERMS_MAX = 24;

/**
 * The FTS5 expression that narrows matches to the months a creation-time range touches, from `from`
 * (inclusive) to `to` (exclusive), both ms since the epoch. `span` is the first and last creation
 * time in the journal: an open end stops there. Null when the range is empty or would take more than
 * `DATE_TERMS_MAX` terms.
 */
export function dateRangeExpression(from: number, to: number, span: { first: number; last: number }): string | null {
  const start = Math.max(from, span.first);
  const end = Math.min(to - 1, span.last);
  if (!(start <= end) || !Number.isFinite(start) || !Number.isFinite(end)) return null;
  let first = monthOf(start);
  let last = monthOf(end);
  // The journal has no entries in the months before its first or after its last: a range that starts
  // or ends in one of those months may take the whole year there.
  if (first === monthOf(span.first)) first -= first % 12;
  if (last === monthOf(span.last)) last += 11 - (last % 12);
  const terms: string[] = [];
  for (let month = first; month <= last && terms.length <= DATE_TERMS_MAX; ) {
    const year = Math.floor(month / 12);
    if (month % 12 === 0 && month + 11 <= last) {
      terms.push(`"${yearToken(year)}"`);
      month += 12;
    } else {
      terms.push(`"${monthToken(month)}"`);
      month += 1;
    }
  }
  if (terms.length > DATE_TERMS_MAX) return null;
  return `facets : ${terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`}`;
}
