/** What the timeline and an entry's page show as tags, and how a person page says to mention them. */
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
