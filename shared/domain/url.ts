import normalizeUrlLib from 'normalize-url';

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

/** Parses a bookmark URL; only http(s) is accepted. Returns null for anything else. */
/** Whether `text` starts with a scheme: `example.com:8443/x` and `localhost:3000` are a host and port. */
const hasScheme = (text: string) => /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d+(?:[/?#]|$)/i.test(text);

export function parseHttpUrl(input: string): URL | null {
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 8192) return null;
  let url: URL;
  try {
    url = new URL(hasScheme(trimmed) ? trimmed : `https://${trimmed}`);
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

/**
 * The site shown for a bookmark and matched by `site:` — the host without `www.`, and without the
 * trailing dot of a fully qualified name (`example.com.` is example.com, as normalizeUrl has it).
 */
export function siteOf(input: string): string {
  const url = parseHttpUrl(input);
  return url ? url.hostname.replace(/^www\./i, '').replace(/\.$/, '').toLowerCase() : '';
}
