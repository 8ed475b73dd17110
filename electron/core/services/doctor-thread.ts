/**
 * Starts the doctor's checks in a worker thread of their own (doctor.worker.ts), on a connection of
 * their own that only reads: the thread that answers calls (browser mode's server, the app's core
 * worker) goes on searching and saving meanwhile, and hears the report when it is ready.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { OutloudError, ERROR_CODES, type ErrorCode } from '../../../shared/api/errors.ts';
import type { DoctorReport } from '../../../shared/domain/journal.ts';

export interface DoctorWorkerData {
  databasePath: string;
}

/** An error as it crosses from the doctor's thread: enough to make it again on this side. */
export interface DoctorWorkerError {
  name: string;
  message: string;
  code?: string;
}

export type DoctorWorkerMessage = { ok: true; report: DoctorReport } | { ok: false; error: DoctorWorkerError };

/**
 * The doctor's worker script from the sources, beside this file (plain Node strips its types). The
 * builds pass their own bundle of it instead (openCore's `doctorWorkerFile`): electron-vite's
 * (electron/main/index.ts, through the core host) and the CLI's (cli.rolldown.config.ts, through the bin).
 */
export function defaultDoctorWorkerFile(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'doctor.worker.ts');
}

export interface DoctorRun {
  /** The report; CANCELLED once `stop` ends the thread first. */
  readonly report: Promise<DoctorReport>;
  /** Ends the thread: at once between two statements, else once SQLite's current one returns. */
  stop(): Promise<void>;
}

export function startDoctor(databasePath: string, workerFile: string = defaultDoctorWorkerFile()): DoctorRun {
  const worker = new Worker(workerFile, { workerData: { databasePath } satisfies DoctorWorkerData, name: 'outloud-doctor' });
  let stopping = false;
  const report = new Promise<DoctorReport>((resolve, reject) => {
    worker.once('message', (message: DoctorWorkerMessage) => (message.ok ? resolve(message.report) : reject(revive(message.error))));
    worker.once('error', (error) => reject(new OutloudError('INTERNAL', `The journal check failed: ${error.message}`)));
    // After the message (or the error) this changes nothing: a promise settles once.
    worker.once('exit', (code) =>
      reject(
        stopping
          ? new OutloudError('CANCELLED', 'The journal was closed before its check was done.')
          : new OutloudError('INTERNAL', `The journal check stopped before its report (exit code ${code}).`),
      ),
    );
  });
  return {
    report,
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}

/** The error the doctor's thread met, as this side's front doors map it (toApiError: DB_BUSY, IO...). */
function revive(error: DoctorWorkerError): Error {
  if (error.name === 'OutloudError' && (ERROR_CODES as readonly string[]).includes(error.code ?? '')) return new OutloudError(error.code as ErrorCode, error.message);
  if (error.name === 'SqliteError' && error.code) return new Database.SqliteError(error.message, error.code);
  const revived = new Error(error.message) as Error & { code?: string };
  if (error.code) revived.code = error.code;
  return revived;
}

/** An error as the doctor's thread sends it (see revive). */
export function describeError(error: unknown): DoctorWorkerError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
