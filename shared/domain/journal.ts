import type { Entry, LinkType, Revision } from './entry.ts';

export const EXPORT_FORMAT = 'outloud-journal';
export const EXPORT_VERSION = 1;

/** Lossless export: every entry (trash included), every revision and every link. */
export interface JournalExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: number;
  entries: Entry[];
  revisions: Revision[];
  links: Array<{ from: string; to: string; type: LinkType }>;
}

/**
 * An export read as it is written: the header of `JournalExport`, each section an iterable that reads
 * its rows as they are taken, and how many each holds. Valid only while the call that handed it out
 * runs (one read transaction: a consistent snapshot).
 */
export interface JournalExportStream extends Pick<JournalExport, 'format' | 'version' | 'exportedAt'> {
  entries: Iterable<Entry>;
  revisions: Iterable<Revision>;
  links: Iterable<JournalExport['links'][number]>;
  counts: { entries: number; revisions: number; links: number };
}

/**
 * How far an import of a file has come: `checking` counts the bytes of the file read (nothing is
 * written until all of it is checked), `importing` the items (entries, revisions, links) written.
 */
export interface ImportProgress {
  step: 'checking' | 'importing';
  done: number;
  total: number;
  /** The file's name (not its folder). */
  name: string;
}

/** How far an export has come: the items (entries, revisions, links) written of all it holds. */
export interface ExportProgress {
  done: number;
  total: number;
}

/** `outloud-export-YYYY-MM-DD.json` on the local date: the name a Save dialog or picker offers for an export. */
export function exportFileName(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `outloud-export-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.json`;
}

/** Why a second import is refused while one runs (one at a time per journal, in any front door). */
export const IMPORT_UNDER_WAY = 'Another import is under way. Wait for it to finish, or cancel it, before importing another file.';

/** An export written to a file: where, how large, and what it holds. */
export interface ExportFileReport {
  path: string;
  bytes: number;
  entries: number;
  revisions: number;
  links: number;
}

export interface ImportReport {
  /** Entries new here, entries replaced by the file's newer version (or joined), entries here already. */
  added: number;
  updated: number;
  skipped: number;
  /** Revisions and links the import added. */
  revisions: number;
  links: number;
  /**
   * Revisions and links the file gives for entries it does not hold (a link counts when either end is
   * missing): left out, since they would attach to whatever entry here has that id.
   */
  leftOut: number;
  /** Entries not imported, and why. */
  errors: Array<{ ref: string; message: string }>;
}

export interface JournalStats {
  entries: number;
  byKind: Record<string, number>;
  trashed: number;
  revisions: number;
  databasePath: string;
  databaseBytes: number;
  schemaVersion: number;
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}
