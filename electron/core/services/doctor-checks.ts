/**
 * The doctor's checks of a journal, on the connection it is given: `journal.doctor` runs them in a
 * thread of their own, on a connection of their own that only reads (doctor.worker.ts), never on the
 * connection that answers calls, which they held for seconds (7-11 s at 100,000 entries).
 */
import { isBusyError, type Db } from '../db/connection.ts';
import * as repo from '../db/entries.repo.ts';
import type { EntryKind } from '../../../shared/domain/entry.ts';
import type { DoctorCheck, DoctorReport } from '../../../shared/domain/journal.ts';
import { checkExportItem, parseRevisionFields } from './journal-format.ts';
import { journalSnapshot } from './journal.service.ts';

/** The first line of an error's message. */
const errorLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/** The full-text index, and the names its copy takes in the connection's temp schema (checkIndexCopy). */
const INDEX = 'entries_fts';
const COPY = 'doctor_fts';
const COPY_CONTENT = 'doctor_fts_content';
/** FTS5's tables behind an index (docsize is absent with columnsize=0). */
const SHADOW_TABLES = ['data', 'idx', 'docsize', 'config'] as const;

/**
 * The journal's health, check by check, all in one read transaction: one snapshot, so a save by
 * another connection between two statements is not taken for damage, and the connection needs no
 * write lock (a read-only one does). A check that cannot run (a damaged file, a row whose JSON does
 * not parse) fails with the reason, and the others still run; a journal busy in another process is no
 * damage: that error ends the checks (DB_BUSY), as it ends any call.
 */
export function checkJournal(db: Db): DoctorReport {
  const checks: DoctorCheck[] = [];
  const check = (name: string, run: () => { ok: boolean; detail: string }) => {
    try {
      checks.push({ name, ...run() });
    } catch (error) {
      if (isBusyError(error)) throw error;
      checks.push({ name, ok: false, detail: `could not be checked: ${errorLine(error)}` });
    }
  };
  db.transaction(() => {
    // SQLite's check covers the FTS5 index too, from the index structure this connection last read:
    // after another connection's saves that is stale until the index is read again (it reported
    // "fts5: corruption found" on a healthy journal). One lookup reads it in this snapshot.
    try {
      db.prepare(`SELECT rowid FROM ${INDEX} WHERE ${INDEX} MATCH ? LIMIT 1`).get('"integrity"');
    } catch (error) {
      if (isBusyError(error)) throw error; // a damaged index is the checks' to report
    }
    check('fts5 integrity-check', () => checkIndexCopy(db));
    check('integrity_check', () => {
      const integrity = db.pragma('main.integrity_check') as Array<{ integrity_check: string }>;
      const ok = integrity.length === 1 && integrity[0]?.integrity_check === 'ok';
      return { ok, detail: ok ? 'ok' : integrity.slice(0, 10).map((r) => r.integrity_check).join('; ') };
    });
    check('foreign_key_check', () => {
      const fk = db.pragma('main.foreign_key_check') as unknown[];
      return { ok: fk.length === 0, detail: fk.length === 0 ? 'ok' : `${fk.length} rows point at missing entries (run \`outloud doctor --repair\` to remove them)` };
    });
    // Rows whose JSON does not parse: nothing can read them (SQLite checks it on every write, unless
    // its checks were turned off, as another program may have).
    let badJson: string[] | undefined;
    check('stored JSON', () => {
      badJson = invalidJsonRows(db);
      return {
        ok: badJson.length === 0,
        detail: badJson.length === 0 ? 'ok' : `not valid JSON in ${badJson.slice(0, 3).join('; ')}${badJson.length > 3 ? '; …' : ''} (edit or remove them)`,
      };
    });
    // The title picker's counts (migration 0004), which the repository keeps as it writes.
    check('title counts', () => {
      const listed = `SELECT title, uses FROM (${repo.LISTED_TITLES_SQL})`;
      const wrong = db.prepare<[], { n: number }>(
        `SELECT count(*) AS n FROM (SELECT title FROM (${listed} EXCEPT SELECT title, uses FROM entry_titles)
           UNION SELECT title FROM (SELECT title, uses FROM entry_titles EXCEPT ${listed}))`,
      ).get()!.n;
      return { ok: wrong === 0, detail: wrong === 0 ? 'ok' : `${wrong} titles counted wrong (run \`outloud doctor --repair\` to count them again)` };
    });
    // The journal's counts (migration 0005): a count of 0 may have a row or none.
    check('journal counts', () => {
      const kept = 'SELECT name, n FROM journal_counts WHERE n <> 0';
      const recounted = `SELECT name, n FROM (${repo.JOURNAL_COUNTS_SQL}) WHERE n <> 0`;
      const off = db
        .prepare<[], { name: string }>(`SELECT name FROM (${kept} EXCEPT ${recounted}) UNION SELECT name FROM (${recounted} EXCEPT ${kept}) ORDER BY name`)
        .all()
        .map((r) => r.name);
      return { ok: off.length === 0, detail: off.length === 0 ? 'ok' : `counted wrong: ${off.join(', ')} (run \`outloud doctor --repair\` to count them again)` };
    });
    // The entry order search relies on (migration 0006): it may say "out of order" of more than is, never less.
    check('entry order', () => {
      const order = repo.entryOrder(db);
      const actual = db.prepare<[], repo.EntryOrder>(repo.ENTRY_ORDER_SQL).get()!;
      const ok = order.disordered >= actual.disordered && order.newest >= actual.newest;
      return { ok, detail: ok ? 'ok' : 'kept as more in order than it is (run `outloud doctor --repair` to read it again)' };
    });
    // The folded text the index is given for entries with letters its tokenizer keeps (migration 0007).
    check('folded index text', () => {
      const unfolded = repo.refoldEntries(db, 'check');
      return {
        ok: unfolded === 0,
        detail: unfolded === 0 ? 'ok' : `wrong for ${unfolded} ${unfolded === 1 ? 'entry' : 'entries'} (run \`outloud doctor --repair\` to fold their text again)`,
      };
    });
    // What an export would carry that an import refuses (text written before a check existed, or by a
    // bug): its backup could not be restored. The export's own items, checked as an import checks them.
    check('export readable', () => {
      if (badJson === undefined || badJson.length > 0) return { ok: false, detail: 'not checked: the stored JSON could not be read (see above)' };
      const refused = exportRefusals(db);
      return {
        ok: refused.count === 0,
        detail:
          refused.count === 0
            ? 'ok'
            : `an import would refuse ${refused.count} ${refused.count === 1 ? 'item' : 'items'} of this journal's export: ${refused.first.join('; ')}${refused.count > refused.first.length ? '; …' : ''} (edit or remove them)`,
      };
    });
    check('schema version', () => ({ ok: true, detail: String(db.pragma('user_version', { simple: true }) as number) }));
  })();
  return { ok: checks.every((c) => c.ok), checks };
}

/**
 * FTS5's own check of the index against the entries (`integrity-check` with rank 1), run on a copy of
 * the index in the connection's temp schema, over the same entries. FTS5 takes that check as an INSERT,
 * a write: on the journal's own index it held the write lock for its whole run (1.5 s at 100,000
 * entries), so the app's saves waited behind it (and failed past the busy timeout), and a journal
 * opened read-only could not be checked at all. The copy (its blocks, a fifth of the file) is the
 * index as this snapshot holds it, damage included; only temp is written (a read-only connection
 * may do that too), and it goes when the check is done.
 */
function checkIndexCopy(db: Db): { ok: boolean; detail: string } {
  const sql = db.prepare<[string], string>("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(INDEX);
  const definition = sql === undefined ? null : new RegExp(`^CREATE VIRTUAL TABLE ${INDEX} USING fts5\\s*\\(([\\s\\S]*)\\)\\s*$`, 'i').exec(sql);
  const content = definition && /\bcontent\s*=\s*'([A-Za-z_][A-Za-z0-9_]*)'/i.exec(definition[1]!);
  if (!definition || !content) throw new Error(`the index ${INDEX} is not defined as this version of Outloud defines it`);
  const shadows = SHADOW_TABLES.filter((s) => db.prepare("SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = ?").get(`${INDEX}_${s}`));
  // Only temp is written here: a connection that refuses writes (query_only, doctor.worker.ts) takes them for this while.
  const queryOnly = db.pragma('query_only', { simple: true }) === 1;
  if (queryOnly) db.pragma('query_only = OFF');
  const dropCopy = () => db.exec(`DROP TABLE IF EXISTS temp.${COPY}; DROP VIEW IF EXISTS temp.${COPY_CONTENT};`);
  try {
    dropCopy();
    db.exec(
      `CREATE TEMP VIEW ${COPY_CONTENT} AS SELECT * FROM main.${content[1]};
       CREATE VIRTUAL TABLE temp.${COPY} USING fts5 (${definition[1]!.replace(content[0], `content = '${COPY_CONTENT}'`)});`,
    );
    // FTS5's tables are written by FTS5 alone, unless SQLite's defensive mode is off for the copy.
    db.unsafeMode(true);
    try {
      for (const s of shadows) db.exec(`DELETE FROM temp.${COPY}_${s}; INSERT INTO temp.${COPY}_${s} SELECT * FROM main.${INDEX}_${s};`);
    } finally {
      db.unsafeMode(false);
    }
    try {
      db.prepare(`INSERT INTO temp.${COPY} (${COPY}, rank) VALUES ('integrity-check', 1)`).run();
      return { ok: true, detail: 'ok' };
    } catch (error) {
      if (isBusyError(error)) throw error;
      return { ok: false, detail: `${errorLine(error).replaceAll(COPY, INDEX)} (run \`outloud doctor --repair\` to rebuild the index)` };
    }
  } finally {
    try {
      dropCopy();
    } finally {
      if (queryOnly) db.pragma('query_only = ON');
    }
  }
}

/** Entries and revisions whose tags or fields are not valid JSON, named (`entry ID`, `revision N`). */
function invalidJsonRows(db: Db): string[] {
  return db
    .prepare<[], { what: string }>(
      `SELECT 'entry ' || id AS what FROM entries WHERE NOT json_valid(tags) OR NOT json_valid(fields)
       UNION ALL SELECT 'revision ' || id FROM revisions WHERE NOT json_valid(tags) OR NOT json_valid(fields)`,
    )
    .all()
    .map((r) => r.what);
}

/**
 * The items of an export of this journal that its import would refuse (the first three named, by
 * section and id): every entry, revision and link as an export writes them (read in the checks'
 * snapshot), checked as `journal-format.ts` checks a file's, revision fields against their entry's
 * kind included.
 */
function exportRefusals(db: Db): { count: number; first: string[] } {
  const s = journalSnapshot(db, 0);
  let count = 0;
  const first: string[] = [];
  const refuse = (what: string, issue: { path: PropertyKey[]; message: string }) => {
    count++;
    if (first.length < 3) first.push(`${what}${issue.path.length > 0 ? ` ${issue.path.map(String).join('.')}` : ''}: ${issue.message}`);
  };
  for (const e of s.entries) {
    const issue = checkExportItem('entries', e);
    if (issue) refuse(`entry ${e.id}`, issue);
  }
  const refusedRevisions = new Set<number>();
  for (const r of s.revisions) {
    const issue = checkExportItem('revisions', r);
    if (issue) {
      refuse(`revision ${r.id}`, issue);
      refusedRevisions.add(r.id);
    }
  }
  for (const l of s.links) {
    const issue = checkExportItem('links', l);
    if (issue) refuse(`link ${l.from} ${l.type} ${l.to}`, issue);
  }
  const kinds = db.prepare<[], { id: number; kind: EntryKind; fields: string }>(
    'SELECT r.id, e.kind, r.fields FROM revisions r JOIN entries e ON e.rowid = r.entry_rowid ORDER BY r.id',
  );
  for (const r of kinds.iterate()) {
    if (refusedRevisions.has(r.id)) continue;
    const parsed = parseRevisionFields(r.kind, JSON.parse(r.fields));
    if (!parsed.success) refuse(`revision ${r.id}`, parsed.issue);
  }
  return { count, first };
}
