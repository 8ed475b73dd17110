/**
 * Importing an export file (`outloud import FILE`, and the app's Import, which hands the core a file
 * the user chose or uploaded): the file is checked whole first (nothing is written if any of it is
 * wrong), then imported in short transactions, so the app can keep saving notes while a large
 * journal comes in. This is the writing side; journal-import-read.ts reads the file: the check in
 * this thread, and a large file's batches in a thread of their own (journal-import-thread.ts), so
 * that the next batch is read while this one is written.
 *
 * Durability: each transaction commits with the journal's own settings (WAL, synchronous=FULL), so
 * what an import has committed survives a crash or a power cut, and a transaction cut short leaves
 * nothing; the same import run again skips what came in and adds the rest. A small file is one
 * transaction: all of it or nothing.
 */
import fs from 'node:fs';
import { OutloudError } from '../../../shared/api/errors.ts';
import type { ImportReport, JournalExport } from '../../../shared/domain/journal.ts';
import { toApiError } from '../core.ts';
import { addImportReport, emptyImportReport, importSession, type ImportPart, type JournalService } from '../services/journal.service.ts';
import { BATCH_TARGET_MS, LOCK_FREE_MS, nextBatchSize } from '../services/write-batches.ts';
import {
  cancelledBeforeAnything,
  checkImportFile,
  IMPORT_BATCH_SIZE,
  ImportReadStop,
  isSmallImport,
  itemsOf,
  readImportBatches,
  readWholeImport,
  unreadable,
  type BatchSink,
  type CheckedImport,
  type ImportTuning,
  type Progress,
} from './journal-import-read.ts';
import { defaultImportWorkerFile, startImportReader } from './journal-import-thread.ts';

export interface FileImportOptions {
  /** Where the batches of a large file go, each in a transaction of its own. */
  journal: Pick<JournalService, 'importValidated' | 'spaceCheckpoints'>;
  /** A small file, read whole: one transaction, all or nothing (the contract's journal.import). */
  importWhole(data: JournalExport): Promise<ImportReport>;
  /** Called as each pass starts: checking counts bytes of the file, importing counts items. */
  progress?(step: 'checking' | 'importing', total: number): Progress;
  /**
   * Stops the import: while the file is checked (nothing imported), or between two batches (what the
   * committed batches wrote stays, and the same import run again continues). A file small enough for
   * one transaction is all or nothing: once that transaction has begun it completes.
   */
  signal?: AbortSignal;
  /** The reader's worker script (journal-import.worker.ts): a build's bundle of it; default the sources. */
  workerFile?: string;
  /** Knobs for tests; the defaults are what users get. */
  tuning?: ImportTuning;
}

/**
 * From this size on, a file is read in a thread of its own. A smaller one (a few thousand entries at
 * most) is read here: starting the thread would take about as long as reading it.
 */
export const READ_APART_BYTES = 4 * 1024 * 1024;

/** Batches of a large file that one transaction may take, when the next is ready and time allows. */
export const MERGED_BATCHES = 2;

/** The file's size, 0 when it cannot be told (the reader says why, in this thread). */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

/** The check's links, which the checked file then no longer holds. */
function takeLinks(checked: CheckedImport): CheckedImport['links'] {
  const links = checked.links;
  checked.links = undefined;
  return links;
}

const NO_PROGRESS: Progress = { update: () => {}, stop: () => {} };

/**
 * Imports the export file at `file` (an absolute path). Throws an OutloudError: VALIDATION when the
 * file is no export (nothing imported), IO when it cannot be read, or when a large import stopped
 * partway (what came in stays, and the same import run again continues), CANCELLED when `signal`
 * stopped it (the message says how far it came).
 */
export async function importJournalFile(file: string, options: FileImportOptions): Promise<ImportReport> {
  const tuning = options.tuning ?? {};
  const { signal, journal } = options;
  const report = emptyImportReport();
  const addReport = (more: ImportReport) => addImportReport(report, more);

  const session = importSession();
  const lockFreeMs = tuning.lockFreeMs ?? LOCK_FREE_MS;
  let total = 0;
  let done = 0;
  let bar: Progress | undefined;
  let committedAt = Number.NEGATIVE_INFINITY;
  const stopped = (reason: string) =>
    unreadable(
      `The import stopped after ${done.toLocaleString('en')} of ${total.toLocaleString('en')} items: ${reason.replace(/\.$/, '')}. What came in stays; running the same import again continues where it stopped`,
    );
  const cancelled = () =>
    done === 0
      ? cancelledBeforeAnything()
      : new OutloudError(
          'CANCELLED',
          `The import was cancelled after ${done.toLocaleString('en')} of ${total.toLocaleString('en')} items. What came in stays; importing the same file again continues where it stopped.`,
        );

  /** Set once the import has ended: a batch that was still waiting to begin never does. */
  let ended = false;
  const sink: BatchSink = {
    async batch(part, ready) {
      bar ??= options.progress?.('importing', total) ?? NO_PROGRESS;
      let n = itemsOf(part);
      // The write lock has been free since the last commit, while this batch was read; leave it free
      // at least LOCK_FREE_MS, so the app's saves (which poll for it) get in between transactions.
      const free = performance.now() - committedAt;
      if (free < lockFreeMs) await new Promise((resolve) => setTimeout(resolve, lockFreeMs - free));
      // The last moment to stop before this batch's transaction (a cancel heard while it waited counts).
      if (signal?.aborted || ended) throw cancelled();
      const started = performance.now();
      // The batches read meanwhile join this transaction while it stays within BATCH_TARGET_MS (the
      // last batch's time again), up to MERGED_BATCHES: one commit, one wait for the disk and one
      // pause for every few batches, instead of for each.
      let parts = 1;
      let partStarted = started;
      const more =
        ready &&
        ((): ImportPart | undefined => {
          const now = performance.now();
          if (parts >= (tuning.mergedBatches ?? MERGED_BATCHES) || signal?.aborted || ended || now - started + (now - partStarted) > BATCH_TARGET_MS) return undefined;
          const next = ready();
          if (next) {
            parts++;
            partStarted = now;
            n += itemsOf(next);
          }
          return next;
        });
      try {
        addReport(journal.importValidated(part, session, more));
      } catch (error) {
        throw stopped(toApiError(error).message.replace(/^Unexpected error: /, ''));
      }
      committedAt = performance.now();
      done += n;
      bar.update(done);
      return nextBatchSize(n, committedAt - started, IMPORT_BATCH_SIZE);
    },
  };

  // A large file's batches are read in a thread of their own, which starts up while the file is checked here.
  const apart = (tuning.readApart ?? sizeOf(file) >= READ_APART_BYTES) ? startImportReader(file, options.workerFile ?? defaultImportWorkerFile(), tuning) : undefined;
  try {
    const checked = await checkImportFile(file, { checking: options.progress && ((size) => options.progress!('checking', size)), signal, tuning });
    total = checked.total;
    if (isSmallImport(checked, tuning)) {
      // One transaction, through the contract like any other front door.
      addReport(await options.importWhole(await readWholeImport(file, checked, signal)));
      return report;
    }
    const restoreCheckpoints = journal.spaceCheckpoints();
    try {
      // The reader's thread keeps the links from here on: this thread lets go of them.
      if (apart) await apart.read(takeLinks(checked), sink, signal);
      else await readImportBatches(file, checked.links, sink, { signal, tuning });
    } finally {
      restoreCheckpoints();
    }
  } catch (error) {
    if (error instanceof ImportReadStop) throw error.reason === null ? cancelled() : stopped(error.reason);
    throw error;
  } finally {
    ended = true;
    apart?.stop();
    bar?.stop();
  }
  return report;
}
