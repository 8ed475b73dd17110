/**
 * `outloud import FILE` in a process of its own while another process saves one note at a time, as
 * the app does when its user writes during an import: how many of those saves got in between the
 * import's transactions, and the longest the saving process went without one while the import wrote.
 * The import leaves the write lock free a moment after each transaction (LOCK_FREE_MS) for exactly
 * this; a change that makes the import faster can make those waits longer (the README's design
 * section has two that did). Used by `npm run bench` and `tests/bench/diagnose-import.ts --beside`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { scanJournalFile } from '../../electron/core/files/journal-file.ts';
import { DATABASE_FILE } from '../../electron/core/db/connection.ts';
import { isId, startSaveLoop } from '../db/child-process.ts';
import { NODE, OUTLOUD_BIN, REPO_ROOT } from './paths.ts';
import { now, round } from './stats.ts';

export interface BesideResult {
  /** `outloud import`, from spawning it to its exit. */
  importMs: number;
  /** The saving process's notes, and those of them that landed between the import's first and last row. */
  saves: number;
  savesBetween: number;
  /** The longest time between two of its saves while the import wrote (ms). */
  longestWaitMs: number;
}

/**
 * Imports `file` into the empty `dataDir` beside a process saving a note every few milliseconds.
 * `cli`: what the command runs (default: as it chooses, its bundle when up to date).
 */
export async function importBesideWriter(dataDir: string, file: string, cli?: 'bundle' | 'sources'): Promise<BesideResult> {
  const writer = startSaveLoop(['--data-dir', dataDir, '--label', 'app', '--batch', '1', '--pause-ms', '5']);
  await writer.waitForLine(isId);
  const t0 = now();
  const code = await new Promise<number | null>((resolve) => {
    const env = { ...process.env, ...(cli ? { OUTLOUD_CLI: cli } : {}) };
    const child = spawn(NODE, [OUTLOUD_BIN, '--data-dir', dataDir, 'import', file], { cwd: REPO_ROOT, stdio: 'ignore', env });
    child.on('exit', resolve);
  });
  const importMs = now() - t0;
  writer.process.stdin.end();
  await writer.exited;
  if (code !== 0) throw new Error(`outloud import failed (${code})`);
  // The file's entries, told apart from the writer's notes (and the people those mention) by id.
  const ids = new Set<string>();
  await scanJournalFile(file, { item: (s, _i, v) => void (s === 'entries' && ids.add((v as { id: string }).id)) });
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  const rows = db.prepare('SELECT rowid, id, created_at AS at FROM entries ORDER BY rowid').all() as Array<{ rowid: number; id: string; at: number }>;
  db.close();
  const imported = rows.filter((r) => ids.has(r.id));
  const lo = imported[0]?.rowid ?? 0;
  const hi = imported.at(-1)?.rowid ?? 0;
  const saves = rows.filter((r) => !ids.has(r.id));
  // While the import wrote: from the writer's last save before its first row to the first after its last.
  let longestWaitMs = 0;
  for (let i = 1; i < saves.length; i++) if (saves[i]!.rowid > lo && saves[i - 1]!.rowid < hi) longestWaitMs = Math.max(longestWaitMs, saves[i]!.at - saves[i - 1]!.at);
  return { importMs: round(importMs, 0), saves: saves.length, savesBetween: saves.filter((s) => s.rowid > lo && s.rowid < hi).length, longestWaitMs };
}
