import type { Migration } from './index.ts';

/**
 * Date facets: each entry's facets gain the year and the month it was created in, in UTC (see
 * `search/facets.ts`: `facetText` puts them last, as here), so that a short `after:`/`before:` range
 * narrows the matches of common words inside the FTS5 expression. At 100,000 entries
 * `take after:2025-02-01` went from 12 to 8 ms and `tar after:2024-12-01` from 9 to 5 ms.
 *
 * One UPDATE in SQL, then the index is rebuilt from the entries, once: the rebuild is most of the time
 * (about 8 s per 100,000 entries).
 */
export const m0003DateFacets: Migration = {
  version: 3,
  name: 'date-facets',
  up: `
    UPDATE entries SET search_facets = search_facets
      || ' ' || char(0xef00) || 'd' || strftime('%Y', created_at / 1000, 'unixepoch')
      || ' ' || char(0xef00) || 'd' || strftime('%Y%m', created_at / 1000, 'unixepoch');
    INSERT INTO entries_fts (entries_fts) VALUES ('rebuild');
  `,
};
