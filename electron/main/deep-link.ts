/** `outloud://entry/<id>` deep links. Pure: no Electron, so it is tested in plain Node. */
import type { DeepLink } from '../../shared/api/shell.ts';

export const DEEP_LINK_SCHEME = 'outloud';

// Matched on the raw text, not through URL parsing, which would quietly resolve `..` segments.
const LINK_RE = new RegExp(`^${DEEP_LINK_SCHEME}://entry/([A-Za-z0-9_-]{1,64})/?$`, 'i');

/** Parses a deep link; anything not exactly `outloud://entry/<id>` (optional trailing slash) is null. */
export function parseDeepLink(raw: unknown): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > 300) return null;
  const match = LINK_RE.exec(raw);
  return match ? { kind: 'entry', id: match[1]! } : null;
}

/** The first deep link among command-line arguments (how Windows and Linux hand one over). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) {
      const link = parseDeepLink(arg);
      if (link) return link;
    }
  }
  return null;
}

export function formatDeepLink(link: DeepLink): string {
  return `${DEEP_LINK_SCHEME}://${link.kind}/${link.id}`;
}
