/**
 * The core host: a worker thread that owns the better-sqlite3 connection and answers contract calls,
 * so a long query, import or backup never blocks the Electron main process (which drives every
 * window). Started by core-host.ts; Node only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openCore, toApiError, type Core } from '../core.ts';
import { journalFiles, type JournalFiles } from '../files/journal-files.ts';
import type { ExportProgress, ImportProgress } from '../../../shared/domain/journal.ts';
import type { ClientMessage, CoreWorkerData, HostMessage } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('core.worker.ts must run as a worker thread.');

const post = (message: HostMessage) => port.postMessage(message);
const { dataDir, doctorWorkerFile, importWorkerFile, importTuning } = workerData as CoreWorkerData;

let core: Core | null = null;
let files: JournalFiles | null = null;
/** File requests under way that a `cancel` can stop (imports and exports), by request id. */
const cancellable = new Map<number, AbortController>();
try {
  core = openCore({ dataDir, doctorWorkerFile, importWorkerFile });
  files = journalFiles(core, { tuning: importTuning });
  post({ type: 'ready', databasePath: core.databasePath });
} catch (error) {
  const apiError = toApiError(error);
  post({ type: 'failed', code: apiError.code, message: apiError.message });
}

port.on('message', (message: ClientMessage) => {
  if (message.type === 'cancel') {
    cancellable.get(message.id)?.abort();
    return;
  }
  if (message.type === 'close') {
    // An import stops before its next batch, an export before its next chunk, rather than finding the journal closed under them.
    for (const controller of cancellable.values()) controller.abort();
    core?.close();
    core = null;
    files = null;
    post({ type: 'closed' });
    port.close();
    return;
  }
  if (message.type === 'call') {
    const { id, method, input } = message;
    if (!core) {
      post({ type: 'result', id, result: { ok: false, error: { code: 'INTERNAL', message: 'The journal is not open.' } } });
      return;
    }
    // dispatch never throws; calls run one after another on this thread, in arrival order.
    void core.dispatch(method, input).then((result) => {
      try {
        post({ type: 'result', id, result });
      } catch (error) {
        // A value that cannot be cloned is a bug in a service; say so instead of leaving the call hanging.
        post({ type: 'result', id, result: { ok: false, error: toApiError(error) } });
      }
    });
  }
  if (message.type === 'file') {
    const { id, op, path } = message;
    if (!files) {
      post({ type: 'result', id, result: { ok: false, error: { code: 'INTERNAL', message: 'The journal is not open.' } } });
      return;
    }
    // An import awaits between its batches: calls that arrive meanwhile run in between.
    const progress = (p: ImportProgress | ExportProgress) => post({ type: 'progress', id, progress: p });
    const controller = new AbortController();
    cancellable.set(id, controller);
    void (op === 'export' ? files.exportTo(path, progress, controller.signal) : files.importFrom(path, progress, controller.signal)).then((result) => {
      cancellable.delete(id);
      post({ type: 'result', id, result });
    });
  }
});
