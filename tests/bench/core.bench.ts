/**
 * One benchmark size, in its own process (so peak RSS is this work's alone): bulk import through the
 * entries service, the bare-FTS5 baseline, search latency on both, capture-to-searchable, the fuzzy
 * lookups, database size, and a profile of the import. Started by run.ts:
 *
 *   node tests/bench/core.bench.ts --n 100000 --data-dir DIR --out result.json
 *
 * The data folder is left in place for the cold-open and browser measurements that follow.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openCore, type Core } from '../../electron/core/core.ts';
import { contract } from '../../shared/api/contract.ts';
import type { SearchResult } from '../../shared/domain/search.ts';
import type { Entry } from '../../shared/domain/entry.ts';
import { Corpus, loadTextPool, mulberry32, PEOPLE, readTextPool, searchableText, type CorpusEntry, type TextPool } from './corpus.ts';
import { NODE, REPO_ROOT } from './paths.ts';
import { buildQueries, type BenchQuery } from './queries.ts';
import { cpuProfile, profileStatements, type CpuProfileSummary, type SqlProfile } from './profile.ts';
import { mb, now, peakRssMb, round, summarize, type Summary } from './stats.ts';


export interface CoreBenchResult {
  n: number;
  entriesInDb: number;
  corpus: { files: number; bytes: number; paragraphs: number; headings: number; urls: number; fingerprint: string; seed: number };
  import: { method: string; chunk: number; seconds: number; entriesPerSecond: number; rssAfterMb: number };
  /** Filling the baseline table (in a child process, including its start-up). */
  bareFill: { seconds: number; rowsPerSecond: number };
  /** Same rows into an in-memory bare FTS5 table, plain vs one SAVEPOINT per row (as a nested service transaction does). */
  ftsSavepointCost: { rows: number; plainRowsPerSecond: number; savepointRowsPerSecond: number; slowdown: number };
  search: {
    queries: number;
    rounds: number;
    app: Summary;
    bare: Summary;
    ratioP50: number;
    ratioP95: number;
    /** CPU time of the benchmark process per query (insensitive to other work on the machine). */
    cpu: { app: Summary; bare: Summary };
    byCategory: Record<string, { app: Summary; bare: Summary; appZeroHit: number; bareZeroHit: number }>;
    appZeroHit: number;
    bareZeroHit: number;
    slowest: Array<{ q: string; appMs: number; bareMs: number }>;
  };
  capture: { samples: number; total: Summary; save: Summary; search: Summary; found: number };
  fuzzy: FuzzyBench | { skipped: string };
  /**
   * What the app asks right after a save (titles.find from the search overlay, journal.stats for the
   * sidebar), each after its own save; and opening the entry with the most backlinks (warm).
   */
  afterSave: { saves: number; titlesFind: Summary; titlesFindAgain: Summary; stats: Summary; mostLinked: { backlinks: number; get: Summary } };
  database: { fileMb: number; walMb: number; totalMb: number; afterImport: { fileMb: number; walMb: number } };
  memory: { peakRssMb: number; samples: MemorySample[] };
  profile?: {
    import: { entries: number; method: string; entriesPerSecond: number; sql: SqlProfile; cpu: CpuProfileSummary };
    /** One instrumented pass of the query set through search.query. */
    search: { queries: number; sql: SqlProfile; cpu: CpuProfileSummary };
  };
  coldQuery: string;
}

export interface FuzzyBenchResult {
  /** What the index holds: every distinct title in the journal plus people, or only heading titles plus people. */
  index: 'all-titles' | 'heading-titles';
  items: number;
  buildMs: number;
  queries: number;
  /** Real headings the queries were made from. */
  headings: number;
  hitRateTop5: number;
  /** One-typo queries only (the target's measure). */
  typoHitRateTop5: number;
  byType: Record<string, { queries: number; hitRateTop5: number; p95Ms: number }>;
  latency: Summary;
  misses: Array<{ query: string; intended: string; got: string[] }>;
}

export interface PeopleFindResult {
  queries: number;
  hitRateTop5: number;
  latency: Summary;
}

export interface FuzzyBench {
  titles: FuzzyBenchResult;
  headings: FuzzyBenchResult;
  people: PeopleFindResult;
  /** `titles.find` through the core (the app's title lookup), on the same one-typo and prefix queries. */
  titlesFind: PeopleFindResult & { items: number; firstCallMs: number; prefixHitRateTop5: number };
}

function parseArgs(argv: string[]) {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const n = Number(get('--n') ?? 10_000);
  const dataDir = get('--data-dir');
  const out = get('--out');
  if (!Number.isInteger(n) || n < 100 || !dataDir || !out) {
    throw new Error('usage: core.bench.ts --n N --data-dir DIR --out FILE [--seed S] [--no-profile]');
  }
  return {
    n,
    dataDir,
    out,
    pool: get('--pool'),
    seed: get('--seed') ? Number(get('--seed')) : undefined,
    profile: !argv.includes('--no-profile'),
  };
}

type MemorySample = { phase: string; rssMb: number; heapTotalMb: number; heapUsedMb: number; externalMb: number };
const memorySamples: MemorySample[] = [];
function sampleMemory(phase: string) {
  const m = process.memoryUsage();
  memorySamples.push({ phase, rssMb: mb(m.rss), heapTotalMb: mb(m.heapTotal), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external) });
}

function log(line: string) {
  process.stdout.write(`  ${line}\n`);
}

function fileSizes(databasePath: string) {
  const size = (f: string) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  };
  return { fileMb: mb(size(databasePath)), walMb: mb(size(`${databasePath}-wal`)) };
}

const parseCreate = (e: CorpusEntry) => contract['entries.create'].input.parse(e);

type CreateInput = ReturnType<typeof parseCreate>;
type CreateMany = (inputs: readonly CreateInput[]) => unknown;

/** The entries service's bulk create (one transaction for many entries), when it has one. */
function bulkCreate(core: Core): CreateMany | null {
  const createMany = (core.services.entries as { createMany?: CreateMany }).createMany;
  return typeof createMany === 'function' ? createMany : null;
}

/** How `importChunked` writes: the service's bulk create, or one `entries.create` per entry in a chunk transaction. */
export function importMethod(core: Core, chunk: number): string {
  return bulkCreate(core)
    ? `entries service createMany, ${chunk.toLocaleString('en')} contract-validated inputs per call`
    : `entries.create per entry (contract-validated), ${chunk.toLocaleString('en')} per transaction`;
}

/**
 * Bulk import through the core, the fastest way it offers: each input validated with the contract's
 * schema, then written by the entries service (tags, mentions, links, index) in chunks. With the
 * service's `createMany` a chunk is one transaction; without it, `entries.create` per entry inside a
 * chunk transaction (its own transaction nests as a SAVEPOINT).
 */
export function importChunked(core: Core, corpus: Corpus, from: number, to: number, chunk: number, onChunk?: (done: number) => void): void {
  const createMany = bulkCreate(core);
  const create = core.handlers['entries.create'];
  const runChunk = createMany
    ? (a: number, b: number) => {
        const inputs: CreateInput[] = [];
        for (let i = a; i < b; i++) inputs.push(parseCreate(corpus.entry(i)));
        createMany(inputs);
      }
    : (() => {
        const chunkTransaction = core.db.transaction((a: number, b: number) => {
          for (let i = a; i < b; i++) create(parseCreate(corpus.entry(i)));
        });
        return (a: number, b: number) => chunkTransaction.immediate(a, b);
      })();
  for (let a = from; a < to; a += chunk) {
    const b = Math.min(to, a + chunk);
    runChunk(a, b);
    onChunk?.(b);
  }
}

/**
 * The lookups the app makes right after the user saves: each save is followed by one titles.find (the
 * search overlay asks it on every keystroke) and one journal.stats (the sidebar's counts), timed on
 * their own. Then entries.get of the entry with the most backlinks (a much-mentioned person), warm.
 */
async function benchAfterSave(core: Core, saves: number): Promise<CoreBenchResult['afterSave']> {
  const call = async (method: string, input: unknown) => {
    const r = await core.dispatch(method, input);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
    return r.value;
  };
  const titles: number[] = [];
  const again: number[] = [];
  const stats: number[] = [];
  for (let i = 0; i < saves; i++) {
    await call('entries.create', { title: `Saved between lookups ${i}`, body: 'a note saved while the search overlay is open' });
    let t = now();
    await call('titles.find', { q: 'instalation gude', limit: 5 });
    titles.push(now() - t);
    // The same lookup with no save in between: the baseline.
    t = now();
    await call('titles.find', { q: 'instalation gude', limit: 5 });
    again.push(now() - t);
    await call('entries.create', { body: `another note ${i}` });
    t = now();
    await call('journal.stats', {});
    stats.push(now() - t);
  }
  const top = core.db.prepare('SELECT to_rowid AS rowid, count(*) AS n FROM links GROUP BY to_rowid ORDER BY n DESC LIMIT 1').get() as { rowid: number; n: number } | undefined;
  const get: number[] = [];
  if (top) {
    const { id } = core.db.prepare('SELECT id FROM entries WHERE rowid = ?').get(top.rowid) as { id: string };
    for (let i = 0; i < 6; i++) {
      const t = now();
      await call('entries.get', { id });
      if (i > 0) get.push(now() - t); // the first warms the cache
    }
  }
  return { saves, titlesFind: summarize(titles), titlesFindAgain: summarize(again), stats: summarize(stats), mostLinked: { backlinks: top?.n ?? 0, get: summarize(get) } };
}

/** Fills the baseline table: a plain FTS5 table with each entry's title and text, nothing else. */
export function fillBare(file: string, corpus: Corpus): void {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}-wal`, { force: true });
  const bare = new Database(file);
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.exec('CREATE VIRTUAL TABLE bare USING fts5(title, body)');
  const insert = bare.prepare('INSERT INTO bare (rowid, title, body) VALUES (?, ?, ?)');
  const fill = bare.transaction((a: number, b: number) => {
    for (let i = a; i < b; i++) {
      const t = searchableText(corpus.entry(i));
      insert.run(i + 1, t.title, t.body);
    }
  });
  for (let a = 0; a < corpus.n; a += 5_000) fill(a, Math.min(corpus.n, a + 5_000));
  bare.close();
}

/**
 * The baseline is filled in a child process (this file with `--fill-bare`), so its memory never counts
 * in the core process's peak RSS; only the queries run here, beside the core's, in the same conditions.
 */
function fillBareInChild(file: string, n: number, poolFile: string | undefined, seed: number): void {
  const r = spawnSync(NODE, [fileURLToPath(import.meta.url), '--fill-bare', file, '--n', String(n), '--seed', String(seed), ...(poolFile ? ['--pool', poolFile] : [])], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`filling the bare FTS5 baseline failed (${r.status ?? r.signal})`);
}

/** FTS5 flushes its pending terms to a new segment at every savepoint: measures what that costs. */
function ftsSavepointCost(corpus: Corpus, rows: number): CoreBenchResult['ftsSavepointCost'] {
  const texts = Array.from({ length: rows }, (_, i) => searchableText(corpus.entry(i)));
  const rate = (perRowSavepoint: boolean) => {
    const db = new Database(':memory:');
    db.exec('CREATE VIRTUAL TABLE bare USING fts5(title, body)');
    const insert = db.prepare('INSERT INTO bare (title, body) VALUES (?, ?)');
    const one = db.transaction((t: string, b: string) => insert.run(t, b));
    const t0 = now();
    db.transaction(() => {
      for (const t of texts) {
        if (perRowSavepoint) one(t.title, t.body);
        else insert.run(t.title, t.body);
      }
    })();
    const perSecond = rows / ((now() - t0) / 1000);
    db.close();
    return perSecond;
  };
  rate(false); // warm-up
  const plain = rate(false);
  const savepoint = rate(true);
  return { rows, plainRowsPerSecond: Math.round(plain), savepointRowsPerSecond: Math.round(savepoint), slowdown: round(plain / savepoint, 2) };
}

async function benchSearch(core: Core, bare: Database.Database, queries: BenchQuery[], rounds: number): Promise<CoreBenchResult['search']> {
  const bareStmt = bare.prepare<[string], { rowid: number; title: string }>(
    'SELECT rowid, title FROM bare WHERE bare MATCH ? ORDER BY bm25(bare) LIMIT 20',
  );
  const appQuery = async (q: string) => {
    const r = await core.dispatch('search.query', { q, limit: 20 });
    if (!r.ok) throw new Error(`search.query failed for ${JSON.stringify(q)}: ${r.error.code} ${r.error.message}`);
    return r.value as SearchResult;
  };
  // Warm-up: one pass over every query on both (page cache, statement caches, JIT).
  const appHits = new Map<string, number>();
  const bareHits = new Map<string, number>();
  for (const query of queries) {
    appHits.set(query.q, (await appQuery(query.q)).hits.length);
    bareHits.set(query.q, bareStmt.all(query.bare).length);
  }
  const app: number[] = [];
  const base: number[] = [];
  // CPU time of this process per query: what the work costs, whatever else the machine is running.
  const appCpu: number[] = [];
  const bareCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const c = process.cpuUsage(since);
    return (c.user + c.system) / 1000;
  };
  const perQuery = new Map<string, { app: number[]; bare: number[] }>();
  const cat = new Map<string, { app: number[]; bare: number[] }>();
  for (let round_ = 0; round_ < rounds; round_++) {
    for (const query of queries) {
      // Alternate which engine goes first, so neither always benefits from the other's cache warming.
      const runApp = async () => {
        const c = process.cpuUsage();
        const t = now();
        await appQuery(query.q);
        const ms = now() - t;
        appCpu.push(cpuMs(c));
        return ms;
      };
      const runBare = () => {
        const c = process.cpuUsage();
        const t = now();
        bareStmt.all(query.bare);
        const ms = now() - t;
        bareCpu.push(cpuMs(c));
        return ms;
      };
      let a: number;
      let b: number;
      if (round_ % 2 === 0) {
        a = await runApp();
        b = runBare();
      } else {
        b = runBare();
        a = await runApp();
      }
      app.push(a);
      base.push(b);
      const pq = perQuery.get(query.q) ?? { app: [], bare: [] };
      pq.app.push(a);
      pq.bare.push(b);
      perQuery.set(query.q, pq);
      const c = cat.get(query.category) ?? { app: [], bare: [] };
      c.app.push(a);
      c.bare.push(b);
      cat.set(query.category, c);
    }
  }
  const byCategory: CoreBenchResult['search']['byCategory'] = {};
  for (const [name, c] of cat) {
    const qs = queries.filter((q) => q.category === name);
    byCategory[name] = {
      app: summarize(c.app),
      bare: summarize(c.bare),
      appZeroHit: qs.filter((q) => appHits.get(q.q) === 0).length,
      bareZeroHit: qs.filter((q) => bareHits.get(q.q) === 0).length,
    };
  }
  const appS = summarize(app);
  const bareS = summarize(base);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const slowest = [...perQuery.entries()]
    .map(([q, s]) => ({ q, appMs: round(median(s.app)), bareMs: round(median(s.bare)) }))
    .sort((x, y) => y.appMs - x.appMs)
    .slice(0, 10);
  return {
    queries: queries.length,
    rounds,
    app: appS,
    bare: bareS,
    ratioP50: round(appS.p50 / bareS.p50, 2),
    ratioP95: round(appS.p95 / bareS.p95, 2),
    cpu: { app: summarize(appCpu), bare: summarize(bareCpu) },
    byCategory,
    appZeroHit: queries.filter((q) => appHits.get(q.q) === 0).length,
    bareZeroHit: queries.filter((q) => bareHits.get(q.q) === 0).length,
    slowest,
  };
}

/** A word no README contains: `zq` + letters from a seeded generator. */
export function uniqueWord(rng: () => number): string {
  let w = 'zq';
  for (let k = 0; k < 8; k++) w += String.fromCharCode(97 + Math.floor(rng() * 26));
  return w;
}

async function benchCapture(core: Core, samples: number): Promise<CoreBenchResult['capture']> {
  const rng = mulberry32(99);
  const total: number[] = [];
  const save: number[] = [];
  const search: number[] = [];
  let found = 0;
  for (let k = 0; k < samples; k++) {
    const word = uniqueWord(rng);
    const t0 = now();
    const created = await core.dispatch('entries.create', {
      body: `Quick capture ${k}: remember to look at ${word} before the review #til`,
      source: 'capture',
    });
    const t1 = now();
    if (!created.ok) throw new Error(`entries.create failed: ${created.error.message}`);
    const r = await core.dispatch('search.query', { q: word, limit: 20 });
    const t2 = now();
    if (!r.ok) throw new Error(`search.query failed: ${r.error.message}`);
    if ((r.value as SearchResult).hits[0]?.entry.id === (created.value as Entry).id) found++;
    save.push(t1 - t0);
    search.push(t2 - t1);
    total.push(t2 - t0);
  }
  return { samples, total: summarize(total), save: summarize(save), search: summarize(search), found };
}

/**
 * Imports more entries the way the measured import did, inside an outer transaction that is rolled
 * back: profiles without changing the journal. The corpus's person entries are skipped (they exist).
 */
async function profileImport(core: Core, pool: TextPool, count: number, seed: number): Promise<NonNullable<CoreBenchResult['profile']>['import']> {
  const extra = new Corpus(pool, { n: count + PEOPLE.length, seed: seed + 1 });
  // New entries, not re-saves: a distinct source ref, and bookmarks of pages the journal does not have
  // yet (the corpus's URLs are all taken by now, and saving one again would merge into it).
  const relabelled = {
    entry: (i: number) => {
      const e = extra.entry(i);
      let bookmark = e.bookmark;
      if (bookmark) {
        const url = new URL(bookmark.url);
        url.searchParams.set('outloud-profile', String(i));
        bookmark = { ...bookmark, url: url.href };
      }
      return { ...e, sourceRef: `profile-${i}`, ...(bookmark ? { bookmark } : {}) };
    },
  } as Corpus;
  const rollback = new Error('rollback');
  let seconds = 0;
  const stop = profileStatements(core.db);
  let sql: SqlProfile | undefined;
  const cpu = await cpuProfile(() => {
    try {
      core.db.transaction(() => {
        const t0 = now();
        importChunked(core, relabelled, PEOPLE.length, PEOPLE.length + count, 2_000);
        seconds = (now() - t0) / 1000;
        throw rollback;
      }).immediate();
    } catch (error) {
      if (error !== rollback) throw error;
    } finally {
      sql = stop();
    }
  }, REPO_ROOT);
  return { entries: count, method: importMethod(core, 2_000), entriesPerSecond: Math.round(count / seconds), sql: sql!, cpu };
}

/** One instrumented pass of the query set: which statements and functions a search spends its time in. */
async function profileSearch(core: Core, queries: BenchQuery[]): Promise<NonNullable<CoreBenchResult['profile']>['search']> {
  const stop = profileStatements(core.db);
  let sql: SqlProfile | undefined;
  const cpu = await cpuProfile(async () => {
    try {
      for (let round_ = 0; round_ < 2; round_++) for (const q of queries) await core.dispatch('search.query', { q: q.q, limit: 20 });
    } finally {
      sql = stop();
    }
  }, REPO_ROOT);
  return { queries: queries.length * 2, sql: sql!, cpu };
}

async function loadFuzzyBench(): Promise<((core: Core, corpus: Corpus) => Promise<FuzzyBench>) | null> {
  const file = path.join(REPO_ROOT, 'electron/core/search/fuzzy.ts');
  if (!fs.existsSync(file)) return null;
  const mod = (await import('./fuzzy.bench.ts')) as { benchFuzzy: (core: Core, corpus: Corpus) => Promise<FuzzyBench> };
  return mod.benchFuzzy;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--fill-bare') {
    const a = parseArgs(['--data-dir', '-', '--out', '-', ...argv.slice(2)]);
    const pool = a.pool ? readTextPool(a.pool) : loadTextPool(path.join(REPO_ROOT, 'node_modules'));
    fillBare(argv[1]!, new Corpus(pool, { n: a.n, seed: a.seed }));
    return;
  }
  const args = parseArgs(argv);
  fs.mkdirSync(args.dataDir, { recursive: true });
  const pool = args.pool ? readTextPool(args.pool) : loadTextPool(path.join(REPO_ROOT, 'node_modules'));
  const corpus = new Corpus(pool, { n: args.n, seed: args.seed });
  const queries = buildQueries(pool);
  sampleMemory('corpus loaded');
  log(`corpus: ${pool.files} READMEs, ${pool.paragraphs.length} paragraphs, ${pool.headings.length} headings, ${pool.urls.length} URLs (fingerprint ${pool.fingerprint})`);

  const core = openCore({ dataDir: args.dataDir });
  const existing = (core.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  if (existing > 0) throw new Error(`${args.dataDir} already holds a journal; the benchmark needs an empty folder`);

  // 1. Bulk import.
  const chunk = 2_000;
  const tImport = now();
  let nextLog = 0;
  importChunked(core, corpus, 0, args.n, chunk, (done) => {
    if (done >= nextLog || done === args.n) {
      const s = (now() - tImport) / 1000;
      log(`import ${done.toLocaleString('en')}/${args.n.toLocaleString('en')}  ${Math.round(done / s).toLocaleString('en')} entries/s`);
      nextLog = done + Math.max(chunk, Math.ceil(args.n / 10));
      sampleMemory(`import ${done}`);
    }
  });
  const importSeconds = (now() - tImport) / 1000;
  sampleMemory('after import');
  const afterImport = fileSizes(core.databasePath);
  const entriesInDb = (core.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;

  // 2. The baseline: a bare FTS5 table with the same text (filled by a child process).
  const bareFile = path.join(args.dataDir, 'bare-baseline.sqlite');
  const tBare = now();
  fillBareInChild(bareFile, args.n, args.pool, corpus.seed);
  const bareSeconds = (now() - tBare) / 1000;
  const bare = new Database(bareFile, { readonly: true });
  log(`bare FTS5 baseline filled: ${Math.round(args.n / bareSeconds).toLocaleString('en')} rows/s`);
  sampleMemory('after bare fill');

  // 3. Search latency, both engines, same queries.
  const rounds = args.n >= 1_000_000 ? 2 : 3;
  const search = await benchSearch(core, bare, queries, rounds);
  log(`search: app p50 ${search.app.p50} ms p95 ${search.app.p95} ms; bare p50 ${search.bare.p50} ms p95 ${search.bare.p95} ms`);
  sampleMemory('after search');
  bare.close();

  // 4. Capture to searchable.
  const capture = await benchCapture(core, 200);
  log(`capture-to-searchable: p50 ${capture.total.p50} ms p95 ${capture.total.p95} ms (${capture.found}/${capture.samples} found first)`);
  sampleMemory('after capture');

  // Peak RSS of the app's work (import, search, capture): read before the benchmark's own extra
  // indexes and profilers below add to it.
  const peakRss = peakRssMb();
  const database = { ...fileSizes(core.databasePath), totalMb: 0, afterImport };
  database.totalMb = round(database.fileMb + database.walMb, 1);

  // 5. Fuzzy lookups (people, titles), when the search module provides them.
  const fuzzyBench = await loadFuzzyBench();
  const fuzzy: CoreBenchResult['fuzzy'] = fuzzyBench ? await fuzzyBench(core, corpus) : { skipped: 'electron/core/search/fuzzy.ts does not exist yet' };
  if ('titles' in fuzzy) {
    for (const f of [fuzzy.titles, fuzzy.headings]) log(`fuzzy (${f.index}, ${f.items} items): ${f.typoHitRateTop5}% of one-typo queries in top 5, p95 ${f.latency.p95} ms`);
    log(`people.find: ${fuzzy.people.hitRateTop5}% in top 5, p95 ${fuzzy.people.latency.p95} ms`);
  } else log(`fuzzy: skipped (${fuzzy.skipped})`);
  sampleMemory('after fuzzy');
  const afterSave = await benchAfterSave(core, 10);
  log(`after a save: titles.find p50 ${afterSave.titlesFind.p50} ms (${afterSave.titlesFindAgain.p50} ms with no save between), journal.stats p50 ${afterSave.stats.p50} ms; entries.get of the entry with ${afterSave.mostLinked.backlinks} backlinks p50 ${afterSave.mostLinked.get.p50} ms`);

  // 6. Import profile (after the peak-RSS reading; rolled back, so the journal is unchanged).
  const ftsCost = ftsSavepointCost(corpus, Math.min(args.n, 10_000));
  let profile: CoreBenchResult['profile'];
  if (args.profile) {
    const importProfile = await profileImport(core, pool, Math.min(5_000, args.n), corpus.seed);
    log(`import profile: ${importProfile.entriesPerSecond.toLocaleString('en')} entries/s under instrumentation`);
    profile = { import: importProfile, search: await profileSearch(core, queries) };
  }
  core.close();

  // The cold-open child searches for a common word with a filter-free query.
  const coldQuery = queries.find((q) => q.category === 'term')?.q ?? 'install';
  const result: CoreBenchResult = {
    n: args.n,
    entriesInDb,
    corpus: {
      files: pool.files,
      bytes: pool.bytes,
      paragraphs: pool.paragraphs.length,
      headings: pool.headings.length,
      urls: pool.urls.length,
      fingerprint: pool.fingerprint,
      seed: corpus.seed,
    },
    import: {
      method: importMethod(core, chunk),
      chunk,
      seconds: round(importSeconds, 2),
      entriesPerSecond: Math.round(args.n / importSeconds),
      rssAfterMb: memorySamples.find((s) => s.phase === 'after import')!.rssMb,
    },
    bareFill: { seconds: round(bareSeconds, 2), rowsPerSecond: Math.round(args.n / bareSeconds) },
    ftsSavepointCost: ftsCost,
    search,
    capture,
    fuzzy,
    afterSave,
    database,
    memory: { peakRssMb: peakRss, samples: memorySamples },
    profile,
    coldQuery,
  };
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`core bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
