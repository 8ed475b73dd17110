/** Whole-journal operations: stats, lossless JSON export/import, backup, the doctor and --repair. */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isJournalFile, writeTransaction, type Db } from '../db/connection.ts';
import * as repo from '../db/entries.repo.ts';
import { OutloudError } from '../../../shared/api/errors.ts';
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import { ENTRY_KINDS, LINK_TYPES, type Entry, type EntryKind, type PersonEntry } from '../../../shared/domain/entry.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type DoctorReport, type ImportReport, type JournalExport, type JournalExportStream, type JournalStats } from '../../../shared/domain/journal.ts';
import { personKeys } from '../../../shared/domain/text.ts';
import type { EntriesService } from './entries.service.ts';
import { importedTags, importRow, importWrite, type ImportRow } from './entry-columns.ts';
import { startDoctor, type DoctorRun } from './doctor-thread.ts';
import { parseJournalExport, parseRevisionFields } from './journal-format.ts';

/** Pages for one step of SQLite's online backup: all of them. */
const ALL_PAGES = 0x7fffffff;
/** The tables whose rows belong to entries, and the columns that say which (foreign keys to entries). */
const ORPHANS = [
  ['entry_tags', ['entry_rowid']],
  ['person_names', ['entry_rowid']],
  ['links', ['from_rowid', 'to_rowid']],
  ['revisions', ['entry_rowid']],
] as const;

/** The permission bits of an existing file, or undefined. */
function modeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** The files SQLite keeps beside a database (WAL mode, or a rollback journal). */
const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/**
 * Pages the write-ahead log may hold while a large import writes (spaceCheckpoints): 32 MB. Importing
 * the 100,000-entry benchmark export took 4.66-4.86 s against 4.80-5.11 s with SQLite's 1,000 (four
 * interleaved pairs; 16,000 and 32,000 were no faster). Another process saving notes beside it went
 * no longer without a save (92-101 ms against 96-97), and made ~10 % fewer saves: one of its commits
 * now and then copies the log.
 */
export const BULK_CHECKPOINT_PAGES = 8_000;

/**
 * What one import transaction writes: validated entries, revisions and links (as in an export), and
 * maybe what each entry is written with, worked out ahead (importRow: the file import's reader does
 * it in its own thread); else it is worked out in the transaction.
 */
export type ImportPart = Pick<JournalExport, 'entries' | 'revisions' | 'links'> & { rows?: Array<ImportRow | string> };

interface JournalDeps {
  databasePath: string;
  now: () => number;
  entries: EntriesService;
  /** The doctor's worker script (doctor-thread.ts): a build's bundle of it; default the sources. */
  doctorWorkerFile?: string;
}

export function createJournalService(db: Db, deps: JournalDeps) {
  /** Backups started by this service (each writes a partial file of its own), and those under way to `backups/`. */
  let backupsStarted = 0;
  const backupsUnderWay = new Set<string>();

  function stats(): JournalStats {
    // The counts the repository keeps (migration 0005): the app asks for them after every change, and
    // counting the entries took 83-110 ms at 1,000,000.
    const counts = repo.journalCounts(db);
    const byKind: Record<string, number> = {};
    let trashed = 0;
    for (const kind of ENTRY_KINDS) {
      byKind[kind] = counts.get(repo.countName(kind, null)) ?? 0;
      trashed += counts.get(repo.countName(kind, 0)) ?? 0;
    }
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
      trashed,
      revisions: counts.get(repo.REVISIONS_COUNT) ?? 0,
      databasePath: deps.databasePath,
      databaseBytes,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
    };
  }

  /**
   * The whole journal in one read transaction (a consistent snapshot, even while another process
   * writes), each section read row by row as `use` takes it: `outloud export` writes a journal of any
   * size in memory that does not grow with it. `use` runs inside the transaction and must not use the
   * database while a section is being read.
   */
  function exportStream<T>(use: (stream: JournalExportStream) => T): T {
    return db.transaction((): T => use(journalSnapshot(db, deps.now()))).deferred();
  }

  /** `journal.export`: the same snapshot, held in memory (for callers that want it as one value). */
  function exportJournal(): JournalExport {
    return exportStream((s) => ({ format: s.format, version: s.version, exportedAt: s.exportedAt, entries: [...s.entries], revisions: [...s.revisions], links: [...s.links] }));
  }

  function importJournal(input: { data: unknown }): ImportReport {
    const parsed = parseJournalExport(input.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new OutloudError(
        'VALIDATION',
        `Not an Outloud journal export: ${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'}`,
        parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    return importValidated(parsed.data as JournalExport);
  }

  /**
   * For the batches of a large import: this connection lets the write-ahead log grow to
   * BULK_CHECKPOINT_PAGES before it copies the log into the database, instead of SQLite's 1,000
   * pages (about one batch), so that a page the batches write again and again (index leaves, the
   * full-text index's segments as they merge) is copied once every few batches rather than after each.
   * The function returned puts the setting back and copies what the log holds (a passive checkpoint:
   * it waits for no one), so the next save does not.
   */
  function spaceCheckpoints(): () => void {
    const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
    return () => {
      if (!db.open) return; // closed meanwhile (the app quitting): the setting went with the connection
      db.pragma(`wal_autocheckpoint = ${before}`);
      db.pragma('wal_checkpoint(PASSIVE)');
    };
  }

  /**
   * Imports entries, revisions and links already validated (journal-format.ts) in one transaction:
   * `journal.import` after it checked its input, and the CLI with each batch of a large file (which it
   * validates as it reads). The new rows' index entries and tags are written at the end of the part,
   * one statement each. The batches of one import share one `session`. `more`: the next batch, when
   * one is ready and the transaction may take it (a large file's import), written in this transaction
   * after the one before, as if in a transaction of its own; undefined ends the transaction. With
   * `more`, each part is emptied once written (the reader thread's copies, which nothing else reads), so
   * that the transaction holds one at a time: `outloud serve` importing the benchmark export peaked
   * at 186-193 MB against 188-196 MB (six interleaved pairs).
   */
  function importValidated(data: ImportPart, session: ImportSession = importSession(), more?: () => ImportPart | undefined): ImportReport {
    return writeTransaction(db, () => {
      const restore = data.entries.length >= repo.BULK_ENTRIES ? repo.setIndexMemory(db, repo.BULK_INDEX_MEMORY) : undefined;
      const report = emptyImportReport();
      for (let part: ImportPart | undefined = data; part; part = more?.()) {
        const pending = repo.pendingRows();
        addImportReport(report, writeImport(part, pending, session));
        repo.writePending(db, pending);
        if (more) letGo(part);
      }
      restore?.();
      return report; // on an error the transaction rolls back, the index setting with it
    });
  }

  /**
   * The work of importValidated, inside its transaction. The tags and index entries of the new rows
   * wait in `pending` for it (repo.writePending), unless something here needs them sooner.
   */
  function writeImport(data: ImportPart, pending: repo.PendingRows, session: ImportSession): ImportReport {
    const { linksRefusedFrom, revisionsRefusedFrom, standIns, held, joined } = session;
    const report = emptyImportReport();
    // The indexed people text of each entry, from the file's own links and names, so that every row
    // enters the full-text index once, already complete.
    const peopleLinks = new Map<string, string[]>();
    for (const l of data.links) {
      if (l.type !== 'mentions' && l.type !== 'recommended-by') continue;
      const to = peopleLinks.get(l.from);
      if (to) to.push(l.to);
      else peopleLinks.set(l.from, [l.to]);
    }
    // Entries of this call whose names may be asked for: the people, and whatever a link points to.
    const linkedTo = new Set<string>();
    for (const to of peopleLinks.values()) for (const id of to) linkedTo.add(id);
    const inFile = new Map<string, Entry>();
    for (const e of data.entries) if (e.kind === 'person' || linkedTo.has(e.id)) inFile.set(e.id, e);
    const storedNames = new Map<string, string[]>();
    const namesOf = (id: string): string[] => {
      const e = inFile.get(id);
      if (e) return e.kind === 'person' ? [e.person.name, ...e.person.aliases] : [];
      let names = storedNames.get(id);
      if (!names) storedNames.set(id, (names = repo.personNamesById(db, id)));
      return names;
    };
    const searchPeopleOf = (entry: Entry): string => {
      const to = peopleLinks.get(entry.id);
      if (entry.kind !== 'person' && !to) return '';
      const names = [...(entry.kind === 'person' ? namesOf(entry.id) : []), ...(to ?? []).flatMap(namesOf)].filter(Boolean);
      return [...new Set(names)].join(' ');
    };

    // Rowids of the entries this call wrote that its links and revisions refer to, by id: found
    // without a query. And which of those rows this call wrote (their people text is complete).
    const referenced = new Set<string>();
    for (const l of data.links) referenced.add(l.from).add(l.to);
    for (const r of data.revisions) referenced.add(r.entryId);
    const rowids = new Map<string, number>();
    const written = new Set<number>();
    const wrote = (id: string, rowid: number) => {
      held.add(rowid);
      if (!referenced.has(id)) return;
      rowids.set(id, rowid);
      written.add(rowid);
    };
    const insertStandIn = repo.stmt<[number, number, string, string, string, string], { id: number }>(
      db,
      'INSERT INTO revisions (entry_rowid, saved_at, title, body, tags, fields) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    );
    const persons: Array<[number, PersonEntry]> = [];
    /** People here whose names the file changed: what mentions them indexes their names. */
    const renamed: number[] = [];
    const linkedFrom = new Set<number>();
    // The row here of an entry of the file, by the file's id: what this call wrote, a bookmark or an
    // entry from the same source the file's joined (in this call or an earlier one), else the id here.
    const rowidOf = (id: string) => rowids.get(id) ?? joined.get(id) ?? repo.rowidById(db, id);
    // Whether the file's links from an entry come in (see ImportSession): they do when this import
    // wrote it or found the same version here, not when it left another here (unless this call wrote
    // the entry before: a file may hold it twice).
    const linksCome = (id: string) => {
      linksRefusedFrom.delete(id);
      revisionsRefusedFrom.delete(id);
    };
    const linksStay = (id: string) => {
      if (!rowids.has(id)) linksRefusedFrom.add(id);
    };
    // An entry refused brings nothing in: not its links, and not its revisions, which would otherwise
    // go to whatever entry here has its id (another kind, another bookmark).
    const refuse = (id: string, message: string) => {
      report.errors.push({ ref: id, message });
      linksStay(id);
      if (!rowids.has(id)) revisionsRefusedFrom.add(id);
    };
    /**
     * The file's entry `id` is the row here at `rowid` under another id (a bookmark of the same address,
     * an entry from the same source): the file's links to it (and from a joined bookmark, whose notes
     * came in) go to that row, in later calls too; its revisions stay out (they are another history).
     */
    const joinTo = (id: string, rowid: number) => {
      held.add(rowid);
      joined.set(id, rowid);
      revisionsRefusedFrom.add(id);
    };
    /**
     * A bookmark of an address another bookmark here has, under another id (a colleague's journal):
     * its notes, tags and excerpt join that bookmark, as saving the address again does. The file's
     * links to and from it go to that bookmark; its revisions stay out (they are another history).
     */
    const mergeInto = (here: repo.EntryRow, entry: Extract<Entry, { kind: 'bookmark' }>) => {
      const notes = entry.bookmark.notes.length > 0 ? entry.bookmark.notes : entry.body.trim() ? [entry.body] : [''];
      const before = here.updated_at;
      let after = before;
      try {
        notes.forEach((note, i) => {
          const input = EntryCreateInput.parse({
            kind: 'bookmark',
            title: entry.title,
            body: note,
            tags: i === 0 ? importedTags(entry.tags) : [],
            bookmark: { url: entry.bookmark.url, excerpt: entry.bookmark.excerpt },
          });
          after = deps.entries.create(input).updatedAt;
        });
      } catch (error) {
        const reason = error instanceof OutloudError ? error.message : error instanceof Error ? error.message.split('\n')[0] : String(error);
        report.errors.push({ ref: entry.id, message: `not joined to bookmark ${here.id} of the same address: ${reason}` });
        linksStay(entry.id);
        revisionsRefusedFrom.add(entry.id);
        return;
      }
      joinTo(entry.id, here.rowid);
      if (after !== before) report.updated++;
      else report.skipped++;
    };
    for (const [i, entry] of data.entries.entries()) {
      const row = data.rows?.[i] ?? importRow(entry);
      if (typeof row === 'string') {
        refuse(entry.id, row);
        continue;
      }
      const write = importWrite(entry, row, searchPeopleOf(entry));
      // The common case, an entry new to this journal, in one statement; the rest is sorted out below.
      const inserted = repo.insertEntryIfNew(db, write, pending, row.text);
      if (inserted !== undefined) {
        linksCome(entry.id);
        wrote(entry.id, inserted);
        if (entry.kind === 'person') persons.push([inserted, entry]);
        report.added++;
        continue;
      }
      repo.writePending(db, pending); // what follows may read or replace the tags and index entries of rows above
      const existing = repo.getRowById(db, entry.id);
      if (existing) {
        if (existing.kind !== entry.kind) {
          refuse(entry.id, `kind differs (${existing.kind} here, ${entry.kind} in the file)`);
          continue;
        }
        if (existing.updated_at >= entry.updatedAt) {
          // The same version has the file's links: those not here yet come in (an import cut short
          // brings them when run again). A newer one here keeps its own.
          if (existing.updated_at === entry.updatedAt) linksCome(entry.id);
          else linksStay(entry.id);
          held.add(existing.rowid);
          report.skipped++;
          continue;
        }
        const clash = otherBookmarkAt(write, existing.rowid);
        if (clash) {
          held.add(existing.rowid); // the same entry, in a version here the file's does not replace: links to it still come in
          refuse(entry.id, sameAddress(clash));
          continue;
        }
        // The version here is kept as a revision, unless the file's holds the same text (an entry only
        // trashed or restored there). Saved when the file's version replaced it, as far as this journal
        // knows: the file's own revision of that version, if it has one, takes its place (below).
        if (!sameVersion(rowVersion(existing), write)) {
          standIns.set(entry.id, insertStandIn.get(existing.rowid, entry.updatedAt, existing.title, existing.body, existing.tags, existing.fields)!.id);
          repo.addToCount(db, repo.REVISIONS_COUNT, 1);
        }
        repo.updateEntry(db, existing.rowid, write);
        if (existing.created_at !== entry.createdAt) repo.noteCreationRewritten(db, entry.createdAt);
        // The file's version comes with its own links (below, or in a later call): the old text's go.
        clearLinksFrom(existing.rowid);
        linksCome(entry.id);
        wrote(entry.id, existing.rowid);
        if (entry.kind === 'person') {
          persons.push([existing.rowid, entry]);
          renamed.push(existing.rowid);
        }
        report.updated++;
        continue;
      }
      const clash = otherBookmarkAt(write);
      if (clash && entry.kind === 'bookmark') {
        mergeInto(clash, entry);
        continue;
      }
      const sameSource = write.sourceRef ? repo.getRowBySourceRef(db, write.source, write.sourceRef) : undefined;
      if (sameSource) {
        // The same item of a source, imported here too: links to it come in; its own text stays as it
        // is here, and with it the links from it.
        if (sameSource.kind !== entry.kind) {
          refuse(entry.id, `kind differs (${sameSource.kind} ${sameSource.id} here comes from the same source, ${entry.kind} in the file)`);
          continue;
        }
        joinTo(entry.id, sameSource.rowid);
        linksStay(entry.id);
        report.skipped++;
        continue;
      }
      // Not reached by a conflict the checks above know; the insert reports what it is.
      const rowid = repo.insertEntry(db, write);
      linksCome(entry.id);
      wrote(entry.id, rowid);
      if (entry.kind === 'person') persons.push([rowid, entry]);
      report.added++;
    }
    if (data.revisions.length > 0) {
      const revisionExists = repo.stmt<[number, number, string, string], { x: number }>(
        db,
        'SELECT 1 AS x FROM revisions WHERE entry_rowid = ? AND saved_at = ? AND title = ? AND body = ?',
      );
      const idFree = repo.stmt<[number], { x: number }>(db, 'SELECT 1 AS x FROM revisions WHERE id = ?');
      const kindOf = repo.stmt<[number], { kind: EntryKind }>(db, 'SELECT kind FROM entries WHERE rowid = ?');
      const insertRevision = repo.stmt(db, 'INSERT INTO revisions (id, entry_rowid, saved_at, title, body, tags, fields) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const revisionById = repo.stmt<[number, number], { title: string; body: string; tags: string; fields: string }>(
        db,
        'SELECT title, body, tags, fields FROM revisions WHERE id = ? AND entry_rowid = ?',
      );
      const deleteRevision = repo.stmt<[number]>(db, 'DELETE FROM revisions WHERE id = ?');
      let added = 0;
      for (const r of data.revisions) {
        if (revisionsRefusedFrom.has(r.entryId)) continue;
        const rowid = rowidOf(r.entryId);
        // A revision of an entry the file does not hold is not the file's to give (it would become a
        // version of whatever entry here has that id, restorable over it).
        if (rowid === undefined || !held.has(rowid)) {
          report.leftOut++;
          continue;
        }
        if (revisionExists.get(rowid, r.savedAt, r.title, r.body)) continue;
        // Checked against the kind of the entry here (a file's revision may belong to one already in
        // the journal, or come in a later batch than its entry): restoring it must give a valid entry.
        const fields = parseRevisionFields(kindOf.get(rowid)!.kind, r.fields);
        if (!fields.success) {
          report.errors.push({ ref: r.entryId, message: `revision ${r.id} left out: its ${fields.issue.path.join('.')} is not valid (${fields.issue.message})` });
          continue;
        }
        // The file's own record of the version an import replaced here: it comes in with its time (and
        // its id) in place of the stand-in, so the history here is the file's, not that version twice.
        const standIn = standIns.get(r.entryId);
        const replaced = standIn === undefined ? undefined : revisionById.get(standIn, rowid);
        if (replaced && sameVersion(rowVersion(replaced), { ...r, fields: fields.data })) {
          deleteRevision.run(standIn!);
          standIns.delete(r.entryId);
          added--;
        }
        // The file's id is kept where it is free and leaves room for the journal's own after it.
        const id = r.id <= MAX_KEPT_REVISION_ID && !idFree.get(r.id) ? r.id : null;
        insertRevision.run(id, rowid, r.savedAt, r.title, r.body, JSON.stringify(importedTags(r.tags)), JSON.stringify(fields.data));
        added++;
      }
      repo.addToCount(db, repo.REVISIONS_COUNT, added);
      report.revisions += added;
    }
    for (const l of data.links) {
      if (linksRefusedFrom.has(l.from)) continue;
      const from = rowidOf(l.from);
      const to = from === undefined ? undefined : rowidOf(l.to);
      // Links join entries of the file: one with an end the file does not hold would link entries
      // here the file knows nothing of.
      if (from === undefined || to === undefined || !held.has(from) || !held.has(to)) {
        report.leftOut++;
        continue;
      }
      report.links += repo.insertLink(db, from, to, l.type);
      // The linking entry's indexed people text depends on its links, which may arrive in a
      // later import call than the entry itself (the CLI imports large files in batches).
      if (!written.has(from)) linkedFrom.add(from);
    }
    // Names for mention matching; and the people text of entries here before that gained links, or
    // that mention someone the file renamed.
    for (const [rowid, entry] of persons) repo.setPersonNames(db, rowid, personKeys(entry.person));
    for (const person of renamed) for (const rowid of repo.mentionerRowids(db, person)) if (!written.has(rowid)) linkedFrom.add(rowid);
    if (linkedFrom.size > 0) repo.writePending(db, pending); // their index entries change below
    repo.refreshSearchPeople(db, linkedFrom);
    return report;
  }

  /** The bookmark here, other than the entry at `self`, with the address of `write` (a bookmark): one per address. */
  function otherBookmarkAt(write: repo.EntryWrite, self?: number): repo.EntryRow | undefined {
    if (write.urlNormalized === null) return undefined;
    const row = repo.getBookmarkRowByUrl(db, write.urlNormalized);
    return row && row.rowid !== self ? row : undefined;
  }

  /** Removes every link from an entry (the links to it stay). */
  function clearLinksFrom(rowid: number): void {
    for (const type of LINK_TYPES) repo.setOutgoingLinks(db, rowid, type, []);
  }

  /**
   * Copies the journal to `outFile` (replacing it) with SQLite's online backup. `signal` cancels it
   * (CANCELLED): nothing is written then, and a file it would replace stays as it was.
   */
  async function backup(outFile: string, signal?: AbortSignal): Promise<{ path: string; bytes: number }> {
    const target = path.resolve(outFile);
    if (isJournalFile(deps.databasePath, target)) throw new OutloudError('VALIDATION', 'The backup cannot overwrite the journal itself.');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // A partial file of its own: two backups at once (a double click) must not write into one.
    const tmp = `${target}.${process.pid}.${++backupsStarted}.partial`;
    const cancelled = () => new OutloudError('CANCELLED', 'The backup was cancelled; nothing was written.');
    if (signal?.aborted) throw cancelled();
    try {
      // All pages in one step. Copied a hundred at a time (better-sqlite3's default), the copy starts
      // over whenever another process commits: beside an app saving every few seconds a 50 MB journal
      // took minutes, and one saved to more often never finished. The step holds a read snapshot only,
      // so the app's saves go on meanwhile.
      await db.backup(tmp, { progress: () => ALL_PAGES });
      // A cancel asked for while the copy ran (one step, which JavaScript waited for) is heard now.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw cancelled();
      // What a crashed program left beside the file this one replaces belongs to that file: a `-wal`
      // left there would be replayed over the backup when it is opened (pages of another database).
      for (const suffix of SIDE_FILES) fs.rmSync(target + suffix, { force: true });
      // A backup written over an earlier one keeps who may read it (a copy kept private stays so).
      const kept = modeOf(target);
      if (kept !== undefined) fs.chmodSync(tmp, kept);
      fs.renameSync(tmp, target);
    } catch (error) {
      for (const suffix of ['', ...SIDE_FILES]) fs.rmSync(tmp + suffix, { force: true });
      throw error;
    }
    return { path: target, bytes: fs.statSync(target).size };
  }

  /**
   * A dated backup in the data folder's `backups/` (for front ends that must not pick paths): a name
   * no other backup has taken, or is taking, also within one millisecond.
   */
  async function backupToDataDir(): Promise<{ path: string; bytes: number }> {
    const stamp = new Date(deps.now()).toISOString().replace(/[:.]/g, '-');
    const folder = path.join(path.dirname(deps.databasePath), 'backups');
    let target = path.join(folder, `outloud-${stamp}.sqlite`);
    for (let n = 2; backupsUnderWay.has(target) || fs.existsSync(target); n++) target = path.join(folder, `outloud-${stamp}-${n}.sqlite`);
    backupsUnderWay.add(target);
    try {
      return await backup(target);
    } finally {
      backupsUnderWay.delete(target);
    }
  }

  /** The doctor under way: a call made while it runs gets its report rather than starting another. */
  let doctorRun: DoctorRun | undefined;
  let closed = false;

  /**
   * The journal's health, check by check (doctor-checks.ts), in a thread of its own on a connection of
   * its own (doctor-thread.ts): this thread goes on answering calls meanwhile.
   */
  async function doctor(): Promise<DoctorReport> {
    if (closed) throw new OutloudError('CANCELLED', 'The journal is closed.');
    const run = (doctorRun ??= startDoctor(deps.databasePath, deps.doctorWorkerFile));
    try {
      return await run.report;
    } finally {
      if (doctorRun === run) doctorRun = undefined;
    }
  }

  /** Stops a doctor under way (its caller hears CANCELLED), before the journal closes. */
  function close(): Promise<void> {
    closed = true;
    const run = doctorRun;
    doctorRun = undefined;
    return run ? run.stop() : Promise.resolve();
  }

  /**
   * Rebuilds the full-text index (with each entry's folded text made again), the title picker's counts
   * and the journal's counts from the entries, after removing rows of entries that are gone (written
   * by a program with foreign keys off: a revision left so would join the next entry given its rowid).
   * Takes the write lock first, as every write does: a read, then a write, fails when another process
   * saved in between.
   */
  function rebuildIndex(): void {
    writeTransaction(db, () => {
      for (const [table, columns] of ORPHANS) {
        db.prepare(`DELETE FROM ${table} WHERE ${columns.map((c) => `${c} NOT IN (SELECT rowid FROM entries)`).join(' OR ')}`).run();
      }
      repo.refoldEntries(db, 'store');
      db.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')").run();
      repo.recountTitles(db);
      repo.recountJournal(db);
      repo.recountEntryOrder(db);
    });
  }

  return { stats, exportJournal, exportStream, importJournal, importValidated, spaceCheckpoints, backup, backupToDataDir, doctor, rebuildIndex, close };
}

export type JournalService = ReturnType<typeof createJournalService>;

/**
 * What the calls of one import share (`importValidated` with each batch of a file). `linksRefusedFrom`:
 * ids of entries the import left as they are because the journal's version is newer (or the file's
 * could not be taken): the file's links from them belong to an older text, so they do not come in.
 * journal-import.ts sends a link with the later of its two entries, or after all the entries, so
 * often in a later batch than the entry it is from. A batch that writes the entry, or finds the very
 * same version here, takes its id out again. One per import, so what an import does never depends on
 * the imports before it in the same process.
 */
export interface ImportSession {
  /**
   * The rows here the file's entries are: written, found here as they are or newer, or joined. Only
   * their revisions, and links between two of them, come in.
   */
  readonly held: RowidSet;
  /** Entries of the file joined to a row here under another id (`joinTo`), by the file's id. */
  readonly joined: Map<string, number>;
  readonly linksRefusedFrom: Set<string>;
  /** Ids of entries the import refused (an error in the report): their revisions do not come in either. */
  readonly revisionsRefusedFrom: Set<string>;
  /**
   * The revision each entry the import replaced with the file's newer version keeps of the version
   * that was here, by entry id: the file's revisions (often in a later batch) may hold that very
   * version, saved at its own time, which then takes the stand-in's place.
   */
  readonly standIns: Map<string, number>;
}

/** Empties a part that was written, so that a transaction of several holds one at a time. */
function letGo(part: ImportPart): void {
  part.entries.length = 0;
  part.revisions.length = 0;
  part.links.length = 0;
  if (part.rows) part.rows.length = 0;
}

export const emptyImportReport = (): ImportReport => ({ added: 0, updated: 0, skipped: 0, revisions: 0, links: 0, leftOut: 0, errors: [] });

/** Adds what `more` reports to `report`. */
export function addImportReport(report: ImportReport, more: ImportReport): void {
  report.added += more.added;
  report.updated += more.updated;
  report.skipped += more.skipped;
  report.revisions += more.revisions;
  report.links += more.links;
  report.leftOut += more.leftOut;
  for (const error of more.errors) report.errors.push(error);
}

export const importSession = (): ImportSession => ({
  held: new RowidSet(),
  joined: new Map(),
  linksRefusedFrom: new Set(),
  revisionsRefusedFrom: new Set(),
  standIns: new Map(),
});

/**
 * A set of rowids in one bit each (rowids of a journal run from 1 with few gaps): the rows a million-
 * entry import holds take 125 KB, where a Set of numbers takes tens of megabytes. A rowid far beyond
 * the rest (a file cannot choose rowids, but a journal's may have been set by hand) goes to a Set.
 */
export class RowidSet {
  private bits = new Uint8Array(1024);
  private readonly far = new Set<number>();
  /** Rowids below this are bits: 2^27 of them in at most 16 MB. */
  private static readonly BIT_LIMIT = 2 ** 27;

  add(rowid: number): void {
    if (!Number.isSafeInteger(rowid) || rowid < 0 || rowid >= RowidSet.BIT_LIMIT) {
      this.far.add(rowid);
      return;
    }
    const byte = rowid >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte]! |= 1 << (rowid & 7);
  }

  has(rowid: number): boolean {
    if (!Number.isSafeInteger(rowid) || rowid < 0 || rowid >= RowidSet.BIT_LIMIT) return this.far.has(rowid);
    const byte = rowid >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (rowid & 7))) !== 0;
  }
}

/** What a revision keeps of a version of an entry. */
interface Version {
  title: string;
  body: string;
  tags: readonly string[];
  fields: unknown;
}

/** A stored row (an entry's or a revision's) as a Version. */
const rowVersion = (row: { title: string; body: string; tags: string; fields: string }): Version => ({
  title: row.title,
  body: row.body,
  tags: JSON.parse(row.tags) as string[],
  fields: JSON.parse(row.fields) as unknown,
});

/** Whether two versions hold the same text, tags and fields (the fields' key order aside). */
function sameVersion(a: Version, b: Version): boolean {
  return a.title === b.title && a.body === b.body && isDeepStrictEqual(a.tags, b.tags) && isDeepStrictEqual(a.fields, b.fields);
}

/**
 * Revision ids from a file above this are not kept (the journal numbers them): the journal's own come
 * after the largest, and must stay integers JavaScript holds exactly (below 2^53).
 */
export const MAX_KEPT_REVISION_ID = 2 ** 48;

/** Why an import left out a bookmark whose address another bookmark here has. */
const sameAddress = (clash: repo.EntryRow) => `same address as bookmark ${clash.id}; kept the one already here`;

/**
 * The whole journal as an export, each section read from `db` row by row as it is iterated. Call it
 * inside a read transaction, which its first read (the counts) begins the snapshot of; keep the
 * transaction open until every section has been read.
 */
export function journalSnapshot(db: Db, exportedAt: number): JournalExportStream {
  const counts = db
    .prepare<[], JournalExportStream['counts']>(
      // Counted as the sections read them: rows of entries that are gone are not in the export.
      `SELECT (SELECT count(*) FROM entries) AS entries,
        (SELECT count(*) FROM revisions r JOIN entries e ON e.rowid = r.entry_rowid) AS revisions,
        (SELECT count(*) FROM links l JOIN entries f ON f.rowid = l.from_rowid JOIN entries t ON t.rowid = l.to_rowid) AS links`,
    )
    .get()!;
  const section = <X>(read: (db: Db) => Iterable<X>): Iterable<X> => ({ [Symbol.iterator]: () => read(db)[Symbol.iterator]() });
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt,
    counts,
    entries: section(repo.allEntries),
    revisions: section(repo.allRevisions),
    links: section(repo.allLinks),
  };
}
