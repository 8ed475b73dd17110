/**
 * Hostile note content (the brief's XSS.md): every payload saved as a note and viewed in the entry
 * view, the timeline and search results; the same strings as a title, a tag, a person's name and a
 * bookmark's URL and title. Each test proves no script ran (no dialog, no call to alert/confirm/
 * prompt), no request left for another host, and nothing dangerous is in the rendered DOM, and that
 * the content is visibly there (so a blank page cannot pass).
 *
 * The API sweeps run with the page's CSP switched off (bypassCSP): the policy is a second wall, and
 * these tests are about the first one, the renderer's own sanitising. The payloads typed through the
 * UI run with the CSP on, and there not even a violation report may occur.
 */
import type { Entry } from '../../../shared/domain/entry.ts';
import { expect, test, type Page } from './fixtures.ts';
import type { MainScreen } from './pages/MainScreen.ts';
import { audit, expectHarmless, loadPayloads, visibleTextOf } from './xss.ts';

const PAYLOADS = loadPayloads();
const MARKER = 'xsscase';

test('the payload list is read whole from the brief', () => {
  expect(PAYLOADS).toHaveLength(30);
  expect(PAYLOADS).toContain('[x][r]\n\n[r]: javascript:alert(1)');
  expect(PAYLOADS).toContain('![t](https://attacker.example/p.png)');
  expect(PAYLOADS[PAYLOADS.length - 1]).toBe('<a href="https://example.org" target="_blank">new window</a>');
});

const ENTRY_VIEW = {
  markdown: ['[data-testid="entry-view"] [data-testid="markdown"]'],
  views: ['[data-testid="entry-view"] .entry-article', '[data-testid="entry-view"] .entry-aside', '.page-header'],
};
const TIMELINE = { views: ['[data-testid="timeline"]'] };
const SEARCH = { views: ['[data-testid="search-result"]', '[data-testid="search-no-results"]'] };

/** Opens the search overlay on a query and waits for its answer. */
async function searchFor(app: MainScreen, q: string, total: number): Promise<void> {
  if (!(await app.search.dialog.isVisible())) await app.search.open();
  await app.search.query(q);
  await expect(app.search.count).toHaveText(`${total} ${total === 1 ? 'result' : 'results'}`);
  await app.search.showAll(total);
}

/** A window tall enough for the virtualised timeline to render every row at once. */
async function tallWindow(page: Page, rows: number): Promise<void> {
  await page.setViewportSize({ width: 1280, height: Math.max(800, rows * 110 + 400) });
}

test.describe('payloads typed into the composer, with the CSP on', () => {
  const typed = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '[x][r]\n\n[r]: javascript:alert(1)',
    '![t](https://attacker.example/p.png)',
    '<form id="api"><input name="send">',
  ];

  test('render as text in the timeline, the entry view and search, and trip nothing', async ({ app, page, guard }) => {
    for (const payload of typed) expect(PAYLOADS).toContain(payload);
    const { timeline, entry, search } = app;
    for (const payload of typed) await timeline.write(payload);

    await expect(timeline.entries).toHaveCount(typed.length);
    await expect(timeline.entry('<script>alert(1)</script>')).toHaveCount(1);
    await expect(timeline.entry('<img src=x onerror=alert(1)>')).toHaveCount(1);
    await expect(timeline.entry('<form id="api"><input name="send">')).toHaveCount(1);
    await expectHarmless(page, TIMELINE, 'in the timeline');

    for (const [i, payload] of typed.entries()) {
      // Newest first: the last one typed is the first row.
      await timeline.entries.nth(typed.length - 1 - i).locator('.tl-body').click();
      await expect(entry.body).toContainText(visibleTextOf(payload));
      if (payload.startsWith('![t]')) {
        // The hostile image is a text placeholder and a link that would open outside the app, never an <img>.
        await expect(entry.body.getByRole('link', { name: 'Image: t' })).toHaveAttribute('href', 'https://attacker.example/p.png');
      }
      await expectHarmless(page, ENTRY_VIEW, `in the entry view of ${JSON.stringify(payload)}`);
      await app.goTo('timeline');
    }

    await search.open();
    for (const [q, total] of [
      ['alert', 4],
      ['attacker', 1],
      ['api send', 1],
    ] as const) {
      await searchFor(app, q, total);
      await expect(search.marks(search.results.first()).first()).toBeVisible();
      await expectHarmless(page, SEARCH, `in search results for ${q}`);
    }
    await guard.expectClean();
  });
});

test.describe('every payload, saved through the API', () => {
  test.use({ bypassCSP: true });
  // Thirty payloads, each opened and audited: room for a slow, busy CI machine.
  test.describe.configure({ timeout: 60_000 });

  test('the checks catch what they look for: planted markup, a script call, a request to another host', async ({ app, journal, page, guard }) => {
    // The same checks the payload tests rely on, against a page where the damage is done on purpose,
    // so a check that quietly stopped working would show here.
    const note = await journal.api('entries.create', { body: 'A perfectly normal note' });
    const entry = await app.openEntry(note.id);
    await expect(entry.body).toHaveText('A perfectly normal note');
    expect((await audit(page, ENTRY_VIEW)).problems).toEqual([]);
    await entry.body.evaluate((el) => {
      const planted = [
        '<img src="x" onerror="1">',
        '<a href="javascript:void 0">j</a>',
        '<a href="  JaVa\tScRiPt:void 0">k</a>',
        '<form id="api"><input name="send"></form>',
        '<iframe srcdoc="x"></iframe>',
        '<span style="color:red">s</span>',
      ].join('');
      (el as unknown as { insertAdjacentHTML(where: string, html: string): void }).insertAdjacentHTML('beforeend', planted);
    });
    const { problems } = await audit(page, ENTRY_VIEW);
    for (const expected of [
      /forbidden element <img/,
      /event handler <img/,
      /dangerous URL in href <a href="javascript:/,
      /dangerous URL in href <a href=" {2}JaVa\tScRiPt:/,
      /id="api" could shadow a global/,
      /name="send" could shadow a global/,
      /forbidden element <form/,
      /srcdoc <iframe/,
      /attribute outside the Markdown allowlist <span style=/,
      /window\.api is an element/,
      /an element with id "api" exists/,
    ]) {
      expect(problems.some((p) => expected.test(p)), `the audit reports ${expected}`).toBe(true);
    }
    await page.evaluate(() => {
      (globalThis as unknown as { alert(m: string): void }).alert('planted');
      void fetch('https://attacker.example/ping').catch(() => undefined);
    });
    await expect.poll(() => guard.pageEvents()).toEqual(['alert(planted)']);
    await expect.poll(() => guard.foreignRequests).toEqual(['https://attacker.example/ping']);
  });

  test('as a note: harmless in the entry view, visibly rendered', async ({ app, journal, page, guard }) => {
    const entries: Entry[] = [];
    for (const body of PAYLOADS) entries.push(await journal.api('entries.create', { body, tags: [MARKER] }));
    for (const [i, payload] of PAYLOADS.entries()) {
      const entry = await app.openEntry(entries[i]!.id);
      await expect(entry.body, JSON.stringify(payload)).toContainText(visibleTextOf(payload));
      // Links from javascript:, vbscript:, data: and file: URLs are left without a target: clicking goes nowhere.
      for (const link of await entry.body.locator('a:not([href])').all()) await link.click();
      await expectHarmless(page, ENTRY_VIEW, `in the entry view of ${JSON.stringify(payload)}`);
    }
    await guard.expectClean();
  });

  test('as a note: harmless in the timeline, every one shown', async ({ app, journal, page, guard }) => {
    for (const body of PAYLOADS) await journal.api('entries.create', { body, tags: [MARKER] });
    await tallWindow(page, PAYLOADS.length);
    await app.reload();
    await expect(app.timeline.entries).toHaveCount(PAYLOADS.length);
    for (const payload of PAYLOADS.filter((p) => p.startsWith('<'))) {
      // As text, with the timeline's short form of a web address (its site and the start of its path).
      const shown = payload.replace(/\s+/g, ' ').replace(/https?:\/\/(www\.)?/g, '');
      await expect(app.timeline.entry(shown), `raw HTML shows as text: ${payload}`).not.toHaveCount(0);
    }
    for (const row of await app.timeline.entries.all()) await expect(row.locator('.tl-body')).not.toHaveText('');
    await expectHarmless(page, TIMELINE, 'in the timeline');
    await guard.expectClean();
  });

  test('as a note: harmless in search results, with highlighted snippets', async ({ app, journal, page, guard }) => {
    for (const body of PAYLOADS) await journal.api('entries.create', { body, tags: [MARKER] });
    await searchFor(app, `#${MARKER}`, PAYLOADS.length);
    await expectHarmless(page, SEARCH, `in search results for #${MARKER}`);
    for (const q of ['alert', 'javascript', 'script', 'onerror', 'svg', 'passwd', 'msgbox', 'attacker', 'api', 'window']) {
      await app.search.query(q);
      await expect(app.search.results.first()).toBeVisible();
      await expect(app.search.marks(app.search.results.first()).first()).toHaveText(new RegExp(q, 'i'));
      await expectHarmless(page, SEARCH, `in search results for ${q}`);
    }
    await app.search.close();
    // Related entries beside the composer show note content too.
    await app.timeline.composer.fill('javascript alert script onerror');
    await expect(page.getByTestId('related-panel').getByRole('link')).not.toHaveCount(0);
    await expectHarmless(page, { views: ['[data-testid="related-panel"]'] }, 'in related entries');
    await app.search.open();
    // Choosing a result with the keyboard opens it, still harmless.
    await app.search.query('onerror');
    await app.search.input.press('Enter');
    await expect(app.entry.body).toContainText('onerror');
    await expectHarmless(page, ENTRY_VIEW, 'in the entry opened from search');
    await guard.expectClean();
  });

  test('as a title and a tag: harmless in the timeline, the entry view and search', async ({ app, journal, page, guard }) => {
    const entries: Entry[] = [];
    for (const [i, payload] of PAYLOADS.entries()) {
      const tagged = await journal.call('entries.create', { title: payload, body: `Title case ${i} ${MARKER}`, tags: [payload] });
      if (tagged.ok) entries.push(tagged.value);
      else {
        // Only a tag over the length limit may be refused, with a reason; the title then goes alone.
        expect(payload.length, tagged.error.message).toBeGreaterThan(64);
        expect(tagged.error.code).toBe('VALIDATION');
        entries.push(await journal.api('entries.create', { title: payload, body: `Title case ${i} ${MARKER}` }));
      }
    }
    for (const [i, payload] of PAYLOADS.entries()) {
      const entry = await app.openEntry(entries[i]!.id);
      await expect(entry.title).toHaveText(payload);
      await expect(entry.body).toContainText(`Title case ${i}`);
      for (const tag of entries[i]!.tags) await expect(entry.tags.filter({ hasText: tag.replace(/\s+/g, ' ') })).toHaveCount(1);
      await expectHarmless(page, ENTRY_VIEW, `in the entry view of title ${JSON.stringify(payload)}`);
    }

    await tallWindow(page, PAYLOADS.length);
    await app.goTo('timeline');
    await expect(app.timeline.entries).toHaveCount(PAYLOADS.length);
    await expect(app.timeline.entries.locator('.tl-title').first()).not.toHaveText('');
    await expectHarmless(page, TIMELINE, 'titles and tags in the timeline');

    // Through a tag's own page (its name in the heading and in the URL).
    const tagged = entries.find((e) => e.tags.includes('<script>alert(1)</script>'))!;
    await app.openEntry(tagged.id);
    await app.entry.tags.filter({ hasText: '<script>alert(1)</script>' }).click();
    await expect(page.getByRole('heading', { name: '#<script>alert(1)</script>' })).toBeVisible();
    await expect(app.timeline.entries).toHaveCount(1);
    await expectHarmless(page, { views: [...TIMELINE.views, '.page-header'] }, 'on a tag page');

    await searchFor(app, `${MARKER} alert`, PAYLOADS.filter((p) => p.includes('alert')).length);
    await expectHarmless(page, SEARCH, 'titles in search results');
    await guard.expectClean();
  });

  test("as a person's name: harmless in People, on the person's page, in the timeline and search", async ({ app, journal, page, guard }) => {
    const people: Entry[] = [];
    // allowSameName: two payloads differ in case only, which as names are one name.
    for (const name of PAYLOADS) people.push(await journal.api('entries.create', { kind: 'person', person: { name, topics: [MARKER] }, allowSameName: true }));
    await app.goTo('people');
    await expect(app.people.cards).toHaveCount(PAYLOADS.length);
    await expectHarmless(page, { views: ['[data-testid="people-list"]'] }, 'in the people list');
    await app.people.askWhoKnows(MARKER);
    await expect(app.people.whoKnowsResults).toHaveCount(8);
    await expectHarmless(page, { views: ['[data-testid="who-knows-result"]'] }, 'in who knows about');

    for (const [i, name] of PAYLOADS.entries()) {
      const person = await app.openPerson(people[i]!.id);
      await expect(person.name).toHaveText(name);
      await expectHarmless(page, { views: ['[data-testid="person-page"]'] }, `on the page of ${JSON.stringify(name)}`);
    }

    await tallWindow(page, PAYLOADS.length);
    await app.goTo('timeline');
    await expect(app.timeline.entries).toHaveCount(PAYLOADS.length);
    await expectHarmless(page, TIMELINE, 'names in the timeline');

    await searchFor(app, 'alert kind:person', PAYLOADS.filter((p) => p.includes('alert')).length);
    await expectHarmless(page, SEARCH, 'names in search results');
    await guard.expectClean();
  });

  test("as a bookmark's URL and title: refused as a URL, harmless as a title and inside a web address", async ({ app, journal, page, guard }) => {
    for (const payload of PAYLOADS) {
      // None of them is a web address: the core refuses each with a reason instead of storing it.
      const asUrl = await journal.call('entries.create', { kind: 'bookmark', bookmark: { url: payload } });
      expect(asUrl.ok, `bookmark URL ${JSON.stringify(payload)}`).toBe(false);
      if (!asUrl.ok) expect(asUrl.error.code).toBe('VALIDATION');
    }
    const bookmarks: Entry[] = [];
    for (const [i, payload] of PAYLOADS.entries()) {
      const url = `https://example.org/${i}/${payload}?q=${payload}`;
      bookmarks.push(await journal.api('entries.create', { kind: 'bookmark', title: payload, body: `Bookmark case ${i}`, bookmark: { url, excerpt: payload } }));
    }
    await app.goTo('bookmarks');
    await expect(app.bookmarks.items).toHaveCount(PAYLOADS.length);
    await expectHarmless(page, { views: ['[data-testid="bookmark-list"]', '.split-rail'] }, 'in the bookmark list');

    for (const [i, payload] of PAYLOADS.entries()) {
      const entry = await app.openEntry(bookmarks[i]!.id);
      await expect(entry.title).toHaveText(payload);
      await expect(entry.bookmarkUrl).toHaveAttribute('href', /^https:\/\/example\.org\//);
      await expectHarmless(page, ENTRY_VIEW, `in the entry view of bookmark ${JSON.stringify(payload)}`);
    }

    await tallWindow(page, PAYLOADS.length);
    await app.goTo('timeline');
    await expect(app.timeline.entries).toHaveCount(PAYLOADS.length);
    await expectHarmless(page, TIMELINE, 'bookmarks in the timeline');

    await searchFor(app, 'alert kind:bookmark', PAYLOADS.filter((p) => p.includes('alert')).length);
    await expectHarmless(page, SEARCH, 'bookmarks in search results');
    await guard.expectClean();
  });
});
