/**
 * Screenshots of every view of the renderer, light and dark, at 1280×800, in browser mode: the real
 * core on a fresh temporary data folder, the real loopback server in front, Chromium in front of that.
 *
 *   npm run build                                 # this script builds nothing: it shoots out/renderer
 *   npm run screenshots -- [--out DIR] [--only TEXT]
 *
 * Two sets, in this order: "empty" (a fresh journal: the first-run states) and "full" (a realistic
 * journal seeded through the contract: notes over two weeks, people, bookmarks, questions, the
 * Trash, an entry with revisions). Each view is reached the way a person would reach it (the page
 * objects of the e2e tests), waited on until its real content is there (no skeleton, no spinner, no
 * request on its way, the DOM quiet), and shot once per colour scheme in a fresh browser context
 * (nothing carries over: no draft, no stored theme). Files are `<set>-<view>-<scheme>.png`; the
 * pictures an earlier run left for the views being shot are removed first.
 *
 * The journal's clock is fixed (Thursday 13 November 2014, 16:40 in Amsterdam, en-GB) and the
 * page's clock is set to the same instant, so "Today", "Yesterday" and the times in the pictures are
 * the same on every run and every machine (only the temporary folder named in Settings differs).
 *
 * A view that cannot be reached (an element missing, an error state, the wrong theme, an error in
 * the page) saves no picture: the reason is printed and the script exits 1 after the other views.
 * Exit 2: usage error, or the renderer is not built.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, expect as baseExpect, type Browser, type Locator, type Page } from '@playwright/test';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract.ts';
import { openCore, type Core } from '../../electron/core/core.ts';
import { journalFiles } from '../../electron/core/files/journal-files.ts';
import { startHttpServer, type HttpServer } from '../../electron/core/http/server.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import type { EntryView } from './browser/pages/EntryView.ts';
import { MainScreen } from './browser/pages/MainScreen.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
// OUTLOUD_E2E_RENDERER_DIR points at another renderer build, as it does for the e2e tests.
const rendererDir = process.env.OUTLOUD_E2E_RENDERER_DIR ?? path.join(repoRoot, 'out', 'renderer');
const VIEWPORT = { width: 1280, height: 800 };
const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];
type SetName = 'empty' | 'full';

/** The instant the pictures are taken at, and where (the browser's zone and locale). */
const NOW = Date.parse('2014-11-13T16:40:00+01:00');
const ZONE = { timezoneId: 'Europe/Amsterdam', locale: 'en-GB', utcOffset: '+01:00' };
/** How long a view may take to show its content. */
const REACH_TIMEOUT_MS = 10_000;
const expect = baseExpect.configure({ timeout: REACH_TIMEOUT_MS });

// ---------------------------------------------------------------------------------------------
// The journal: the real core with a settable clock, behind the real loopback server.

/** The core's clock: starts at NOW and runs in real time; seeding moves it to the day being logged. */
class JournalClock {
  private base = NOW;
  private since = Date.now();
  now = (): number => this.base + (Date.now() - this.since);
  set(ms: number): void {
    this.base = ms;
    this.since = Date.now();
  }
}

interface Journal {
  core: Core;
  server: HttpServer;
  clock: JournalClock;
  /** A contract call through the core's validated dispatch; throws unless it succeeds. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  close(): Promise<void>;
}

async function openJournal(): Promise<Journal> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-screenshots-'));
  const clock = new JournalClock();
  const core = openCore({ dataDir, now: clock.now });
  const server = await startHttpServer({ core, port: 0, rendererDir, files: journalFiles(core) });
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as MethodOutput<M>;
  };
  const close = async () => {
    await server.close();
    core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { core, server, clock, call, close };
}

/** `at('11-12', '09:15')`: that day of November 2014 at that time, in the pictures' zone. */
function at(day: string, time: string): number {
  return Date.parse(`2014-${day}T${time}:00${ZONE.utcOffset}`);
}

/** The ids the "full" views open. */
interface Seeded {
  agenda: string;
  rogier: string;
  bookmark: string;
  answered: string;
  trashed: string;
}

/**
 * A fortnight of someone organising a summit and working out loud: 4 people with roles and topics
 * (and one more made by a mention), ~25 notes with #tags, @mentions, links and Markdown, 5
 * bookmarks, questions in each state, 2 notes in the Trash, and the agenda edited twice.
 */
async function seed(journal: Journal): Promise<Seeded> {
  const { call, clock } = journal;
  /** Creates an entry with the journal's clock at `when`, so every time it records is that one. */
  const create = async (when: number, input: MethodInput<'entries.create'>) => {
    clock.set(when);
    return call('entries.create', { source: 'typed', ...input });
  };
  const note = (when: number, body: string) => create(when, { body });

  const rogier = await create(at('11-03', '09:00'), {
    kind: 'person',
    body: 'Met him at the **Enterprise 2.0 Summit** in Paris. Generous with introductions; prefers a short e-mail over a call.',
    person: {
      name: 'Rogier Schouten',
      aliases: ['Rogier'],
      role: 'Community manager',
      organisation: 'Enterprise 2.0 Summit',
      topics: ['working out loud', 'enterprise social networks', 'community management'],
      contacts: ['rogier@example.org', '+31 6 1234 5678'],
    },
  });
  await create(at('11-03', '09:05'), {
    kind: 'person',
    body: 'Runs the jour fixe and the intranet newsletter. Ask her before announcing anything company-wide.',
    person: {
      name: 'Anna Berg',
      aliases: ['Anna'],
      role: 'Head of internal communications',
      organisation: 'Northwind',
      topics: ['intranet', 'change management', 'jour fixe'],
      contacts: ['anna.berg@northwind.example'],
    },
  });
  await create(at('11-04', '11:20'), {
    kind: 'person',
    body: 'Built the search for the old wiki. Knows why the intranet search is slow.',
    person: {
      name: 'Maarten de Vries',
      aliases: ['Maarten'],
      role: 'Platform engineer',
      organisation: 'Northwind',
      topics: ['search', 'SQLite', 'TypeScript'],
      contacts: ['@maarten on the team chat'],
    },
  });
  await create(at('11-05', '14:10'), {
    kind: 'person',
    body: 'Facilitated six WOL circles this year, two of them fully remote.',
    person: {
      name: 'Sofia Almeida',
      aliases: ['Sofia'],
      role: 'Facilitator',
      organisation: 'WOL Circles',
      topics: ['WOL circles', 'facilitation', 'remote workshops'],
      recommendedBy: 'Rogier Schouten',
    },
  });

  const bookmarks = [
    { when: at('11-03', '10:30'), title: 'Working Out Loud: the five elements', url: 'https://workingoutloud.com/en/the-five-elements', tags: ['wol'], body: 'The clearest summary of relationships, generosity, visible work, purposeful discovery and a growth mindset. Good opener for the workshop.' },
    { when: at('11-04', '16:45'), title: 'Why intranets fail (and what to do about it)', url: 'https://www.nngroup.com/articles/intranet-design/', tags: ['intranet'], body: 'Their yearly findings: navigation by department is the most common mistake. Send to @[Anna Berg].' },
    { when: at('11-06', '08:50'), title: 'SQLite FTS5 full-text search', url: 'https://sqlite.org/fts5.html', tags: ['search'], body: 'External-content tables and the `bm25()` ranking function, for the intranet search rewrite.' },
    { when: at('11-10', '13:15'), title: 'Serendipity at work', url: 'https://hbr.org/2014/11/serendipity-at-work', tags: ['wol', 'reading'], body: 'Argues that visible work creates the chance encounters that matter. Quote it in the summit talk.' },
    { when: at('11-12', '18:05'), title: 'Remote facilitation checklist', url: 'https://www.example.org/facilitation/remote-checklist', tags: ['summit2014', 'workshop'], body: '@[Sofia Almeida] uses this one. The bit about a second facilitator watching the chat is the part we missed last time.' },
  ];
  let bookmark = '';
  for (const b of bookmarks) {
    const entry = await create(b.when, { kind: 'bookmark', title: b.title, body: b.body, tags: b.tags, bookmark: { url: b.url } });
    bookmark ||= entry.id;
  }

  // Notes, oldest first.
  await note(at('11-03', '08:45'), 'Kick-off for the #summit2014 programme. Goal: a day about working out loud, not another day of slides. #wol');
  await note(at('11-03', '11:10'), 'Called @[Rogier Schouten]: he is in for the opening keynote, on *working out loud in practice*. #summit2014');
  await note(at('11-03', '16:30'), 'Standup: search on the intranet still times out for anything with more than two words. @Maarten thinks it is the LIKE queries. #standup #search');
  await note(at('11-04', '09:20'), 'Read the first chapter of the WOL guide on the train. The idea of "making your work visible as a contribution" is what the summit should be about. #reading #wol');
  await note(at('11-04', '14:00'), 'Lunch with the design team about the onboarding flow. New joiners do not know who to ask; a people directory with topics would help. #onboarding');
  await note(
    at('11-05', '10:15'),
    [
      'Notes from the #intranet review with @[Anna Berg]:',
      '',
      '- the news page is read, nothing else is',
      '- people search is what everyone asks for',
      '- **nobody** knows who owns which page',
      '',
      'Next: a one-page proposal by Friday.',
    ].join('\n'),
  );
  await note(at('11-05', '17:40'), 'Retro: the weekly jour fixe runs over every time. Try a written agenda shared the day before. #retro #jourfixe');
  await note(at('11-06', '09:05'), 'Standup: @Maarten has a prototype of FTS5 search over the intranet export; three-word queries come back in 4 ms. #standup #search');
  await note(at('11-06', '15:30'), '@[Sofia Almeida] (recommended by @Rogier) can run the remote WOL circle workshop at the #summit2014. Budget for a second facilitator.');
  await note(at('11-07', '10:00'), 'Sent the intranet proposal to @[Anna Berg]. Main ask: every page has an owner and a review date. #intranet');
  await note(at('11-07', '16:20'), 'Friday wrap-up: venue booked for 4 December, 80 seats, one room for the workshop. #summit2014');
  await note(
    at('11-10', '09:10'),
    'Standup: the search prototype ranks titles first now. Demo on Thursday.\n\n```sql\nSELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY bm25(entries_fts, 10, 5, 2, 1);\n```\n#standup #search',
  );
  await note(at('11-10', '11:45'), 'Talked to @Jeroen from facilities about the workshop room: tables for groups of five, two screens. #summit2014');
  await note(at('11-10', '15:00'), 'First WOL circle with the onboarding group. Week 1 went well: everyone wrote down a goal and a list of people related to it. #wol #onboarding');
  await note(at('11-11', '08:55'), 'Standup: @Maarten found the slow part of the intranet search; it was the permissions check, not the query. #standup #search');
  const agenda = await create(at('11-11', '10:30'), {
    body: [
      '## Summit agenda, first draft',
      '',
      'Went through the #summit2014 agenda with @[Rogier Schouten].',
      '',
      '- Opening: *Working out loud in practice* (Rogier)',
      '- Panel: enterprise social networks',
      '- Workshop: a WOL circle',
    ].join('\n'),
  });
  await note(at('11-11', '14:15'), 'Reviewed the speaker brief with @Anna. She will announce the summit in the newsletter on the 20th. #summit2014 #intranet');
  await note(at('11-11', '17:05'), 'Idea for the intranet: a "who knows about" box on every page, fed by the people directory. #intranet #onboarding');
  await note(at('11-12', '09:00'), 'Standup: nothing blocking. Search demo moved to Friday because of the release freeze. #standup');
  await note(at('11-12', '11:30'), 'Weekly jour fixe with the written agenda: done in 25 minutes instead of 50. Keep it. #jourfixe #retro');
  await note(at('11-12', '16:10'), 'Drafted the workshop handout with @[Sofia Almeida]; the exercise on relationship lists takes 20 minutes, not 10. #summit2014 #workshop');
  await note(at('11-13', '08:40'), 'Standup: sending the summit agenda to the speakers today. #standup #summit2014');
  await note(at('11-13', '10:05'), 'Coffee with @Rogier: he suggests ending the day with ten-minute "what I learned" talks from attendees. Added to the agenda. #summit2014 #wol');
  await note(
    at('11-13', '13:20'),
    'Read https://hbr.org/2014/11/serendipity-at-work again. The line about "chance favours the connected" would make a good slide title. #reading',
  );
  await note(at('11-13', '15:45'), 'Shared the intranet proposal on the team page instead of by e-mail. Three people commented within the hour. #wol #intranet');

  // The agenda, edited twice: its history has two earlier versions.
  clock.set(at('11-12', '09:30'));
  await call('entries.update', {
    id: agenda.id,
    body: [
      '## Summit agenda, second draft',
      '',
      'Went through the #summit2014 agenda with @[Rogier Schouten]. The keynote moves to the morning.',
      '',
      '- Opening: *Working out loud in practice* (Rogier)',
      '- Panel: enterprise social networks, three years on',
      '- Workshop: running a **WOL circle** remotely, with @[Sofia Almeida]',
    ].join('\n'),
  });
  clock.set(at('11-13', '11:00'));
  await call('entries.update', {
    id: agenda.id,
    body: [
      '## Summit agenda, third draft',
      '',
      'Went through the #summit2014 agenda with @[Rogier Schouten] this morning. The keynote moves to the morning; the day ends with short talks from attendees.',
      '',
      '- Opening: *Working out loud in practice* (Rogier)',
      '- Panel: enterprise social networks, three years on',
      '- Workshop: running a **WOL circle** remotely, with @[Sofia Almeida]',
      '- Closing: ten-minute "what I learned" talks',
      '',
      'Still open:',
      '',
      '1. Confirm the second room for the workshop',
      '2. Send [the speaker brief](https://summit.example.org/speakers/brief) to everyone',
      '',
      '> Make your work visible, and frame it as a contribution.',
      '',
      'The schedule for the website comes straight from the journal:',
      '',
      '```sh',
      'outloud search "#summit2014 agenda" --json > agenda.json',
      '```',
    ].join('\n'),
  });

  // Questions in each state.
  await create(at('11-10', '16:40'), {
    kind: 'question',
    title: 'How do we run the weekly jour fixe remotely?',
    body: 'Pasted from an e-mail by Anna: we have people in three time zones now, and the 9:00 slot is 17:00 in Singapore. #jourfixe',
    question: { askedBy: 'Anna Berg' },
  });
  await create(at('11-12', '10:20'), {
    kind: 'question',
    title: 'Which intranet pages are never visited?',
    body: 'For the clean-up before the new search goes live. #intranet',
    question: { askedBy: 'Maarten de Vries' },
  });
  const answered = await create(at('11-06', '12:00'), {
    kind: 'question',
    title: 'Can the summit workshop take 30 people?',
    body: 'From the venue: the second room seats 30 at tables of five. #summit2014',
    question: { askedBy: 'Sofia Almeida', status: 'answered', answer: 'Yes, with **two facilitators**: one runs the exercise, the other watches the time and the groups.' },
  });
  await create(at('11-04', '10:00'), {
    kind: 'question',
    title: 'Where do we keep the WOL circle guides?',
    body: 'New circles keep asking for the week-by-week guides. #wol',
    question: { askedBy: 'Rogier Schouten', status: 'closed', answer: 'On the team page under *Circles*, with the facilitator notes beside them.' },
  });

  // Two notes in the Trash.
  const trashed = await note(at('11-07', '09:30'), 'Book the big hall for the summit? Too big for 80 people. #summit2014');
  clock.set(at('11-07', '16:00'));
  await call('entries.delete', { id: trashed.id });
  const typo = await note(at('11-12', '13:00'), 'Lunhc with the design tema');
  clock.set(at('11-12', '13:01'));
  await call('entries.delete', { id: typo.id });

  clock.set(NOW);
  return { agenda: agenda.id, rogier: rogier.id, bookmark, answered: answered.id, trashed: trashed.id };
}

// ---------------------------------------------------------------------------------------------
// The views. `reach` brings a fresh page (its theme already set) to the view and returns what proves
// the view is there; the runner then waits for the page to settle and checks that proof again after
// the shot.

interface Ctx {
  page: Page;
  app: MainScreen;
  journal: Journal;
  /** The "full" set's entries (the "empty" set gets NOT_SEEDED). */
  seeded: Seeded;
}

/** What the "empty" set's views get for `seeded`: any use of it is a mistake in the table. */
const NOT_SEEDED = new Proxy({} as Seeded, {
  get: (_, key) => {
    throw new Error(`the "empty" set has no seeded entries (asked for ${String(key)})`);
  },
});

interface View {
  set: SetName;
  name: string;
  reach(ctx: Ctx): Promise<Locator>;
  /** Undoes what `reach` changed in the journal (runs after each shot, failed or not). */
  cleanUp?(ctx: Ctx): Promise<void>;
}

/** Opens the main window at a hash route (after the timeline has loaded, as the e2e tests do). */
/** People's Add a person dialog, with a name and a role typed in. */
async function openNewPerson(ctx: Ctx, name: string, role: string): Promise<Locator> {
  await openAt(ctx);
  await ctx.app.goTo('people');
  await ctx.page.getByTestId('add-person').click();
  const dialog = ctx.page.getByTestId('new-person-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Role').fill(role);
  return dialog;
}

async function openAt(ctx: Ctx, hash = '#/'): Promise<void> {
  await ctx.app.open(ctx.journal.server.url);
  if (hash !== '#/') await ctx.app.goToHash(hash);
}

/** Opens the main window, then an entry by its address. */
async function openEntry(ctx: Ctx, id: string): Promise<EntryView> {
  await openAt(ctx);
  return ctx.app.openEntry(id);
}

/** A view of one seeded entry of the full set: opened by its address, then made ready and picked by `ready`. */
function entryShot(name: string, pick: (seeded: Seeded) => string, ready: (entry: EntryView) => Promise<Locator>): View {
  return { set: 'full', name, reach: async (ctx) => ready(await openEntry(ctx, pick(ctx.seeded))) };
}

async function openSearch(ctx: Ctx, query: string): Promise<Locator> {
  const { app, page } = ctx;
  await openAt(ctx);
  await app.search.open();
  // The overlay selects its text a frame after it opens (SearchOverlay.tsx): type after that frame.
  await page.evaluate(nextFrames);
  if (query) {
    await app.search.query(query);
    await expect(page.getByTestId('search-results')).toHaveAttribute('data-answered', query.trim());
    await expect.poll(() => app.search.input.evaluate(selectionCollapsed), 'the query is not selected').toBe(true);
  }
  return app.search.dialog;
}

/** In the page: resolves after two animation frames. */
function nextFrames(): Promise<void> {
  const w = globalThis as unknown as { requestAnimationFrame(callback: () => void): number };
  return new Promise((resolve) => w.requestAnimationFrame(() => w.requestAnimationFrame(() => resolve())));
}

/** In the page: whether a text field has no text selected. */
function selectionCollapsed(input: unknown): boolean {
  const field = input as { selectionStart: number | null; selectionEnd: number | null };
  return field.selectionStart === field.selectionEnd;
}

async function openCapture(ctx: Ctx): Promise<Locator> {
  const { origin, token } = ctx.journal.server;
  await ctx.page.goto(`${origin}/?view=capture#token=${token}`);
  await expect(ctx.page.getByTestId('capture-input')).toBeFocused();
  return ctx.page.getByTestId('capture-view');
}

const EMPTY_VIEWS: View[] = [
  {
    set: 'empty',
    name: 'timeline',
    async reach(ctx) {
      await openAt(ctx);
      const empty = ctx.page.getByRole('heading', { name: 'Your journal is empty' });
      await expect(empty).toBeVisible();
      return empty;
    },
  },
  {
    set: 'empty',
    name: 'search',
    async reach(ctx) {
      const dialog = await openSearch(ctx, '');
      await expect(dialog.getByText('Search tips')).toBeVisible();
      return dialog;
    },
  },
  {
    set: 'empty',
    name: 'people',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('people');
      return expectEmptyState(ctx.page, 'No people yet');
    },
  },
  {
    set: 'empty',
    name: 'bookmarks',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('bookmarks');
      return expectEmptyState(ctx.page);
    },
  },
  {
    set: 'empty',
    name: 'questions',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('questions');
      return expectEmptyState(ctx.page);
    },
  },
  {
    set: 'empty',
    name: 'trash',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('trash');
      await expect(ctx.app.trash.empty).toBeVisible();
      return ctx.app.trash.empty;
    },
  },
  {
    set: 'empty',
    name: 'settings',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('settings');
      const dbPath = ctx.page.getByTestId('database-path');
      await expect(dbPath).toBeVisible();
      return dbPath;
    },
  },
  {
    set: 'empty',
    name: 'capture',
    reach: openCapture,
  },
  {
    set: 'empty',
    name: 'entry-not-found',
    async reach(ctx) {
      await openAt(ctx, '#/entry/no-such-entry');
      return expectEmptyState(ctx.page, 'This entry is not here');
    },
  },
  {
    set: 'empty',
    name: 'page-not-found',
    async reach(ctx) {
      await openAt(ctx, '#/no/such/page');
      const heading = ctx.page.getByRole('heading', { name: 'Nothing here' });
      await expect(heading).toBeVisible();
      return heading;
    },
  },
];

const FULL_VIEWS: View[] = [
  {
    set: 'full',
    name: 'timeline',
    async reach(ctx) {
      await openAt(ctx);
      await expect(ctx.app.timeline.entries.first()).toContainText('Shared the intranet proposal');
      await expect(ctx.page.locator('.tl-day-label').first()).toHaveText('Today');
      return ctx.app.timeline.list;
    },
  },
  {
    set: 'full',
    name: 'timeline-draft',
    async reach(ctx) {
      const { app, page } = ctx;
      await openAt(ctx);
      await app.timeline.composer.fill('Final #summit2014 agenda for @Rogier and the speakers: the workshop moves to the afternoon');
      await expect(app.timeline.detected.first()).toBeVisible();
      const related = page.getByTestId('related-panel');
      await expect(related.getByRole('link').filter({ hasText: 'Summit agenda, third draft' })).toBeVisible();
      return related;
    },
  },
  {
    set: 'full',
    name: 'timeline-tag',
    async reach(ctx) {
      await openAt(ctx, '#/tags/summit2014');
      const heading = ctx.page.getByRole('heading', { name: '#summit2014' });
      await expect(heading).toBeVisible();
      await expect(ctx.app.timeline.entries.first()).toBeVisible();
      return heading;
    },
  },
  {
    set: 'full',
    name: 'shortcuts',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.page.keyboard.press('?');
      const dialog = ctx.page.getByTestId('shortcuts-dialog');
      await expect(dialog).toBeVisible();
      return dialog;
    },
  },
  {
    set: 'full',
    name: 'search-results',
    async reach(ctx) {
      const dialog = await openSearch(ctx, 'agenda');
      await expect(ctx.app.search.results.nth(1)).toBeVisible();
      await expect(ctx.app.search.marks(ctx.app.search.results.first()).first()).toHaveText(/^agenda$/i);
      return dialog;
    },
  },
  {
    set: 'full',
    name: 'search-filters',
    async reach(ctx) {
      const dialog = await openSearch(ctx, 'agenda #summit2014');
      await expect(dialog.getByTestId('search-filter-chip')).toHaveText(['#summit2014']);
      await expect(ctx.app.search.marks(ctx.app.search.results.first()).first()).toBeVisible();
      return dialog;
    },
  },
  {
    set: 'full',
    name: 'search-did-you-mean',
    async reach(ctx) {
      const { search } = ctx.app;
      await openSearch(ctx, '');
      // "Did you mean" is best effort within a time budget (electron/core/search/suggest.ts): ask again if a busy machine overran it.
      await expect(async () => {
        await search.query('');
        await search.query('agnda');
        await expect(search.noResults).toContainText('Nothing found for agnda', { timeout: 2_000 });
        await expect(search.suggestions).toHaveText(['agenda'], { timeout: 1_000 });
      }).toPass({ timeout: REACH_TIMEOUT_MS });
      return search.suggestions;
    },
  },
  entryShot('entry', (s) => s.agenda, async (entry) => {
    await expect(entry.body.locator('pre code')).toBeVisible();
    await expect(entry.body.locator('blockquote')).toBeVisible();
    await expect(entry.mentionsPanel).toBeVisible();
    return entry.root;
  }),
  entryShot('entry-history', (s) => s.agenda, async (entry) => {
    await entry.openHistory();
    await expect(entry.versions).toHaveCount(3);
    return entry.history;
  }),
  entryShot('entry-edit', (s) => s.agenda, async (entry) => {
    await entry.editButton.click();
    await expect(entry.editorBody).toBeFocused();
    return entry.editor;
  }),
  entryShot('entry-bookmark', (s) => s.bookmark, async (entry) => {
    await expect(entry.bookmarkUrl).toBeVisible();
    return entry.root;
  }),
  entryShot('entry-answers-question', (s) => s.agenda, async (entry) => {
    await entry.root.getByTestId('pick-question').click();
    const picker = entry.root.page().getByTestId('question-picker');
    await expect(picker.getByRole('listitem').first()).toBeVisible();
    return picker;
  }),
  entryShot('entry-question', (s) => s.answered, async (entry) => {
    await expect(entry.root.getByTestId('question-status')).toHaveText('Answered');
    return entry.root;
  }),
  entryShot('entry-trashed', (s) => s.trashed, async (entry) => {
    await expect(entry.trashBanner).toBeVisible();
    return entry.trashBanner;
  }),
  {
    set: 'full',
    name: 'person',
    async reach(ctx) {
      await openAt(ctx);
      const person = await ctx.app.openPerson(ctx.seeded.rogier);
      await expect(person.name).toHaveText('Rogier Schouten');
      await expect(person.mentions.first()).toBeVisible();
      return person.root;
    },
  },
  {
    set: 'full',
    name: 'person-renamed-to-a-name-taken',
    async reach(ctx) {
      await openAt(ctx);
      const person = await ctx.app.openPerson(ctx.seeded.rogier);
      await ctx.page.getByRole('button', { name: 'Edit', exact: true }).click();
      const editor = ctx.page.getByTestId('entry-editor');
      await editor.getByLabel('Name').fill('Anna Berg'); // another person of the seeded journal
      await editor.getByRole('button', { name: 'Save changes' }).click();
      await expect(editor.getByTestId('edit-clash')).toBeVisible();
      return person.root;
    },
  },
  {
    set: 'full',
    name: 'people',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('people');
      await expect(ctx.app.people.cards).toHaveCount(5);
      return ctx.app.people.cards.first();
    },
  },
  {
    set: 'full',
    name: 'who-knows',
    async reach(ctx) {
      const { people } = ctx.app;
      await openAt(ctx);
      await ctx.app.goTo('people');
      await people.askWhoKnows('enterprise social');
      await expect(people.whoKnowsResults.first()).toContainText('Rogier Schouten');
      return people.whoKnowsResults.first();
    },
  },
  {
    set: 'full',
    name: 'new-person',
    async reach(ctx) {
      const dialog = await openNewPerson(ctx, 'Lotte Jansen', 'UX researcher');
      await dialog.getByLabel('Knows about').fill('usability testing');
      await dialog.getByLabel('Knows about').press('Enter');
      await expect(dialog.getByText('usability testing')).toBeVisible();
      return dialog;
    },
  },
  {
    set: 'full',
    name: 'new-person-namesake',
    async reach(ctx) {
      // Anna Berg is in the seeded journal.
      const dialog = await openNewPerson(ctx, 'Anna Berg', 'Product owner');
      await dialog.getByRole('button', { name: 'Add person' }).click();
      await expect(dialog.getByTestId('namesake')).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'Add anyway' })).toBeVisible();
      return dialog;
    },
  },
  {
    set: 'full',
    name: 'bookmarks',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('bookmarks');
      await expect(ctx.app.bookmarks.items).toHaveCount(5);
      return ctx.app.bookmarks.items.first();
    },
  },
  {
    set: 'full',
    name: 'questions',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('questions');
      await expect(ctx.app.questions.items).toHaveCount(2);
      return ctx.app.questions.items.first();
    },
  },
  ...(['Answered', 'Closed'] as const).map((tab) => ({
    set: 'full' as const,
    name: `questions-${tab.toLowerCase()}`,
    async reach(ctx: Ctx) {
      await openAt(ctx, `#/questions/${tab.toLowerCase()}`);
      await expect(ctx.app.questions.tab(tab)).toHaveAttribute('aria-selected', 'true');
      await expect(ctx.app.questions.items).toHaveCount(1);
      return ctx.app.questions.items.first();
    },
  })),
  {
    set: 'full',
    name: 'trash',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('trash');
      await expect(ctx.app.trash.items).toHaveCount(2);
      return ctx.app.trash.items.first();
    },
  },
  {
    set: 'full',
    name: 'trash-confirm-empty',
    // The question asked before the Trash is emptied (cancelled afterwards: nothing is deleted).
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('trash');
      await expect(ctx.app.trash.items).toHaveCount(2);
      await ctx.app.trash.emptyButton.click();
      await expect(ctx.app.trash.emptyDialog).toBeVisible();
      return ctx.app.trash.emptyDialog;
    },
  },
  {
    set: 'full',
    name: 'settings',
    async reach(ctx) {
      await openAt(ctx);
      await ctx.app.goTo('settings');
      const dbPath = ctx.page.getByTestId('database-path');
      await expect(dbPath).toBeVisible();
      return dbPath;
    },
  },
  {
    set: 'full',
    name: 'capture',
    async reach(ctx) {
      const { page, journal } = ctx;
      // A link on the clipboard is offered as a bookmark (a browser shows it once clipboard access is granted).
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: journal.server.origin });
      await openCapture(ctx);
      await page.evaluate(
        (url) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(url),
        'https://www.example.org/facilitation/remote-checklist-v2',
      );
      await page.reload();
      const input = page.getByTestId('capture-input');
      await expect(input).toBeFocused();
      await input.fill('Updated #workshop checklist from @Sofia, with a section on breakout rooms');
      const offer = page.getByTestId('clipboard-offer');
      await expect(offer).toContainText('remote-checklist-v2');
      return offer;
    },
  },
  {
    set: 'full',
    name: 'toast',
    // Last: it moves a note of its own to the Trash, and purges it afterwards.
    async reach(ctx) {
      const { app, journal } = ctx;
      const scratch = await journal.call('entries.create', { body: 'Check whether the venue has a hearing loop #summit2014', source: 'typed' });
      const entry = await openEntry(ctx, scratch.id);
      await entry.delete();
      const toast = app.toasts().filter({ hasText: 'to the Trash' });
      await expect(toast.getByRole('button', { name: 'Undo' })).toBeVisible();
      return toast;
    },
    async cleanUp(ctx) {
      const trashed = await ctx.journal.call('entries.list', { trashed: true, limit: 200 });
      for (const e of trashed.items) if (e.body.startsWith('Check whether the venue')) await ctx.journal.call('entries.purge', { id: e.id });
    },
  },
];

async function expectEmptyState(page: Page, title?: string): Promise<Locator> {
  const state = page.getByTestId('empty-state');
  await expect(title ? state.filter({ hasText: title }) : state).toBeVisible();
  return state;
}

// ---------------------------------------------------------------------------------------------
// The runner.

/** Waits until the page shows its real content: nothing loading, no error state, fonts in, DOM quiet. */
async function settle(page: Page): Promise<void> {
  await expect(page.locator('[data-testid="loading"], .skeleton, .spinner, [aria-busy="true"]'), 'still loading').toHaveCount(0);
  await expect(page.getByTestId('error-state'), 'the view shows an error').toHaveCount(0);
  const quiet = await page.evaluate(waitForQuietDom, { quietMs: 300, maxMs: 5_000 });
  if (!quiet) throw new Error('the page kept changing for 5 s');
  // The quiet wait can end on a fresh request (a debounced search); make sure it has come back.
  await expect(page.locator('.spinner, [aria-busy="true"]'), 'still loading').toHaveCount(0);
}

/** In the page: resolves true once the DOM has not changed for `quietMs`, false after `maxMs`. */
function waitForQuietDom({ quietMs, maxMs }: { quietMs: number; maxMs: number }): Promise<boolean> {
  // No DOM types in this project (tsconfig.node.json): the page's globals are typed by hand.
  interface PageGlobals {
    MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
    document: { documentElement: unknown; fonts: { ready: Promise<unknown> } };
  }
  const w = globalThis as unknown as PageGlobals;
  return w.document.fonts.ready.then(
    () =>
      new Promise<boolean>((resolve) => {
        let timer = setTimeout(() => finish(true), quietMs);
        const giveUp = setTimeout(() => finish(false), maxMs);
        const observer = new w.MutationObserver(() => {
          clearTimeout(timer);
          timer = setTimeout(() => finish(true), quietMs);
        });
        function finish(result: boolean) {
          clearTimeout(timer);
          clearTimeout(giveUp);
          observer.disconnect();
          resolve(result);
        }
        observer.observe(w.document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
  );
}

interface Shot {
  view: View;
  scheme: Scheme;
  file: string;
}

/** One view in one scheme, in a fresh context: reach, settle, check, shoot, check again. */
async function shoot(browser: Browser, journal: Journal, seeded: Seeded | undefined, shot: Shot): Promise<void> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, timezoneId: ZONE.timezoneId, locale: ZONE.locale });
  const problems: string[] = [];
  try {
    context.setDefaultTimeout(REACH_TIMEOUT_MS);
    // Nothing leaves the machine: requests for anything but the app's own origin are stopped.
    const own = (url: string) => url.startsWith(`${journal.server.origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
    await context.route('**/*', (route) => (own(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
    await context.clock.setSystemTime(journal.clock.now());
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`error in the page: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    context.on('request', (request) => {
      if (!own(request.url())) problems.push(`the page asked for ${request.url()}`);
    });
    await page.emulateMedia({ colorScheme: shot.scheme, reducedMotion: 'reduce' });

    const ctx: Ctx = { page, app: new MainScreen(page, journal.server.origin), journal, seeded: shot.view.set === 'full' && seeded ? seeded : NOT_SEEDED };
    try {
      const proof = await shot.view.reach(ctx);
      await expect(proof).toBeVisible();
      // The pointer rests in the bottom-left corner (the sidebar's empty foot), where nothing shows a hover
      // state: it may have stopped on a button that moved under it.
      await page.mouse.move(4, VIEWPORT.height - 4);
      await settle(page);
      // The app follows the OS theme unless a choice is stored (renderer/src/hooks/useTheme.ts); a fresh context stores none.
      await expect(page.locator('html'), 'the theme in force').toHaveAttribute('data-theme', shot.scheme);
      if (problems.length > 0) throw new Error(problems.join('; '));
      const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
      // A transient view (a toast) must still be there: otherwise the picture shows something else.
      await expect(proof, 'still on screen after the shot').toBeVisible({ timeout: 1 });
      if (problems.length > 0) throw new Error(problems.join('; '));
      fs.writeFileSync(shot.file, png);
    } finally {
      await shot.view.cleanUp?.(ctx);
    }
  } finally {
    await context.close();
  }
}

/** A path as a person would type it from here: relative inside the working folder, else absolute. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function usage(message?: string): never {
  if (message) console.error(message);
  (message ? console.error : console.log)('usage: npm run screenshots -- [--out DIR] [--only TEXT]   (TEXT picks views whose <set>-<view> name contains it)');
  process.exit(message ? 2 : 0);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    usage((error as Error).message);
  }
  if (args.help) usage();
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`The renderer is not built (${shown(rendererDir)}/index.html is missing): run npm run build first.`);
    process.exit(2);
  }
  const outDir = path.resolve(args.out ?? path.join(repoRoot, 'screenshots'));
  const views = [...EMPTY_VIEWS, ...FULL_VIEWS].filter((v) => !args.only || `${v.set}-${v.name}`.includes(args.only));
  if (views.length === 0) usage(`No view matches --only ${args.only}`);

  const fileFor = (view: View, scheme: Scheme) => path.join(outDir, `${view.set}-${view.name}-${scheme}.png`);
  fs.mkdirSync(outDir, { recursive: true });
  // The pictures of an earlier run of these views go: a view that fails now must not leave an old one behind.
  for (const view of views) for (const scheme of SCHEMES) fs.rmSync(fileFor(view, scheme), { force: true });

  const started = performance.now();
  const executablePath = process.env.OUTLOUD_CHROMIUM ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const journal = await openJournal();
  const failures: string[] = [];
  let written = 0;
  try {
    let seeded: Seeded | undefined;
    for (const view of views) {
      if (view.set === 'full' && !seeded) seeded = await seed(journal);
      for (const scheme of SCHEMES) {
        const file = fileFor(view, scheme);
        try {
          await shoot(browser, journal, seeded, { view, scheme, file });
          written++;
          console.log(shown(file));
        } catch (error) {
          const reason = (error as Error).message.split('\n').filter(Boolean).slice(0, 6).join('\n    ');
          failures.push(`${view.set}-${view.name}-${scheme}`);
          console.error(`FAILED ${view.set}-${view.name}-${scheme}: could not reach the view, no picture saved\n    ${reason}`);
        }
      }
    }
  } finally {
    await browser.close();
    await journal.close();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${written} screenshots in ${shown(outDir)}/ (${seconds} s)`);
  if (failures.length > 0) {
    console.error(`${failures.length} view(s) could not be reached: ${failures.join(', ')}`);
    process.exit(1);
  }
}

await main();
