/**
 * Every piece of text in the main views, light and dark, meets WCAG AA contrast against what is
 * behind it (4.5:1, or 3:1 for large text), with a journal that shows every kind of entry and state.
 */
import fs from 'node:fs';
import { expect, test, type Page } from './fixtures.ts';

const CONTRAST_CHECK = fs.readFileSync(new URL('./contrast-check.js', import.meta.url), 'utf8');

/**
 * Waits for what is fading or sliding in to settle (an overlay read mid fade-in has its text paler
 * than it is): every animation of the page that ends, not the ones that loop (a spinner).
 */
const SETTLE = `Promise.all(document.getAnimations()
  .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
  .map((a) => a.finished.catch(() => undefined)))`;

/** The texts on the page below AA (contrast-check.js, run in the page), once its animations have settled. */
async function lowContrastTexts(page: Page): Promise<string[]> {
  await page.evaluate(SETTLE);
  return (await page.evaluate(CONTRAST_CHECK)) as string[];
}

for (const scheme of ['light', 'dark'] as const) {
  test(`text in every view meets AA contrast, ${scheme}`, async ({ app, journal, page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await journal.api('entries.create', { body: 'Drafted the agenda for the #summit with @[Ann Lee]' });
    await journal.api('entries.create', { kind: 'bookmark', bookmark: { url: 'https://example.org/wol' }, body: 'Why working out loud works #wol' });
    const open = await journal.api('entries.create', { kind: 'question', body: 'Who owns the build pipeline?' });
    const answered = await journal.api('entries.create', { kind: 'question', body: 'Where do the release notes live?' });
    await journal.api('entries.update', { id: answered.id, question: { answer: 'In the wiki', status: 'answered' } });
    const trashed = await journal.api('entries.create', { body: 'An idea that did not work out' });
    await journal.api('entries.delete', { id: trashed.id });
    await page.reload();
    const views: Array<[string, () => Promise<void>]> = [
      ['timeline', () => app.goTo('timeline')],
      ['people', () => app.goTo('people')],
      ['bookmarks', () => app.goTo('bookmarks')],
      ['questions', () => app.goTo('questions')],
      ['open question', async () => void (await app.openEntry(open.id))],
      ['answered question', async () => void (await app.openEntry(answered.id))],
      ['trash', () => app.goTo('trash')],
      ['emptying the trash, asked', async () => {
        await app.trash.emptyButton.click();
        await expect(app.trash.emptyDialog).toBeVisible();
      }],
    ];
    for (const [name, visit] of views) {
      await visit();
      await page.waitForLoadState('networkidle');
      expect(await lowContrastTexts(page), `${name}, ${scheme}`).toEqual([]);
    }
    await page.keyboard.press('Escape');
    await app.goTo('timeline');
    await app.search.open();
    await app.search.query('agenda');
    await expect(app.search.results).toHaveCount(1);
    expect(await lowContrastTexts(page), `search, ${scheme}`).toEqual([]);
  });
}
