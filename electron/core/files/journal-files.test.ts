import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import type { JournalExport } from '../../../shared/domain/journal.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { openCore, type Core } from '../core.ts';
import { exportJournalFile, journalFiles, SCRATCH_FOLDER } from './journal-files.ts';
import { BULK_CHECKPOINT_PAGES } from '../services/journal.service.ts';
import { IMPORT_BATCH_BYTES } from './journal-import-read.ts';

const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
});

function journal(n: number): Core {
  const core = openCore({ dataDir: tempDir() });
  cores.push(core);
  core.services.entries.createMany(Array.from({ length: n }, (_, i) => EntryCreateInput.parse({ body: `Before the export ${i} #kept` })));
  return core;
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as JournalExport;

describe('exportJournalFile', () => {
  it('writes one snapshot through its own connection while the journal keeps taking saves', async () => {
    const core = journal(3_000);
    const file = path.join(tempDir(), 'export.json');
    let chunksLater = 0;
    let savedWhileWritten = false;
    const exporting = exportJournalFile(core.databasePath, file).finally(() => (chunksLater = -1));
    // The same process saves while the export is being written: on its own connection, at once.
    const during = core.services.entries.create(EntryCreateInput.parse({ body: 'Saved as the export began' }));
    while (chunksLater >= 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (chunksLater >= 0) chunksLater++;
      if (chunksLater === 1) {
        core.services.entries.create(EntryCreateInput.parse({ body: 'Saved while it was written' }));
        savedWhileWritten = true;
      }
    }
    expect(savedWhileWritten, 'the export gave the event loop back while it wrote').toBe(true);
    const report = await exporting;
    expect(report).toMatchObject({ path: file, entries: 3_000, revisions: 0, links: 0, bytes: fs.statSync(file).size });
    const ids = read(file).entries.map((e) => e.id);
    expect(ids).toHaveLength(3_000);
    expect(ids).not.toContain(during.id);
    expect(core.services.journal.stats().entries).toBe(3_002);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['export.json']);
  });

  it('answers a folder that is not there with an IO error and writes nothing', async () => {
    const core = journal(1);
    const dir = tempDir();
    await expect(exportJournalFile(core.databasePath, path.join(dir, 'missing', 'out.json'))).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/^Cannot write .*out\.json: no such file or folder$/) });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('an export or backup aimed at the journal itself', () => {
  it('is refused under any name: the path, a symbolic link, a hard link, the WAL', async () => {
    const core = journal(3);
    const dir = tempDir();
    const symlink = path.join(dir, 'innocent.json');
    fs.symlinkSync(core.databasePath, symlink);
    const hardlink = path.join(dir, 'also-innocent.json');
    fs.linkSync(core.databasePath, hardlink);
    const files = journalFiles(core);
    for (const target of [core.databasePath, symlink, hardlink, `${core.databasePath}-wal`, `${core.databasePath}-journal`]) {
      expect(await files.exportTo(target), target).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'The export cannot overwrite the journal itself.' } });
      await expect(core.services.journal.backup(target), target).rejects.toThrow('The backup cannot overwrite the journal itself.');
    }
    expect((await core.services.journal.doctor()).ok).toBe(true);
    expect(core.services.journal.stats().entries).toBe(3);
    expect(fs.readdirSync(dir).sort()).toEqual(['also-innocent.json', 'innocent.json']);
  });
});

describe('journalFiles', () => {
  it('refuses to export over the journal or its WAL, and clears transfers a crash left behind a day ago', async () => {
    const core = journal(1);
    const scratch = path.join(core.dataDir, SCRATCH_FOLDER);
    fs.mkdirSync(scratch);
    const old = path.join(scratch, 'import-left-behind.json');
    const fresh = path.join(scratch, 'import-in-flight.json');
    fs.writeFileSync(old, '{');
    fs.writeFileSync(fresh, '{');
    const dayAgo = (Date.now() - 25 * 60 * 60 * 1000) / 1000;
    fs.utimesSync(old, dayAgo, dayAgo);
    const files = journalFiles(core);
    expect(fs.readdirSync(scratch), 'another process may be using the newer one').toEqual(['import-in-flight.json']);
    for (const target of [core.databasePath, `${core.databasePath}-wal`]) {
      expect(await files.exportTo(target)).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'The export cannot overwrite the journal itself.' } });
    }
    expect((await core.services.journal.doctor()).ok).toBe(true);
  });
});

/** Where an import's file is read: in the journal's thread, or in a thread of its own (tuning `readApart`). */
const READERS = [
  ['in this thread', false],
  ['in a thread of its own', true],
] as const;

describe('an import through journalFiles', () => {
  /** An export of `n` notes (each mentioning the next one's author, so there are links) and its ids. */
  async function exportOf(n: number): Promise<{ file: string; ids: string[] }> {
    const core = journal(0);
    core.services.entries.createMany(Array.from({ length: n }, (_, i) => EntryCreateInput.parse({ body: `Note ${i} with @[Person ${i % 40}] #kept` })));
    const file = path.join(tempDir(), 'journal.json');
    expect((await journalFiles(core).exportTo(file)).ok).toBe(true);
    return { file, ids: read(file).entries.map((e) => e.id).sort() };
  }
  const idsOf = (core: Core) => (core.db.prepare('SELECT id FROM entries ORDER BY id').pluck().all() as string[]);
  const tuning = { singleCallLimit: 10, batchSize: 100 };

  it('holds at most IMPORT_BATCH_BYTES of the file in a transaction: long notes come in fewer at a time', async () => {
    const source = journal(0);
    const long = 'A long meeting write-up with many words. '.repeat(1_500); // ~60 KB
    source.services.entries.createMany(Array.from({ length: 60 }, (_, i) => EntryCreateInput.parse({ body: `Write-up ${i}: ${long}` })));
    const file = path.join(tempDir(), 'long.json');
    expect((await journalFiles(source).exportTo(file)).ok).toBe(true);
    const to = journal(0);
    const batches = vi.spyOn(to.services.journal, 'importValidated');
    try {
      // 60 items: far fewer than a batch may hold (IMPORT_BATCH_SIZE), but ~3.7 MB of them.
      expect(await journalFiles(to, { tuning: { singleCallLimit: 10 } }).importFrom(file)).toMatchObject({ ok: true, value: { added: 60, errors: [] } });
      const sizes = batches.mock.calls.map(([part]) => part.entries.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0));
      expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(sizes.reduce((a, b) => a + b, 0) / IMPORT_BATCH_BYTES));
      // A batch is flushed at the entry that reaches the limit: never more than one entry past it.
      for (const bytes of sizes) expect(bytes).toBeLessThan(IMPORT_BATCH_BYTES + 70_000);
      expect(batches.mock.calls.map(([part]) => part.entries.length).reduce((a, b) => a + b, 0)).toBe(60);
    } finally {
      batches.mockRestore();
    }
    expect((await to.services.journal.doctor()).ok).toBe(true);
  });

  it('takes a batch the reader has ready into the transaction under way, up to mergedBatches, letting each go once written: the same journal as one batch a transaction', async () => {
    const { file, ids } = await exportOf(2_000);
    const exportWithout = async (core: Core) => {
      const out = path.join(tempDir(), 'again.json');
      expect((await journalFiles(core).exportTo(out)).ok).toBe(true);
      const { exportedAt: _, ...rest } = read(out);
      return rest;
    };
    const importWith = async (mergedBatches: number) => {
      const to = journal(0);
      const original = to.services.journal.importValidated;
      const transactions: number[] = [];
      let heldAfter = 0;
      const spy = vi.spyOn(to.services.journal, 'importValidated').mockImplementation((part, session, more) => {
        const handed = [part];
        const counted = more && (() => {
          const next = more();
          if (next) handed.push(next);
          return next;
        });
        const report = original(part, session, counted);
        transactions.push(handed.length);
        // Each part is let go once written: a transaction of several holds one at a time.
        for (const p of handed) heldAfter += p.entries.length + p.revisions.length + p.links.length + (p.rows?.length ?? 0);
        return report;
      });
      try {
        // A pause of 30 ms after each commit: time for the reader to post the next two batches.
        const result = await journalFiles(to, { tuning: { ...tuning, readApart: true, lockFreeMs: 30, mergedBatches } }).importFrom(file);
        expect(result).toMatchObject({ ok: true, value: { added: ids.length, errors: [] } });
      } finally {
        spy.mockRestore();
      }
      expect(idsOf(to)).toEqual(ids);
      expect(heldAfter).toBe(0);
      expect((await to.services.journal.doctor()).ok).toBe(true);
      return { transactions, exported: await exportWithout(to) };
    };
    const one = await importWith(1);
    const three = await importWith(3);
    expect(Math.max(...one.transactions)).toBe(1);
    expect(Math.max(...three.transactions), 'some transaction took a batch that was ready').toBeGreaterThan(1);
    expect(Math.max(...three.transactions)).toBeLessThanOrEqual(3);
    // Every batch was written, in fewer transactions.
    expect(three.transactions.reduce((a, b) => a + b, 0)).toBe(one.transactions.length);
    expect(three.transactions.length).toBeLessThan(one.transactions.length);
    expect(three.exported).toEqual(one.exported);
  });

  it.each(READERS)('is cancelled between batches, the file read %s: what came in stays, the message says how far, and the same import again completes it', async (_, readApart) => {
    const { file, ids } = await exportOf(1_000);
    const to = journal(0);
    const files = journalFiles(to, { tuning: { ...tuning, readApart } });
    const controller = new AbortController();
    const importing = files.importFrom(file, undefined, controller.signal);
    // The import gives the event loop back between its transactions: cancel once some have committed.
    while (to.services.journal.stats().entries < 200) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    const result = await importing;
    const after = to.services.journal.stats().entries;
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'CANCELLED',
        message: expect.stringMatching(/^The import was cancelled after [\d,]+ of [\d,]+ items\. What came in stays; importing the same file again continues where it stopped\.$/),
      },
    });
    expect(after).toBeGreaterThanOrEqual(200);
    expect(after, 'it stopped before the end').toBeLessThan(ids.length);
    expect((await to.services.journal.doctor()).ok).toBe(true);
    expect(files.importing).toBe(false);

    const again = await files.importFrom(file);
    expect(again).toMatchObject({ ok: true, value: { errors: [] } });
    expect(idsOf(to)).toEqual(expect.arrayContaining(ids));
    expect(to.services.journal.stats().entries).toBe(ids.length);
    // Every link of the file is there, including those whose ends came in before the cancel.
    expect(to.db.prepare('SELECT count(*) FROM links').pluck().get()).toBe(read(file).links.length);
    expect((await to.services.journal.doctor()).ok).toBe(true);
  });

  it('is cancelled while the file is checked: nothing is imported', async () => {
    const { file } = await exportOf(300);
    const to = journal(0);
    const controller = new AbortController();
    const importing = journalFiles(to, { tuning }).importFrom(file, (p) => p.step === 'checking' && controller.abort(), controller.signal);
    expect(await importing).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'The import was cancelled; nothing was imported.' } });
    expect(to.services.journal.stats().entries).toBe(0);
    // A signal cancelled before the import starts: the same.
    expect(await journalFiles(to).importFrom(file, undefined, AbortSignal.abort())).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(to.services.journal.stats().entries).toBe(0);
  });

  it('waits for a cancelled import to stop instead of refusing the next one: Cancel then Import at once works', async () => {
    const { file, ids } = await exportOf(1_000);
    const to = journal(0);
    const files = journalFiles(to, { tuning });
    const controller = new AbortController();
    const first = files.importFrom(file, undefined, controller.signal);
    while (to.services.journal.stats().entries < 200) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    // The cancelled import is finishing its batch: it no longer counts as under way.
    expect(files.importing).toBe(false);
    // What the journal held when the second began: the first's last batch was in by then.
    let atStart: number | undefined;
    const second = files.importFrom(file, () => (atStart ??= to.services.journal.stats().entries));
    expect(await first).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const kept = to.services.journal.stats().entries;
    expect(kept, 'the first stopped before the end').toBeLessThan(ids.length);
    expect(await second).toEqual({ ok: true, value: expect.objectContaining({ added: ids.length - kept, updated: 0, skipped: kept, leftOut: 0, errors: [] }) });
    expect(atStart, 'the second began once the first had stopped').toBe(kept);
    expect(idsOf(to)).toEqual(ids);
    expect((await to.services.journal.doctor()).ok).toBe(true);
  });

  it('runs one at a time: a second import while one runs is refused, and the first completes', async () => {
    const { file, ids } = await exportOf(600);
    const to = journal(0);
    const files = journalFiles(to, { tuning });
    const first = files.importFrom(file);
    expect(files.importing).toBe(true);
    const second = await files.importFrom(file);
    expect(second).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Another import is under way. Wait for it to finish, or cancel it, before importing another file.' },
    });
    expect(await first).toMatchObject({ ok: true, value: { added: ids.length, errors: [] } });
    expect(files.importing).toBe(false);
    // Once it has ended, the next one runs.
    expect(await files.importFrom(file)).toMatchObject({ ok: true, value: { added: 0, skipped: ids.length } });
  });

  it.each(READERS)('stops when the file is cut short while its batches are read %s: what came in stays, and the message says how far and why', async (_, readApart) => {
    // ~3 MB: more than the reader's 1 MB chunks, so the cut is met partway.
    const { file } = await exportOf(6_000);
    const to = journal(0);
    const files = journalFiles(to, { tuning: { ...tuning, readApart } });
    const importing = files.importFrom(file);
    while (to.services.journal.stats().entries < 100) await new Promise((resolve) => setTimeout(resolve, 1));
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const result = await importing;
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'IO',
        message: expect.stringMatching(
          /^The import stopped after [\d,]+ of [\d,]+ items: The file changed while it was being imported: .+\. What came in stays; running the same import again continues where it stopped$/,
        ),
      },
    });
    const kept = to.services.journal.stats().entries;
    expect(kept).toBeGreaterThanOrEqual(100);
    expect(kept).toBeLessThan(6_000);
    expect((await to.services.journal.doctor()).ok).toBe(true);
    expect(files.importing).toBe(false);
  });

  it.each([
    ['ends', 'process.exit(3);', "The import's reader stopped before the end of the file (exit code 3)."],
    ['fails', "throw new Error('cannot start');", "The import's reader failed: cannot start"],
  ])('says so when the reader\'s thread %s, and imports nothing', async (_, script, message) => {
    const { file } = await exportOf(600);
    const workerFile = path.join(tempDir(), 'reader.worker.cjs');
    fs.writeFileSync(workerFile, `${script}\n`);
    const to = openCore({ dataDir: tempDir(), importWorkerFile: workerFile });
    cores.push(to);
    expect(await journalFiles(to, { tuning: { ...tuning, readApart: true } }).importFrom(file)).toEqual({ ok: false, error: { code: 'INTERNAL', message } });
    expect(to.services.journal.stats().entries).toBe(0);
  });

  it.each(READERS)('lets the log grow between checkpoints while the batches are written %s, then puts the setting back and copies the log, also when it stops', async (_, readApart) => {
    const { file, ids } = await exportOf(2_000);
    const to = journal(0);
    const during: number[] = [];
    const importValidated = to.services.journal.importValidated;
    const spy = vi.spyOn(to.services.journal, 'importValidated').mockImplementation((part, session) => {
      during.push(to.db.pragma('wal_autocheckpoint', { simple: true }) as number);
      return importValidated(part, session);
    });
    try {
      const files = journalFiles(to, { tuning: { ...tuning, readApart } });
      expect(await files.importFrom(file)).toMatchObject({ ok: true, value: { added: ids.length } });
      expect(new Set(during)).toEqual(new Set([BULK_CHECKPOINT_PAGES]));
      expect(to.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
      // The log was copied at the end: nothing in it is left for the next save to copy.
      const [log] = to.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
      expect(log!.checkpointed).toBe(log!.log);

      // Stopped partway: the setting comes back all the same.
      during.length = 0;
      const other = journal(0);
      const stopping = vi.spyOn(other.services.journal, 'importValidated').mockImplementation(() => {
        throw new Error('disk on fire');
      });
      const result = await journalFiles(other, { tuning: { ...tuning, readApart } }).importFrom(file);
      stopping.mockRestore();
      expect(result).toMatchObject({ ok: false, error: { code: 'IO', message: expect.stringMatching(/^The import stopped after 0 of [\d,]+ items: disk on fire/) } });
      expect(other.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    } finally {
      spy.mockRestore();
    }
  });
});

