/**
 * Browser mode's fast lane to the journal: contract calls over one WebSocket to the page's own server
 * (shared/api/socket.ts). Once it is open a call costs no new HTTP request, which is most of what a
 * search keystroke waits for besides the search itself. Until it opens, after it drops, or for a big
 * message (an import), `callOverSocket` answers null and the caller uses fetch instead.
 */
import type { ApiError, Result } from '../../../shared/api/errors.ts';
import { SOCKET_PATH, SOCKET_PROTOCOL, SOCKET_TOKEN_PREFIX, type SocketAnswer, type SocketCall, type SocketEvent } from '../../../shared/api/socket.ts';

/** Messages longer than this go over HTTP (the server's socket limit is 8 MiB of UTF-8). */
export const MAX_SOCKET_MESSAGE_CHARS = 1_000_000;
/** After a handshake that failed (server gone, token refused), fetch alone for this long. */
const RETRY_AFTER_MS = 5_000;

export interface SocketChannel {
  /** Starts connecting, if not open or connecting already. */
  open(): void;
  /**
   * Opens it, and resolves true once it is open (at once when it is), or false when it cannot open
   * within `timeoutMs` (no server, token refused, no WebSocket): for a caller that wants the server's
   * events about a request it is about to make (a transfer's progress) to reach it.
   */
  whenOpen(timeoutMs: number): Promise<boolean>;
  /**
   * The call's answer as it came (the caller checks it is a Result envelope), an IO failure if the
   * socket drops first, or null when the socket cannot take the call now: use fetch.
   */
  call(method: string, input: unknown): Promise<unknown> | null;
  /** Hears the messages the server sends on its own (an import's progress); returns an unsubscribe. */
  onEvent(listener: (event: SocketEvent) => void): () => void;
  close(): void;
}

/** A channel to `ws://<host>/api/socket`; it connects on first use and again after it drops. */
export function createSocketChannel(options: { url: string; token: () => string | null }): SocketChannel {
  const Impl = typeof WebSocket === 'function' ? WebSocket : undefined;
  let ws: WebSocket | null = null;
  let nextId = 1;
  let retryAt = 0;
  const pending = new Map<number, (result: unknown) => void>();
  const eventListeners = new Set<(event: SocketEvent) => void>();
  /** Who waits for the socket to open (whenOpen): told true when it opens, false when it closes first. */
  const openWaiters = new Set<(open: boolean) => void>();
  const tellWaiters = (open: boolean) => {
    for (const waiter of [...openWaiters]) waiter(open);
    openWaiters.clear();
  };

  const lost = (message: string) => {
    const error: ApiError = { code: 'IO', message };
    for (const resolve of pending.values()) resolve({ ok: false, error } satisfies Result<never>);
    pending.clear();
  };

  const connect = (token: string) => {
    if (!Impl || ws || Date.now() < retryAt) return;
    let opened = false;
    let socket: WebSocket;
    try {
      socket = new Impl(options.url, [SOCKET_PROTOCOL, `${SOCKET_TOKEN_PREFIX}${token}`]);
    } catch {
      retryAt = Date.now() + RETRY_AFTER_MS;
      return;
    }
    ws = socket;
    socket.onopen = () => {
      opened = true;
      tellWaiters(true);
    };
    socket.onmessage = (event: MessageEvent) => {
      let answer: SocketAnswer | SocketEvent;
      try {
        answer = JSON.parse(String(event.data)) as SocketAnswer | SocketEvent;
      } catch {
        return;
      }
      if ('event' in answer) {
        if (typeof answer.event === 'string') for (const listener of [...eventListeners]) listener(answer);
        return;
      }
      const resolve = typeof answer.id === 'number' ? pending.get(answer.id) : undefined;
      if (!resolve) return;
      pending.delete(answer.id as number);
      resolve(answer.result);
    };
    const closed = () => {
      if (ws !== socket) return; // told already (a browser fires error, then close)
      ws = null;
      // Never opened: the server is gone or refused us; fetch says which, and we try again later.
      if (!opened) retryAt = Date.now() + RETRY_AFTER_MS;
      tellWaiters(false);
      lost('Lost the connection to Outloud. Is `outloud serve` still running?');
    };
    socket.onclose = closed;
    // A handshake that fails fires error; Node's WebSocket fires no close after it.
    socket.onerror = () => {
      if (!opened) closed();
    };
  };

  const open = () => {
    const token = options.token();
    if (token) connect(token);
  };

  return {
    open,
    whenOpen(timeoutMs) {
      if (ws && ws.readyState === ws.OPEN) return Promise.resolve(true);
      open();
      if (!ws) return Promise.resolve(false); // cannot connect now (no token, no WebSocket, waiting to retry)
      return new Promise<boolean>((resolve) => {
        const done = (open: boolean) => {
          clearTimeout(timer);
          openWaiters.delete(done);
          resolve(open);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        openWaiters.add(done);
      });
    },
    call(method, input) {
      const token = options.token();
      if (!token) return null;
      if (!ws || ws.readyState !== ws.OPEN) {
        connect(token);
        return null;
      }
      const id = nextId++;
      const text = JSON.stringify({ id, method, input: input ?? {} } satisfies SocketCall);
      if (text.length > MAX_SOCKET_MESSAGE_CHARS) return null;
      const socket = ws;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(text);
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    close() {
      ws?.close();
      ws = null;
    },
  };
}

/** The page's own server: `ws://host:port/api/socket` (wss when the page is https). */
export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SOCKET_PATH}`;
}
