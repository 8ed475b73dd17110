/**
 * The core: opens the journal and exposes the contract's handlers behind one validated dispatch.
 * The CLI, the loopback HTTP server and the Electron main process are thin front doors to this.
 */
import path from 'node:path';
import { contract, isMethodName, type Handlers, type MethodName } from '../../shared/api/contract.ts';
import { OutloudError, type ApiError, type Result } from '../../shared/api/errors.ts';
import { shortened } from '../../shared/domain/text.ts';
import { DATABASE_FILE, isBusyError, isReadOnlyError, openDatabase, type Db } from './db/connection.ts';
import { createEntriesService, type EntriesService } from './services/entries.service.ts';
import { createJournalService, type JournalService } from './services/journal.service.ts';
import { createSearchService } from './search/search.service.ts';

export interface CoreOptions {
  dataDir: string;
  /** For tests: a fixed clock. */
  now?: () => number;
  /**
   * The doctor's worker script (services/doctor-thread.ts): a build's bundle of it (the app's core
   * worker and the CLI bundle pass theirs); default doctor.worker.ts from the sources.
   */
  doctorWorkerFile?: string;
  /** The import's reader script (files/journal-import-thread.ts), likewise; default journal-import.worker.ts from the sources. */
  importWorkerFile?: string;
}

export interface Core {
  readonly dataDir: string;
  readonly databasePath: string;
  readonly db: Db;
  readonly handlers: Handlers;
  /** Services for front doors that need more than the contract (the CLI's backup, doctor --repair). */
  readonly services: { entries: EntriesService; journal: JournalService };
  /** The import's reader script, as openCore was given it (the file imports pass it on). */
  readonly importWorkerFile?: string;
  /** Validates `input` against the method's schema, runs it, and never throws. */
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
  /** Closes the journal; a doctor under way stops (its call answers CANCELLED) and its thread ends. */
  close(): void;
}

export function openCore(options: CoreOptions): Core {
  const databasePath = path.join(options.dataDir, DATABASE_FILE);
  const db = openDatabase(databasePath);
  const now = options.now ?? Date.now;
  const entries = createEntriesService(db, now);
  const search = createSearchService(db, { now });
  const journal = createJournalService(db, { databasePath, now, entries, doctorWorkerFile: options.doctorWorkerFile });

  const handlers: Handlers = {
    'entries.create': entries.create,
    'entries.get': entries.get,
    'entries.update': entries.update,
    'entries.list': entries.list,
    'entries.delete': entries.trash,
    'entries.restore': entries.restore,
    'entries.purge': entries.purge,
    'entries.emptyTrash': (input) => entries.emptyTrash(input),
    'entries.history': entries.history,
    'entries.restoreRevision': entries.restoreRevision,
    'entries.facets': entries.facets,
    'search.query': search.query,
    'search.related': search.related,
    'people.find': search.findPeople,
    'people.whoKnows': search.whoKnows,
    'tags.find': search.findTags,
    'titles.find': search.findTitles,
    'journal.stats': journal.stats,
    'journal.export': journal.exportJournal,
    'journal.import': journal.importJournal,
    'journal.doctor': journal.doctor,
    'journal.backup': journal.backupToDataDir,
  };

  return {
    dataDir: options.dataDir,
    databasePath,
    db,
    handlers,
    services: { entries, journal },
    importWorkerFile: options.importWorkerFile,
    dispatch: (method, input) => dispatch(handlers, method, input),
    close: () => {
      // The doctor's thread ends on its own connection (at once between statements, else once SQLite's
      // current one returns); nothing waits for it here.
      void journal.close();
      if (db.open) db.close();
    },
  };
}

/** Validation issues said back at most, and how long a path or message in them may be. */
const MAX_ISSUES = 20;
const MAX_PATH = 200;
const MAX_MESSAGE = 300;

export async function dispatch(handlers: Handlers, method: string, input: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 80)}` } };
  const parsed = contract[method].input.safeParse(input ?? {});
  if (!parsed.success) {
    // Said back in a size a person reads: an input with 300,000 unknown keys named each of them.
    const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({ path: shortened(i.path.join('.'), MAX_PATH), message: shortened(i.message, MAX_MESSAGE) }));
    const first = issues[0];
    return {
      ok: false,
      error: { code: 'VALIDATION', message: first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid input', issues },
    };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

/** A write to a journal this process may only read (see connection.ts, readOnlyReason). */
export const READ_ONLY_MESSAGE = 'The journal is read-only here (this user may not write to it); nothing was changed.';

export function toApiError(error: unknown): ApiError {
  if (error instanceof OutloudError) return error.toApiError();
  const e = error as { code?: unknown; message?: unknown };
  if (isBusyError(error)) {
    return { code: 'DB_BUSY', message: 'The journal is busy in another process; try again in a moment.' };
  }
  if (isReadOnlyError(error)) return { code: 'IO', message: READ_ONLY_MESSAGE };
  if (e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return { code: 'IO', message: String(e.message ?? e.code) };
  }
  return { code: 'INTERNAL', message: `Unexpected error: ${String(e?.message ?? error)}` };
}

export type { MethodName };
