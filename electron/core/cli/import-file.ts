/**
 * `outloud import FILE`: the file import of electron/core/files/journal-import.ts, with progress bars
 * on stderr while a person watches, Ctrl+C as its cancel, and its errors as the CLI's one-line failures.
 */
import path from 'node:path';
import { OutloudError } from '../../../shared/api/errors.ts';
import type { ImportReport } from '../../../shared/domain/journal.ts';
import { importJournalFile as importFile } from '../files/journal-import.ts';
import { type Context, failure, interruption } from './context.ts';
import { progressBar } from './progress.ts';

export async function importJournalFile(ctx: Context, fileArg: string): Promise<ImportReport> {
  // Ctrl+C stops the import before its next batch, and says how far it came (a second one ends it at once).
  const { signal, dispose } = interruption(ctx.io);
  try {
    return await importFile(path.resolve(ctx.cwd, fileArg), {
      signal,
      journal: ctx.core().services.journal,
      workerFile: ctx.core().importWorkerFile,
      importWhole: (data) => ctx.call('journal.import', { data }, 'data'),
      progress: (step, total) => (step === 'checking' ? progressBar(ctx.io.stderr, 'Checking ', total, false) : progressBar(ctx.io.stderr, 'Importing', total)),
      tuning: {
        batchSize: ctx.tuning.importBatchSize,
        singleCallLimit: ctx.tuning.importSingleCallLimit,
        maxKeptLinks: ctx.tuning.importMaxKeptLinks,
        readApart: ctx.tuning.importReadApart,
      },
    });
  } catch (error) {
    if (error instanceof OutloudError) throw failure(error.message);
    throw error;
  } finally {
    dispose();
  }
}
