/**
 * Emptying the trash (`entries.emptyTrash`) of a journal of the benchmark's corpus: how long it takes
 * to purge 1,000 and 50,000 trashed entries of ~100,000, how many transactions it took and the longest
 * one (the write lock held in one go), and, beside it, a second process saving a note every 5 ms as
 * the app would: the longest it went without a save while the trash was emptied.
 *
 *   node tests/bench/empty-trash.bench.ts [--n 100000] [--trash 1000,50000] [--pick random|newest] [--mentioned 20000] [--base DIR]
 *
 * `--pick random` (the default) trashes entries from all over the journal, people among them, whose
 * live mentioners are then indexed again; `newest` trashes the newest ones, as after a bad import.
 * `--mentioned N` (0: none) adds a run where the trash holds one person whom N live notes mention:
 * each of them is indexed again without the person's names, in one transaction with the person's
 * purge (as `entries.purge` of that person does). The journal of `--n` entries is built once into
 * `--base` (default: a folder in the system's temp) and copied for each run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EntryCreateInput } from '../../shared/api/schemas.ts';
import { openCore } from '../../electron/core/core.ts';
import { DATABASE_FILE } from '../../electron/core/db/connection.ts';
import * as repo from '../../electron/core/db/entries.repo.ts';
import { isId, startSaveLoop } from '../db/child-process.ts';
import { importChunked } from './core.bench.ts';
import { Corpus, loadTextPool, mulberry32 } from './corpus.ts';
import { REPO_ROOT } from './paths.ts';
import { formatTable, now, round } from './stats.ts';

const option = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const n = Number(option('--n') ?? 100_000);
const sizes = (option('--trash') ?? '1000,50000').split(',').map(Number);
const pickMode = option('--pick') ?? 'random';
const mentioned = Number(option('--mentioned') ?? 20_000);
const base = option('--base') ?? path.join(os.tmpdir(), `outloud-empty-trash-base-${n}`);

/** The journal of `n` corpus entries, built once. */
function baseJournal(): string {
  const file = path.join(base, DATABASE_FILE);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(base, { recursive: true });
  const t0 = now();
  const core = openCore({ dataDir: base });
  importChunked(core, new Corpus(loadTextPool(path.join(REPO_ROOT, 'node_modules')), { n }), 0, n, 2_000);
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
  process.stderr.write(`built a journal of ${n.toLocaleString('en')} entries in ${round((now() - t0) / 1000, 1)} s\n`);
  return file;
}

/**
 * A copy of the base journal with `count` entries moved to the trash (in one transaction); for
 * `mode` 'mentioned', one person added whom `count` new live notes mention, and that person trashed.
 */
function trashedCopy(count: number, mode: string): { dataDir: string; people: number; liveMentioners: number } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-empty-trash-'));
  fs.copyFileSync(baseJournal(), path.join(dataDir, DATABASE_FILE));
  const core = openCore({ dataDir });
  if (mode === 'mentioned') {
    const person = core.services.entries.create(EntryCreateInput.parse({ kind: 'person', person: { name: 'Much Mentioned', aliases: ['muchmentioned'] } }));
    for (let i = 0; i < count; i += 2_000) {
      core.services.entries.createMany(Array.from({ length: Math.min(2_000, count - i) }, (_, k) => EntryCreateInput.parse({ body: `Talked to @[Much Mentioned] about item ${i + k}` })));
    }
    core.services.entries.trash({ id: person.id });
  }
  const rowids = core.db.prepare<[], { rowid: number }>('SELECT rowid FROM entries WHERE deleted_at IS NULL ORDER BY rowid').all().map((r) => r.rowid);
  let chosen: number[];
  if (mode === 'mentioned') chosen = [];
  else if (mode === 'newest') chosen = rowids.slice(-count);
  else {
    const rng = mulberry32(count);
    const shuffled = [...rowids];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    chosen = shuffled.slice(0, count);
  }
  const at = Date.now() - 60_000;
  core.db.transaction(() => chosen.forEach((rowid, i) => repo.setDeletedAt(core.db, rowid, at + (i % 1000), at + 1))).immediate();
  const people = core.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM entries WHERE kind = 'person' AND deleted_at IS NOT NULL").get()!.n;
  // The live entries that mention a trashed person: indexed again when that person is purged.
  const liveMentioners = core.db
    .prepare<[], { n: number }>(
      `SELECT count(DISTINCT l.from_rowid) AS n FROM links l JOIN entries p ON p.rowid = l.to_rowid JOIN entries f ON f.rowid = l.from_rowid
       WHERE p.kind = 'person' AND p.deleted_at IS NOT NULL AND f.deleted_at IS NULL AND l.type IN ('mentions', 'recommended-by')`,
    )
    .get()!.n;
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
  return { dataDir, people, liveMentioners };
}

async function emptyOnce(count: number, mode = pickMode): Promise<string[]> {
  const { dataDir, people, liveMentioners } = trashedCopy(count, mode);
  const writer = startSaveLoop(['--data-dir', dataDir, '--label', 'app', '--batch', '1', '--pause-ms', '5']);
  await writer.waitForLine(isId);
  const core = openCore({ dataDir });
  const total = core.services.journal.stats();
  const newest = core.db.prepare<[], { at: number }>('SELECT max(deleted_at) AS at FROM entries').get()!.at;
  const batches: number[] = [];
  const startedAt = Date.now();
  const t0 = now();
  const { purged } = await core.services.entries.emptyTrash({ deletedUpTo: newest, expectedCount: total.trashed }, { onBatch: (b) => { batches.push(b.ms); if (process.argv.includes('--verbose')) process.stderr.write(`  batch of ${b.entries}: ${round(b.ms, 0)} ms\n`); } });
  const ms = now() - t0;
  const endedAt = Date.now();
  writer.process.stdin.end();
  await writer.exited;
  const doctor = await core.services.journal.doctor();
  const after = core.services.journal.stats();
  core.close();
  // The writer's saves, by time: the longest gap between two of them while the trash was emptied.
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  const saves = db
    .prepare<[], { at: number }>("SELECT created_at AS at FROM entries WHERE source = 'api' ORDER BY created_at")
    .all()
    .map((r) => r.at);
  db.close();
  let longestGap = 0;
  let during = 0;
  for (let i = 1; i < saves.length; i++) {
    if (saves[i]! >= startedAt && saves[i]! <= endedAt) during++;
    if (saves[i]! > startedAt && saves[i - 1]! < endedAt) longestGap = Math.max(longestGap, saves[i]! - saves[i - 1]!);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const expected = mode === 'mentioned' ? 1 : count;
  if (purged !== expected || after.trashed !== 0 || !doctor.ok) throw new Error(`purged ${purged} of ${expected}; ${after.trashed} left; doctor ${doctor.ok ? 'ok' : JSON.stringify(doctor.checks.filter((c) => !c.ok))}`);
  return [
    `${expected.toLocaleString('en')} of ${(total.entries + total.trashed).toLocaleString('en')} (${mode}; ${people} people, ${liveMentioners.toLocaleString('en')} live mentioners)`,
    `${round(ms, 0).toLocaleString('en')} ms`,
    String(batches.length),
    `${round(Math.max(...batches), 0)} ms`,
    `${during} saves, longest gap ${longestGap} ms`,
  ];
}

async function main() {
  baseJournal();
  const rows: string[][] = [];
  for (const count of sizes) rows.push(await emptyOnce(count));
  if (mentioned > 0) rows.push(await emptyOnce(mentioned, 'mentioned'));
  process.stdout.write(`${formatTable(['trashed entries emptied', 'total', 'transactions', 'longest transaction', 'a writer beside it (a save every 5 ms)'], rows)}\n`);
}

await main();
