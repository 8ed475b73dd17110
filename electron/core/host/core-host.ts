/**
 * Client side of the core host: starts core.worker.ts in a worker thread and turns contract calls
 * into messages. The Electron main process uses this so the database never runs on its thread; it
 * has the same `dispatch` as the in-process core, so the HTTP server can take either.
 */
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Result } from '../../../shared/api/errors.ts';
import type { ImportTuning } from '../files/journal-import-read.ts';
import type { ExportFileReport, ExportProgress, ImportProgress, ImportReport } from '../../../shared/domain/journal.ts';
import { codeCacheFile, userCacheDir } from './code-cache.ts';
import type { ClientMessage, CoreWorkerData, HostMessage } from './protocol.ts';

export interface CoreHostOptions {
  dataDir: string;
  /**
   * The worker script. Default: core.worker.ts beside this file (plain Node runs it with type
   * stripping). The Electron build passes its bundle, `core.worker-<hash>.cjs` (electron.vite.config.ts),
   * which starts with a V8 code cache (see `loadBundle`).
   */
  workerFile?: string;
  /** Where a bundle's code cache lives; default the per-user cache folder (code-cache.ts), null for none. */
  codeCacheDir?: string | null;
  /**
   * The script of the thread the doctor's checks run in (services/doctor-thread.ts), which the worker
   * starts. Default: doctor.worker.ts from the sources; the Electron build passes its bundle of it.
   */
  doctorWorkerFile?: string;
  /** The script of the thread a file import reads in (files/journal-import-thread.ts), likewise. */
  importWorkerFile?: string;
  /** Knobs of a file import, for tests; the defaults are what users get. */
  importTuning?: ImportTuning;
}

export interface CoreHost {
  readonly databasePath: string;
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
  /**
   * Writes the whole journal to `path` as an export, streamed by the worker (files/journal-files.ts).
   * `onProgress` hears the items written; `signal` stops it (CANCELLED, the target as it was).
   */
  exportTo(path: string, onProgress?: (progress: ExportProgress) => void, signal?: AbortSignal): Promise<Result<ExportFileReport>>;
  /**
   * Imports the export at `path`, streamed and in batches; calls made meanwhile run between batches.
   * `onProgress` hears how far it has come; `signal` cancels it (CANCELLED; files/journal-files.ts).
   */
  importFrom(path: string, onProgress?: (progress: ImportProgress) => void, signal?: AbortSignal): Promise<Result<ImportReport>>;
  /** Called once if the worker stops unexpectedly (calls then answer INTERNAL). */
  onExit(listener: (code: number) => void): void;
  /** Closes the database and stops the worker. */
  close(): Promise<void>;
}

export class CoreHostStartError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CoreHostStartError';
    this.code = code;
  }
}

export function defaultWorkerFile(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'core.worker.ts');
}

const stopped = (message: string): Result<unknown> => ({ ok: false, error: { code: 'INTERNAL', message } });

/**
 * Runs in the worker thread, as its whole (eval) script, so it uses nothing from this module: runs the
 * CommonJS bundle `workerData.bundle.file` with a V8 code cache taken after the first call is answered,
 * so it holds every function opening the journal and that call compiled, not only the top level (what
 * Node's own compile cache keeps): the worker was ready ~15 ms sooner than with Node's cache and
 * ~30 ms sooner than with none (measured, 100,000-entry journal). V8 checks a cache against the
 * source's length only, so it is stamped with the bundle's mtime and size and this V8; one from
 * another build is replaced. The same scheme as the `outloud` bin (electron/core/cli/outloud.cjs).
 */
function loadBundle(): void {
  const fs = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  const vm = process.getBuiltinModule('node:vm');
  const { createRequire } = process.getBuiltinModule('node:module');
  const { parentPort, workerData, threadId } = process.getBuiltinModule('node:worker_threads');
  const { file, cacheFile } = (workerData as CoreWorkerData).bundle!;
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const stamp = Buffer.from(`${stat.mtimeMs}:${stat.size}:${process.versions.v8}:${process.arch}\n`);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      const stored = fs.readFileSync(cacheFile);
      if (stored.subarray(0, stamp.length).equals(stamp)) cachedData = stored.subarray(stamp.length);
    } catch {
      // the first start of this build
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(file), bundleModule, file, path.dirname(file));
  if (!cacheFile || (cachedData && !script.cachedDataRejected)) return;
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const partial = `${cacheFile}.${process.pid}-${threadId}.partial`;
      fs.writeFileSync(partial, Buffer.concat([stamp, script.createCachedData()]));
      fs.renameSync(partial, cacheFile); // a reader sees the old file or the new one, never half of one
    } catch {
      // an unwritable cache folder: the next start compiles again
    }
  };
  // Listening after the bundle did: its handler answers a call first (the answer goes out in a
  // microtask, before this timer), and closes the journal before a `close` saves here.
  parentPort!.on('message', (message: ClientMessage) => {
    if (message.type === 'close') save();
    else setTimeout(save, 0);
  });
}

/**
 * Pipes a thread's output into this process's as Node itself does for a Worker not given `stdout` or
 * `stderr`: without the warning about many listeners (each thread adds its own to the destination).
 * (A pipe never ends process.stdout or process.stderr.)
 */
function pipeOutput(source: Readable, destination: Writable): void {
  const max = destination.getMaxListeners();
  destination.setMaxListeners(Infinity);
  source.pipe(destination);
  destination.setMaxListeners(max);
}

export function startCoreHost(options: CoreHostOptions): Promise<CoreHost> {
  const file = options.workerFile ?? defaultWorkerFile();
  const workerData: CoreWorkerData = {
    dataDir: options.dataDir,
    ...(options.doctorWorkerFile ? { doctorWorkerFile: options.doctorWorkerFile } : {}),
    ...(options.importWorkerFile ? { importWorkerFile: options.importWorkerFile } : {}),
    ...(options.importTuning ? { importTuning: options.importTuning } : {}),
  };
  // better-sqlite3 reads it from the process's environment when its addon loads, in the worker too,
  // which sees no change made to its own copy of process.env (see connection.ts, `immutable` opens).
  process.env.SQLITE_USE_URI ??= '1';
  // The thread's stdout and stderr are piped into this process's below, once the thread has started:
  // Node pipes them in the Worker constructor, before it starts the thread, and making process.stdout
  // and process.stderr there (sockets, when they are pipes) started the thread ~2 ms later (measured:
  // worker ready 2.0 ms sooner, cold-open bench); now they are made while it boots.
  const stdio = { stdout: true, stderr: true };
  let worker: Worker;
  if (file.endsWith('.cjs')) {
    const cacheDir = options.codeCacheDir === undefined ? userCacheDir() : options.codeCacheDir;
    workerData.bundle = { file, cacheFile: cacheDir ? codeCacheFile(cacheDir, file) : null };
    worker = new Worker(`(${loadBundle.toString()})()`, { eval: true, workerData, name: 'outloud-core', ...stdio });
  } else {
    worker = new Worker(file, { workerData, name: 'outloud-core', ...stdio });
  }
  pipeOutput(worker.stdout, process.stdout);
  pipeOutput(worker.stderr, process.stderr);
  const pending = new Map<number, (result: Result<unknown>) => void>();
  // Each request's listener hears its own kind: the worker sends an export's progress for an export.
  const progressListeners = new Map<number, (progress: ImportProgress | ExportProgress) => void>();
  const exitListeners: Array<(code: number) => void> = [];
  let nextId = 1;
  let alive = true;
  let closing: Promise<void> | null = null;

  const send = (message: ClientMessage) => worker.postMessage(message);

  const failPending = (message: string) => {
    for (const resolve of pending.values()) resolve(stopped(message));
    pending.clear();
    progressListeners.clear();
  };

  return new Promise<CoreHost>((resolve, reject) => {
    let started = false;

    worker.on('message', (message: HostMessage) => {
      switch (message.type) {
        case 'ready':
          started = true;
          resolve(host(message.databasePath));
          break;
        case 'failed':
          void worker.terminate();
          reject(new CoreHostStartError(message.code, message.message));
          break;
        case 'progress':
          progressListeners.get(message.id)?.(message.progress);
          break;
        case 'result': {
          const done = pending.get(message.id);
          pending.delete(message.id);
          progressListeners.delete(message.id);
          done?.(message.result);
          break;
        }
        case 'closed':
          break;
      }
    });
    worker.on('error', (error) => {
      if (!started) reject(new CoreHostStartError('INTERNAL', `The journal process failed to start: ${error.message}`));
      failPending(`The journal process failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      alive = false;
      if (!started) reject(new CoreHostStartError('INTERNAL', `The journal process exited with code ${code} before it was ready.`));
      failPending('The journal process stopped.');
      if (!closing) for (const listener of exitListeners.splice(0)) listener(code);
    });

    /** Sends a message that the worker answers with a `result` of the same id. */
    const request = <T>(message: (id: number) => ClientMessage): Promise<Result<T>> => {
      if (!alive || closing) return Promise.resolve(stopped('The journal is closed.') as Result<T>);
      const id = nextId++;
      return new Promise<Result<T>>((done) => {
        pending.set(id, done as (result: Result<unknown>) => void);
        try {
          send(message(id));
        } catch (error) {
          // Input that cannot be cloned (a function, a symbol) is invalid input.
          pending.delete(id);
          progressListeners.delete(id);
          done({ ok: false, error: { code: 'VALIDATION', message: `Input cannot be sent: ${(error as Error).message}` } });
        }
      });
    };

    /** A file request: its progress goes to `onProgress`, and `signal` sends the worker a cancel. */
    const fileRequest = <P,>(id: number, op: 'export' | 'import', file: string, onProgress?: (progress: P) => void, signal?: AbortSignal): ClientMessage => {
      if (onProgress) progressListeners.set(id, onProgress as (progress: ImportProgress | ExportProgress) => void);
      if (signal) {
        const cancel = () => {
          if (alive && pending.has(id)) send({ type: 'cancel', id });
        };
        // A signal aborted already cancels a microtask later, after the request itself has gone.
        if (signal.aborted) queueMicrotask(cancel);
        else signal.addEventListener('abort', cancel, { once: true });
      }
      return { type: 'file', id, op, path: file };
    };

    const host = (databasePath: string): CoreHost => ({
      databasePath,
      dispatch: (method, input) => request((id) => ({ type: 'call', id, method, input })),
      exportTo: (file, onProgress, signal) => request((id) => fileRequest(id, 'export', file, onProgress, signal)),
      importFrom: (file, onProgress, signal) => request((id) => fileRequest(id, 'import', file, onProgress, signal)),
      onExit(listener) {
        exitListeners.push(listener);
      },
      close() {
        closing ??= new Promise<void>((done) => {
          if (!alive) return done();
          const timer = setTimeout(() => void worker.terminate(), 5_000);
          worker.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          send({ type: 'close' });
        });
        return closing;
      },
    });
  });
}
