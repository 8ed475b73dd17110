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
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const reversedHost = (site: string) => `${site.toLowerCase().split('.').reverse().join('.')}.`;

const kindToken = (kind: string) => `${FACET_MARK}k${kind}`;
const statusToken = (status: string) => `${FACET_MARK}s${status}`;
const tagToken = (tag: string) => `${FACET_MARK}t${hex(tag)}`;
const siteToken = (site: string) => `${FACET_MARK}w${hex(reversedHost(site))}`;

/** The facet tokens of an entry, space-separated: the text indexed in the `facets` column. */
export function facetText(e: FacetSource): string {
  const tokens = [kindToken(e.kind)];
  if (e.status) tokens.push(statusToken(e.status));
  if (e.kind === 'bookmark' && e.site) tokens.push(siteToken(e.site));
  for (const tag of new Set(e.tags)) if (tag) tokens.push(tagToken(tag));
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
