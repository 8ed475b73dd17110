import type { Migration } from './index.ts';

/**
 * The journal: one table of entries of four kinds, tags, person names for mention matching, links,
 * revisions, and an FTS5 index (external content over the live entries).
 *
 * The index is kept in step by the repository (`entries.repo.ts`), in the same transaction as each
 * write, not by triggers: a trigger's write runs inside a statement savepoint, and FTS5 flushes its
 * pending terms at every savepoint — measured here, inserts through a trigger were 4-5x slower than
 * the same FTS5 inserts made directly.
 *
 * No `prefix=` index: at 100,000 entries it made the database 33% larger (157 MB vs 118 MB) and saves
 * slower, while `prefix*` queries measured the same within noise (`npm run bench`).
 */
export const m0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE entries (
      rowid          INTEGER PRIMARY KEY,
      id             TEXT    NOT NULL UNIQUE,
      kind           TEXT    NOT NULL CHECK (kind IN ('note', 'bookmark', 'person', 'question')),
      title          TEXT    NOT NULL DEFAULT '',
      body           TEXT    NOT NULL DEFAULT '',
      tags           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
      fields         TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
      created_at     INTEGER NOT NULL,
      updated_at     INTEGER NOT NULL,
      deleted_at     INTEGER,
      source         TEXT    NOT NULL,
      source_ref     TEXT,
      url_normalized TEXT,
      site           TEXT,
      status         TEXT CHECK (status IN ('open', 'answered', 'closed')),
      -- Derived text for the full-text index, maintained by the repository.
      search_tags    TEXT    NOT NULL DEFAULT '',
      search_people  TEXT    NOT NULL DEFAULT '',
      search_extra   TEXT    NOT NULL DEFAULT ''
    );
    CREATE INDEX entries_timeline ON entries (deleted_at, created_at DESC, rowid DESC);
    CREATE INDEX entries_kind_timeline ON entries (kind, deleted_at, created_at DESC);
    CREATE INDEX entries_site ON entries (site) WHERE site IS NOT NULL;
    CREATE INDEX entries_status ON entries (status) WHERE status IS NOT NULL;
    CREATE UNIQUE INDEX entries_bookmark_url ON entries (url_normalized) WHERE kind = 'bookmark';
    CREATE UNIQUE INDEX entries_source_ref ON entries (source, source_ref) WHERE source_ref IS NOT NULL;

    CREATE TABLE entry_tags (
      tag         TEXT    NOT NULL,
      entry_rowid INTEGER NOT NULL REFERENCES entries (rowid) ON DELETE CASCADE,
      PRIMARY KEY (tag, entry_rowid)
    ) WITHOUT ROWID;
    CREATE INDEX entry_tags_entry ON entry_tags (entry_rowid);

    CREATE TABLE person_names (
      key         TEXT    NOT NULL,
      entry_rowid INTEGER NOT NULL REFERENCES entries (rowid) ON DELETE CASCADE,
      PRIMARY KEY (key, entry_rowid)
    ) WITHOUT ROWID;
    CREATE INDEX person_names_entry ON person_names (entry_rowid);

    CREATE TABLE links (
      from_rowid INTEGER NOT NULL REFERENCES entries (rowid) ON DELETE CASCADE,
      to_rowid   INTEGER NOT NULL REFERENCES entries (rowid) ON DELETE CASCADE,
      type       TEXT    NOT NULL CHECK (type IN ('mentions', 'answer-of', 'refers-to', 'recommended-by')),
      PRIMARY KEY (from_rowid, type, to_rowid)
    ) WITHOUT ROWID;
    CREATE INDEX links_to ON links (to_rowid, type);

    CREATE TABLE revisions (
      id          INTEGER PRIMARY KEY,
      entry_rowid INTEGER NOT NULL REFERENCES entries (rowid) ON DELETE CASCADE,
      saved_at    INTEGER NOT NULL,
      title       TEXT    NOT NULL,
      body        TEXT    NOT NULL,
      tags        TEXT    NOT NULL CHECK (json_valid(tags)),
      fields      TEXT    NOT NULL CHECK (json_valid(fields))
    );
    CREATE INDEX revisions_entry ON revisions (entry_rowid, id);

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value))
    ) WITHOUT ROWID;

    -- Only live entries are indexed: the trash is not searched.
    CREATE VIEW live_entries AS
      SELECT rowid AS rid, title, search_tags AS tags, search_people AS people,
             body || char(10) || search_extra AS body
      FROM entries WHERE deleted_at IS NULL;

    CREATE VIRTUAL TABLE entries_fts USING fts5 (
      title, tags, people, body,
      content = 'live_entries', content_rowid = 'rid',
      tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE entries_vocab USING fts5vocab (entries_fts, 'row');

  `,
};
