/**
 * Diagnosis, not a benchmark: where the time of `outloud import FILE` goes, and how far it is from
 * what SQLite itself can do. Takes an export file (or makes one: a journal of N corpus entries,
 * exported as `outloud export` writes it) and measures, each into a fresh data folder, in this process:
 *
 *   read              the streaming reader alone (bytes, elements, JSON.parse)
 *   check             the import's first pass: read + validate every element
 *   outloud import    the command itself (check, then import in batches)
 *   importValidated   the same batches, already read and validated, straight to the service
 *
 * and on request:
 *
 *   --ceiling  the same entries written with their values ready (no JSON, no JavaScript between rows):
 *              into a plain FTS5 table of the same columns (the engine's own speed), into the journal's
 *              rows alone, and into rows plus index as the import writes them (one transaction each
 *              3,000 entries, the index filled from the rows at its end)
 *   --sql      the SQL of importValidated by statement
 *   --cpu      the CPU profile of `outloud import` by function and file
 *   --beside   `outloud import` in a process of its own while another process saves notes one at a
 *              time, as the app does: how many of those saves got in between the import's
 *              transactions, and the longest a save waited
 *
 *   node tests/bench/diagnose-import.ts --file export.json [--ceiling] [--sql] [--cpu] [--beside]
 *   node tests/bench/diagnose-import.ts --n 20000 [...]
 *
 * Each timed step runs --rounds times (default 1), interleaved; the table shows medians. Timings on a
 * shared machine are noisy: compare steps of one run, not runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { run } from '../../electron/core/cli/main.ts';
import { IMPORT_BATCH_SIZE, LinkPlan } from '../../electron/core/files/journal-import-read.ts';
import { scanJournalFile, type Section } from '../../electron/core/files/journal-file.ts';
import { openCore } from '../../electron/core/core.ts';
import { DATABASE_FILE, openDatabase } from '../../electron/core/db/connection.ts';
import { entryFields } from '../../electron/core/db/entries.repo.ts';
import { facetText } from '../../electron/core/search/facets.ts';
import { checkExportItem, parseExportItem } from '../../electron/core/services/journal-format.ts';
import type { ImportPart } from '../../electron/core/services/journal.service.ts';
import type { Entry } from '../../shared/domain/entry.ts';
import type { JournalExport } from '../../shared/domain/journal.ts';
import { importBesideWriter } from './beside.ts';
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
async function cliImport(dataDir: string, file: string): Promise<void> {
  let stderr = '';
  const code = await run(
    ['--data-dir', dataDir, '--json', 'import', file],
    { stdout: silent, stderr: { write: (t: string) => ((stderr += t), true) }, stdin: { async *[Symbol.asyncIterator]() {} }, env: {} },
  );
  if (code !== 0) throw new Error(`outloud import failed (${code}): ${stderr.trim()}`);
}

/** The file's validated batches as the import makes them: entries with the links both of whose ends came by. */
async function batchesOf(file: string, size: number): Promise<ImportPart[]> {
  const all: Record<Section, unknown[]> = { entries: [], revisions: [], links: [] };
  await scanJournalFile(file, {
    item: (s, _i, v) => {
      const parsed = parseExportItem(s, v);
      if (!parsed.success) throw new Error(`invalid ${s}`);
      all[s].push(parsed.data);
    },
  });
  const plan = new LinkPlan(all.links as JournalExport['links']);
  const out: ImportPart[] = [];
  for (let i = 0; i < all.entries.length; i += size) {
    const b: ImportPart = { entries: all.entries.slice(i, i + size) as Entry[], revisions: [], links: [] };
    for (const e of b.entries) plan.arrived(e.id, b.links);
    out.push(b);
  }
  out.push({ entries: [], revisions: all.revisions as JournalExport['revisions'], links: plan.rest() });
  return out;
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

/** Each entry's column values, worked out as the import works them out, ready to bind. */
function preparedRows(entries: readonly Entry[]) {
  return entries.map((e) => {
    const fields = entryFields(e) as Record<string, unknown>;
    const s = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : '');
    const l = (k: string) => (Array.isArray(fields[k]) ? (fields[k] as string[]).join(' ') : '');
    const extra =
      e.kind === 'bookmark'
        ? [s('url'), s('site'), s('excerpt')].join(' ')
        : e.kind === 'person'
          ? [s('role'), s('organisation'), l('topics'), l('contacts'), s('recommendedBy')].join(' ')
          : e.kind === 'question'
            ? [s('askedBy'), s('answer')].join(' ')
            : '';
    const site = e.kind === 'bookmark' ? e.bookmark.site : null;
    const status = e.kind === 'question' ? e.question.status : null;
    const people = e.kind === 'person' ? [e.person.name, ...e.person.aliases].join(' ') : '';
    return {
      values: [e.id, e.kind, e.title, e.body, JSON.stringify(e.tags), JSON.stringify(fields), e.createdAt, e.updatedAt, e.deletedAt, e.source, e.sourceRef,
        e.kind === 'bookmark' ? e.bookmark.urlNormalized : null, site, status, e.tags.join(' '), people, extra, facetText({ kind: e.kind, status, site, tags: e.tags, createdAt: e.createdAt })],
      text: [e.title, e.tags.join(' '), people, `${e.body}\n${extra}`] as const,
      facets: facetText({ kind: e.kind, status, site, tags: e.tags, createdAt: e.createdAt }),
    };
  });
}

/** The ceiling: SQLite's own work for these entries, their values ready. Returns ms per variant. */
function ceiling(fresh: () => string, entries: readonly Entry[]): Array<[string, number]> {
  const rows = preparedRows(entries);
  const out: Array<[string, number]> = [];

  // A plain FTS5 table of the same columns and tokenizer, in rowid order, one transaction.
  {
    const folder = fresh();
    fs.mkdirSync(folder);
    const db = new Database(path.join(folder, DATABASE_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec("CREATE VIRTUAL TABLE f USING fts5 (title, tags, people, body, facets, tokenize = 'unicode61 remove_diacritics 2')");
    db.prepare("INSERT INTO f (f, rank) VALUES ('hashsize', CAST(? AS INTEGER))").run(64 * 1024 * 1024);
    const insert = db.prepare('INSERT INTO f (rowid, title, tags, people, body, facets) VALUES (?, ?, ?, ?, ?, ?)');
    const t0 = now();
    db.transaction(() => rows.forEach((r, i) => insert.run(i + 1, ...r.text, r.facets)))();
    out.push(['plain FTS5 table, same columns, one transaction', now() - t0]);
    db.close();
  }
  // The journal's rows, then rows and index as the import writes them.
  for (const withIndex of [false, true]) {
    const db = openDatabase(path.join(fresh(), DATABASE_FILE));
    const insert = db.prepare(`INSERT INTO entries (id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, source_ref,
      url_normalized, site, status, search_tags, search_people, search_extra, search_facets) VALUES (${Array(18).fill('?').join(', ')}) ON CONFLICT DO NOTHING`);
    const index = db.prepare(`INSERT INTO entries_fts (rowid, title, tags, people, body, facets)
      SELECT rowid, title, search_tags, search_people, body || char(10) || search_extra, search_facets
      FROM entries WHERE rowid BETWEEN ? AND ? AND +deleted_at IS NULL ORDER BY rowid`);
    const hashsize = db.prepare("INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', CAST(? AS INTEGER))");
    const t0 = now();
    for (let i = 0; i < rows.length; i += IMPORT_BATCH_SIZE.max) {
      db.transaction(() => {
        if (withIndex) hashsize.run(64 * 1024 * 1024);
        let first = 0;
        let last = 0;
        for (const r of rows.slice(i, i + IMPORT_BATCH_SIZE.max)) {
          last = Number(insert.run(r.values).lastInsertRowid);
          first ||= last;
        }
        if (withIndex) index.run(first, last);
      }).immediate();
    }
    out.push([withIndex ? 'journal rows + index, as the import writes them' : 'journal rows alone', now() - t0]);
    db.close();
  }
  return out;
}

/** `outloud import` beside a process saving one note at a time: the saves that got in, the longest wait. */
async function beside(dir: string, file: string): Promise<string> {
  const r = await importBesideWriter(path.join(dir, 'beside'), file, 'sources');
  return `outloud import beside a writer: ${r.importMs} ms; ${r.savesBetween} of the writer's ${r.saves} saves between the import's rows; longest time between two saves while the import wrote: ${r.longestWaitMs} ms`;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-diagnose-import-'));
  const rounds = Number(option('--rounds') ?? 1);
  let folders = 0;
  const fresh = () => path.join(dir, `journal-${folders++}`);
  try {
    const file = option('--file') ?? (await exportFile(dir, Number(option('--n') ?? 20_000)));
    let entries = 0;
    await scanJournalFile(file, { item: (s) => void (s === 'entries' && entries++) });
    const batches = await batchesOf(file, IMPORT_BATCH_SIZE.max);
    const steps: Array<[string, () => unknown]> = [
      ['read (scan + JSON.parse)', () => scanJournalFile(file, { item: () => {} })],
      [
        'check (read + validate)',
        () =>
          scanJournalFile(file, {
            item: (s, _i, v) => {
              if (checkExportItem(s, v)) throw new Error(`invalid ${s}`);
            },
          }),
      ],
      ['outloud import (in this process)', () => cliImport(fresh(), file)],
      [
        `importValidated of the read batches (${IMPORT_BATCH_SIZE.max.toLocaleString('en')} entries each)`,
        () => {
          const core = openCore({ dataDir: fresh() });
          for (const b of batches) core.services.journal.importValidated(b);
          core.close();
        },
      ],
    ];
    const times = new Map<string, number[]>();
    for (let r = 0; r < rounds; r++) {
      for (const [name, work] of steps) {
        const t0 = now();
        await work();
        times.set(name, [...(times.get(name) ?? []), now() - t0]);
      }
      if (process.argv.includes('--ceiling')) {
        for (const [name, ms] of ceiling(fresh, batches.flatMap((b) => b.entries))) times.set(name, [...(times.get(name) ?? []), ms]);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const rows = [...times].map(([name, ms]) => [name, round(median(ms), 0).toLocaleString('en'), Math.round(entries / (median(ms) / 1000)).toLocaleString('en')]);
    process.stdout.write(`${formatTable(['step', 'ms', `entries/s (${entries.toLocaleString('en')} entries)`], rows)}\n`);

    if (process.argv.includes('--beside')) process.stdout.write(`\n${await beside(dir, file)}\n`);
    if (process.argv.includes('--sql')) {
      const core = openCore({ dataDir: fresh() });
      const stop = profileStatements(core.db);
      for (const b of batches) core.services.journal.importValidated(b);
      const profile = stop();
      core.close();
      const total = profile.statements.reduce((sum, s) => sum + s.totalMs, 0);
      process.stdout.write(`\nSQL of importValidated, ${round(total, 0)} ms in all:\n`);
      process.stdout.write(
        `${formatTable(['ms', 'calls', 'µs/call', 'statement'], profile.statements.slice(0, 12).map((s) => [String(s.totalMs), String(s.calls), String(s.usPerCall), s.sql]))}\n`,
      );
    }
    if (process.argv.includes('--cpu')) {
      const cpu = await cpuProfile(() => cliImport(fresh(), file), REPO_ROOT, 20);
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
