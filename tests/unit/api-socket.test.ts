/**
 * The renderer's API socket (renderer/src/lib/socket.ts) against the real loopback server
 * (electron/core/http/server.ts), with Node's standard WebSocket in place of the browser's. It sits
 * here because the layers keep the renderer's tests and the server apart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/core.ts';
import { startHttpServer, type HttpServer } from '../../electron/core/http/server.ts';
import { exportJournalFile, journalFiles } from '../../electron/core/files/journal-files.ts';
import { EntryCreateInput } from '../../shared/api/schemas.ts';
import { TRANSFER_HEADER, type SocketEvent } from '../../shared/api/socket.ts';
import { createSocketChannel, socketUrl, type SocketChannel } from '../../renderer/src/lib/socket.ts';

let tmp: string;
let core: Core;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-api-socket-'));
  core = openCore({ dataDir: path.join(tmp, 'data') });
});

afterAll(() => {
  core?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const serve = () => startHttpServer({ core, rendererDir: path.join(tmp, 'renderer') });
const channelTo = (server: HttpServer, token = server.token) =>
  createSocketChannel({ url: socketUrl({ protocol: 'http:', host: `127.0.0.1:${server.port}` }), token: () => token });

/** Calls until the socket takes the call (it answers null while connecting). */
async function callWhenOpen(channel: SocketChannel, method: string, input: unknown): Promise<unknown> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
    const answer = channel.call(method, input);
    if (answer) return answer;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the socket never opened');
}

describe('the API socket channel', () => {
  it('hands the first call back to fetch while it connects, then carries calls itself', async () => {
    const server = await serve();
    const channel = channelTo(server);
    try {
      expect(channel.call('journal.stats', {}), 'not open yet: use fetch').toBeNull();
      const created = await callWhenOpen(channel, 'entries.create', { body: 'Over the socket channel #fast' });
      expect(created).toMatchObject({ ok: true, value: { body: 'Over the socket channel #fast', tags: ['fast'] } });
      const answers = await Promise.all(['a', 'b', 'c'].map((body) => channel.call('entries.create', { body })));
      expect(answers.map((a) => (a as { value: { body: string } }).value.body)).toEqual(['a', 'b', 'c']);
      expect(await channel.call('entries.get', { id: 'doesnotexist' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      channel.close();
      await server.close();
    }
  });

  it('leaves a message too big for the socket to fetch', async () => {
    const server = await serve();
    const channel = channelTo(server);
    try {
      await callWhenOpen(channel, 'journal.stats', {});
      expect(channel.call('entries.create', { body: 'x'.repeat(1_100_000) })).toBeNull();
    } finally {
      channel.close();
      await server.close();
    }
  });

  it('answers a call in flight with an IO error when the server goes away', async () => {
    // The real core, behind a door that holds calls once the server has them.
    let arrived: () => void = () => undefined;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    let holding = false;
    const server = await startHttpServer({
      core: {
        dispatch: async (method, input) => {
          if (holding) {
            arrived();
            await new Promise(() => undefined);
          }
          return core.dispatch(method, input);
        },
      },
      rendererDir: path.join(tmp, 'renderer'),
    });
    const channel = channelTo(server);
    try {
      await callWhenOpen(channel, 'journal.stats', {});
      holding = true;
      const inFlight = channel.call('journal.stats', {});
      await received;
      await server.close();
      expect(await inFlight).toMatchObject({ ok: false, error: { code: 'IO' } });
      expect(channel.call('journal.stats', {}), 'gone: use fetch (which reports the server gone)').toBeNull();
    } finally {
      channel.close();
    }
  });

  it('says when it is open (whenOpen), and when it cannot open: a refused token, no token, no server', async () => {
    const server = await serve();
    const channel = channelTo(server);
    const refused = channelTo(server, 'not-the-token-0123456789');
    const tokenless = createSocketChannel({ url: socketUrl({ protocol: 'http:', host: `127.0.0.1:${server.port}` }), token: () => null });
    try {
      expect(await channel.whenOpen(5_000)).toBe(true);
      expect(channel.call('journal.stats', {}), 'open: it takes the call').not.toBeNull();
      expect(await channel.whenOpen(5_000), 'already open').toBe(true);
      expect(await refused.whenOpen(5_000)).toBe(false);
      expect(await tokenless.whenOpen(5_000)).toBe(false);
    } finally {
      channel.close();
      refused.close();
      await server.close();
    }
    // A server that has gone: the handshake fails, well before the timeout.
    const gone = channelTo(server);
    const t0 = performance.now();
    expect(await gone.whenOpen(5_000)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(4_000);
    gone.close();
  });

  it('with a token the server refuses, never opens and leaves every call to fetch', async () => {
    const server = await serve();
    const channel = channelTo(server, 'not-the-token-0123456789');
    try {
      expect(channel.call('journal.stats', {})).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(channel.call('journal.stats', {}), 'refused: fetch reports UNAUTHORIZED').toBeNull();
    } finally {
      channel.close();
      await server.close();
    }
  });

  it('hears how far the export it asked for has come, by the transfer id it named', async () => {
    const source = openCore({ dataDir: path.join(tmp, 'export-progress') });
    source.services.entries.createMany(Array.from({ length: 3_000 }, (_, i) => EntryCreateInput.parse({ body: `Exported ${i}` })));
    const server = await startHttpServer({ core: source, files: journalFiles(source), rendererDir: path.join(tmp, 'renderer') });
    const channel = channelTo(server);
    const heard: SocketEvent[] = [];
    const stop = channel.onEvent((event) => heard.push(event));
    const download = (transfer: string) =>
      fetch(`http://127.0.0.1:${server.port}/api/files/export`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, [TRANSFER_HEADER]: transfer },
        body: '{}',
      }).then(async (r) => ({ status: r.status, bytes: (await r.arrayBuffer()).byteLength }));
    try {
      await callWhenOpen(channel, 'journal.stats', {});
      expect(await download('page-export-transfer')).toMatchObject({ status: 200 });
      await expect.poll(() => heard.at(-1)).toEqual({ event: 'export-progress', transfer: 'page-export-transfer', progress: { done: 3_000, total: 3_000 } });
      expect(heard[0]).toEqual({ event: 'export-progress', transfer: 'page-export-transfer', progress: { done: 0, total: 3_000 } });
      expect(heard.every((e, i) => e.event === 'export-progress' && (i === 0 || e.progress.done >= heard[i - 1]!.progress.done))).toBe(true);

      heard.length = 0;
      expect(await download('../etc')).toMatchObject({ status: 200 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual([]);
    } finally {
      stop();
      channel.close();
      await server.close();
      source.close();
    }
  });

  it('hears how far the import of a file it uploaded has come, by the transfer id it named', async () => {
    // A journal of 60 notes as a file, imported in batches of 7 items (the file is over the single-call limit).
    const source = openCore({ dataDir: path.join(tmp, 'progress-source') });
    source.services.entries.createMany(Array.from({ length: 60 }, (_, i) => EntryCreateInput.parse({ body: `Imported in parts ${i}` })));
    const file = path.join(tmp, 'progress-export.json');
    await exportJournalFile(source.databasePath, file);
    source.close();
    const target = openCore({ dataDir: path.join(tmp, 'progress-target') });
    const server = await startHttpServer({ core: target, files: journalFiles(target, { tuning: { singleCallLimit: 10, batchSize: 7 } }), rendererDir: path.join(tmp, 'renderer') });
    const channel = channelTo(server);
    // Every event heard, and the import's among them.
    const all: SocketEvent[] = [];
    const heard: Array<Extract<SocketEvent, { event: 'import-progress' }>> = [];
    const stop = channel.onEvent((event) => {
      all.push(event);
      if (event.event === 'import-progress') heard.push(event);
    });
    const upload = (transfer: string) =>
      fetch(`http://127.0.0.1:${server.port}/api/files/import`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, [TRANSFER_HEADER]: transfer },
        body: fs.readFileSync(file),
      }).then((r) => r.json());
    try {
      await callWhenOpen(channel, 'journal.stats', {});
      expect(await upload('page-one-transfer')).toMatchObject({ ok: true, value: { added: 60 } });
      await expect.poll(() => heard.at(-1)?.progress.step).toBe('importing');
      expect(all.every((e) => e.event === 'import-progress' && e.transfer === 'page-one-transfer')).toBe(true);
      const checking = heard.filter((e) => e.progress.step === 'checking');
      const importing = heard.filter((e) => e.progress.step === 'importing');
      expect(checking[0]!.progress).toMatchObject({ done: 0, total: fs.statSync(file).size });
      expect(importing[0]!.progress).toMatchObject({ done: 0, total: 60 });
      await expect.poll(() => heard.at(-1)!.progress.done).toBe(60);
      expect(heard.indexOf(importing[0]!)).toBeGreaterThan(heard.indexOf(checking.at(-1)!));

      // An id that is not one (too short, other characters): the import runs, and no one hears of it.
      heard.length = 0;
      all.length = 0;
      expect(await upload('x')).toMatchObject({ ok: true, value: { skipped: 60 } });
      expect(await upload('../../etc')).toMatchObject({ ok: true, value: { skipped: 60 } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(all).toEqual([]);
    } finally {
      stop();
      channel.close();
      await server.close();
      target.close();
    }
  });
});
