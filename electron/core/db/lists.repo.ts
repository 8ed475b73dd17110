/**
 * Counts behind the lists of a kind (Questions' tabs, Bookmarks' sites and tags): how many live
 * entries have each value, counted in SQLite over the whole journal, never over a page of them.
 */
import type { Db } from './connection.ts';
import { stmt } from './entries.repo.ts';

export interface FacetRow {
  value: string;
  count: number;
}

/** Most common first, then by value: the order the views show facets in. */
const byCount = (a: FacetRow, b: FacetRow) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/**
 * Live entries of `kind` by status (only questions have one). Through the (kind, deleted_at) index:
 * 15 ms for the 5,503 questions of a 205,000-entry journal.
 */
export function countByStatus(db: Db, kind: string, tag?: string): FacetRow[] {
  const rows = tag
    ? stmt<[string, string], FacetRow>(
        db,
        `SELECT e.status AS value, count(*) AS count FROM entries e
         WHERE e.kind = ? AND e.deleted_at IS NULL AND e.status IS NOT NULL
           AND e.rowid IN (SELECT entry_rowid FROM entry_tags WHERE tag = ?)
         GROUP BY e.status`,
      ).all(kind, tag)
    : stmt<[string], FacetRow>(
        db,
        `SELECT e.status AS value, count(*) AS count FROM entries e
         WHERE e.kind = ? AND e.deleted_at IS NULL AND e.status IS NOT NULL GROUP BY e.status`,
      ).all(kind);
  return rows.sort(byCount);
}

/**
 * Live entries of `kind` by site (only bookmarks have one). Without a tag: every site's entries
 * counted from the site index alone (a covering scan, 4 ms for 23,000 bookmarks), less those in the
 * trash (few, through the kind index); counting the live ones row by row read every bookmark, 40-60 ms.
 */
export function countBySite(db: Db, kind: string, tag?: string): FacetRow[] {
  if (tag) {
    return stmt<[string, string], FacetRow>(
      db,
      `SELECT e.site AS value, count(*) AS count FROM entries e
       WHERE e.kind = ? AND e.deleted_at IS NULL AND e.site IS NOT NULL
         AND e.rowid IN (SELECT entry_rowid FROM entry_tags WHERE tag = ?)
       GROUP BY e.site`,
    )
      .all(kind, tag)
      .sort(byCount);
  }
  // A site is stored for bookmarks only (entries.service toWrite), so the index holds only theirs.
  if (kind !== 'bookmark') return [];
  const counts = new Map<string, number>();
  for (const r of stmt<[], FacetRow>(db, 'SELECT site AS value, count(*) AS count FROM entries INDEXED BY entries_site WHERE site IS NOT NULL GROUP BY site').all()) {
    counts.set(r.value, r.count);
  }
  const trashed = stmt<[string], FacetRow>(
    db,
    `SELECT site AS value, count(*) AS count FROM entries WHERE kind = ? AND deleted_at IS NOT NULL AND site IS NOT NULL GROUP BY site`,
  ).all(kind);
  for (const r of trashed) counts.set(r.value, (counts.get(r.value) ?? 0) - r.count);
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort(byCount);
}

/**
 * Live entries of every kind by tag: each tag's rows counted from entry_tags alone (its primary key is
 * in tag order), less those of entries in the trash (few, through the timeline index). With `tag`,
 * the tags found beside it.
 */
function countAllByTag(db: Db, tag?: string): FacetRow[] {
  const rows = tag
    ? stmt<[string], FacetRow>(
        db,
        `SELECT t.tag AS value, count(*) AS count FROM entry_tags t CROSS JOIN entries e ON e.rowid = t.entry_rowid
         WHERE e.deleted_at IS NULL AND t.entry_rowid IN (SELECT entry_rowid FROM entry_tags WHERE tag = ?)
         GROUP BY t.tag`,
      ).all(tag)
    : stmt<[], FacetRow>(db, 'SELECT tag AS value, count(*) AS count FROM entry_tags GROUP BY tag').all();
  if (tag) return rows.sort(byCount);
  const trashed = new Map(
    stmt<[], FacetRow>(
      db,
      `SELECT t.tag AS value, count(*) AS count FROM entries e CROSS JOIN entry_tags t ON t.entry_rowid = e.rowid
       WHERE e.deleted_at IS NOT NULL GROUP BY t.tag`,
    )
      .all()
      .map((r) => [r.value, r.count]),
  );
  return rows
    .map((r) => ({ value: r.value, count: r.count - (trashed.get(r.value) ?? 0) }))
    .filter((r) => r.count > 0)
    .sort(byCount);
}

/**
 * Live entries of `kind` by tag: the kind's live rows through the (kind, deleted_at) index, their tags
 * through entry_tags' entry index, both covering (24 ms for 23,000 bookmarks). With `tag`, the tags
 * found beside it.
 */
export function countByTag(db: Db, kind: string | undefined, tag?: string): FacetRow[] {
  if (kind === undefined) return countAllByTag(db, tag);
  const rows = tag
    ? stmt<[string, string], FacetRow>(
        db,
        `SELECT t.tag AS value, count(*) AS count FROM entries e CROSS JOIN entry_tags t ON t.entry_rowid = e.rowid
         WHERE e.kind = ? AND e.deleted_at IS NULL AND e.rowid IN (SELECT entry_rowid FROM entry_tags WHERE tag = ?)
         GROUP BY t.tag`,
      ).all(kind, tag)
    : stmt<[string], FacetRow>(
        db,
        `SELECT t.tag AS value, count(*) AS count FROM entries e CROSS JOIN entry_tags t ON t.entry_rowid = e.rowid
         WHERE e.kind = ? AND e.deleted_at IS NULL GROUP BY t.tag`,
      ).all(kind);
  return rows.sort(byCount);
}
