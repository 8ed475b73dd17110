/** The search overlay (Ctrl/Cmd+K): results as you type, highlighted snippets, keyboard navigation. */
import { expect, type Locator, type Page } from '@playwright/test';

export class SearchOverlay {
  readonly page: Page;
  readonly dialog: Locator;
  readonly input: Locator;
  readonly results: Locator;
  readonly suggestions: Locator;
  readonly noResults: Locator;
  readonly count: Locator;
  readonly showMore: Locator;

  constructor(page: Page) {
    this.page = page;
    this.dialog = page.getByTestId('search-dialog');
    this.input = page.getByTestId('search-input');
    this.results = page.getByTestId('search-result');
    this.suggestions = page.getByTestId('search-suggestion');
    this.noResults = page.getByTestId('search-no-results');
    this.count = page.getByTestId('search-count');
    this.showMore = this.dialog.getByRole('button', { name: 'Show more results' });
  }

  /** Ctrl+K, from wherever the focus is. */
  async open(): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+KeyK');
    await expect(this.dialog).toBeVisible();
    await expect(this.input).toBeFocused();
  }

  async query(q: string): Promise<void> {
    await this.input.fill(q);
  }

  /** Waits until the results are the ranked answer to the text in the box (no quick answer left to replace). */
  async settled(): Promise<void> {
    const box = this.dialog.getByTestId('search-results');
    await expect(box).toHaveAttribute('data-answered', (await this.input.inputValue()).trim());
    await expect(box).not.toHaveAttribute('aria-busy', 'true');
    await expect(box).not.toHaveAttribute('data-refining', 'true');
  }

  /**
   * Loads every page of results. The overlay shows 20 at a time and paints the rows past the first
   * screenful a moment after the answer, with "Show more results" only once they are all there, so
   * each round looks again at what the list shows before it clicks.
   */
  async showAll(total: number): Promise<void> {
    await expect(async () => {
      const before = await this.results.count();
      if (before < total && (await this.showMore.isVisible())) {
        await this.showMore.click({ timeout: 2_000 });
        await expect(this.results).not.toHaveCount(before, { timeout: 2_000 });
      }
      await expect(this.results).toHaveCount(total, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  }

  result(text: string | RegExp): Locator {
    return this.results.filter({ hasText: text });
  }

  /** The highlighted words (`<mark>`) in a result. */
  marks(result: Locator): Locator {
    return result.locator('mark');
  }

  selected(): Locator {
    return this.results.and(this.page.locator('[aria-selected="true"]'));
  }

  async close(): Promise<void> {
    await this.input.press('Escape');
    await expect(this.dialog).toBeHidden();
  }
}
