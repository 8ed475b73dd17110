/** One entry: its rendered text, tags, links, and the edit / history / trash actions. */
import { expect, type Locator, type Page } from '@playwright/test';

export class EntryView {
  readonly page: Page;
  readonly root: Locator;
  readonly title: Locator;
  /** The note's Markdown, rendered. */
  readonly body: Locator;
  readonly tags: Locator;
  readonly editButton: Locator;
  readonly historyButton: Locator;
  readonly deleteButton: Locator;
  readonly trashBanner: Locator;
  readonly restoreButton: Locator;
  readonly editor: Locator;
  readonly editorBody: Locator;
  readonly history: Locator;
  readonly versions: Locator;
  readonly restoreVersionButton: Locator;
  readonly bookmarkUrl: Locator;
  readonly bookmarkNotes: Locator;
  readonly mentionsPanel: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('entry-view');
    this.title = this.root.locator('#entry-title');
    this.body = this.root.locator('.entry-article').getByTestId('markdown').first();
    this.tags = this.root.getByRole('list', { name: 'Tags' }).getByRole('link');
    this.editButton = this.root.getByTestId('edit-entry');
    this.historyButton = this.root.getByTestId('open-history');
    this.deleteButton = this.root.getByTestId('delete-entry');
    this.trashBanner = this.root.getByTestId('trash-banner');
    this.restoreButton = this.root.getByTestId('restore-entry');
    this.editor = this.root.getByTestId('entry-editor');
    this.editorBody = this.root.getByTestId('editor-body');
    this.history = page.getByTestId('history-dialog');
    this.versions = this.history.getByTestId('history-version');
    this.restoreVersionButton = this.history.getByTestId('restore-version');
    this.bookmarkUrl = this.root.getByTestId('bookmark-url');
    this.bookmarkNotes = this.root.locator('.bookmark-notes li');
    this.mentionsPanel = this.root.getByTestId('links-mentions');
  }

  /** Edits the text and saves with Ctrl/Cmd+Enter. */
  async editBody(text: string): Promise<void> {
    await this.editButton.click();
    await expect(this.editorBody).toBeFocused();
    await this.editorBody.fill(text);
    await this.editorBody.press('ControlOrMeta+Enter');
    await expect(this.editor).toBeHidden();
  }

  async openHistory(): Promise<void> {
    await this.historyButton.click();
    await expect(this.history).toBeVisible();
  }

  /** In the history dialog: picks the version whose preview shows this text, and restores it. */
  async restoreVersion(text: string | RegExp): Promise<void> {
    await this.versions.filter({ hasText: text }).click();
    await this.restoreVersionButton.click();
    await expect(this.history).toBeHidden();
  }

  async delete(): Promise<void> {
    await this.deleteButton.click();
    await expect(this.trashBanner).toBeVisible();
  }

  /** The editor's Tags field, where a tag is typed before Enter makes it a chip. */
  get editorTags(): Locator {
    return this.editor.getByLabel('Tags', { exact: true });
  }

  /** "Discard your changes?", asked before an unsaved edit is thrown away. */
  get discardDialog(): Locator {
    return this.page.getByRole('alertdialog', { name: 'Discard your changes?' });
  }

  /** The page's own Back button (history back, as the browser's). */
  get backButton(): Locator {
    return this.root.getByRole('button', { name: 'Back', exact: true });
  }
}
