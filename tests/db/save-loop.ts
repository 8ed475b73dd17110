/**
 * A second process for the crash-safety and concurrent-writer tests: opens the core on a data
 * folder and saves notes in a loop, printing each id on its own line only after its save returned.
 *
 *   node tests/db/save-loop.ts --data-dir DIR [--count N] [--batch K] [--hold-ms MS] [--pause-ms MS] [--label L]
 *
 * --batch K saves K notes per transaction, and --hold-ms keeps that transaction (and so the write
 * lock) open a while longer, as a large import in the app would; --pause-ms waits between
 * transactions. Without --count it runs until
 * killed or until its stdin closes. Prints `ready` once the journal is open.
 */
import { parseArgs } from 'node:util';
import { openCore } from '../../electron/core/core.ts';
import { writeTransaction } from '../../electron/core/db/connection.ts';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    count: { type: 'string' },
    batch: { type: 'string', default: '1' },
    'hold-ms': { type: 'string', default: '0' },
    'pause-ms': { type: 'string', default: '0' },
    label: { type: 'string', default: 'loop' },
  },
});
if (!values['data-dir']) throw new Error('--data-dir is required');
const count = values.count === undefined ? Number.POSITIVE_INFINITY : Number(values.count);
const batch = Number(values.batch);
const holdMs = Number(values['hold-ms']);
const pauseMs = Number(values['pause-ms']);
const label = values.label;

let stopping = false;
process.stdin.on('end', () => (stopping = true)).resume();

const core = openCore({ dataDir: values['data-dir'] });
const write = (line: string) => process.stdout.write(`${line}\n`);
write('ready');

// Text long enough that a save touches several pages (entries, FTS segments, tags, links).
const filler = 'Working out loud means narrating the work as it happens so that others can find it later. '.repeat(12);
let saved = 0;
while (saved < count && !stopping) {
  const n = Math.min(batch, count - saved);
  // Waiting for the write lock as the app's saves do.
  const ids = writeTransaction(core.db, () => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = saved + i;
      const entry = core.services.entries.create({
        kind: 'note',
        body: `${label} note ${k} #crashsafety #${label} ${k % 3 === 0 ? `with @[Person ${k % 4}] ` : ''}${filler}`,
        source: 'api',
      });
      out.push(entry.id);
      // Now and then edit an earlier note: revisions and index updates are part of the load too.
      if (k % 4 === 3) core.services.entries.update({ id: out[0]!, body: `${label} note ${saved} edited #crashsafety ${filler}` });
    }
    if (holdMs > 0) {
      const until = Date.now() + holdMs;
      while (Date.now() < until) {
        // hold the write lock, as a long transaction in another process would
      }
    }
    return out;
  });
  // Only after the transaction committed: these ids are durable.
  for (const id of ids) write(id);
  saved += ids.length;
  // Between transactions the lock is free, as between an app's saves; this also lets the event
  // loop notice that stdin closed.
  await new Promise((resolve) => (pauseMs > 0 ? setTimeout(resolve, pauseMs) : setImmediate(resolve)));
}
core.close();
write(`done ${saved}`);
