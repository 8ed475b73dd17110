/**
 * `npm run bench`: the journal core and browser mode under a deterministic corpus built from real text.
 *
 *   npm run bench                  N = 10,000 and 100,000
 *   npm run bench -- --quick       N = 2,000 only (smoke run)
 *   npm run bench -- --n 5000      a custom N (repeatable)
 *   npm run bench -- --million     adds N = 1,000,000
 *   options: --no-browser, --no-export-import, --keep (keep the data folders), --seed S
 *
 * Each size runs in its own processes (core work, cold opens, export/import, browser-mode server), so
 * the peak RSS reported is that work's alone. Prints a table (metric | N | value | target | result)
 * and writes bench-results/<timestamp>.json and bench-results/latest.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runBrowserBench, type BrowserBenchOutcome } from './browser.bench.ts';
import type { CoreBenchResult } from './core.bench.ts';
import { loadTextPool, writeTextPool } from './corpus.ts';
import type { ExportStepResult, ImportStepResult, TransferStepResult } from './export-import.bench.ts';
import type { BesideResult } from './beside.ts';
import { NODE, OUTLOUD_BIN, REPO_ROOT } from './paths.ts';
import { buildQueries } from './queries.ts';
import { formatTable, now, round, summarize, type Summary } from './stats.ts';

interface Args {
  sizes: number[];
  browser: boolean;
  exportImport: boolean;
  keep: boolean;
  seed?: number;
}

function parseArgs(argv: string[]): Args {
  const sizes: number[] = [];
  let quick = false;
  let million = false;
  const args: Args = { sizes, browser: true, exportImport: true, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--million') million = true;
    else if (a === '--no-browser') args.browser = false;
    else if (a === '--no-export-import') args.exportImport = false;
    else if (a === '--keep') args.keep = true;
    else if (a === '--n' || a === '--seed') {
      const v = Number(String(argv[++i]).replace(/[_,]/g, ''));
      if (!Number.isInteger(v) || v < (a === '--n' ? 100 : 0)) usage(`${a} needs a whole number${a === '--n' ? ' of at least 100' : ''}`);
      if (a === '--n') sizes.push(v);
      else args.seed = v;
    } else usage(`unknown option ${a}`);
  }
  if (quick) sizes.push(2_000);
  if (sizes.length === 0) sizes.push(10_000, 100_000);
  if (million) sizes.push(1_000_000);
  args.sizes = [...new Set(sizes)].sort((a, b) => a - b);
  return args;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: npm run bench -- [--quick | --n N ... | --million] [--no-browser] [--no-export-import] [--keep] [--seed S]\n`);
  process.exit(2);
}

/** Runs a benchmark script in a fresh Node 22 process, its output shown as it goes. */
function runChild(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [path.join(REPO_ROOT, 'tests/bench', script), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${signal ?? `code ${code}`}`))));
  });
}

// ---- cold open + first result -------------------------------------------------------------------
// Measured the ways people start the core: the `outloud` command as installed, and the core worker
// the packaged app starts. Each run is a fresh process; wall times are medians.

/** What the cold-open measurements and the search session run. */
interface ColdOpenSetup {
  /** The core worker bundle electron-vite built: what the packaged app starts in a worker thread. */
  workerFile: string;
  /** cold-open.ts bundled to JavaScript. */
  harness: string;
  /** search-memory.ts bundled to JavaScript, for a search session through the same core worker. */
  sessionHarness: string;
}

/**
 * Builds what users run, with `npm run build`: the app (with its core worker) and the CLI bundle.
 * Then cold-open.ts and search-memory.ts bundled to one JavaScript file each (as electron-vite bundles
 * the main process), so no type stripping is timed or counted. A reason instead when either fails.
 */
async function prepareColdOpen(): Promise<ColdOpenSetup | { skipped: string }> {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    const why = `${build.stderr ?? ''}${build.stdout ?? ''}`.trim().split('\n').at(-1) ?? String(build.error);
    return { skipped: `npm run build failed: ${why}` };
  }
  const chunks = path.join(REPO_ROOT, 'out/main/chunks');
  const workers = fs.readdirSync(chunks).filter((f) => /^core\.worker-.*\.[cm]?js$/.test(f));
  const workerFile = workers.map((f) => path.join(chunks, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!workerFile) return { skipped: `no core worker bundle in ${chunks} after npm run build` };
  const harness = path.join(REPO_ROOT, 'node_modules/.cache/outloud-bench/cold-open.mjs');
  const sessionHarness = path.join(REPO_ROOT, 'node_modules/.cache/outloud-bench/search-memory.mjs');
  try {
    const { build: bundle } = await import('rolldown');
    for (const [input, file] of [['cold-open.ts', harness], ['search-memory.ts', sessionHarness]] as const) {
      await bundle({
        input: path.join(REPO_ROOT, 'tests/bench', input),
        platform: 'node',
        output: { file, format: 'esm', codeSplitting: false },
        logLevel: 'warn',
      });
    }
  } catch (error) {
    return { skipped: `could not bundle the cold-open and search-session harnesses with rolldown: ${(error as Error).message.split('\n')[0]}` };
  }
  return { workerFile, harness, sessionHarness };
}

interface Spawned {
  /** Spawn until the process exited, or until its first line of output with `untilFirstLine`. */
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnTimed(args: readonly string[], env: NodeJS.ProcessEnv, untilFirstLine = false): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(NODE, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let wallMs = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (untilFirstLine && !wallMs && stdout.includes('\n')) wallMs = now() - t0;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => {
      if (!wallMs) wallMs = now() - t0;
    });
    child.once('close', (code) => resolve({ wallMs: round(wallMs, 1), code, stdout, stderr }));
  });
}

interface ColdCliResult {
  /** `outloud search QUERY --json` from the built bundle, its code cache made by a warm-up run. */
  search: Summary;
  /** `node -e 0`: Node's own start and exit, the floor under everything else. */
  node: Summary;
  /** `outloud --version`: Node plus loading the CLI, no journal opened. */
  version: Summary;
  /** The same search from the TypeScript sources: what the bin runs while a source is newer than the build. */
  sources: Summary;
  hits: number;
}

/**
 * The `outloud` bin as installed, against the journal: one warm-up run of each (the bundle's code
 * cache, in a cache folder of the benchmark's own), then `runs` rounds of node -e 0, --version, the
 * search from the bundle and from the sources, interleaved so background load hits them alike.
 */
async function coldOpenCli(dataDir: string, query: string, runs: number): Promise<ColdCliResult> {
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-bench-cache-'));
  // The bin keeps its caches under XDG_CACHE_HOME on Linux (elsewhere: the user's cache folder).
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome, NO_COLOR: '1' };
  const bin = OUTLOUD_BIN;
  const search = ['search', query, '--json', '--data-dir', dataDir];
  const variants = {
    node: { args: ['-e', '0'], env },
    version: { args: [bin, '--version'], env: { ...env, OUTLOUD_CLI: 'bundle' } },
    search: { args: [bin, ...search], env: { ...env, OUTLOUD_CLI: 'bundle' } },
    sources: { args: [bin, ...search], env: { ...env, OUTLOUD_CLI: 'sources' } },
  };
  const times: Record<keyof typeof variants, number[]> = { node: [], version: [], search: [], sources: [] };
  let hits = -1;
  try {
    for (let round = -1; round < runs; round++) {
      for (const [name, v] of Object.entries(variants) as Array<[keyof typeof variants, (typeof variants)['node']]>) {
        const r = await spawnTimed(v.args, v.env);
        if (r.code !== 0) throw new Error(`${name} exited with ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
        if (name === 'search' || name === 'sources') {
          const n = (JSON.parse(r.stdout) as { hits: unknown[] }).hits.length;
          if (n === 0) throw new Error(`outloud search ${query} found nothing`);
          hits = n;
        }
        if (round >= 0) times[name].push(r.wallMs); // round -1 is the warm-up
      }
    }
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
  return { search: summarize(times.search), node: summarize(times.node), version: summarize(times.version), sources: summarize(times.sources), hits };
}

interface ColdAppRun {
  wallMs: number;
  inProcessMs: number;
  bootMs: number;
  hostMs: number;
  workerReadyMs: number;
  firstSearchMs: number;
  hits: number;
  maxRssMb: number;
}

interface ColdAppResult {
  runs: ColdAppRun[];
  /** Spawn until the result line. */
  wall: Summary;
  inProcess: Summary;
  /** Medians of the in-process phases. */
  phases: { bootMs: number; hostMs: number; workerReadyMs: number; firstSearchMs: number };
  /** Median peak RSS of those processes. */
  maxRssMb: number;
}

/** The core as the packaged app starts it (cold-open.ts), `runs` times after one warm-up run. */
async function coldOpenApp(setup: ColdOpenSetup, dataDir: string, query: string, runs: number): Promise<ColdAppResult> {
  const all: ColdAppRun[] = [];
  for (let k = -1; k < runs; k++) {
    const r = await spawnTimed([setup.harness, setup.workerFile, dataDir, query], process.env, true);
    let line: Omit<ColdAppRun, 'wallMs'> & { ok: boolean; error?: { message: string } };
    try {
      line = JSON.parse(r.stdout.split('\n')[0]!) as typeof line;
    } catch {
      throw new Error(`cold-open.mjs printed no result (exit ${r.code}): ${(r.stderr || r.stdout).slice(0, 300)}`);
    }
    if (r.code !== 0 || !line.ok) throw new Error(`cold-open.mjs failed: ${line.error?.message ?? `exit code ${r.code}`}`);
    if (k >= 0) {
      all.push({
        wallMs: r.wallMs,
        inProcessMs: round(line.inProcessMs, 1),
        bootMs: round(line.bootMs, 1),
        hostMs: round(line.hostMs, 1),
        workerReadyMs: round(line.workerReadyMs, 1),
        firstSearchMs: round(line.firstSearchMs, 1),
        hits: line.hits,
        maxRssMb: line.maxRssMb,
      });
    }
  }
  const med = (f: (r: ColdAppRun) => number) => summarize(all.map(f)).p50;
  return {
    runs: all,
    wall: summarize(all.map((r) => r.wallMs)),
    inProcess: summarize(all.map((r) => r.inProcessMs)),
    phases: { bootMs: med((r) => r.bootMs), hostMs: med((r) => r.hostMs), workerReadyMs: med((r) => r.workerReadyMs), firstSearchMs: med((r) => r.firstSearchMs) },
    maxRssMb: med((r) => r.maxRssMb),
  };
}

interface ColdOpenResults {
  query: string;
  cli: ColdCliResult;
  app: ColdAppResult;
}

async function coldOpen(setup: ColdOpenSetup | { skipped: string }, dataDir: string, query: string): Promise<ColdOpenResults | { skipped: string }> {
  if ('skipped' in setup) return setup;
  try {
    return { query, cli: await coldOpenCli(dataDir, query, 5), app: await coldOpenApp(setup, dataDir, query, 5) };
  } catch (error) {
    return { skipped: `failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

interface SizeResult {
  n: number;
  core: CoreBenchResult;
  /** Cold open + first result: the `outloud` command as installed, and the core as the packaged app starts it. */
  coldOpen: ColdOpenResults | { skipped: string };
  exportImport:
    | { export: ExportStepResult; import: ImportStepResult; httpExport: TransferStepResult; httpImport: TransferStepResult; beside: BesideResult }
    | { skipped: string };
  /** A search session in a fresh process: the fixed queries x 3, full and quick (search-memory.ts). */
  searchMemory: { searches: number; beforeOpenMb: number; peakRssMb: number; mode: string } | { skipped: string };
  browser: BrowserBenchOutcome | { skipped: string };
}

// ---- targets ----------------------------------------------------------------------------------------

interface Row {
  metric: string;
  n: number;
  value: string;
  target: string;
  result: 'pass' | 'FAIL' | 'info' | 'skipped';
}

const TARGET_N = 100_000;
const fmt = (x: number, unit = '', digits = 2) => (Number.isFinite(x) ? `${round(x, digits).toLocaleString('en')}${unit}` : String(x));

function rowsFor(s: SizeResult): Row[] {
  const rows: Row[] = [];
  const at100k = s.n === TARGET_N;
  const check = (metric: string, value: string, ok: boolean, target: string, applies: boolean) =>
    rows.push({ metric, n: s.n, value, target: applies ? target : `(${target} at 100k)`, result: applies ? (ok ? 'pass' : 'FAIL') : 'info' });
  const info = (metric: string, value: string) => rows.push({ metric, n: s.n, value, target: '', result: 'info' });
  const c = s.core;

  // The import target is the import users run: `outloud import FILE`, which the app's Import and
  // browser mode's upload take too. The entries service's bulk create is the harness's way of
  // building the journal from raw text: it parses every text and resolves its mentions and
  // addresses, which an export's entries carry already; no front door calls it (README, Benchmark).
  if ('import' in s.exportImport) {
    const ei = s.exportImport.import;
    check(`import via outloud import FILE, ${ei.cli} (entries/s)`, fmt(ei.entriesPerSecond, '', 0), ei.entriesPerSecond >= 20_000, '>= 20,000', at100k);
    info('  outloud import process peak RSS', fmt(ei.peakRssMb, ' MB', 1));
    const ee = s.exportImport.export;
    info(`export via outloud export --out FILE, ${ee.cli} (entries/s)`, fmt(ee.entriesPerSecond, '', 0));
    info('  outloud export process peak RSS / file size', `${fmt(ee.peakRssMb, ' MB', 1)} / ${fmt(ee.fileMb, ' MB', 1)}`);
    const he = s.exportImport.httpExport;
    const hi = s.exportImport.httpImport;
    info('browser mode: POST /api/files/export, download (entries/s)', `${fmt(he.entriesPerSecond, '', 0)} (${fmt(he.entries, '', 0)} entries, ${fmt(he.fileMb, ' MB', 1)})`);
    info(`  outloud serve process peak RSS (export / import), ${hi.cli}`, `${fmt(he.serverPeakRssMb, ' MB', 1)} / ${fmt(hi.serverPeakRssMb, ' MB', 1)}`);
    info('browser mode: POST /api/files/import, upload + import (entries/s)', `${fmt(hi.entriesPerSecond, '', 0)} (${fmt(hi.entries, '', 0)} entries)`);
    const b = s.exportImport.beside;
    info(
      'a note saved beside outloud import (another process, one at a time): longest wait; saves that got in',
      `${fmt(b.longestWaitMs, ' ms', 0)}; ${fmt(b.savesBetween, '', 0)} of ${fmt(b.saves, '', 0)}`,
    );
  } else rows.push({ metric: 'import via outloud import FILE', n: s.n, value: s.exportImport.skipped, target: '', result: 'skipped' });
  info(`bulk create from raw text via ${c.import.method.startsWith('entries service createMany') ? 'entries createMany' : 'entries.create'}, the harness's journal (entries/s)`, fmt(c.import.entriesPerSecond, '', 0));
  info('search p50 (search.query)', fmt(c.search.app.p50, ' ms', 3));
  const searchTarget = s.n >= 1_000_000 ? 50 : 10;
  check('search p95 (search.query)', fmt(c.search.app.p95, ' ms', 3), c.search.app.p95 <= searchTarget, `<= ${searchTarget} ms`, at100k || s.n >= 1_000_000);
  info('  search CPU time per query p50 / p95', `${fmt(c.search.cpu.app.p50, '', 3)} / ${fmt(c.search.cpu.app.p95, ' ms', 3)}`);
  info('bare FTS5 p50', fmt(c.search.bare.p50, ' ms', 3));
  info('bare FTS5 p95', fmt(c.search.bare.p95, ' ms', 3));
  info('  bare FTS5 CPU time per query p50 / p95', `${fmt(c.search.cpu.bare.p50, '', 3)} / ${fmt(c.search.cpu.bare.p95, ' ms', 3)}`);
  check('search p95 / bare FTS5 p95', fmt(c.search.ratioP95, 'x'), c.search.ratioP95 <= 1.5, '<= 1.5x', at100k);
  info('capture-to-searchable p50', fmt(c.capture.total.p50, ' ms', 3));
  check('capture-to-searchable p95', fmt(c.capture.total.p95, ' ms', 3), c.capture.total.p95 <= 10, '<= 10 ms', at100k);
  if (c.afterSave) {
    const a = c.afterSave;
    info(`titles.find right after a save / the same lookup again, p50 of ${a.saves}`, `${fmt(a.titlesFind.p50, '', 2)} / ${fmt(a.titlesFindAgain.p50, ' ms', 2)}`);
    info(`journal.stats right after a save, p50 / max of ${a.saves}`, `${fmt(a.stats.p50, '', 2)} / ${fmt(a.stats.max, ' ms', 2)}`);
    info(`entries.get of the entry with the most backlinks (${fmt(a.mostLinked.backlinks, '', 0)}), warm p50 / max`, `${fmt(a.mostLinked.get.p50, '', 2)} / ${fmt(a.mostLinked.get.max, ' ms', 2)}`);
  }
  if ('cli' in s.coldOpen) {
    const { cli, app, query } = s.coldOpen;
    check(
      `cold open + first result: \`outloud search ${query} --json\` as installed (built bundle, warm code cache; wall to exit, median of 5)`,
      fmt(cli.search.p50, ' ms', 1),
      cli.search.p50 <= 100,
      '<= 100 ms',
      at100k,
    );
    info('  same rounds, wall medians: node -e 0 / outloud --version / outloud search', `${fmt(cli.node.p50, '', 1)} / ${fmt(cli.version.p50, '', 1)} / ${fmt(cli.search.p50, ' ms', 1)}`);
    info('  the same search from the sources (the bin\'s fallback until the next build)', fmt(cli.sources.p50, ' ms', 1));
    check(
      'cold open + first result: core as the packaged app starts it (built core worker in a worker thread of a fresh Node; wall to result, median of 5)',
      fmt(app.wall.p50, ' ms', 1),
      app.wall.p50 <= 100,
      '<= 100 ms',
      at100k,
    );
    info('  in process: Node boot / host client / worker start + load + open / search', `${app.phases.bootMs} / ${app.phases.hostMs} / ${app.phases.workerReadyMs} / ${app.phases.firstSearchMs} ms`);
    info('  worker start to first result (what the app waits for once Electron is up)', fmt(app.phases.workerReadyMs + app.phases.firstSearchMs, ' ms', 1));
  } else rows.push({ metric: 'cold open + first result', n: s.n, value: s.coldOpen.skipped, target: '', result: 'skipped' });
  // Peak RSS of the app's own processes: the import (`outloud import`, and browser mode's `outloud
  // serve` taking the same file as an upload) and a search session. The harness process that
  // generates the corpus and imports it through createMany is shown for scale.
  const importPeak = 'import' in s.exportImport ? s.exportImport.import.peakRssMb : Number.NaN;
  const servePeak = 'httpImport' in s.exportImport ? s.exportImport.httpImport.serverPeakRssMb : Number.NaN;
  const searchPeak = 'peakRssMb' in s.searchMemory ? s.searchMemory.peakRssMb : Number.NaN;
  const appPeak = Math.max(importPeak, servePeak, searchPeak);
  if (Number.isFinite(appPeak)) {
    check('peak RSS of the app\'s processes: outloud import, outloud serve importing, search session (the largest)', fmt(appPeak, ' MB', 1), appPeak <= 200, '<= 200 MB', at100k);
    const sessionMode = 'mode' in s.searchMemory ? s.searchMemory.mode : 'not measured';
    info(`  outloud import / outloud serve importing / search session (queries x 3, full + quick; ${sessionMode})`, `${fmt(importPeak, '', 1)} / ${fmt(servePeak, '', 1)} / ${fmt(searchPeak, ' MB', 1)}`);
  } else rows.push({ metric: 'peak RSS of the app\'s processes', n: s.n, value: 'import or search session not measured', target: '', result: 'skipped' });
  info('  benchmark harness process (corpus generator, createMany import, search; from sources)', fmt(c.memory.peakRssMb, ' MB', 1));
  if ('app' in s.coldOpen) info('  RSS after open + one search, app path (main thread + core worker)', fmt(s.coldOpen.app.maxRssMb, ' MB', 1));
  info('database size (file + WAL)', `${fmt(c.database.totalMb, ' MB', 1)} (${fmt(c.database.fileMb, '', 1)} + ${fmt(c.database.walMb, '', 1)})`);
  if ('titles' in c.fuzzy) {
    const { titles, headings, people } = c.fuzzy;
    check(`fuzzy titles (${titles.items.toLocaleString('en')} items): one typo, intended in top 5`, fmt(titles.typoHitRateTop5, ' %', 1), titles.typoHitRateTop5 >= 90, '>= 90 %', at100k);
    check('fuzzy titles: lookup p95', fmt(titles.latency.p95, ' ms', 3), titles.latency.p95 <= 2, '<= 2 ms', at100k);
    info('fuzzy titles: prefix, intended in top 5', fmt(titles.byType.prefix?.hitRateTop5 ?? Number.NaN, ' %', 1));
    check(`fuzzy headings only (${headings.items.toLocaleString('en')} items): one typo, top 5`, fmt(headings.typoHitRateTop5, ' %', 1), headings.typoHitRateTop5 >= 90, '>= 90 %', at100k);
    check('fuzzy headings only: lookup p95', fmt(headings.latency.p95, ' ms', 3), headings.latency.p95 <= 2, '<= 2 ms', at100k);
    check('people.find: one typo in a name, top 5', fmt(people.hitRateTop5, ' %', 1), people.hitRateTop5 >= 90, '>= 90 %', at100k);
    check('people.find p95', fmt(people.latency.p95, ' ms', 3), people.latency.p95 <= 2, '<= 2 ms', at100k);
    if (c.fuzzy.titlesFind) {
      const tf = c.fuzzy.titlesFind;
      check(`titles.find (${tf.items.toLocaleString('en')} distinct titles): one typo, top 5`, fmt(tf.hitRateTop5, ' %', 1), tf.hitRateTop5 >= 90, '>= 90 %', at100k);
      check('titles.find p95', fmt(tf.latency.p95, ' ms', 3), tf.latency.p95 <= 2, '<= 2 ms', at100k);
      info('  titles.find: prefix in top 5; first call (builds the index)', `${fmt(tf.prefixHitRateTop5, ' %', 1)}; ${fmt(tf.firstCallMs, ' ms', 1)}`);
    }
  } else rows.push({ metric: 'fuzzy lookups', n: s.n, value: c.fuzzy.skipped, target: '', result: 'skipped' });
  if ('keystroke' in s.browser) {
    const b = s.browser;
    check('browser: keystroke to results painted p95', fmt(b.keystroke.p95, ' ms', 1), b.keystroke.p95 <= 50 && b.keystroke.timedOut === 0, '<= 50 ms', at100k);
    const parts = b.keystroke.parts;
    info('  keystroke p50; parts p50 / p95: keydown to request, request, response to painted', `${fmt(b.keystroke.p50, ' ms', 1)}; ${fmt(parts.toRequest.p50, '', 1)} / ${fmt(parts.toRequest.p95, '', 1)}, ${fmt(parts.request.p50, '', 1)} / ${fmt(parts.request.p95, '', 1)}, ${fmt(parts.toPaint.p50, '', 1)} / ${fmt(parts.toPaint.p95, ' ms', 1)}`);
    check('browser: timeline first paint after load (median)', fmt(b.timelineFirstPaint.median, ' ms', 0), b.timelineFirstPaint.median <= 1000, '<= 1,000 ms', at100k);
    check('browser: DOM nodes in the timeline (max)', fmt(b.timelineDomNodes.maxWhileScrolling, '', 0), b.timelineDomNodes.maxWhileScrolling < 300, '< 300', at100k);
  } else if ('skipped' in s.browser) rows.push({ metric: 'browser mode', n: s.n, value: s.browser.skipped, target: '', result: 'skipped' });
  return rows;
}

/** Where the time goes at one size: search by query kind, and the statements that dominate. */
function diagnostics(s: SizeResult): string {
  const c = s.core;
  const out: string[] = [`\nWhere the time goes at N = ${s.n.toLocaleString('en')}:`];
  out.push(
    formatTable(
      ['query kind', 'queries', 'search.query p50 / p95 ms', 'bare FTS5 p50 / p95 ms', 'no hits (app / bare)'],
      Object.entries(c.search.byCategory).map(([k, v]) => [
        k,
        String(v.app.count / c.search.rounds),
        `${v.app.p50} / ${v.app.p95}`,
        `${v.bare.p50} / ${v.bare.p95}`,
        `${v.appZeroHit} / ${v.bareZeroHit}`,
      ]),
    ),
  );
  const statements = (title: string, sql: { statements: Array<{ sql: string; calls: number; totalMs: number; usPerCall: number }> }, total: number) => {
    const sum = sql.statements.reduce((a, x) => a + x.totalMs, 0);
    out.push(`\n${title} (SQL ${Math.round(sum)} ms of ${Math.round(total)} ms profiled):`);
    out.push(
      formatTable(
        ['statement', 'calls', 'µs/call', '% of SQL'],
        sql.statements.slice(0, 6).map((x) => [x.sql.slice(0, 90), String(x.calls), String(x.usPerCall), `${Math.round((100 * x.totalMs) / sum)}%`]),
      ),
    );
  };
  if (c.profile) {
    const p = c.profile.import;
    statements(`Import profile, ${p.entries.toLocaleString('en')} entries (${p.method}) in a rolled-back transaction`, p.sql, p.cpu.totalMs);
    out.push(`CPU by file: ${p.cpu.files.slice(0, 6).map((f) => `${f.file} ${f.pct}%`).join(', ')}`);
    statements(`Search profile, ${c.profile.search.queries} search.query calls`, c.profile.search.sql, c.profile.search.cpu.totalMs);
  }
  out.push(
    `\nFTS5 and savepoints: ${c.ftsSavepointCost.rows.toLocaleString('en')} rows into a bare FTS5 table, ${c.ftsSavepointCost.plainRowsPerSecond.toLocaleString('en')} rows/s in one transaction, ${c.ftsSavepointCost.savepointRowsPerSecond.toLocaleString('en')} rows/s with one SAVEPOINT per row (${c.ftsSavepointCost.slowdown}x slower)\n`,
  );
  return `${out.join('\n')}\n`;
}

// ---- main -------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0]!;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-bench-'));
  const rendererDir = path.join(REPO_ROOT, 'out/renderer');
  process.stdout.write(
    `Outloud benchmark: N = ${args.sizes.map((n) => n.toLocaleString('en')).join(', ')}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}; work folder ${work}\n`,
  );

  const tPool = now();
  const pool = loadTextPool(path.join(REPO_ROOT, 'node_modules'));
  const poolFile = path.join(work, 'text-pool.json');
  writeTextPool(poolFile, pool);
  const queries = buildQueries(pool);
  process.stdout.write(`text pool: ${pool.files} READMEs -> ${pool.paragraphs.length} paragraphs, ${pool.headings.length} headings, ${pool.urls.length} URLs in ${Math.round(now() - tPool)} ms; ${queries.length} queries\n`);

  const sizes: SizeResult[] = [];
  try {
    for (const n of args.sizes) {
      process.stdout.write(`\n== N = ${n.toLocaleString('en')} ==\n`);
      const dataDir = path.join(work, `journal-${n}`);
      const out = path.join(work, `core-${n}.json`);
      await runChild('core.bench.ts', ['--n', String(n), '--data-dir', dataDir, '--out', out, '--pool', poolFile, ...(args.seed !== undefined ? ['--seed', String(args.seed)] : [])]);
      const core = JSON.parse(fs.readFileSync(out, 'utf8')) as CoreBenchResult;

      // Built again for each size: the CLI runs its bundle only while no source is newer.
      const setup = await prepareColdOpen();
      const cold = await coldOpen(setup, dataDir, core.coldQuery);
      if ('skipped' in cold) process.stdout.write(`  cold open: skipped (${cold.skipped})\n`);
      else {
        const { cli, app } = cold;
        process.stdout.write(
          `  cold open + first result, outloud search (bundle, warm cache): median ${cli.search.p50} ms wall (node -e 0 ${cli.node.p50}, --version ${cli.version.p50}; from sources ${cli.sources.p50})\n` +
            `  cold open + first result, app's core worker: median ${app.wall.p50} ms wall (boot ${app.phases.bootMs}, host ${app.phases.hostMs}, worker ready ${app.phases.workerReadyMs}, search ${app.phases.firstSearchMs})\n`,
        );
      }

      // A search session's memory, in a process of its own (the queries from a file, not the corpus).
      let searchMemory: SizeResult['searchMemory'];
      try {
        const queriesFile = path.join(work, 'queries.json');
        fs.writeFileSync(queriesFile, JSON.stringify(queries.map((q) => q.q)));
        // Through the built core worker, as the app runs searches; from the sources when nothing was built.
        const session = 'skipped' in setup ? [path.join(REPO_ROOT, 'tests/bench/search-memory.ts')] : [setup.sessionHarness];
        const r = spawnSync(NODE, [...session, dataDir, queriesFile, ...('skipped' in setup ? [] : [setup.workerFile])], { cwd: REPO_ROOT, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`);
        searchMemory = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Exclude<SizeResult['searchMemory'], { skipped: string }>;
        process.stdout.write(`  search session (${searchMemory.mode}): ${searchMemory.searches} searches, peak RSS ${searchMemory.peakRssMb} MB\n`);
      } catch (error) {
        searchMemory = { skipped: `failed: ${(error as Error).message}` };
      }

      let exportImport: SizeResult['exportImport'] = { skipped: 'disabled with --no-export-import' };
      if (args.exportImport) {
        const file = path.join(work, `export-${n}.json`);
        const reimportDir = path.join(work, `reimport-${n}`);
        const eOut = path.join(work, `export-${n}.result.json`);
        const iOut = path.join(work, `import-${n}.result.json`);
        await runChild('export-import.bench.ts', ['export', '--data-dir', dataDir, '--file', file, '--out', eOut]);
        await runChild('export-import.bench.ts', ['import', '--data-dir', reimportDir, '--file', file, '--out', iOut]);
        // The same through browser mode's file endpoints, as Settings' Export and Import take them.
        const downloaded = path.join(work, `download-${n}.json`);
        const uploadDir = path.join(work, `upload-${n}`);
        const heOut = path.join(work, `http-export-${n}.result.json`);
        const hiOut = path.join(work, `http-import-${n}.result.json`);
        await runChild('export-import.bench.ts', ['http-export', '--data-dir', dataDir, '--file', downloaded, '--out', heOut]);
        await runChild('export-import.bench.ts', ['http-import', '--data-dir', uploadDir, '--file', downloaded, '--out', hiOut]);
        // And once more beside another process saving notes, as the app does while its user writes.
        const besideDir = path.join(work, `beside-${n}`);
        const bOut = path.join(work, `beside-${n}.result.json`);
        await runChild('export-import.bench.ts', ['beside', '--data-dir', besideDir, '--file', file, '--out', bOut]);
        const read = <T>(f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as T;
        exportImport = { export: read(eOut), import: read(iOut), httpExport: read(heOut), httpImport: read(hiOut), beside: read(bOut) };
        process.stdout.write(`  outloud import of its export: ${exportImport.import.entriesPerSecond.toLocaleString('en')} entries/s (${exportImport.export.fileMb} MB file)\n`);
        process.stdout.write(`  browser mode: export ${exportImport.httpExport.entriesPerSecond.toLocaleString('en')}, import ${exportImport.httpImport.entriesPerSecond.toLocaleString('en')} entries/s\n`);
        process.stdout.write(`  beside a process saving notes: its longest wait ${exportImport.beside.longestWaitMs} ms, ${exportImport.beside.savesBetween} of ${exportImport.beside.saves} saves got in\n`);
        for (const f of [file, downloaded]) fs.rmSync(f, { force: true });
        for (const d of [reimportDir, uploadDir, besideDir]) fs.rmSync(d, { recursive: true, force: true });
      }

      // Browser mode at 100k (the target's size), or at the only size of a quick/custom run.
      let browser: SizeResult['browser'] = { skipped: 'disabled with --no-browser' };
      const browserHere = n === TARGET_N || (!args.sizes.includes(TARGET_N) && n === args.sizes[args.sizes.length - 1]);
      if (args.browser && !browserHere) browser = { skipped: 'measured at 100,000 entries' };
      else if (args.browser) {
        // Typed as a person types: single words and two-word queries from the fixed query set.
        const typed = [
          ...queries.filter((q) => q.category === 'term').slice(0, 8),
          ...queries.filter((q) => q.category === 'two-terms').slice(0, 4),
        ].map((q) => q.q);
        try {
          browser = await runBrowserBench({ dataDir, n, rendererDir, typed });
        } catch (error) {
          browser = { skipped: `failed: ${(error as Error).message.split('\n')[0]}` };
        }
        if ('keystroke' in browser) {
          process.stdout.write(
            `  browser: keystroke p95 ${browser.keystroke.p95} ms, timeline first paint ${browser.timelineFirstPaint.median} ms, timeline DOM nodes <= ${browser.timelineDomNodes.maxWhileScrolling}\n`,
          );
        } else process.stdout.write(`  browser: skipped (${browser.skipped})\n`);
      }
      sizes.push({ n, core, coldOpen: cold, exportImport, searchMemory, browser });
      if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    if (!args.keep) fs.rmSync(work, { recursive: true, force: true });
    else process.stdout.write(`\nkept ${work}\n`);
  }

  const rows = sizes.flatMap(rowsFor);
  const table = formatTable(
    ['metric', 'N', 'value', 'target', 'result'],
    rows.map((r) => [r.metric, r.n.toLocaleString('en'), r.value, r.target, r.result]),
  );
  process.stdout.write(`\n${table}\n`);
  const largest = sizes.at(-1);
  if (largest) process.stdout.write(diagnostics(largest));

  const probe = new Database(':memory:');
  const sqliteVersion = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    args,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memoryGb: round(os.totalmem() / 1024 ** 3, 1),
      // Other work on the machine skews timings: the 1-minute load average when the run began and ended.
      loadAverage: { start: round(loadAtStart, 2), end: round(os.loadavg()[0]!, 2) },
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      sqlite: sqliteVersion,
      git: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim(),
    },
    corpus: { files: pool.files, bytes: pool.bytes, paragraphs: pool.paragraphs.length, headings: pool.headings.length, urls: pool.urls.length, fingerprint: pool.fingerprint },
    queries,
    table: rows,
    sizes,
  };
  const dir = path.join(REPO_ROOT, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(results, null, 2));
  process.stdout.write(`\nwrote bench-results/${stamp}.json and bench-results/latest.json\n`);
  const failed = rows.filter((r) => r.result === 'FAIL').length;
  const judged = rows.filter((r) => r.result === 'pass' || r.result === 'FAIL').length;
  process.stdout.write(
    judged === 0 ? 'no target applies at these sizes (targets are set at 100,000 and 1,000,000 entries)\n' : failed ? `${failed} of ${judged} targets missed\n` : `all ${judged} targets met\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
