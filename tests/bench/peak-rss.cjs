// Loaded with `node --require` into a process the benchmark spawns: when that process exits, writes
// its peak resident set size in bytes (Linux VmHWM; elsewhere getrusage) to the file named by
// OUTLOUD_BENCH_PEAK_RSS_FILE. CommonJS without require(), so it adds nothing to what it measures.
'use strict';

const fs = process.getBuiltinModule('node:fs');
const out = process.env.OUTLOUD_BENCH_PEAK_RSS_FILE;
if (out) {
  process.once('exit', () => {
    let bytes = process.resourceUsage().maxRSS * 1024;
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      if (m) bytes = Number(m[1]) * 1024;
    } catch {
      // not Linux: getrusage's figure above
    }
    fs.writeFileSync(out, String(bytes));
  });
}
