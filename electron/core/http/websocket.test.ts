import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_PATH, SOCKET_PROTOCOL, SOCKET_TOKEN_PREFIX, type SocketAnswer } from '../../../shared/api/socket.ts';
import { openCore, type Core } from '../core.ts';
import { startHttpServer, type HttpServer } from './server.ts';

let tmp: string;
let core: Core;
let server: HttpServer;
/** The same journal behind a server that takes messages of 1 KiB at most. */
let small: HttpServer;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-ws-'));
  core = openCore({ dataDir: path.join(tmp, 'data') });
  server = await startHttpServer({ core, rendererDir: path.join(tmp, 'renderer') });
  small = await startHttpServer({ core, rendererDir: path.join(tmp, 'renderer'), maxBodyBytes: 1024 });
});

afterAll(async () => {
  await server?.close();
  await small?.close();
  core?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/**
 * A WebSocket client on a plain TCP socket, so a test can send exactly the handshake and the frames
 * it means to, including wrong ones.
 */
class RawClient {
  private socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private waiting: Array<() => void> = [];
  status = 0;
  response = '';
  ended = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake() {
    for (const w of this.waiting.splice(0)) w();
  }

  private async until<T>(take: () => T | null, what: string): Promise<T> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const got = take();
      if (got !== null) return got;
      if (this.ended) throw new Error(`the connection closed while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Opens a connection and sends an upgrade request with these headers (null leaves one out). */
  static async handshake(target: HttpServer, headers: Record<string, string | null> = {}, pathname = SOCKET_PATH): Promise<RawClient> {
    const socket = net.connect(target.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawClient(socket);
    const all: Record<string, string | null> = {
      Host: `127.0.0.1:${target.port}`,
      Upgrade: 'websocket',
      Connection: 'Upgrade',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Protocol': `${SOCKET_PROTOCOL}, ${SOCKET_TOKEN_PREFIX}${target.token}`,
      ...headers,
    };
    const lines = Object.entries(all).flatMap(([k, v]) => (v === null ? [] : [`${k}: ${v}`]));
    socket.write(`GET ${pathname} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    await client.until(() => {
      const end = client.buffer.indexOf('\r\n\r\n');
      if (end < 0) return null;
      client.response = client.buffer.subarray(0, end).toString('latin1');
      client.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(client.response)?.[1] ?? 0);
      client.buffer = client.buffer.subarray(end + 4);
      return true;
    }, 'the handshake answer');
    return client;
  }

  /** Sends one frame, masked as a client must (unless told not to). */
  send(opcode: number, payload: Buffer | string, { fin = true, mask = true }: { fin?: boolean; mask?: boolean } = {}): void {
    const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const head: number[] = [(fin ? 0x80 : 0) | opcode];
    const maskBit = mask ? 0x80 : 0;
    if (data.length < 126) head.push(maskBit | data.length);
    else if (data.length < 0x10000) head.push(maskBit | 126, data.length >> 8, data.length & 0xff);
    else {
      head.push(maskBit | 127);
      const len = Buffer.alloc(8);
      len.writeBigUInt64BE(BigInt(data.length));
      head.push(...len);
    }
    if (!mask) {
      this.socket.write(Buffer.concat([Buffer.from(head), data]));
      return;
    }
    const key = randomBytes(4);
    const masked = Buffer.from(data);
    for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i & 3]!;
    this.socket.write(Buffer.concat([Buffer.from(head), key, masked]));
  }

  call(id: number, method: string, input: unknown): void {
    this.send(0x1, JSON.stringify({ id, method, input }));
  }

  /** The next frame from the server (they are never masked). */
  frame(): Promise<Frame> {
    return this.until(() => {
      const b = this.buffer;
      if (b.length < 2) return null;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return null;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return null;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return null;
      this.buffer = b.subarray(offset + length);
      return { fin: (b[0]! & 0x80) !== 0, opcode: b[0]! & 0x0f, payload: b.subarray(offset, offset + length) };
    }, 'a frame');
  }

  async answer(): Promise<SocketAnswer> {
    const f = await this.frame();
    expect(f.opcode).toBe(0x1);
    return JSON.parse(f.payload.toString('utf8')) as SocketAnswer;
  }

  /** Waits for the server's close frame; its code. */
  async closeCode(): Promise<number> {
    for (;;) {
      const f = await this.frame();
      if (f.opcode === 0x8) return f.payload.readUInt16BE(0);
    }
  }

  async closed(): Promise<void> {
    await this.until(() => (this.ended ? true : null), 'the connection to close');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('the API socket', () => {
  it('answers contract calls with the same envelopes as HTTP, with the server timing', async () => {
    const client = await RawClient.handshake(server);
    try {
      expect(client.status).toBe(101);
      expect(client.response).toMatch(new RegExp(`\r\nSec-WebSocket-Protocol: ${SOCKET_PROTOCOL}(\r\n|$)`, 'i'));
      client.call(1, 'entries.create', { body: 'Sent over the socket #ws' });
      const created = await client.answer();
      expect(created.id).toBe(1);
      expect(created.result).toMatchObject({ ok: true, value: { body: 'Sent over the socket #ws', tags: ['ws'] } });
      expect(created.timing!.core).toBeGreaterThanOrEqual(0);
      const id = (created.result as { value: { id: string } }).value.id;

      client.call(2, 'entries.get', { id });
      expect((await client.answer()).result).toMatchObject({ ok: true, value: { entry: { id } } });
      client.call(3, 'entries.get', { id: 'doesnotexist' });
      expect(await client.answer()).toMatchObject({ id: 3, result: { ok: false, error: { code: 'NOT_FOUND' } } });
      client.call(4, 'entries.create', { body: '', unexpected: 1 });
      expect(await client.answer()).toMatchObject({ id: 4, result: { ok: false, error: { code: 'VALIDATION' } } });
      client.call(5, 'no.suchMethod', {});
      expect(await client.answer()).toMatchObject({ id: 5, result: { ok: false, error: { code: 'UNKNOWN_METHOD' } } });
    } finally {
      client.destroy();
    }
  });

  it('answers each of several calls in flight by its id', async () => {
    const client = await RawClient.handshake(server);
    try {
      for (let id = 10; id < 15; id++) client.call(id, 'entries.create', { body: `note ${id}` });
      const answers = await Promise.all([10, 11, 12, 13, 14].map(() => client.answer()));
      for (const a of answers) expect((a.result as { value: { body: string } }).value.body).toBe(`note ${a.id}`);
      expect(answers.map((a) => a.id).sort()).toEqual([10, 11, 12, 13, 14]);
    } finally {
      client.destroy();
    }
  });

  it('reassembles a message sent in fragments, and answers a ping with a pong between them', async () => {
    const client = await RawClient.handshake(server);
    try {
      const text = JSON.stringify({ id: 20, method: 'entries.create', input: { body: 'in three parts, with an é' } });
      const bytes = Buffer.from(text);
      client.send(0x1, bytes.subarray(0, 10), { fin: false });
      client.send(0x9, 'are you there?');
      const pong = await client.frame();
      expect(pong.opcode).toBe(0xa);
      expect(pong.payload.toString()).toBe('are you there?');
      // The split falls inside the two bytes of "é": the message is decoded whole.
      const cut = bytes.indexOf(Buffer.from('é')) + 1;
      client.send(0x0, bytes.subarray(10, cut), { fin: false });
      client.send(0x0, bytes.subarray(cut));
      expect(await client.answer()).toMatchObject({ id: 20, result: { ok: true, value: { body: 'in three parts, with an é' } } });
    } finally {
      client.destroy();
    }
  });

  it('answers a message that is not a call with a VALIDATION envelope and stays open', async () => {
    const client = await RawClient.handshake(server);
    try {
      client.send(0x1, 'not json');
      expect(await client.answer()).toMatchObject({ id: null, result: { ok: false, error: { code: 'VALIDATION' } } });
      client.send(0x1, JSON.stringify({ id: 30 }));
      expect(await client.answer()).toMatchObject({ id: 30, result: { ok: false, error: { code: 'VALIDATION' } } });
      client.call(31, 'journal.stats', {});
      expect(await client.answer()).toMatchObject({ id: 31, result: { ok: true } });
    } finally {
      client.destroy();
    }
  });

  it('closes the connection on a message over the size limit, a binary message, an unmasked frame or bad UTF-8', async () => {
    const cases: Array<{ name: string; code: number; act: (c: RawClient) => void }> = [
      { name: 'too big', code: 1009, act: (c) => c.call(40, 'entries.create', { body: 'x'.repeat(2000) }) },
      { name: 'too big in fragments', code: 1009, act: (c) => [0, 1, 2].forEach((i) => c.send(i === 0 ? 0x1 : 0x0, 'y'.repeat(500), { fin: false })) },
      { name: 'binary', code: 1003, act: (c) => c.send(0x2, Buffer.from([1, 2, 3])) },
      { name: 'unmasked', code: 1002, act: (c) => c.send(0x1, '{}', { mask: false }) },
      { name: 'continuation out of the blue', code: 1002, act: (c) => c.send(0x0, 'x') },
      { name: 'not UTF-8', code: 1007, act: (c) => c.send(0x1, Buffer.from([0xc3, 0x28])) },
    ];
    for (const c of cases) {
      const client = await RawClient.handshake(small);
      try {
        c.act(client);
        expect(await client.closeCode(), c.name).toBe(c.code);
        await client.closed();
      } finally {
        client.destroy();
      }
    }
    // Nothing of the refused note reached the journal.
    const notes = core.db.prepare("SELECT count(*) AS n FROM entries WHERE body LIKE 'xxxx%'").get() as { n: number };
    expect(notes.n).toBe(0);
  });

  it('answers a close frame with one and hangs up', async () => {
    const client = await RawClient.handshake(server);
    const code = Buffer.alloc(2);
    code.writeUInt16BE(1000);
    client.send(0x8, code);
    expect(await client.closeCode()).toBe(1000);
    await client.closed();
  });

  it('refuses the handshake without the token, with a wrong one, from another site, under a foreign Host or at another path', async () => {
    const cases: Array<{ name: string; status: number; headers?: Record<string, string | null>; path?: string }> = [
      { name: 'no token', status: 401, headers: { 'Sec-WebSocket-Protocol': SOCKET_PROTOCOL } },
      { name: 'no subprotocol at all', status: 401, headers: { 'Sec-WebSocket-Protocol': null } },
      { name: 'wrong token', status: 401, headers: { 'Sec-WebSocket-Protocol': `${SOCKET_PROTOCOL}, ${SOCKET_TOKEN_PREFIX}not-the-token-0123456789` } },
      { name: 'token but not the protocol', status: 400, headers: { 'Sec-WebSocket-Protocol': `${SOCKET_TOKEN_PREFIX}${server.token}` } },
      { name: 'another site', status: 403, headers: { Origin: 'http://evil.example' } },
      { name: 'cross-site fetch metadata', status: 403, headers: { 'Sec-Fetch-Site': 'cross-site' } },
      { name: 'DNS rebinding', status: 403, headers: { Host: `evil.example:${server.port}` } },
      { name: 'another path', status: 404, path: '/api/entries.list' },
      { name: 'an unsupported version', status: 400, headers: { 'Sec-WebSocket-Version': '7' } },
      { name: 'no key', status: 400, headers: { 'Sec-WebSocket-Key': null } },
    ];
    for (const c of cases) {
      const client = await RawClient.handshake(server, c.headers, c.path);
      try {
        expect(client.status, c.name).toBe(c.status);
        await client.closed();
      } finally {
        client.destroy();
      }
    }
    // Its own origin, by either loopback name, is fine.
    const own = await RawClient.handshake(server, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}`, 'Sec-Fetch-Site': 'same-origin' });
    expect(own.status).toBe(101);
    own.destroy();
  });

  it('works with a standard WebSocket client, and closing the server drops open sockets', async () => {
    const other = await startHttpServer({ core, rendererDir: path.join(tmp, 'renderer') });
    const ws = new WebSocket(`ws://127.0.0.1:${other.port}${SOCKET_PATH}`, [SOCKET_PROTOCOL, `${SOCKET_TOKEN_PREFIX}${other.token}`]);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    expect(ws.protocol).toBe(SOCKET_PROTOCOL);
    const answer = new Promise<SocketAnswer>((resolve) => (ws.onmessage = (e) => resolve(JSON.parse(String(e.data)) as SocketAnswer)));
    ws.send(JSON.stringify({ id: 1, method: 'journal.stats', input: {} }));
    expect(await answer).toMatchObject({ id: 1, result: { ok: true } });
    const closed = new Promise((resolve) => (ws.onclose = resolve));
    await other.close();
    await closed;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });
});
