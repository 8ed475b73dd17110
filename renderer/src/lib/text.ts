/**
 * Display helpers for note text: plain-text previews and `#tag` / `@mention` tokens.
 * Everything here returns data that React renders as text; nothing becomes HTML.
 */
import { markdownToPlain } from '../../../shared/domain/plain-text.ts';
import { normalizeTag, personKey, titleFromText, webAddresses } from '../../../shared/domain/text.ts';

/** How a person is mentioned in text (its home is shared/domain/text.ts). */
export { mentionSyntax } from '../../../shared/domain/text.ts';

export { titleFromText };

export type TextToken = { type: 'text'; text: string } | { type: 'tag'; text: string; tag: string } | { type: 'mention'; text: string; name: string };

// The same patterns as shared/domain/text.ts (which decides what the core stores as tags and
// mentions); text.test.ts checks the two agree.
const TAG_RE = /(^|[^\p{L}\p{N}_&#/])#([\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-/]*)/gu;
const MENTION_RE = /(^|[^\p{L}\p{N}_.@])@(?:\[([^\]\n]{1,100})\]|([\p{L}\p{N}_][\p{L}\p{N}_.\-]*))/gu;

interface Found {
  start: number;
  end: number;
  token: TextToken;
}

function findTags(text: string): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(TAG_RE)) {
    const start = (m.index ?? 0) + (m[1]?.length ?? 0);
    const clean = (m[2] ?? '').replace(/[-/]+$/, '');
    if (!clean || /^\d+$/.test(clean)) continue;
    out.push({ start, end: start + 1 + clean.length, token: { type: 'tag', text: `#${clean}`, tag: normalizeTag(clean) } });
  }
  return out;
}

function findMentions(text: string): Found[] {
  const out: Found[] = [];
  for (const m of text.matchAll(MENTION_RE)) {
    const start = (m.index ?? 0) + (m[1]?.length ?? 0);
    const bracketed = m[2] !== undefined;
    const name = (m[2] ?? m[3] ?? '').trim().replace(/[.\-]+$/, '').slice(0, 100);
    if (!name) continue;
    const length = bracketed ? m[0].length - (m[1]?.length ?? 0) : 1 + (m[3] ?? '').replace(/[.\-]+$/, '').length;
    out.push({ start, end: start + length, token: { type: 'mention', text: text.slice(start, start + length), name } });
  }
  return out;
}

/** Splits text into plain runs, #tags and @mentions, in order. */
export function tokenize(text: string): TextToken[] {
  const found = [...findTags(text), ...findMentions(text)].sort((a, b) => a.start - b.start);
  const out: TextToken[] = [];
  let last = 0;
  for (const f of found) {
    if (f.start < last) continue; // overlapping match (e.g. a tag inside @[a #b]): the first wins
    if (f.start > last) out.push({ type: 'text', text: text.slice(last, f.start) });
    out.push(f.token);
    last = f.end;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

/**
 * A one-paragraph plain-text preview of Markdown, for lists (mentions stay for TokenText to render).
 * Longer text is cut at a word's end where one is near, so no half word (a `#topi` of `#topic27`)
 * reads as a word of its own; `shortenUrls` shortens addresses first, so an address cut by the
 * preview does not get a second "…".
 */
export function previewText(markdown: string, max = 280, options: { shortenUrls?: boolean } = {}): string {
  const plain = markdownToPlain(markdown.slice(0, max * 3), { keepMentions: true });
  const text = options.shortenUrls ? shortenUrls(plain) : plain;
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const wordEnd = cut.search(/\s\S*$/);
  return `${(wordEnd > max * 0.8 ? cut.slice(0, wordEnd) : cut).trimEnd()}…`;
}

const SHORT_PATH = 20;

/** A web address as a person reads it in a list: "hbr.org/2014/11/serendipity…" (no scheme, no www, a short path). */
export function shortUrl(url: string): string {
  const bare = url.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const cut = bare.search(/[/?#]/);
  if (cut < 0) return bare;
  const host = bare.slice(0, cut);
  const rest = bare.slice(cut) === '/' ? '' : bare.slice(cut);
  return rest.length > SHORT_PATH ? `${host}${rest.slice(0, SHORT_PATH)}…` : host + rest;
}

/** Text with each http(s) address in it shortened by shortUrl, for previews (the rest is left as it is). */
export function shortenUrls(text: string): string {
  let out = '';
  let last = 0;
  for (const a of webAddresses(text)) {
    if (a.from < last) continue;
    out += text.slice(last, a.from) + shortUrl(text.slice(a.from, a.to));
    last = a.to;
  }
  return out + text.slice(last);
}

/** A title for an entry that has none: its first line, shortened. */
export function fallbackTitle(entry: { title: string; body: string; kind: string }): string {
  if (entry.title.trim()) return entry.title;
  const first = previewText(entry.body.split('\n', 1)[0] ?? '', 80);
  if (first) return first;
  return entry.kind === 'bookmark' ? 'Untitled bookmark' : entry.kind === 'question' ? 'Untitled question' : 'Untitled note';
}

export { personKey };

/** Initials for an avatar: "Rogier Schouten" → "RS". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w ?? '')[0]?.toLocaleUpperCase() ?? '').join('') || '?';
}

// Hues that read well as avatar backgrounds in both themes.
const AVATAR_HUES = [250, 200, 160, 28, 338, 280, 8, 130, 185, 45];

/** A stable hue for a name, for avatar colours (FNV-1a over the name key, then a curated palette). */
export function hueOf(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of personKey(name)) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return AVATAR_HUES[h % AVATAR_HUES.length] ?? 250;
}

/** True when the title was made from the text (so showing both would say the same thing twice). */
export function hasDerivedTitle(entry: { title: string; body: string }): boolean {
  return entry.title === '' || entry.title === titleFromText(entry.body);
}
