/**
 * Peak memory of a search session, in a fresh process of its own (run by run.ts):
 *
 *   node search-memory.mjs DATA_DIR QUERIES_JSON [WORKER_FILE]
 *
 * Opens the journal the benchmark built and runs the fixed query set three times, as full searches
 * and as quick answers while typing, then prints one JSON line: the process's peak RSS (VmHWM, every
 * thread of it), its RSS before the journal was opened, and how the core ran. The queries come from a
 * file, so the corpus generator's text never counts here.
 *
 * With WORKER_FILE (the core worker electron-vite built), run.ts runs this file bundled to JavaScript
 * and the core runs as the packaged app runs it: that bundle in a worker thread (startCoreHost), each
 * search a message to it. Without (no build), the core runs in this thread from its TypeScript
 * sources, whose type stripping costs memory the app does not use: an upper bound.
 */
import fs from 'node:fs';
import type { Result } from '../../shared/api/errors.ts';

const [dataDir, queriesFile, workerFile] = process.argv.slice(2);
if (!dataDir || !queriesFile) {
  process.stderr.write('usage: search-memory.mjs DATA_DIR QUERIES_JSON [WORKER_FILE]\n');
  process.exit(2);
}
const hwmMb = () => {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : -1;
};
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8')) as string[];
const beforeOpenMb = Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;

interface Session {
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
  close(): void | Promise<void>;
}
async function open(): Promise<Session> {
  if (workerFile) {
    const { startCoreHost } = await import('../../electron/core/host/core-host.ts');
    return startCoreHost({ dataDir: dataDir!, workerFile });
  }
  const { openCore } = await import('../../electron/core/core.ts');
  return openCore({ dataDir: dataDir! });
}

const core = await open();
let searches = 0;
for (let round = 0; round < 3; round++) {
  for (const q of queries) {
    for (const quick of [false, true]) {
      const r = await core.dispatch('search.query', { q, limit: 20, asYouType: quick, quick });
      if (!r.ok) throw new Error(`search.query ${JSON.stringify(q)}: ${r.error.message}`);
      searches++;
    }
  }
}
await core.close();
const mode = workerFile ? 'core worker bundle' : 'sources';
process.stdout.write(`${JSON.stringify({ searches, beforeOpenMb, peakRssMb: hwmMb(), mode })}\n`);
