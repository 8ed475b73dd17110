/** The Trash: deleted entries, restorable. */
import type { Locator, Page } from '@playwright/test';

export class TrashView {
  readonly page: Page;
  readonly items: Locator;
  readonly empty: Locator;
  /** The header's "Empty trash" button (only there while the Trash holds something). */
  readonly emptyButton: Locator;
  /** The confirmation asked before the Trash is emptied. */
  readonly emptyDialog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.items = page.getByTestId('trash-item');
    this.empty = page.getByTestId('empty-state').filter({ hasText: 'The Trash is empty' });
    this.emptyButton = page.getByTestId('empty-trash');
    this.emptyDialog = page.getByRole('alertdialog', { name: 'Empty the Trash?' });
  }

  item(text: string | RegExp): Locator {
    return this.items.filter({ hasText: text });
  }

  async restore(text: string | RegExp): Promise<void> {
    await this.item(text).getByRole('button', { name: /^Restore / }).click();
  }

  /** A row's title, a link to the entry. */
  title(text: string | RegExp): Locator {
    return this.item(text).getByRole('link');
  }
}
