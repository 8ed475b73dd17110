import type { Migration } from './index.ts';
import { refoldEntries } from '../entries.repo.ts';

/**
 * Text the index's tokenizer would not fold or would cut wrongly is given to it folded (`foldText` in
 * search/text-tokens.ts), as the words searched for are: letters it keeps as they are (ø, ł, ß, æ, œ,
 * þ, đ and the PDF ligatures: `soren` finds Søren), the accents and vowel marks of Greek, Cyrillic,
 * Arabic and Hebrew, compatibility forms (full-width, mathematical bold), and Chinese, Japanese and
 * Korean characters set apart so a word inside a run of them can be found. FTS5 cannot be given a
 * tokenizer of our own through better-sqlite3, so the entries whose text folding changes keep the
 * folded text in `search_folded` (a JSON array of title, tags, people and body; NULL for all others),
 * and the view the index reads reads it from there. Only those entries are indexed again, the others
 * keep their index entries as they are.
 */
export const m0007FoldedLetters: Migration = {
  version: 7,
  name: 'folded-letters',
  up: `
    ALTER TABLE entries ADD COLUMN search_folded TEXT CHECK (search_folded IS NULL OR json_valid(search_folded));

    DROP VIEW live_entries;
    CREATE VIEW live_entries AS
      SELECT rowid AS rid,
        coalesce(search_folded ->> 0, title) AS title,
        coalesce(search_folded ->> 1, search_tags) AS tags,
        coalesce(search_folded ->> 2, search_people) AS people,
        coalesce(search_folded ->> 3, body || char(10) || search_extra) AS body,
        search_facets AS facets
      FROM entries WHERE deleted_at IS NULL;
  `,
  run(db) {
    refoldEntries(db, 'reindex');
  },
};
