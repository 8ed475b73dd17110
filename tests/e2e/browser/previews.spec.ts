/** What the timeline and an entry's page show as tags, and how a person page says to mention them. */
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import { expect, test } from './fixtures.ts';

test.describe('tags as the core stored them', () => {
  test('only the tags the core took are shown as tags, in the timeline row and on the page', async ({ app, journal }) => {
    // In code, and after `_` (Markdown's emphasis), `#word` is no tag to the core: only #real is.
    const note = await journal.api('entries.create', { body: 'Kitchen plan: `#notatag` and _#kitchen_ and #real' });
    expect(note.tags).toEqual(['real']);
    await app.page.reload();
    const row = app.timeline.entry('Kitchen plan');
    await expect(row.locator('.token-tag')).toHaveText(['#real']);
    const entry = await app.openEntry(note.id);
    await expect(entry.root.locator('.md-tag')).toHaveText(['#real']);
  });
});

test.describe('a person page with no mentions yet', () => {
  test('says how to mention the person so the note links to them, not to someone new', async ({ app, journal }) => {
    const bea = await journal.api('entries.create', { kind: 'person', person: { name: 'Bea Smith' } });
    await app.goToHash(`#/people/${bea.id}`);
    await expect(app.page.getByText('Write @[Bea Smith] in a note')).toBeVisible();
    // Doing what it says links the note to Bea Smith.
    await journal.api('entries.create', { body: 'Lunch with @[Bea Smith] about the rota' });
    const people = await journal.api('entries.list', { kind: 'person', limit: 10 });
    expect(people.items.map((p) => p.title)).toEqual(['Bea Smith']);
  });
});

test.describe('a person mentioned more often than the page lists', () => {
  test('says how many notes mention them, and how to find those past the newest 500', async ({ app, journal }) => {
    const create = journal.core.handlers['entries.create'];
    journal.core.db.transaction(() => {
      for (let i = 0; i < 520; i++) create(EntryCreateInput.parse({ body: `Standup ${i} with @[Rogier Smit]` }));
    })();
    const rogier = (await journal.api('entries.list', { kind: 'person', limit: 1 })).items[0]!;
    await app.goToHash(`#/people/${rogier.id}`);
    const section = app.page.getByTestId('mentioned-in');
    await expect(section.getByRole('heading')).toHaveText('Mentioned in 520');
    const more = section.getByRole('button', { name: /Show more/ });
    while (await more.isVisible()) await more.click();
    await expect(section.getByTestId('mention-item')).toHaveCount(500);
    await expect(section.getByTestId('mentions-beyond')).toHaveText('The newest 500 are listed. Search for @[Rogier Smit] to find the other 20.');
  });
});
