/**
 * The import under way, outside any component: Settings starts it, and may be left while it runs (an
 * import of a large journal takes minutes). Coming back shows it where it has got to, with its Cancel,
 * or the report of how it ended; the toast that says how it ended is shown wherever the user is.
 */
import { useSyncExternalStore } from 'react';
import type { ApiError } from '../../../../shared/api/errors.ts';
import type { ImportProgress, ImportReport } from '../../../../shared/domain/journal.ts';
import { importJournalFile } from '../../lib/api.ts';

export interface ImportTask {
  /** The file's name; '' while the desktop app's Open dialog is up (no file chosen yet). */
  name: string;
  progress: ImportProgress | null;
  cancelling: boolean;
}

export interface ImportTaskState {
  /** The import under way, if any. */
  running: ImportTask | null;
  /** How the last one ended: its report (null: the Open dialog was cancelled), or why it did not. */
  ended: { report: ImportReport | null } | { error: ApiError } | null;
}

let state: ImportTaskState = { running: null, ended: null };
let controller: AbortController | null = null;
const listeners = new Set<() => void>();

function set(next: Partial<ImportTaskState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function setRunning(change: Partial<ImportTask>): void {
  if (state.running) set({ running: { ...state.running, ...change } });
}

/**
 * Starts an import of `file` (browser mode) or of the file the Open dialog asks for (desktop app).
 * Resolves with how it ended, also kept in the state for a Settings that mounts later. One at a time:
 * while one runs, this resolves at once with the one under way left as it is.
 */
export async function startImport(file?: File): Promise<ImportTaskState['ended']> {
  if (state.running) return state.ended;
  controller = new AbortController();
  set({ running: { name: file?.name ?? '', progress: null, cancelling: false }, ended: null });
  const result = await importJournalFile(file, (progress) => setRunning({ name: progress.name, progress }), controller.signal);
  controller = null;
  set({ running: null, ended: result.ok ? { report: result.value } : { error: result.error } });
  return state.ended;
}

/** Cancels the import under way: it stops before its next batch, keeping what came in. */
export function cancelImport(): void {
  if (!state.running || !controller) return;
  setRunning({ cancelling: true });
  controller.abort();
}

/** Forgets how the last import ended (a new one is about to start, or its report was seen). */
export function clearEnded(): void {
  if (state.ended) set({ ended: null });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useImportTask(): ImportTaskState {
  return useSyncExternalStore(subscribe, () => state);
}
