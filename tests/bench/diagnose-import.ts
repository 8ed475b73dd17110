/**
 * Diagnosis, not a benchmark of the app: where bulk-import time goes in the schema's full-text
 * indexing. Builds a journal of N corpus entries through the entries service, then replays its rows
 * (plain INSERTs of the same column values, one transaction) into fresh databases that differ in one
 * thing each, with the app's pragmas (WAL, synchronous=FULL):
 *
 *   FTS row by a trigger            an AFTER INSERT trigger writes the FTS row (the first schema)
 *   FTS row by its own statement    the repository writes the FTS row itself (the current schema)
 *   ... and one SAVEPOINT per row   what a service transaction nested in an import transaction does
 *   ... and no prefix index         `prefix = '2 3'` dropped as well
 *   FTS rebuilt once at the end     rows first, then `INSERT INTO entries_fts(entries_fts) VALUES('rebuild')`
 *   no full-text index              the lower bound: the entries table and its indexes only
 *
 *   node tests/bench/diagnose-import.ts [--n 20000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openCore } from '../../electron/core/core.ts';
import { applyPragmas } from '../../electron/core/db/connection.ts';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { Corpus, loadTextPool } from './corpus.ts';
import { importChunked, importMethod } from './core.bench.ts';
import { REPO_ROOT } from './paths.ts';
import { formatTable, now } from './stats.ts';

const COLUMNS = 'id, kind, title, body, tags, fields, created_at, updated_at, deleted_at, source, source_ref, url_normalized, site, status, search_tags, search_people, search_extra';

type Row = Record<string, unknown> & { search_tags: string; search_people: string; title: string; body: string; search_extra: string };

interface Variant {
  name: string;
  schema: (sql: string) => string;
  savepointPerRow?: boolean;
  ftsStatement?: boolean;
  rebuildAtEnd?: boolean;
}

/** The trigger the first schema used to keep the index (kept here to show what it cost). */
const INSERT_TRIGGER = `CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO entries_fts (rowid, title, tags, people, body)
  VALUES (new.rowid, new.title, new.search_tags, new.search_people, new.body || char(10) || new.search_extra);
END;`;
const hasInsertTrigger = (sql: string) => /CREATE TRIGGER entries_fts_insert/.test(sql);
const dropInsertTrigger = (sql: string) => sql.replace(/CREATE TRIGGER entries_fts_insert[\s\S]*?END;/, '');
const withInsertTrigger = (sql: string) => (hasInsertTrigger(sql) ? sql : `${sql}\n${INSERT_TRIGGER}`);
const dropPrefix = (sql: string) => sql.replace(/,\s*prefix\s*=\s*'2 3'/, '');
const dropFts = (sql: string) =>
  dropInsertTrigger(sql)
    .replace(/CREATE VIRTUAL TABLE entries_fts[\s\S]*?\);/, '')
    .replace(/CREATE VIRTUAL TABLE entries_vocab[^;]*;/, '')
    .replace(/CREATE TRIGGER entries_fts_delete[\s\S]*?END;/, '')
    .replace(/CREATE TRIGGER entries_fts_update[\s\S]*?END;/, '');

const VARIANTS: Variant[] = [
  { name: 'FTS row written by an AFTER INSERT trigger', schema: withInsertTrigger },
  { name: 'FTS row by its own statement (as the repository does)', schema: dropInsertTrigger, ftsStatement: true },
  { name: '... and one SAVEPOINT per row', schema: dropInsertTrigger, ftsStatement: true, savepointPerRow: true },
  { name: '... and no prefix index', schema: (sql) => dropPrefix(dropInsertTrigger(sql)), ftsStatement: true },
  { name: 'FTS rebuilt once at the end', schema: dropInsertTrigger, rebuildAtEnd: true },
  { name: 'no full-text index (lower bound)', schema: dropFts },
];

function replay(rows: Row[], variant: Variant, dir: string): number {
  const file = path.join(dir, `${variant.name.replace(/\W+/g, '-')}.sqlite`);
  const db = new Database(file);
  applyPragmas(db);
  db.exec(variant.schema(MIGRATIONS.map((m) => m.up).join('\n')));
  const insert = db.prepare(`INSERT INTO entries (${COLUMNS}) VALUES (${COLUMNS.split(', ').map((c) => `@${c}`).join(', ')})`);
  const fts = variant.ftsStatement ? db.prepare('INSERT INTO entries_fts (rowid, title, tags, people, body) VALUES (?, ?, ?, ?, ?)') : null;
  const one = db.transaction((row: Row) => {
    const info = insert.run(row);
    if (fts) fts.run(info.lastInsertRowid, row.title, row.search_tags, row.search_people, `${row.body}\n${row.search_extra}`);
  });
  const t0 = now();
  db.transaction(() => {
    for (const row of rows) {
      if (variant.savepointPerRow) one(row);
      else {
        const info = insert.run(row);
        if (fts) fts.run(info.lastInsertRowid, row.title, row.search_tags, row.search_people, `${row.body}\n${row.search_extra}`);
      }
    }
    if (variant.rebuildAtEnd) db.exec("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')");
  }).immediate();
  const rate = rows.length / ((now() - t0) / 1000);
  db.close();
  return rate;
}

async function main() {
  const i = process.argv.indexOf('--n');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 20_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-diagnose-'));
  try {
    const pool = loadTextPool(path.join(REPO_ROOT, 'node_modules'));
    const corpus = new Corpus(pool, { n });
    const core = openCore({ dataDir: path.join(dir, 'journal') });
    const t0 = now();
    importChunked(core, corpus, 0, n, 2_000);
    const serviceRate = n / ((now() - t0) / 1000);
    const rows = core.db.prepare(`SELECT ${COLUMNS} FROM entries ORDER BY rowid`).all() as Row[];
    const table: string[][] = [[`the app: ${importMethod(core, 2_000)}`, Math.round(serviceRate).toLocaleString('en')]];
    core.close();
    for (const v of VARIANTS) table.push([`replayed rows: ${v.name}`, Math.round(replay(rows, v, dir)).toLocaleString('en')]);
    process.stdout.write(`${formatTable(['import path', `entries/s (N = ${n.toLocaleString('en')})`], table)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
