/**
 * Recognises `#tags`, `@mentions` and URLs in note text. Pure and total: any string in, a result out.
 */
import { LinkifyIt } from 'linkify-it';
import { markdownToPlain } from './plain-text.ts';

export interface ParsedText {
  /** Lower-cased, unique, in order of appearance. */
  tags: string[];
  /** Names as written (without `@` / brackets), unique case-insensitively, in order. */
  mentions: string[];
  urls: string[];
}

/**
 * A value made when first asked for. A regular expression with a large Unicode class (`\p{L}`) takes
 * 0.2-0.5 ms to make, and linkify-it ~0.5 ms: made at load, every start of the core paid for them
 * before its first result, whether it needed them or not.
 */
export function lazily<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const linkify = lazily(() => new LinkifyIt({ fuzzyLink: false, fuzzyEmail: false }));
const HTTP_SCHEME_RE = /https?:/i;

// A tag starts after a boundary that is not a word character, `&` (HTML entities such as `&#106;`)
// or another `#`, and holds letters (with their combining marks: `é` typed as e + U+0301, Devanagari's
// vowel signs), digits, `_`, `-`, `/` (nested tags as in Obsidian).
const tagRe = lazily(() => /(^|[^\p{L}\p{N}_&#/])#([\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-/]*)/gu);
// `@[Full Name]` or `@handle`; an `@` after a word character is an e-mail address, not a mention.
const mentionRe = lazily(() => /(^|[^\p{L}\p{N}_.@])@(?:\[([^\]\n]{1,100})\]|([\p{L}\p{N}_][\p{L}\p{N}_.\-]*))/gu);
const CODE_RE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

const MAX_TAG_LENGTH = 64;
const MAX_MENTION_LENGTH = 100;

/** True when `#tag` written in a note's text is read back as this tag (no spaces, `+`, `.`; not digits alone, `#123`). */
export function isWritableTag(tag: string): boolean {
  return /^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-/]*$/u.test(tag) && !/[-/]$/.test(tag) && !/^\d+$/.test(tag);
}

/** How a search names a tag: `#tag`, or `#"tag"` (a `"` in it doubled) when `#tag` would not read back as it. */
export function tagSyntax(tag: string): string {
  return isWritableTag(tag) ? `#${tag}` : `#"${tag.replaceAll('"', '""')}"`;
}

/** How a person is mentioned in text: `@name`, or `@[Full Name]` when the name is not one handle. */
export function mentionSyntax(name: string): string {
  return /^[\p{L}\p{N}_][\p{L}\p{N}_.\-]*$/u.test(name) && !/[.\-]$/.test(name) ? `@${name}` : `@[${name.replace(/[\]\n]/g, ' ')}]`;
}

/**
 * A tag as stored: without `#`, lower case, composed (NFC: `café` one way whichever way it was typed),
 * with no space, `-` or `/` at its ends. Normalising a stored tag again changes nothing, so a tag comes
 * back from an export as it was.
 */
export function normalizeTag(tag: string): string {
  const ends = (t: string) => t.replace(/^[\s#]+/u, '').replace(/[\s\-/]+$/u, '');
  return ends(cutAt(ends(tag).normalize('NFC').toLowerCase().normalize('NFC'), MAX_TAG_LENGTH));
}

/**
 * The first `end` UTF-16 units of `text`, one fewer where `end` would split a character made of two
 * (an emoji): half of one is no text (SQLite would store U+FFFD for it).
 */
export function cutAt(text: string, end: number): string {
  if (text.length <= end) return text;
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/**
 * Letters the search index's tokenizer (FTS5's unicode61) keeps as they are, because Unicode does not
 * write them as a base letter plus a mark: the stroke and ligature letters of Nordic, Polish,
 * Croatian, German, Icelandic, Maltese and Turkish names and words, and the typographic ligatures text
 * pasted from a PDF carries. Search folds them (electron/core/search/text-tokens.ts), and so do
 * person keys: `soren` finds Søren, `@soren` is Søren.
 */
export const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D',
  đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H', ı: 'i', ł: 'l', Ł: 'L', ŧ: 't', Ŧ: 'T', ĳ: 'ij', Ĳ: 'IJ',
  ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'st', ﬆ: 'st',
};
const FOLDED_LETTER_RE = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'g');

/** `text` with the letters of `FOLDED_LETTERS` replaced; the same string when it has none. */
export function foldLetters(text: string): string {
  FOLDED_LETTER_RE.lastIndex = 0;
  return FOLDED_LETTER_RE.test(text) ? text.replace(FOLDED_LETTER_RE, (letter) => FOLDED_LETTERS[letter]!) : text;
}

/**
 * Key for matching a person by name or alias: case, accents, the letters of `FOLDED_LETTERS` and
 * spacing are ignored. Changing it changes the keys `person_names` holds: add a migration that makes
 * them again (as 0008 did).
 */
export function personKey(name: string): string {
  return foldLetters(name.normalize('NFKD').replace(/\p{M}/gu, ''))
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .replace(/[\s_.\-]+/g, ' ')
    .trim();
}

/** Keys under which a person can be mentioned: the name and aliases, with and without spaces. */
export function personKeys(person: { name: string; aliases: readonly string[] }): string[] {
  const keys: string[] = [];
  for (const n of [person.name, ...person.aliases]) {
    const k = personKey(n.replace(/^@/, ''));
    if (!k) continue;
    keys.push(k, k.replace(/ /g, ''));
  }
  return [...new Set(keys)];
}

export interface WebAddress {
  /** Where it stands in the text: `text.slice(from, to)`. */
  from: number;
  to: number;
  /** Normalised by the recogniser (e.g. a scheme added). */
  url: string;
}

/** The http(s) addresses written in a text, in order (the one recogniser for them: linkify-it). */
export function webAddresses(text: string): WebAddress[] {
  // Links are recognised by their scheme (no fuzzy links), so a text without `http:` or `https:` has
  // none to give: linkify's scan of the whole text took half of parseText's time, for 1% of notes.
  if (!HTTP_SCHEME_RE.test(text)) return [];
  return (linkify().match(text) ?? []).filter((m) => /^https?:/i.test(m.url)).map((m) => ({ from: m.index, to: m.lastIndex, url: m.url }));
}

export function parseText(text: string): ParsedText {
  const urls: string[] = [];
  const urlRanges: Array<[number, number]> = [];
  for (const a of webAddresses(text)) {
    urlRanges.push([a.from, a.to]);
    if (!urls.includes(a.url)) urls.push(a.url);
  }
  // Blank out URLs and code so `#fragment` or `@` inside them is not read as a tag or mention.
  let scan = text.includes('`') ? text.replace(CODE_RE, (s) => ' '.repeat(s.length)) : text;
  if (urlRanges.length > 0) {
    // One pass: rebuilding the whole string per URL took seconds for a long text full of links.
    let blanked = '';
    let pos = 0;
    for (const [from, to] of urlRanges) {
      const start = Math.max(from, pos);
      if (to <= start) continue;
      blanked += scan.slice(pos, start) + ' '.repeat(to - start);
      pos = to;
    }
    scan = blanked + scan.slice(pos);
  }

  const tags: string[] = [];
  // Each scan only where its sign is: the Unicode classes make them slow on text without one.
  if (scan.includes('#')) for (const m of scan.matchAll(tagRe())) {
    const tag = normalizeTag(m[2] ?? '');
    if (tag && !/^\d+$/.test(tag) && !tags.includes(tag)) tags.push(tag);
  }

  const mentions: string[] = [];
  const seen = new Set<string>();
  if (scan.includes('@')) for (const m of scan.matchAll(mentionRe())) {
    const raw = cutAt((m[2] ?? m[3] ?? '').trim().replace(/[.\-]+$/, ''), MAX_MENTION_LENGTH);
    const key = personKey(raw);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    mentions.push(raw);
  }
  return { tags, mentions, urls };
}

const TITLE_FROM_TEXT_MAX = 120;

/** Control characters other than tab, newline and CR: a body may hold them, a title may not. */
const TITLE_CONTROL_RE = /[\u0000-\u001f\u007f]+/g;

/**
 * The title an entry gets when none is given: its first line as read without Markdown markup (as
 * `markdownToPlain` reads it: `snake_case` and `2*3` stay as written, `**bold**` loses its stars),
 * control characters as spaces (piped terminal output carries colour codes), shortened.
 */
export function titleFromText(text: string): string {
  const line = firstLine(text);
  // markdownToPlain gives single spaces between words and none at the ends.
  const plain = markdownToPlain(line.replace(TITLE_CONTROL_RE, ' '));
  return shortened(plain, TITLE_FROM_TEXT_MAX);
}

/** The first line of `text` with more than white space in it, trimmed; '' when there is none. */
function firstLine(text: string): string {
  // Line by line from the start: splitting the whole text took most of titleFromText's time.
  for (let from = 0; from <= text.length; ) {
    const end = text.indexOf('\n', from);
    const line = text.slice(from, end < 0 ? text.length : end).trim();
    if (line.length > 0) return line;
    if (end < 0) break;
    from = end + 1;
  }
  return '';
}

/** `text` cut to at most `max` characters, ending with `…` when it was cut. */
export function shortened(text: string, max: number): string {
  return text.length > max ? `${cutAt(text, max - 1).trimEnd()}…` : text;
}

/**
 * The body to preview beside a title (a search snippet, a list): without its first line when that
 * line, shown as `asShown` shows text, reads exactly as the title does (the title an entry gets when
 * none is given is its first line). A one-line note then has nothing to add, and a longer one shows
 * what follows. A first line that says more than the title (a shortened title, a link's address in
 * a search snippet) stays.
 */
export function bodyBeyondTitle(title: string, body: string, asShown: (text: string) => string = markdownToPlain): string {
  if (!title.trim()) return body;
  const lines = body.split('\n');
  const first = lines.findIndex((l) => l.trim().length > 0);
  if (first < 0 || asShown(lines[first]!) !== asShown(title)) return body;
  return lines.slice(first + 1).join('\n').trim();
}
