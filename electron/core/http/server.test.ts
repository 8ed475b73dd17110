import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../core.ts';
import { CONTENT_SECURITY_POLICY, startHttpServer, type HttpServer } from './server.ts';

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
function request(spec: RequestSpec): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.headers ?? {})) if (v !== undefined) headers[k] = v;
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: spec.method ?? 'GET', path: spec.path, headers, setHost: false, agent: false },
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
