/**
 * The server side of browser mode's API socket, on `ws` (the well-kept WebSocket library for Node):
 * it does the RFC 6455 handshake, framing, fragments, masking, UTF-8 validation, ping/pong and the
 * closing handshake. This module only adapts it to what server.ts needs: text messages up to a size
 * limit, no compression (`permessage-deflate` is not agreed), binary messages refused, one chosen
 * subprotocol, and a refusal answered as plain HTTP before any handshake.
 *
 * Who calls this: server.ts, after it has checked the upgrade request (Host, Origin, token).
 *
 *   const conn = acceptWebSocket(req, socket, head, { protocol: 'outloud', maxMessageBytes, onText: (text) => … });
 *   conn.send('{"id":1,…}');
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** Close codes used here (RFC 6455 section 7.4.1). */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  INVALID_DATA: 1007,
  TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
} as const;

/** How long a closing handshake may take before the socket is dropped. */
const CLOSE_TIMEOUT_MS = 2_000;

export interface WebSocketConnection {
  /** Sends one text message. Does nothing once the connection is closing. */
  send(text: string): void;
  /** Starts the closing handshake; the socket is destroyed if the other side does not answer soon. */
  close(code?: number, reason?: string): void;
  /** Drops the connection at once (the server is shutting down). */
  destroy(): void;
  readonly closed: boolean;
}

export interface AcceptOptions {
  /** The subprotocol to answer with (one the client offered). */
  protocol: string;
  /** Largest message accepted, fragments together; larger ones close the connection (1009). */
  maxMessageBytes: number;
  onText(text: string, connection: WebSocketConnection): void;
  onClose?(connection: WebSocketConnection): void;
}

/** The subprotocols a client offered (Sec-WebSocket-Protocol), in order. */
export function offeredProtocols(req: http.IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Answers an upgrade request with a refusal and drops the socket. */
export function refuseUpgrade(socket: Duplex, status: number, statusText: string, message: string): void {
  const body = `${message}\n`;
  const lines = [`HTTP/1.1 ${status} ${statusText}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  socket.once('finish', () => socket.destroy());
}

/**
 * Completes the handshake of a checked upgrade request and runs the connection. `ws` answers a
 * request that is no WebSocket handshake (wrong method, version or key) with 400 itself. The
 * connection's `closed` is true until the handshake completed (on the next turn of the event loop).
 */
export function acceptWebSocket(req: http.IncomingMessage, socket: Duplex, head: Buffer, options: AcceptOptions): WebSocketConnection {
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (offered) => (offered.has(options.protocol) ? options.protocol : false),
  });
  let ws: WebSocket | null = null;
  let closed = false;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  const finish = () => {
    if (closed) return;
    closed = true;
    clearTimeout(closeTimer);
    options.onClose?.(connection);
  };
  const connection: WebSocketConnection = {
    send(text) {
      if (ws && ws.readyState === ws.OPEN) ws.send(text);
    },
    close(code = CLOSE.NORMAL, reason = '') {
      if (!ws || ws.readyState !== ws.OPEN) return;
      ws.close(code, reason);
      closeTimer = setTimeout(() => ws?.terminate(), CLOSE_TIMEOUT_MS);
      closeTimer.unref?.();
    },
    destroy() {
      if (ws) ws.terminate();
      else socket.destroy();
      finish();
    },
    get closed() {
      return closed || ws === null;
    },
  };
  socket.once('close', () => {
    if (!ws) finish();
  });
  server.handleUpgrade(req, socket, head, (accepted) => {
    ws = accepted;
    (socket as Duplex & { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
    accepted.on('message', (data, isBinary) => {
      if (isBinary) {
        connection.close(CLOSE.UNSUPPORTED_DATA, 'Only text messages are accepted.');
        return;
      }
      options.onText(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'), connection);
    });
    // `ws` closes with the right code itself on a protocol error, bad UTF-8 or a message too big.
    accepted.on('error', () => accepted.terminate());
    accepted.on('close', finish);
  });
  return connection;
}
