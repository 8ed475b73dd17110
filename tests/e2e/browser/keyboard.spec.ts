/**
 * The keyboard, end to end: the "g …" chords, j/k in the timeline (after the wheel, after Back, under
 * the sticky day heading) and in the other lists, and Esc in a question's answer form. Each test
 * starts from an empty journal and ends by checking the page stayed clean.
 */
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import type { Locator } from '@playwright/test';
import { expect, test, type Journal } from './fixtures.ts';
import type { NavTarget, Timeline } from './pages/MainScreen.ts';

test.afterEach(async ({ guard }) => {
  await guard.expectClean();
});

/** `count` notes, newest first "Note 0", "Note 1"…, three hours apart (so eight to a day, under day headings). */
function seedNotes(journal: Journal, count: number): void {
  const create = journal.core.handlers['entries.create'];
  const now = Date.now();
  journal.core.db.transaction(() => {
    for (let i = count - 1; i >= 0; i--) {
      // Every fourth one runs to a few lines, so the rows are not all the same height.
      const body = i % 4 === 0 ? `Note ${i}: ${'a longer note about the release plan and who reviews it, '.repeat(4)}` : `Note ${i}: standup`;
      create(EntryCreateInput.parse({ body, createdAt: now - i * 3 * 3600_000 }));
    }
  })();
}

/** The top and bottom of an element in the page, as it is drawn. */
async function place(locator: Locator): Promise<{ top: number; bottom: number }> {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} is not shown`);
  return { top: box.y, bottom: box.y + box.height };
}

/** The text ("Note 12") of the first timeline row wholly below the sticky day heading, and that row. */
async function firstRowInView(timeline: Timeline): Promise<{ note: string; top: number }> {
  const below = (await place(timeline.stickyDay)).bottom;
  const rows = await Promise.all((await timeline.entries.all()).map(async (row) => ({ ...(await place(row)), text: (await row.textContent()) ?? '' })));
  const first = rows.sort((a, b) => a.top - b.top).find((row) => row.top >= below - 1);
  if (!first) throw new Error('no row in view');
  return { note: /Note \d+/.exec(first.text)?.[0] ?? '', top: first.top };
}

/** The focused row is wholly in view: below the sticky day heading and above the bottom of the list. */
async function expectFocusedRowInView(timeline: Timeline, what: string): Promise<void> {
  const row = await place(timeline.focusedEntry);
  expect(row.top, `${what}: not under the day heading`).toBeGreaterThanOrEqual((await place(timeline.stickyDay)).bottom - 1);
  expect(row.bottom, `${what}: not below the list`).toBeLessThanOrEqual((await place(timeline.list)).bottom + 1);
}

test.describe('shortcuts', () => {
  test('g chords work however quickly they follow each other', async ({ app, page }) => {
    const chords: Array<[string, NavTarget]> = [
      ['p', 'people'],
      ['b', 'bookmarks'],
      ['q', 'questions'],
      ['d', 'trash'],
      ['s', 'settings'],
      ['t', 'timeline'],
      ['p', 'people'],
    ];
    for (const [key, target] of chords) {
      await page.keyboard.press('g');
      await page.keyboard.press(key);
      await expect(app.nav(target), `g ${key}`).toHaveAttribute('aria-current', 'page');
    }
  });
});

test.describe('j/k in the timeline', () => {
  test('after scrolling with the wheel, j starts from the first entry in view, not from the top', async ({ app, journal, page }) => {
    seedNotes(journal, 300);
    await app.reload();
    const { timeline } = app;
    await expect(timeline.entries.first()).toContainText('Note 0:');
    await timeline.list.hover();
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, 600);
    await expect.poll(() => timeline.list.evaluate((el) => el.scrollTop)).toBeGreaterThan(3000);
    await page.waitForTimeout(300); // the wheel's last scroll lands
    const inView = await firstRowInView(timeline);

    await page.keyboard.press('j');
    await expect(timeline.focusedEntry.locator('.tl-body')).toHaveText(new RegExp(`^${inView.note}:`));
    expect((await place(timeline.focusedEntry)).top, 'the list stays where it was').toBeCloseTo(inView.top, -1);
    await page.keyboard.press('j');
    await expect(timeline.focusedEntry.locator('.tl-body')).toHaveText(new RegExp(`^Note ${Number(inView.note.slice(5)) + 1}:`));
  });

  test('back from an entry deleted on its page, j and k go on from the entries beside it', async ({ app, journal, page }) => {
    seedNotes(journal, 120);
    await app.reload();
    const { timeline, entry } = app;
    const focused = timeline.focusedEntry.locator('.tl-body');
    await expect(timeline.entries.first()).toContainText('Note 0:');
    for (let i = 0; i < 30; i++) await page.keyboard.press('j');
    await expect(focused).toHaveText(/^Note 29:/);

    await page.keyboard.press('Enter');
    await entry.delete();
    await entry.backButton.click();
    await expect(timeline.entry(/^Note 29:/)).toHaveCount(0);
    await page.keyboard.press('j');
    await expect(focused).toHaveText(/^Note 30:/);

    await page.keyboard.press('Enter');
    await entry.delete();
    await entry.backButton.click();
    await expect(timeline.entry(/^Note 30:/)).toHaveCount(0);
    await page.keyboard.press('k');
    await expect(focused).toHaveText(/^Note 28:/);
  });

  test('moving up with k keeps the focused row wholly below the sticky day heading', async ({ app, journal, page }) => {
    seedNotes(journal, 120);
    await app.reload();
    const { timeline } = app;
    await expect(timeline.entries.first()).toContainText('Note 0:');
    for (let i = 0; i < 40; i++) await page.keyboard.press('j');
    await expect(timeline.focusedEntry.locator('.tl-body')).toHaveText(/^Note 39:/);
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('k');
      await expect(timeline.focusedEntry.locator('.tl-body')).toHaveText(new RegExp(`^Note ${38 - i}:`));
      await page.waitForTimeout(50); // the list scrolls in the next frame
      await expectFocusedRowInView(timeline, `Note ${38 - i}, after ${i + 1} k`);
    }
  });

  test('Back to a row opened from half under the sticky day heading shows it whole', async ({ app, journal, page }) => {
    seedNotes(journal, 120);
    await app.reload();
    const { timeline } = app;
    await timeline.list.evaluate((list) => list.scrollBy(0, 2000));
    await expect.poll(async () => (await firstRowInView(timeline)).note).not.toBe('Note 0');
    // Scrolled on so that a row lower down starts 20 px under the heading.
    const below = (await place(timeline.stickyDay)).bottom;
    const lower = (await firstRowInView(timeline)).top + 150;
    let half = '';
    for (const row of await timeline.entries.all()) {
      const { top } = await place(row);
      if (top < lower) continue;
      half = /Note \d+/.exec((await row.textContent()) ?? '')?.[0] ?? '';
      await timeline.list.evaluate((list, by) => list.scrollBy(0, by), top - below + 20);
      break;
    }
    expect(half, 'a row lower down').not.toBe('');
    const row = timeline.entries.filter({ has: page.locator('.tl-body', { hasText: new RegExp(`^${half}:`) }) });
    await expect.poll(async () => (await place(row)).top - below, 'the row starts under the heading').toBeLessThan(-10);
    await row.locator('.tl-body').evaluate((link) => link.focus({ preventScroll: true }));
    await page.keyboard.press('Enter');
    await expect(app.entry.root).toBeVisible();
    await app.entry.backButton.click();
    await expect(timeline.focusedEntry.locator('.tl-body')).toHaveText(new RegExp(`^${half}:`));
    await page.waitForTimeout(50);
    await expectFocusedRowInView(timeline, `${half}, back from it`);
  });
});

test.describe('j/k in the other lists', () => {
  test('the People grid: ↓ and ↑ go a row down and up in the same column, → and ← to the next and previous card', async ({ app, journal, page }) => {
    const names = ['Ada Lovelace', 'Barbara Liskov', 'Claude Shannon', 'Donald Knuth', 'Edsger Dijkstra', 'Frances Allen', 'Grace Hopper'];
    for (const name of names) await journal.api('entries.create', { kind: 'person', person: { name } });
    await app.reload();
    await app.goTo('people');
    await expect(app.people.cards).toHaveCount(names.length);
    const card = (i: number) => app.people.card(names[i]!).getByRole('link');
    // The grid's columns, as laid out at this window's width: cards sharing the first card's top.
    const tops = await app.people.cards.evaluateAll((cards) => cards.map((c) => Math.round(c.getBoundingClientRect().top)));
    const columns = tops.filter((top) => top === tops[0]).length;
    expect(columns, 'a grid of several columns at this width').toBeGreaterThanOrEqual(2);
    expect(names.length % columns, 'a shorter last row').not.toBe(0);

    await page.keyboard.press('j');
    await expect(card(0)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(card(columns)).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(card(columns + 1)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(card(1)).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(card(0)).toBeFocused();
    // Nothing above the first row: the focus stays.
    await page.keyboard.press('ArrowUp');
    await expect(card(0)).toBeFocused();
    // Down to the last, shorter row from its last column: the nearest card there.
    const lastFull = Math.floor(names.length / columns) * columns - 1;
    for (let i = 0; i < lastFull; i++) await page.keyboard.press('ArrowRight');
    await expect(card(lastFull)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(card(names.length - 1)).toBeFocused();
    // j and k still go in order, a card at a time.
    await page.keyboard.press('k');
    await expect(card(names.length - 2)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(app.person.name).toHaveText(names[names.length - 2]!);
  });

  test('People, Bookmarks, Questions and a person’s mentions: j and k move through the list, Enter opens, and the shortcuts card says where', async ({ app, journal, page }) => {
    for (const name of ['Ada Lovelace', 'Grace Hopper', 'Margaret Hamilton']) await journal.api('entries.create', { kind: 'person', person: { name } });
    for (let i = 0; i < 30; i++) await journal.api('entries.create', { kind: 'bookmark', title: `Guide ${i}`, bookmark: { url: `https://example.org/guide-${i}` } });
    for (const q of ['How do we rotate keys?', 'Who owns the build?']) await journal.api('entries.create', { kind: 'question', body: q });
    await app.reload();
    const focused = page.locator(':focus');

    await app.goTo('people');
    await expect(app.people.cards).toHaveCount(3);
    const person = (name: string) => app.people.card(name).getByRole('link');
    await page.keyboard.press('j');
    await expect(person('Ada Lovelace')).toBeFocused();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect(person('Margaret Hamilton')).toBeFocused();
    await page.keyboard.press('k');
    await expect(person('Grace Hopper')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(app.person.name).toHaveText('Grace Hopper');

    await app.goTo('bookmarks');
    await expect(app.bookmarks.items).toHaveCount(30);
    await page.keyboard.press('j');
    await expect(focused).toHaveText('Guide 29');
    // Down the long list and back up: the focused bookmark stays in full view, below the page header.
    for (let i = 0; i < 20; i++) await page.keyboard.press('j');
    await expect(focused).toHaveText('Guide 9');
    for (let i = 0; i < 15; i++) await page.keyboard.press('k');
    await expect(focused).toHaveText('Guide 24');
    const item = await place(app.bookmarks.items.filter({ has: focused }));
    expect(item.top, 'not under the page header').toBeGreaterThanOrEqual((await place(page.locator('.page-header'))).bottom - 1);
    expect(item.bottom, 'not below the window').toBeLessThanOrEqual(page.viewportSize()!.height + 1);
    await page.keyboard.press('Enter');
    await expect(app.entry.title).toHaveText('Guide 24');

    await app.goTo('questions');
    await expect(app.questions.items).toHaveCount(2);
    await page.keyboard.press('j');
    await expect(focused).toHaveText('Who owns the build?');
    await page.keyboard.press('j');
    await expect(focused).toHaveText('How do we rotate keys?');
    await page.keyboard.press('Enter');
    await expect(app.entry.root).toContainText('How do we rotate keys?');

    // A person's mentions too.
    const grace = (await journal.api('entries.list', { kind: 'person', limit: 10 })).items.find((p) => p.title === 'Grace Hopper')!;
    for (const text of ['COBOL review with @[Grace Hopper]', 'Compiler notes from @[Grace Hopper]']) await journal.api('entries.create', { body: text });
    await app.goToHash(`#/people/${grace.id}`);
    await expect(page.getByTestId('mention-item')).toHaveCount(2);
    await page.keyboard.press('j');
    await expect(page.getByTestId('mention-item').first()).toBeFocused();
    await page.keyboard.press('j');
    await expect(page.getByTestId('mention-item').nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(app.entry.root).toContainText('COBOL review');

    await page.keyboard.press('?');
    const card = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(card.locator('.shortcut-row').filter({ has: page.locator('kbd', { hasText: /^J$/ }) })).toContainText('Next / previous in Timeline, People, Bookmarks, Questions and a person’s mentions');
  });
});

test.describe('answering a question', () => {
  test('Esc in an answer being typed asks before discarding it, and focus returns to the Answer button', async ({ app, journal, page }) => {
    await journal.api('entries.create', { kind: 'question', body: 'Which search engine for the intranet?' });
    await app.reload();
    await app.goTo('questions');
    const { questions } = app;
    const question = 'Which search engine';

    // Typed: Esc asks; keeping it goes back to the text as it was.
    await questions.answerButton(question).click();
    await expect(questions.answerField(question)).toBeFocused();
    await page.keyboard.type('Use FTS5 with porter');
    await page.keyboard.press('Escape');
    await expect(questions.discardDialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(questions.discardDialog).toBeHidden();
    await expect(questions.answerField(question)).toHaveValue('Use FTS5 with porter');
    await expect(questions.answerField(question)).toBeFocused();

    // Discarded: the form closes, and the focus is on the button that opened it.
    await page.keyboard.press('Escape');
    await questions.discardDialog.getByRole('button', { name: 'Discard answer' }).click();
    await expect(questions.answerField(question)).toHaveCount(0);
    await expect(questions.answerButton(question)).toBeFocused();
    await expect(questions.answerButton(question)).toHaveText('Record answer');

    // Nothing typed: Esc closes the form at once, and the focus goes back to the button too.
    await page.keyboard.press('Enter');
    await expect(questions.answerField(question)).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(questions.answerField(question)).toHaveCount(0);
    await expect(questions.answerButton(question)).toBeFocused();

    // Nothing was saved.
    const [saved] = (await journal.api('entries.list', { kind: 'question' })).items;
    expect(saved?.kind === 'question' && saved.question.answer).toBe('');
  });
});
