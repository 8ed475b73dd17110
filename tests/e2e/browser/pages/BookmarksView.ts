/** Bookmarks: add one, and the list. */
import { expect, type Locator, type Page } from '@playwright/test';

export class BookmarksView {
  readonly page: Page;
  readonly addButton: Locator;
  readonly dialog: Locator;
  readonly items: Locator;

  constructor(page: Page) {
    this.page = page;
    this.addButton = page.getByTestId('add-bookmark');
    this.dialog = page.getByTestId('new-bookmark-dialog');
    this.items = page.getByTestId('bookmark-item');
  }

  /** Saves a bookmark through the dialog; the app then opens it. */
  async add(bookmark: { url: string; title?: string; note?: string; tags?: string[] }): Promise<void> {
    await this.addButton.click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel('URL').fill(bookmark.url);
    if (bookmark.title) await this.dialog.getByLabel('Title').fill(bookmark.title);
    if (bookmark.note) await this.dialog.getByLabel('Why it matters').fill(bookmark.note);
    for (const tag of bookmark.tags ?? []) {
      await this.dialog.getByLabel('Tags').fill(tag);
      await this.dialog.getByLabel('Tags').press('Enter');
    }
    await this.dialog.getByRole('button', { name: 'Save bookmark' }).click();
    await expect(this.dialog).toBeHidden();
  }

  item(text: string | RegExp): Locator {
    return this.items.filter({ hasText: text });
  }

  /** "Show more" under the bookmarks, when there are more than are shown. */
  get moreButton(): Locator {
    return this.page.getByTestId('bookmarks-more');
  }

  /** A value in the Sites or Tags box beside the list (its link holds the value and its count). */
  facet(title: 'Sites' | 'Tags', value: string): Locator {
    return this.page.getByRole('region', { name: title }).locator('.facet-item').filter({ has: this.page.locator('.facet-label', { hasText: new RegExp(`^#?${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  }
}
