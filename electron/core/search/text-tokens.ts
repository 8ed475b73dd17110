/**
 * Text helpers shared by the search stages: a tokenizer that approximates the index's
 * `unicode61 remove_diacritics 2` tokenizer (letters, digits and private-use characters form tokens;
 * case and Latin diacritics are folded), FTS5 string quoting, and a small stopword list.
 *
 * The approximation is only used to look words up in the vocabulary (suggestions, related, fuzzy);
 * what reaches MATCH is always the user's text quoted as an FTS5 string (folded as the index's text
 * was, `foldText`), tokenized by FTS5 itself. The letters folded beyond unicode61's own folding
 * (`FOLDED_LETTERS`) live in shared/domain/text.ts, which person keys fold with too.
 */
import { foldLetters, lazily } from '../../../shared/domain/text.ts';

export interface TextToken {
  /** Folded form, as the index stores it. */
  term: string;
  /** Offsets of the raw token in the source string. */
  start: number;
  end: number;
}

const ASCII_RE = /^[\x00-\x7f]*$/;
/** A character of a run (`runRe`) beyond ASCII: the only kind `foldText` may change. */
const foldableRe = lazily(() => /(?![\x00-\x7f])[\p{L}\p{N}\p{Co}\p{M}]/u);
const tokenCharRe = lazily(() => /[\p{L}\p{N}\p{Co}]/u);
// C0/C1 controls, and lone surrogates (not valid text; SQLite would store them as U+FFFD).
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Scripts whose accents and vowel marks the index is given without (`foldText`), as unicode61 does
 * for Latin: Greek (tonos, so `σωκρατης` finds Σωκράτης), Cyrillic (ё as е), and Arabic and Hebrew,
 * whose vowel marks are mostly left out in writing (`محمد` finds محمّد, `שלום` finds שָׁלוֹם); unicode61
 * would cut a word at each of their marks instead. Other scripts keep their marks (an Indic vowel
 * sign changes the word): there, as in FTS5, a mark ends a token.
 */
const STRIPPED_SCRIPT_RE = /[\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hebrew}]/u;
/**
 * Scripts written without spaces between words (Chinese, Japanese) or with particles joined to them
 * (Korean): unicode61 would make one token of a whole run, so no word inside it could be found. Each
 * of their characters is a token of its own (the index is given them apart), and a word is found as
 * the phrase of its characters: `北京` finds 我在北京工作.
 */
const CJK_SOURCE = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30fc';
// Made when first needed, as the other Unicode classes here: `new RegExp` parses its pattern at once,
// and making these three took ~0.4 ms of every start of the core worker (measured), whose first search
// usually needs none of them.
const cjkRe = lazily(() => new RegExp(`[${CJK_SOURCE}]`, 'u'));
const cjkAllRe = lazily(() => new RegExp(`[${CJK_SOURCE}]`, 'gu'));
const oneCjkRe = lazily(() => new RegExp(`^[${CJK_SOURCE}]$`, 'u'));
/** The first code point of those scripts (Hangul Jamo); a character below it is none of theirs. */
const FIRST_CJK = 0x1100;

/**
 * Scripts written without spaces between words (Thai, Lao, Khmer, Myanmar): unicode61 would make one
 * token of a whole phrase (cut only at its marks), so a word inside it could not be found. Their words
 * are found by the word breaker of Unicode's text segmentation (Intl.Segmenter, with ICU's
 * dictionaries for these scripts), and the index is given them apart: `ประชุม` finds ประชุมก่อนเที่ยง.
 * Their marks stay (a tone mark changes the word): in a word, as in FTS5, a mark ends a token, and the
 * word is found as the phrase of its pieces.
 */
export const SEGMENTED_RE = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
/** Made when first needed: making one loads ICU's word-break data, 11-17 ms, which a cold start would pay. */
let wordBreaker: Intl.Segmenter | undefined;

/** The pieces of a run to fold and split apart: its words, where it holds a script written without spaces. */
function wordsOf(run: string): string[] {
  if (!SEGMENTED_RE.test(run)) return [run];
  wordBreaker ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  return Array.from(wordBreaker.segment(run), (s) => s.segment);
}

/**
 * True for one Chinese, Japanese or Korean character: a token of its own (`tokenize`). A token of more
 * than one character, or below FIRST_CJK (most of them), is answered without the regular expression,
 * whose compiling made the first result page's snippets ~0.2 ms slower (measured).
 */
export const isCjkCharacter = (text: string): boolean => text.length <= 2 && text.charCodeAt(0) >= FIRST_CJK && oneCjkRe().test(text);
/** A run of letters, digits, private-use characters and marks: the stretch `foldText` folds as one. */
const runRe = lazily(() => /[\p{L}\p{N}\p{Co}\p{M}]+/gu);
/** One character of such a run. */
const runCharRe = lazily(() => /[\p{L}\p{N}\p{Co}\p{M}]/u);

/**
 * A letter and the symbols that make it the name of a language: C++ (and g++), C#, F#, Q#. unicode61
 * keeps only the letter, so `C++` would find every `c` (Plan C, the letter c, C# too). The index is
 * given such a word as one word of letters, `cplusplus` or `csharp` (`foldText`), and `tokenize` reads
 * it so: `C++` finds C++ and C++17, not Plan C; `c` finds neither C++ nor C#; `csharp` finds C#. Only
 * a letter on its own (not the end of a longer word: `abc#`) whose symbols end the word (not `c+++`,
 * `c#d` or `c++é`; a number may follow, as in C++17, and is a word of its own).
 *
 * Changing it changes what the index holds: add a migration that folds those entries again (0011).
 */
export const SYMBOL_WORD_HINT_RE = /[A-Za-z](?:\+\+|#)/;
const SYMBOL_WORD_ALL_RE = /[A-Za-z](?:\+\+|#)/g;
/** What continues a word after the symbols, so that they are no language's name (a digit does not). */
const wordGoesOnRe = lazily(() => /[\p{L}\p{M}\p{Co}+#]/u);

/** The index's word for the letter and symbols at `i` (`C++` -> cplusplus, `C#` -> csharp) and where they end, or undefined. */
function symbolWordAt(text: string, i: number): { term: string; end: number } | undefined {
  const letter = text.charCodeAt(i) | 0x20; // lower case, for an ASCII letter
  if (letter < 0x61 || letter > 0x7a) return undefined;
  const plus = text.charCodeAt(i + 1) === 0x2b && text.charCodeAt(i + 2) === 0x2b;
  if (!plus && text.charCodeAt(i + 1) !== 0x23) return undefined;
  if (i > 0 && runCharRe().test(characterBefore(text, i))) return undefined;
  const end = i + (plus ? 3 : 2);
  if (end < text.length && wordGoesOnRe().test(String.fromCodePoint(text.codePointAt(end)!))) return undefined;
  return { term: `${text[i]!.toLowerCase()}${plus ? 'plusplus' : 'sharp'}`, end };
}

/** A term of the index as a person writes it: `cplusplus` is C++ and `csharp` C# (`symbolWordAt`), as a query too. */
export function writtenTerm(term: string): string {
  const m = /^([a-z])(plusplus|sharp)$/.exec(term);
  return m ? `${m[1]}${m[2] === 'sharp' ? '#' : '++'}` : term;
}

/** The character (one or two code units) just before `i`. */
function characterBefore(text: string, i: number): string {
  const low = text.charCodeAt(i - 1);
  const pair = (low & 0xfc00) === 0xdc00 && i > 1 && (text.charCodeAt(i - 2) & 0xfc00) === 0xd800;
  return text.slice(pair ? i - 2 : i - 1, i);
}

/** Text with the names of `symbolWordAt` spelled as the index's words, a number right after one set apart. */
function spellSymbolWords(text: string): string {
  return text.replace(SYMBOL_WORD_ALL_RE, (match: string, offset: number) => {
    const word = symbolWordAt(text, offset);
    if (!word) return match;
    return word.end < text.length && runCharRe().test(String.fromCodePoint(text.codePointAt(word.end)!)) ? `${word.term} ` : word.term;
  });
}

const markRe = lazily(() => /\p{M}/u);
const marksRe = lazily(() => /\p{M}/gu);

/** A stretch of a run between Chinese, Japanese and Korean characters, folded. */
function foldSegment(segment: string): string {
  // Compatibility forms as their letters (full-width, mathematical bold, ǅ, Ⅻ, ²); and in the
  // scripts that lose their marks, the marks taken off.
  // Letters are replaced while decomposed, so that Ǿ (Ø and an accent) folds as Ø does.
  const decomposed = segment.normalize('NFKD');
  return foldLetters(STRIPPED_SCRIPT_RE.test(segment) ? decomposed.replace(marksRe(), '') : decomposed).normalize('NFC');
}

function foldRun(run: string): string {
  if (ASCII_RE.test(run)) return run;
  if (SEGMENTED_RE.test(run)) return wordsOf(run).map(foldWord).join(' ');
  return foldWord(run);
}

/** A run, or one word of a run in a script written without spaces, folded. */
function foldWord(run: string): string {
  if (!cjkRe().test(run)) return foldSegment(run);
  // The characters set apart, and what lies between them folded on its own (a kana's dakuten stays).
  let out = '';
  let from = 0;
  for (const m of run.matchAll(cjkAllRe())) {
    out += `${foldSegment(run.slice(from, m.index))} ${m[0].normalize('NFKC')} `;
    from = m.index + m[0].length;
  }
  return out + foldSegment(run.slice(from));
}

/**
 * The text the index is given for `text`, so that unicode61 makes of it the terms `tokenize` makes
 * of `text`: `FOLDED_LETTERS` replaced, the marks of `STRIPPED_SCRIPT_RE`'s scripts left out,
 * Chinese, Japanese and Korean characters set apart, and C++ and C# spelled as words (`symbolWordAt`).
 * The same string when none of it applies (ASCII without C++ or C#, or accents unicode61 folds
 * itself). Every word searched for goes through it too (`ftsString`).
 *
 * Changing it changes what the index holds: add a migration that folds every entry again
 * (`refoldEntries`, as migration 0007 did).
 */
export function foldText(text: string): string {
  const spelled = SYMBOL_WORD_HINT_RE.test(text) ? spellSymbolWords(text) : text;
  // Only runs with a letter, digit, mark or private-use character beyond ASCII change: text whose
  // only non-ASCII characters are punctuation or symbols (’ “ — …, most of them) is left as it is.
  if (ASCII_RE.test(spelled) || !foldableRe().test(spelled)) return spelled;
  const out = spelled.replace(runRe(), foldRun);
  return out === spelled ? spelled : out;
}

/** A term as the index holds it, from one token `tokenize` found (`cjk`: a character of `cjkRe`). */
function foldToken(word: string, cjk: boolean): string {
  // Most words are plain ASCII: nothing to decompose (highlighting tokenizes whole pages of text).
  if (ASCII_RE.test(word)) return word.toLowerCase();
  if (cjk) return word.normalize('NFKC');
  // unicode61 lowercases (final sigma too) and takes Latin accents off; foldText did the rest.
  return foldLetters(word.normalize('NFKD').replace(marksRe(), '').normalize('NFC').toLowerCase()).toLowerCase().replace(/ς/g, 'σ');
}

/**
 * True when FTS5 would find at least one token in the text. An ASCII letter or digit before any other
 * character answers it without the regular expression (a query's words, most tokens): compiling it
 * took ~0.4 ms of the first search after a start (measured).
 */
export function hasTokens(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isAsciiWordChar(c)) return true;
    if (c >= 128) return tokenCharRe().test(text);
  }
  return false;
}

/** A run of letters, digits, private-use characters and marks starting exactly at `lastIndex`. */
const runAtRe = lazily(() => /[\p{L}\p{N}\p{Co}\p{M}]+/uy);

const isAsciiWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/**
 * General Punctuation (U+2000-U+206F: ’ “ ” – — … and the like, spaces and format characters): none is a
 * letter, digit, mark or private-use character, so each ends a run as ASCII punctuation does. Text whose
 * only characters beyond ASCII are these (most English text) is read by the ASCII loop in `tokenize`,
 * not through `runAtRe` and the classes `splitRun` tests, which are compiled on first use: the first
 * tokenize of such text took 3.8 ms, now 0.3 ms, and the core worker's first search (results holding a
 * `…`, 100,000 entries) ~2.8 ms less (measured).
 */
const isPunctuation = (c: number) => c >= 0x2000 && c <= 0x206f;
/** Combining diacritical marks (U+0300-U+036F): unicode61 takes them off the letter they follow. */
const isDiacritic = (c: number) => c >= 0x300 && c <= 0x36f;

/**
 * A tag as search compares tags: each run of letters and digits folded as the index folds words
 * (`cafe` is `café`, `orsted` is `ørsted`), its separators (`/`, `-`, `_`, spaces) kept as they are.
 */
export function tagKey(tag: string): string {
  return tag.replace(/[\p{L}\p{M}\p{N}]+/gu, (run) => tokenize(run).map((t) => t.term).join(''));
}

/**
 * Splits text into folded tokens with their offsets, as the index's tokenizer splits what `foldText`
 * makes of it. ASCII letters and digits are read by a loop over character codes (most text is ASCII:
 * search results tokenize every row they show, for the marks and the snippet); a run with any other
 * character is split as unicode61 would: a Chinese, Japanese or Korean character is a token of its
 * own, and a mark ends a token unless it is a diacritic or its run's script loses its marks. A letter
 * with the symbols of C++ or C# is one token, `cplusplus` or `csharp`, over the letter and its symbols.
 */
export function tokenize(text: string): TextToken[] {
  const out: TextToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128 || isPunctuation(c)) {
      if (!isAsciiWordChar(c)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && isAsciiWordChar(text.charCodeAt(j))) j++;
      if (j === n || text.charCodeAt(j) < 128 || isPunctuation(text.charCodeAt(j))) {
        const symbol = j === i + 1 && j < n ? symbolWordAt(text, i) : undefined;
        if (symbol) {
          out.push({ term: symbol.term, start: i, end: symbol.end });
          i = symbol.end;
          continue;
        }
        out.push({ term: text.slice(i, j).toLowerCase(), start: i, end: j });
        i = j;
        continue;
      }
    }
    // A character beyond ASCII here, or right after an ASCII run: the whole run, split as unicode61 would.
    const runAt = runAtRe();
    runAt.lastIndex = i;
    const m = runAt.exec(text);
    if (!m) {
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      continue;
    }
    let at = i;
    for (const word of wordsOf(m[0])) {
      splitRun(word, at, out);
      at += word.length;
    }
    i += m[0].length;
  }
  return out;
}

/**
 * The tokens of a run of letters, digits and marks at `offset`: each Chinese, Japanese or Korean
 * character on its own, and the stretches between them split at the marks FTS5 takes for spaces (in
 * a stretch of a script `foldText` strips, none: they were taken out).
 */
function splitRun(run: string, offset: number, out: TextToken[]): void {
  let start = -1;
  let marksFold = false;
  const flush = (end: number) => {
    if (start < 0) return;
    const term = foldToken(run.slice(start, end), false);
    if (term && hasTokens(term)) out.push({ term, start: offset + start, end: offset + end });
    start = -1;
  };
  const segment = (from: number) => {
    const cjkAll = cjkAllRe();
    cjkAll.lastIndex = from;
    const next = cjkAll.exec(run);
    marksFold = STRIPPED_SCRIPT_RE.test(run.slice(from, next ? next.index : run.length));
  };
  segment(0);
  for (let k = 0; k < run.length; ) {
    const cp = run.codePointAt(k)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = run.slice(k, k + width);
    if (cjkRe().test(ch)) {
      flush(k);
      out.push({ term: foldToken(ch, true), start: offset + k, end: offset + k + width });
      segment(k + width);
    } else if (markRe().test(ch)) {
      // Kept in the token (and folded away) after a letter or digit, or it ends the token.
      if (start >= 0 && !(marksFold || isDiacritic(cp))) flush(k);
    } else if (start < 0) start = k;
    k += width;
  }
  flush(run.length);
}

/** Replaces control characters and lone surrogates with spaces (same length, so offsets survive). */
export function withoutControls(text: string): string {
  return text.replace(CONTROL_RE, (s) => ' '.repeat(s.length));
}

/**
 * Quotes text as an FTS5 string: everything inside is literal, `"` is doubled. Its letters are folded
 * as the index's text was (`foldText`), so FTS5's tokenizer makes the same terms of both.
 */
export function ftsString(text: string, prefix = false): string {
  return `"${foldText(withoutControls(text)).replace(/"/g, '""')}"${prefix ? ' *' : ''}`;
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
