/** Test support for the CLI: run it in-process with collected streams, or spawn the real binary. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { openCore } from '../core.ts';
import { run, type CliTuning } from './main.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
export const BIN = path.join(REPO_ROOT, 'electron', 'core', 'cli', 'outloud.cjs');
let cacheHome: string | undefined;
// The test file's spawned CLIs share one cache folder; it goes when the file's tests are done.
afterAll(() => {
  if (cacheHome !== undefined) fs.rmSync(cacheHome, { recursive: true, force: true });
  cacheHome = undefined;
});
/** The environment for a spawned CLI: its code caches go to a temporary folder, not the user's. */
export function cliEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  cacheHome ??= fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-cli-cache-'));
  return { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome, ...env };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** What is piped in: a text, bytes, or bytes in chunks as they would arrive. */
  stdin?: string | Buffer | Buffer[];
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  env?: Record<string, string | undefined>;
  tuning?: CliTuning;
  stopSignal?: AbortSignal;
  /** Called with each piece written to stdout (to wait for a line while the command runs). */
  onStdout?: (text: string) => void;
}

/** `outloud --data-dir <dataDir> ...args`, in-process. */
export async function cli(dataDir: string | null, args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : Array.isArray(options.stdin) ? options.stdin : [options.stdin]), { isTTY: options.stdinIsTTY ?? false });
  const code = await run(
    dataDir === null ? args : ['--data-dir', dataDir, ...args],
    {
      stdout: {
        write: (text: string) => {
          stdout += text;
          options.onStdout?.(text);
          return true;
        },
        isTTY: options.stdoutIsTTY ?? false,
      },
      stderr: { write: (text: string) => ((stderr += text), true), isTTY: false },
      stdin,
      env: options.env ?? {},
      cwd: REPO_ROOT,
      stopSignal: options.stopSignal,
    },
    options.tuning,
  );
  return { code, stdout, stderr };
}

/** `--json` output parsed. */
export async function cliJson<T = unknown>(dataDir: string, args: readonly string[], options: CliRunOptions = {}): Promise<T> {
  const result = await cli(dataDir, ['--json', ...args], options);
  if (result.code !== 0) throw new Error(`outloud ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Everything in the journal that a command could change, as one comparable string. */
export async function journalState(dataDir: string): Promise<string> {
  const core = openCore({ dataDir });
  try {
    const exported = await core.dispatch('journal.export', {});
    const stats = await core.dispatch('journal.stats', {});
    if (!exported.ok || !stats.ok) throw new Error('cannot read the journal');
    const { exportedAt: _exportedAt, ...data } = exported.value as Record<string, unknown>;
    const { databaseBytes: _bytes, databasePath: _path, ...counts } = stats.value as Record<string, unknown>;
    return JSON.stringify({ data, counts });
  } finally {
    core.close();
  }
}

/** Spawns the real `outloud` binary under the repository's Node 22. */
export function spawnCli(args: readonly string[], options: { input?: string | Buffer; env?: Record<string, string | undefined>; node?: string } = {}): Promise<CliResult> {
  const child = spawn(options.node ?? NODE, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = outputOf(child);
  child.stdin.on('error', () => {}); // the CLI may stop reading early (too long)
  child.stdin.end(options.input ?? '');
  return output;
}

/** What a spawned `outloud` printed, and its exit code, once it has ended. */
export function outputOf(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
