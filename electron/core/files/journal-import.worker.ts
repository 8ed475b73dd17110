/**
 * The import's reader in a thread of its own (started by journal-import-thread.ts): once the file has
 * passed the check, reads it again, parses and validates each batch (journal-import-read.ts) and posts
 * it, while the journal's thread writes the batch before. It keeps at most READ_AHEAD batches
 * unwritten, so memory stays bounded however fast it reads. It opens no journal.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { readImportBatches, type CheckedImport } from './journal-import-read.ts';
import { describeReadError, READ_AHEAD, type ImportReaderData, type ReaderMessage, type WriterMessage } from './journal-import-thread.ts';

const port = parentPort;
if (!port) throw new Error('journal-import.worker.ts must run as a worker thread.');

const { file, tuning } = workerData as ImportReaderData;
/** Where what is read goes: the channel the writing side gave with `start`. */
let out: MessagePort | undefined;
const post = (message: ReaderMessage) => out!.postMessage(message);

let started = false;
let sent = 0;
let written = 0;
let nextSize: number | undefined;
let wake: (() => void) | undefined;

function start(links: CheckedImport['links']): void {
  started = true;
  readImportBatches(
    file,
    links,
    {
      async batch(part) {
        post({ type: 'batch', part });
        sent++;
        while (sent - written >= READ_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
        return nextSize;
      },
    },
    { tuning },
  ).then(
    () => post({ type: 'end' }),
    (error: unknown) => post({ type: 'error', error: describeReadError(error) }),
  );
}

port.on('message', (message: WriterMessage) => {
  if (message.type === 'start') {
    out ??= message.port;
    if (!started) start(message.links);
    return;
  }
  written++;
  if (message.nextSize !== undefined) nextSize = message.nextSize;
  wake?.();
});
