/**
 * Text helpers shared by the search stages: a tokenizer that approximates the index's
 * `unicode61 remove_diacritics 2` tokenizer (letters, digits and private-use characters form tokens;
 * case and Latin diacritics are folded), FTS5 string quoting, and a small stopword list.
 *
 * The approximation is only used to look words up in the vocabulary (suggestions, related, fuzzy);
 * what reaches MATCH is always the user's text quoted as an FTS5 string (its letters folded as the
 * index's were, `foldLetters`), tokenized by FTS5 itself.
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

/**
 * Letters `unicode61 remove_diacritics 2` keeps as they are, because Unicode does not write them as a
 * base letter plus a mark: the stroke and ligature letters of Nordic, Polish, Croatian, German,
 * Icelandic, Maltese and Turkish names and words, and the typographic ligatures text pasted from a
 * PDF carries. The index is given its text with these replaced (`foldLetters`, stored per entry in
 * `search_folded`, migration 0007) and every word searched for goes through the same replacement, so
 * `soren` finds Søren, `lodz` Łódź, `strasse` Straße and `file` a pasted "ﬁle".
 *
 * Changing this table changes what the index holds: add a migration that folds every entry again.
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
  if (!FOLDED_LETTER_RE.test(text)) return text;
  return text.replace(FOLDED_LETTER_RE, (letter) => FOLDED_LETTERS[letter]!);
}

/** Case- and accent-folded form of a word, as the index holds it (`unicode61 remove_diacritics 2` after `foldLetters`). */
export function foldTerm(word: string): string {
  // Most words are plain ASCII: nothing to decompose (highlighting tokenizes whole pages of text).
  if (ASCII_RE.test(word)) return word.toLowerCase();
  return foldLetters(word.normalize('NFKD').replace(/\p{M}/gu, '')).toLowerCase();
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

/**
 * Quotes text as an FTS5 string: everything inside is literal, `"` is doubled. Its letters are folded
 * as the index's text was (`foldLetters`), so FTS5's tokenizer makes the same terms of both.
 */
export function ftsString(text: string, prefix = false): string {
  return `"${foldLetters(withoutControls(text)).replace(/"/g, '""')}"${prefix ? ' *' : ''}`;
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
