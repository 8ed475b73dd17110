import type { Migration } from './index.ts';

/**
 * What the title picker (`titles.find`) needs to stay current without reading the whole journal:
 *
 * - `entry_titles`: each title it lists (of live entries other than people), how many live entries
 *   carry it and the newest of them (`newest`; NULL once that one is gone, until a lookup finds the
 *   next). The repository keeps it as it writes: a small table, where an index of every entry's title
 *   took a random page per saved entry (an import of a million entries went from 7,400 to 4,700/s).
 * - `title_changes`: the titles the repository has added, changed or taken away since, in order
 *   (`seq`); `title` NULL means "many at once, read them all again" (an import). Kept short: the
 *   repository drops the oldest rows as it adds new ones, and a reader that has fallen further behind
 *   than what is left reads every title again.
 *
 * Before it, the picker summed over every live entry after any write, then grouped them all by title:
 * 3.6 s at 1,000,000 entries (316-410 ms at 100,000), the core busy meanwhile.
 */
export const m0004TitleChanges: Migration = {
  version: 4,
  name: 'title-changes',
  up: `
    CREATE TABLE entry_titles (
      title  TEXT PRIMARY KEY,
      uses   INTEGER NOT NULL,
      newest INTEGER
    ) WITHOUT ROWID;
    INSERT INTO entry_titles (title, uses, newest)
      SELECT title, count(*), max(rowid) FROM entries
      WHERE deleted_at IS NULL AND kind <> 'person' AND title <> '' GROUP BY title;
    CREATE TABLE title_changes (
      seq   INTEGER PRIMARY KEY,
      title TEXT
    );
    INSERT INTO title_changes (title) VALUES (NULL);
  `,
};
