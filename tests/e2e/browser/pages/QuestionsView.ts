/** Questions answered in the open: log one, record its answer, close it as solved. */
import { expect, type Locator, type Page } from '@playwright/test';

export type QuestionTab = 'Open' | 'Answered' | 'Closed';

export class QuestionsView {
  readonly page: Page;
  readonly addButton: Locator;
  readonly dialog: Locator;
  readonly items: Locator;

  constructor(page: Page) {
    this.page = page;
    this.addButton = page.getByTestId('add-question');
    this.dialog = page.getByTestId('new-question-dialog');
    this.items = page.getByTestId('question-item');
  }

  tab(name: QuestionTab): Locator {
    return this.page.getByRole('tablist', { name: 'Question status' }).getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  async showTab(name: QuestionTab): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  /** Logs a question pasted from an e-mail. */
  async log(question: { title: string; details?: string; askedBy?: string }): Promise<void> {
    await this.addButton.click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel('Question', { exact: true }).fill(question.title);
    if (question.details) await this.dialog.getByLabel('Details').fill(question.details);
    if (question.askedBy) await this.dialog.getByLabel('Asked by').fill(question.askedBy);
    await this.dialog.getByRole('button', { name: 'Log question' }).click();
    await expect(this.dialog).toBeHidden();
  }

  item(text: string | RegExp): Locator {
    return this.items.filter({ hasText: text });
  }

  async recordAnswer(question: string | RegExp, answer: string): Promise<void> {
    const item = this.item(question);
    await item.getByRole('button', { name: 'Record answer' }).click();
    await item.getByLabel('Answer').fill(answer);
    await item.getByRole('button', { name: 'Save answer', exact: true }).click();
  }

  async closeAsSolved(question: string | RegExp): Promise<void> {
    await this.item(question).getByRole('button', { name: 'Close as solved' }).click();
  }

  /** The question's "Record answer" (or "Edit answer") button, which opens its answer form. */
  answerButton(question: string | RegExp): Locator {
    return this.item(question).getByRole('button', { name: /^(Record|Edit) answer$/ });
  }

  /** The answer form's text field. */
  answerField(question: string | RegExp): Locator {
    return this.item(question).getByLabel('Answer', { exact: true });
  }

  /** "Discard your answer?", asked before an answer typed is thrown away. */
  get discardDialog(): Locator {
    return this.page.getByRole('alertdialog', { name: 'Discard your answer?' });
  }

  /** "Show more" under a tab's questions, when the tab has more than are shown. */
  get moreButton(): Locator {
    return this.page.getByTestId('questions-more');
  }
}
