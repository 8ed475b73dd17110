import type { Migration } from './index.ts';

/**
 * `entry_order`: whether the entries were added in the order of their creation times, as far back as
 * search needs to know. Search ranks by relevance and breaks ties by the most recently added (the
 * only order FTS5 can sort by without reading each match's entry), then sorts its window by creation
 * time. That is exact unless a tie runs past the window and an entry outside it, added earlier, was
 * created later: an import or a backdated note. Then the page is ranked again (twice the work; at a
 * million entries the benchmark's common words took twice as long).
 *
 * `newest` is the latest creation time of any entry added so far; `disordered` the largest rowid of an
 * entry added with an earlier creation time than one added before it (0: none). A window whose tied
 * entries all come after `disordered` is already in creation order. Both only grow (a purge or an
 * import that rewrites a creation time leaves them as they were, or raises them): an order they say
 * may be wrong is checked, never one they say is right.
 */
export const m0006EntryOrder: Migration = {
  version: 6,
  name: 'entry-order',
  up: `
    CREATE TABLE entry_order (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      newest     INTEGER NOT NULL,
      disordered INTEGER NOT NULL
    );
    INSERT INTO entry_order (id, newest, disordered)
      SELECT 1,
        coalesce((SELECT max(created_at) FROM entries), 0),
        coalesce((SELECT max(rowid) FROM (
          SELECT rowid, created_at < max(created_at) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS late
          FROM entries) WHERE late), 0);
  `,
};
