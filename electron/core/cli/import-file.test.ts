/** `outloud import FILE` of a large file: the same journal whatever the file's order and batch size. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/domain/entry.ts';
import type { DoctorReport, ImportReport, JournalExport } from '../../../shared/domain/journal.ts';
import { isId, killAll, startSaveLoop } from '../../../tests/db/child-process.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { openCore } from '../core.ts';
import { LinkPlan } from '../files/journal-import-read.ts';
import { writeJournalFile } from '../files/journal-file.ts';
import { BIN, cli, cliEnv, cliJson, journalState, NODE, REPO_ROOT, spawnCli } from './testing.ts';

afterEach(killAll);

type Link = JournalExport['links'][number];

describe('LinkPlan', () => {
  it('hands out each link once, when the second of its two entries has come by', () => {
    const links: Link[] = [
      { from: 'n1', to: 'p1', type: 'mentions' },
      { from: 'n2', to: 'p1', type: 'mentions' },
      { from: 'n1', to: 'n1', type: 'refers-to' },
      { from: 'n3', to: 'gone', type: 'refers-to' },
    ];
    const plan = new LinkPlan(links);
    const out: Link[] = [];
    plan.arrived('p1', out);
    expect(out).toEqual([]);
    plan.arrived('n1', out);
    expect(out).toEqual([links[0], links[2]]);
    plan.arrived('n1', out); // the same id again hands out nothing twice
    plan.arrived(42, out); // not an id
    plan.arrived('n2', out);
    plan.arrived('n3', out);
    expect(out).toEqual([links[0], links[2], links[1]]);
    expect(plan.rest()).toEqual([links[3]]); // an end that never came by may be in the journal already
  });
});

describe('outloud import of a file in batches', () => {
  /** A journal whose links point both ways in file order: people mentioned, bookmarks referred to. */
  async function sourceJournal(): Promise<string> {
    const dir = tempDir('outloud-import-src-');
    const core = openCore({ dataDir: dir });
    const call = async (method: string, input: unknown) => {
      const r = await core.dispatch(method, input);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { id: string };
    };
    await call('entries.create', { kind: 'person', person: { name: 'Ann Lee', aliases: ['annie'], topics: ['sqlite'] } });
    for (let i = 0; i < 12; i++) {
      await call('entries.create', { body: `note ${i} with @[Ann Lee] and @[Person ${i % 4}] #batch https://example.org/${i % 3}` });
      if (i % 4 === 1) await call('entries.create', { kind: 'bookmark', bookmark: { url: `https://example.org/${i % 3}` }, body: 'a page' });
    }
    const edited = await call('entries.create', { body: 'first draft mentioning @annie' });
    await call('entries.update', { id: edited.id, body: 'second draft mentioning @annie and @[Person 9]' });
    const trashed = await call('entries.create', { kind: 'question', body: 'who knows @[Person 1]?' });
    await call('entries.delete', { id: trashed.id });
    await call('entries.create', { kind: 'person', person: { name: 'Bo', recommendedBy: 'Ann Lee' } });
    core.close();
    return dir;
  }

  /** The journal as a set: entries, revisions and links in an order of their own (not rowid order). */
  async function contents(dir: string) {
    const { exportedAt: _at, ...data } = JSON.parse(await journalState(dir)).data as JournalExport;
    const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();
    return { entries: sorted(data.entries), revisions: sorted(data.revisions), links: sorted(data.links) };
  }

  /** What a search sees of each entry: its indexed people text, and the index checked against it. */
  function indexed(dir: string) {
    const db = new Database(path.join(dir, 'outloud.sqlite'), { readonly: true });
    // The names as a set of words: their order follows the order the links came in.
    const rows = (db.prepare('SELECT id, search_people FROM entries ORDER BY id').all() as Array<{ id: string; search_people: string }>).map((r) => ({
      id: r.id,
      people: r.search_people.split(' ').sort().join(' '),
    }));
    const ann = db.prepare(`SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH 'people:annie' ORDER BY e.id`).all();
    db.close();
    return { rows, ann };
  }

  it('gives the same journal for any order of the file, batch size, number of links kept, and thread it is read in', async () => {
    const source = await sourceJournal();
    const out = path.join(tempDir(), 'export.json');
    expect((await cli(source, ['export', '--out', out])).code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    const data = JSON.parse(text) as JournalExport;
    expect(data.revisions.length).toBeGreaterThan(0);
    expect(data.links.length).toBeGreaterThan(20);
    const { format, version, exportedAt, entries, revisions, links } = data;
    const files = {
      'as exported': text,
      'entries in reverse': JSON.stringify({ ...data, entries: [...entries].reverse() }),
      'links and revisions before the entries, pretty-printed': JSON.stringify({ format, links, revisions, version, exportedAt, entries }, null, 2),
    };
    const want = { contents: await contents(source), indexed: indexed(source) };
    expect(want.indexed.ann.length).toBeGreaterThan(10);
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(tempDir(), 'file.json');
      fs.writeFileSync(file, content);
      for (const tuning of [
        { importBatchSize: 4 },
        { importBatchSize: 4, importReadApart: true },
        { importBatchSize: 5, importMaxKeptLinks: 3 },
        { importBatchSize: 5, importMaxKeptLinks: 3, importReadApart: true },
        { importBatchSize: 1_000, importReadApart: true },
      ]) {
        const target = tempDir('outloud-import-dst-');
        const report = await cliJson<ImportReport>(target, ['import', file], { tuning: { importSingleCallLimit: 10, ...tuning } });
        const what = `${name}, ${JSON.stringify(tuning)}`;
        expect(report, what).toEqual({ added: entries.length, updated: 0, skipped: 0, revisions: revisions.length, links: links.length, leftOut: 0, errors: [] });
        expect(await contents(target), what).toEqual(want.contents);
        expect(indexed(target), what).toEqual(want.indexed);
        expect((await cliJson<{ ok: boolean }>(target, ['doctor'])).ok, what).toBe(true);
      }
    }
  });

  it('imports nothing twice when the same large file comes again', async () => {
    const source = await sourceJournal();
    const out = path.join(tempDir(), 'export.json');
    expect((await cli(source, ['export', '--out', out])).code).toBe(0);
    const target = tempDir('outloud-import-dst-');
    const tuning = { importSingleCallLimit: 10, importBatchSize: 6 };
    const first = await cliJson<ImportReport>(target, ['import', out], { tuning });
    const again = await cliJson<ImportReport>(target, ['import', out], { tuning });
    expect(again).toEqual({ added: 0, updated: 0, skipped: first.added, revisions: 0, links: 0, leftOut: 0, errors: [] });
    expect(await journalState(target)).toBe(await journalState(source));
  });
});

describe('outloud import of a large file beside another writer', () => {
  /** An export of `n` notes, a person every 100th, each note mentioning the person before it. */
  async function largeExport(n: number): Promise<string> {
    const entries: Entry[] = [];
    const links: JournalExport['links'] = [];
    let person = '';
    for (let i = 0; i < n; i++) {
      const base = { title: '', tags: [`tag${i % 7}`], createdAt: 1_600_000_000_000 + i, updatedAt: 1_600_000_000_000 + i, deletedAt: null, source: 'cli' as const, sourceRef: null };
      if (i % 100 === 0) {
        person = `person${i}`;
        const name = `Person Number${i}`;
        entries.push({ ...base, id: person, title: name, body: '', kind: 'person', person: { name, aliases: [], role: '', organisation: '', contacts: [], topics: [], recommendedBy: '' } });
        continue;
      }
      entries.push({ ...base, id: `note${i}`, body: `note ${i} with @[Person Number${i - (i % 100)}] about importing in parts ${'filler words '.repeat(20)}`, kind: 'note' });
      links.push({ from: `note${i}`, to: person, type: 'mentions' });
    }
    const file = path.join(tempDir('outloud-import-file-'), 'large.json');
    await writeJournalFile(file, { format: 'outloud-journal', version: 1, exportedAt: 1, entries, revisions: [], links });
    return file;
  }

  const doctor = async (dir: string) => (await cliJson<DoctorReport>(dir, ['doctor'])).ok;

  it('lets the other writer save between its transactions, and both finish', { timeout: 120_000 }, async () => {
    const n = 20_000;
    const file = await largeExport(n);
    const dir = tempDir('outloud-import-beside-');
    // One note per transaction, as the app saves them.
    const writer = startSaveLoop(['--data-dir', dir, '--label', 'app', '--batch', '1', '--pause-ms', '5']);
    await writer.waitForLine(isId);
    const savedBefore = writer.lines().filter(isId).length;
    const r = await spawnCli(['--data-dir', dir, '--json', 'import', file]);
    const savedDuring = writer.lines().filter(isId).length - savedBefore;
    writer.process.stdin.end();
    const exit = await writer.exited;

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ added: n, updated: 0, skipped: 0, revisions: 0, leftOut: 0, errors: [] });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(writer.stderr()).toBe('');
    // The writer went on saving while the import ran...
    expect(savedDuring).toBeGreaterThan(0);
    // ...and between the import's transactions: notes of the writer among the imported rows.
    const conn = new Database(path.join(dir, 'outloud.sqlite'), { readonly: true });
    const between = conn
      .prepare(
        `SELECT count(*) AS n FROM entries WHERE body LIKE 'app note%' AND rowid BETWEEN
           (SELECT min(rowid) FROM entries WHERE id GLOB 'note*') AND (SELECT max(rowid) FROM entries WHERE id GLOB 'note*')`,
      )
      .get() as { n: number };
    conn.close();
    expect(between.n).toBeGreaterThan(0);
    const people = n / 100;
    const writerNotes = writer.lines().filter(isId).length;
    const stats = await cliJson<{ entries: number; byKind: Record<string, number> }>(dir, ['stats']);
    expect(stats.entries).toBe(n + writerNotes + 4); // the writer's mentions made 4 people of their own
    expect(stats.byKind.person).toBe(people + 4);
    const found = await cliJson<{ total: number }>(dir, ['search', '@[Person Number500]', '--limit', '1']);
    expect(found.total).toBe(100); // the person, and the 99 notes that mention them
    expect(await doctor(dir)).toBe(true);
  });

  it('stops at Ctrl+C (SIGINT) before its next batch, says how far it came in one line, and the same import then completes it', { timeout: 120_000 }, async () => {
    // Several transactions long (up to two batches of ~3,000 items each), whatever this machine's speed:
    // the signal is sent while this test holds the journal's write lock, below.
    const n = 30_000;
    const file = await largeExport(n);
    const dir = tempDir('outloud-import-interrupted-');
    const child = spawn(NODE, [BIN, '--data-dir', dir, 'import', file], { cwd: REPO_ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    let committed = 0;
    for (let tries = 0; committed === 0 && tries < 6_000; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        const conn = new Database(path.join(dir, 'outloud.sqlite'), { readonly: true, fileMustExist: true });
        committed = (conn.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
        conn.close();
      } catch {
        // not created yet
      }
    }
    // Once a transaction has committed, take the write lock between two (looking for it every
    // millisecond or two, as the app's saves do), and send the signal while holding it: the import,
    // waiting for the lock, hears the signal once its next transaction is through, however fast it
    // runs (a process that commits hears SIGINT 70-300 ms late here, and 30,000 entries take ~1.5 s).
    const holder = new Database(path.join(dir, 'outloud.sqlite'));
    holder.pragma('busy_timeout = 2');
    for (let tries = 0; !holder.inTransaction && tries < 10_000; tries++) {
      try {
        holder.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if (!(error instanceof Database.SqliteError) || !error.code.startsWith('SQLITE_BUSY')) throw error;
      }
    }
    expect(holder.inTransaction, 'the test took the write lock between two of the import\'s transactions').toBe(true);
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 400));
    holder.exec('ROLLBACK');
    holder.close();
    expect(await exited).toEqual({ code: 1, signal: null });
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n').at(-1)).toMatch(
      /^outloud: The import was cancelled after [\d,]+ of [\d,]+ items\. What came in stays; importing the same file again continues where it stopped\.$/,
    );
    const partial = (await cliJson<{ entries: number }>(dir, ['stats'])).entries;
    expect(partial).toBeGreaterThanOrEqual(committed);
    expect(partial).toBeLessThan(n);
    expect(await doctor(dir)).toBe(true);

    const again = await cliJson<ImportReport>(dir, ['import', file]);
    expect(again).toMatchObject({ added: n - partial, updated: 0, skipped: partial, leftOut: 0, errors: [] });
  });

  it('outloud export stops at Ctrl+C (SIGINT), saying so in one line, with no partial file left and the target as it was', { timeout: 120_000 }, async () => {
    const dir = tempDir('outloud-export-interrupted-');
    expect((await cliJson<ImportReport>(dir, ['import', await largeExport(30_000)])).errors).toEqual([]);
    const outDir = tempDir('outloud-export-out-');
    const out = path.join(outDir, 'journal.json');
    fs.writeFileSync(out, 'an older export, kept');
    const child = spawn(NODE, [BIN, '--data-dir', dir, 'export', '--out', out], { cwd: REPO_ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Once the export has begun writing its partial file beside the target.
    const partial = path.join(outDir, `.journal.json.${child.pid}.partial`);
    for (let tries = 0; !fs.existsSync(partial) && tries < 6_000; tries++) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(fs.existsSync(partial)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 1, signal: null });
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n').at(-1)).toBe('outloud: The export was cancelled; nothing was written.');
    expect(fs.readdirSync(outDir)).toEqual(['journal.json']);
    expect(fs.readFileSync(out, 'utf8')).toBe('an older export, kept');
  });

  it('leaves a consistent journal when killed midway, and the same import then completes it', { timeout: 120_000 }, async () => {
    const n = 12_000;
    const file = await largeExport(n);
    const dir = tempDir('outloud-import-killed-');
    const child = spawn(NODE, [BIN, '--data-dir', dir, 'import', file], { cwd: REPO_ROOT, env: cliEnv(), stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill it once a transaction has been committed, while later ones are being written.
    const db = () => new Database(path.join(dir, 'outloud.sqlite'), { readonly: true, fileMustExist: true });
    let committed = 0;
    for (let tries = 0; committed === 0 && tries < 6_000; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        const conn = db();
        committed = (conn.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
        conn.close();
      } catch {
        // not created yet
      }
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(committed).toBeGreaterThan(0);

    const partial = (await cliJson<{ entries: number }>(dir, ['stats'])).entries;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(n);
    expect(await doctor(dir)).toBe(true);
    // Whole transactions only: every entry there is found by its words and its tag.
    const conn = db();
    const live = (conn.prepare("SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH 'importing OR people:person'").get() as { n: number }).n;
    const tagged = (conn.prepare('SELECT count(DISTINCT entry_rowid) AS n FROM entry_tags').get() as { n: number }).n;
    conn.close();
    expect(live).toBe(partial);
    expect(tagged).toBe(partial);

    const again = await cliJson<ImportReport>(dir, ['import', file]);
    expect(again).toMatchObject({ added: n - partial, updated: 0, skipped: partial, leftOut: 0, errors: [] });
    const fresh = tempDir('outloud-import-fresh-');
    await cliJson<ImportReport>(fresh, ['import', file]);
    expect(await journalState(dir)).toBe(await journalState(fresh));
    expect(await doctor(dir)).toBe(true);
  });
});
