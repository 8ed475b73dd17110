import type { Migration } from './index.ts';

/**
 * The journal: one table of entries of four kinds, tags, person names for mention matching, links,
 * revisions, and an FTS5 index (external content over the live entries, kept current by triggers).
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
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '2 3'
    );
    CREATE VIRTUAL TABLE entries_vocab USING fts5vocab (entries_fts, 'row');

    CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries WHEN new.deleted_at IS NULL BEGIN
      INSERT INTO entries_fts (rowid, title, tags, people, body)
      VALUES (new.rowid, new.title, new.search_tags, new.search_people, new.body || char(10) || new.search_extra);
    END;
    CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries WHEN old.deleted_at IS NULL BEGIN
      INSERT INTO entries_fts (entries_fts, rowid, title, tags, people, body)
      VALUES ('delete', old.rowid, old.title, old.search_tags, old.search_people, old.body || char(10) || old.search_extra);
    END;
    -- One trigger for updates, so the old row always leaves the index before the new one enters.
    CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, body, search_tags, search_people, search_extra, deleted_at ON entries BEGIN
      INSERT INTO entries_fts (entries_fts, rowid, title, tags, people, body)
      SELECT 'delete', old.rowid, old.title, old.search_tags, old.search_people, old.body || char(10) || old.search_extra
      WHERE old.deleted_at IS NULL;
      INSERT INTO entries_fts (rowid, title, tags, people, body)
      SELECT new.rowid, new.title, new.search_tags, new.search_people, new.body || char(10) || new.search_extra
      WHERE new.deleted_at IS NULL;
    END;
  `,
};
