/**
 * Text helpers shared by the search stages: a tokenizer that approximates the index's
 * `unicode61 remove_diacritics 2` tokenizer (letters, digits and private-use characters form tokens;
 * case and Latin diacritics are folded), FTS5 string quoting, and a small stopword list.
 *
 * The approximation is only used to look words up in the vocabulary (suggestions, related, fuzzy);
 * what reaches MATCH is always the user's text quoted as an FTS5 string, tokenized by FTS5 itself.
 */

export interface TextToken {
  /** Folded form, as the index stores it. */
  term: string;
  /** Offsets of the raw token in the source string. */
  start: number;
  end: number;
}

const ASCII_RE = /^[\x00-\x7f]*$/;
const ASCII_TOKEN_RE = /^[A-Za-z0-9]+$/;
const TOKEN_CHAR_RE = /[\p{L}\p{N}\p{Co}]/u;
// C0/C1 controls, and lone surrogates (not valid text; SQLite would store them as U+FFFD).
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Case- and accent-folded form of a word, as `unicode61 remove_diacritics 2` indexes it. */
export function foldTerm(word: string): string {
  // Most words are plain ASCII: nothing to decompose (highlighting tokenizes whole pages of text).
  if (ASCII_RE.test(word)) return word.toLowerCase();
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** True when FTS5 would find at least one token in the text. */
export function hasTokens(text: string): boolean {
  return TOKEN_CHAR_RE.test(text);
}

/** A run of token characters starting exactly at `lastIndex`. */
const TOKEN_AT_RE = /[\p{L}\p{N}\p{Co}\p{M}]+/uy;

const isAsciiWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Splits text into folded tokens with their offsets. ASCII letters and digits are read by a loop over
 * character codes (most text is ASCII: search results tokenize every row they show, for the marks and
 * the snippet); a token with any other character is read by the Unicode expression and folded.
 */
export function tokenize(text: string): TextToken[] {
  const out: TextToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (!isAsciiWordChar(c)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && isAsciiWordChar(text.charCodeAt(j))) j++;
      if (j === n || text.charCodeAt(j) < 128) {
        out.push({ term: text.slice(i, j).toLowerCase(), start: i, end: j });
        i = j;
        continue;
      }
    }
    // A character beyond ASCII here, or right after an ASCII run: the whole token by the expression.
    TOKEN_AT_RE.lastIndex = i;
    const m = TOKEN_AT_RE.exec(text);
    if (!m) {
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      continue;
    }
    const term = foldTerm(m[0]);
    if (ASCII_TOKEN_RE.test(term) || (term && hasTokens(term))) out.push({ term, start: i, end: i + m[0].length });
    i += m[0].length;
  }
  return out;
}

/** Replaces control characters and lone surrogates with spaces (same length, so offsets survive). */
export function withoutControls(text: string): string {
  return text.replace(CONTROL_RE, (s) => ' '.repeat(s.length));
}

/** Quotes text as an FTS5 string: everything inside is literal, `"` is doubled. */
export function ftsString(text: string, prefix = false): string {
  return `"${withoutControls(text).replace(/"/g, '""')}"${prefix ? ' *' : ''}`;
}

/**
 * Common English function words. Only used to pick a draft's significant terms in `related`;
 * very common words in other languages are dropped by their document frequency instead.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren as at be because been before being below between
  both but by can cannot could did didn do does doesn doing don down during each etc few for from further get got had
  has hasn have haven having he her here hers herself him himself his how however i if in into is isn it its itself
  just let ll me might more most much must my myself no nor not now of off on once only or other our ours ourselves
  out over own per re s same shall she should so some such t than that the their theirs them themselves then there
  these they this those through to too under until up upon us ve very via was wasn we were weren what when where
  which while who whom why will with won would yet you your yours yourself yourselves`
    .split(/\s+/)
    .filter(Boolean),
);
