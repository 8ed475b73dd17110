/**
 * Runs the reading of an import's batches (journal-import-read.ts) in a thread of its own
 * (journal-import.worker.ts) and hands them to the writing side on this thread, in order: the next
 * batch is read, parsed and validated there while this one is written here.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ERROR_CODES, OutloudError, type ErrorCode } from '../../../shared/api/errors.ts';
import type { ImportPart } from '../services/journal.service.ts';
import { ImportReadStop, type BatchSink, type CheckedImport, type ImportTuning } from './journal-import-read.ts';

/**
 * Batches the reader keeps posted but not yet written: one being written and the next one ready. More
 * would only hold more of the file in memory, since writing is the slower side.
 */
export const READ_AHEAD = 2;

/**
 * The reader's heap: a young generation of 4 MB and a bound on the old one keep V8 from growing it
 * for garbage it could collect (the 100,000-entry benchmark export: peak RSS of `outloud import`
 * 211-230 MB with Node's defaults, 185-189 MB with these, in the same time). The bound is far above
 * what the reader holds (~25 MB), so an element as large as a file may hold (MAX_ITEM_BYTES) parses.
 */
const READER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 };

export interface ImportReaderData {
  file: string;
  tuning: ImportTuning;
}

/** An error as it crosses from the reader's thread: enough to make it again on this side. */
export type ReadError = { kind: 'outloud'; code: string; message: string } | { kind: 'stop'; reason: string | null } | { kind: 'other'; message: string };

export type ReaderMessage = { type: 'batch'; part: ImportPart } | { type: 'end' } | { type: 'error'; error: ReadError };

/**
 * To the reader: start reading (the file passed the check), posting what it reads to `port`; or a
 * batch was written, the next of `nextSize` items.
 */
export type WriterMessage = { type: 'start'; links: CheckedImport['links']; port: MessagePort } | { type: 'written'; nextSize?: number };

export function describeReadError(error: unknown): ReadError {
  if (error instanceof ImportReadStop) return { kind: 'stop', reason: error.reason };
  if (error instanceof OutloudError) return { kind: 'outloud', code: error.code, message: error.message };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

function revive(error: ReadError): Error {
  if (error.kind === 'stop') return new ImportReadStop(error.reason);
  if (error.kind === 'outloud' && (ERROR_CODES as readonly string[]).includes(error.code)) return new OutloudError(error.code as ErrorCode, error.message);
  return new OutloudError('INTERNAL', `The import's reader failed: ${error.message}`);
}

/**
 * The reader's worker script from the sources, beside this file (plain Node strips its types). The
 * builds pass their own bundle of it instead (openCore's `importWorkerFile`), as they do the doctor's.
 */
export function defaultImportWorkerFile(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'journal-import.worker.ts');
}

export interface ImportReader {
  /**
   * readImportBatches in the reader's thread, handing `sink` each batch. Throws as it does; `signal`
   * stops it before the next batch (an ImportReadStop without a reason).
   */
  read(links: CheckedImport['links'], sink: BatchSink, signal?: AbortSignal): Promise<void>;
  /** Ends the thread (whether it read or not). */
  stop(): void;
}

/**
 * Starts the reader's thread for `file`, to read once the file has passed the check (`read`): the
 * thread starts up while the check runs.
 */
export function startImportReader(file: string, workerFile: string, tuning: ImportTuning = {}): ImportReader {
  const worker = new Worker(workerFile, { workerData: { file, tuning } satisfies ImportReaderData, name: 'outloud-import-reader', resourceLimits: READER_LIMITS });
  let exited: Error | undefined;
  let onExit: ((error: Error) => void) | undefined;
  const stopped = (error: Error) => {
    exited ??= error;
    onExit?.(exited);
  };
  worker.once('error', (error) => stopped(new OutloudError('INTERNAL', `The import's reader failed: ${error.message}`)));
  worker.once('exit', (code) => stopped(new OutloudError('INTERNAL', `The import's reader stopped before the end of the file (exit code ${code}).`)));
  // What the reader posts comes through a channel of its own (given it with `start`), so that a
  // transaction can take a batch that is ready without leaving this turn of the event loop
  // (receiveMessageOnPort).
  const { port1: port, port2 } = new MessageChannel();
  return {
    read: (links, sink, signal) =>
      new Promise<void>((resolve, reject) => {
        let settled = false;
        const settle = (error?: unknown) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          port.close();
          if (error === undefined) resolve();
          else reject(error);
        };
        // Cancelled: the writing side words it, knowing how far it came (a batch waiting to begin stops at it too).
        const onAbort = () => settle(new ImportReadStop(null));
        // The messages in order, each handled once the one before is (a batch waits for the one before it).
        const inbox: ReaderMessage[] = [];
        /** The next batch, if the reader has posted it: taken for the transaction under way. */
        const ready = (): ImportPart | undefined => {
          if (settled) return undefined;
          if (inbox.length === 0) {
            const got = receiveMessageOnPort(port) as { message: ReaderMessage } | undefined;
            if (!got) return undefined;
            inbox.push(got.message);
          }
          const next = inbox[0]!;
          if (next.type !== 'batch') return undefined; // the end, or an error: handled in turn
          inbox.shift();
          worker.postMessage({ type: 'written' } satisfies WriterMessage); // the batch before it is written
          return next.part;
        };
        let handling = false;
        const handleInbox = async () => {
          if (handling) return;
          handling = true;
          try {
            for (let message = inbox.shift(); message && !settled; message = inbox.shift()) {
              if (message.type === 'batch') {
                const nextSize = await sink.batch(message.part, ready);
                worker.postMessage({ type: 'written', nextSize } satisfies WriterMessage);
              } else if (message.type === 'end') settle();
              else settle(revive(message.error));
            }
          } catch (error) {
            settle(error ?? new Error('the import stopped'));
          } finally {
            handling = false;
          }
        };
        const onMessage = (message: ReaderMessage) => {
          inbox.push(message);
          void handleInbox();
        };
        if (exited) return settle(exited);
        if (signal?.aborted) return settle(new ImportReadStop(null));
        onExit = settle;
        signal?.addEventListener('abort', onAbort, { once: true });
        port.on('message', onMessage);
        worker.postMessage({ type: 'start', links, port: port2 } satisfies WriterMessage, [port2]);
      }),
    stop: () => {
      onExit = undefined;
      port.close();
      void worker.terminate();
    },
  };
}
