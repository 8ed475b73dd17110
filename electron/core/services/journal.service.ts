/** Whole-journal operations: stats, lossless JSON export/import, backup, and the doctor's checks. */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection.ts';
import * as repo from '../db/entries.repo.ts';
import { OutloudError } from '../../../shared/api/errors.ts';
import type { Entry, LinkType } from '../../../shared/domain/entry.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type DoctorCheck, type DoctorReport, type ImportReport, type JournalExport, type JournalStats } from '../../../shared/domain/journal.ts';
import type { EntriesService } from './entries.service.ts';
import { personKeys } from './entries.service.ts';
import { JournalExportSchema } from './journal-format.ts';

interface JournalDeps {
  databasePath: string;
  now: () => number;
  entries: EntriesService;
}

export function createJournalService(db: Db, deps: JournalDeps) {
  function stats(): JournalStats {
    const byKind: Record<string, number> = { note: 0, bookmark: 0, person: 0, question: 0 };
    for (const r of db.prepare<[], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM entries WHERE deleted_at IS NULL GROUP BY kind').all()) {
      byKind[r.kind] = r.n;
    }
    const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
    let databaseBytes = 0;
    for (const suffix of ['', '-wal']) {
      try {
        databaseBytes += fs.statSync(deps.databasePath + suffix).size;
      } catch {
        // the WAL file may not exist
      }
    }
    return {
      entries: Object.values(byKind).reduce((a, b) => a + b, 0),
      byKind,
      trashed: count('SELECT count(*) AS n FROM entries WHERE deleted_at IS NOT NULL'),
      revisions: count('SELECT count(*) AS n FROM revisions'),
      databasePath: deps.databasePath,
      databaseBytes,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
    };
  }

  function exportJournal(): JournalExport {
    // One read transaction: a consistent snapshot even while another process writes.
    return db.transaction((): JournalExport => {
      const entries = db.prepare<[], repo.EntryRow>('SELECT * FROM entries ORDER BY rowid').all().map(repo.rowToEntry);
      const links = db
        .prepare<[], { from: string; to: string; type: LinkType }>(
          `SELECT f.id AS "from", t.id AS "to", l.type FROM links l
           JOIN entries f ON f.rowid = l.from_rowid JOIN entries t ON t.rowid = l.to_rowid ORDER BY f.rowid, l.type, t.rowid`,
        )
        .all();
      return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: deps.now(), entries, revisions: repo.allRevisions(db), links };
    }).deferred();
  }

  function importJournal(input: { data: unknown }): ImportReport {
    const parsed = JournalExportSchema.safeParse(input.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new OutloudError(
        'VALIDATION',
        `Not an Outloud journal export: ${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'}`,
        parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const data = parsed.data;
    const report: ImportReport = { added: 0, updated: 0, skipped: 0, errors: [] };
    // The indexed people text of each entry, from the file's own links and names, so that every row
    // enters the full-text index once, already complete.
    const inFile = new Map((data.entries as Entry[]).map((e) => [e.id, e]));
    const peopleLinks = new Map<string, string[]>();
    for (const l of data.links) {
      if (l.type === 'mentions' || l.type === 'recommended-by') peopleLinks.set(l.from, [...(peopleLinks.get(l.from) ?? []), l.to]);
    }
    const namesOf = (id: string): string[] => {
      const e = inFile.get(id) ?? (() => {
        const row = repo.getRowById(db, id);
        return row ? repo.rowToEntry(row) : undefined;
      })();
      return e?.kind === 'person' ? [e.person.name, ...e.person.aliases] : [];
    };
    const searchPeopleOf = (entry: Entry) =>
      [...new Set([...(entry.kind === 'person' ? namesOf(entry.id) : []), ...(peopleLinks.get(entry.id) ?? []).flatMap(namesOf)].filter(Boolean))].join(' ');

    db.transaction(() => {
      const written = new Set<number>();
      const persons: number[] = [];
      const linkedFrom = new Set<number>();
      for (const entry of data.entries as Entry[]) {
        const existing = repo.getRowById(db, entry.id);
        const write = deps.entries.toWrite({
          id: entry.id,
          kind: entry.kind,
          title: entry.title,
          body: entry.body,
          tags: entry.tags,
          fields: repo.entryFields(entry),
          createdAt: entry.createdAt,
          updatedAt: entry.updatedAt,
          deletedAt: entry.deletedAt,
          source: entry.source,
          sourceRef: entry.sourceRef,
        });
        write.searchPeople = searchPeopleOf(entry);
        if (existing) {
          if (existing.kind !== entry.kind) {
            report.errors.push({ ref: entry.id, message: `kind differs (${existing.kind} here, ${entry.kind} in the file)` });
            continue;
          }
          if (existing.updated_at >= entry.updatedAt) {
            report.skipped++;
            continue;
          }
          repo.insertRevision(db, existing, entry.updatedAt);
          repo.updateEntry(db, existing.rowid, write);
          written.add(existing.rowid);
          if (entry.kind === 'person') persons.push(existing.rowid);
          report.updated++;
          continue;
        }
        if (write.urlNormalized && entry.kind === 'bookmark') {
          const clash = repo.getBookmarkRowByUrl(db, write.urlNormalized);
          if (clash) {
            report.errors.push({ ref: entry.id, message: `same address as bookmark ${clash.id}; kept the one already here` });
            continue;
          }
        }
        if (write.sourceRef && repo.getRowBySourceRef(db, write.source, write.sourceRef)) {
          report.skipped++;
          continue;
        }
        const rowid = repo.insertEntry(db, write);
        written.add(rowid);
        if (entry.kind === 'person') persons.push(rowid);
        report.added++;
      }
      const revisionExists = db.prepare<[string, number, string, string], { x: number }>(
        'SELECT 1 AS x FROM revisions r JOIN entries e ON e.rowid = r.entry_rowid WHERE e.id = ? AND r.saved_at = ? AND r.title = ? AND r.body = ?',
      );
      const idFree = db.prepare<[number], { x: number }>('SELECT 1 AS x FROM revisions WHERE id = ?');
      const insertRevision = db.prepare(
        'INSERT INTO revisions (id, entry_rowid, saved_at, title, body, tags, fields) VALUES (?, (SELECT rowid FROM entries WHERE id = ?), ?, ?, ?, ?, ?)',
      );
      for (const r of data.revisions) {
        if (!repo.getRowById(db, r.entryId)) continue;
        if (revisionExists.get(r.entryId, r.savedAt, r.title, r.body)) continue;
        insertRevision.run(idFree.get(r.id) ? null : r.id, r.entryId, r.savedAt, r.title, r.body, JSON.stringify(r.tags), JSON.stringify(r.fields));
      }
      for (const l of data.links) {
        const from = repo.getRowById(db, l.from);
        const to = repo.getRowById(db, l.to);
        if (from && to) {
          repo.insertLink(db, from.rowid, to.rowid, l.type);
          // The linking entry's indexed people text depends on its links, which may arrive in a
          // later import call than the entry itself (the CLI imports large files in batches).
          if (!written.has(from.rowid)) linkedFrom.add(from.rowid);
        }
      }
      // Names for mention matching; and the people text of entries here before that gained links.
      for (const rowid of persons) {
        const entry = repo.rowToEntry(repo.getRowByRowid(db, rowid)!);
        if (entry.kind === 'person') repo.setPersonNames(db, rowid, personKeys(entry.person));
      }
      for (const rowid of linkedFrom) {
        const entry = repo.rowToEntry(repo.getRowByRowid(db, rowid)!);
        const own = entry.kind === 'person' ? [entry.person.name, ...entry.person.aliases] : [];
        repo.setSearchPeople(db, rowid, [...new Set([...own, ...repo.mentionedNames(db, rowid)].filter(Boolean))].join(' '));
      }
    }).immediate();
    return report;
  }

  /** A consistent copy of the live database through SQLite's online backup API. */
  async function backup(outFile: string): Promise<{ path: string; bytes: number }> {
    const target = path.resolve(outFile);
    if (target === path.resolve(deps.databasePath)) throw new OutloudError('VALIDATION', 'The backup cannot overwrite the journal itself.');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.partial`;
    await db.backup(tmp);
    fs.renameSync(tmp, target);
    return { path: target, bytes: fs.statSync(target).size };
  }

  /** A dated backup in the data folder's `backups/` (for front ends that must not pick paths). */
  function backupToDataDir(): Promise<{ path: string; bytes: number }> {
    const stamp = new Date(deps.now()).toISOString().replace(/[:.]/g, '-');
    return backup(path.join(path.dirname(deps.databasePath), 'backups', `outloud-${stamp}.sqlite`));
  }

  function doctor(): DoctorReport {
    const checks: DoctorCheck[] = [];
    const integrity = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const integrityOk = integrity.length === 1 && integrity[0]?.integrity_check === 'ok';
    checks.push({ name: 'integrity_check', ok: integrityOk, detail: integrityOk ? 'ok' : integrity.slice(0, 10).map((r) => r.integrity_check).join('; ') });
    const fk = db.pragma('foreign_key_check') as unknown[];
    checks.push({ name: 'foreign_key_check', ok: fk.length === 0, detail: fk.length === 0 ? 'ok' : `${fk.length} rows point at missing entries` });
    try {
      db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)").run();
      checks.push({ name: 'fts5 integrity-check', ok: true, detail: 'ok' });
    } catch (error) {
      checks.push({ name: 'fts5 integrity-check', ok: false, detail: `${(error as Error).message} (run \`outloud doctor --repair\` to rebuild the index)` });
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    checks.push({ name: 'schema version', ok: true, detail: String(version) });
    return { ok: checks.every((c) => c.ok), checks };
  }

  /** Rebuilds the full-text index from the entries table. */
  function rebuildIndex(): void {
    db.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')").run();
  }

  return { stats, exportJournal, importJournal, backup, backupToDataDir, doctor, rebuildIndex };
}

export type JournalService = ReturnType<typeof createJournalService>;
