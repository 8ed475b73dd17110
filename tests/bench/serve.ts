/**
 * Browser mode for the benchmark, wired as `outloud serve` wires it (the core in this process, the
 * loopback HTTP server in front), in a process of its own so the browser driver never shares its
 * event loop. Prints one JSON line with the URL, then serves until SIGTERM/SIGINT.
 *
 *   node tests/bench/serve.ts DATA_DIR RENDERER_DIR
 */
import { openCore } from '../../electron/core/core.ts';
import { startHttpServer } from '../../electron/core/http/server.ts';
import { journalFiles } from '../../electron/core/files/journal-files.ts';

const [dataDir, rendererDir] = process.argv.slice(2);
if (!dataDir || !rendererDir) {
  process.stderr.write('usage: serve.ts DATA_DIR RENDERER_DIR\n');
  process.exit(2);
}
const core = openCore({ dataDir });
const server = await startHttpServer({ core, files: journalFiles(core), port: 0, rendererDir });
const url = server.url.includes('#token=') ? server.url : `${server.url.replace(/\/$/, '')}/#token=${server.token}`;
process.stdout.write(`${JSON.stringify({ url, origin: server.origin })}\n`);
const stop = async () => {
  await server.close();
  core.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
