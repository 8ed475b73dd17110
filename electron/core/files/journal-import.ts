/**
 * Importing an export file (`outloud import FILE`, and the app's Import, which hands the core a file
 * the user chose or uploaded): check the whole file first (nothing is written if any of it is wrong), then
 * import it in short transactions, so the app can keep saving notes while a large journal comes in.
 *
 * Both passes stream the file, so memory stays bounded whatever its size; the one thing kept from the
 * check for the import is the list of links (up to MAX_KEPT_LINKS): each link then travels in the
 * same transaction as the later of its two entries, so an entry enters the full-text index once, with
 * the names of the people it mentions, instead of being indexed again when its links arrive after all
 * the entries.
 *
 * Durability: each transaction commits with the journal's own settings (WAL, synchronous=FULL), so
 * what an import has committed survives a crash or a power cut, and a transaction cut short leaves
 * nothing; the same import run again skips what came in and adds the rest. A small file is one
 * transaction: all of it or nothing.
 */
import fs from 'node:fs';
import { Timestamp } from '../../../shared/api/schemas.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type ImportReport, type JournalExport } from '../../../shared/domain/journal.ts';
import { checkExportItem, parseExportItem } from '../services/journal-format.ts';
import { importSession, type ImportPart, type JournalService } from '../services/journal.service.ts';
import { OutloudError } from '../../../shared/api/errors.ts';
import { toApiError } from '../core.ts';
import { fsMessage, isFsError } from './fs.ts';
import { LOCK_FREE_MS, nextBatchSize } from '../services/write-batches.ts';
import { JournalFileError, scanJournalFile, SECTIONS, type ScanCallbacks, type Section } from './journal-file.ts';

type Link = JournalExport['links'][number];

interface CheckedFile {
  header: { format: typeof EXPORT_FORMAT; version: typeof EXPORT_VERSION; exportedAt: number };
  counts: Record<Section, number>;
  /** Every link of the file, when there are at most MAX_KEPT_LINKS. */
  links: Link[] | undefined;
}

/** How far a long step has come (the CLI draws a progress bar from it). */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

export interface FileImportOptions {
  /** Where the batches of a large file go, each in a transaction of its own. */
  journal: Pick<JournalService, 'importValidated'>;
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
  /** Knobs for tests; the defaults are what users get. */
  tuning?: { batchSize?: number; batchBytes?: number; singleCallLimit?: number; maxKeptLinks?: number; lockFreeMs?: number };
}

const NO_PROGRESS: Progress = { update: () => {}, stop: () => {} };

/** A file that is no export, or that cannot be read: nothing of it was imported. */
const refused = (message: string) => new OutloudError('VALIDATION', message);
const unreadable = (message: string) => new OutloudError('IO', message);
const cancelledBeforeAnything = () => new OutloudError('CANCELLED', 'The import was cancelled; nothing was imported.');

/** Links kept in memory between the two passes (about 100 bytes each). */
export const MAX_KEPT_LINKS = 250_000;
/** A file with at most this many items (entries, revisions, links) is imported in one transaction. */
const SINGLE_CALL_LIMIT = 5_000;
/**
 * Items (entries, links, revisions) in the first batch, and the bounds of the ones after it. A batch
 * waits in memory while its transaction runs: up to 3,000 kept `outloud import`'s peak RSS under
 * 200 MB at 100,000 entries (180-190 MB; 204 MB with up to 5,000), for the same speed.
 */
export const IMPORT_BATCH_SIZE = { first: 2_000, min: 200, max: 3_000 } as const;
/**
 * And at most this many bytes of the file in a batch, however few items that is: a journal of long
 * notes holds more in memory per item. Importing the 100,000-entry benchmark export (~640 bytes an
 * entry, so 3,000 are 1.9 MB), the peak RSS of `outloud serve` went from 184-214 MB to 143-165 MB
 * (eight runs each), and of `outloud import` from 159-167 MB to 136-157 MB, in the same time (five
 * interleaved runs: 5.89 s median against 5.84 s).
 */
export const IMPORT_BATCH_BYTES = 1_600_000;

function issuePath(section: Section, index: number, issuePathParts: readonly PropertyKey[]): string {
  let out = `${section}[${index}]`;
  for (const part of issuePathParts) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

async function checkJournalFile(
  file: string,
  size: number,
  maxKeptLinks: number,
  { progress, signal }: Pick<FileImportOptions, 'progress' | 'signal'>,
): Promise<CheckedFile> {
  const header: Partial<CheckedFile['header']> = {};
  const counts: Record<Section, number> = { entries: 0, revisions: 0, links: 0 };
  const present = new Set<string>();
  let links: Link[] | undefined = [];
  const bar = progress?.('checking', size) ?? NO_PROGRESS;
  try {
    await scanJournalFile(file, {
      header(key, value) {
        present.add(key);
        if (key === 'format' && value !== EXPORT_FORMAT) {
          throw new JournalFileError(`its "format" is ${JSON.stringify(value)?.slice(0, 60)}, not "${EXPORT_FORMAT}"`);
        }
        if (key === 'version' && value !== EXPORT_VERSION) {
          throw new JournalFileError(
            typeof value === 'number' && value > EXPORT_VERSION
              ? `it was made by a newer Outloud (export version ${value}); update Outloud to import it`
              : `its "version" is ${JSON.stringify(value)?.slice(0, 20)}, not ${EXPORT_VERSION}`,
          );
        }
        if (key === 'exportedAt' && !Timestamp.safeParse(value).success) throw new JournalFileError('its "exportedAt" is not a time');
        if (key === 'format') header.format = EXPORT_FORMAT;
        if (key === 'version') header.version = EXPORT_VERSION;
        if (key === 'exportedAt') header.exportedAt = value as number;
      },
      section: (section) => present.add(section),
      item(section, index, value) {
        if (section === 'links' && links) {
          const parsed = parseExportItem(section, value);
          if (!parsed.success) throw new JournalFileError(`${issuePath(section, index, parsed.issue.path)}: ${parsed.issue.message}`);
          if (links.length < maxKeptLinks) links.push(parsed.data);
          else links = undefined;
        } else {
          const issue = checkExportItem(section, value);
          if (issue) throw new JournalFileError(`${issuePath(section, index, issue.path)}: ${issue.message}`);
        }
        counts[section]++;
      },
      progress: (bytes) => bar.update(bytes),
    }, { signal });
  } catch (error) {
    if (signal?.aborted) throw cancelledBeforeAnything();
    if (error instanceof JournalFileError) throw refused(`Not an Outloud journal export: ${error.message}; nothing was imported`);
    if (isFsError(error)) throw unreadable(fsMessage(error, 'read', file));
    throw error;
  } finally {
    bar.stop();
  }
  for (const key of ['format', 'version', 'exportedAt', ...SECTIONS]) {
    if (!present.has(key)) throw refused(`Not an Outloud journal export: it has no "${key}"; nothing was imported`);
  }
  return { header: header as CheckedFile['header'], counts, links };
}

/** Hands out each link once both its entries have come by (in file order). */
export class LinkPlan {
  private readonly links: readonly Link[];
  /** Per link, how many of its ends have not come by yet. */
  private readonly missing: Uint8Array;
  /** Entry id -> the links waiting for it. */
  private readonly waiting = new Map<string, number[]>();

  constructor(links: readonly Link[]) {
    this.links = links;
    this.missing = new Uint8Array(links.length);
    links.forEach((l, k) => {
      this.wait(l.from, k);
      if (l.to !== l.from) this.wait(l.to, k);
    });
  }

  private wait(id: string, k: number): void {
    this.missing[k]!++;
    const list = this.waiting.get(id);
    if (list) list.push(k);
    else this.waiting.set(id, [k]);
  }

  /** The entry with this id came by: adds to `out` the links that now have both ends. */
  arrived(id: unknown, out: Link[]): void {
    if (typeof id !== 'string') return;
    const list = this.waiting.get(id);
    if (!list) return;
    this.waiting.delete(id); // an id given twice counts once
    for (const k of list) if (--this.missing[k]! === 0) out.push(this.links[k]!);
  }

  /** Links with an end that never came by: it may be in the journal already. */
  rest(): Link[] {
    return this.links.filter((_, k) => this.missing[k]! > 0);
  }
}

/**
 * Imports the export file at `file` (an absolute path). Throws an OutloudError: VALIDATION when the
 * file is no export (nothing imported), IO when it cannot be read, or when a large import stopped
 * partway (what came in stays, and the same import run again continues), CANCELLED when `signal`
 * stopped it (the message says how far it came).
 */
export async function importJournalFile(file: string, options: FileImportOptions): Promise<ImportReport> {
  const tuning = options.tuning ?? {};
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw unreadable(fsMessage(error, 'read', file));
  }
  if (stat.isDirectory()) throw refused(`${file} is a folder, not an export file`);
  if (!stat.isFile()) throw refused(`${file} is not a regular file`);

  const signal = options.signal;
  if (signal?.aborted) throw cancelledBeforeAnything();
  const { header, counts, links: keptLinks } = await checkJournalFile(file, stat.size, tuning.maxKeptLinks ?? MAX_KEPT_LINKS, options);
  const total = counts.entries + counts.revisions + counts.links;
  const report: ImportReport = { added: 0, updated: 0, skipped: 0, revisions: 0, links: 0, leftOut: 0, errors: [] };
  const addReport = (more: ImportReport) => {
    report.added += more.added;
    report.updated += more.updated;
    report.skipped += more.skipped;
    report.revisions += more.revisions;
    report.links += more.links;
    report.leftOut += more.leftOut;
    report.errors.push(...more.errors);
  };
  /** Reads the file again; `fail` makes the error when it cannot (any more). */
  const read = async (callbacks: Pick<ScanCallbacks, 'item' | 'sectionEnd'>, fail: (reason: string) => Error = unreadable, cancelled = cancelledBeforeAnything) => {
    try {
      await scanJournalFile(file, callbacks, { signal });
    } catch (error) {
      if (error instanceof OutloudError && error.code === 'CANCELLED') throw error;
      if (signal?.aborted) throw cancelled();
      if (error instanceof JournalFileError) throw fail(`The file changed while it was being imported: ${error.message}`);
      if (isFsError(error)) throw fail(fsMessage(error, 'read', file));
      throw error;
    }
  };

  // Small files: one transaction, all or nothing, through the contract like any other front door.
  if (total <= (tuning.singleCallLimit ?? SINGLE_CALL_LIMIT)) {
    const data: JournalExport = { ...header, entries: [], revisions: [], links: [] };
    await read({ item: (section, _i, value) => void (data[section] as unknown[]).push(value) });
    if (signal?.aborted) throw cancelledBeforeAnything();
    addReport(await options.importWhole(data));
    return report;
  }

  // Large files: in batches, each with the links whose two ends have both come by; revisions (and
  // links, if there were too many to keep) once every entry is in, which in an export written by
  // Outloud is later in the same pass, and otherwise takes a second one. A batch is read, parsed and
  // validated again (the file may have changed since the check) before its transaction begins, so the
  // write lock is free meanwhile; each transaction only writes.
  const journal = options.journal;
  const session = importSession();
  const fixedSize = tuning.batchSize;
  let batchSize = fixedSize ?? IMPORT_BATCH_SIZE.first;
  const batchByteLimit = tuning.batchBytes ?? IMPORT_BATCH_BYTES;
  const lockFreeMs = tuning.lockFreeMs ?? LOCK_FREE_MS;
  const bar = options.progress?.('importing', total) ?? NO_PROGRESS;
  const plan = keptLinks ? new LinkPlan(keptLinks) : undefined;
  let done = 0;
  let batch: ImportPart = { entries: [], revisions: [], links: [] };
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
  const size = () => batch.entries.length + batch.revisions.length + batch.links.length;
  /** Bytes of the file the batch's entries and revisions took (its links are small). */
  let batchBytes = 0;
  const full = () => size() >= batchSize || batchBytes >= batchByteLimit;
  let committedAt = Number.NEGATIVE_INFINITY;
  const flush = async () => {
    const n = size();
    if (n === 0) return;
    const data = batch;
    batch = { entries: [], revisions: [], links: [] };
    batchBytes = 0;
    // The write lock has been free since the last commit, while this batch was read; leave it free
    // at least LOCK_FREE_MS, so the app's saves (which poll for it) get in between transactions.
    const free = performance.now() - committedAt;
    if (free < lockFreeMs) await new Promise((resolve) => setTimeout(resolve, lockFreeMs - free));
    // The last moment to stop before this batch's transaction (a cancel heard while it waited counts).
    if (signal?.aborted) throw cancelled();
    const started = performance.now();
    try {
      addReport(journal.importValidated(data, session));
    } catch (error) {
      throw stopped(toApiError(error).message.replace(/^Unexpected error: /, ''));
    }
    committedAt = performance.now();
    if (fixedSize === undefined) batchSize = nextBatchSize(n, committedAt - started, IMPORT_BATCH_SIZE);
    done += n;
    bar.update(done);
  };
  // Synchronous unless a batch is full: a promise (and a microtask) per element is measurable here.
  const add = (section: Section, index: number, value: unknown, bytes: number): Promise<void> | undefined => {
    const parsed = parseExportItem(section, value);
    if (!parsed.success) throw new JournalFileError(`${issuePath(section, index, parsed.issue.path)}: ${parsed.issue.message}`);
    (batch[section] as unknown[]).push(parsed.data);
    batchBytes += bytes;
    return full() ? flush() : undefined;
  };

  let entriesDone = false;
  let deferred = false;
  const pass: Pick<ScanCallbacks, 'item' | 'sectionEnd'> = {
    item(section, index, value, bytes) {
      if (section === 'entries') {
        plan?.arrived((value as { id?: unknown } | null)?.id, batch.links);
        return add(section, index, value, bytes);
      }
      if (section === 'links' && plan) return undefined; // already on their way with the entries
      if (entriesDone) return add(section, index, value, bytes);
      deferred = true;
      return undefined;
    },
    async sectionEnd(section) {
      if (section !== 'entries') return;
      entriesDone = true;
      await flush();
      if (plan) {
        for (const l of plan.rest()) {
          batch.links.push(l);
          if (full()) await flush();
        }
      }
    },
  };
  try {
    await read(pass, stopped, cancelled);
    if (deferred) {
      await read(
        { item: (section, index, value, bytes) => (section === 'entries' || (section === 'links' && plan) ? undefined : add(section, index, value, bytes)) },
        stopped,
        cancelled,
      );
    }
    await flush();
  } finally {
    bar.stop();
  }
  return report;
}

