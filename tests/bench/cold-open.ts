/**
 * Cold open + first result the way the packaged app gets it, in a fresh process started by run.ts:
 *
 *   node cold-open.mjs WORKER_FILE DATA_DIR QUERY
 *
 * run.ts bundles this file to JavaScript first (as electron-vite bundles the main process), so Node
 * does not strip types while the clock runs. It starts the core host as electron/main does
 * (startCoreHost with the built core worker, out/main/chunks/core.worker-*.cjs): a worker thread that
 * loads the bundled core, with the V8 code cache its first start left in the user's cache folder as
 * the installed app's would, and opens the journal. Then one search.query through it; prints one JSON
 * line with the in-process times (milliseconds, from performance.now()).
 */
const t0 = performance.now();
const { startCoreHost } = await import('../../electron/core/host/core-host.ts');
const tLoaded = performance.now();
const [workerFile, dataDir, query] = process.argv.slice(2);
if (!workerFile || !dataDir || !query) {
  process.stderr.write('usage: cold-open.mjs WORKER_FILE DATA_DIR QUERY\n');
  process.exit(2);
}
const host = await startCoreHost({ dataDir, workerFile });
const tReady = performance.now();
const result = await host.dispatch('search.query', { q: query, limit: 20 });
const tResult = performance.now();
const hits = result.ok ? (result.value as { hits: unknown[] }).hits.length : -1;
// Peak RSS of this process (main thread and core worker), from its own memory map (VmHWM).
const { readFileSync } = await import('node:fs');
const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
process.stdout.write(
  `${JSON.stringify({
    ok: result.ok,
    hits,
    error: result.ok ? undefined : result.error,
    // Node start-up until this script's first line ran.
    bootMs: t0,
    // Loading the host client (what the app's main process bundle holds).
    hostMs: tLoaded - t0,
    // startCoreHost until the worker said ready: thread start, loading the core bundle, opening the journal.
    workerReadyMs: tReady - tLoaded,
    firstSearchMs: tResult - tReady,
    inProcessMs: tResult,
    maxRssMb: hwm ? Math.round((Number(hwm[1]) / 1024) * 10) / 10 : -1,
  })}\n`,
);
await host.close();
