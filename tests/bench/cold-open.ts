/**
 * Cold open + first result, run in a fresh process by run.ts:
 *
 *   node tests/bench/cold-open.ts DATA_DIR QUERY
 *
 * Loads the core, opens the journal, runs one search and prints one JSON line with the in-process
 * times (milliseconds since this process started, from performance.now()).
 */
const t0 = performance.now();
const { openCore } = await import('../../electron/core/core.ts');
const tImported = performance.now();
const [dataDir, query] = process.argv.slice(2);
if (!dataDir || !query) {
  process.stderr.write('usage: cold-open.ts DATA_DIR QUERY\n');
  process.exit(2);
}
const core = openCore({ dataDir });
const tOpened = performance.now();
const result = await core.dispatch('search.query', { q: query, limit: 20 });
const tResult = performance.now();
const hits = result.ok ? (result.value as { hits: unknown[] }).hits.length : -1;
// Peak RSS of this process's own memory map (VmHWM); resourceUsage().maxRSS would include the parent's.
const { readFileSync } = await import('node:fs');
const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const maxRssMb = hwm ? Math.round((Number(hwm[1]) / 1024) * 10) / 10 : -1;
process.stdout.write(
  `${JSON.stringify({
    ok: result.ok,
    hits,
    error: result.ok ? undefined : result.error,
    // Node start-up until this script's first line ran.
    bootMs: t0,
    importMs: tImported - t0,
    openMs: tOpened - tImported,
    firstSearchMs: tResult - tOpened,
    inProcessMs: tResult,
    // Peak RSS of a process that loaded the core, opened the journal and searched once.
    maxRssMb,
  })}\n`,
);
core.close();
