/**
 * `outloud import FILE`: check the whole file first (nothing is written if any of it is wrong), then
 * import it in short transactions, so the app can keep saving notes while a large journal comes in.
 *
 * Both passes stream the file, so memory stays bounded whatever its size; the one thing kept from the
 * check for the import is the list of links (up to MAX_KEPT_LINKS): each link then travels in the
 * same `journal.import` call as the later of its two entries, so an entry enters the full-text index
 * once, with the names of the people it mentions, instead of being indexed again when its links
 * arrive after all the entries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Timestamp } from '../../../shared/api/schemas.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type ImportReport, type JournalExport } from '../../../shared/domain/journal.ts';
import { checkExportItem, parseExportItem } from '../services/journal-format.ts';
import { type Context, failure } from './context.ts';
import { fsMessage, isFsError } from './files.ts';
import { JournalFileError, scanJournalFile, SECTIONS, type Section } from './journal-file.ts';
import { progressBar } from './progress.ts';

type Link = JournalExport['links'][number];

interface CheckedFile {
  header: { format: typeof EXPORT_FORMAT; version: typeof EXPORT_VERSION; exportedAt: number };
  counts: Record<Section, number>;
  /** Every link of the file, when there are at most MAX_KEPT_LINKS. */
  links: Link[] | undefined;
}

/** Links kept in memory between the two passes (about 100 bytes each). */
export const MAX_KEPT_LINKS = 250_000;
/** Entries per transaction: each commit flushes the full-text index, so fewer, larger ones are faster. */
export const IMPORT_BATCH_SIZE = 1_000;
/** Pause between import transactions; see flush() below. */
const BATCH_PAUSE_MS = 10;

function issuePath(section: Section, index: number, issuePathParts: readonly PropertyKey[]): string {
  let out = `${section}[${index}]`;
  for (const part of issuePathParts) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

async function checkJournalFile(ctx: Context, file: string, size: number, maxKeptLinks: number): Promise<CheckedFile> {
  const header: Partial<CheckedFile['header']> = {};
  const counts: Record<Section, number> = { entries: 0, revisions: 0, links: 0 };
  const present = new Set<string>();
  let links: Link[] | undefined = [];
  const bar = progressBar(ctx.io.stderr, 'Checking ', size, false);
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
    });
  } catch (error) {
    if (error instanceof JournalFileError) throw failure(`Not an Outloud journal export: ${error.message}; nothing was imported`);
    if (isFsError(error)) throw failure(fsMessage(error, 'read', file));
    throw error;
  } finally {
    bar.stop();
  }
  for (const key of ['format', 'version', 'exportedAt', ...SECTIONS]) {
    if (!present.has(key)) throw failure(`Not an Outloud journal export: it has no "${key}"; nothing was imported`);
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

export async function importJournalFile(ctx: Context, fileArg: string): Promise<ImportReport> {
  const file = path.resolve(ctx.cwd, fileArg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw failure(fsMessage(error, 'read', file));
  }
  if (stat.isDirectory()) throw failure(`${file} is a folder, not an export file`);
  if (!stat.isFile()) throw failure(`${file} is not a regular file`);

  const { header, counts, links } = await checkJournalFile(ctx, file, stat.size, ctx.tuning.importMaxKeptLinks ?? MAX_KEPT_LINKS);
  const total = counts.entries + counts.revisions + counts.links;
  const report: ImportReport = { added: 0, updated: 0, skipped: 0, errors: [] };
  const emptyData = (): JournalExport => ({ ...header, entries: [], revisions: [], links: [] });
  const importData = (data: JournalExport) => ctx.call('journal.import', { data }, 'data');
  const addReport = (more: ImportReport) => {
    report.added += more.added;
    report.updated += more.updated;
    report.skipped += more.skipped;
    report.errors.push(...more.errors);
  };

  const read = async (callbacks: { item(section: Section, value: unknown): void | Promise<void>; sectionEnd?(section: Section): void | Promise<void> }) => {
    try {
      await scanJournalFile(file, { item: (section, _i, value) => callbacks.item(section, value), sectionEnd: callbacks.sectionEnd });
    } catch (error) {
      if (error instanceof JournalFileError) throw failure(`The file changed while it was being imported: ${error.message}`);
      if (isFsError(error)) throw failure(fsMessage(error, 'read', file));
      throw error;
    }
  };

  // Small files: one transaction, all or nothing.
  if (total <= (ctx.tuning.importSingleCallLimit ?? 5_000)) {
    const data = emptyData();
    await read({ item: (section, value) => void (data[section] as unknown[]).push(value) });
    addReport(await importData(data));
    return report;
  }

  // Large files: entries in batches, each with the links whose two ends have both come by; revisions
  // (and links, if there were too many to keep) once every entry is in, which in an export written by
  // Outloud is later in the same pass, and otherwise takes a second one.
  const batchSize = ctx.tuning.importBatchSize ?? IMPORT_BATCH_SIZE;
  const bar = progressBar(ctx.io.stderr, 'Importing', total);
  const plan = links ? new LinkPlan(links) : undefined;
  let done = 0;
  let batch = emptyData();
  const flush = async () => {
    const n = batch.entries.length + batch.revisions.length + batch.links.length;
    if (n === 0) return;
    const data = batch;
    batch = emptyData();
    try {
      addReport(await importData(data));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw failure(
        `The import stopped after ${done.toLocaleString('en')} of ${total.toLocaleString('en')} items: ${message}. What came in stays; running the same import again continues where it stopped`,
      );
    }
    done += n;
    bar.update(done);
    // Leave the write lock free for a moment, so the app's saves (which poll for the lock) get in
    // between batches instead of waiting for the whole import.
    await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
  };
  // Synchronous unless a batch is full: a promise (and a microtask) per element is measurable here.
  const add = (section: Section, value: unknown): Promise<void> | undefined => {
    (batch[section] as unknown[]).push(value);
    return batch[section].length >= batchSize ? flush() : undefined;
  };
  const addLinks = async (list: readonly Link[]) => {
    for (const l of list) await add('links', l);
  };

  let entriesDone = false;
  let deferred = false;
  try {
    await read({
      item(section, value) {
        if (section === 'entries') {
          plan?.arrived((value as { id?: unknown } | null)?.id, batch.links);
          return add(section, value);
        }
        if (section === 'links' && plan) return undefined; // already on their way with the entries
        if (entriesDone) return add(section, value);
        deferred = true;
        return undefined;
      },
      async sectionEnd(section) {
        if (section !== 'entries') return;
        entriesDone = true;
        await flush();
        if (plan) await addLinks(plan.rest());
      },
    });
    await flush();
    if (deferred) {
      await read({ item: (section, value) => (section === 'entries' || (section === 'links' && plan) ? undefined : add(section, value)) });
      await flush();
    }
  } finally {
    bar.stop();
  }
  return report;
}
