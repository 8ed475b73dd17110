/**
 * How the journal answers while `journal.doctor` runs: the doctor's duration, and how long the searches
 * and saves made meanwhile waited, on a journal the benchmark kept (`npm run bench -- --n 100000 --keep`;
 * saves are added to it, so point it at a copy).
 *
 *   node tests/bench/diagnose-doctor.ts --journal DIR [--mode http|host|cli|loop|all] [--every MS] [--rounds N]
 *
 * http: browser mode as `outloud serve` runs it (tests/bench/serve.ts in a process of its own: the core
 *       on the server's thread), called over HTTP with keep-alive connections, as a page calls it.
 * host: the desktop app's core host (electron/core/host, the core worker from the sources) in this
 *       process, called through its dispatch, as the main process calls it.
 * cli:  the same core host as the app, and `outloud doctor` run beside it in a process of its own (the
 *       bin as installed: its bundle when `npm run build` made one that is up to date).
 * loop: the core in this process, as `outloud serve` has it, and nothing else: how long its thread was
 *       held at a time while the doctor ran (the longest gap between ticks of a 5 ms timer).
 * A search goes out every `--every` ms (default 100) and a save every tenth of them, without waiting
 * for the answers, from the doctor's start until its report.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openCore } from '../../electron/core/core.ts';
import { startCoreHost } from '../../electron/core/host/core-host.ts';
import type { Result } from '../../shared/api/errors.ts';
import type { DoctorReport } from '../../shared/domain/journal.ts';
import { NODE, OUTLOUD_BIN, REPO_ROOT } from './paths.ts';

type Call = (method: string, input: unknown) => Promise<Result<unknown>>;

const argv = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const journal = option('--journal');
if (!journal) {
  process.stderr.write('usage: diagnose-doctor.ts --journal DIR [--mode http|host|cli|loop|all] [--every MS] [--rounds N]\n');
  process.exit(2);
}
const dataDir = path.resolve(journal);
const mode = option('--mode', 'all')!;
const every = Number(option('--every', '100'));
const rounds = Number(option('--rounds', '1'));
const QUERIES = ['sqlite', 'search index', 'react', 'build', 'typescript', 'api', 'release notes', 'install'];

interface Outcome {
  method: string;
  ms: number;
  /** When it was answered, from the doctor's start. */
  at: number;
  error?: string;
}

/** One doctor (by `doctor`, else through `call`), with searches and saves going out meanwhile; what each waited. */
async function round(call: Call, label: string, doctor: () => Promise<Result<unknown>> = () => call('journal.doctor', {})): Promise<void> {
  // Warm: the first search of a fresh core reads the index.
  for (const q of QUERIES) await call('search.query', { q });
  const outcomes: Outcome[] = [];
  const t0 = performance.now();
  const timed = async (method: string, input: unknown) => {
    const start = performance.now();
    let error: string | undefined;
    try {
      const r = await call(method, input);
      if (!r.ok) error = r.error.code;
    } catch (e) {
      error = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    }
    const end = performance.now();
    outcomes.push({ method, ms: end - start, at: end - t0, ...(error ? { error } : {}) });
  };
  let n = 0;
  let running = true;
  const sent: Array<Promise<void>> = [];
  const tick = setInterval(() => {
    if (!running) return;
    n++;
    sent.push(timed('search.query', { q: QUERIES[n % QUERIES.length] }));
    if (n % 10 === 0) sent.push(timed('entries.create', { body: `Saved while the doctor runs, ${label} #${n}` }));
  }, every);
  const report = await doctor();
  const doctorMs = performance.now() - t0;
  running = false;
  clearInterval(tick);
  await Promise.all(sent);
  const during = outcomes.filter((o) => o.at <= doctorMs);
  const of = (method: string) => outcomes.filter((o) => o.method === method);
  const max = (xs: Outcome[]) => (xs.length ? Math.max(...xs.map((o) => o.ms)) : 0);
  const p50 = (xs: Outcome[]) => (xs.length ? [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)]!.ms : 0);
  const errors = new Map<string, number>();
  for (const o of outcomes) if (o.error) errors.set(o.error, (errors.get(o.error) ?? 0) + 1);
  const value = report.ok ? (report.value as DoctorReport) : undefined;
  const f = (x: number) => x.toFixed(0);
  process.stdout.write(
    [
      `${label}: doctor ${f(doctorMs)} ms, ${value ? (value.ok ? 'ok' : `problems: ${value.checks.filter((c) => !c.ok).map((c) => c.name).join(', ')}`) : `failed: ${report.ok ? '' : report.error.code} ${report.ok ? '' : report.error.message}`}`,
      `  searches: ${of('search.query').length} sent, ${during.filter((o) => o.method === 'search.query').length} answered before the report; waited p50 ${f(p50(of('search.query')))} ms, longest ${f(max(of('search.query')))} ms`,
      `  saves: ${of('entries.create').length} sent, ${during.filter((o) => o.method === 'entries.create').length} answered before the report; longest ${f(max(of('entries.create')))} ms`,
      `  failed: ${errors.size ? [...errors].map(([code, count]) => `${count} ${code}`).join(', ') : 'none'}`,
    ].join('\n') + '\n',
  );
}

async function overHttp(): Promise<void> {
  const child = spawn(NODE, [path.join(REPO_ROOT, 'tests/bench/serve.ts'), dataDir, path.join(REPO_ROOT, 'out/renderer')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve.ts exited with code ${code}`)));
  });
  const { url, origin } = JSON.parse(line) as { url: string; origin: string };
  const token = new URL(url).hash.replace(/^#token=/, '');
  // fetch keeps its connections alive between calls, as a browser does.
  const call: Call = async (method, input) => {
    const response = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    });
    return (await response.json()) as Result<unknown>;
  };
  try {
    for (let r = 1; r <= rounds; r++) await round(call, `http (browser mode), round ${r}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function throughHost(): Promise<void> {
  const host = await startCoreHost({ dataDir });
  try {
    for (let r = 1; r <= rounds; r++) await round((method, input) => host.dispatch(method, input), `core host (desktop app), round ${r}`);
  } finally {
    await host.close();
  }
}

/** `outloud doctor` in a process of its own, its report as the contract's result. */
function cliDoctor(): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [OUTLOUD_BIN, '--data-dir', dataDir, '--json', 'doctor'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', () => {
      try {
        resolve({ ok: true, value: JSON.parse(out) as DoctorReport });
      } catch {
        resolve({ ok: false, error: { code: 'INTERNAL', message: err.trim() || out.trim() } });
      }
    });
  });
}

async function besideTheApp(): Promise<void> {
  const host = await startCoreHost({ dataDir });
  try {
    for (let r = 1; r <= rounds; r++) await round((method, input) => host.dispatch(method, input), `outloud doctor beside the app's core host, round ${r}`, cliDoctor);
  } finally {
    await host.close();
  }
}

async function heldThread(): Promise<void> {
  const core = openCore({ dataDir });
  try {
    for (let r = 1; r <= rounds; r++) {
      // A tick every 5 ms: the longest gap between two is the longest the thread was held.
      let last = performance.now();
      let longest = 0;
      const tick = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 5);
      await new Promise((resolve) => setTimeout(resolve, 20));
      longest = 0;
      const t0 = performance.now();
      const report = await core.dispatch('journal.doctor', {});
      const doctorMs = performance.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, 20)); // a thread held until the report came shows in the next tick
      clearInterval(tick);
      process.stdout.write(
        `the core's own thread (outloud serve), round ${r}: doctor ${doctorMs.toFixed(0)} ms, ${report.ok ? 'answered' : `failed: ${report.error.code}`}; ` +
          `the thread held at most ${longest.toFixed(0)} ms at a time (a tick due every 5 ms)\n`,
      );
    }
  } finally {
    core.close();
  }
}

if (mode === 'loop' || mode === 'all') await heldThread();
if (mode === 'http' || mode === 'all') await overHttp();
if (mode === 'host' || mode === 'all') await throughHost();
if (mode === 'cli' || mode === 'all') await besideTheApp();
