/**
 * The main window in browser mode: the sidebar, the timeline with its composer, and the other views
 * as page objects (after Joplin's integration-tests/models/MainScreen.ts).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { BookmarksView } from './BookmarksView.ts';
import { EntryView } from './EntryView.ts';
import { PeopleView, PersonPage } from './PersonPage.ts';
import { QuestionsView } from './QuestionsView.ts';
import { SearchOverlay } from './SearchOverlay.ts';
import { TrashView } from './TrashView.ts';

export type NavTarget = 'timeline' | 'people' | 'bookmarks' | 'questions' | 'trash' | 'settings';

export class MainScreen {
  readonly page: Page;
  /** `http://127.0.0.1:<port>`: the app's own origin. */
  readonly origin: string;
  readonly timeline: Timeline;
  readonly search: SearchOverlay;
  readonly entry: EntryView;
  readonly person: PersonPage;
  readonly people: PeopleView;
  readonly bookmarks: BookmarksView;
  readonly trash: TrashView;
  readonly questions: QuestionsView;

  constructor(page: Page, origin: string) {
    this.page = page;
    this.origin = origin;
    this.timeline = new Timeline(page);
    this.search = new SearchOverlay(page);
    this.entry = new EntryView(page);
    this.person = new PersonPage(page);
    this.people = new PeopleView(page);
    this.bookmarks = new BookmarksView(page);
    this.trash = new TrashView(page);
    this.questions = new QuestionsView(page);
  }

  /** Opens the URL `outloud serve` prints (with `#token=…`) and waits for the app to be up. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.nav('timeline')).toBeVisible();
    // The token is taken out of the address bar as soon as the page has read it.
    await expect.poll(() => this.page.url()).not.toContain('token=');
  }

  /**
   * Reloads the page, for changes made behind its back (the API, the CLI): browser mode hears of
   * changes made in its own tabs only.
   */
  async reload(): Promise<void> {
    await this.page.reload();
    await expect(this.nav('timeline')).toBeVisible();
  }

  nav(target: NavTarget): Locator {
    return this.page.getByTestId(`nav-${target}`);
  }

  async goTo(target: NavTarget): Promise<void> {
    await this.nav(target).click();
    await expect(this.nav(target)).toHaveAttribute('aria-current', 'page');
  }

  /** In-app navigation by hash (no reload; the token stays in this tab). */
  async goToHash(hash: string): Promise<void> {
    await this.page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, hash);
  }

  async openEntry(id: string): Promise<EntryView> {
    await this.goToHash(`#/entry/${id}`);
    await expect(this.entry.root).toHaveAttribute('data-entry-id', id);
    return this.entry;
  }

  async openPerson(id: string): Promise<PersonPage> {
    await this.goToHash(`#/people/${id}`);
    await expect(this.person.root).toHaveAttribute('data-entry-id', id);
    return this.person;
  }

  toasts(): Locator {
    return this.page.getByTestId('toast');
  }
}

/** The timeline view: the composer on top and the entries below. */
export class Timeline {
  readonly page: Page;
  readonly composer: Locator;
  readonly list: Locator;
  readonly entries: Locator;
  readonly saveButton: Locator;
  /** The chips under the composer: the #tags and @people recognised in the draft. */
  readonly detected: Locator;
  /** The day headings between the entries ("Today", "Yesterday", "Monday 9 March"). */
  readonly days: Locator;

  constructor(page: Page) {
    this.page = page;
    this.composer = page.getByTestId('composer-input');
    this.list = page.getByTestId('timeline');
    this.entries = page.getByTestId('timeline-entry');
    this.saveButton = page.getByRole('button', { name: 'Save note' });
    this.detected = page.locator('.composer-detected .chip');
    this.days = this.list.locator('.tl-day-label');
  }

  /** Types a note into the composer and saves it with Enter, as a person would. */
  async write(text: string): Promise<void> {
    await this.composer.click();
    await this.composer.fill(text);
    await this.composer.press('Enter');
    await expect(this.composer, 'the composer clears once the note is saved').toHaveValue('');
  }

  entry(text: string | RegExp): Locator {
    return this.entries.filter({ hasText: text });
  }

  /** Opens the entry whose row shows this text. */
  async open(text: string | RegExp): Promise<void> {
    await this.entry(text).locator('.tl-body').click();
  }

  /** The row whose link has the focus (j and k move it). */
  get focusedEntry(): Locator {
    return this.entries.filter({ has: this.page.locator('.tl-body:focus') });
  }

  /** The heading of the day at the top of the list, stuck there while its entries scroll under it. */
  get stickyDay(): Locator {
    return this.list.locator('.tl-day-sticky');
  }
}
