/**
 * The other bulk path through the core, as a user takes it: `outloud export --out FILE` of the journal
 * the benchmark built, then `outloud import FILE` of that file into an empty data folder, each by the
 * `outloud` command itself in a process of its own (the bundle when `npm run build` made one that is
 * up to date, else the sources, as the command chooses; the result says which), so each has its own
 * wall time and peak RSS. The export reads the journal as it writes the file (one snapshot); the
 * import streams the file twice, a check and then transactions of about 200 ms each
 * (electron/core/files/journal-import.ts).
 *
 *   node tests/bench/export-import.bench.ts export --data-dir DIR --file export.json --out result.json
 *   node tests/bench/export-import.bench.ts import --data-dir EMPTY_DIR --file export.json --out result.json
 *
 * and the same two as Settings takes them in browser mode: `http-export` downloads the journal from
 * `POST /api/files/export` of `outloud serve` (the command itself, in a process of its own, its bundle
 * when up to date as above) into FILE, `http-import` uploads FILE to `POST /api/files/import` of one on
 * EMPTY_DIR; each measures the time of the transfer and the server process's peak RSS. (Run from the
 * TypeScript sources, the server's peak is 30-40 MB higher: Node's type stripping.) `beside` imports
 * FILE into EMPTY_DIR while another process saves a note at a time (beside.ts).
 *
 *   node tests/bench/export-import.bench.ts beside --data-dir EMPTY_DIR --file export.json --out result.json
 *
 * Where the import's time goes, and SQLite's own speed on the same entries (the ceiling), are measured
 * by tests/bench/diagnose-import.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import os from 'node:os';
import path from 'node:path';
import type { ImportReport } from '../../shared/domain/journal.ts';
import { importBesideWriter, type BesideResult } from './beside.ts';
import { NODE, OUTLOUD_BIN, REPO_ROOT } from './paths.ts';
import { mb, now, round } from './stats.ts';

const PEAK_RSS_HOOK = path.join(REPO_ROOT, 'tests/bench/peak-rss.cjs');

export interface ExportStepResult {
  entries: number;
  /** `outloud export --out FILE`, from spawning it to its exit. */
  exportMs: number;
  entriesPerSecond: number;
  fileMb: number;
  /** Of the `outloud export` process. */
  peakRssMb: number;
  cli: 'bundle' | 'sources';
}

export interface ImportStepResult {
  entries: number;
  /** Reading and parsing happen inside the CLI's import as it streams the file: 0 here. */
  readParseMs: number;
  /** `outloud import FILE`, from spawning it to its exit: start, checking the file, importing it. */
  importMs: number;
  entriesPerSecond: number;
  /** The same as entriesPerSecond: the import reads and parses the file itself. */
  entriesPerSecondWithParse: number;
  report: Omit<ImportReport, 'errors'> & { errors: number };
  /** Of the `outloud import` process. */
  peakRssMb: number;
  /** What the command ran: its bundle, or the TypeScript sources (no up-to-date build). */
  cli: 'bundle' | 'sources';
}

export interface TransferStepResult {
  entries: number;
  /** The request, from sending it to the last byte of its answer (the server already running). */
  ms: number;
  entriesPerSecond: number;
  fileMb: number;
  /** Of the server process, from its start to its exit (the journal opened, the transfer, nothing else). */
  serverPeakRssMb: number;
  /** What `outloud serve` ran: its bundle, or the TypeScript sources (no up-to-date build). */
  cli: 'bundle' | 'sources';
}

function arg(argv: string[], name: string): string {
  const i = argv.indexOf(name);
  const v = i >= 0 ? argv[i + 1] : undefined;
  if (!v) throw new Error(`missing ${name}`);
  return v;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  peakRssBytes: number;
}

function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-bench-rss-')), 'peak');
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(NODE, ['--require', PEAK_RSS_HOOK, OUTLOUD_BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, NO_COLOR: '1', OUTLOUD_BENCH_PEAK_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = now() - t0;
      let peakRssBytes = Number.NaN;
      try {
        peakRssBytes = Number(fs.readFileSync(rssFile, 'utf8'));
      } catch {
        // the process died before its exit handler ran
      }
      fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
      resolve({ code, stdout, stderr, wallMs, peakRssBytes });
    });
  });
}

/** What the command says when told to run its bundle (OUTLOUD_CLI=bundle) and the bundle is not up to date. */
const STALE_BUNDLE = /OUTLOUD_CLI=bundle/;

/** The `outloud` command with these arguments: the bundle if it is up to date (the command checks, and refuses at once if not), else the sources. */
async function outloud(args: readonly string[]): Promise<Run & { cli: 'bundle' | 'sources' }> {
  const r = await runCli(args, { OUTLOUD_CLI: 'bundle' });
  if (r.code !== 0 && STALE_BUNDLE.test(r.stderr)) return { ...(await runCli(args, { OUTLOUD_CLI: 'sources' })), cli: 'sources' };
  return { ...r, cli: 'bundle' };
}

async function exportStep(dataDir: string, file: string): Promise<ExportStepResult> {
  const r = await outloud(['--data-dir', dataDir, '--json', 'export', '--out', file]);
  if (r.code !== 0) throw new Error(`outloud export exited with ${r.code}: ${r.stderr.trim()}`);
  const written = JSON.parse(r.stdout) as { entries: number; revisions: number; links: number; bytes: number };
  return {
    entries: written.entries,
    exportMs: round(r.wallMs, 1),
    entriesPerSecond: Math.round(written.entries / (r.wallMs / 1000)),
    fileMb: mb(written.bytes),
    peakRssMb: mb(r.peakRssBytes),
    cli: r.cli,
  };
}

async function importStep(dataDir: string, file: string): Promise<ImportStepResult> {
  const r = await outloud(['--data-dir', dataDir, '--json', 'import', file]);
  if (r.code !== 0) throw new Error(`outloud import exited with ${r.code}: ${r.stderr.trim()}`);
  const report = JSON.parse(r.stdout) as ImportReport;
  if (!report) throw new Error('the import did not answer');
  const entries = report.added + report.updated + report.skipped + report.errors.length;
  const rate = Math.round(entries / (r.wallMs / 1000));
  return {
    entries,
    readParseMs: 0,
    importMs: round(r.wallMs, 1),
    entriesPerSecond: rate,
    entriesPerSecondWithParse: rate,
    report: { ...report, errors: report.errors.length },
    peakRssMb: mb(r.peakRssBytes),
    cli: r.cli,
  };
}

interface Server {
  origin: string;
  token: string;
  cli: 'bundle' | 'sources';
  /** Stops it (as Ctrl+C does) and gives its peak RSS in bytes. */
  stop(): Promise<number>;
}

/** `outloud --data-dir dataDir --json serve` in a process of its own, with its peak RSS recorded at exit. */
async function startServer(dataDir: string): Promise<Server> {
  try {
    return await startServerWith(dataDir, 'bundle');
  } catch (error) {
    if (!STALE_BUNDLE.test((error as Error).message)) throw error;
    return startServerWith(dataDir, 'sources');
  }
}

async function startServerWith(dataDir: string, cli: 'bundle' | 'sources'): Promise<Server> {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-bench-rss-')), 'peak');
  const child = spawn(NODE, ['--require', PEAK_RSS_HOOK, OUTLOUD_BIN, '--data-dir', dataDir, '--json', 'serve'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', OUTLOUD_CLI: cli, OUTLOUD_BENCH_PEAK_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // `--json` prints one JSON document (indented) once the server listens.
  const printed = await new Promise<{ origin: string; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      try {
        resolve(JSON.parse(out) as { origin: string; token: string });
      } catch {
        // not all of it yet
      }
    });
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`outloud serve exited with ${code} before it listened: ${stderr.trim()}`)));
  });
  return {
    origin: printed.origin,
    token: printed.token,
    cli,
    async stop() {
      child.kill('SIGTERM');
      await closed;
      const bytes = Number(fs.readFileSync(rssFile, 'utf8'));
      fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
      return bytes;
    },
  };
}

async function httpExportStep(dataDir: string, file: string): Promise<TransferStepResult> {
  const server = await startServer(dataDir);
  let entries = 0;
  let ms = 0;
  let peak = Number.NaN;
  try {
    const t0 = now();
    const response = await fetch(`${server.origin}/api/files/export`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
      body: '{}',
    });
    if (!response.ok || !response.body) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    entries = Number(response.headers.get('X-Outloud-Entries'));
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), fs.createWriteStream(file));
    ms = now() - t0;
  } finally {
    peak = await server.stop();
  }
  return { entries, ms: round(ms, 1), entriesPerSecond: Math.round(entries / (ms / 1000)), fileMb: mb(fs.statSync(file).size), serverPeakRssMb: mb(peak), cli: server.cli };
}

async function httpImportStep(dataDir: string, file: string): Promise<TransferStepResult> {
  const server = await startServer(dataDir);
  let report: ImportReport | undefined;
  let ms = 0;
  let peak = Number.NaN;
  try {
    const t0 = now();
    const response = await fetch(`${server.origin}/api/files/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, 'Content-Length': String(fs.statSync(file).size) },
      body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const envelope = (await response.json()) as { ok: boolean; value?: ImportReport; error?: { message: string } };
    if (!envelope.ok || !envelope.value) throw new Error(`import answered ${response.status}: ${envelope.error?.message}`);
    report = envelope.value;
    ms = now() - t0;
  } finally {
    peak = await server.stop();
  }
  if (!report) throw new Error('the import did not answer');
  const entries = report.added + report.updated + report.skipped + report.errors.length;
  return { entries, ms: round(ms, 1), entriesPerSecond: Math.round(entries / (ms / 1000)), fileMb: mb(fs.statSync(file).size), serverPeakRssMb: mb(peak), cli: server.cli };
}

async function main() {
  const argv = process.argv.slice(2);
  const mode = argv[0];
  const dataDir = arg(argv, '--data-dir');
  const file = arg(argv, '--file');
  const out = arg(argv, '--out');
  let result: ExportStepResult | ImportStepResult | TransferStepResult | BesideResult;
  if (mode === 'export') result = await exportStep(dataDir, file);
  else if (mode === 'import') result = await importStep(dataDir, file);
  else if (mode === 'http-export') result = await httpExportStep(dataDir, file);
  else if (mode === 'http-import') result = await httpImportStep(dataDir, file);
  else if (mode === 'beside') result = await importBesideWriter(dataDir, file);
  else throw new Error('usage: export-import.bench.ts export|import|http-export|http-import|beside --data-dir DIR --file FILE --out FILE');
  fs.writeFileSync(out, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`export/import bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
