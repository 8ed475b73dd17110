/**
 * A journal the user may read but not write (another user's, or one made read-only): every command
 * that only reads works, every command that writes says in one line that the journal is read-only,
 * and nothing beside the journal is created or changed.
 *
 * The reader is the real `outloud` binary. As root, file permissions stop nothing, so it runs as the
 * user `nobody` (uid 65534) instead; as anyone else it runs as that user, the journal chmod'ed.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry, EntryDetail } from '../../../shared/domain/entry.ts';
import type { DoctorReport, JournalExport, JournalStats } from '../../../shared/domain/journal.ts';
import type { SearchResult, WhoKnowsResult } from '../../../shared/domain/search.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { openCore } from '../core.ts';
import { LATEST_VERSION } from '../db/connection.ts';
import { BIN, cli, cliEnv, cliJson, NODE, outputOf, REPO_ROOT, type CliResult } from './testing.ts';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function whyNotTestable(): string | undefined {
  if (process.platform === 'win32') return 'file permissions here are POSIX ones';
  if (asRoot && spawnSync(NODE, ['-e', ''], { uid: NOBODY, gid: NOBODY }).status !== 0) {
    return 'running as root, which permissions do not stop, without the right to start a process as another user (CAP_SETUID)';
  }
  return undefined;
}
const skipped = whyNotTestable();
if (skipped) console.log(`Skipping the read-only journal tests: ${skipped}.`);

/** `outloud ...args` as the reader: `nobody` when the tests run as root. */
function reader(args: readonly string[]): Promise<CliResult> {
  const child = spawn(NODE, [BIN, ...args], {
    cwd: REPO_ROOT,
    // The reader may not write the code cache of the tests either.
    env: cliEnv({ NODE_DISABLE_COMPILE_CACHE: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  return outputOf(child);
}

const readerJson = async <T>(dir: string, args: readonly string[]): Promise<T> => {
  const r = await reader(['--data-dir', dir, '--json', ...args]);
  if (r.code !== 0) throw new Error(`outloud ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

const modes: Array<[string, number]> = [];
afterEach(() => {
  // Before the folders are removed (a folder of ours that we may not write cannot be emptied).
  for (const [file, mode] of modes.splice(0).reverse()) if (fs.existsSync(file)) fs.chmodSync(file, mode); // the app's -wal is gone once it closed
});

function chmod(file: string, mode: number): void {
  modes.push([file, fs.statSync(file).mode & 0o7777]);
  fs.chmodSync(file, mode);
}

/** A folder the reader may enter (as root: `nobody` may not enter a fresh temporary folder). */
function folder(): string {
  const dir = tempDir('outloud-read-only-');
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** A journal with a note that mentions a person, a tagged note and a person with a topic. */
async function journal(): Promise<{ dir: string; note: Entry }> {
  const dir = path.join(folder(), 'data');
  const note = await cliJson<Entry>(dir, ['add', 'Planning the summit with @[Ada Lovelace] #summit']);
  await cli(dir, ['add', 'Budget for the venue #summit']);
  await cli(dir, ['add', '--person', 'Grace Hopper', '--topic', 'compilers']);
  return { dir, note };
}

/** Makes the journal's files read-only to the reader, and its folder too unless `folderWritable`. */
function readOnly(dir: string, { folderWritable = false } = {}): void {
  for (const name of fs.readdirSync(dir)) chmod(path.join(dir, name), 0o444);
  // The reader writes the folder only as its owner (not root) or when anyone may.
  chmod(dir, folderWritable ? (asRoot ? 0o777 : 0o755) : 0o555);
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe.skipIf(skipped)('a journal the user may read but not write', () => {
  it('answers every command that only reads, in a folder the user may not write either', async () => {
    const { dir, note } = await journal();
    readOnly(dir);
    const out = folder();
    if (asRoot) fs.chmodSync(out, 0o777);

    expect((await readerJson<{ items: Entry[] }>(dir, ['list'])).items).toHaveLength(4);
    expect((await readerJson<SearchResult>(dir, ['search', 'summit'])).hits.map((h) => h.entry.id)).toContain(note.id);
    expect((await readerJson<EntryDetail>(dir, ['show', note.id])).entry.body).toBe(note.body);
    expect((await readerJson<WhoKnowsResult[]>(dir, ['who', 'compilers'])).map((r) => r.person.title)).toEqual(['Grace Hopper']);
    expect((await readerJson<JournalStats>(dir, ['stats'])).entries).toBe(4);
    const streamed = await reader(['--data-dir', dir, 'export', '--out', '-']);
    expect(streamed.code).toBe(0);
    expect((JSON.parse(streamed.stdout) as JournalExport).entries).toHaveLength(4);
    const exported = await reader(['--data-dir', dir, 'export', '--out', path.join(out, 'journal.json')]);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    const backup = await reader(['--data-dir', dir, 'backup', '--out', path.join(out, 'backup.sqlite')]);
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    // Doctor runs every check, FTS5's own too (an INSERT, which it runs on a copy of the index in temp).
    const doctor = await reader(['--data-dir', dir, '--json', 'doctor']);
    expect(doctor.code).toBe(0);
    const checks = (JSON.parse(doctor.stdout) as DoctorReport).checks;
    expect(checks.map((c) => [c.name, c.ok])).toEqual(checks.map((c) => [c.name, true]));
    expect(checks.map((c) => c.name)).toContain('integrity_check');
    expect(checks.find((c) => c.name === 'fts5 integrity-check')?.detail).toBe('ok');

    expect(fs.readdirSync(dir)).toEqual(['outloud.sqlite']);
  });

  it('leaves no file of its own beside a journal it may not write, which would keep the owner from writing', async () => {
    const { dir } = await journal();
    const before = sha(path.join(dir, 'outloud.sqlite'));
    readOnly(dir, { folderWritable: true });
    for (const args of [['list'], ['search', 'summit'], ['stats']]) {
      expect((await reader(['--data-dir', dir, ...args])).code).toBe(0);
    }
    expect(fs.readdirSync(dir)).toEqual(['outloud.sqlite']);
    expect(sha(path.join(dir, 'outloud.sqlite'))).toBe(before);
    fs.chmodSync(path.join(dir, 'outloud.sqlite'), 0o644);
    expect((await cli(dir, ['add', 'the owner still writes'])).code).toBe(0);
  });

  it('refuses every command that writes with one line saying the journal is read-only, and changes nothing', async () => {
    const { dir, note } = await journal();
    const trashed = await cliJson<Entry>(dir, ['add', 'to the trash']);
    await cli(dir, ['rm', trashed.id]);
    await cli(dir, ['edit', note.id, '--body', 'second version']);
    const exportFile = path.join(folder(), 'journal.json');
    const empty = tempDir();
    openCore({ dataDir: empty }).close();
    await cli(empty, ['export', '--out', exportFile]);
    fs.chmodSync(exportFile, 0o644);
    const file = path.join(dir, 'outloud.sqlite');
    const before = sha(file);
    readOnly(dir);

    const refused = `outloud: The journal at ${file} is read-only (you may not write to the file); nothing was changed\n`;
    for (const args of [
      ['add', 'a new note'],
      ['add', '--person', 'Someone New'],
      ['edit', note.id, '--body', 'third version'],
      ['rm', note.id],
      ['restore', trashed.id],
      ['purge', trashed.id, '--yes'],
      ['history', note.id, '--restore', '1'],
      ['import', exportFile],
      ['doctor', '--repair'],
    ]) {
      const r = await reader(['--data-dir', dir, ...args]);
      expect({ args, r }).toEqual({ args, r: { code: 1, stdout: '', stderr: refused } });
    }
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['outloud.sqlite']);
  });

  it('while the app has it open: reads what the app saved that is still only in the -wal file, and refuses writes', async () => {
    const { dir } = await journal();
    const app = openCore({ dataDir: dir });
    try {
      app.db.pragma('wal_autocheckpoint = 0'); // keep the new note out of the journal file itself
      const saved = await app.dispatch('entries.create', { body: 'saved by the app just now' });
      expect(saved.ok).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['outloud.sqlite', 'outloud.sqlite-shm', 'outloud.sqlite-wal']);
      readOnly(dir);
      const listed = await readerJson<{ items: Entry[] }>(dir, ['list']);
      expect(listed.items.map((e) => e.body)).toContain('saved by the app just now');
      const r = await reader(['--data-dir', dir, 'add', 'x']);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toMatch(/^outloud: The journal at .* is read-only \(.+\); nothing was changed\n$/);
    } finally {
      app.close();
    }
  });

  it('a -wal file without its -shm, which SQLite cannot read without writing, is reported as such', async () => {
    const { dir: source } = await journal();
    const dir = path.join(folder(), 'data');
    fs.mkdirSync(dir);
    const app = openCore({ dataDir: source });
    try {
      app.db.pragma('wal_autocheckpoint = 0');
      expect((await app.dispatch('entries.create', { body: 'only in the -wal file' })).ok).toBe(true);
      // What a crash leaves, once the -shm is lost (copied while the app has it open).
      for (const name of ['outloud.sqlite', 'outloud.sqlite-wal']) fs.copyFileSync(path.join(source, name), path.join(dir, name));
    } finally {
      app.close();
    }
    readOnly(dir);
    const r = await reader(['--data-dir', dir, 'list']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^outloud: Cannot read the journal at .*outloud\.sqlite: it is read-only \(you may not write to the file\), and SQLite would have to write beside it to read it \(.+\); open it once with write access\n$/);
    expect(fs.readdirSync(dir).sort()).toEqual(['outloud.sqlite', 'outloud.sqlite-wal']);
  });

  it('a journal that needs an upgrade it cannot be given says so, and is left as it is', async () => {
    const { dir } = await journal();
    const file = path.join(dir, 'outloud.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION - 1}`);
    raw.close();
    const before = sha(file);
    readOnly(dir);
    for (const args of [['list'], ['stats'], ['add', 'x']]) {
      const r = await reader(['--data-dir', dir, ...args]);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(r.stderr).toBe(
        `outloud: The journal at ${file} is read-only (you may not write to the file) and needs an upgrade to this version of Outloud, which writes to it; open it once with write access\n`,
      );
    }
    expect(sha(file)).toBe(before);
  });
});
