import type { Migration } from './index.ts';
import { normalizeTag } from '../../../../shared/domain/text.ts';
import { siteOf } from '../../../../shared/domain/url.ts';
import { getRowByRowid, updateEntry } from '../entries.repo.ts';

/**
 * Values stored by earlier versions as they are now made: a tag saved with a space or `-` at its end
 * (`a -` was stored as `a `, which `#a` never found and an export brought back as `a`), and the site
 * of a bookmark of `https://example.com./x` (`example.com.`, which `site:example.com` missed). Only
 * the entries holding such a value are written again, through the repository, so their tags table,
 * facets and index entry follow.
 */
export const m0010StoredValues: Migration = {
  version: 10,
  name: 'stored-values',
  up: '',
  run(db) {
    const candidates = db
      .prepare<[], { rowid: number; kind: string; tags: string; site: string | null; fields: string; search_people: string; search_extra: string }>(
        `SELECT rowid, kind, tags, site, fields, search_people, search_extra FROM entries
         WHERE tags <> '[]' OR (kind = 'bookmark' AND site LIKE '%.')`,
      )
      .all();
    for (const c of candidates) {
      const tags = JSON.parse(c.tags) as string[];
      const normalised = [...new Set(tags.map(normalizeTag).filter(Boolean))];
      const fields = JSON.parse(c.fields) as Record<string, unknown>;
      const site = c.kind === 'bookmark' && c.site?.endsWith('.') ? siteOf(String(fields.url ?? '')) || c.site : c.site;
      if (site === c.site && JSON.stringify(normalised) === c.tags) continue;
      const row = getRowByRowid(db, c.rowid)!;
      updateEntry(db, c.rowid, {
        id: row.id,
        kind: row.kind,
        title: row.title,
        body: row.body,
        tags: normalised,
        fields: c.kind === 'bookmark' ? { ...fields, site } : fields,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        deletedAt: row.deleted_at,
        source: row.source,
        sourceRef: row.source_ref,
        urlNormalized: row.url_normalized,
        site,
        status: row.status,
        searchPeople: c.search_people,
        searchExtra: c.search_extra,
      });
    }
  },
};
