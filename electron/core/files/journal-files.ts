/**
 * The journal as a file, for front doors that move whole journals: write an export to a file, and
 * import one from a file, both streamed so memory stays flat whatever the journal's size. The CLI
 * calls exportJournalFile and importJournalFile itself; the app's main process (through the core
 * worker) and the loopback HTTP server reach them through `journalFiles(core)`, which answers in
 * the contract's Result envelope.
 *
 * Paths never come from a page: the main process asks the user with the system's file dialogs, and
 * the HTTP server passes files of its own in `scratchDir` (an upload on its way in, a download on
 * its way out).
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { OutloudError, type Result } from '../../../shared/api/errors.ts';
import { IMPORT_UNDER_WAY, type ExportFileReport, type ExportProgress, type ImportProgress, type ImportReport } from '../../../shared/domain/journal.ts';
import { toApiError, type Core } from '../core.ts';
import { isJournalFile, openDatabase } from '../db/connection.ts';
import { journalSnapshot } from '../services/journal.service.ts';
import { ensureDir, fsMessage, isFsError } from './fs.ts';
import { writeJournalFile } from './journal-file.ts';
import type { Progress } from './journal-import-read.ts';
import { importJournalFile, type FileImportOptions } from './journal-import.ts';

/**
 * Writes the whole journal (one consistent snapshot) to `out` as `outloud export` does: to a file
 * beside it first, renamed into place once complete. It reads through a read-only connection of its
 * own, in one read transaction, and writes a chunk at a time: the process's own connection stays free,
 * so the app's core keeps answering searches and saves while a large journal is written out (those
 * saves are not in the file). Throws an OutloudError: IO when it cannot write, CANCELLED when `signal`
 * stopped it (the target is then as it was, and no partial file is left).
 */
export async function exportJournalFile(
  databasePath: string,
  out: string,
  options: { progress?: (total: number) => Progress; now?: () => number; signal?: AbortSignal } = {},
): Promise<ExportFileReport> {
  const target = path.resolve(out);
  if (isJournalFile(databasePath, target)) throw new OutloudError('VALIDATION', 'The export cannot overwrite the journal itself.');
  const db = openDatabase(databasePath, { readonly: true });
  let bar: Progress | undefined;
  try {
    db.exec('BEGIN'); // the snapshot starts with the first read, journalSnapshot's counts
    const stream = journalSnapshot(db, (options.now ?? Date.now)());
    bar = options.progress?.(stream.counts.entries + stream.counts.revisions + stream.counts.links);
    let n = 0;
    const written = await writeJournalFile(target, stream, bar && (() => void (++n % 500 === 0 && bar!.update(n))), options.signal);
    bar?.update(n);
    return { ...written, ...stream.counts };
  } catch (error) {
    if (options.signal?.aborted) throw new OutloudError('CANCELLED', 'The export was cancelled; nothing was written.');
    throw isFsError(error) ? new OutloudError('IO', fsMessage(error, 'write', target)) : error;
  } finally {
    bar?.stop();
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
  }
}

/** Files left in scratchDir for longer than this (a crash mid-transfer) are removed at the next start. */
const SCRATCH_KEPT_MS = 24 * 60 * 60 * 1000;

/** A journal's file operations in the contract's Result envelope (they never throw). */
export interface JournalFiles {
  /** A folder of the data folder for files on their way in or out (created on first use). */
  readonly scratchDir: string;
  /** `onProgress` hears the items written, at most every PROGRESS_EVERY_MS; `signal` stops it (CANCELLED, nothing left). */
  exportTo(file: string, onProgress?: (progress: ExportProgress) => void, signal?: AbortSignal): Promise<Result<ExportFileReport>>;
  /**
   * One import at a time: while one runs, another is refused (CONFLICT) rather than interleaving its
   * batches with the first. One that was cancelled and is finishing its batch is waited for (up to
   * STOPPING_WAIT_MS), so Cancel then Import at once works. `onProgress` hears how far it has come, at
   * most every PROGRESS_EVERY_MS and when a step starts; `signal` cancels it (CANCELLED, see
   * FileImportOptions.signal).
   */
  importFrom(file: string, onProgress?: (progress: ImportProgress) => void, signal?: AbortSignal): Promise<Result<ImportReport>>;
  /** Whether an import is under way that another would be refused for (one being cancelled is not). */
  readonly importing: boolean;
}

/** How often an import's progress is told at most (a batch of an import is ~200 ms). */
export const PROGRESS_EVERY_MS = 100;

/**
 * A step's Progress that tells `tell(done)` at its start, then at most every PROGRESS_EVERY_MS and
 * when it reaches `total`.
 */
function throttled(total: number, tell: (done: number) => void): Progress {
  let told = performance.now();
  tell(0);
  return {
    update(done) {
      const now = performance.now();
      if (now - told < PROGRESS_EVERY_MS && done < total) return;
      told = now;
      tell(done);
    },
    stop() {},
  };
}

/** Progress as the import reports it (a step at a time), for `listener`. */
const importProgress =
  (name: string, listener: (progress: ImportProgress) => void): NonNullable<FileImportOptions['progress']> =>
  (step, total) =>
    throttled(total, (done) => listener({ step, done, total, name }));

/** An export's progress as the writer reports it, for `listener`. */
const exportProgress =
  (listener: (progress: ExportProgress) => void) =>
  (total: number): Progress =>
    throttled(total, (done) => listener({ done, total }));

/**
 * How long a new import waits for a cancelled one to stop: it stops before its next batch (a batch's
 * transaction is ~BATCH_TARGET_MS), or within a chunk of the file while it is being checked.
 */
export const STOPPING_WAIT_MS = 10_000;

/** The name of `scratchDir` in the data folder. */
export const SCRATCH_FOLDER = 'transfers';

export function journalFiles(core: Core, options: Pick<FileImportOptions, 'tuning'> = {}): JournalFiles {
  const scratchDir = path.join(core.dataDir, SCRATCH_FOLDER);
  clearStale(scratchDir);
  /** The import under way: its signal (aborted once it is cancelled) and when it has ended. */
  let running: { signal: AbortSignal | undefined; ended: Promise<void> } | null = null;
  const guard = async <T>(run: () => T | Promise<T>): Promise<Result<T>> => {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  };
  return {
    get scratchDir() {
      ensureDir(scratchDir);
      return scratchDir;
    },
    get importing() {
      return running !== null && !running.signal?.aborted;
    },
    exportTo: (file, onProgress, signal) => guard(() => exportJournalFile(core.databasePath, file, { progress: onProgress && exportProgress(onProgress), signal })),
    importFrom: (file, onProgress, signal) =>
      guard(async () => {
        // A cancelled import finishes the batch it is in, then stops: wait for it rather than refuse.
        if (running?.signal?.aborted) await Promise.race([running.ended, delay(STOPPING_WAIT_MS, undefined, { ref: false })]);
        if (running) throw new OutloudError('CONFLICT', IMPORT_UNDER_WAY);
        const work = importJournalFile(path.resolve(file), {
          progress: onProgress && importProgress(path.basename(file), onProgress),
          journal: core.services.journal,
          importWhole: async (data) => {
            const result = await core.dispatch('journal.import', { data });
            if (!result.ok) throw new OutloudError(result.error.code, result.error.message, result.error.issues);
            return result.value as ImportReport;
          },
          signal,
          workerFile: core.importWorkerFile,
          tuning: options.tuning,
        });
        let ended!: () => void;
        const self = { signal, ended: new Promise<void>((resolve) => (ended = resolve)) };
        running = self;
        try {
          return await work;
        } finally {
          if (running === self) running = null;
          ended(); // after the line above: whoever waits finds no import under way
        }
      }),
  };
}

/** Removes what a transfer cut short left in `dir` a day or more ago (another process may be using newer files). */
function clearStale(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // not there yet
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile() && Date.now() - stat.mtimeMs > SCRATCH_KEPT_MS) fs.rmSync(file, { force: true });
  }
}
