/**
 * Editing an entry, and where the keyboard's focus goes around it: an unsaved edit is never thrown
 * away without asking, the save shortcut keeps what is typed in every field, and focus stays on
 * something sensible as the editor, the Trash banner and the Trash's rows come and go.
 */
import { expect, test, type Page } from './fixtures.ts';
import type { EntryView } from './pages/EntryView.ts';
import type { MainScreen } from './pages/MainScreen.ts';

const main = (page: Page) => page.locator('main#main');

/** Opens the note's editor from the timeline (so Back has somewhere to go) and changes its text. */
async function startEditing(app: MainScreen, id: string, text: string): Promise<EntryView> {
  const entry = await app.openEntry(id);
  await entry.editButton.click();
  await expect(entry.editorBody).toBeFocused();
  await entry.editorBody.fill(text);
  return entry;
}

test.describe('leaving an unsaved edit', () => {
  test('a sidebar link, a search result or Back asks first, and Cancel keeps the editor, the edit and the address', async ({ app, journal, page, guard }) => {
    const note = await journal.api('entries.create', { body: 'Agenda for the offsite' });
    await journal.api('entries.create', { body: 'Budget review with finance' });
    const entry = await startEditing(app, note.id, 'Agenda for the offsite, with the new venue');
    const url = page.url();

    const leaves = {
      'a sidebar link': () => app.nav('people').click(),
      'a search result': async () => {
        await app.search.open();
        await app.search.query('budget');
        await expect(app.search.results).toHaveCount(1);
        await app.search.input.press('Enter');
      },
      "the page's Back": () => entry.backButton.click(),
      "the browser's Back": () => page.evaluate(() => (globalThis as unknown as { history: { back(): void } }).history.back()),
    };
    for (const [how, leave] of Object.entries(leaves)) {
      await leave();
      await expect(entry.discardDialog, how).toBeVisible();
      await expect(page, `${how}: the address stays while the question is asked`).toHaveURL(url);
      await entry.discardDialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(entry.discardDialog).toBeHidden();
      await expect(entry.editorBody, how).toHaveValue('Agenda for the offsite, with the new venue');
      await expect(page).toHaveURL(url);
      await expect(app.nav('people')).not.toHaveAttribute('aria-current', 'page');
    }
    await guard.expectClean();
  });

  test('Discard changes goes where the user was going, and the history stays as it was', async ({ app, journal, page, guard }) => {
    const note = await journal.api('entries.create', { body: 'Agenda for the offsite' });
    let entry = await startEditing(app, note.id, 'Agenda for the offsite, with the new venue');

    await app.nav('people').click();
    await expect(entry.discardDialog).toBeVisible();
    await entry.discardDialog.getByRole('button', { name: 'Discard changes' }).click();
    await expect(app.nav('people')).toHaveAttribute('aria-current', 'page');
    await page.goBack();
    await expect(entry.root).toHaveAttribute('data-entry-id', note.id);
    await expect(entry.editor).toBeHidden();
    await expect(entry.body).toHaveText('Agenda for the offsite');

    // Leaving by Back: it goes back once, to the timeline the entry was opened from, and Forward
    // leads to the entry, then to People, as before.
    entry = await startEditing(app, note.id, 'Another unsaved try');
    await entry.backButton.click();
    await expect(entry.discardDialog).toBeVisible();
    await entry.discardDialog.getByRole('button', { name: 'Discard changes' }).click();
    await expect(app.nav('timeline')).toHaveAttribute('aria-current', 'page');
    await page.goForward();
    await expect(entry.body).toHaveText('Agenda for the offsite');
    await page.goForward();
    await expect(app.nav('people')).toHaveAttribute('aria-current', 'page');
    expect((await journal.api('entries.get', { id: note.id })).entry.body).toBe('Agenda for the offsite');
    await guard.expectClean();
  });

  test('closing the tab with an unsaved edit gets the browser’s prompt; once saved it closes without one', async ({ app, journal, page, guard }) => {
    const note = await journal.api('entries.create', { body: 'Agenda for the offsite' });
    const entry = await startEditing(app, note.id, 'Agenda for the offsite, with the new venue');

    const prompt = page.waitForEvent('dialog').then(
      (dialog) => dialog.type(),
      () => 'closed without asking',
    );
    await page.close({ runBeforeUnload: true });
    expect(await prompt).toBe('beforeunload');
    // The guard fixture dismisses it, which keeps the tab open.
    await expect(entry.editorBody).toHaveValue('Agenda for the offsite, with the new venue');

    await entry.editorBody.press('ControlOrMeta+Enter');
    await expect(entry.editor).toBeHidden();
    const closed = page.waitForEvent('close');
    await page.close({ runBeforeUnload: true });
    await closed;
    expect(guard.dialogs).toEqual(['beforeunload: ']);
  });
});

test.describe('a tag typed and not yet added', () => {
  test('counts as an unsaved change: closing the tab and Esc ask first, and Cancel keeps it', async ({ app, journal, page, guard }) => {
    const note = await journal.api('entries.create', { body: 'Descaled the kettle', tags: ['kitchen'] });
    const entry = await app.openEntry(note.id);

    // Typed, then typed away to nothing: no change, Esc closes the editor without asking.
    await entry.editButton.click();
    await entry.editorTags.fill('desc');
    await entry.editorTags.fill('');
    await entry.editorTags.press('Escape');
    await expect(entry.editor).toBeHidden();
    await expect(entry.discardDialog).toBeHidden();

    await entry.editButton.click();
    await entry.editorTags.fill('descal');
    // Closing the tab gets the browser's prompt (the guard fixture dismisses it: the tab stays).
    const prompt = page.waitForEvent('dialog').then(
      (dialog) => dialog.type(),
      () => 'closed without asking',
    );
    await page.close({ runBeforeUnload: true });
    expect(await prompt).toBe('beforeunload');
    await expect(entry.editorTags).toHaveValue('descal');

    await entry.editorTags.press('Escape');
    await expect(entry.discardDialog).toBeVisible();
    await entry.discardDialog.getByRole('button', { name: 'Cancel' }).click();
    // Kept: it became a chip as the field lost focus to the question.
    await expect(entry.editor.locator('.chip').filter({ hasText: '#descal' })).toBeVisible();
    await expect(entry.editor).toBeVisible();

    await entry.editorTags.press('Escape');
    await entry.discardDialog.getByRole('button', { name: 'Discard changes' }).click();
    await expect(entry.editor).toBeHidden();
    expect((await journal.api('entries.get', { id: note.id })).entry.tags).toEqual(['kitchen']);
    expect(guard.dialogs).toEqual(['beforeunload: ']);
  });
});

test.describe('the editor’s keys', () => {
  test('Ctrl+Enter in the Tags field saves the tag being typed, with the rest of the edit or alone', async ({ app, journal, guard }) => {
    const note = await journal.api('entries.create', { body: 'Descaled the kettle', tags: ['kitchen'] });
    const entry = await startEditing(app, note.id, 'Descaled the kettle and the coffee machine');
    await entry.editorTags.fill('descaling');
    await entry.editorTags.press('ControlOrMeta+Enter');
    await expect(entry.editor).toBeHidden();
    expect((await journal.api('entries.get', { id: note.id })).entry).toMatchObject({ body: 'Descaled the kettle and the coffee machine', tags: ['kitchen', 'descaling'] });

    // Only a tag typed, nothing else changed: that is an edit too.
    await entry.editButton.click();
    await entry.editorTags.fill('chores');
    await entry.editorTags.press('ControlOrMeta+Enter');
    await expect(entry.editor).toBeHidden();
    expect((await journal.api('entries.get', { id: note.id })).entry.tags).toEqual(['kitchen', 'descaling', 'chores']);

    // Enter alone adds the tag and stays in the editor.
    await entry.editButton.click();
    await entry.editorTags.fill('home');
    await entry.editorTags.press('Enter');
    await expect(entry.editor.locator('.chip').filter({ hasText: '#home' })).toBeVisible();
    await expect(entry.editorTags).toBeFocused();
    await expect(entry.editorTags).toHaveValue('');
    await guard.expectClean();
  });

  test('Esc closes "Discard your changes?" and gives focus back to the editor, edit kept', async ({ app, journal, guard }) => {
    const note = await journal.api('entries.create', { body: 'Agenda for the offsite' });
    const entry = await startEditing(app, note.id, 'Agenda for the offsite, with the new venue');

    await entry.editorBody.press('Escape');
    await expect(entry.discardDialog).toBeVisible();
    await expect(entry.discardDialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await app.page.keyboard.press('Escape');
    await expect(entry.discardDialog).toBeHidden();
    await expect(entry.editorBody).toBeFocused();
    await expect(entry.editorBody).toHaveValue('Agenda for the offsite, with the new venue');

    // And it is asked again the next time.
    await entry.editorBody.press('Escape');
    await expect(entry.discardDialog).toBeVisible();
    await entry.discardDialog.getByRole('button', { name: 'Discard changes' }).click();
    await expect(entry.editor).toBeHidden();
    await expect(entry.body).toHaveText('Agenda for the offsite');
    await guard.expectClean();
  });
});

test.describe('another entry in the way', () => {
  test('an edit another entry is in the way of says whose: a person renamed to a name taken, a bookmark moved to an address taken', async ({ app, journal, page, guard }) => {
    await journal.api('entries.create', { kind: 'person', person: { name: 'Ada Lovelace' } });
    const grace = await journal.api('entries.create', { kind: 'person', person: { name: 'Grace Hopper' } });
    await app.goToHash(`#/people/${grace.id}`);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByTestId('entry-editor');
    await editor.getByLabel('Name').fill('Ada Lovelace');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    const clash = editor.getByTestId('edit-clash');
    await expect(clash).toHaveText(/Ada Lovelace is already in your journal\. Keep the name only if this is someone else of the same name\./);
    await expect(app.toasts(), 'not "changed elsewhere"').toHaveCount(0);
    expect((await journal.api('entries.get', { id: grace.id })).entry.title).toBe('Grace Hopper');
    await clash.getByRole('button', { name: 'Save anyway' }).click();
    await expect(editor).toBeHidden();
    expect((await journal.api('entries.get', { id: grace.id })).entry.title).toBe('Ada Lovelace');

    const kept = await journal.api('entries.create', { kind: 'bookmark', bookmark: { url: 'https://example.org/guide' } });
    const moved = await journal.api('entries.create', { kind: 'bookmark', bookmark: { url: 'https://example.org/other' } });
    const entry = await app.openEntry(moved.id);
    await entry.editButton.click();
    await entry.editor.getByLabel('URL').fill('https://example.org/guide');
    await entry.editor.getByRole('button', { name: 'Save changes' }).click();
    const taken = entry.editor.getByTestId('edit-clash');
    await expect(taken).toHaveText(/Another bookmark already has this address\. Nothing was saved\./);
    await expect(taken.getByRole('button', { name: 'Save anyway' })).toHaveCount(0);
    // Open it: the unsaved edit is asked about first.
    await taken.getByRole('button', { name: 'Open it' }).click();
    await entry.discardDialog.getByRole('button', { name: 'Discard changes' }).click();
    await expect(page).toHaveURL(new RegExp(`${kept.id}$`));
    expect((await journal.api('entries.get', { id: moved.id })).entry).toMatchObject({ bookmark: { url: 'https://example.org/other' } });
    await guard.expectClean();
  });
});

test.describe('focus after the page changes under it', () => {
  test('closing the editor with Esc, Ctrl+Enter or Discard gives focus to Edit', async ({ app, journal, page, guard }) => {
    const note = await journal.api('entries.create', { body: 'Agenda for the offsite' });
    const entry = await app.openEntry(note.id);

    await entry.editButton.focus();
    await page.keyboard.press('Enter');
    await expect(entry.editorBody).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(entry.editor).toBeHidden();
    await expect(entry.editButton, 'after Esc').toBeFocused();

    await page.keyboard.press('Enter');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(', with the new venue');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(entry.editor).toBeHidden();
    await expect(entry.body).toHaveText('Agenda for the offsite, with the new venue');
    await expect(entry.editButton, 'after Ctrl+Enter').toBeFocused();

    await page.keyboard.press('Enter');
    await page.keyboard.type(' and lunch');
    await page.keyboard.press('Escape');
    await entry.discardDialog.getByRole('button', { name: 'Discard changes' }).press('Enter');
    await expect(entry.editor).toBeHidden();
    await expect(entry.editButton, 'after Discard').toBeFocused();
    await guard.expectClean();
  });

  test('Delete gives focus to the Trash banner’s Restore, and Restore gives it back to Edit', async ({ app, journal, page, guard }) => {
    const note = await journal.api('entries.create', { body: 'Agenda for the offsite' });
    const entry = await app.openEntry(note.id);

    await entry.deleteButton.focus();
    await page.keyboard.press('Enter');
    await expect(entry.trashBanner).toBeVisible();
    await expect(entry.restoreButton).toBeFocused();
    await expect(entry.restoreButton).toHaveAccessibleDescription(/This entry is in the Trash/);

    await page.keyboard.press('Enter');
    await expect(entry.trashBanner).toBeHidden();
    await expect(entry.editButton).toBeFocused();
    await guard.expectClean();
  });

  test('Undo in the toast after a Delete gives focus back to Edit, on a note’s page and on a person’s', async ({ app, journal, page, guard }) => {
    const note = await journal.api('entries.create', { body: 'Agenda for the offsite' });
    const person = await journal.api('entries.create', { kind: 'person', person: { name: 'Ann Lee' } });
    for (const [id, open] of [
      [note.id, async () => (await app.openEntry(note.id)).deleteButton],
      [person.id, async () => {
        await app.goToHash(`#/people/${person.id}`);
        return page.getByRole('button', { name: 'Delete', exact: true });
      }],
    ] as const) {
      const deleteButton = await open();
      await deleteButton.focus();
      await page.keyboard.press('Enter');
      const undo = app.toasts().filter({ hasText: 'to the Trash' }).getByRole('button', { name: 'Undo' });
      await undo.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('button', { name: 'Edit', exact: true })).toBeFocused();
      expect((await journal.api('entries.get', { id })).entry.deletedAt).toBeNull();
    }
    await guard.expectClean();
  });

  test('Restore in the Trash gives focus to the row now in its place, the one before at the end, and the page once empty', async ({ app, journal, page, guard }) => {
    for (const body of ['First offsite note', 'Second offsite note', 'Third offsite note']) {
      const note = await journal.api('entries.create', { body });
      await journal.api('entries.delete', { id: note.id });
    }
    await app.goTo('trash');
    const { trash } = app;
    await expect(trash.items).toHaveCount(3);
    // The Trash lists the most recently deleted first.
    await expect(trash.items.first()).toContainText('Third');

    const restore = (text: string) => trash.item(text).getByRole('button', { name: /^Restore / });
    await restore('Second').focus();
    await page.keyboard.press('Enter');
    await expect(trash.items).toHaveCount(2);
    await expect(trash.title('First'), 'the next row').toBeFocused();

    await restore('First').focus();
    await page.keyboard.press('Enter');
    await expect(trash.items).toHaveCount(1);
    await expect(trash.title('Third'), 'the row before, the last one gone').toBeFocused();

    await restore('Third').focus();
    await page.keyboard.press('Enter');
    await expect(trash.empty).toBeVisible();
    await expect(main(page), 'the page, once nothing is left').toBeFocused();
    await guard.expectClean();
  });

  test('a question closed leaves its tab: the focus goes to the question now in its place, and to the page once none is left', async ({ app, journal, page, guard }) => {
    for (const body of ['Who owns the build?', 'Where do release notes live?']) await journal.api('entries.create', { kind: 'question', body });
    await app.goTo('questions');
    const { questions } = app;
    await expect(questions.items).toHaveCount(2);
    // Newest first.
    const close = (text: string) => questions.item(text).getByRole('button', { name: 'Close without answer' });
    await close('Where do release notes live?').focus();
    await page.keyboard.press('Enter');
    await expect(questions.items).toHaveCount(1);
    await expect(questions.item('Who owns the build?').locator('.card-title')).toBeFocused();

    await close('Who owns the build?').focus();
    await page.keyboard.press('Enter');
    await expect(questions.items).toHaveCount(0);
    await expect(main(page)).toBeFocused();
    await guard.expectClean();
  });

  test('on a question’s page, Close as solved and Reopen keep the focus on the button that now says the other', async ({ app, journal, page, guard }) => {
    const question = await journal.api('entries.create', { kind: 'question', body: 'Who owns the build?' });
    await app.openEntry(question.id);
    const status = page.getByTestId('question-status');
    await expect(status).toHaveText('Open');
    await page.getByRole('button', { name: 'Close as solved' }).focus();
    await page.keyboard.press('Enter');
    await expect(status).toHaveText('Closed');
    await expect(page.getByRole('button', { name: 'Reopen' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(status).toHaveText('Open');
    await expect(page.getByRole('button', { name: 'Close as solved' })).toBeFocused();
    await guard.expectClean();
  });
});
