import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, startSaveLoop } from '../../../tests/db/child-process.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { openCore } from '../core.ts';
import { BUSY_TIMEOUT_MS, DATABASE_FILE, openDatabase, writeTransaction } from './connection.ts';

afterEach(killAll);

const busyTimeout = (db: Database.Database) => db.pragma('busy_timeout', { simple: true });

describe('writeTransaction', () => {
  it('gets in between the transactions of a writer that leaves the lock free only 20 ms at a time', { timeout: 60_000 }, async () => {
    const dir = tempDir('outloud-write-lock-');
    // Transactions of 180 ms, 20 ms apart: about every 200 ms, a multiple of the 100 ms at which
    // SQLite's own waiting looks for the lock once it has waited a while. Waiting so, a save here got
    // into none of such a writer's pauses for seconds at a time.
    const cycles = 12;
    const holder = startSaveLoop(['--data-dir', dir, '--label', 'holder', '--batch', '1', '--hold-ms', '180', '--pause-ms', '20', '--count', String(cycles)]);
    await holder.waitForLine((line) => line === 'ready');
    const core = openCore({ dataDir: dir });
    try {
      let done = false;
      void holder.waitForLine((line) => line.startsWith('done')).then(() => (done = true));
      while (!done) {
        core.services.entries.create({ kind: 'note', body: 'app note', source: 'api' });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      core.close();
    }
    holder.process.stdin.end();
    expect(await holder.exited).toEqual({ code: 0, signal: null });
    expect(holder.stderr()).toBe('');
    // For each pause of the holder's: did a save of ours land between its two transactions?
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare("SELECT rowid, body LIKE 'holder note%' AS holder FROM entries WHERE kind = 'note' ORDER BY rowid").all() as Array<{ rowid: number; holder: number }>;
    db.close();
    const holderAt = rows.flatMap((row, i) => (row.holder ? [i] : []));
    expect(holderAt).toHaveLength(cycles);
    let pausesUsed = 0;
    for (let k = 1; k < holderAt.length; k++) if (holderAt[k]! - holderAt[k - 1]! > 1) pausesUsed++;
    // Every pause, on an idle machine; a loaded one may now and then not run this process in time.
    expect(pausesUsed).toBeGreaterThanOrEqual(cycles - 1 - 3);
  });

  it('gives up after its timeout with SQLITE_BUSY, never running the function, and waits as before afterwards', () => {
    const file = path.join(tempDir('outloud-write-lock-'), DATABASE_FILE);
    const db = openDatabase(file);
    const other = openDatabase(file);
    try {
      other.exec('BEGIN IMMEDIATE'); // holds the write lock until its COMMIT
      let ran = 0;
      const started = performance.now();
      expect(() => writeTransaction(db, () => ran++, 300)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
      expect(ran).toBe(0);
      expect(busyTimeout(db)).toBe(BUSY_TIMEOUT_MS);
      other.exec('COMMIT');
      expect(writeTransaction(db, () => ++ran)).toBe(1);
    } finally {
      db.close();
      other.close();
    }
  });

  it("runs the function once: its own error, a SQLITE_BUSY among them, is not retried, and rolls back what it wrote", () => {
    const db = openDatabase(path.join(tempDir('outloud-write-lock-'), DATABASE_FILE));
    try {
      db.exec('CREATE TABLE t (x)');
      let ran = 0;
      const busy = new Database.SqliteError('database is locked', 'SQLITE_BUSY');
      const write = () => {
        ran++;
        db.prepare('INSERT INTO t VALUES (1)').run();
        throw busy;
      };
      expect(() => writeTransaction(db, write)).toThrow(busy);
      expect(ran).toBe(1);
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
      expect(busyTimeout(db)).toBe(BUSY_TIMEOUT_MS);
      expect(db.inTransaction).toBe(false);
    } finally {
      db.close();
    }
  });

  it('inside a transaction of its own connection is a savepoint of it: rolled back with it', () => {
    const db = openDatabase(path.join(tempDir('outloud-write-lock-'), DATABASE_FILE));
    try {
      db.exec('CREATE TABLE t (x)');
      const outer = db.transaction(() => {
        writeTransaction(db, () => db.prepare('INSERT INTO t VALUES (1)').run());
        expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
        throw new Error('the outer transaction fails');
      });
      expect(() => outer.immediate()).toThrow('the outer transaction fails');
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
