import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { OutloudError } from '../../../shared/api/errors.ts';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'outloud.sqlite';
/** How long a writer waits for another process's transaction before giving up. */
export const BUSY_TIMEOUT_MS = 10_000;

// better-sqlite3 reads this once, when its addon loads (the first `new Database` of the process): it
// lets openReadOnly open a journal `immutable`. Journal paths are absolute, never taken for a URI.
// (A worker thread's process.env is its own copy, which the addon does not see: there the process
// that starts the worker sets it.)
process.env.SQLITE_USE_URI ??= '1';

export interface OpenOptions {
  /** Open for reading only. A journal this process cannot write is opened so anyway (see readOnlyReason). */
  readonly?: boolean;
  /** Test hook: run only migrations up to this version. */
  migrations?: readonly Migration[];
  /**
   * Open for writing, as the app does, but refuse every write (PRAGMA query_only), a migration's too:
   * for a connection that only reads yet must see what a writer's sees. SQLite leaves CHECK
   * constraints out of the schema of a database opened read-only, so its integrity_check skips them.
   */
  queryOnly?: boolean;
}

/**
 * Opens the journal with the same settings every time (better-sqlite3's defaults differ between the
 * first and later opens), then brings the schema up to date. A journal this process may not write
 * (see readOnlyReason) is opened read-only, as long as it needs no migration: reading works, and a
 * write fails with SQLite's SQLITE_READONLY (isReadOnlyError), which front doors report as such.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const why = file === ':memory:' ? undefined : readOnlyReason(file);
  const readonly = (options.readonly ?? false) || why !== undefined;
  let db: Db;
  try {
    db = readonly ? openReadOnly(file, why !== undefined) : new Database(file);
  } catch (error) {
    throw new OutloudError('IO', `Cannot open the journal at ${file}: ${(error as Error).message}`);
  }
  try {
    const migrations = options.migrations ?? MIGRATIONS;
    // Refuse a database from a newer Outloud before anything (such as the switch to WAL) writes to it.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const current = checkVersion(db, migrations);
    if (why !== undefined && current < latestOf(migrations)) {
      throw new OutloudError(
        'IO',
        `The journal at ${file} is read-only (${why}) and needs an upgrade to this version of Outloud, which writes to it; open it once with write access`,
      );
    }
    applyPragmas(db, readonly);
    if (options.queryOnly) db.pragma('query_only = ON');
    // Up to date (every open but the first after an update): no write lock to wait for, so a search
    // never queues behind another process's long write just to open the journal.
    else if (!readonly && current < latestOf(migrations)) migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (why !== undefined && isSqliteError(error) && /^SQLITE_(READONLY|CANTOPEN)/.test(error.code)) {
      // SQLite could not read the journal without writing beside it (a -wal file without its -shm).
      throw new OutloudError('IO', `Cannot read the journal at ${file}: it is read-only (${why}), and SQLite would have to write beside it to read it (${error.message}); open it once with write access`);
    }
    throw error;
  }
}

/**
 * Why this process cannot write the journal `file`, or undefined when it can (or when the file does
 * not exist yet: opening it creates it). In WAL mode SQLite writes the file and its -wal and -shm
 * files beside it, creating them in the folder when they are missing.
 */
export function readOnlyReason(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const folder = path.dirname(file);
  const targets: Array<[string, string]> = [[file, 'you may not write to the file']];
  for (const suffix of ['-wal', '-shm']) {
    targets.push(fs.existsSync(file + suffix) ? [file + suffix, `you may not write to its ${suffix} file`] : [folder, 'you may not write to its folder']);
  }
  for (const [target, why] of targets) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return 'it is on a read-only file system';
      if (code === 'EACCES' || code === 'EPERM') return why;
    }
  }
  return undefined;
}

/**
 * A read-only connection. SQLite reads a WAL journal through its -shm file, which it creates (with
 * the -wal) when they are missing: in a folder we may not write, it cannot, and in one we may, a
 * -shm and -wal of ours would stop the journal's owner from writing (they are ours, not theirs).
 * With no -wal there is nothing outside the file to read, so a journal we cannot write is then
 * opened `immutable`: no lock, no file beside it. The price: an owner who starts writing meanwhile
 * goes unseen, and a checkpoint of theirs could be read half-done (a wrong answer or an error, never
 * a change to the journal). With a -wal (the owner's app is running), SQLite reads through the
 * files there, even read-only ones, with its locks.
 */
function openReadOnly(file: string, cannotWrite: boolean): Db {
  if (cannotWrite && !fs.existsSync(`${file}-wal`) && !fs.existsSync(`${file}-journal`)) {
    try {
      return new Database(`${pathToFileURL(file).href}?immutable=1`, { readonly: true });
    } catch {
      // URIs turned off (SQLITE_USE_URI=0 in the environment): an ordinary read-only open.
    }
  }
  return new Database(file, { readonly: true, fileMustExist: true });
}

const isSqliteError = (error: unknown): error is Error & { code: string } =>
  error instanceof Database.SqliteError && typeof (error as { code?: unknown }).code === 'string';

/** True for SQLite's refusal to write a journal opened read-only ("attempt to write a readonly database"). */
export function isReadOnlyError(error: unknown): boolean {
  return isSqliteError(error) && error.code.startsWith('SQLITE_READONLY');
}

/**
 * True when another connection holds what this one waited for: the write lock past `busy_timeout`
 * (SQLITE_BUSY), or a snapshot that went stale before its write (SQLITE_BUSY_SNAPSHOT), or recovery.
 */
export function isBusyError(error: unknown): boolean {
  return isSqliteError(error) && error.code.startsWith('SQLITE_BUSY');
}

/**
 * How long one attempt at the write lock waits: SQLite's busy handler sleeps 1, then 2 ms, then gives
 * up, and writeTransaction tries again at once.
 */
const LOCK_POLL_MS = 3;

/**
 * Runs `fn` in an immediate transaction (BEGIN IMMEDIATE: the write lock first), waiting up to
 * `timeoutMs` for another process's transaction to end, as `db.transaction(fn).immediate()` would
 * with busy_timeout, but looking for the lock every millisecond or two; then SQLite's SQLITE_BUSY.
 * SQLite's own waiting looks every 100 ms once it has waited a while, so a writer that leaves the
 * lock free 20 ms between transactions, as the import did, could keep it out for good: with
 * transactions of 180 ms and pauses of 20 ms, a save waited the whole three seconds of such a writer
 * (write-transaction.test.ts). Only the wait for BEGIN is retried: once `fn` has begun, an error is
 * `fn`'s own.
 */
export function writeTransaction<T>(db: Db, fn: () => T, timeoutMs = BUSY_TIMEOUT_MS): T {
  if (db.inTransaction) return db.transaction(fn)(); // a savepoint: the lock is this connection's already
  // Not prepared once: SQLite sets busy_timeout when it prepares the statement, not when it runs it.
  const poll = () => db.exec(`PRAGMA busy_timeout = ${LOCK_POLL_MS}`);
  const wait = () => db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  let began = false;
  const transaction = db.transaction((): T => {
    began = true;
    wait(); // the statements inside wait as every other statement does
    return fn();
  });
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      poll();
      try {
        return transaction.immediate();
      } catch (error) {
        if (began || !isBusyError(error) || performance.now() >= deadline) throw error;
      }
    }
  } finally {
    if (!began) wait();
  }
}

export function applyPragmas(db: Db, readonly = false): void {
  // One exec rather than a prepared statement each (every open pays for them).
  db.exec(
    [
      `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`,
      ...(readonly ? [] : ['PRAGMA journal_mode = WAL']),
      // FULL: a note whose save returned survives a power loss, not only a process crash.
      'PRAGMA synchronous = FULL',
      'PRAGMA foreign_keys = ON',
      'PRAGMA trusted_schema = OFF',
    ].join('; '),
  );
}

const latestOf = (migrations: readonly Migration[]) => migrations.at(-1)?.version ?? 0;

function checkVersion(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = latestOf(migrations);
  if (current > latest) {
    throw new OutloudError(
      'DB_FROM_FUTURE',
      `This journal was written by a newer Outloud (schema ${current}; this version knows up to ${latest}). Update Outloud to open it.`,
    );
  }
  return current;
}

/** Runs pending migrations in one immediate transaction and records the version in `user_version`. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  checkVersion(db, migrations);
  const run = () => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = checkVersion(db, migrations);
    const pending = migrations.filter((m) => m.version > current);
    for (const migration of pending) {
      try {
        db.exec(migration.up);
        migration.run?.(db);
      } catch (error) {
        // The tables are not those the recorded version says (its user_version set back by another
        // program, or its tables changed): said so, instead of SQLite's "table entries already exists".
        if (isSqliteError(error) && /already exists|no such (table|column|index)|duplicate column/.test(error.message)) {
          throw new OutloudError(
            'INTERNAL',
            `The journal's tables do not match its recorded schema version (${current}): upgrading it to ${migration.version} (${migration.name}) failed (${error.message}). Another program may have changed it; nothing was changed now. Restore a backup, or ask for help with the file.`,
          );
        }
        throw error;
      }
      db.pragma(`user_version = ${migration.version}`);
    }
    return migrations.at(-1)?.version ?? current;
  };
  return writeTransaction(db, run);
}

export { LATEST_VERSION };

/** The files of a journal: the database, and those SQLite keeps beside it. */
const JOURNAL_FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/**
 * True when `target` is one of the journal's files, whatever the path says: by its name, or as the
 * same file on disk (compared by device and inode): a link to it, or another spelling of its name on
 * a disk that ignores case, where an export or backup renamed into place would replace the journal.
 */
export function isJournalFile(databasePath: string, target: string): boolean {
  const db = path.resolve(databasePath);
  const wanted = path.resolve(target);
  if (JOURNAL_FILE_SUFFIXES.some((suffix) => wanted === db + suffix)) return true;
  const t = fs.statSync(wanted, { throwIfNoEntry: false });
  if (!t) return false;
  return JOURNAL_FILE_SUFFIXES.some((suffix) => {
    const f = fs.statSync(db + suffix, { throwIfNoEntry: false });
    return f !== undefined && f.dev === t.dev && f.ino === t.ino;
  });
}
