/**
 * Client side of the core host: starts core.worker.ts in a worker thread and turns contract calls
 * into messages. The Electron main process uses this so the database never runs on its thread; it
 * has the same `dispatch` as the in-process core, so the HTTP server can take either.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Result } from '../../../shared/api/errors.ts';
import type { ClientMessage, CoreWorkerData, HostMessage } from './protocol.ts';

export interface CoreHostOptions {
  dataDir: string;
  /**
   * The worker script. Default: core.worker.ts beside this file (plain Node runs it with type
   * stripping). The Electron build passes its bundled `core-worker.js`.
   */
  workerFile?: string;
}

export interface CoreHost {
  readonly databasePath: string;
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
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

export function startCoreHost(options: CoreHostOptions): Promise<CoreHost> {
  const workerData: CoreWorkerData = { dataDir: options.dataDir };
  const worker = new Worker(options.workerFile ?? defaultWorkerFile(), { workerData, name: 'outloud-core' });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const exitListeners: Array<(code: number) => void> = [];
  let nextId = 1;
  let alive = true;
  let closing: Promise<void> | null = null;

  const send = (message: ClientMessage) => worker.postMessage(message);

  const failPending = (message: string) => {
    for (const resolve of pending.values()) resolve(stopped(message));
    pending.clear();
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
        case 'result': {
          const done = pending.get(message.id);
          pending.delete(message.id);
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

    const host = (databasePath: string): CoreHost => ({
      databasePath,
      dispatch(method, input) {
        if (!alive || closing) return Promise.resolve(stopped('The journal is closed.'));
        const id = nextId++;
        return new Promise<Result<unknown>>((done) => {
          pending.set(id, done);
          try {
            send({ type: 'call', id, method, input });
          } catch (error) {
            // Input that cannot be cloned (a function, a symbol) is invalid input.
            pending.delete(id);
            done({ ok: false, error: { code: 'VALIDATION', message: `Input cannot be sent: ${(error as Error).message}` } });
          }
        });
      },
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
