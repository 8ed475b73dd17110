/**
 * Browser mode's API socket: the contract over one WebSocket to the loopback server, next to
 * `POST /api/<method>` (electron/core/http/server.ts serves both; renderer/src/lib/socket.ts calls it).
 *
 * The page offers two subprotocols: SOCKET_PROTOCOL, which the server answers with, and
 * `${SOCKET_TOKEN_PREFIX}<token>`, the API token (a browser cannot set headers on a WebSocket).
 * Messages both ways are JSON text; answers can come in any order.
 *
 *   → {"id":1,"method":"search.query","input":{"q":"agenda"}}
 *   ← {"id":1,"result":{"ok":true,"value":{…}},"timing":{"core":2.1,"json":0.1}}
 *
 * The server also tells every socket how far an import of an uploaded file has come, for the upload
 * that named the same transfer id in its TRANSFER_HEADER (the page that sent it listens for it):
 *
 *   ← {"event":"import-progress","transfer":"k3J…","progress":{"step":"importing","done":6000,"total":9000,"name":"…"}}
 */
import type { ExportProgress, ImportProgress } from '../domain/journal.ts';
import type { Result } from './errors.ts';

export const SOCKET_PATH = '/api/socket';
export const SOCKET_PROTOCOL = 'outloud';
export const SOCKET_TOKEN_PREFIX = 'outloud.token.';

export interface SocketCall {
  id: number | string;
  method: string;
  input: unknown;
}

/** The header of `POST /api/files/import` and `/export` that names the transfer, for its progress events. */
export const TRANSFER_HEADER = 'X-Outloud-Transfer';
/** What a transfer id may be: 8 to 64 URL-safe characters. */
export const TRANSFER_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A message the server sends on its own, not an answer to a call: how far a named transfer has come. */
export type SocketEvent =
  | { event: 'import-progress'; transfer: string; progress: ImportProgress }
  | { event: 'export-progress'; transfer: string; progress: ExportProgress };

export interface SocketAnswer {
  /** The call's id; null when the message was not a call at all. */
  id: number | string | null;
  result: Result<unknown>;
  /** Milliseconds the server spent: running the call, then encoding its answer (as Server-Timing says over HTTP). */
  timing?: { core: number; json: number };
}
