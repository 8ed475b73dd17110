import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'rolldown';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coreWorkerBundle } from '../../../electron.vite.config.ts';
import { DAMAGE_FOUND, writeDoctorJournal } from '../../../tests/helpers/doctor-journal.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import type { DoctorReport, ImportProgress } from '../../../shared/domain/journal.ts';
import { openCore } from '../core.ts';
import { DATABASE_FILE } from '../db/connection.ts';
import { codeCacheFile } from './code-cache.ts';
import { CoreHostStartError, startCoreHost, type CoreHost, type CoreHostOptions } from './core-host.ts';

const hosts: CoreHost[] = [];

async function start(dataDir = tempDir(), options: Omit<CoreHostOptions, 'dataDir'> = {}): Promise<CoreHost> {
  const host = await startCoreHost({ dataDir, ...options });
  hosts.push(host);
  return host;
}

// Registered before the temp-dir cleanup runs (hooks run in reverse): close, then delete.
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

describe('core host (worker thread that owns the database)', () => {
  it('creates an entry and reads it back through messages', async () => {
    const dataDir = tempDir();
    const host = await start(dataDir);
    expect(host.databasePath).toBe(path.join(dataDir, DATABASE_FILE));
    const created = await host.dispatch('entries.create', { body: 'Quick capture from the hotkey #capture', source: 'capture' });
    expect(created.ok).toBe(true);
    const id = (created as { ok: true; value: { id: string } }).value.id;
    const read = await host.dispatch('entries.get', { id });
    expect(read).toMatchObject({ ok: true, value: { entry: { id, source: 'capture', tags: ['capture'] } } });

    // The file on disk has it: another connection (as the CLI would open) sees the entry.
    const db = new Database(host.databasePath, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM entries WHERE id = ?').get(id)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('validates input with the contract and names unknown methods', async () => {
    const host = await start();
    const invalid = await host.dispatch('entries.create', { body: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unknown = await host.dispatch('shell.exec', { cmd: 'rm -rf /' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const uncloneable = await host.dispatch('entries.create', { body: 'x', extra: () => 1 });
    expect(uncloneable).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('keeps order: calls sent together are answered in the order sent', async () => {
    const host = await start();
    const bodies = Array.from({ length: 20 }, (_, i) => `note number ${i}`);
    const results = await Promise.all(bodies.map((body) => host.dispatch('entries.create', { body })));
    expect(results.every((r) => r.ok)).toBe(true);
    const listed = await host.dispatch('entries.list', { limit: 50 });
    expect(listed.ok).toBe(true);
    const items = (listed as { ok: true; value: { items: Array<{ body: string }> } }).value.items;
    expect(items.map((e) => e.body).sort()).toEqual([...bodies].sort());
  });

  it('answers calls after close with an error instead of hanging', async () => {
    const host = await start();
    await host.close();
    const after = await host.dispatch('journal.stats', {});
    expect(after).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await host.close(); // closing twice is harmless
  });

  it('refuses to start on a journal from a newer Outloud, with the core error code', async () => {
    const dataDir = tempDir();
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.pragma('user_version = 9999');
    db.close();
    const failure = await startCoreHost({ dataDir }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CoreHostStartError);
    expect((failure as CoreHostStartError).code).toBe('DB_FROM_FUTURE');
  });

  it("passes what the worker writes to its stdout and stderr on to this process's", () => {
    // A process of its own, whose output is read: this one's is the test runner's.
    const dir = tempDir();
    const workerFile = path.join(dir, 'talking.worker.mjs');
    fs.writeFileSync(
      workerFile,
      "import { parentPort } from 'node:worker_threads';\nconsole.log('out from the worker');\nconsole.error('err from the worker');\nparentPort.postMessage({ type: 'failed', code: 'INTERNAL', message: 'talked, then stopped' });\n",
    );
    const script = `import { startCoreHost } from ${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, 'core-host.ts')).href)};
      await startCoreHost({ dataDir: ${JSON.stringify(dir)}, workerFile: ${JSON.stringify(workerFile)} }).catch((e) => console.log('host: ' + e.message));`;
    const main = path.join(dir, 'host.mjs');
    fs.writeFileSync(main, script);
    const child = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stdout).toContain('out from the worker');
    expect(child.stdout).toContain('host: talked, then stopped');
    expect(child.stderr).toContain('err from the worker');
    expect(child.status).toBe(0);
  });

  it('starts the worker as the app builds it (CommonJS, electron.vite.config.ts), with a code cache from its first call', async () => {
    const repo = path.resolve(import.meta.dirname, '../../..');
    // Beside out/main (same depth), so better-sqlite3's addon is found the way the built app finds it.
    const outDir = path.join(repo, 'out', `main-test-${process.pid}`);
    try {
      // The core worker, and the doctor's worker it starts, each as electron-vite builds it.
      for (const entry of ['electron/core/host/core.worker.ts', 'electron/core/services/doctor.worker.ts']) {
        await build({ input: path.join(repo, entry), platform: 'node', plugins: [coreWorkerBundle()], output: { dir: outDir }, logLevel: 'silent' });
      }
      const built = fs.readdirSync(path.join(outDir, 'chunks')).map((f) => path.join(outDir, 'chunks', f));
      const bundle = built.find((f) => /core\.worker-[\w-]+\.cjs$/.test(f));
      const doctorWorkerFile = built.find((f) => /doctor\.worker-[\w-]+\.cjs$/.test(f));
      expect(bundle, 'the core worker bundle').toBeDefined();
      expect(doctorWorkerFile, "the doctor's worker bundle").toBeDefined();
      const codeCacheDir = tempDir();
      const cacheFile = codeCacheFile(codeCacheDir, bundle!);
      const dataDir = tempDir();

      const first = await start(dataDir, { workerFile: bundle, codeCacheDir });
      expect(fs.existsSync(cacheFile)).toBe(false); // nothing compiled worth keeping yet
      const created = await first.dispatch('entries.create', { body: 'Built worker note about #bundles' });
      expect(created.ok).toBe(true);
      await first.close();
      const cached = fs.readFileSync(cacheFile);
      expect(cached.length).toBeGreaterThan(10_000);

      // The next start runs from that cache and answers the same.
      const second = await start(dataDir, { workerFile: bundle, codeCacheDir });
      const found = await second.dispatch('search.query', { q: 'bundles' });
      expect(found).toMatchObject({ ok: true, value: { hits: [{ entry: { body: 'Built worker note about #bundles' } }] } });
      await second.close();
      expect(fs.readFileSync(cacheFile).equals(cached)).toBe(true);

      // A rebuilt bundle (V8 would only compare lengths) gets a cache of its own, stamped anew.
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(bundle!, later, later);
      const third = await start(dataDir, { workerFile: bundle, codeCacheDir });
      expect(await third.dispatch('journal.stats', {})).toMatchObject({ ok: true, value: { entries: 1 } });
      await third.close();
      const stampOf = (b: Buffer) => b.subarray(0, b.indexOf(10)).toString();
      expect(stampOf(fs.readFileSync(cacheFile))).not.toBe(stampOf(cached));

      // The doctor runs in the thread of its own bundle (not the sources: this one is told where it is).
      const doctoring = await start(dataDir, { workerFile: bundle, codeCacheDir, doctorWorkerFile });
      const report = await doctoring.dispatch('journal.doctor', {});
      expect(report).toMatchObject({ ok: true, value: { ok: true } });
      await doctoring.close();
      const missing = await start(dataDir, { workerFile: bundle, codeCacheDir, doctorWorkerFile: path.join(outDir, 'no-such-doctor.cjs') });
      expect(await missing.dispatch('journal.doctor', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('no-such-doctor.cjs') } });
      await missing.close();

      // No cache folder (null) or an unusable one: the worker starts all the same.
      await (await start(dataDir, { workerFile: bundle, codeCacheDir: null })).close();
      await (await start(dataDir, { workerFile: bundle, codeCacheDir: path.join(bundle!, 'not-a-folder') })).close();
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('writes the journal to a file and imports one, streamed in the worker, answering other calls between import batches', async () => {
    // A journal large enough to be imported in batches (more than 5,000 items), made in this process.
    const source = openCore({ dataDir: tempDir() });
    source.services.entries.createMany(Array.from({ length: 6_000 }, (_, i) => EntryCreateInput.parse({ body: `Standup note ${i} #standup` })));
    source.close();
    const from = await start(source.dataDir);
    const file = path.join(tempDir(), 'journal.json');
    let exportDone = false;
    const exportTold: Array<{ done: number; total: number }> = [];
    const exporting = from.exportTo(file, (p) => exportTold.push(p)).then((r) => ((exportDone = true), r));
    // A search sent while the export is written is answered before it ends (the export reads through its own connection).
    const search = await from.dispatch('search.query', { q: 'standup', limit: 5 });
    expect(search).toMatchObject({ ok: true, value: { hits: expect.any(Array) } });
    expect(exportDone, 'the search was answered while the export was still being written').toBe(false);
    const exported = await exporting;
    expect(exported).toMatchObject({ ok: true, value: { path: file, entries: 6_000, revisions: 0, links: 0 } });
    expect(fs.statSync(file).size).toBe((exported as { ok: true; value: { bytes: number } }).value.bytes);
    // Its progress: the items written, from 0 to all of them, never backwards.
    expect(exportTold[0]).toEqual({ done: 0, total: 6_000 });
    expect(exportTold.at(-1)).toEqual({ done: 6_000, total: 6_000 });
    expect(exportTold.every((p, i) => i === 0 || p.done >= exportTold[i - 1]!.done)).toBe(true);

    const to = await start();
    let importDone = false;
    const told: ImportProgress[] = [];
    const importing = to.importFrom(file, (p) => told.push(p)).then((r) => ((importDone = true), r));
    // Saves and reads sent while the import runs are answered before it ends (between its transactions).
    const answeredDuring: boolean[] = [];
    while (!importDone) {
      const saved = await to.dispatch('entries.create', { body: 'Saved while importing' });
      expect(saved.ok).toBe(true);
      answeredDuring.push(!importDone);
    }
    expect(await importing).toEqual({ ok: true, value: { added: 6_000, updated: 0, skipped: 0, revisions: 0, links: 0, leftOut: 0, errors: [] } });
    expect(answeredDuring.filter(Boolean).length, `saves answered while the import ran (of ${answeredDuring.length})`).toBeGreaterThan(1);
    // Progress: the check (bytes of the file), then the import (items), each from 0 up to its total.
    expect(told.every((p) => p.name === 'journal.json')).toBe(true);
    const steps = told.map((p) => p.step);
    expect(steps.indexOf('importing')).toBeGreaterThan(0);
    expect(steps.slice(steps.indexOf('importing')).every((s) => s === 'importing')).toBe(true);
    for (const step of ['checking', 'importing'] as const) {
      const seen = told.filter((p) => p.step === step);
      expect(seen[0]!.done, step).toBe(0);
      expect(seen.at(-1)!.done, step).toBe(seen[0]!.total);
      expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done), step).toBe(true);
    }
    expect(told.find((p) => p.step === 'checking')!.total).toBe(fs.statSync(file).size);
    expect(told.find((p) => p.step === 'importing')!.total).toBe(6_000);
    const stats = await to.dispatch('journal.stats', {});
    expect(stats).toMatchObject({ ok: true, value: { entries: 6_000 + answeredDuring.length } });
    // Imported again: nothing added.
    expect(await to.importFrom(file)).toMatchObject({ ok: true, value: { added: 0, skipped: 6_000 } });
  });

  it('cancels an import when its signal aborts: the worker stops between batches, says how far it came, and takes the next import', async () => {
    // Batches of 1,000 with 40 ms between two: the cancel, sent once the journal is seen to hold some
    // entries, reaches the worker well before the last one, however busy the machine (with the import's
    // own pace, CI once saw it finish first).
    const n = 20_000;
    const source = openCore({ dataDir: tempDir() });
    source.services.entries.createMany(Array.from({ length: n }, (_, i) => EntryCreateInput.parse({ body: `Retro note ${i} #retro` })));
    source.close();
    const from = await start(source.dataDir);
    const file = path.join(tempDir(), 'journal.json');
    expect((await from.exportTo(file)).ok).toBe(true);

    const to = await start(tempDir(), { importTuning: { batchSize: 1_000, lockFreeMs: 40 } });
    const controller = new AbortController();
    const importing = to.importFrom(file, undefined, controller.signal);
    // Another import while this one runs is refused, not interleaved with it.
    expect(await to.importFrom(file)).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Another import is under way') } });
    // Cancelled once a batch is in (the worker answers between its batches).
    const entries = async () => ((await to.dispatch('journal.stats', {})) as { ok: true; value: { entries: number } }).value.entries;
    while ((await entries()) === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    const result = await importing;
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: expect.stringMatching(/^The import was cancelled after [\d,]+ of 20,000 items\./) } });
    const stats = await to.dispatch('journal.stats', {});
    const kept = (stats as { ok: true; value: { entries: number } }).value.entries;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(n);
    // The next import runs, and completes what the cancelled one began.
    expect(await to.importFrom(file)).toMatchObject({ ok: true, value: { added: n - kept, skipped: kept } });
    // A signal aborted before the request: nothing imported, and the worker says so.
    const empty = await start();
    expect(await empty.importFrom(file, undefined, AbortSignal.abort())).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: 'The import was cancelled; nothing was imported.' } });
    expect(await empty.dispatch('journal.stats', {})).toMatchObject({ ok: true, value: { entries: 0 } });
  });

  it('cancels an export when its signal aborts: nothing is left where it was to go', async () => {
    const source = openCore({ dataDir: tempDir() });
    source.services.entries.createMany(Array.from({ length: 6_000 }, (_, i) => EntryCreateInput.parse({ body: `Exported note ${i} #export` })));
    source.close();
    const host = await start(source.dataDir);
    const dir = tempDir();
    const file = path.join(dir, 'journal.json');
    const controller = new AbortController();
    const result = await host.exportTo(file, () => controller.abort(), controller.signal);
    expect(result).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'The export was cancelled; nothing was written.' } });
    expect(fs.readdirSync(dir)).toEqual([]);
    // The next export runs to the end.
    expect(await host.exportTo(file)).toMatchObject({ ok: true, value: { entries: 6_000 } });
  });

  it('answers bad files and paths with an error a person can act on, and changes nothing', async () => {
    const dataDir = tempDir();
    const host = await start(dataDir);
    await host.dispatch('entries.create', { body: 'Already here' });
    const dir = tempDir();
    const notExport = path.join(dir, 'notes.json');
    fs.writeFileSync(notExport, '{"hello": "world"}');
    const cut = path.join(dir, 'cut.json');
    expect((await host.exportTo(cut)).ok).toBe(true);
    fs.truncateSync(cut, Math.floor(fs.statSync(cut).size / 2));

    expect(await host.importFrom(path.join(dir, 'missing.json'))).toMatchObject({ ok: false, error: { code: 'IO', message: expect.stringContaining('no such file') } });
    expect(await host.importFrom(notExport)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^Not an Outloud journal export: .*nothing was imported$/) } });
    expect(await host.importFrom(cut)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('ends too early') } });
    expect(await host.importFrom(dir)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('is a folder') } });
    expect(await host.exportTo(host.databasePath)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'The export cannot overwrite the journal itself.' } });
    expect(await host.exportTo(path.join(dir, 'no-such-folder', 'out.json'))).toMatchObject({ ok: false, error: { code: 'IO', message: expect.stringContaining('Cannot write') } });
    expect(await host.dispatch('journal.stats', {})).toMatchObject({ ok: true, value: { entries: 1, trashed: 0 } });
  });
});

describe("the doctor, in a thread of the core worker's own", () => {
  // 10,000 entries with a damaged index and a broken foreign key, written once; each test a copy.
  let written: string;
  let journalFile: string;
  beforeAll(() => {
    written = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-doctor-'));
    writeDoctorJournal(written, { entries: 10_000, damaged: true });
    journalFile = path.join(written, DATABASE_FILE);
  });
  afterAll(() => fs.rmSync(written, { recursive: true, force: true }));
  const copy = () => {
    const dataDir = tempDir();
    fs.copyFileSync(journalFile, path.join(dataDir, DATABASE_FILE));
    return dataDir;
  };

  it('leaves the worker answering searches and saves while it runs, and its report still finds the damage', async () => {
    const host = await start(copy());
    let reported = false;
    const doctor = host.dispatch('journal.doctor', {}).finally(() => (reported = true));
    const before = { searches: 0, saves: 0 };
    for (let i = 0; !reported && i < 10_000; i++) {
      const save = i % 5 === 0;
      const answer = await (save ? host.dispatch('entries.create', { body: `Saved during the check ${i}` }) : host.dispatch('search.query', { q: 'agenda' }));
      expect(answer.ok).toBe(true);
      if (!reported) before[save ? 'saves' : 'searches']++;
    }
    expect(before.searches, 'searches answered before the report').toBeGreaterThan(0);
    expect(before.saves, 'saves answered before the report').toBeGreaterThan(0);
    const report = await doctor;
    expect(report).toMatchObject({ ok: true, value: { ok: false } });
    expect((report as { value: DoctorReport }).value.checks).toEqual(expect.arrayContaining(DAMAGE_FOUND.map((c) => expect.objectContaining(c))));
  });

  it('closes at once while it runs (the app quitting): the call answers an error, and its thread and connection end', async () => {
    const dataDir = copy();
    const host = await start(dataDir);
    const doctor = host.dispatch('journal.doctor', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await host.close();
    expect(await doctor).toMatchObject({ ok: false });
    // The last connection to close takes the -wal file with it: the doctor's too has closed.
    await expect.poll(() => fs.existsSync(path.join(dataDir, `${DATABASE_FILE}-wal`)), { timeout: 5_000 }).toBe(false);
  });
});
