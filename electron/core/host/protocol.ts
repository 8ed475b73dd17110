/** Messages between the core host (a worker thread that owns the database) and its client. */
import type { Result } from '../../../shared/api/errors.ts';
import type { ExportProgress, ImportProgress } from '../../../shared/domain/journal.ts';
import type { ImportTuning } from '../files/journal-import-read.ts';

export interface CoreWorkerData {
  dataDir: string;
  /** How a built worker bundle is loaded (core-host.ts `loadBundle`); absent for the sources. */
  bundle?: { file: string; cacheFile: string | null };
  /** The doctor's worker script, a build's bundle of it (openCore's `doctorWorkerFile`); absent for the sources. */
  doctorWorkerFile?: string;
  /** The import reader's worker script, likewise (openCore's `importWorkerFile`). */
  importWorkerFile?: string;
  /** Knobs of a file import, for tests (files/journal-import-read.ts); absent for what users get. */
  importTuning?: ImportTuning;
}

export type ClientMessage =
  | { type: 'call'; id: number; method: string; input: unknown }
  // The journal to or from a file (files/journal-files.ts): for the main process, never a page.
  | { type: 'file'; id: number; op: 'export' | 'import'; path: string }
  // Stops the import of file request `id` (it answers CANCELLED); nothing when it has ended.
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type HostMessage =
  | { type: 'ready'; databasePath: string }
  | { type: 'failed'; code: string; message: string }
  | { type: 'result'; id: number; result: Result<unknown> }
  // How far the import or export of request `id` has come (before its result).
  | { type: 'progress'; id: number; progress: ImportProgress | ExportProgress }
  | { type: 'closed' };
