import normalizeUrlLib from 'normalize-url';

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

/** Parses a bookmark URL; only http(s) is accepted. Returns null for anything else. */
export function parseHttpUrl(input: string): URL | null {
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 8192) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  if (!ALLOWED_SCHEMES.has(url.protocol) || !url.hostname) return null;
  return url;
}

/**
 * The de-duplication key for a bookmark: the same page saved twice is one bookmark.
 * Drops `www.`, tracking parameters, the fragment, default ports and a trailing slash; sorts the query.
 */
export function normalizeUrl(input: string): string | null {
  const url = parseHttpUrl(input);
  if (!url) return null;
  return normalizeUrlLib(url.href, {
    stripHash: true,
    stripWWW: true,
    removeTrailingSlash: true,
    removeSingleSlash: true,
    sortQueryParameters: true,
    stripTextFragment: true,
    forceHttps: true,
    removeQueryParameters: [/^utm_\w+/i, 'fbclid', 'gclid', 'mc_cid', 'mc_eid', 'ref_src'],
  });
}

/** The site shown for a bookmark and matched by `site:` — the host without `www.`. */
export function siteOf(input: string): string {
  const url = parseHttpUrl(input);
  return url ? url.hostname.replace(/^www\./i, '').toLowerCase() : '';
}
