import type { Migration } from './index.ts';
import { refoldEntries } from '../entries.repo.ts';
import { SYMBOL_WORD_HINT_RE } from '../../search/text-tokens.ts';

/**
 * C++ and C# (and F#, g++, ...) are given to the index as one word each, `cplusplus` and `csharp`
 * (`symbolWordAt` in search/text-tokens.ts), where it used to hold only their letter: searching C++
 * found every entry with a lone `c`. Only the entries whose text has a letter followed by `++` or `#`
 * are folded and indexed again.
 */
export const m0011SymbolWords: Migration = {
  version: 11,
  name: 'symbol-words',
  up: '',
  run(db) {
    refoldEntries(db, 'reindex', SYMBOL_WORD_HINT_RE);
  },
};
