/**
 * The reading side of importing an export file (journal-import.ts is the writing side): check the
 * whole file first (nothing is written if any of it is wrong), then read it again in batches, each
 * for a transaction of its own. It touches no journal, so a large file's batches are read in a thread
 * of their own (journal-import.worker.ts) while the journal's thread writes the batch before: on two
 * cores their reading, parsing and validating costs the import little more than passing each over.
 *
 * Both passes stream the file, so memory stays bounded whatever its size; the one thing kept from the
 * check for the import is the list of links (up to MAX_KEPT_LINKS): each link then travels in the
 * same batch as the later of its two entries, so an entry enters the full-text index once, with
 * the names of the people it mentions, instead of being indexed again when its links arrive after all
 * the entries.
 */
import fs from 'node:fs';
import { Timestamp } from '../../../shared/api/schemas.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type JournalExport } from '../../../shared/domain/journal.ts';
import { checkExportItem, parseExportItem } from '../services/journal-format.ts';
import type { Entry } from '../../../shared/domain/entry.ts';
import { importRow } from '../services/entry-columns.ts';
import type { ImportPart } from '../services/journal.service.ts';
import { OutloudError } from '../../../shared/api/errors.ts';
import { fsMessage, isFsError } from './fs.ts';
import { JournalFileError, scanJournalFile, SECTIONS, type ScanCallbacks, type Section } from './journal-file.ts';

type Link = JournalExport['links'][number];

interface CheckedFile {
  header: { format: typeof EXPORT_FORMAT; version: typeof EXPORT_VERSION; exportedAt: number };
  counts: Record<Section, number>;
  /** Every link of the file, when there are at most MAX_KEPT_LINKS. */
  links: Link[] | undefined;
}

/** The items of a batch: its entries, revisions and links. */
export const itemsOf = (part: ImportPart): number => part.entries.length + part.revisions.length + part.links.length;

/** How far a long step has come (the CLI draws a progress bar from it). */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** Knobs for tests; the defaults are what users get. */
export interface ImportTuning {
  batchSize?: number;
  batchBytes?: number;
  singleCallLimit?: number;
  maxKeptLinks?: number;
  lockFreeMs?: number;
  /** Read the batches in a thread of their own (journal-import.worker.ts) or in the caller's; default: a file of READ_APART_BYTES or more apart. */
  readApart?: boolean;
  /** Batches one transaction may take when they are read apart (journal-import.ts MERGED_BATCHES). */
  mergedBatches?: number;
}

/** A file that is no export, or that cannot be read: nothing of it was imported. */
const refused = (message: string) => new OutloudError('VALIDATION', message);
export const unreadable = (message: string) => new OutloudError('IO', message);
export const cancelledBeforeAnything = () => new OutloudError('CANCELLED', 'The import was cancelled; nothing was imported.');

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
 * notes holds more in memory per item. Two batches are in memory at once, one being written and the
 * next, read in the reader's thread, waiting (three while a transaction takes the one that waited,
 * journal-import.ts MERGED_BATCHES: the first is let go when the transaction ends). Importing the 100,000-entry benchmark export (~640 bytes
 * an entry, so ~1,560 a batch), the peak RSS of `outloud serve` was 187-195 MB against 202-203 MB with
 * 1.6 MB, and of `outloud import` 175-181 MB against 186-188 MB, for 2-4 % more time; 0.8 MB took 10 %
 * more. (Read in one thread, 1.6 MB had brought `outloud serve` from 184-214 MB to 143-165 MB.)
 */
export const IMPORT_BATCH_BYTES = 1_000_000;

function issuePath(section: Section, index: number, issuePathParts: readonly PropertyKey[]): string {
  let out = `${section}[${index}]`;
  for (const part of issuePathParts) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

async function checkJournalFile(
  file: string,
  size: number,
  maxKeptLinks: number,
  { checking, signal }: { checking?: (size: number) => Progress; signal?: AbortSignal },
): Promise<CheckedFile> {
  const header: Partial<CheckedFile['header']> = {};
  const counts: Record<Section, number> = { entries: 0, revisions: 0, links: 0 };
  const present = new Set<string>();
  let links: Link[] | undefined = [];
  const bar = checking?.(size) ?? { update: () => {}, stop: () => {} };
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

/** The batches of a large file go to the writing side (journal-import.ts), directly or from the reader's own thread. */
export interface BatchSink {
  /**
   * A batch, for a transaction of its own. Resolves once the reader may go on, with the number of
   * items the next batch should hold (nextBatchSize), or undefined to keep the size. `ready`, when
   * the batches are read in a thread of their own: the next batch if it has been read already (else
   * undefined), for the same transaction; taking it tells the reader the one before is written.
   */
  batch(part: ImportPart, ready?: () => ImportPart | undefined): Promise<number | undefined>;
}

/**
 * A large file could not be read to its end, after the check passed (what came in stays): `reason`
 * says why, or is null when the import was cancelled. The writing side words it, knowing how far it came.
 */
export class ImportReadStop extends Error {
  readonly reason: string | null;

  constructor(reason: string | null) {
    super(reason ?? 'cancelled');
    this.name = 'ImportReadStop';
    this.reason = reason;
  }
}

/** An export file that passed the check. */
export interface CheckedImport {
  header: CheckedFile['header'];
  /** Its items: entries, revisions and links. */
  total: number;
  /** Every link of the file, when there are at most MAX_KEPT_LINKS. */
  links: Link[] | undefined;
}

/**
 * Checks the export file at `file` (an absolute path) whole. Throws an OutloudError: VALIDATION when
 * it is no export, IO when it cannot be read, CANCELLED when `signal` stopped it (between two chunks).
 */
export async function checkImportFile(
  file: string,
  options: { checking?: (size: number) => Progress; signal?: AbortSignal; tuning?: ImportTuning } = {},
): Promise<CheckedImport> {
  const { signal } = options;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw unreadable(fsMessage(error, 'read', file));
  }
  if (stat.isDirectory()) throw refused(`${file} is a folder, not an export file`);
  if (!stat.isFile()) throw refused(`${file} is not a regular file`);
  if (signal?.aborted) throw cancelledBeforeAnything();
  const { header, counts, links } = await checkJournalFile(file, stat.size, options.tuning?.maxKeptLinks ?? MAX_KEPT_LINKS, options);
  return { header, total: counts.entries + counts.revisions + counts.links, links };
}

/** Whether a checked file is small enough for one transaction (readWholeImport), else it comes in batches. */
export const isSmallImport = (checked: CheckedImport, tuning: ImportTuning = {}) => checked.total <= (tuning.singleCallLimit ?? SINGLE_CALL_LIMIT);

/** A small file read whole, for one transaction. A failure to read it again imported nothing (OutloudError). */
export async function readWholeImport(file: string, checked: CheckedImport, signal?: AbortSignal): Promise<JournalExport> {
  const data: JournalExport = { ...checked.header, entries: [], revisions: [], links: [] };
  try {
    await scanJournalFile(file, { item: (section, _i, value) => void (data[section] as unknown[]).push(value) }, { signal });
  } catch (error) {
    if (signal?.aborted) throw cancelledBeforeAnything();
    if (error instanceof JournalFileError) throw unreadable(`The file changed while it was being imported: ${error.message}`);
    if (isFsError(error)) throw unreadable(fsMessage(error, 'read', file));
    throw error;
  }
  if (signal?.aborted) throw cancelledBeforeAnything();
  return data;
}

/**
 * Reads a checked large file again and hands `sink` its batches, in order: each with the links whose
 * two ends have both come by (`links`, the check's), or, when the check kept none, the links after
 * every entry. Throws an ImportReadStop when the file could not be read to its end (or `signal`
 * stopped it between two chunks), and whatever `sink` throws.
 */
export async function readImportBatches(file: string, links: readonly Link[] | undefined, sink: BatchSink, options: { signal?: AbortSignal; tuning?: ImportTuning } = {}): Promise<void> {
  const tuning = options.tuning ?? {};
  const signal = options.signal;
  /** Reads the file again; what stops it partway becomes an ImportReadStop. */
  const read = async (callbacks: Pick<ScanCallbacks, 'item' | 'sectionEnd'>) => {
    try {
      await scanJournalFile(file, callbacks, { signal });
    } catch (error) {
      if (error instanceof OutloudError || error instanceof ImportReadStop) throw error; // the sink's own
      if (signal?.aborted) throw new ImportReadStop(null);
      if (error instanceof JournalFileError) throw new ImportReadStop(`The file changed while it was being imported: ${error.message}`);
      if (isFsError(error)) throw new ImportReadStop(fsMessage(error, 'read', file));
      throw error;
    }
  };

  // Revisions (and links, if there were too many to keep) come once every entry is in, which in an
  // export written by Outloud is later in the same pass, and otherwise takes a second one. A batch is
  // parsed and validated again (the file may have changed since the check) before it is handed over.
  const fixedSize = tuning.batchSize;
  let batchSize = fixedSize ?? IMPORT_BATCH_SIZE.first;
  const batchByteLimit = tuning.batchBytes ?? IMPORT_BATCH_BYTES;
  const plan = links ? new LinkPlan(links) : undefined;
  const empty = (): Required<ImportPart> => ({ entries: [], revisions: [], links: [], rows: [] });
  let batch = empty();
  const size = () => itemsOf(batch);
  /** Bytes of the file the batch's entries and revisions took (its links are small). */
  let batchBytes = 0;
  const full = () => size() >= batchSize || batchBytes >= batchByteLimit;
  const flush = async () => {
    if (size() === 0) return;
    const part = batch;
    batch = empty();
    batchBytes = 0;
    const next = await sink.batch(part);
    if (fixedSize === undefined && next !== undefined) batchSize = next;
  };
  // Synchronous unless a batch is full: a promise (and a microtask) per element is measurable here.
  const add = (section: Section, index: number, value: unknown, bytes: number): Promise<void> | undefined => {
    const parsed = parseExportItem(section, value);
    if (!parsed.success) throw new JournalFileError(`${issuePath(section, index, parsed.issue.path)}: ${parsed.issue.message}`);
    (batch[section] as unknown[]).push(parsed.data);
    // What the entry is written with, worked out here: in the reader's thread, not the journal's.
    if (section === 'entries') batch.rows.push(importRow(parsed.data as Entry));
    batchBytes += bytes;
    return full() ? flush() : undefined;
  };

  let entriesDone = false;
  let deferred = false;
  await read({
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
  });
  if (deferred) {
    await read({ item: (section, index, value, bytes) => (section === 'entries' || (section === 'links' && plan) ? undefined : add(section, index, value, bytes)) });
  }
  await flush();
}
