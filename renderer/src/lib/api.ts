/**
 * The renderer's only door to the journal. Inside Electron the preload exposes `window.outloud`
 * (one function per contract method); in browser mode the same contract is served over loopback
 * HTTP at this page's origin (`POST /api/<method>`, bearer token from the URL fragment), and over
 * the API socket next to it once that is open (lib/socket.ts: no new HTTP request per call).
 * Every call returns the contract's Result envelope and never throws.
 */
import type { MethodInput, MethodName, MethodOutput, OutloudApi } from '../../../shared/api/contract.ts';
import type { ApiError, ErrorCode, Result } from '../../../shared/api/errors.ts';
import type { OutloudShell } from '../../../shared/api/shell.ts';
import { exportFileName, type ExportFileReport, type ImportProgress, type ImportReport } from '../../../shared/domain/journal.ts';
import { TRANSFER_HEADER } from '../../../shared/api/socket.ts';
import { createSocketChannel, socketUrl, type SocketChannel } from './socket.ts';

declare global {
  interface Window {
    /** The journal, from the Electron preload (absent in browser mode). */
    outloud?: OutloudApi;
    /** What only the desktop shell can do (absent in browser mode). */
    outloudShell?: OutloudShell;
  }
}

export type Transport = 'electron' | 'http';

const TOKEN_KEY = 'outloud.token';
const TOKEN_IN_HASH = /(?:^#|[#&])token=([A-Za-z0-9._~-]+)/;

/** Methods after which open views should refresh. */
const MUTATING = new Set<string>([
  'entries.create',
  'entries.update',
  'entries.delete',
  'entries.restore',
  'entries.purge',
  'entries.emptyTrash',
  'entries.restoreRevision',
  'journal.import',
] satisfies MethodName[]);

export function transport(): Transport {
  return typeof window.outloud === 'object' && window.outloud !== null ? 'electron' : 'http';
}

/**
 * Browser mode: the server prints a URL with `#token=…`. Read it once, keep it for this tab only,
 * and take it out of the address bar (and so out of history and screenshots).
 */
export function initTransport(): void {
  if (transport() !== 'http') return;
  // A new link opened in this tab (`outloud serve` started again on the same port, with a new
  // token) changes only the fragment, which loads nothing: start again, to read it.
  window.addEventListener('hashchange', () => {
    if (TOKEN_IN_HASH.test(window.location.hash)) window.location.reload();
  });
  const match = TOKEN_IN_HASH.exec(window.location.hash);
  if (!match?.[1]) return;
  try {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
  } catch {
    // Storage can be disabled; the token then lives for this page only.
    memoryToken = match[1];
  }
  const rest = window.location.hash.replace(/[#&]?token=[A-Za-z0-9._~-]+/, '').replace(/^#&/, '#');
  const hash = rest === '#' || rest === '' ? '#/' : rest;
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`);
}

let socketChannel: SocketChannel | null = null;

/** Browser mode's API socket, created on first use. */
function socket(): SocketChannel {
  socketChannel ??= createSocketChannel({ url: socketUrl(window.location), token });
  return socketChannel;
}

/** Browser mode: starts opening the API socket, so the first searches already travel over it. */
export function warmTransport(): void {
  if (transport() === 'http' && token() !== null) socket().open();
}

let memoryToken: string | null = null;

function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

export function hasToken(): boolean {
  return transport() === 'electron' || token() !== null;
}

function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'value' in v;
  if (v.ok === false) return typeof v.error === 'object' && v.error !== null && typeof (v.error as ApiError).message === 'string';
  return false;
}

const noToken = () => failure('UNAUTHORIZED', 'This page has no access token. Open the link printed by `outloud serve`.');

/** A response's body when it is a Result envelope, else undefined (not JSON, or not an envelope). */
async function envelopeOf(response: Response): Promise<Result<unknown> | undefined> {
  try {
    const body: unknown = await response.json();
    return isResult(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

/** The failure an answer without an envelope stands for, by its HTTP status (`what` failed, if given). */
function statusFailure(response: Response, what?: string): Result<never> {
  if (response.status === 401 || response.status === 403) return failure('UNAUTHORIZED', 'The access token was refused. Open the link printed by `outloud serve` again.');
  return failure('INTERNAL', `${what ? `${what}: the` : 'The'} server answered ${response.status} ${response.statusText}`.trim());
}

/** A call through the preload's bridges as a Result that never rejects. */
async function viaShell<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return failure('INTERNAL', error instanceof Error ? error.message : String(error));
  }
}

async function overHttp(method: string, input: unknown): Promise<Result<unknown>> {
  const secret = token();
  if (!secret) return noToken();
  const overSocket = socket().call(method, input);
  if (overSocket) {
    const answer = await overSocket;
    return isResult(answer) ? answer : failure('INTERNAL', `Malformed answer from ${method}`);
  }
  let response: Response;
  try {
    response = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
      body: JSON.stringify(input ?? {}),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return failure('IO', 'Cannot reach Outloud. Is `outloud serve` still running?');
  }
  const envelope = await envelopeOf(response);
  if (envelope) return envelope;
  if (response.status === 404) return failure('UNKNOWN_METHOD', `Unknown method: ${method}`);
  return statusFailure(response);
}

async function viaBridge(method: string, input: unknown): Promise<Result<unknown>> {
  const fn = (window.outloud as unknown as Record<string, unknown> | undefined)?.[method];
  if (typeof fn !== 'function') return failure('UNKNOWN_METHOD', `Unknown method: ${method}`);
  return viaShell(async () => {
    const result: unknown = await (fn as (input: unknown) => Promise<unknown>)(input ?? {});
    return isResult(result) ? result : failure('INTERNAL', `Malformed answer from ${method}`);
  });
}

async function raw(method: MethodName, input: unknown): Promise<Result<unknown>> {
  const result = transport() === 'electron' ? await viaBridge(method, input) : await overHttp(method, input);
  if (result.ok && MUTATING.has(method)) emitChange({ method, input, value: result.value });
  if (!result.ok && result.error.code === 'UNAUTHORIZED') emitUnauthorized();
  return result;
}

/** Calls a contract method. Resolves to the Result envelope; never rejects. */
export function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
  return raw(method, input) as Promise<Result<MethodOutput<M>>>;
}

// ---- the whole journal as a file -----------------------------------------------------------------

/** What an export wrote: the counts, and the file's path when the desktop app wrote it (browser mode downloads). */
export type ExportedJournal = Omit<ExportFileReport, 'path'> & { path: string | null };

const countHeader = (response: Response, name: string) => Number(response.headers.get(`X-Outloud-${name}`) ?? 0) || 0;

/** What a chosen file is told to save: the File System Access API's save picker, in browsers that have it. */
type SavePicker = (options: { suggestedName: string; types: Array<{ description: string; accept: Record<string, string[]> }> }) => Promise<FileSystemFileHandle>;

function savePicker(): SavePicker | undefined {
  const picker = (window as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  return typeof picker === 'function' ? picker.bind(window) : undefined;
}

/**
 * How far an export has come, as the page tells it: `writing`, the items the core has written of all
 * the journal holds; then (browser mode) `saving`, the bytes of the download saved, of `total` when
 * known (0: not known).
 */
export interface ExportPageProgress {
  phase: 'writing' | 'saving';
  done: number;
  total: number;
}

/**
 * Asks the server for the export: its streamed answer, or why there is none. While the server writes
 * it, the server tells the API socket how far it has come, for the transfer id this request names.
 */
const exportCancelled = () => failure('CANCELLED', 'The export was cancelled; nothing was written.');

async function requestExport(secret: string, onProgress?: (progress: ExportPageProgress) => void, signal?: AbortSignal): Promise<Response | Result<never>> {
  const transfer = crypto.randomUUID();
  const stop = onProgress
    ? socket().onEvent((event) => {
        if (event.event === 'export-progress' && event.transfer === transfer) onProgress({ phase: 'writing', ...event.progress });
      })
    : undefined;
  // The server starts writing at once, and tells only sockets open by then: wait a moment for ours.
  if (onProgress) await socket().whenOpen(1_000);
  let response: Response;
  try {
    response = await fetch('/api/files/export', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}`, [TRANSFER_HEADER]: transfer },
      body: '{}',
      credentials: 'omit',
      cache: 'no-store',
      // Aborted, the request goes, and the server stops writing the export when its client leaves.
      signal,
    });
  } catch {
    return signal?.aborted ? exportCancelled() : failure('IO', 'Cannot reach Outloud. Is `outloud serve` still running?');
  } finally {
    stop?.();
  }
  if (response.ok && response.body) return response;
  const envelope = await envelopeOf(response);
  return envelope && !envelope.ok ? envelope : statusFailure(response, 'The export failed');
}

const exportCounts = (response: Response) => ({ entries: countHeader(response, 'Entries'), revisions: countHeader(response, 'Revisions'), links: countHeader(response, 'Links') });

/**
 * Exports the whole journal, streamed by the core, never held in this page's memory as one value:
 * in the desktop app the Save dialog asks where and the core writes the file; in browser mode the
 * server writes it and the page saves the download: straight into the file the browser's save picker
 * chose where there is one (Chromium), else as a download. `null`: the user cancelled the dialog.
 */
export async function exportJournalFile(onProgress?: (progress: ExportPageProgress) => void, signal?: AbortSignal): Promise<Result<ExportedJournal | null>> {
  const sh = window.outloudShell;
  if (sh) {
    const stop = onProgress ? sh.onExportProgress((p) => onProgress({ phase: 'writing', ...p })) : undefined;
    const cancel = () => sh.cancelExport();
    signal?.addEventListener('abort', cancel);
    const result = await viaShell(() => sh.exportJournal());
    signal?.removeEventListener('abort', cancel);
    stop?.();
    return result;
  }
  const secret = token();
  if (!secret) return noToken();
  const picker = savePicker();
  if (picker) {
    let handle: FileSystemFileHandle | undefined;
    try {
      // First, while the click that asked still counts as the user's (the picker needs that).
      handle = await picker({ suggestedName: exportFileName(), types: [{ description: 'Outloud export', accept: { 'application/json': ['.json'] } }] });
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'AbortError') return { ok: true, value: null };
      // Refused (no user gesture, a policy): the download below still works.
    }
    if (handle) return exportToFile(handle, secret, onProgress, signal);
  }
  const response = await requestExport(secret, onProgress, signal);
  if (!(response instanceof Response)) return response;
  onProgress?.({ phase: 'saving', done: 0, total: 0 });
  let blob: Blob;
  try {
    // The browser keeps a large download's bytes in its blob store (on disk when they are many).
    blob = await response.blob();
  } catch {
    return signal?.aborted ? exportCancelled() : failure('IO', 'The export was cut off before it arrived. Is `outloud serve` still running?');
  }
  if (signal?.aborted) return exportCancelled();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  // Named for the day where the user is (the server's day may be another, in another time zone).
  a.download = exportFileName();
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true, value: { path: null, bytes: blob.size, ...exportCounts(response) } };
}

/**
 * Streams the export into the file the save picker chose, chunk by chunk as it arrives. The browser
 * writes to a file of its own and puts it in place when the stream closes: one cut short leaves the
 * chosen file as it was.
 */
async function exportToFile(
  handle: FileSystemFileHandle,
  secret: string,
  onProgress?: (progress: ExportPageProgress) => void,
  signal?: AbortSignal,
): Promise<Result<ExportedJournal>> {
  const response = await requestExport(secret, onProgress, signal);
  if (!(response instanceof Response)) return response;
  const size = Number(response.headers.get('Content-Length')) || 0;
  let bytes = 0;
  let told = 0;
  onProgress?.({ phase: 'saving', done: 0, total: size });
  try {
    const counted = response.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.byteLength;
          // At most every 100 ms, and at the end.
          const now = performance.now();
          if (onProgress && (now - told >= 100 || bytes === size)) {
            told = now;
            onProgress({ phase: 'saving', done: bytes, total: size });
          }
          controller.enqueue(chunk);
        },
      }),
    );
    // Aborted, the writable is aborted too: the browser drops what it wrote, the chosen file stays as it
    // was. It is closed (the file put in place) only here, so a cancel during its last write still counts.
    const writable = await handle.createWritable();
    await counted.pipeTo(writable, { signal, preventClose: true });
    if (signal?.aborted) {
      await writable.abort().catch(() => {});
      return exportCancelled();
    }
    await writable.close();
  } catch (error) {
    if (signal?.aborted) return exportCancelled();
    return failure('IO', `The export could not be saved to ${handle.name}: ${(error as Error)?.message ?? String(error)}`);
  }
  return { ok: true, value: { path: handle.name, bytes, ...exportCounts(response) } };
}

/**
 * Imports an Outloud export, streamed and in batches by the core: in the desktop app the Open dialog
 * asks for the file (`file` is not used) and `onProgress` hears how far the import has come once a
 * file is chosen; in browser mode `file` (from a file input) is uploaded as it is read from disk.
 * `signal` cancels it: the core stops before its next batch, keeping what came in, and the answer is
 * CANCELLED. `null`: the user cancelled the Open dialog. Open views refresh after it.
 */
export async function importJournalFile(
  file?: File,
  onProgress?: (progress: ImportProgress) => void,
  signal?: AbortSignal,
): Promise<Result<ImportReport | null>> {
  let result: Result<ImportReport | null>;
  const sh = window.outloudShell;
  if (sh) {
    const stop = onProgress ? sh.onImportProgress(onProgress) : undefined;
    const cancel = () => sh.cancelImport();
    signal?.addEventListener('abort', cancel);
    result = await viaShell(() => sh.importJournal());
    signal?.removeEventListener('abort', cancel);
    stop?.();
  } else if (!file) {
    result = failure('VALIDATION', 'Choose an Outloud export file to import.');
  } else {
    result = await uploadImport(file, onProgress, signal);
  }
  // A cancelled import keeps the batches that came in before it stopped: views refresh for those too.
  if ((result.ok && result.value) || (!result.ok && result.error.code === 'CANCELLED')) {
    emitChange({ method: 'journal.import', input: undefined, value: result.ok ? result.value : null });
  }
  if (!result.ok && result.error.code === 'UNAUTHORIZED') emitUnauthorized();
  return result;
}

/** What a cancelled upload's page can say: the server's answer does not reach a request it aborted. */
function cancelledUpload(last: ImportProgress | null): Result<never> {
  if (!last || last.step !== 'importing' || last.done === 0) return failure('CANCELLED', 'The import was cancelled; nothing was imported.');
  return failure(
    'CANCELLED',
    `The import was cancelled after about ${last.done.toLocaleString('en')} of ${last.total.toLocaleString('en')} items. What came in stays; importing the same file again continues where it stopped.`,
  );
}

/**
 * Uploads `file` to the server's import. The server tells how far the import has come over the API
 * socket, for the transfer id this upload names (shared/api/socket.ts), when the socket is open.
 * Aborting the request is how the page cancels: the server stops the import when its client goes.
 */
async function uploadImport(file: File, onProgress?: (progress: ImportProgress) => void, signal?: AbortSignal): Promise<Result<ImportReport>> {
  const secret = token();
  if (!secret) return noToken();
  const transfer = crypto.randomUUID();
  let last: ImportProgress | null = null;
  const stop = socket().onEvent((event) => {
    if (event.event !== 'import-progress' || event.transfer !== transfer) return;
    last = { ...event.progress, name: file.name };
    onProgress?.(last);
  });
  if (onProgress) socket().open();
  let response: Response;
  try {
    response = await fetch('/api/files/import', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}`, [TRANSFER_HEADER]: transfer },
      body: file,
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch {
    if (signal?.aborted) return cancelledUpload(last);
    return failure('IO', `Cannot send ${file.name} to Outloud. Is \`outloud serve\` still running?`);
  } finally {
    stop();
  }
  const envelope = await envelopeOf(response);
  return (envelope as Result<ImportReport> | undefined) ?? statusFailure(response, 'The import failed');
}

// ---- change notifications ------------------------------------------------------------------------

export interface JournalChange {
  method: string;
  input: unknown;
  value: unknown;
}

type Listener<T> = (event: T) => void;
const changeListeners = new Set<Listener<JournalChange>>();
const unauthorizedListeners = new Set<Listener<void>>();

// Other windows of the app (the quick-capture window, other tabs in browser mode) hear about changes too.
// Inside Electron the shell relays changes between windows (onJournalChanged) instead.
const channel: BroadcastChannel | null =
  typeof window !== 'undefined' && typeof BroadcastChannel === 'function' && !window.outloudShell ? safeChannel() : null;

function safeChannel(): BroadcastChannel | null {
  try {
    const ch = new BroadcastChannel('outloud.changes');
    ch.onmessage = (e: MessageEvent<JournalChange>) => {
      if (e.data && typeof e.data.method === 'string') deliver(e.data);
    };
    return ch;
  } catch {
    return null;
  }
}

function deliver(change: JournalChange): void {
  for (const l of [...changeListeners]) l(change);
}

function emitChange(change: JournalChange): void {
  deliver(change);
  try {
    channel?.postMessage(change);
  } catch {
    // Not cloneable or channel closed: only this window refreshes.
  }
}
function emitUnauthorized(): void {
  for (const l of [...unauthorizedListeners]) l();
}

/** Subscribes to successful changes to the journal made from this window. Returns an unsubscribe. */
export function onJournalChange(listener: Listener<JournalChange>): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

let shellRelay: (() => void) | null = null;

/** Inside Electron: changes made in another window (a quick capture) reach this one's views. */
export function listenToShellChanges(): void {
  const sh = window.outloudShell;
  if (!sh || shellRelay) return;
  shellRelay = sh.onJournalChanged((method) => deliver({ method, input: undefined, value: undefined }));
}

export function onUnauthorized(listener: Listener<void>): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

// ---- external links ------------------------------------------------------------------------------

const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The URL if it may leave the app (http, https, mailto), else null. */
export function externalUrl(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  if (!EXTERNAL_SCHEMES.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  return url.href;
}

/**
 * Opens an http/https/mailto link outside the app: in Electron through the shell (which checks the
 * scheme again), in a browser as a new tab with no opener and no referrer. Anything else is refused.
 */
export function openExternal(href: string): boolean {
  const url = externalUrl(href);
  if (!url) return false;
  const sh = window.outloudShell;
  if (sh) void sh.openExternal(url);
  else window.open(url, '_blank', 'noopener,noreferrer');
  return true;
}

/** The desktop shell bridge, when running inside Electron. */
export function shell(): OutloudShell | undefined {
  return window.outloudShell;
}
