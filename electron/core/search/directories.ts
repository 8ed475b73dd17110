/**
 * In-memory directories of people, tags and titles for fuzzy pickers and `whoKnows`, refreshed lazily.
 *
 * Change detection is two-level so an unchanged journal costs one tiny query per lookup:
 * 1. `changeStamp`: `PRAGMA data_version` (changes when another connection commits) and
 *    `total_changes()` (rows changed by this connection). Any write anywhere moves it.
 * 2. Only then, a fingerprint of what the directory depends on: for people, the count and the sum of
 *    `updated_at` of person entries (the entries service moves `updated_at` forward on every change,
 *    trash and restore included); for tags, the list of distinct tags (read by skipping through the
 *    tag index, one seek per tag); for people also what moves their mentions (`CHURN_SQL`): the
 *    journal's counts, the newest revision (every edit keeps one) and the trash (a note trashed and
 *    another restored leave the counts as they were). If the fingerprint is unchanged nothing is
 *    reloaded.
 *    Titles are too many to fingerprint (a million entries took a second to sum): the repository
 *    keeps a count per title in `entry_titles` and notes each title it adds, changes or takes away in
 *    `title_changes`, and the directory reads those titles again, one seek each (migration 0004).
 * Popularity priors (mentions per person, uses per tag) are refreshed with the directory; the counts
 * returned to callers are read fresh for the items returned.
 */
import type { Db } from '../db/connection.ts';
import { trashSize } from '../db/entries.repo.ts';
import { FuzzyCatalog, type FuzzyItem } from './fuzzy.ts';
import { ftsString, tagKey, tokenize } from './text-tokens.ts';

/**
 * What moves mentions per person, in three cheap reads: the journal's counts (a few rows), the newest
 * revision (an edit that adds or drops a mention keeps one), and the trash (the times its entries were
 * trashed, summed from the timeline index: usually few rows).
 */
const CHURN_SQL = `(SELECT group_concat(name || '=' || n) FROM journal_counts) || ':' || coalesce((SELECT max(id) FROM revisions), 0) || ':' ||
  (SELECT total(deleted_at) FROM entries WHERE deleted_at IS NOT NULL)`;

export function createChangeStamp(db: Db): () => string {
  const stmt = db.prepare<[], { c: number; v: number }>('SELECT total_changes() AS c, (SELECT data_version FROM pragma_data_version) AS v');
  return () => {
    const r = stmt.get()!;
    return `${r.v}:${r.c}`;
  };
}

/**
 * A directory's refresh: does nothing while the stamp stands still, then reads `fingerprint` and
 * calls `reload` with it only when its `key` moved too.
 */
function refreshWhenChanged<F>(stamp: () => string, fingerprint: () => F, key: (f: F) => string, reload: (f: F) => void): () => void {
  let lastStamp = '';
  let lastKey: string | null = null;
  return () => {
    const s = stamp();
    if (s === lastStamp) return;
    lastStamp = s;
    const f = fingerprint();
    const k = key(f);
    if (k === lastKey) return;
    lastKey = k;
    reload(f);
  };
}

export interface PersonRecord {
  rowid: number;
  id: string;
  title: string;
  name: string;
  aliases: string[];
  topics: string[];
  /** Entries mentioning the person, as of the last refresh. */
  mentions: number;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The live people, each with their mentions from live entries: all of them (an index range) less those
 * from the trash, counted in one pass over the trash for everyone. Counted per person, the trash was
 * walked once per person: 1.3 s after every save with 1,000 entries in the trash and 5,000 people, 73 s
 * with 50,000.
 */
export const PEOPLE_SQL = `WITH trashed AS MATERIALIZED (
       SELECT l.to_rowid AS person, count(*) AS n FROM entries f INDEXED BY entries_timeline
         CROSS JOIN links l ON l.from_rowid = f.rowid AND l.type = 'mentions'
       WHERE f.deleted_at IS NOT NULL GROUP BY l.to_rowid
     )
     SELECT e.rowid, e.id, e.title, e.fields,
       (SELECT count(*) FROM links l WHERE l.to_rowid = e.rowid AND l.type = 'mentions') - coalesce(t.n, 0) AS mentions
     FROM entries e LEFT JOIN trashed t ON t.person = e.rowid WHERE e.kind = 'person' AND e.deleted_at IS NULL`;

/**
 * How many of `all` counted rows belong to live entries: `all` less those of entries in the trash,
 * which `trashed` counts either from the rows themselves (`viaRows`) or by walking the trash,
 * whichever is fewer to read.
 */
function liveOf(db: Db, all: number, trashed: (viaRows: boolean) => number): number {
  const trash = trashSize(db);
  return all === 0 || trash === 0 ? all : all - trashed(all <= trash);
}

export function createPeopleDirectory(db: Db, stamp: () => string) {
  // The people, and how many entries of each kind are live or trashed (journal_counts, a few rows):
  // a note trashed or restored changes whose mentions count.
  const fingerprintStmt = db.prepare<[], { n: number; t: number; c: string | null }>(
    `SELECT count(*) AS n, total(updated_at) AS t, ${CHURN_SQL} AS c FROM entries WHERE kind = 'person'`,
  );
  const loadStmt = db.prepare<[], { rowid: number; id: string; title: string; fields: string; mentions: number }>(PEOPLE_SQL);
  // One person's mentions from live entries (one in the trash is not shown anywhere else either): all
  // of them, an index range, less those from the trash, found from whichever is smaller, the person's
  // mentions or the trash (`+` keeps each trashed entry's probe on the links' primary key). Joining
  // every mention to its entry regardless took people.find's p95 from 0.34 to 2.5 ms at 100,000.
  const mentionsStmt = db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM links WHERE to_rowid = ? AND type = 'mentions'");
  const trashedMentionsViaLinks = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM links l CROSS JOIN entries f ON f.rowid = l.from_rowid WHERE l.to_rowid = ? AND l.type = 'mentions' AND f.deleted_at IS NOT NULL",
  );
  const trashedMentionsViaTrash = db.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM entries f INDEXED BY entries_timeline
       CROSS JOIN links l ON l.from_rowid = f.rowid AND l.type = 'mentions' AND +l.to_rowid = ? WHERE f.deleted_at IS NOT NULL`,
  );

  let people = new Map<string, PersonRecord>();
  // Made on first use: opening the journal (a CLI command, the app's start) never pays for it.
  let catalog: FuzzyCatalog | null = null;

  const refresh = refreshWhenChanged(stamp, () => fingerprintStmt.get()!, (f) => `${f.n}:${f.t}:${f.c}`, () => {
    const next = new Map<string, PersonRecord>();
    for (const row of loadStmt.all()) {
      let fields: Record<string, unknown> = {};
      try {
        fields = JSON.parse(row.fields) as Record<string, unknown>;
      } catch {
        // A malformed row still appears under its title.
      }
      const name = typeof fields.name === 'string' && fields.name.trim() ? fields.name : row.title;
      next.set(row.id, { rowid: row.rowid, id: row.id, title: row.title, name, aliases: strings(fields.aliases), topics: strings(fields.topics), mentions: row.mentions });
    }
    people = next;
    const items: FuzzyItem[] = [...next.values()].map((p) => ({ id: p.id, label: p.name, names: [p.name, ...p.aliases.map((a) => a.replace(/^@/, ''))], prior: p.mentions }));
    (catalog ??= new FuzzyCatalog()).sync(items);
  });

  return {
    /** Live people, current as of this call. */
    all(): ReadonlyMap<string, PersonRecord> {
      refresh();
      return people;
    },
    catalog(): FuzzyCatalog {
      refresh();
      return (catalog ??= new FuzzyCatalog());
    },
    mentionCount(rowid: number): number {
      return liveOf(db, mentionsStmt.get(rowid)?.n ?? 0, (viaRows) => (viaRows ? trashedMentionsViaLinks : trashedMentionsViaTrash).get(rowid)?.n ?? 0);
    },
  };
}

export function createTagDirectory(db: Db, stamp: () => string) {
  // Distinct tags by skipping through the (tag, entry_rowid) primary key: one seek per tag.
  const distinctStmt = db.prepare<[], { tag: string }>(
    `WITH RECURSIVE t(tag) AS (
       SELECT (SELECT min(tag) FROM entry_tags)
       UNION ALL
       SELECT (SELECT min(tag) FROM entry_tags WHERE tag > t.tag) FROM t WHERE t.tag IS NOT NULL
     ) SELECT tag FROM t WHERE tag IS NOT NULL`,
  );
  // Live uses per tag: all uses, less those of entries in the trash (found from the trash).
  const usesStmt = db.prepare<[], { tag: string; n: number }>('SELECT tag, count(*) AS n FROM entry_tags GROUP BY tag');
  const trashedUsesStmt = db.prepare<[], { tag: string; n: number }>(
    'SELECT t.tag, count(*) AS n FROM entries e CROSS JOIN entry_tags t ON t.entry_rowid = e.rowid WHERE e.deleted_at IS NOT NULL GROUP BY t.tag',
  );
  // Live uses: all of the tag's rows (a range of the primary key) less those of entries in the trash,
  // found from whichever is smaller, the tag's uses or the trash. Joining every use to its entry read
  // one table row per use: at 1,000,000 entries `tags.find ""` took 1.5-2 s, a tag on 48,738 entries
  // 143 ms on its own (3.7 ms from a small trash); walking the trash for every candidate tag took
  // `tags.find` to 1-2 s with 50,000 entries in it.
  const usesOfStmt = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entry_tags WHERE tag = ?');
  const trashedUsesViaTag = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM entry_tags t CROSS JOIN entries e ON e.rowid = t.entry_rowid WHERE t.tag = ? AND e.deleted_at IS NOT NULL',
  );
  const trashedUsesViaTrash = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM entries e INDEXED BY entries_timeline CROSS JOIN entry_tags t ON t.tag = ? AND t.entry_rowid = e.rowid WHERE e.deleted_at IS NOT NULL',
  );

  let uses = new Map<string, number>();
  let catalog: FuzzyCatalog | null = null;
  let distinct: string[] = [];
  /** Tags and the parents of nested ones (`ørsted` of `ørsted/wind`) by `tagKey`, made when first asked for. */
  let byKey: Map<string, string[]> | null = null;

  // Uses are read again only when the set of tags changes (counting them all takes a scan of every
  // use); `findTags` orders its candidates by their live counts, read fresh.
  const refresh = refreshWhenChanged(stamp, () => distinctStmt.all().map((r) => r.tag), (tags) => tags.join('\n'), (tags) => {
    uses = new Map(usesStmt.all().map((r) => [r.tag, r.n]));
    for (const r of trashedUsesStmt.all()) uses.set(r.tag, (uses.get(r.tag) ?? 0) - r.n);
    (catalog ??= new FuzzyCatalog()).sync(tags.map((tag) => ({ id: tag, label: `#${tag}`, names: [tag], prior: uses.get(tag) ?? 0 })));
    distinct = tags;
    byKey = null;
  });

  return {
    catalog(): FuzzyCatalog {
      refresh();
      return (catalog ??= new FuzzyCatalog());
    },
    /** Live uses per tag as of the last change to the set of tags: a ranking prior. */
    priors(): ReadonlyMap<string, number> {
      refresh();
      return uses;
    },
    liveCount(tag: string): number {
      return liveOf(db, usesOfStmt.get(tag)?.n ?? 0, (viaRows) => (viaRows ? trashedUsesViaTag : trashedUsesViaTrash).get(tag)?.n ?? 0);
    },
    /**
     * The tags (or parents of nested tags) here written otherwise than `tag` that search takes for it:
     * the same letters but for accents and the letters the index folds (`#orsted`: `ørsted`).
     */
    spellings(tag: string): string[] {
      refresh();
      if (!byKey) {
        byKey = new Map();
        for (const t of distinct) {
          const parts = t.split('/');
          for (let n = 1; n <= parts.length; n++) {
            const name = parts.slice(0, n).join('/');
            const key = tagKey(name);
            const known = byKey.get(key);
            if (!known) byKey.set(key, [name]);
            else if (!known.includes(name)) known.push(name);
          }
        }
      }
      return (byKey.get(tagKey(tag)) ?? []).filter((t) => t !== tag);
    },
  };
}

export interface TitleRecord {
  title: string;
  /** Live entries with this title (a ranking prior). */
  uses: number;
  /** The most recently added of them: where the picker goes (null: not known yet, see `resolved`). */
  rowid: number | null;
}

/**
 * Distinct titles of live entries other than people (people have `people.find`), for a title picker.
 * Entries share a title often (a bookmark saved twice, a recurring "Weekly sync"): one item per title,
 * pointing at its most recently added entry.
 */
export function createTitleDirectory(db: Db, stamp: () => string) {
  const rangeStmt = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(seq) AS lo, max(seq) AS hi FROM title_changes');
  const changesStmt = db.prepare<[number], { seq: number; title: string | null }>('SELECT seq, title FROM title_changes WHERE seq > ? ORDER BY seq');
  const loadStmt = db.prepare<[], TitleRecord>('SELECT title, uses, newest AS rowid FROM entry_titles');
  const oneStmt = db.prepare<[string], { uses: number; rowid: number | null }>('SELECT uses, newest AS rowid FROM entry_titles WHERE title = ?');
  // The newest entry with a title, when entry_titles no longer knows it (it was trashed or renamed):
  // through the title's words in the index, or (a title without words) a scan.
  const newestByWordsStmt = db.prepare<[string, string], { r: number | null }>(
    `SELECT max(e.rowid) AS r FROM entries_fts f CROSS JOIN entries e ON e.rowid = f.rowid
     WHERE entries_fts MATCH ? AND e.title = ? AND e.deleted_at IS NULL AND e.kind <> 'person'`,
  );
  const newestByScanStmt = db.prepare<[string], { r: number | null }>(
    "SELECT max(rowid) AS r FROM entries WHERE title = ? AND deleted_at IS NULL AND kind <> 'person'",
  );

  /** The record with its newest entry found, if entry_titles did not know it. */
  function resolved(t: TitleRecord): TitleRecord {
    if (t.rowid !== null) return t;
    const row = tokenize(t.title).length > 0 ? newestByWordsStmt.get(`title : ${ftsString(t.title)}`, t.title) : newestByScanStmt.get(t.title);
    t.rowid = row?.r ?? null;
    return t;
  }

  let titles = new Map<string, TitleRecord>();
  let catalog: FuzzyCatalog | null = null;
  /** The last change read (`title_changes.seq`); -1 before the first load. */
  let seen = -1;
  let lastStamp = '';

  const item = (t: TitleRecord) => ({ id: t.title, label: t.title, names: [t.title], prior: t.uses });

  function reloadAll(upTo: number): void {
    titles = new Map(loadStmt.all().map((r) => [r.title, r]));
    (catalog ??= new FuzzyCatalog()).sync([...titles.values()].map(item));
    seen = upTo;
  }

  function refresh(): void {
    const s = stamp();
    if (s === lastStamp) return;
    lastStamp = s;
    const { lo, hi } = rangeStmt.get()!;
    const newest = hi ?? 0;
    if (newest === seen) return;
    // First use, a log that went backwards (a journal replaced underneath), or changes dropped before
    // they were read: every title again.
    if (seen < 0 || newest < seen || lo === null || lo > seen + 1) return reloadAll(newest);
    const changes = changesStmt.all(seen);
    const changed = new Set<string>();
    for (const c of changes) {
      if (c.title === null || changed.size >= TITLES_CHANGED_MAX) return reloadAll(changes.at(-1)!.seq);
      changed.add(c.title);
    }
    const upserts: FuzzyItem[] = [];
    const removed: string[] = [];
    for (const title of changed) {
      const now = oneStmt.get(title)!;
      if (now && now.uses > 0) {
        const record = { title, uses: now.uses, rowid: now.rowid };
        titles.set(title, record);
        upserts.push(item(record));
      } else if (titles.delete(title)) removed.push(title);
    }
    (catalog ??= new FuzzyCatalog()).apply(upserts, removed);
    seen = changes.at(-1)?.seq ?? newest;
  }

  return {
    catalog(): FuzzyCatalog {
      refresh();
      return (catalog ??= new FuzzyCatalog());
    },
    /** Titles by text, current as of the last `catalog()` call. */
    get(title: string): TitleRecord | undefined {
      const t = titles.get(title);
      return t && resolved(t);
    },
    /** The most used titles (for an empty query). */
    mostUsed(limit: number): TitleRecord[] {
      refresh();
      return [...titles.values()].sort((a, b) => b.uses - a.uses || (b.rowid ?? 0) - (a.rowid ?? 0)).slice(0, limit).map(resolved);
    },
  };
}

/** More distinct titles changed than this since the last lookup: they are all read again, in one pass. */
export const TITLES_CHANGED_MAX = 2_000;
