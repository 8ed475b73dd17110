/**
 * Diagnosis, not a benchmark: where the time of `outloud import FILE` goes. Takes an export file (or
 * makes one: a journal of N corpus entries, exported as `outloud export` writes it) and measures, each
 * into a fresh data folder, in this process:
 *
 *   read            the streaming reader alone (bytes, elements, JSON.parse)
 *   check           the import's first pass: read + validate every element
 *   outloud import  the command itself (check, then import in short transactions)
 *   journal.import  the same batches, already parsed, straight to the service: the SQLite floor
 *
 * then the import's SQL by statement (--sql) and its CPU profile by function and file (--cpu), each in
 * a run of its own (both add overhead).
 *
 *   node tests/bench/diagnose-import.ts --file export.json [--sql] [--cpu] [--batch 1000]
 *   node tests/bench/diagnose-import.ts --n 20000 [--sql] [--cpu]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../electron/core/cli/main.ts';
import { IMPORT_BATCH_SIZE, LinkPlan } from '../../electron/core/cli/import-file.ts';
import { scanJournalFile, type Section } from '../../electron/core/cli/journal-file.ts';
import { openCore, type Core } from '../../electron/core/core.ts';
import { checkExportItem } from '../../electron/core/services/journal-format.ts';
import type { JournalExport } from '../../shared/domain/journal.ts';
import { importChunked } from './core.bench.ts';
import { Corpus, loadTextPool } from './corpus.ts';
import { REPO_ROOT } from './paths.ts';
import { cpuProfile, profileStatements } from './profile.ts';
import { formatTable, now, round } from './stats.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const silent = { write: () => true, isTTY: false };

/** `outloud --data-dir DIR import FILE`, in this process. */
async function cliImport(dataDir: string, file: string, batch: number): Promise<void> {
  let stderr = '';
  const code = await run(
    ['--data-dir', dataDir, '--json', 'import', file],
    { stdout: silent, stderr: { write: (t: string) => ((stderr += t), true) }, stdin: { async *[Symbol.asyncIterator]() {} }, env: {} },
    { importBatchSize: batch },
  );
  if (code !== 0) throw new Error(`outloud import failed (${code}): ${stderr.trim()}`);
}

/** The file's batches as the import makes them: entries with the links both of whose ends came by. */
async function batchesOf(file: string, batch: number): Promise<JournalExport[]> {
  const all: Record<Section, unknown[]> = { entries: [], revisions: [], links: [] };
  const header: Record<string, unknown> = {};
  await scanJournalFile(file, { header: (k, v) => (header[k] = v), item: (s, _i, v) => void all[s].push(v) });
  const head = { format: header.format, version: header.version, exportedAt: header.exportedAt } as Pick<JournalExport, 'format' | 'version' | 'exportedAt'>;
  const plan = new LinkPlan(all.links as JournalExport['links']);
  const out: JournalExport[] = [];
  for (let i = 0; i < all.entries.length; i += batch) {
    const b: JournalExport = { ...head, entries: all.entries.slice(i, i + batch) as JournalExport['entries'], revisions: [], links: [] };
    for (const e of b.entries) plan.arrived(e.id, b.links);
    out.push(b);
  }
  out.push({ ...head, entries: [], revisions: all.revisions as JournalExport['revisions'], links: plan.rest() });
  return out;
}

function importBatches(core: Core, batches: readonly JournalExport[]): void {
  for (const data of batches) core.services.journal.importJournal({ data });
}

async function exportFile(dir: string, n: number): Promise<string> {
  const source = path.join(dir, 'source');
  const core = openCore({ dataDir: source });
  importChunked(core, new Corpus(loadTextPool(path.join(REPO_ROOT, 'node_modules')), { n }), 0, n, 2_000);
  core.close();
  const file = path.join(dir, 'export.json');
  const code = await run(['--data-dir', source, 'export', '--out', file], { stdout: silent, stderr: silent, stdin: { async *[Symbol.asyncIterator]() {} }, env: {} });
  if (code !== 0) throw new Error('export failed');
  return file;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-diagnose-import-'));
  const batch = Number(option('--batch') ?? IMPORT_BATCH_SIZE);
  let folders = 0;
  const fresh = () => path.join(dir, `journal-${folders++}`);
  try {
    const file = option('--file') ?? (await exportFile(dir, Number(option('--n') ?? 20_000)));
    let entries = 0;
    const rows: string[][] = [];
    const timed = async (name: string, work: () => unknown) => {
      const t0 = now();
      await work();
      const ms = now() - t0;
      rows.push([name, round(ms, 0).toLocaleString('en'), Math.round(entries / (ms / 1000)).toLocaleString('en')]);
    };
    await timed('read (scan + JSON.parse)', () => scanJournalFile(file, { item: (s) => void (s === 'entries' && entries++) }));
    await timed('check (read + validate)', () =>
      scanJournalFile(file, {
        item: (s, _i, v) => {
          if (checkExportItem(s, v)) throw new Error(`invalid ${s}`);
        },
      }),
    );
    await timed(`outloud import (batches of ${batch.toLocaleString('en')})`, () => cliImport(fresh(), file, batch));
    const batches = await batchesOf(file, batch);
    const core = openCore({ dataDir: fresh() });
    await timed('journal.import of the parsed batches', () => importBatches(core, batches));
    core.close();
    process.stdout.write(`${formatTable(['step', 'ms', `entries/s (${entries.toLocaleString('en')} entries)`], rows)}\n`);

    if (process.argv.includes('--sql')) {
      const sqlCore = openCore({ dataDir: fresh() });
      const stop = profileStatements(sqlCore.db);
      importBatches(sqlCore, batches);
      const profile = stop();
      sqlCore.close();
      const total = profile.statements.reduce((sum, s) => sum + s.totalMs, 0);
      process.stdout.write(`\nSQL of journal.import, ${round(total, 0)} ms in all:\n`);
      process.stdout.write(
        `${formatTable(['ms', 'calls', 'µs/call', 'statement'], profile.statements.slice(0, 12).map((s) => [String(s.totalMs), String(s.calls), String(s.usPerCall), s.sql]))}\n`,
      );
    }
    if (process.argv.includes('--cpu')) {
      const cpu = await cpuProfile(() => cliImport(fresh(), file, batch), REPO_ROOT, 20);
      process.stdout.write(`\nCPU of outloud import, ${cpu.totalMs} ms sampled:\n`);
      process.stdout.write(`${formatTable(['self ms', '%', 'file'], cpu.files.map((f) => [String(f.selfMs), String(f.pct), f.file]))}\n\n`);
      process.stdout.write(`${formatTable(['self ms', '%', 'function'], cpu.functions.map((f) => [String(f.selfMs), String(f.pct), f.fn]))}\n`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
