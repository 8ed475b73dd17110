/**
 * Questions, People and Bookmarks on a journal larger than a page: every entry of a tab, a person in
 * name order and every bookmark of a site or tag can be reached, and the counts are of the whole
 * journal. The entries are made straight through the core, in one transaction each, oldest first:
 * what these views once missed were the entries beyond the newest 1,000-2,000 they loaded.
 */
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import { expect, test, type Journal } from './fixtures.ts';

const START = Date.UTC(2020, 0, 1);

/** Creates entries from `inputs` in one transaction, a minute apart from START in that order (the first is the oldest). */
function seed(journal: Journal, inputs: Array<Record<string, unknown>>): void {
  const create = journal.core.handlers['entries.create'];
  journal.core.db.transaction(() => {
    inputs.forEach((input, i) => void create(EntryCreateInput.parse({ ...input, createdAt: START + i * 60_000 })));
  })();
}

test.describe('lists larger than a page', () => {
  test('Questions: each tab counts every question of its status, and its oldest is reached with Show more', async ({ app, journal }) => {
    // 2,400 questions (more than the 2,000 the view once loaded): the closed ones are the oldest.
    const inputs: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 300; i++) inputs.push({ kind: 'question', body: `Closed question ${i}?`, question: { status: 'closed' } });
    for (let i = 0; i < 1_500; i++) inputs.push({ kind: 'question', body: `Open question ${i}?` });
    for (let i = 0; i < 600; i++) inputs.push({ kind: 'question', body: `Answered question ${i}?`, question: { status: 'answered', answer: 'yes' } });
    seed(journal, inputs);
    await app.reload();
    await app.goTo('questions');
    const { questions } = app;
    await expect(questions.tab('Open')).toHaveText('Open1,500');
    await expect(questions.tab('Answered')).toHaveText('Answered600');
    await expect(questions.tab('Closed')).toHaveText('Closed300');
    await expect(questions.items).toHaveCount(100);
    await questions.showTab('Closed');
    await expect(questions.items.first()).toContainText('Closed question 299?');
    for (let shown = 100; shown < 300; shown += 100) {
      await expect(questions.items).toHaveCount(shown);
      await questions.moreButton.click();
    }
    await expect(questions.items).toHaveCount(300);
    await expect(questions.item('Closed question 0?')).toBeVisible();
    await expect(questions.moreButton).toHaveCount(0);
  });

  test('People: everyone in name order from the first name, whenever they were added', async ({ app, journal }) => {
    // 1,100 people (more than the 1,000 the view once loaded); the first by name is the oldest.
    const inputs: Array<Record<string, unknown>> = [{ kind: 'person', person: { name: 'Aaron Aalders' } }];
    for (let i = 0; i < 1_100; i++) inputs.push({ kind: 'person', person: { name: `Bea ${String(1_099 - i).padStart(4, '0')}` } });
    seed(journal, inputs);
    await app.reload();
    await app.goTo('people');
    await expect(app.people.cards.first()).toContainText('Aaron Aalders');
    await expect(app.people.cards.nth(1)).toContainText('Bea 0000');
    await expect(app.people.cards.nth(2)).toContainText('Bea 0001');
  });

  test('Bookmarks: a site or tag shows all its bookmarks, and the Sites and Tags counts are of the whole journal', async ({ app, journal }) => {
    // 2,100 bookmarks (more than the 2,000 the view once loaded): the 40 of old.example, tagged #rare, are the oldest.
    const inputs: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 40; i++) inputs.push({ kind: 'bookmark', title: `Old page ${i}`, bookmark: { url: `https://old.example/${i}` }, tags: ['rare'] });
    for (let i = 0; i < 2_060; i++) inputs.push({ kind: 'bookmark', title: `Page ${i}`, bookmark: { url: `https://s${i % 100}.example/${i}` } });
    seed(journal, inputs);
    await app.reload();
    await app.goTo('bookmarks');
    const { bookmarks } = app;
    // A page of them, not all 2,100: the rest come with Show more.
    await expect(bookmarks.items).toHaveCount(100);
    await expect(bookmarks.moreButton).toBeVisible();
    await expect(bookmarks.facet('Sites', 'old.example')).toContainText('40');
    await expect(bookmarks.facet('Sites', 's1.example')).toContainText('21');
    await expect(bookmarks.facet('Tags', 'rare')).toContainText('40');
    await bookmarks.facet('Sites', 'old.example').click();
    await expect(bookmarks.items).toHaveCount(40);
    await expect(bookmarks.item('Old page 0')).toBeVisible();
    await expect(bookmarks.moreButton).toHaveCount(0);
    await app.goToHash('#/bookmarks');
    await expect(bookmarks.items).toHaveCount(100);
    await bookmarks.facet('Tags', 'rare').click();
    await expect(bookmarks.items).toHaveCount(40);
    await expect(bookmarks.facet('Sites', 'old.example')).toContainText('40');
  });
});

test.describe('Show more from the keyboard', () => {
  test('takes the focus to the first item it added, also when it was the last page (Bookmarks, Questions, People, a person’s mentions, Trash)', async ({ app, journal, page }) => {
    const inputs: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 150; i++) inputs.push({ kind: 'bookmark', title: `Guide ${i}`, bookmark: { url: `https://example.org/guide-${i}` } });
    for (let i = 0; i < 250; i++) inputs.push({ kind: 'question', body: `Question ${i}?` });
    for (let i = 0; i < 230; i++) inputs.push({ kind: 'person', person: { name: `Person ${String(i).padStart(3, '0')}` } });
    for (let i = 0; i < 30; i++) inputs.push({ body: `Standup ${i} with @[Person 000]` });
    seed(journal, inputs);
    await app.reload();
    const focused = page.locator(':focus');

    // Bookmarks, newest first: 100 shown, then the last 50 (the button goes).
    await app.goTo('bookmarks');
    await expect(app.bookmarks.items).toHaveCount(100);
    await app.bookmarks.moreButton.focus();
    await page.keyboard.press('Enter');
    await expect(app.bookmarks.items).toHaveCount(150);
    await expect(app.bookmarks.moreButton).toHaveCount(0);
    await expect(focused).toHaveText('Guide 49');

    // Questions: a page that leaves the button, then the last one.
    await app.goTo('questions');
    await expect(app.questions.items).toHaveCount(100);
    await app.questions.moreButton.focus();
    await page.keyboard.press('Enter');
    await expect(app.questions.items).toHaveCount(200);
    await expect(app.questions.items.nth(100).locator(':focus')).toHaveCount(1);
    await expect(app.questions.items.nth(100)).toContainText('Question 149?');
    await app.questions.moreButton.focus();
    await page.keyboard.press('Enter');
    await expect(app.questions.items).toHaveCount(250);
    await expect(app.questions.items.nth(200).locator(':focus')).toHaveCount(1);

    // People, in name order: the 201st card.
    await app.goTo('people');
    await expect(app.people.cards).toHaveCount(200);
    await page.getByTestId('people-more').focus();
    await page.keyboard.press('Enter');
    await expect(app.people.cards).toHaveCount(230);
    await expect(app.people.cards.nth(200).locator(':focus')).toHaveCount(1);
    await expect(app.people.cards.nth(200)).toContainText('Person 200');

    // A person's mentions, 25 at a time: the 26th.
    await app.people.card('Person 000').getByRole('link').click();
    await expect(app.person.mentions).toHaveCount(25);
    await page.getByTestId('mentions-more').focus();
    await page.keyboard.press('Enter');
    await expect(app.person.mentions).toHaveCount(30);
    await expect(app.person.mentions.nth(25)).toBeFocused();
    await expect(app.person.mentions.nth(25)).toContainText('Standup 4 ');

    // The Trash, 200 at a time: the 201st.
    const trash = journal.core.handlers['entries.delete'];
    const questions = journal.core.db.prepare<[], { id: string }>("SELECT id FROM entries WHERE kind = 'question'").all();
    expect(questions).toHaveLength(250);
    journal.core.db.transaction(() => questions.forEach((e) => void trash({ id: e.id })))();
    await app.goToHash('#/trash');
    const trashed = page.getByTestId('trash-item');
    await expect(trashed).toHaveCount(200);
    await page.getByTestId('trash-more').focus();
    await page.keyboard.press('Enter');
    await expect(trashed).toHaveCount(250);
    await expect(page.getByTestId('trash-more')).toHaveCount(0);
    await expect(trashed.nth(200).locator('.card-title')).toBeFocused();
  });
});
