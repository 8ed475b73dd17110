import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { OutloudError } from '../../../shared/api/errors.ts';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'outloud.sqlite';
/** How long a writer waits for another process's transaction before giving up. */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  readonly?: boolean;
  /** Test hook: run only migrations up to this version. */
  migrations?: readonly Migration[];
}

/**
 * Opens the journal with the same settings every time (better-sqlite3's defaults differ between the
 * first and later opens), then brings the schema up to date.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new OutloudError('IO', `Cannot open the journal at ${file}: ${(error as Error).message}`);
  }
  try {
    const migrations = options.migrations ?? MIGRATIONS;
    // Refuse a database from a newer Outloud before anything (such as the switch to WAL) writes to it.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const current = checkVersion(db, migrations);
    applyPragmas(db, options.readonly ?? false);
    // Up to date (every open but the first after an update): no write lock to wait for, so a search
    // never queues behind another process's long write just to open the journal.
    if (!options.readonly && current < latestOf(migrations)) migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
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
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = checkVersion(db, migrations);
    const pending = migrations.filter((m) => m.version > current);
    for (const migration of pending) {
      db.exec(migration.up);
      migration.run?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    return migrations.at(-1)?.version ?? current;
  });
  return run.immediate();
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
