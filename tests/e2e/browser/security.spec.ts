/**
 * Browser mode's own security, seen from a page: without the token the app says so and the API
 * refuses; with it, the token leaves the address bar and the page runs under a strict CSP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SOCKET_PATH, SOCKET_PROTOCOL, SOCKET_TOKEN_PREFIX } from '../../../shared/api/socket.ts';
import { expect, test } from './fixtures.ts';

/** Another web site on this machine: any page the user visits can send requests to 127.0.0.1. */
async function otherSite(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Some other site</title><p>Nothing to see</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('a page opened without the token shows a clear "not authorised" state and no journal', async ({ browser, journal }) => {
  await journal.api('entries.create', { body: 'A private note about the #summit' });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${journal.server.origin}/`);
    await expect(page.getByRole('heading', { name: 'Open Outloud from its link' })).toBeVisible();
    await expect(page.getByText('needs the access token')).toBeVisible();
    await expect(page.getByTestId('nav-timeline')).toHaveCount(0);
    await expect(page.getByText('A private note')).toHaveCount(0);

    // The page's own fetch to the API, without the token (and with a wrong one), is refused.
    const statuses = await page.evaluate(async () => {
      const post = (headers: Record<string, string>) =>
        fetch('/api/entries.list', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { ok: boolean; error?: { code: string } },
        }));
      return [await post({}), await post({ Authorization: 'Bearer not-the-token-0123456789' })];
    });
    for (const { status, body } of statuses) {
      expect(status).toBe(401);
      expect(body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  } finally {
    await context.close();
  }
});

test('a token the server refuses turns the app into the "not authorised" state', async ({ browser, journal }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${journal.server.origin}/#token=this-is-not-the-right-token`);
    await expect(page.getByRole('heading', { name: 'Open Outloud from its link' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('with the token the app loads, takes the token out of the URL and keeps it across reloads of the tab', async ({ app, journal, page, guard }) => {
  await journal.api('entries.create', { body: 'Visible once authorised' });
  expect(page.url()).not.toContain(journal.server.token);
  await page.reload();
  await expect(app.timeline.entry('Visible once authorised')).toBeVisible();
  await guard.expectClean();
});

test('a new link opened in the same tab (the server started again) is read, and the app recovers', async ({ browser, journal }) => {
  await journal.api('entries.create', { body: 'Back after the restart' });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // The tab still holds the token of the server's last run.
    await page.goto(`${journal.server.origin}/#token=the-token-of-the-last-run`);
    await expect(page.getByRole('heading', { name: 'Open Outloud from its link' })).toBeVisible();
    // The new link differs only in its fragment: no page load of its own.
    await page.evaluate((token) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = `#token=${token}`;
    }, journal.server.token);
    await expect(page.getByText('Back after the restart')).toBeVisible();
    expect(page.url()).not.toContain(journal.server.token);
  } finally {
    await context.close();
  }
});

test('a page of another site cannot use the API, even knowing the token', async ({ page, journal }) => {
  const site = await otherSite();
  try {
    await page.goto(`${site.origin}/`);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/entries.create')) sent.push(`${request.method()} ${request.headers()['content-type']}`);
    });
    const outcome = await page.evaluate(
      async ({ api, token }) => {
        const results: string[] = [];
        // A JSON request with the token needs a CORS preflight, which the server never grants.
        try {
          const r = await fetch(`${api}/api/entries.create`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify({ body: 'planted by another site' }),
          });
          results.push(`json: answered ${r.status}`);
        } catch {
          results.push('json: blocked');
        }
        // A "simple" request goes out without a preflight: the server must refuse it on its own
        // (the page cannot read the answer either way: Cross-Origin-Resource-Policy makes it a network error).
        await fetch(`${api}/api/entries.create`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ body: 'planted by another site' }) }).then(
          () => results.push('simple: sent'),
          () => results.push('simple: sent, answer unreadable'),
        );
        return results;
      },
      { api: journal.server.origin, token: journal.server.token },
    );
    expect(outcome[0]).toBe('json: blocked');
    expect(outcome[1]).toMatch(/^simple: sent/);
    // The simple request did leave the page, and still nothing was written.
    expect(sent).toContain('POST text/plain');
    const listed = await journal.api('entries.list', {});
    expect(listed.items.map((e) => e.body)).not.toContain('planted by another site');
    expect(listed.items).toHaveLength(0);
  } finally {
    await site.close();
  }
});

test('a page of another site cannot open the API socket, even knowing the token', async ({ page, journal }) => {
  const site = await otherSite();
  try {
    await page.goto(`${site.origin}/`);
    // CORS does not apply to WebSockets: the server's Origin check is what refuses this one.
    const outcome = await page.evaluate(
      ({ url, protocols }) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url, protocols);
          ws.onopen = () => {
            ws.send(JSON.stringify({ id: 1, method: 'entries.create', input: { body: 'planted over the socket' } }));
            ws.onmessage = () => resolve('answered');
          };
          ws.onclose = () => resolve('refused');
        }),
      { url: `ws://127.0.0.1:${journal.server.port}${SOCKET_PATH}`, protocols: [SOCKET_PROTOCOL, `${SOCKET_TOKEN_PREFIX}${journal.server.token}`] },
    );
    expect(outcome).toBe('refused');
    expect((await journal.api('entries.list', {})).items).toHaveLength(0);
  } finally {
    await site.close();
  }
});

test('every page is served with a strict Content Security Policy', async ({ page, journal }) => {
  const response = await page.goto(journal.server.url);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("img-src 'self' data:");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
});

test('a web link in a note opens in a new tab with no way back to the app, and the app stays put', async ({ app, journal, guard }) => {
  const note = await journal.api('entries.create', { body: 'Read [the guide](https://example.org/guide) before Friday' });
  const entry = await app.openEntry(note.id);
  const link = entry.body.getByRole('link', { name: 'the guide' });
  await expect(link).toHaveAttribute('href', 'https://example.org/guide');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  const [tab] = await Promise.all([app.page.context().waitForEvent('page'), link.click()]);
  // The tab was opened for the link (the guard stops it before it reaches the network)…
  await expect.poll(() => guard.foreignRequests).toEqual(['https://example.org/guide']);
  // …without an opener, and the app did not navigate away.
  expect(await tab.evaluate(() => (globalThis as unknown as { opener: unknown }).opener)).toBeNull();
  expect(app.page.url()).toBe(`${journal.server.origin}/#/entry/${note.id}`);
  await expect(entry.body).toContainText('before Friday');
  expect(guard.dialogs).toEqual([]);
  expect(await guard.pageEvents()).toEqual([]);
});
