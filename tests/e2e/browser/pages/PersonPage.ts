/** People: the list with its fuzzy filter and "who knows about…" box, and a person's page. */
import type { Locator, Page } from '@playwright/test';

export class PeopleView {
  readonly page: Page;
  readonly filter: Locator;
  readonly cards: Locator;
  readonly whoKnowsInput: Locator;
  readonly whoKnowsResults: Locator;

  constructor(page: Page) {
    this.page = page;
    this.filter = page.getByTestId('people-filter');
    this.cards = page.getByTestId('person-card');
    this.whoKnowsInput = page.getByTestId('who-knows-input');
    this.whoKnowsResults = page.getByTestId('who-knows-result');
  }

  card(name: string | RegExp): Locator {
    return this.cards.filter({ hasText: name });
  }

  async askWhoKnows(topic: string): Promise<void> {
    await this.whoKnowsInput.fill(topic);
  }
}

export class PersonPage {
  readonly page: Page;
  readonly root: Locator;
  readonly name: Locator;
  readonly topics: Locator;
  readonly notes: Locator;
  /** Every entry that mentions the person. */
  readonly mentions: Locator;
  readonly mentionCount: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('person-page');
    this.name = this.root.locator('.person-name');
    this.topics = this.root.locator('.profile .chip');
    this.notes = this.root.locator('.person-notes').getByTestId('markdown');
    this.mentions = this.root.getByTestId('mention-item');
    this.mentionCount = this.root.getByTestId('mentioned-in').locator('.count');
  }

  mention(text: string | RegExp): Locator {
    return this.mentions.filter({ hasText: text });
  }
}
