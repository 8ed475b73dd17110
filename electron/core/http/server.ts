/**
 * Browser mode and local API: the contract over HTTP on the loopback interface, plus the built
 * renderer as static files.
 *
 * Who calls this: the CLI's `outloud serve` (electron/core/cli/) and the browser end-to-end tests.
 *
 *   import { openCore } from '../core.ts';
 *   import { startHttpServer } from '../http/server.ts';
 *   const core = openCore({ dataDir });
 *   const server = await startHttpServer({ core, port });      // port 0 / omitted: a free port
 *   console.log(`Open ${server.url}`);                           // http://127.0.0.1:<port>/#token=<token>
 *   process.on('SIGINT', async () => { await server.close(); core.close(); });
 *
 * `close()` stops the server only; the caller owns the core. `rendererDir` defaults to
 * `out/renderer` at the repository top (what `npm run build` writes); when it is missing, `/`
 * answers 404 with a line saying to build first, and the API still works.
 *
 * Threat model: any web page the user visits can send requests to 127.0.0.1, and a DNS-rebinding
 * page can even make them look same-origin. So: loopback bind only, a per-launch secret token that
 * only reaches the page through the URL fragment (never sent to a server, never in a log), an exact
 * Host check, an Origin check, JSON-only POSTs (a form or a "simple" request cannot send them
 * without a CORS preflight, which we never answer), no CORS headers, and a strict CSP on every page.
 * The API socket (SOCKET_PATH) gets the same Host and Origin checks and the same token: CORS does not
 * apply to WebSockets, so the Origin check is what keeps other sites' pages off it.
 *
 * Whole journals move as streamed files, with the same checks as an API call: `POST /api/files/export`
 * answers the export as a download, and `POST /api/files/import` takes an export file as the body (up to
 * `maxImportFileBytes`); both pass through a file of the data folder's scratch folder, never a path a page names.
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiError, ErrorCode, Result } from '../../../shared/api/errors.ts';
import { exportFileName, IMPORT_UNDER_WAY, type ExportProgress, type ImportProgress } from '../../../shared/domain/journal.ts';
import { SOCKET_PATH, SOCKET_PROTOCOL, SOCKET_TOKEN_PREFIX, TRANSFER_HEADER, TRANSFER_ID, type SocketAnswer, type SocketEvent } from '../../../shared/api/socket.ts';
import { fsMessage } from '../files/fs.ts';
// Types only from the core's graph (and fs.ts, which imports nothing): the CLI loads this module on
// demand for `serve`, and a value imported from the core would move the core out of the CLI's main
// bundle into a chunk shared with this one (measured: `outloud search` 98 -> 120 ms cold).
import type { JournalFiles } from '../files/journal-files.ts';
import { CONTENT_SECURITY_POLICY, cacheControlFor, lookupStaticFile } from './static-files.ts';
import { CLOSE, acceptWebSocket, offeredProtocols, refuseUpgrade, type WebSocketConnection } from './websocket.ts';

export { CONTENT_SECURITY_POLICY, SOCKET_PATH };

/** Anything that runs contract calls: the in-process core, or the worker host's client. */
export interface Dispatcher {
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
}

export interface HttpServerOptions {
  core: Dispatcher;
  /** 0 or omitted: the OS picks a free port. */
  port?: number;
  /** Only '127.0.0.1' is accepted: the API must never be reachable from another machine. */
  host?: string;
  /** The built renderer (default: `<repo>/out/renderer`). */
  rendererDir?: string;
  /** A fixed token (tests, or a caller that keeps one); default: 32 random bytes, base64url. */
  token?: string;
  /** Request body limit in bytes (default 8 MiB). */
  maxBodyBytes?: number;
  /** The journal as files: `/api/files/export` and `/api/files/import` answer 404 without it. */
  files?: JournalFiles;
  /** The largest file `/api/files/import` takes, in bytes (default IMPORT_FILE_MAX_BYTES). */
  maxImportFileBytes?: number;
  /** How long a request body may stall, no byte arriving, before it is refused (default BODY_IDLE_MS). */
  bodyIdleMs?: number;
  /** How long an API call's body may take to arrive in all (default BODY_TOTAL_MS); an import file's has no such limit. */
  bodyTotalMs?: number;
  /** How long a request's headers may take to arrive (default HEADERS_TIMEOUT_MS). */
  headersTimeoutMs?: number;
  /** How long a keep-alive connection may stay idle before it is closed (default: Node's 5 s, plus its 1 s of grace). */
  keepAliveTimeoutMs?: number;
}

export interface HttpServer {
  /** The URL to open in a browser, with the token in the fragment: `http://127.0.0.1:<port>/#token=…`. */
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/**
 * A request body that stalls this long is refused (408). An import file may take as long as it needs
 * while it keeps coming (4 GiB on a slow link is more than Node's whole-request timeout allowed), an
 * API call's body at most BODY_TOTAL_MS: slow-loris guards for the two kinds of body.
 */
export const BODY_IDLE_MS = 30_000;
/** A request whose headers have not all come in this long is dropped (408). */
export const HEADERS_TIMEOUT_MS = 20_000;
export const BODY_TOTAL_MS = 120_000;
/** `journal.import` carries a whole export: it alone may send up to this much. */
export const IMPORT_MAX_BODY_BYTES = 256 * 1024 * 1024;
/** The largest export file `/api/files/import` takes (4 GiB). */
export const IMPORT_FILE_MAX_BYTES = 4 * 1024 ** 3;
export const LOOPBACK_HOST = '127.0.0.1';

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  CONFLICT: 409,
  // An import stopped by its own client going away: seldom read, there is no one left to read it.
  CANCELLED: 409,
  UNAUTHORIZED: 401,
  DB_BUSY: 503,
};

/** The HTTP status for a result envelope: 200 for ok, otherwise by error code (500 when unlisted). */
export function statusForResult(result: Result<unknown>): number {
  return result.ok ? 200 : (STATUS_BY_CODE[result.error.code] ?? 500);
}

export function defaultRendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../out/renderer');
}

const API_PREFIX = '/api/';
const METHOD_PATH_RE = /^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*$/;
const EXPORT_FILE_PATH = '/api/files/export';
const IMPORT_FILE_PATH = '/api/files/import';
/** The client went away while its upload was coming in. */
const UPLOAD_CUT_SHORT = new Error('The upload was cut short.');

/** `4 GB`, `8 MB`, `1,000 bytes`. */
function sizeText(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  if (mb >= 1024) return `${Number((mb / 1024).toFixed(1))} GB`;
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${bytes.toLocaleString('en')} bytes`;
}

/** A refusal with an HTTP status and the result envelope as its body. */
class Refusal {
  readonly status: number;
  readonly error: ApiError;
  readonly headers: Record<string, string>;
  constructor(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    this.status = status;
    this.error = { code, message };
    this.headers = headers;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? LOOPBACK_HOST;
  if (host !== LOOPBACK_HOST) {
    throw new Error(`The Outloud server only listens on ${LOOPBACK_HOST} (refusing host ${JSON.stringify(host)}).`);
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  // It travels in a URL fragment and a header: URL-safe characters only, and long enough to be secret.
  if (!/^[A-Za-z0-9._~-]{16,512}$/.test(token)) throw new Error('The API token must be 16 to 512 URL-safe characters.');
  const tokenDigest = digest(token);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyIdleMs = options.bodyIdleMs ?? BODY_IDLE_MS;
  const bodyTotalMs = options.bodyTotalMs ?? BODY_TOTAL_MS;
  /** An import upload is being received: a second is refused before its body, as while one imports. */
  let importUploads = 0;
  const maxImportFileBytes = options.maxImportFileBytes ?? IMPORT_FILE_MAX_BYTES;
  const files = options.files;
  const rendererRoot = path.resolve(options.rendererDir ?? defaultRendererDir());
  const core = options.core;
  let port = 0;

  // Comparing fixed-length digests keeps the comparison constant-time whatever the length sent.
  const isToken = (value: string): boolean => timingSafeEqual(digest(value), tokenDigest);
  const tokenMatches = (header: string | undefined): boolean => {
    const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
    return !!match && isToken(match[1]!);
  };

  const send = (res: http.ServerResponse, status: number, headers: Record<string, string>, body?: string | Buffer) => {
    res.writeHead(status, { ...SECURITY_HEADERS, ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) });
    res.end(body);
  };

  const sendEnvelope = (res: http.ServerResponse, status: number, result: Result<unknown>, headers: Record<string, string> = {}) => {
    send(res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }, JSON.stringify(result));
  };

  const refuse = (res: http.ServerResponse, refusal: Refusal, isApi: boolean) => {
    if (isApi) sendEnvelope(res, refusal.status, { ok: false, error: refusal.error }, refusal.headers);
    else send(res, refusal.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...refusal.headers }, `${refusal.error.message}\n`);
  };

  /** DNS-rebinding defence: the browser must have addressed us by a loopback name and our port. */
  const checkHost = (req: http.IncomingMessage): Refusal | null => {
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}`) {
      return new Refusal(403, 'UNAUTHORIZED', 'Refused: unexpected Host header.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${hostHeader}`) {
      return new Refusal(403, 'UNAUTHORIZED', 'Refused: requests from another origin are not allowed.');
    }
    // Browsers send Sec-Fetch-Site on every request; anything but our own page (or the address bar) is refused.
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return new Refusal(403, 'UNAUTHORIZED', 'Refused: cross-site request.');
    }
    return null;
  };

  const readBody = (req: http.IncomingMessage, res: http.ServerResponse, maxBodyBytes: number): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        reject(new Refusal(413, 'VALIDATION', `Request body is too large (limit ${maxBodyBytes} bytes).`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clock.stop();
        settle();
      };
      const clock = bodyClock(bodyTotalMs, (refusal) => finish(() => reject(refusal)));
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        clock.arrived();
        size += chunk.length;
        if (size > maxBodyBytes) {
          finish(() => reject(new Refusal(413, 'VALIDATION', `Request body is too large (limit ${maxBodyBytes} bytes).`)));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => finish(() => resolve(Buffer.concat(chunks))));
      req.on('error', (error) => finish(() => reject(error)));
      continueIfAsked(req, res);
    });

  /**
   * The timers of a body on its way in: `refuse` hears a 408 when no byte has come for bodyIdleMs
   * (`arrived` says one came), or when the whole body took longer than `totalMs`.
   */
  function bodyClock(totalMs: number, refuse: (refusal: Refusal) => void) {
    let stopped = false;
    let heard = false;
    // Decided once the event loop has read what came meanwhile (setImmediate runs after its poll for
    // input): after this thread was busy with a long call, the timers fire before the bytes that
    // arrived in time are read, and a body that never stalled was refused.
    const late = (why: string, stalled: boolean) => () => {
      heard = false;
      setImmediate(() => {
        if (stopped || (stalled && heard)) return;
        refuse(new Refusal(408, 'IO', `The request body ${why}; nothing was done: send it again.`));
      });
    };
    const idle = setTimeout(late(`stalled (nothing came for ${bodyIdleMs / 1000} s)`, true), bodyIdleMs);
    const total = Number.isFinite(totalMs) ? setTimeout(late(`took longer than ${totalMs / 1000} s`, false), totalMs) : undefined;
    return {
      arrived() {
        heard = true;
        idle.refresh();
      },
      stop() {
        stopped = true;
        clearTimeout(idle);
        clearTimeout(total);
      },
    };
  }

  /** A client that sent `Expect: 100-continue` is told to go on once the request has passed its checks. */
  const continueIfAsked = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (/^100-continue$/i.test(req.headers.expect ?? '') && !res.headersSent) res.writeContinue();
  };

  /** What every API request (a call or a file transfer) must be: with the token, a POST, and JSON. */
  const checkApiRequest = (req: http.IncomingMessage): Refusal | null => {
    if (!tokenMatches(req.headers.authorization)) {
      return new Refusal(401, 'UNAUTHORIZED', 'Missing or wrong API token.', { 'WWW-Authenticate': 'Bearer' });
    }
    if (req.method !== 'POST') return new Refusal(405, 'VALIDATION', 'Use POST for API calls.', { Allow: 'POST' });
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/json') return new Refusal(415, 'VALIDATION', 'API calls need Content-Type: application/json.');
    return null;
  };

  /** Answers a request whose body is still coming (too large, or not to be kept): tells the client to stop sending, then drops the connection once the answer is out. */
  const refuseAndClose = (req: http.IncomingMessage, res: http.ServerResponse, refusal: Refusal) => {
    res.setHeader('Connection', 'close');
    refuse(res, refusal, true);
    req.resume();
  };

  /** The request body as JSON (`{}` when empty), or undefined once a refusal has been answered. */
  const readJsonBody = async (req: http.IncomingMessage, res: http.ServerResponse, limit: number): Promise<{ input: unknown } | undefined> => {
    let raw: Buffer;
    try {
      raw = await readBody(req, res, limit);
    } catch (error) {
      if (error instanceof Refusal) {
        refuseAndClose(req, res, error);
        return undefined;
      }
      throw error;
    }
    // JSON travels as UTF-8 (RFC 8259): other bytes are refused, not read as U+FFFD into a note.
    if (!isUtf8(raw)) {
      refuse(res, new Refusal(400, 'VALIDATION', 'The request body is not UTF-8 text: send JSON encoded as UTF-8.'), true);
      return undefined;
    }
    try {
      const text = raw.toString('utf8');
      return { input: text.trim() === '' ? {} : JSON.parse(text) };
    } catch {
      refuse(res, new Refusal(400, 'VALIDATION', 'The request body is not valid JSON.'), true);
      return undefined;
    }
  };

  const handleApi = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    const refusal = checkApiRequest(req);
    if (refusal) {
      refuse(res, refusal, true);
      return;
    }
    const method = pathname.slice(API_PREFIX.length);
    const body = await readJsonBody(req, res, method === 'journal.import' ? Math.max(maxBodyBytes, IMPORT_MAX_BODY_BYTES) : maxBodyBytes);
    if (!body) return;
    const call = await runCall(method, body.input);
    const timing = `core;dur=${call.coreMs.toFixed(2)}, json;dur=${call.jsonMs.toFixed(2)}`;
    send(res, statusForResult(call.result), { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Server-Timing': timing }, call.json);
  };

  /** A new file of the scratch folder, or undefined once the failure to make the folder has been answered. */
  const scratchFile = (res: http.ServerResponse, journalFiles: JournalFiles, prefix: 'export' | 'import'): string | undefined => {
    let dir: string;
    try {
      dir = journalFiles.scratchDir;
    } catch (error) {
      sendEnvelope(res, 500, { ok: false, error: { code: 'IO', message: fsMessage(error, 'create the folder for transfers in', 'the data folder') } });
      return undefined;
    }
    return path.join(dir, `${prefix}-${randomBytes(12).toString('hex')}.json`);
  };

  /** Removes a scratch file; one that cannot be removed now is cleared at a later start. */
  const discard = (file: string) => {
    try {
      fs.rmSync(file, { force: true });
    } catch {
      // left for journalFiles' clean-up of stale files
    }
  };

  /** `POST /api/files/export`: the whole journal, written to a scratch file, then streamed as a download. */
  const handleExportFile = async (req: http.IncomingMessage, res: http.ServerResponse, journalFiles: JournalFiles) => {
    if (!(await readJsonBody(req, res, maxBodyBytes))) return; // nothing to read in it, but it must be JSON
    // The client leaving before the answer begins stops the export (before its next chunk).
    const left = new AbortController();
    res.once('close', () => left.abort());
    const file = scratchFile(res, journalFiles, 'export');
    if (!file) return;
    const result = await journalFiles.exportTo(file, progressTeller(req, 'export-progress'), left.signal);
    if (!result.ok) {
      discard(file);
      sendEnvelope(res, statusForResult(result), result);
      return;
    }
    let handle: fs.promises.FileHandle;
    let size: number;
    try {
      handle = await fs.promises.open(file, 'r');
      size = (await handle.stat()).size;
    } catch (error) {
      discard(file);
      sendEnvelope(res, 500, { ok: false, error: { code: 'IO', message: fsMessage(error, 'read', file) } });
      return;
    }
    if (left.signal.aborted) {
      await handle.close();
      discard(file);
      return;
    }
    const stream = handle.createReadStream();
    // The file goes once both are done: the answer (sent, or the client gone) and the read (its file closed).
    let open = 2;
    const done = () => void (--open === 0 && discard(file));
    res.once('close', done);
    stream.once('close', done);
    const report = result.value;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${exportFileName()}"`,
      'Cache-Control': 'no-store',
      'X-Outloud-Entries': String(report.entries),
      'X-Outloud-Revisions': String(report.revisions),
      'X-Outloud-Links': String(report.links),
    });
    // pipeline keeps to the client's pace, and destroys both streams if either fails or the client leaves.
    await pipeline(stream, res).catch(() => {});
  };

  const tooLargeFile = () => new Refusal(413, 'VALIDATION', `The file is too large to import here (the limit is ${sizeText(maxImportFileBytes)}).`);

  /**
   * The request body into `file`, up to maxImportFileBytes: the number of bytes, or a Refusal (413)
   * thrown. `req` is piped rather than put in the pipeline, which would destroy it (and the socket
   * with it) on a refusal, before the 413 could go out.
   */
  const receiveFile = async (req: http.IncomingMessage, res: http.ServerResponse, file: string): Promise<number> => {
    let size = 0;
    let stalled: Refusal | undefined;
    // No limit on the whole: a large file on a slow link takes as long as it takes, while it comes.
    const clock = bodyClock(Infinity, (refusal) => {
      stalled = refusal;
      limit.destroy(UPLOAD_CUT_SHORT);
    });
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        clock.arrived();
        size += chunk.length;
        callback(size > maxImportFileBytes ? new Error('too large') : null, chunk);
      },
    });
    const out = fs.createWriteStream(file, { flags: 'wx' });
    const onError = () => limit.destroy(UPLOAD_CUT_SHORT);
    const onClose = () => void (!req.complete && limit.destroy(UPLOAD_CUT_SHORT));
    req.on('error', onError);
    req.on('close', onClose);
    req.pipe(limit);
    continueIfAsked(req, res);
    try {
      await pipeline(limit, out);
    } catch (error) {
      if (size > maxImportFileBytes) throw tooLargeFile();
      if (stalled) throw stalled;
      if (error === UPLOAD_CUT_SHORT || (req.destroyed && !req.complete)) throw UPLOAD_CUT_SHORT;
      throw error;
    } finally {
      clock.stop();
      req.off('error', onError);
      req.off('close', onClose);
      req.unpipe(limit);
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve())); // so that the file can go
    }
    return size;
  };

  /**
   * What tells the API sockets how far the transfer named in the request's TRANSFER_HEADER has come,
   * or undefined when it names none (or not in the TRANSFER_ID form).
   */
  function progressTeller(req: http.IncomingMessage, event: 'import-progress'): ((progress: ImportProgress) => void) | undefined;
  function progressTeller(req: http.IncomingMessage, event: 'export-progress'): ((progress: ExportProgress) => void) | undefined;
  function progressTeller(req: http.IncomingMessage, event: SocketEvent['event']): ((progress: never) => void) | undefined {
    const transfer = req.headers[TRANSFER_HEADER.toLowerCase()];
    if (typeof transfer !== 'string' || !TRANSFER_ID.test(transfer)) return undefined;
    return (progress: ImportProgress | ExportProgress) => {
      const text = JSON.stringify({ event, transfer, progress });
      for (const connection of sockets) connection.send(text);
    };
  }

  /** `POST /api/files/import`: an export file as the body, streamed to a scratch file, then imported from it. */
  const handleImportFile = async (req: http.IncomingMessage, res: http.ServerResponse, journalFiles: JournalFiles) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxImportFileBytes) {
      refuseAndClose(req, res, tooLargeFile());
      return;
    }
    // One import at a time (journalFiles.importFrom): refused before the upload, not after it, also
    // while another upload is on its way in.
    if (journalFiles.importing || importUploads > 0) {
      refuseAndClose(req, res, new Refusal(409, 'CONFLICT', IMPORT_UNDER_WAY));
      return;
    }
    const file = scratchFile(res, journalFiles, 'import');
    if (!file) return;
    try {
      let size: number;
      importUploads++;
      try {
        size = await receiveFile(req, res, file);
      } catch (error) {
        if (error instanceof Refusal) refuseAndClose(req, res, error);
        else if (error === UPLOAD_CUT_SHORT) res.destroy(); // the client went away mid-upload: no one to answer
        else refuseAndClose(req, res, new Refusal(500, 'IO', fsMessage(error, 'save the upload to', file)));
        return;
      } finally {
        importUploads--; // from here journalFiles.importing says it, from the import's start
      }
      if (size === 0) {
        sendEnvelope(res, 400, { ok: false, error: { code: 'VALIDATION', message: 'The upload is empty: choose an Outloud export file to import.' } });
        return;
      }
      // A client that goes away cancels the import (the page's Cancel aborts its request): it stops
      // before its next batch, keeping what came in. The page that named this upload hears how far its
      // import has come, over its API socket.
      const tell = progressTeller(req, 'import-progress');
      const controller = new AbortController();
      const onClose = () => void (!res.writableEnded && controller.abort());
      res.on('close', onClose);
      if (res.destroyed) controller.abort(); // it went between the upload's end and now
      const result = await journalFiles.importFrom(file, tell, controller.signal).finally(() => res.off('close', onClose));
      if (!res.destroyed) sendEnvelope(res, statusForResult(result), result);
    } finally {
      discard(file);
    }
  };

  /** The two file transfers: the same checks as an API call, then the transfer. */
  const handleFiles = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    const refusal = checkApiRequest(req);
    if (refusal) {
      refuse(res, refusal, true);
      return;
    }
    if (!files) {
      refuse(res, new Refusal(404, 'UNKNOWN_METHOD', 'File transfers are not available here.'), true);
      return;
    }
    await (pathname === EXPORT_FILE_PATH ? handleExportFile(req, res, files) : handleImportFile(req, res, files));
  };

  /**
   * Runs one contract call and encodes its envelope, timing both: what the call cost here (the core,
   * then the JSON), which answers carry for the page's and the benchmark's timings.
   */
  const runCall = async (method: string, input: unknown) => {
    const t0 = performance.now();
    const result: Result<unknown> = METHOD_PATH_RE.test(method)
      ? await core.dispatch(method, input)
      : { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${method.slice(0, 80)}` } };
    const t1 = performance.now();
    const json = JSON.stringify(result);
    return { result, json, coreMs: t1 - t0, jsonMs: performance.now() - t1 };
  };

  /**
   * One message on the API socket (shared/api/socket.ts): a call, answered with its id. Using the
   * socket saves the browser a new HTTP request per call: a few milliseconds per keystroke in search
   * as you type. A message above the request size limit closes the socket: big imports go over HTTP.
   */
  const handleSocketMessage = async (text: string, connection: WebSocketConnection) => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      message = undefined;
    }
    const m = (typeof message === 'object' && message !== null ? message : {}) as { id?: unknown; method?: unknown; input?: unknown };
    const id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
    if (message === undefined || typeof m.method !== 'string') {
      const error: ApiError = { code: 'VALIDATION', message: 'A message is {"id", "method", "input"} as JSON.' };
      connection.send(JSON.stringify({ id, result: { ok: false, error } } satisfies SocketAnswer));
      return;
    }
    const call = await runCall(m.method, m.input ?? {});
    // Built around the envelope's JSON rather than re-encoding it: a SocketAnswer.
    connection.send(`{"id":${JSON.stringify(id)},"result":${call.json},"timing":{"core":${call.coreMs.toFixed(2)},"json":${call.jsonMs.toFixed(2)}}}`);
  };

  const sockets = new Set<WebSocketConnection>();

  const upgradeRefusal = (req: http.IncomingMessage): Refusal | null => {
    const hostRefusal = checkHost(req);
    if (hostRefusal) return hostRefusal;
    if ((req.url ?? '/').split('?')[0]!.split('#')[0] !== SOCKET_PATH) return new Refusal(404, 'NOT_FOUND', 'Not found.');
    const offered = offeredProtocols(req);
    if (!offered.some((p) => p.startsWith(SOCKET_TOKEN_PREFIX) && isToken(p.slice(SOCKET_TOKEN_PREFIX.length)))) {
      return new Refusal(401, 'UNAUTHORIZED', 'Missing or wrong API token.');
    }
    if (!offered.includes(SOCKET_PROTOCOL)) return new Refusal(400, 'VALIDATION', `Offer the "${SOCKET_PROTOCOL}" subprotocol.`);
    return null; // `ws` refuses what is no WebSocket handshake at all (wrong method, version or key)
  };

  /** The API socket's handshake: the same checks as an API request, the token as a subprotocol. */
  const handleUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = upgradeRefusal(req);
    if (refusal) {
      refuseUpgrade(socket, refusal.status, http.STATUS_CODES[refusal.status] ?? 'Error', refusal.error.message);
      return;
    }
    const connection = acceptWebSocket(req, socket, head, {
      protocol: SOCKET_PROTOCOL,
      maxMessageBytes: maxBodyBytes,
      onText: (text, conn) => {
        handleSocketMessage(text, conn).catch(() => conn.close(CLOSE.INTERNAL_ERROR, 'Unexpected error.'));
      },
      onClose: (conn) => sockets.delete(conn),
    });
    if (!connection.closed) sockets.add(connection);
  };

  const handleStatic = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, new Refusal(405, 'VALIDATION', 'Method not allowed.', { Allow: 'GET, HEAD' }), false);
      return;
    }
    const found = await lookupStaticFile(rendererRoot, pathname);
    if (found.status === 400) {
      refuse(res, new Refusal(400, 'VALIDATION', 'Bad path.'), false);
      return;
    }
    if (found.status === 404) {
      const hint = found.relative === 'index.html' ? ' The renderer is not built yet: run `npm run build`.' : '';
      refuse(res, new Refusal(404, 'NOT_FOUND', `Not found.${hint}`), false);
      return;
    }
    const body = await fs.promises.readFile(found.file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': found.contentType,
      'Content-Length': String(body.length),
      'Cache-Control': cacheControlFor(found.relative),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  // Node checks the headers' deadline only every `connectionsCheckingInterval` (30 s by default: a
  // connection sending no headers stayed ~44 s where 20 s was meant); a second keeps it to its time.
  const headersTimeoutMs = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  /** Requests begun on each connection: a keep-alive connection that timed out idle began none since. */
  const requestsOn = new WeakMap<Duplex, number>();
  const server = http.createServer({ connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs / 4) }, (req, res) => {
    requestsOn.set(req.socket, (requestsOn.get(req.socket) ?? 0) + 1);
    const rawUrl = req.url ?? '/';
    const pathname = rawUrl.split('?')[0]!.split('#')[0]!;
    const isApi = pathname === '/api' || pathname.startsWith(API_PREFIX);
    const hostRefusal = checkHost(req);
    const work = hostRefusal
      ? Promise.resolve(refuse(res, hostRefusal, isApi))
      : pathname === EXPORT_FILE_PATH || pathname === IMPORT_FILE_PATH
        ? handleFiles(req, res, pathname)
        : isApi
          ? handleApi(req, res, pathname)
          : handleStatic(req, res, pathname);
    work.catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      refuse(res, new Refusal(500, 'INTERNAL', `Unexpected error: ${(error as Error)?.message ?? String(error)}`), isApi);
    });
  });
  server.on('upgrade', handleUpgrade);
  // Slow-loris guards: headers must arrive within 20 s; bodies are timed by bodyClock (an import file
  // may take as long as it keeps coming, which Node's whole-request timeout cannot allow for one route).
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = 0;
  if (options.keepAliveTimeoutMs !== undefined) {
    server.keepAliveTimeout = options.keepAliveTimeoutMs;
    server.keepAliveTimeoutBuffer = 0;
  }
  // A keep-alive connection idle past its time is closed as Node closes it, but only once the event loop
  // has read what came on it meanwhile (setImmediate runs after its poll for input). After this thread
  // was busy with a long call, the timer fires before a request sent on the connection in the meantime
  // is read, and closing then reset that request (the client saw ECONNRESET, not an answer).
  // Listening here is what keeps Node from closing it itself (it does so only when no one listens).
  server.on('timeout', (socket: Duplex) => {
    const begun = requestsOn.get(socket) ?? 0;
    setImmediate(() => {
      if ((requestsOn.get(socket) ?? 0) === begun) socket.destroy();
    });
  });
  // Checked as any request, and told to go on only once it has passed (a refusal comes before the body).
  server.on('checkContinue', (req, res) => server.emit('request', req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: LOOPBACK_HOST, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK_HOST}:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        for (const connection of sockets) connection.destroy();
      }),
  };
}
