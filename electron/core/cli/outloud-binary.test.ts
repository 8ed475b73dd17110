/**
 * The real `outloud` binary, spawned under the repository's Node 22: exit codes, the --json shape,
 * one line on stderr, stdin, signals, and the refusal of an older Node.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/domain/entry.ts';
import type { JournalStats } from '../../../shared/domain/journal.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { BIN, cli, cliEnv, cliJson, NODE, REPO_ROOT, spawnCli } from './testing.ts';

const ONE_LINE = /^outloud: [^\n]+\n$/;

/** A Node older than 22 on this machine (the system one), to check the shim's refusal. */
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (r.status === 0 && Number(r.stdout.split('.')[0]) < 22) return candidate;
  }
  return undefined;
}

describe('the outloud binary', () => {
  it('add --json: exit 0, exactly the entry as JSON, nothing on stderr', async () => {
    const dir = tempDir();
    const r = await spawnCli(['--data-dir', dir, '--json', 'add', 'Spawned note #e2e']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const entry = JSON.parse(r.stdout) as Entry;
    expect(entry).toMatchObject({ kind: 'note', body: 'Spawned note #e2e', tags: ['e2e'], source: 'cli' });
    const stats = await spawnCli(['--json', 'stats'], { env: { OUTLOUD_DATA_DIR: dir } });
    expect((JSON.parse(stats.stdout) as JournalStats).entries).toBe(1);
  });

  it('a usage error: exit 2, one line on stderr, nothing on stdout', async () => {
    const dir = tempDir();
    expect((await spawnCli(['--data-dir', dir, 'add', 'a journal to list'])).code).toBe(0);
    for (const args of [['add', '--nope'], ['list', '--since', 'someday']]) {
      const r = await spawnCli(['--data-dir', dir, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stdout).toBe('');
    }
  });

  it('a failure: exit 1, one line on stderr, never a stack trace', async () => {
    const dir = tempDir();
    expect((await spawnCli(['--data-dir', dir, 'add', 'a journal without that entry'])).code).toBe(0);
    const r = await spawnCli(['--data-dir', dir, 'show', 'zzzzzzzzzzzzzzzz']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'outloud: No entry with id zzzzzzzzzzzzzzzz\n' });
    const garbage = path.join(tempDir(), 'garbage.json');
    fs.writeFileSync(garbage, '{"format": "outloud-journal", "entries": [{"id": ');
    const imported = await spawnCli(['--data-dir', dir, 'import', garbage]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(ONE_LINE);
    expect(imported.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('reads text from stdin; a 1 MB body is refused with exit 2 and nothing is written', async () => {
    const dir = tempDir();
    const ok = await spawnCli(['--data-dir', dir, '--json', 'add', '-'], { input: 'from a pipe, with ünïcödé ✓\n' });
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as Entry).body).toBe('from a pipe, with ünïcödé ✓\n');
    const big = await spawnCli(['--data-dir', dir, 'add', '-'], { input: 'z'.repeat(1024 * 1024) });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(ONE_LINE);
    expect(big.stderr).toMatch(/too long/);
    expect((await cliJson<JournalStats>(dir, ['stats'])).entries).toBe(1);
  });

  it('--help prints the commands with exit 0', async () => {
    const r = await spawnCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: outloud/);
    expect(r.stderr).toBe('');
  });

  it('stops quietly when the reader of its output goes away (outloud list | head -1)', async () => {
    const dir = tempDir();
    const data = { format: 'outloud-journal', version: 1, exportedAt: 1, revisions: [], links: [] } as Record<string, unknown>;
    data.entries = Array.from({ length: 3000 }, (_, i) => ({
      id: `pipe${i}`,
      kind: 'note',
      title: `entry ${i} ${'x'.repeat(60)}`,
      body: '',
      tags: [],
      createdAt: 1_400_000_000_000 + i,
      updatedAt: 1_400_000_000_000 + i,
      deletedAt: null,
      source: 'cli',
      sourceRef: null,
    }));
    const file = path.join(tempDir(), 'many.json');
    fs.writeFileSync(file, JSON.stringify(data));
    expect((await cli(dir, ['import', file])).code).toBe(0);
    const r = spawnSync('/bin/sh', ['-c', `"${NODE}" "${BIN}" --data-dir "${dir}" list --limit 3000 | head -1`], { encoding: 'utf8', cwd: REPO_ROOT, env: cliEnv() });
    expect(r.stdout.split('\n')[0]).toMatch(/entry 2999/);
    expect(r.stderr).toBe('');
  });

  // /dev/stdout, /dev/fd/1 and /proc/self/fd/1 name the process's own stdout on Linux.
  it.skipIf(process.platform !== 'linux')('export --out /dev/stdout into a pipe is --out -: the export alone on stdout, and a reader that goes is no error', async () => {
    const dir = tempDir();
    await cli(dir, ['add', 'a note to export']);
    const sh = (pipeline: string) => spawnSync('/bin/bash', ['-c', pipeline], { encoding: 'utf8', cwd: REPO_ROOT, env: cliEnv() });
    const outloud = `"${NODE}" "${BIN}" --data-dir "${dir}"`;
    for (const out of ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']) {
      for (const json of [[], ['--json']]) {
        const r = sh(`${outloud} ${json.join(' ')} export --out ${out} | cat`);
        expect({ out, json, stderr: r.stderr }).toEqual({ out, json, stderr: '' });
        expect((JSON.parse(r.stdout) as { entries: Entry[] }).entries.map((e) => e.body)).toEqual(['a note to export']);
      }
    }
    // As `--out -` does: stops quietly (exit 0) when the reader goes away.
    for (let i = 0; i < 40; i++) await cli(dir, ['add', `${'filler '.repeat(2000)}${i}`]);
    const cut = sh(`${outloud} export --out /dev/stdout | head -c 10; echo " exit \${PIPESTATUS[0]}"`);
    expect({ stdout: cut.stdout, stderr: cut.stderr }).toEqual({ stdout: '{"format": exit 0\n', stderr: '' });
  });

  /** Runs the binary with its stdout on `device`, opened with `flags` ('w', or 'r' for a descriptor that cannot be written). */
  function runWithStdout(args: readonly string[], device: string, flags: 'r' | 'w'): Promise<{ code: number | null; stderr: string }> {
    const fd = fs.openSync(device, flags);
    return new Promise((resolve, reject) => {
      const child = spawn(NODE, [BIN, ...args], { cwd: REPO_ROOT, env: cliEnv(), stdio: ['ignore', fd, 'pipe'] });
      fs.closeSync(fd);
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  // /dev/full (every write fails with ENOSPC) is Linux's.
  it.skipIf(process.platform !== 'linux')('output it cannot write (a full device) is a failure: exit 1 and why, in one line on stderr', async () => {
    const dir = tempDir();
    await cli(dir, ['add', 'a note to list']);
    for (const args of [['list'], ['--json', 'list'], ['export', '--out', '-'], ['search', 'note'], ['--help']]) {
      const r = await runWithStdout(['--data-dir', dir, ...args], '/dev/full', 'w');
      expect({ args, r }).toEqual({ args, r: { code: 1, stderr: 'outloud: Cannot write to standard output: the disk is full\n' } });
    }
  });

  it.skipIf(process.platform === 'win32')('a stdout that is not open for writing (EBADF) is a failure: exit 1 and why, in one line on stderr', async () => {
    const dir = tempDir();
    await cli(dir, ['add', 'a note to list']);
    for (const args of [['list'], ['export', '--out', '-']]) {
      const r = await runWithStdout(['--data-dir', dir, ...args], '/dev/null', 'r');
      expect({ args, r }).toEqual({ args, r: { code: 1, stderr: 'outloud: Cannot write to standard output: it is not open for writing\n' } });
    }
  });

  it('serve prints its URL, answers until SIGTERM or SIGINT, then exits 0', async () => {
    const dir = tempDir();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn(NODE, [BIN, '--data-dir', dir, 'serve'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() });
      try {
        let stdout = '';
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        const line = await new Promise<string>((resolve, reject) => {
          child.stdout.setEncoding('utf8').on('data', (d: string) => {
            stdout += d;
            if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
          });
          child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
        });
        const m = /^Outloud is running at (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)$/.exec(line);
        expect(m).not.toBeNull();
        const res = await fetch(`${m![1]}/api/entries.create`, {
          method: 'POST',
          headers: { authorization: `Bearer ${m![2]}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: `saved through serve (${signal})` }),
        });
        expect(await res.json()).toMatchObject({ ok: true, value: { kind: 'note' } });
        child.kill(signal);
        expect(await exited).toBe(0);
        expect(stderr).toBe('');
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); // only if the test failed
      }
    }
    expect((await cliJson<JournalStats>(dir, ['stats'])).entries).toBe(2);
  });

  const old = olderNode();
  // Skipped only on machines without a Node older than 22 to try it with.
  it.skipIf(!old)('under an older Node, says in one line that Node 22 is needed (exit 1)', async () => {
    const r = await spawnCli(['stats'], { node: old });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^outloud: Node 22 \(22\.18 or newer\) is needed, this is Node \d+\.\d+\.\d+; the repository pins it: use `npm run outloud -- <args>`\n$/);
  });
});
