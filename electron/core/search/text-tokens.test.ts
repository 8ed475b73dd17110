import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOLDED_LETTERS } from '../../../shared/domain/text.ts';
import { foldText, ftsString, tokenize } from './text-tokens.ts';

/**
 * The tokenizer's definition, one Unicode regular expression and a fold per token: the reference. Its
 * first branch is C++ and C#: a letter starting a word, then `++` or `#` that end it (a number may follow).
 */
function reference(text: string) {
  const out: Array<{ term: string; start: number; end: number }> = [];
  for (const m of text.matchAll(/(?<![\p{L}\p{N}\p{Co}\p{M}])([A-Za-z])(\+\+|#)(?![\p{L}\p{M}\p{Co}+#])|[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\u0300-\u036f]*/gu)) {
    if (m[1]) {
      out.push({ term: `${m[1].toLowerCase()}${m[2] === '#' ? 'sharp' : 'plusplus'}`, start: m.index, end: m.index + m[0].length });
      continue;
    }
    const term = m[0].normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
    if (!/[\p{L}\p{N}\p{Co}]/u.test(term)) continue;
    out.push({ term, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

describe('tokenize', () => {
  it('splits on anything but letters and digits, folding case and accents, with the offsets of the text', () => {
    expect(tokenize('Fix the FTS5 build: see issue#42, v2.1')).toEqual([
      { term: 'fix', start: 0, end: 3 },
      { term: 'the', start: 4, end: 7 },
      { term: 'fts5', start: 8, end: 12 },
      { term: 'build', start: 13, end: 18 },
      { term: 'see', start: 20, end: 23 },
      { term: 'issue', start: 24, end: 29 },
      { term: '42', start: 30, end: 32 },
      { term: 'v2', start: 34, end: 36 },
      { term: '1', start: 37, end: 38 },
    ]);
    expect(tokenize('José met Ñandú in Zürich').map((t) => t.term)).toEqual(['jose', 'met', 'nandu', 'in', 'zurich']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' -- ')).toEqual([]);
  });

  it('gives the same tokens as its Unicode definition, for ASCII text and any other (property)', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 60 });
    // General Punctuation (’ “ — … a zero-width joiner, a word joiner) ends a word as ASCII punctuation does, on tokenize's ASCII path.
    const mixed = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '-', 'é', 'Ñ', '\u0301', '😀', '_', '\n', 'İ', 'ǅ', '+', '++', '#', 'c', '’', '“', '—', '…', '\u200d', '\u2060'), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(ascii, mixed), (text) => {
        expect(tokenize(text)).toEqual(reference(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('folds the letters FTS5 keeps, as the index is given them: soren for Søren, strasse for STRAẞE', () => {
    expect(tokenize('Søren, Łódź, STRAẞE, Æsir, Œuvre, Þóra, Đorđe, ﬁle, Ĳssel, ıi').map((t) => t.term)).toEqual([
      'soren', 'lodz', 'strasse', 'aesir', 'oeuvre', 'thora', 'dorde', 'file', 'ijssel', 'ii',
    ]);
    expect(foldText('plain text')).toBe('plain text');
    expect(foldText('Bjørn Ødegård')).toBe('Bjorn Odegård');
    expect(ftsString('Søren "ß"', true)).toBe('"Soren ""ss""" *');
  });

  it('leaves text whose only characters beyond ASCII are punctuation and symbols as it is, and folds the letters beside them', () => {
    const quoted = 'It’s “done” — mostly… 50 € · © ✓';
    expect(foldText(quoted)).toBe(quoted);
    expect(foldText(`${quoted} Søren ﬁle e\u0301`)).toBe(`${quoted} Soren file é`);
  });
});

describe('C++ and C#', () => {
  it('reads a letter with ++ or # as one word, cplusplus or csharp, where the letter stands alone and the symbols end the word', () => {
    expect(tokenize('Learning C++17 and C#, not Plan C')).toEqual([
      { term: 'learning', start: 0, end: 8 },
      { term: 'cplusplus', start: 9, end: 12 },
      { term: '17', start: 12, end: 14 },
      { term: 'and', start: 15, end: 18 },
      { term: 'csharp', start: 19, end: 21 },
      { term: 'not', start: 23, end: 26 },
      { term: 'plan', start: 27, end: 31 },
      { term: 'c', start: 32, end: 33 },
    ]);
    expect(tokenize('f# g++ (x++) #c#').map((t) => t.term)).toEqual(['fsharp', 'gplusplus', 'xplusplus', 'csharp']);
    // Not a language's name: the end of a longer word, or symbols the word goes on after.
    expect(tokenize('abc# c+++ c#d c++é 7# ñc++ c+ c + +').map((t) => t.term)).toEqual(['abc', 'c', 'c', 'd', 'c', 'e', '7', 'nc', 'c', 'c']);
    expect(foldText('C++17 and C#')).toBe('cplusplus 17 and csharp');
    expect(foldText('abc# c+++ c#d')).toBe('abc# c+++ c#d');
    expect(ftsString('C++', true)).toBe('"cplusplus" *');
  });

  it('agrees with its definition and with FTS5, whatever stands around the symbols (property)', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2'); CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')");
    const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (1, ?)');
    const terms = db.prepare<[], { term: string }>('SELECT term FROM v ORDER BY offset');
    const units = ['a', 'c', 'C', 'Z', '0', '7', ' ', '_', '.', '+', '++', '#', 'é', 'ñ', '\u0301', '😀', '中', '𝐛', '’', '…', '\u200d', '한'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...units), maxLength: 16 }), (text) => {
        // The reference does not set Chinese or Korean characters apart; FTS5 below is given them so.
        if (!/[中한]/u.test(text)) expect(tokenize(text)).toEqual(reference(text));
        db.exec('DELETE FROM t');
        insert.run(foldText(text));
        expect(terms.all().map((r) => r.term)).toEqual(tokenize(text).map((t) => t.term));
      }),
      { numRuns: 3_000 },
    );
    db.close();
  });
});

describe('the index and tokenize agree', () => {
  it('FTS5 makes the same terms of folded text as tokenize makes of the text, for the folded letters too (property)', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2'); CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')");
    const insert = db.prepare('INSERT INTO t (rowid, x) VALUES (1, ?)');
    const terms = db.prepare<[], { term: string }>('SELECT term FROM v ORDER BY offset');
    const letters = [
      ...Object.keys(FOLDED_LETTERS), 'a', 'Z', 'é', 'Ñ', 'ó', 'ź', '0', '7', ' ', '-', ',', '\n', '\u0301', '\u0308', '\u0323',
      // C++ and C#, and what may stand around them.
      'c', 'C', '+', '++', '#', '_',
      // Greek, Cyrillic, Arabic and Hebrew with their marks; Devanagari, whose marks end a token.
      'ά', 'Σ', 'ς', 'σ', 'ἀ', 'ΐ', 'ё', 'й', 'Ж', 'ك', 'ت', '\u0650', '\u064e', '\u0651', 'ש', '\u05b8', '\u05c1', 'ह', 'न', '\u093f', '\u094d', '\u0940',
      // Chinese, Japanese (kana with and without dakuten, the long-vowel mark) and Korean.
      '中', '文', 'が', 'か', '\u3099', 'ー', 'カ', '서', '울',
      // Thai and Lao, written without spaces (whole words too, for the word breaker to find), with their marks.
      'ก', 'อ', 'น', 'ป', 'ร', 'ะ', 'ม', 'เ', '\u0e38', '\u0e48', '\u0e35', 'ประชุม', 'ก่อน', 'เที่ยง', 'ນັດ', 'ປະຊຸມ', '\u0eb8',
      // Emoji with a variation selector and a keycap, and a private-use character.
      '❤', '\ufe0f', '\u20e3', '\ue000',
      // Compatibility forms: full-width, mathematical bold, a digraph, a Roman numeral, a superscript, half-width kana.
      'ｆ', 'Ｚ', '𝐛', 'ǅ', 'Ⅻ', '²', 'ｶ', 'µ', 'İ',
    ];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...letters), maxLength: 40 }), (text) => {
        db.exec('DELETE FROM t');
        insert.run(foldText(text));
        expect(terms.all().map((r) => r.term)).toEqual(tokenize(text).map((t) => t.term));
      }),
      { numRuns: 3_000 },
    );
    db.close();
  });
});
