/**
 * Stage 3 of search: FTS5's highlight()/snippet() output -> SnippetSegment[] (data, never HTML).
 *
 * FTS5 marks matches with two marker strings we choose. Private-use characters are used so the
 * markers cannot be confused with ordinary text, but nothing stops a user from having typed one, so
 * markers are picked per row from characters that do not occur in that row's text.
 */
import type { SnippetSegment } from '../../../shared/domain/search.ts';

export interface Markers {
  open: string;
  close: string;
}

// Private-use characters first, then the Arabic-block noncharacters (never valid in interchanged text).
const MARKER_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0xe000, 0xf8ff],
  [0xfdd0, 0xfdef],
];

/** Two marker characters that occur in none of the given texts. */
export function pickMarkers(...texts: string[]): Markers {
  const picked: string[] = [];
  for (const [from, to] of MARKER_RANGES) {
    for (let code = from; code <= to && picked.length < 2; code++) {
      const c = String.fromCharCode(code);
      if (!texts.some((t) => t.includes(c))) picked.push(c);
    }
  }
  // Only reachable if the texts contain all 6,432 candidates; segments may then be mis-marked.
  return { open: picked[0] ?? '\ue000', close: picked[1] ?? '\ue001' };
}

export const DEFAULT_MARKERS: Markers = { open: '\ue000', close: '\ue001' };

/** Splits marked text into segments; adjacent segments of the same kind are merged, empty ones dropped. */
export function toSegments(marked: string, markers: Markers): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  let match = false;
  let buf = '';
  const flush = () => {
    if (!buf) return;
    const last = out.at(-1);
    if (last && last.match === match) last.text += buf;
    else out.push({ text: buf, match });
    buf = '';
  };
  for (const ch of marked) {
    if (ch === markers.open) {
      flush();
      match = true;
    } else if (ch === markers.close) {
      flush();
      match = false;
    } else {
      buf += ch;
    }
  }
  flush();
  return out;
}

export function plainSegments(text: string): SnippetSegment[] {
  return text ? [{ text, match: false }] : [];
}

/** The first words of a text, for results that have no matched range (filter-only queries). */
export function leadText(text: string, maxChars = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
