/**
 * Peak memory of a search session, in a fresh process of its own (run by run.ts):
 *
 *   node tests/bench/search-memory.ts DATA_DIR QUERIES_JSON
 *
 * Opens the journal the benchmark built and runs the fixed query set three times, as full searches
 * and as quick answers while typing, then prints one JSON line: the process's peak RSS (VmHWM) and
 * its RSS before the journal was opened. The queries come from a file, so the corpus generator's
 * text never counts here; the core runs from its TypeScript sources, whose type stripping costs
 * some memory the packaged app (a bundle) does not use, so this is an upper bound.
 */
import fs from 'node:fs';
import { openCore } from '../../electron/core/core.ts';

const [dataDir, queriesFile] = process.argv.slice(2);
if (!dataDir || !queriesFile) {
  process.stderr.write('usage: search-memory.ts DATA_DIR QUERIES_JSON\n');
  process.exit(2);
}
const hwmMb = () => {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : -1;
};
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8')) as string[];
const beforeOpenMb = Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;
const core = openCore({ dataDir });
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
core.close();
process.stdout.write(`${JSON.stringify({ searches, beforeOpenMb, peakRssMb: hwmMb() })}\n`);
