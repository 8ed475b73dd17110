import type { Migration } from './index.ts';
import { refoldEntries } from '../entries.repo.ts';
import { SEGMENTED_RE } from '../../search/text-tokens.ts';

/**
 * Thai, Lao, Khmer and Myanmar are written without spaces between words: the index is now given their
 * words apart (`foldText` in search/text-tokens.ts, with Intl.Segmenter's word breaks), so a word
 * inside a sentence can be found. Only the entries with text in those scripts are folded and indexed
 * again (0.2 s to find them at 100,000 entries).
 */
export const m0009WordBreaks: Migration = {
  version: 9,
  name: 'word-breaks',
  up: '',
  run(db) {
    refoldEntries(db, 'reindex', SEGMENTED_RE);
  },
};
