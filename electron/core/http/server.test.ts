import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import { exportFileName, type DoctorReport, type ImportReport, type JournalExport } from '../../../shared/domain/journal.ts';
import { DAMAGE_FOUND, writeDoctorJournal } from '../../../tests/helpers/doctor-journal.ts';
import { openCore, type Core } from '../core.ts';
import { journalFiles, SCRATCH_FOLDER, type JournalFiles } from '../files/journal-files.ts';
import { CONTENT_SECURITY_POLICY, startHttpServer, type HttpServer, type HttpServerOptions } from './server.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

interface RequestSpec {
  method?: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string | Buffer;
}

let tmp: string;
let core: Core;
let server: HttpServer;
let rendererDir: string;

/** A raw node:http request, so Host, Origin and the path go out exactly as written. */
function request(spec: RequestSpec, port = server.port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.headers ?? {})) if (v !== undefined) headers[k] = v;
    const req = http.request(
      { host: '127.0.0.1', port, method: spec.method ?? 'GET', path: spec.path, headers, setHost: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // The server may answer (413) and close before a huge body is fully written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (spec.body !== undefined) req.end(spec.body);
    else req.end();
  });
}

const ownHost = () => `127.0.0.1:${server.port}`;

/** A well-formed API call; each refusal test spoils exactly one thing. */
function apiCall(method: string, input: unknown, overrides: Partial<Record<string, string | undefined>> = {}): RequestSpec {
  return {
    method: 'POST',
    path: `/api/${method}`,
    headers: {
      Host: ownHost(),
      Authorization: `Bearer ${server.token}`,
      'Content-Type': 'application/json',
      ...overrides,
    },
    body: JSON.stringify(input),
  };
}

function entryCount(): number {
  return (core.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
}

interface Envelope {
  ok: boolean;
  // The shape depends on the method; each test reads the fields it checks.
  value?: { id: string; body: string; tags: string[]; entry: { id: string } };
  error?: { code: string; message: string; issues?: unknown[] };
}

function envelope(reply: Reply): Envelope {
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(reply.text);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-http-'));
  rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Outloud</title><script type="module" src="/assets/app.js"></script>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'style.css'), 'body{}');
  // A file next to the renderer folder that traversal attempts aim for.
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
  core = openCore({ dataDir: path.join(tmp, 'data') });
  server = await startHttpServer({ core, rendererDir });
});

afterAll(async () => {
  await server?.close();
  core?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a valid API call', () => {
  it('creates an entry and reads it back', async () => {
    const before = entryCount();
    const created = await request(apiCall('entries.create', { body: 'Drafted the agenda with @Rogier #summit2014' }));
    expect(created.status).toBe(200);
    const result = envelope(created);
    expect(result.ok).toBe(true);
    expect(result.value!.body).toBe('Drafted the agenda with @Rogier #summit2014');
    expect(result.value!.tags).toContain('summit2014');
    expect(entryCount()).toBeGreaterThan(before);

    const read = await request(apiCall('entries.get', { id: result.value!.id }));
    expect(read.status).toBe(200);
    expect(envelope(read).value!.entry.id).toBe(result.value!.id);
    expect(read.headers['cache-control']).toBe('no-store');
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts the localhost name, its own Origin and a charset parameter', async () => {
    const reply = await request(
      apiCall('journal.stats', {}, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}`, 'Content-Type': 'application/json; charset=utf-8' }),
    );
    expect(reply.status).toBe(200);
    expect(envelope(reply).ok).toBe(true);
  });

  it('maps error codes to statuses and still answers with the envelope', async () => {
    const missing = await request(apiCall('entries.get', { id: 'doesnotexist' }));
    expect(missing.status).toBe(404);
    expect(envelope(missing).error?.code).toBe('NOT_FOUND');

    const invalid = await request(apiCall('entries.create', { kind: 'note', body: '', unexpected: 1 }));
    expect(invalid.status).toBe(400);
    const error = envelope(invalid).error!;
    expect(error.code).toBe('VALIDATION');
    expect(Array.isArray(error.issues)).toBe(true);

    // A conflict names the entry in the way, for the page to offer it.
    const ada = envelope(await request(apiCall('entries.create', { kind: 'person', person: { name: 'Ada Byron' } }))).value!;
    const again = await request(apiCall('entries.create', { kind: 'person', person: { name: 'ada byron' } }));
    expect(again.status).toBe(409);
    expect(envelope(again).error).toEqual({
      code: 'CONFLICT',
      message: 'Ada Byron is already in your journal; add them again as another person only if this is someone else of the same name.',
      entryId: ada.id,
    });
  });
});

describe('refused API requests change nothing', () => {
  const note = { body: 'This must never be saved #refused' };
  const cases: Array<{ name: string; spec: () => RequestSpec; status: number; code: string }> = [
    { name: 'no token', spec: () => apiCall('entries.create', note, { Authorization: undefined }), status: 401, code: 'UNAUTHORIZED' },
    { name: 'a wrong token', spec: () => apiCall('entries.create', note, { Authorization: `Bearer ${'x'.repeat(43)}` }), status: 401, code: 'UNAUTHORIZED' },
    { name: 'the token with one character changed', spec: () => apiCall('entries.create', note, { Authorization: `Bearer ${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}` }), status: 401, code: 'UNAUTHORIZED' },
    { name: 'the token without the Bearer scheme', spec: () => apiCall('entries.create', note, { Authorization: server.token }), status: 401, code: 'UNAUTHORIZED' },
    { name: 'the token in the query string', spec: () => ({ ...apiCall('entries.create', note, { Authorization: undefined }), path: `/api/entries.create?token=${server.token}` }), status: 401, code: 'UNAUTHORIZED' },
    { name: 'another Origin', spec: () => apiCall('entries.create', note, { Origin: 'https://evil.example' }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'an Origin on another port', spec: () => apiCall('entries.create', note, { Origin: `http://127.0.0.1:${server.port + 1}` }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'Origin null (sandboxed frame, file:)', spec: () => apiCall('entries.create', note, { Origin: 'null' }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'a cross-site fetch', spec: () => apiCall('entries.create', note, { 'Sec-Fetch-Site': 'cross-site' }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'a foreign Host header (DNS rebinding)', spec: () => apiCall('entries.create', note, { Host: `evil.example:${server.port}` }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'a Host header without the port', spec: () => apiCall('entries.create', note, { Host: '127.0.0.1' }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'a Host header with another port', spec: () => apiCall('entries.create', note, { Host: `127.0.0.1:${server.port + 1}` }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'GET instead of POST', spec: () => ({ ...apiCall('entries.create', note), method: 'GET', body: undefined }), status: 405, code: 'VALIDATION' },
    { name: 'PUT instead of POST', spec: () => ({ ...apiCall('entries.create', note), method: 'PUT' }), status: 405, code: 'VALIDATION' },
    { name: 'a CORS preflight', spec: () => ({ ...apiCall('entries.create', note, { Authorization: undefined, Origin: 'https://evil.example' }), method: 'OPTIONS', body: undefined }), status: 403, code: 'UNAUTHORIZED' },
    { name: 'text/plain (a "simple" cross-site request)', spec: () => apiCall('entries.create', note, { 'Content-Type': 'text/plain' }), status: 415, code: 'VALIDATION' },
    { name: 'a form post', spec: () => ({ ...apiCall('entries.create', note, { 'Content-Type': 'application/x-www-form-urlencoded' }), body: 'body=hi' }), status: 415, code: 'VALIDATION' },
    { name: 'no Content-Type', spec: () => apiCall('entries.create', note, { 'Content-Type': undefined }), status: 415, code: 'VALIDATION' },
    { name: 'malformed JSON', spec: () => ({ ...apiCall('entries.create', note), body: '{"body": "half' }), status: 400, code: 'VALIDATION' },
    { name: 'JSON that is not UTF-8 (Latin-1 "café")', spec: () => ({ ...apiCall('entries.create', note), body: Buffer.from(JSON.stringify({ body: 'café #refused' }), 'latin1') }), status: 400, code: 'VALIDATION' },
    { name: 'a body over the limit', spec: () => ({ ...apiCall('entries.create', note), body: JSON.stringify({ body: 'x'.repeat(9 * 1024 * 1024) }) }), status: 413, code: 'VALIDATION' },
    { name: 'an unknown method', spec: () => apiCall('entries.hack', note), status: 404, code: 'UNKNOWN_METHOD' },
    { name: 'a prototype key as method', spec: () => apiCall('constructor', note), status: 404, code: 'UNKNOWN_METHOD' },
    { name: 'a method path with traversal', spec: () => apiCall('..%2fentries.create', note), status: 404, code: 'UNKNOWN_METHOD' },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.status} ${c.code}`, async () => {
      const before = entryCount();
      const reply = await request(c.spec());
      expect(reply.status).toBe(c.status);
      const result = envelope(reply);
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe(c.code);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(entryCount()).toBe(before);
    });
  }

  it('never lets a refused note reach the journal', async () => {
    const rows = core.db.prepare("SELECT count(*) AS n FROM entries WHERE body LIKE '%#refused%'").get() as { n: number };
    expect(rows.n).toBe(0);
  });
});

describe('static files', () => {
  it('serves index.html at / without a token, with the security headers', async () => {
    const reply = await request({ path: '/', headers: { Host: ownHost() } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.text).toContain('<title>Outloud</title>');
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    for (const directive of ["default-src 'self'", "script-src 'self'", "img-src 'self' data:", "object-src 'none'", "frame-ancestors 'none'"]) {
      expect(reply.headers['content-security-policy']).toContain(directive);
    }
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves assets with their content types', async () => {
    const js = await request({ path: '/assets/app.js', headers: { Host: ownHost() } });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).toBe('console.log("app");');
    const css = await request({ path: '/assets/style.css?v=1', headers: { Host: ownHost() } });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const missing = await request({ path: '/assets/nope.js', headers: { Host: ownHost() } });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses pages under a foreign Host header too', async () => {
    const reply = await request({ path: '/', headers: { Host: `rebind.example:${server.port}` } });
    expect(reply.status).toBe(403);
    expect(reply.text).not.toContain('<title>Outloud</title>');
  });

  it('refuses POST to a page', async () => {
    const reply = await request({ method: 'POST', path: '/index.html', headers: { Host: ownHost() }, body: '' });
    expect(reply.status).toBe(405);
  });

  const traversals = [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets%5c..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%ZZ',
  ];
  for (const p of traversals) {
    it(`refuses path traversal ${p}`, async () => {
      const reply = await request({ path: p, headers: { Host: ownHost() } });
      expect(reply.status).toBe(400);
      expect(reply.text).not.toContain('TOP-SECRET');
      expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    });
  }

  it('does not follow a symlink out of the renderer folder', async () => {
    const link = path.join(rendererDir, 'leak.txt');
    try {
      fs.symlinkSync(path.join(tmp, 'secret.txt'), link);
    } catch {
      return; // No symlinks on this file system (Windows without the privilege): nothing to prove.
    }
    const reply = await request({ path: '/leak.txt', headers: { Host: ownHost() } });
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain('TOP-SECRET');
  });
});

describe('startHttpServer', () => {
  it('refuses to listen on anything but 127.0.0.1', async () => {
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.2']) {
      await expect(startHttpServer({ core, host, rendererDir })).rejects.toThrow(/only listens on 127\.0\.0\.1/);
    }
  });

  it('makes a new random token each launch and puts it in the URL fragment only', async () => {
    const other = await startHttpServer({ core, rendererDir });
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.token).not.toBe(server.token);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/#token=${other.token}`);
      // The first server's token does not open the second one.
      const reply = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: other.port, method: 'POST', path: '/api/journal.stats', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
      expect(reply).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses a short or non-URL-safe token', async () => {
    await expect(startHttpServer({ core, rendererDir, token: 'short' })).rejects.toThrow(/URL-safe/);
    await expect(startHttpServer({ core, rendererDir, token: 'has spaces and # signs in it!' })).rejects.toThrow(/URL-safe/);
  });

  it('drops a connection whose headers do not all come within their time, at that time (not up to 30 s later)', async () => {
    const other = await startHttpServer({ core, rendererDir, headersTimeoutMs: 600 });
    try {
      const socket = net.connect(other.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      const started = performance.now();
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // and never the blank line that ends the headers
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      await new Promise((resolve) => socket.once('close', resolve));
      const took = performance.now() - started;
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      // Within the deadline and the server's one-second check after it (the default check came every 30 s).
      expect(took).toBeGreaterThanOrEqual(550);
      expect(took).toBeLessThan(5_000);
    } finally {
      await other.close();
    }
  });

  it('uses a token passed in', async () => {
    const fixed = 'a-fixed-token-for-this-test-0123456789';
    const other = await startHttpServer({ core, rendererDir, token: fixed });
    try {
      expect(other.token).toBe(fixed);
    } finally {
      await other.close();
    }
  });
});

describe('file transfers', () => {
  /** A journal of its own behind a server of its own, with the file transfers on. */
  interface FileJournal {
    core: Core;
    server: HttpServer;
    files: JournalFiles;
  }
  const opened: FileJournal[] = [];

  async function openFileJournal(
    options: { tuning?: { singleCallLimit?: number; batchSize?: number; lockFreeMs?: number } } & Pick<HttpServerOptions, 'maxImportFileBytes' | 'bodyIdleMs' | 'bodyTotalMs'> = {},
  ): Promise<FileJournal> {
    const journalCore = openCore({ dataDir: fs.mkdtempSync(path.join(tmp, 'files-')) });
    const files = journalFiles(journalCore, { tuning: options.tuning });
    const { maxImportFileBytes, bodyIdleMs, bodyTotalMs } = options;
    const journalServer = await startHttpServer({ core: journalCore, rendererDir, files, maxImportFileBytes, bodyIdleMs, bodyTotalMs });
    const journal = { core: journalCore, server: journalServer, files };
    opened.push(journal);
    return journal;
  }

  /** What is left in the journal's scratch folder. */
  function scratchFiles(journal: FileJournal): string[] {
    try {
      return fs.readdirSync(path.join(journal.core.dataDir, SCRATCH_FOLDER));
    } catch {
      return [];
    }
  }

  /** The scratch folder empties once the answer is out (the download's file goes when its stream closes). */
  async function expectScratchEmpty(journal: FileJournal): Promise<void> {
    await expect.poll(() => scratchFiles(journal), { timeout: 2_000 }).toEqual([]);
  }

  function counts(journal: FileJournal) {
    const stats = journal.core.services.journal.stats();
    return { entries: stats.entries, revisions: stats.revisions, links: journal.core.services.journal.exportJournal().links.length };
  }

  /** A well-formed transfer with fetch; a test spoils one thing through `init`. */
  function transfer(journal: FileJournal, which: 'export' | 'import', init: RequestInit & { duplex?: 'half' } = {}): Promise<Response> {
    return fetch(`${journal.server.origin}/api/files/${which}`, {
      method: 'POST',
      ...init,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${journal.server.token}`, ...(init.headers as Record<string, string> | undefined) },
    });
  }

  interface ImportReply {
    status: number;
    result: { ok: boolean; value?: ImportReport; error?: { code: string; message: string } };
  }

  async function importFile(journal: FileJournal, body: RequestInit['body']): Promise<ImportReply> {
    const response = await transfer(journal, 'import', { body });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    return { status: response.status, result: (await response.json()) as ImportReply['result'] };
  }

  let source: FileJournal;
  /** The source journal's export, as the server streamed it (the uploads below send it). */
  let exported: string;

  beforeAll(async () => {
    source = await openFileJournal();
    const call = async (method: string, input: unknown) => {
      const result = await source.core.dispatch(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as { id: string };
    };
    await call('entries.create', { kind: 'person', title: 'Rogier', body: 'Runs the venue', person: { name: 'Rogier' } });
    const agenda = await call('entries.create', { body: 'Drafted the agenda with @Rogier #summit2014' });
    await call('entries.update', { id: agenda.id, body: 'Drafted the agenda with @Rogier and @Mina #summit2014' });
    for (let i = 0; i < 12; i++) await call('entries.create', { body: `Note ${i} about [[Drafted the agenda]] with @Mina #wol` });
    await call('entries.create', { kind: 'bookmark', body: 'Working out loud', bookmark: { url: 'https://example.org/wol' } });
    const download = await transfer(source, 'export');
    expect(download.status).toBe(200);
    exported = await download.text();
  });

  afterAll(async () => {
    for (const journal of opened) {
      await journal.server.close();
      journal.core.close();
    }
  });

  it('export streams a complete export as a download, then removes its scratch file', async () => {
    const expected = source.core.services.journal.exportJournal();
    expect(expected.revisions.length).toBeGreaterThan(0);
    expect(expected.links.length).toBeGreaterThan(0);

    // In a zone whose date is not UTC's right now: the file is named for the local day.
    const zone = process.env.TZ;
    process.env.TZ = new Date().getUTCHours() >= 12 ? 'Pacific/Kiritimati' : 'Etc/GMT+12';
    let response: Response;
    let localName: string;
    try {
      response = await transfer(source, 'export', { body: '{}' });
      localName = exportFileName();
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(localName).not.toBe(`outloud-export-${new Date().toISOString().slice(0, 10)}.json`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text) as JournalExport;
    expect({ entries: data.entries, revisions: data.revisions, links: data.links }).toEqual({ entries: expected.entries, revisions: expected.revisions, links: expected.links });
    expect(data.format).toBe(expected.format);
    expect(data.version).toBe(expected.version);

    const h = response.headers;
    expect(h.get('content-type')).toBe('application/json; charset=utf-8');
    expect(h.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(h.get('content-disposition')).toBe(`attachment; filename="${localName}"`);
    expect(h.get('x-outloud-entries')).toBe(String(expected.entries.length));
    expect(h.get('x-outloud-revisions')).toBe(String(expected.revisions.length));
    expect(h.get('x-outloud-links')).toBe(String(expected.links.length));
    expect(h.get('cache-control')).toBe('no-store');
    expect(h.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('access-control-allow-origin')).toBeNull();
    await expectScratchEmpty(source);

    // An empty body asks for the same.
    const again = await transfer(source, 'export');
    expect(again.status).toBe(200);
    expect((JSON.parse(await again.text()) as JournalExport).entries).toEqual(expected.entries);
    await expectScratchEmpty(source);
  });

  it('import of an export adds its entries to another journal once, then removes its scratch file', async () => {
    const target = await openFileJournal();
    const before = counts(target);
    const first = await importFile(target, exported);
    expect(first.status).toBe(200);
    expect(first.result.ok).toBe(true);
    const want = counts(source);
    expect(first.result.value).toEqual({ added: want.entries, updated: 0, skipped: 0, revisions: want.revisions, links: want.links, leftOut: 0, errors: [] });
    expect(before.entries).toBe(0);
    expect(counts(target)).toEqual(want);
    await expectScratchEmpty(target);

    const second = await importFile(target, exported);
    expect(second.status).toBe(200);
    expect(second.result.value).toEqual({ added: 0, updated: 0, skipped: want.entries, revisions: 0, links: 0, leftOut: 0, errors: [] });
    expect(counts(target)).toEqual(want);
    await expectScratchEmpty(target);
  });

  it('imports a large file through HTTP in several batches, the same as in one', async () => {
    // A file over the (lowered) single-call limit goes in transactions of 7 items.
    const maker = await openFileJournal();
    maker.core.services.entries.createMany(
      Array.from({ length: 60 }, (_, i) => EntryCreateInput.parse(i % 10 === 0 ? { kind: 'person', title: `Person ${i}`, body: '', person: { name: `Person ${i}` } } : { body: `Batch note ${i} with @Person${i - (i % 10)} #batch` })),
    );
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'export-')), 'journal.json');
    const written = await journalFiles(maker.core).exportTo(file);
    expect(written.ok).toBe(true);
    const want = counts(maker);
    expect(want.entries).toBeGreaterThanOrEqual(60);
    expect(want.links).toBeGreaterThan(0);

    const target = await openFileJournal({ tuning: { singleCallLimit: 10, batchSize: 7 } });
    const batches = vi.spyOn(target.core.services.journal, 'importValidated');
    const whole = vi.spyOn(target.core, 'dispatch');
    try {
      const reply = await importFile(target, fs.readFileSync(file));
      expect(reply.status).toBe(200);
      expect(reply.result.value).toEqual({ added: want.entries, updated: 0, skipped: 0, revisions: want.revisions, links: want.links, leftOut: 0, errors: [] });
      expect(batches.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(want.entries / 7)); // at most 7 entries a transaction
      expect(whole).not.toHaveBeenCalledWith('journal.import', expect.anything());
      expect(counts(target)).toEqual(want);
      expect(target.core.services.journal.exportJournal().entries).toEqual(maker.core.services.journal.exportJournal().entries);
    } finally {
      batches.mockRestore();
      whole.mockRestore();
    }
    await expectScratchEmpty(target);
  });

  const notExports: Array<{ name: string; body: () => string | Buffer; message: RegExp }> = [
    { name: 'a JSON file that is not an export', body: () => '{"hello":1}', message: /^Not an Outloud journal export: it has no "format"; nothing was imported/ },
    { name: 'an export cut off in the middle', body: () => exported.slice(0, Math.floor(exported.length / 2)), message: /^Not an Outloud journal export: the file ends too early, in entries\[\d+\] .*; nothing was imported/ },
    { name: 'garbage bytes (not UTF-8)', body: () => Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x7b, 0x22, 0xa0, 0xa1, 0xe2, 0x82]), message: /^Not an Outloud journal export: the file is not UTF-8 text.*; nothing was imported/ },
    { name: 'an export saved as Latin-1', body: () => Buffer.from(exported.replace('Drafted', 'Drafté'), 'latin1'), message: /^Not an Outloud journal export: entries\[\d+\] is not UTF-8 text: byte 0xE9 at character \d+/ },
    { name: 'an empty upload', body: () => '', message: /^The upload is empty/ },
  ];
  for (const c of notExports) {
    it(`import of ${c.name}: 400 with a message saying what is wrong, nothing written`, async () => {
      const target = await openFileJournal();
      await importFile(target, exported); // something there already, that must stay as it is
      const before = counts(target);
      const reply = await importFile(target, c.body());
      expect(reply.status).toBe(400);
      expect(reply.result.ok).toBe(false);
      expect(reply.result.error?.code).toBe('VALIDATION');
      expect(reply.result.error?.message).toMatch(c.message);
      expect(reply.result.error?.message).not.toContain(SCRATCH_FOLDER); // no path of ours: it is the person's file
      expect(counts(target)).toEqual(before);
      await expectScratchEmpty(target);
    });
  }

  it('removes the scratch file of a download the client leaves midway', async () => {
    const maker = await openFileJournal();
    // Far more than the socket buffers hold: the client stops reading, then leaves.
    maker.core.services.entries.createMany(Array.from({ length: 60 }, (_, i) => EntryCreateInput.parse({ body: `Long note ${i} ${'lorem ipsum '.repeat(33_000)}` })));
    const left = await new Promise<{ status: number; scratch: string[] }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: maker.server.port, method: 'POST', path: '/api/files/export', headers: { Authorization: `Bearer ${maker.server.token}`, 'Content-Type': 'application/json' }, agent: false },
        (res) => {
          const seen = { status: res.statusCode ?? 0, scratch: scratchFiles(maker) };
          req.destroy();
          resolve(seen);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(left.status).toBe(200);
    expect(left.scratch).toEqual([expect.stringMatching(/^export-[0-9a-f]+\.json$/)]);
    await expectScratchEmpty(maker);
  });

  it('imports nothing from an upload the client cuts short, and removes its scratch file', async () => {
    const target = await openFileJournal();
    const before = counts(target);
    const req = http.request({
      host: '127.0.0.1',
      port: target.server.port,
      method: 'POST',
      path: '/api/files/import',
      headers: { Authorization: `Bearer ${target.server.token}`, 'Content-Type': 'application/json', 'Content-Length': String(exported.length * 10) },
      agent: false,
    });
    req.on('error', () => {}); // it is cut short on purpose
    req.write(exported);
    await expect.poll(() => scratchFiles(target), { timeout: 2_000 }).toEqual([expect.stringMatching(/^import-[0-9a-f]+\.json$/)]);
    req.destroy();
    await expectScratchEmpty(target);
    expect(counts(target)).toEqual(before);
    // The server goes on serving.
    expect((await importFile(target, exported)).status).toBe(200);
  });

  describe('an import under way', () => {
    /** An export of 60 notes and 6 people, and a journal that imports it 7 items a transaction. */
    async function slowImport() {
      const maker = await openFileJournal();
      maker.core.services.entries.createMany(Array.from({ length: 60 }, (_, i) => EntryCreateInput.parse({ body: `Cancel note ${i} with @Person${i % 6} #cancel` })));
      const file = path.join(fs.mkdtempSync(path.join(tmp, 'export-')), 'journal.json');
      expect((await journalFiles(maker.core).exportTo(file)).ok).toBe(true);
      // Batches of 7 items, each followed by a 20 ms pause (the import's own is 5 ms): time to act midway.
      const target = await openFileJournal({ tuning: { singleCallLimit: 10, batchSize: 7, lockFreeMs: 20 } });
      return { body: fs.readFileSync(file), want: counts(maker), target };
    }

    /** Starts an upload with http.request, to leave it midway; resolves once the body has gone. */
    function startUpload(journal: FileJournal, body: Buffer): http.ClientRequest {
      const req = http.request({
        host: '127.0.0.1',
        port: journal.server.port,
        method: 'POST',
        path: '/api/files/import',
        headers: { Authorization: `Bearer ${journal.server.token}`, 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
        agent: false,
      });
      req.on('error', () => {}); // it is left on purpose
      req.end(body);
      return req;
    }

    it('is cancelled when its client goes away: it stops before the next batch, and the same upload again completes it', async () => {
      const { body, want, target } = await slowImport();
      const req = startUpload(target, body);
      await expect.poll(() => counts(target).entries, { timeout: 5_000, interval: 5 }).toBeGreaterThan(0);
      req.destroy();
      await expect.poll(() => target.files.importing, { timeout: 5_000 }).toBe(false);
      const kept = counts(target).entries;
      expect(kept, 'it stopped before the end').toBeLessThan(want.entries);
      expect((await target.core.services.journal.doctor()).ok).toBe(true);
      await expectScratchEmpty(target);

      const again = await importFile(target, body);
      expect(again.status).toBe(200);
      expect(again.result.value).toMatchObject({ added: want.entries - kept, skipped: kept, errors: [] });
      expect(counts(target)).toEqual(want);
    });

    it('takes a new upload right after a client cancelled its import: the new import waits for the old one to stop', async () => {
      const { body, want, target } = await slowImport();
      // The signal each import is given, to see when the server has cancelled the first.
      const signals: Array<AbortSignal | undefined> = [];
      const importFrom = target.files.importFrom;
      target.files.importFrom = (file, onProgress, signal) => (signals.push(signal), importFrom(file, onProgress, signal));
      const req = startUpload(target, body);
      await expect.poll(() => counts(target).entries, { timeout: 5_000, interval: 5 }).toBeGreaterThan(0);
      req.destroy();
      await expect.poll(() => signals[0]?.aborted, { timeout: 5_000, interval: 1 }).toBe(true);

      const again = await importFile(target, body);
      expect(again.status).toBe(200);
      expect(again.result.value).toMatchObject({ errors: [] });
      expect(counts(target)).toEqual(want);
      expect((await target.core.services.journal.doctor()).ok).toBe(true);
      await expectScratchEmpty(target);
    });

    it('refuses a second import with 409 before taking its upload, and completes the first', async () => {
      const { body, want, target } = await slowImport();
      const first = importFile(target, body);
      await expect.poll(() => target.files.importing, { timeout: 5_000, interval: 5 }).toBe(true);
      const second = await importFile(target, body);
      expect(second).toEqual({
        status: 409,
        result: { ok: false, error: { code: 'CONFLICT', message: 'Another import is under way. Wait for it to finish, or cancel it, before importing another file.' } },
      });
      expect((await first).result.value).toMatchObject({ added: want.entries, errors: [] });
      expect(counts(target)).toEqual(want);
      await expectScratchEmpty(target);
    });
  });

  describe('a body that comes slowly or stalls', () => {
    /**
     * A POST to `pathname` whose body goes out in `pieces`, `gapMs` apart, and stops after `sendOnly`
     * of them (all by default); resolves with the answer, and whether a `100 Continue` came first.
     */
    function trickle(journal: FileJournal, pathname: string, body: Buffer, options: { pieces: number; gapMs: number; sendOnly?: number; expectContinue?: boolean; token?: string }) {
      return new Promise<{ status: number; text: string; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const req = http.request({
          host: '127.0.0.1',
          port: journal.server.port,
          method: 'POST',
          path: pathname,
          agent: false,
          headers: {
            Authorization: `Bearer ${options.token ?? journal.server.token}`,
            'Content-Type': 'application/json',
            'Content-Length': String(body.length),
            ...(options.expectContinue ? { Expect: '100-continue' } : {}),
          },
        });
        req.on('continue', () => (continued = true));
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), continued }));
        });
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
        const size = Math.ceil(body.length / options.pieces);
        const send = (k: number) => {
          if (req.destroyed || k >= (options.sendOnly ?? options.pieces)) return;
          req.write(body.subarray(k * size, (k + 1) * size));
          if (k + 1 === options.pieces) req.end();
          else setTimeout(() => send(k + 1), options.gapMs);
        };
        if (options.expectContinue) req.on('continue', () => send(0));
        else send(0);
        if (options.expectContinue) req.flushHeaders();
      });
    }

    it('takes an import file for as long as it keeps coming, past the time an API call may take', async () => {
      const target = await openFileJournal({ bodyIdleMs: 400, bodyTotalMs: 300 });
      const reply = await trickle(target, '/api/files/import', Buffer.from(exported), { pieces: 12, gapMs: 60 });
      expect(reply.status, reply.text).toBe(200);
      expect(JSON.parse(reply.text)).toMatchObject({ ok: true, value: { errors: [] } });
      expect(counts(target)).toEqual(counts(source));
    });

    it('refuses an import file that stalls with 408, imports nothing and keeps no scratch file', async () => {
      const target = await openFileJournal({ bodyIdleMs: 200 });
      const reply = await trickle(target, '/api/files/import', Buffer.from(exported), { pieces: 10, gapMs: 20, sendOnly: 3 });
      expect(reply.status).toBe(408);
      expect(JSON.parse(reply.text)).toEqual({ ok: false, error: { code: 'IO', message: 'The request body stalled (nothing came for 0.2 s); nothing was done: send it again.' } });
      expect(counts(target).entries).toBe(0);
      await expectScratchEmpty(target);
      // The server goes on answering.
      expect((await importFile(target, exported)).status).toBe(200);
    });

    it('refuses an API call whose body stalls, or takes longer than an API call may, with 408 and nothing saved', async () => {
      // A stall is told once the bytes that came are read: a busy machine reading the second piece late
      // delays it, so the whole body's limit is well after it.
      const target = await openFileJournal({ bodyIdleMs: 200, bodyTotalMs: 700 });
      const body = Buffer.from(JSON.stringify({ body: `A note ${'x'.repeat(2_000)}` }));
      const stalled = await trickle(target, '/api/entries.create', body, { pieces: 4, gapMs: 10, sendOnly: 2 });
      expect(stalled.status).toBe(408);
      expect(JSON.parse(stalled.text).error.message).toMatch(/^The request body stalled/);
      const slow = await trickle(target, '/api/entries.create', body, { pieces: 10, gapMs: 100 });
      expect(slow.status).toBe(408);
      expect(JSON.parse(slow.text).error.message).toBe('The request body took longer than 0.7 s; nothing was done: send it again.');
      expect(counts(target).entries).toBe(0);
      const quick = await trickle(target, '/api/entries.create', body, { pieces: 2, gapMs: 20 });
      expect(quick.status).toBe(200);
    });

    it('refuses a second import while the first is still being uploaded, before taking its body', async () => {
      const target = await openFileJournal({ bodyIdleMs: 5_000 });
      const first = trickle(target, '/api/files/import', Buffer.from(exported), { pieces: 8, gapMs: 80 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await trickle(target, '/api/files/import', Buffer.from(exported), { pieces: 1, gapMs: 0, expectContinue: true });
      expect(second).toMatchObject({ status: 409, continued: false });
      expect(JSON.parse(second.text).error.code).toBe('CONFLICT');
      expect((await first).status).toBe(200);
      expect(counts(target)).toEqual(counts(source));
    });

    it("says `100 Continue` only to a request that passed its checks, so a refused client never sends its body", async () => {
      const target = await openFileJournal();
      const refused = await trickle(target, '/api/files/import', Buffer.from(exported), { pieces: 1, gapMs: 0, expectContinue: true, token: 'wrong' });
      expect(refused).toMatchObject({ status: 401, continued: false });
      const call = await trickle(target, '/api/entries.create', Buffer.from(JSON.stringify({ body: 'Asked first' })), { pieces: 1, gapMs: 0, expectContinue: true });
      expect(call).toMatchObject({ status: 200, continued: true });
      const upload = await trickle(target, '/api/files/import', Buffer.from(exported), { pieces: 1, gapMs: 0, expectContinue: true });
      expect(upload).toMatchObject({ status: 200, continued: true });
    });
  });

  describe('an upload over maxImportFileBytes', () => {
    const limit = 1_000;
    const big = () => JSON.stringify({ format: 'outloud-journal', version: 1, exportedAt: 0, entries: [], revisions: [], links: [], padding: 'x'.repeat(5 * limit) });

    it('is refused with 413 when its Content-Length says so, nothing imported', async () => {
      const target = await openFileJournal({ maxImportFileBytes: limit });
      const response = await transfer(target, 'import', { body: big() });
      expect(response.status).toBe(413);
      expect(response.headers.get('connection')).toBe('close');
      const result = (await response.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(result.error.message).toBe('The file is too large to import here (the limit is 1,000 bytes).');
      expect(counts(target).entries).toBe(0);
      await expectScratchEmpty(target);
    });

    it('is refused with 413 once the bytes received pass the limit, without a Content-Length', async () => {
      const target = await openFileJournal({ maxImportFileBytes: limit });
      const bytes = Buffer.from(big());
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= bytes.length) {
            controller.close();
            return;
          }
          controller.enqueue(bytes.subarray(sent, sent + 300));
          sent += 300;
        },
      });
      const response = await transfer(target, 'import', { body, duplex: 'half' });
      expect(response.headers.get('content-length')).not.toBeNull();
      expect(response.status).toBe(413);
      const result = (await response.json()) as { ok: boolean; error: { code: string } };
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(counts(target).entries).toBe(0);
      await expectScratchEmpty(target);
    });

    it('still takes a file under the limit', async () => {
      const target = await openFileJournal({ maxImportFileBytes: limit });
      const small = JSON.stringify({ format: 'outloud-journal', version: 1, exportedAt: 0, entries: [], revisions: [], links: [] });
      const reply = await importFile(target, small);
      expect(reply.status).toBe(200);
      expect(reply.result.value).toEqual({ added: 0, updated: 0, skipped: 0, revisions: 0, links: 0, leftOut: 0, errors: [] });
      await expectScratchEmpty(target);
    });
  });

  describe('refused transfers change nothing', () => {
    const cases: Array<{ name: string; headers: (journal: FileJournal) => Record<string, string | undefined>; method?: string; status: number; code: string }> = [
      { name: 'no token', headers: () => ({ Authorization: undefined }), status: 401, code: 'UNAUTHORIZED' },
      { name: 'a wrong token', headers: () => ({ Authorization: `Bearer ${'x'.repeat(43)}` }), status: 401, code: 'UNAUTHORIZED' },
      { name: 'text/plain', headers: () => ({ 'Content-Type': 'text/plain' }), status: 415, code: 'VALIDATION' },
      { name: 'multipart/form-data (a form upload)', headers: () => ({ 'Content-Type': 'multipart/form-data; boundary=x' }), status: 415, code: 'VALIDATION' },
      { name: 'no Content-Type', headers: () => ({ 'Content-Type': undefined }), status: 415, code: 'VALIDATION' },
      { name: 'GET instead of POST', headers: () => ({}), method: 'GET', status: 405, code: 'VALIDATION' },
      { name: 'another Origin', headers: () => ({ Origin: 'https://evil.example' }), status: 403, code: 'UNAUTHORIZED' },
      { name: 'a cross-site fetch', headers: () => ({ 'Sec-Fetch-Site': 'cross-site' }), status: 403, code: 'UNAUTHORIZED' },
      { name: 'a foreign Host header (DNS rebinding)', headers: (j) => ({ Host: `evil.example:${j.server.port}` }), status: 403, code: 'UNAUTHORIZED' },
    ];
    for (const which of ['export', 'import'] as const) {
      for (const c of cases) {
        it(`${which} with ${c.name}: ${c.status} ${c.code}`, async () => {
          const target = await openFileJournal();
          const before = counts(target);
          const reply = await request(
            {
              method: c.method ?? 'POST',
              path: `/api/files/${which}`,
              headers: { Host: `127.0.0.1:${target.server.port}`, Authorization: `Bearer ${target.server.token}`, 'Content-Type': 'application/json', ...c.headers(target) },
              body: c.method === 'GET' ? undefined : which === 'import' ? exported : '{}',
            },
            target.server.port,
          );
          expect(reply.status).toBe(c.status);
          const result = envelope(reply);
          expect(result.ok).toBe(false);
          expect(result.error?.code).toBe(c.code);
          expect(reply.headers['content-disposition']).toBeUndefined();
          expect(reply.headers['access-control-allow-origin']).toBeUndefined();
          expect(counts(target)).toEqual(before);
          expect(scratchFiles(target)).toEqual([]);
        });
      }
    }

    it('answers 404 on a server without file transfers', async () => {
      for (const which of ['export', 'import']) {
        const reply = await request({ ...apiCall('journal.stats', {}), path: `/api/files/${which}`, body: which === 'import' ? exported : '{}' });
        expect(reply.status).toBe(404);
        expect(envelope(reply).error).toEqual({ code: 'UNKNOWN_METHOD', message: 'File transfers are not available here.' });
      }
      expect(fs.existsSync(path.join(core.dataDir, SCRATCH_FOLDER))).toBe(false);
    });
  });
});

describe('a long call', () => {
  // 10,000 entries: the doctor takes a while on them (its thread, its checks), and an import of them
  // holds this thread for a while (it runs on the thread that serves, as any call in browser mode).
  let doctorCore: Core;
  let doctorServer: HttpServer;
  /** The journal as `journal.import`'s input, as JSON. */
  let importBody: string;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(tmp, 'doctor-'));
    writeDoctorJournal(dataDir, { entries: 10_000, damaged: true });
    doctorCore = openCore({ dataDir });
    doctorServer = await startHttpServer({ core: doctorCore, rendererDir });
    importBody = JSON.stringify({ data: doctorCore.services.journal.exportJournal() });
  });

  afterAll(async () => {
    await doctorServer?.close();
    doctorCore?.close();
  });

  const post = async (target: HttpServer, method: string, input: unknown) => {
    const response = await fetch(`${target.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${target.token}` },
      body: JSON.stringify(input),
    });
    return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string } };
  };

  it("answers searches and saves while journal.doctor runs, and the doctor's report still finds a damaged index and a broken foreign key", async () => {
    let reported = false;
    const doctor = post(doctorServer, 'journal.doctor', {}).finally(() => (reported = true));
    // Sent once the server has the doctor's request in hand (it came first).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = { searches: 0, saves: 0 };
    for (let i = 0; !reported && i < 10_000; i++) {
      const save = i % 5 === 0;
      const answer = await (save ? post(doctorServer, 'entries.create', { body: `Saved during the check ${i}` }) : post(doctorServer, 'search.query', { q: 'agenda' }));
      expect(answer.ok).toBe(true);
      if (!reported) before[save ? 'saves' : 'searches']++;
    }
    expect(before.searches, 'searches answered before the report').toBeGreaterThan(0);
    expect(before.saves, 'saves answered before the report').toBeGreaterThan(0);
    const report = await doctor;
    expect(report.ok).toBe(true);
    expect((report.value as DoctorReport).ok).toBe(false);
    expect((report.value as DoctorReport).checks).toEqual(expect.arrayContaining(DAMAGE_FOUND.map((c) => expect.objectContaining(c))));
  });

  /**
   * Runs `script` (CommonJS) in a thread of its own with `data` as `workerData`, and resolves to what it
   * posts: a client that sends while this thread, the server's, is busy.
   */
  function clientThread<T>(script: string, data: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(script, { eval: true, workerData: data });
      worker.once('message', (message: T) => {
        resolve(message);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
  }

  /** What the client thread heard of one request. */
  interface ClientAnswer {
    method: string;
    status?: number;
    text?: string;
    /** The request went on a kept-alive connection. */
    reused: boolean;
    error?: string;
    sentAt: number;
    answeredAt: number;
  }

  /** The client side: `call(method, body, agent)` resolves to a ClientAnswer. */
  const CLIENT = `
    const http = require('node:http');
    const { parentPort, workerData } = require('node:worker_threads');
    const { port, token, importBody } = workerData;
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const headers = (length) => ({ Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', 'Content-Length': String(length) });
    function send(method, agent) {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/' + method, agent });
      const answer = new Promise((resolve) => {
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => resolve({ method, status: res.statusCode, text, reused: req.reusedSocket, answeredAt: Date.now() }));
        });
        req.on('error', (error) => resolve({ method, error: error.code || error.message, reused: req.reusedSocket, answeredAt: Date.now() }));
      });
      return { req, answer };
    }
    function call(method, body, agent) {
      const { req, answer } = send(method, agent);
      for (const [k, v] of Object.entries(headers(Buffer.byteLength(body)))) req.setHeader(k, v);
      req.end(body);
      const sentAt = Date.now();
      return answer.then((a) => ({ ...a, sentAt }));
    }
  `;

  it('answers a request sent on a kept-alive connection while the server was busy past its idle time, instead of resetting it', async () => {
    const busyCore = openCore({ dataDir: fs.mkdtempSync(path.join(tmp, 'busy-')) });
    const server = await startHttpServer({ core: busyCore, rendererDir, keepAliveTimeoutMs: 100 });
    try {
      const [slow, search] = await clientThread<[ClientAnswer, ClientAnswer]>(
        `${CLIENT}
        (async () => {
          // Keeps its connections as a browser does: Node's own agent drops one the server says it keeps
          // for less than 2 s (this test's server keeps them for 0.1 s).
          class Agent extends http.Agent {
            keepSocketAlive(socket) {
              socket.setKeepAlive(true);
              socket.unref();
              socket.setTimeout(0);
              return true;
            }
          }
          const agent = new Agent({ keepAlive: true, maxSockets: 2 });
          // Two connections, then idle (back in the agent's pool a moment after their answers).
          await Promise.all([call('journal.stats', '{}', agent), call('journal.stats', '{}', agent)]);
          await sleep(10);
          const slow = call('journal.import', importBody, agent);
          await sleep(250); // the server is importing, on its one thread: the other connection's idle time runs out meanwhile
          const search = call('search.query', '{"q":"agenda"}', agent);
          parentPort.postMessage(await Promise.all([slow, search]));
        })();`,
        { port: server.port, token: server.token, importBody },
      );
      expect(slow).toMatchObject({ method: 'journal.import', status: 200 });
      // What the test is about: sent on a connection kept alive, while the import held the server.
      expect(search).toMatchObject({ method: 'search.query', reused: true });
      expect(search.sentAt, 'the search went while the server was busy').toBeLessThan(slow.answeredAt);
      expect(search).toMatchObject({ status: 200 });
      expect(search.error).toBeUndefined();
    } finally {
      await server.close();
      busyCore.close();
    }
  });

  it("takes an API call's body that came in time while the server was busy past the idle time, instead of refusing it as stalled", async () => {
    const busyCore = openCore({ dataDir: fs.mkdtempSync(path.join(tmp, 'busy-')) });
    const server = await startHttpServer({ core: busyCore, rendererDir, bodyIdleMs: 100 });
    try {
      const [slow, note] = await clientThread<[ClientAnswer, ClientAnswer]>(
        `${CLIENT}
        (async () => {
          const body = JSON.stringify({ body: 'Sent in two parts ' + 'x'.repeat(2000) });
          const half = Math.floor(body.length / 2);
          const { req, answer } = send('entries.create', false);
          for (const [k, v] of Object.entries(headers(body.length))) req.setHeader(k, v);
          req.write(body.slice(0, half));
          await sleep(30); // the server is reading it
          const slow = call('journal.import', importBody, false);
          await sleep(200); // the server is importing, on its one thread: this body's idle time runs out meanwhile
          req.end(body.slice(half));
          const sentAt = Date.now();
          parentPort.postMessage(await Promise.all([slow, answer.then((a) => ({ ...a, sentAt }))]));
        })();`,
        { port: server.port, token: server.token, importBody },
      );
      expect(slow).toMatchObject({ method: 'journal.import', status: 200 });
      expect(note.sentAt, 'the rest of the body went while the server was busy').toBeLessThan(slow.answeredAt);
      expect({ status: note.status, text: note.text }).toMatchObject({ status: 200, text: expect.stringContaining('"ok":true') });
    } finally {
      await server.close();
      busyCore.close();
    }
  });
});
