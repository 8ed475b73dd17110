/**
 * The doctor's thread (started by doctor-thread.ts): runs the checks on a connection of its own that
 * only reads, posts the report, and ends. In WAL mode a reader neither waits for the app's saves nor
 * holds them up, and it reads one snapshot. Not a read-only open: SQLite leaves CHECK constraints out
 * of a read-only connection's schema, and integrity_check would no longer find rows that break them;
 * query_only refuses writes instead (connection.ts). A journal this process may not write is opened
 * read-only all the same, as the app opens it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '../db/connection.ts';
import { checkJournal } from './doctor-checks.ts';
import { describeError, type DoctorWorkerData, type DoctorWorkerMessage } from './doctor-thread.ts';

const port = parentPort;
if (!port) throw new Error('doctor.worker.ts must run as a worker thread.');

const { databasePath } = workerData as DoctorWorkerData;
let db: Db | undefined;
let message: DoctorWorkerMessage;
try {
  db = openDatabase(databasePath, { queryOnly: true });
  message = { ok: true, report: checkJournal(db) };
} catch (error) {
  message = { ok: false, error: describeError(error) };
} finally {
  db?.close();
}
port.postMessage(message);
