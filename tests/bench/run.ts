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
import type { ExportStepResult, ImportStepResult } from './export-import.bench.ts';
import { NODE, REPO_ROOT } from './paths.ts';
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

interface ColdOpenRun {
  wallMs: number;
  inProcessMs: number;
  bootMs: number;
  importMs: number;
  openMs: number;
  firstSearchMs: number;
  hits: number;
  maxRssMb: number;
}

interface ColdOpenResult {
  runs: ColdOpenRun[];
  wall: Summary;
  inProcess: Summary;
  /** Medians of the in-process phases. */
  phases: { bootMs: number; importMs: number; openMs: number; firstSearchMs: number };
  /** Median peak RSS of those processes. */
  maxRssMb: number;
  query: string;
}

/**
 * The cold-open script bundled the way the packaged app bundles the core (electron-vite/rolldown: one
 * ESM file, better-sqlite3 external), into node_modules/.cache so `better-sqlite3` resolves.
 * Returns the bundle's path, or a reason it could not be built.
 */
async function bundleColdOpen(): Promise<{ file: string } | { skipped: string }> {
  const file = path.join(REPO_ROOT, 'node_modules/.cache/outloud-bench/cold-open.mjs');
  try {
    const { build } = await import('rolldown');
    await build({
      input: path.join(REPO_ROOT, 'tests/bench/cold-open.ts'),
      platform: 'node',
      external: ['better-sqlite3'],
      output: { file, format: 'esm', codeSplitting: false },
      logLevel: 'warn',
    });
    return { file };
  } catch (error) {
    return { skipped: `could not bundle with rolldown: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Spawn -> the result line, in a fresh process each time. */
function coldOpen(script: string, dataDir: string, query: string, runs: number): Promise<ColdOpenResult> {
  const one = () =>
    new Promise<ColdOpenRun>((resolve, reject) => {
      const t0 = now();
      const child = spawn(NODE, [script, dataDir, query], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      let wallMs = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (!wallMs && out.includes('\n')) wallMs = now() - t0;
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        try {
          const r = JSON.parse(out.split('\n')[0]!) as Omit<ColdOpenRun, 'wallMs'> & { ok: boolean; error?: { message: string } };
          if (code !== 0 || !r.ok) throw new Error(r.error?.message ?? `exit code ${code}`);
          resolve({ wallMs: round(wallMs, 1), inProcessMs: round(r.inProcessMs, 1), bootMs: round(r.bootMs, 1), importMs: round(r.importMs, 1), openMs: round(r.openMs, 1), firstSearchMs: round(r.firstSearchMs, 1), hits: r.hits, maxRssMb: r.maxRssMb });
        } catch (error) {
          reject(new Error(`cold-open.ts failed: ${(error as Error).message}; output: ${out.slice(0, 300)}`));
        }
      });
    });
  return (async () => {
    const all: ColdOpenRun[] = [];
    for (let k = 0; k < runs; k++) all.push(await one());
    const med = (f: (r: ColdOpenRun) => number) => summarize(all.map(f)).p50;
    return {
      runs: all,
      wall: summarize(all.map((r) => r.wallMs)),
      inProcess: summarize(all.map((r) => r.inProcessMs)),
      phases: { bootMs: med((r) => r.bootMs), importMs: med((r) => r.importMs), openMs: med((r) => r.openMs), firstSearchMs: med((r) => r.firstSearchMs) },
      maxRssMb: med((r) => r.maxRssMb),
      query,
    };
  })();
}

interface SizeResult {
  n: number;
  core: CoreBenchResult;
  /** The core loaded from its TypeScript sources (Node strips the types), as the CLI runs it. */
  coldOpen: ColdOpenResult;
  /** The core bundled into one JavaScript file, as the packaged app runs it. */
  coldOpenBundled: ColdOpenResult | { skipped: string };
  exportImport: { export: ExportStepResult; import: ImportStepResult } | { skipped: string };
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

  check(`import via ${c.import.method.startsWith('entries service createMany') ? 'entries createMany' : 'entries.create'} (entries/s)`, fmt(c.import.entriesPerSecond, '', 0), c.import.entriesPerSecond >= 20_000, '>= 20,000', at100k);
  if ('import' in s.exportImport) {
    const ei = s.exportImport.import;
    check('import via journal.import of an export (entries/s)', fmt(ei.entriesPerSecond, '', 0), ei.entriesPerSecond >= 20_000, '>= 20,000', at100k);
    info('  journal.import incl. JSON.parse (entries/s)', fmt(ei.entriesPerSecondWithParse, '', 0));
    info('  journal.import process peak RSS', fmt(ei.peakRssMb, ' MB', 1));
  } else rows.push({ metric: 'import via journal.import of an export', n: s.n, value: s.exportImport.skipped, target: '', result: 'skipped' });
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
  check('cold open + first result, sources (wall, median of 5)', fmt(s.coldOpen.wall.p50, ' ms', 1), s.coldOpen.wall.p50 <= 100, '<= 100 ms', at100k);
  info('  in process: boot / load modules / open / search', `${s.coldOpen.phases.bootMs} / ${s.coldOpen.phases.importMs} / ${s.coldOpen.phases.openMs} / ${s.coldOpen.phases.firstSearchMs} ms`);
  if ('wall' in s.coldOpenBundled) {
    const b = s.coldOpenBundled;
    check('cold open + first result, bundled (wall, median of 5)', fmt(b.wall.p50, ' ms', 1), b.wall.p50 <= 100, '<= 100 ms', at100k);
    info('  in process: boot / load modules / open / search', `${b.phases.bootMs} / ${b.phases.importMs} / ${b.phases.openMs} / ${b.phases.firstSearchMs} ms`);
  } else rows.push({ metric: 'cold open, bundled', n: s.n, value: s.coldOpenBundled.skipped, target: '', result: 'skipped' });
  check('peak RSS, core process (import + search)', fmt(c.memory.peakRssMb, ' MB', 1), c.memory.peakRssMb <= 200, '<= 200 MB', at100k);
  info('  RSS of a fresh process after open + one search (sources / bundled)', `${fmt(s.coldOpen.maxRssMb, '', 1)} / ${'maxRssMb' in s.coldOpenBundled ? fmt(s.coldOpenBundled.maxRssMb, ' MB', 1) : '-'}`);
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
  } else rows.push({ metric: 'fuzzy lookups', n: s.n, value: c.fuzzy.skipped, target: '', result: 'skipped' });
  if ('keystroke' in s.browser) {
    const b = s.browser;
    check('browser: keystroke to results painted p95', fmt(b.keystroke.p95, ' ms', 1), b.keystroke.p95 <= 50 && b.keystroke.timedOut === 0, '<= 50 ms', at100k);
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

  const bundle = await bundleColdOpen();
  const sizes: SizeResult[] = [];
  try {
    for (const n of args.sizes) {
      process.stdout.write(`\n== N = ${n.toLocaleString('en')} ==\n`);
      const dataDir = path.join(work, `journal-${n}`);
      const out = path.join(work, `core-${n}.json`);
      await runChild('core.bench.ts', ['--n', String(n), '--data-dir', dataDir, '--out', out, '--pool', poolFile, ...(args.seed !== undefined ? ['--seed', String(args.seed)] : [])]);
      const core = JSON.parse(fs.readFileSync(out, 'utf8')) as CoreBenchResult;

      const cold = await coldOpen(path.join(REPO_ROOT, 'tests/bench/cold-open.ts'), dataDir, core.coldQuery, 5);
      const coldBundled = 'file' in bundle ? await coldOpen(bundle.file, dataDir, core.coldQuery, 5) : bundle;
      for (const [label, c] of [['sources', cold], ['bundled', coldBundled]] as const) {
        if ('skipped' in c) process.stdout.write(`  cold open (${label}): skipped (${c.skipped})\n`);
        else {
          process.stdout.write(
            `  cold open + first result (${label}): median ${c.wall.p50} ms wall, ${c.inProcess.p50} ms in process (boot ${c.phases.bootMs}, load modules ${c.phases.importMs}, open ${c.phases.openMs}, search ${c.phases.firstSearchMs})\n`,
          );
        }
      }

      let exportImport: SizeResult['exportImport'] = { skipped: 'disabled with --no-export-import' };
      if (args.exportImport && n > 200_000) exportImport = { skipped: 'above 200,000 entries the JSON export outgrows one V8 string; not measured' };
      else if (args.exportImport) {
        const file = path.join(work, `export-${n}.json`);
        const reimportDir = path.join(work, `reimport-${n}`);
        const eOut = path.join(work, `export-${n}.result.json`);
        const iOut = path.join(work, `import-${n}.result.json`);
        await runChild('export-import.bench.ts', ['export', '--data-dir', dataDir, '--file', file, '--out', eOut]);
        await runChild('export-import.bench.ts', ['import', '--data-dir', reimportDir, '--file', file, '--out', iOut]);
        exportImport = { export: JSON.parse(fs.readFileSync(eOut, 'utf8')) as ExportStepResult, import: JSON.parse(fs.readFileSync(iOut, 'utf8')) as ImportStepResult };
        process.stdout.write(`  journal.import of its export: ${exportImport.import.entriesPerSecond.toLocaleString('en')} entries/s (${exportImport.export.fileMb} MB file)\n`);
        fs.rmSync(file, { force: true });
        fs.rmSync(reimportDir, { recursive: true, force: true });
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
      sizes.push({ n, core, coldOpen: cold, coldOpenBundled: coldBundled, exportImport, browser });
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
