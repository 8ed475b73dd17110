/** Spawning helpers for the multi-process database tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
export const SAVE_LOOP = path.join(REPO_ROOT, 'tests', 'db', 'save-loop.ts');

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Complete lines printed so far (a line cut off by a kill is not included). */
  lines(): string[];
  stderr(): string;
  /** Resolves when a complete line matching `test` has been printed. */
  waitForLine(test: (line: string) => boolean): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Kills every child still running (for afterEach: a failed test must not leave a writer behind). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export function startSaveLoop(args: readonly string[]): Child {
  const child = spawn(NODE, [SAVE_LOOP, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  let err = '';
  const waiters: Array<{ test: (line: string) => boolean; resolve: () => void }> = [];
  const complete = () => out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    const lines = complete();
    for (const w of waiters.splice(0)) {
      if (lines.some(w.test)) w.resolve();
      else waiters.push(w);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines: complete,
    stderr: () => err,
    waitForLine: (test) =>
      new Promise<void>((resolve, reject) => {
        if (complete().some(test)) return resolve();
        waiters.push({ test, resolve });
        void exited.then(() => reject(new Error(`the child exited before printing the line; stderr: ${err}`)));
      }),
    exited,
  };
}

export const isId = (line: string) => /^[0-9a-z]{16}$/.test(line);
