/**
 * The composer on top of the timeline: what happens to the text around a save, and to a draft
 * when the user leaves the view at once.
 */
import { expect, test } from './fixtures.ts';

test.describe('the composer', () => {
  test('text typed while a save is under way stays, and only what was saved leaves the box', async ({ app, journal }) => {
    // Saves that take 1.5 s (a slow disk, a busy core): the socket holds back each entries.create.
    await app.page.routeWebSocket(/\/api\/socket/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const isCreate = typeof message === 'string' && (JSON.parse(message) as { method?: string }).method === 'entries.create';
        if (isCreate) setTimeout(() => server.send(message), 1_500);
        else server.send(message);
      });
      server.onMessage((message) => ws.send(message));
    });
    await app.page.reload();
    const { composer } = app.timeline;
    await composer.click();
    await composer.pressSequentially('Shipped the release notes');
    await composer.press('Enter');
    await composer.pressSequentially(' then started on the blog post');
    await expect(composer).toHaveValue('then started on the blog post', { timeout: 5_000 });
    await composer.press('Enter');
    await expect(composer).toHaveValue('', { timeout: 5_000 });
    const bodies = (await journal.api('entries.list', { limit: 10 })).items.map((e) => e.body);
    expect(bodies.sort()).toEqual(['Shipped the release notes', 'then started on the blog post']);
  });

  test('a draft survives leaving the timeline right after the last key', async ({ app }) => {
    const { composer } = app.timeline;
    await composer.click();
    await composer.pressSequentially('Draft that should survive');
    // At once, within the pause the draft's write waits for.
    await app.goTo('people');
    await app.goTo('timeline');
    await expect(app.timeline.composer).toHaveValue('Draft that should survive');
    // And a reload straight after typing keeps it too.
    await app.timeline.composer.press('ControlOrMeta+End');
    await app.timeline.composer.pressSequentially(', and more');
    await app.page.reload();
    await expect(app.timeline.composer).toHaveValue('Draft that should survive, and more');
  });
});
