import type { Migration } from './index.ts';
import { facetText } from '../../search/facets.ts';

/**
 * A fifth column in the full-text index, `facets`: each entry's kind, question status, bookmark site
 * and tags as tokens (see `search/facets.ts`), kept in `entries.search_facets` so the index can take
 * out exactly what it put in. Filters on them become part of the FTS5 expression: at 100,000 entries,
 * `#til browser` went from 30 ms to 8 ms and `site:codecov.io argument` from 10 ms to 1.4 ms
 * (tests/bench/diagnose-search.ts).
 *
 * FTS5 tables cannot gain a column, so the index (and its vocabulary table) is made again and rebuilt
 * from the entries: about 10 s per 100,000 entries, once.
 */
export const m0002SearchFacets: Migration = {
  version: 2,
  name: 'search-facets',
  up: `
    ALTER TABLE entries ADD COLUMN search_facets TEXT NOT NULL DEFAULT '';

    DROP TABLE entries_vocab;
    DROP TABLE entries_fts;
    DROP VIEW live_entries;

    CREATE VIEW live_entries AS
      SELECT rowid AS rid, title, search_tags AS tags, search_people AS people,
             body || char(10) || search_extra AS body, search_facets AS facets
      FROM entries WHERE deleted_at IS NULL;

    CREATE VIRTUAL TABLE entries_fts USING fts5 (
      title, tags, people, body, facets,
      content = 'live_entries', content_rowid = 'rid',
      tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE entries_vocab USING fts5vocab (entries_fts, 'row');
  `,
  run(db) {
    // In rowid order, a chunk at a time: a statement cannot write while another one reads.
    const chunk = db.prepare<[number], { rowid: number; kind: string; status: string | null; site: string | null; tags: string }>(
      'SELECT rowid, kind, status, site, tags FROM entries WHERE rowid > ? ORDER BY rowid LIMIT 5000',
    );
    const update = db.prepare<[string, number]>('UPDATE entries SET search_facets = ? WHERE rowid = ?');
    for (let after = 0, rows = chunk.all(after); rows.length > 0; rows = chunk.all(after)) {
      for (const r of rows) {
        update.run(facetText({ kind: r.kind, status: r.status, site: r.site, tags: JSON.parse(r.tags) as string[] }), r.rowid);
      }
      after = rows.at(-1)!.rowid;
    }
    db.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')").run();
  },
};
