/**
 * The timeline scrolled far back: a page appended costs that page, not everything loaded before it.
 * Asserted without timings (tests/bench/diagnose-timeline.ts measures the times): by how many loaded
 * entries the app reads again when a page comes in, and by how many of the app's functions run.
 */
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import { expect, test, type Journal, type Page } from './fixtures.ts';
import { MainScreen } from './pages/MainScreen.ts';

/** Entries a page of the timeline brings (TIMELINE_PAGE in renderer/src/features/timeline/timeline.store.ts). */
const TIMELINE_PAGE = 100;

test.afterEach(async ({ guard }) => {
  await guard.expectClean();
});

/** `count` short notes, newest first, an hour apart (24 to a day, under day headings). */
function seedNotes(journal: Journal, count: number): void {
  const now = Date.now();
  journal.core.services.entries.createMany(Array.from({ length: count }, (_, i) => EntryCreateInput.parse({ body: `Note ${i}: standup`, createdAt: now - i * 3600_000 })));
}

// No DOM types in this project (tsconfig.node.json): the page's globals are typed by hand.
interface Counters {
  /** Entries the timeline's pages brought. */
  loaded: number;
  /** Reads of those entries' `createdAt` (what a timeline row is placed by: its day, its time). */
  reads: number;
}
type PageGlobals = { __timeline: Counters; JSON: { parse(text: string): unknown } };

/**
 * Runs in the page before the app: each entry in an entries.list answer (over the API socket, which
 * the app parses with JSON.parse) counts the reads of its `createdAt`.
 */
function countEntryReads(): void {
  const w = globalThis as unknown as PageGlobals;
  const counters: Counters = { loaded: 0, reads: 0 };
  w.__timeline = counters;
  const parse = w.JSON.parse.bind(w.JSON);
  w.JSON.parse = (text: string) => {
    const value = parse(text) as { result?: { value?: { items?: unknown; nextCursor?: unknown } } } | null;
    const page = value?.result?.value;
    if (page && Array.isArray(page.items) && 'nextCursor' in page) {
      counters.loaded += page.items.length;
      for (const entry of page.items as Array<{ createdAt: number }>) {
        const at = entry.createdAt;
        Object.defineProperty(entry, 'createdAt', {
          enumerable: true,
          get() {
            counters.reads++;
            return at;
          },
        });
      }
    }
    return value;
  };
}

const counters = (page: Page) => page.evaluate(() => ({ ...(globalThis as unknown as PageGlobals).__timeline }));

/** Scrolls the timeline to its end until `entries` are loaded (the first page came before the socket). */
async function loadUntil(app: MainScreen, entries: number): Promise<void> {
  while ((await counters(app.page)).loaded + TIMELINE_PAGE < entries) await nextPage(app);
}

/** Scrolls to the end of the timeline and waits for the next page to be in the list. */
async function nextPage(app: MainScreen): Promise<void> {
  const before = (await counters(app.page)).loaded;
  await app.timeline.list.evaluate((list) => {
    list.scrollTop = list.scrollHeight;
  });
  await expect.poll(async () => (await counters(app.page)).loaded).toBeGreaterThan(before);
  await expect(app.timeline.list).toHaveAttribute('aria-busy', 'false');
}

test.describe('the timeline scrolled far back', () => {
  test.beforeEach(async ({ context }) => {
    await context.addInitScript(countEntryReads);
  });

  test('a page appended is made into rows without reading again the entries loaded before it', async ({ page, journal, guard }) => {
    void guard; // installed before the page opens
    seedNotes(journal, 25 * TIMELINE_PAGE);
    const app = new MainScreen(page, journal.server.origin);
    await app.open(journal.server.url);
    await expect(app.timeline.entries.first()).toContainText('Note 0:');
    await loadUntil(app, 20 * TIMELINE_PAGE);

    const before = await counters(page);
    await nextPage(app);
    const after = await counters(page);
    // The new page's entries are read to place them (and the few of them scrolled into view to show
    // them); re-grouping every entry loaded by day read all 2,000 and more on each page.
    expect(after.loaded - before.loaded).toBe(TIMELINE_PAGE);
    expect(after.reads - before.reads, `reads of entries' times for one page, with ${before.loaded} loaded`).toBeLessThan(3 * TIMELINE_PAGE);
  });

  test('scrolling through the timeline runs the same code with 3,000 entries loaded as with 300', async ({ page, journal, guard }) => {
    void guard; // installed before the page opens
    seedNotes(journal, 32 * TIMELINE_PAGE);
    // Calls to each of the app's functions, counted exactly by V8 (precise coverage) from the start.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    const calls = async (): Promise<number> => {
      // Each take answers the calls since the last one.
      const { result } = (await cdp.send('Profiler.takePreciseCoverage')) as Coverage;
      let n = 0;
      for (const script of result) if (script.url.startsWith(journal.server.origin)) for (const f of script.functions) n += f.ranges[0]?.count ?? 0;
      return n;
    };
    const app = new MainScreen(page, journal.server.origin);
    await app.open(journal.server.url);
    await expect(app.timeline.entries.first()).toContainText('Note 0:');

    // Six rows up from where the last page came in, among rows shown (and measured) just before.
    const scrollUp = async (): Promise<number> => {
      await scrollBy(app, -600);
      await scrollBy(app, 600);
      await calls();
      await scrollBy(app, -600);
      return calls();
    };
    await loadUntil(app, 3 * TIMELINE_PAGE);
    const few = await scrollUp();
    await loadUntil(app, 30 * TIMELINE_PAGE);
    const many = await scrollUp();
    // Laying every loaded row out again on each render (the virtualizer's getItemKey made anew each
    // time) took twice the calls with 3,000 entries loaded (9,231 -> 18,571); now ~7,300-8,100 both.
    expect(many, `calls for the same scroll with 3,000 entries loaded, against ${few} with 300`).toBeLessThan(few * 1.3);
  });
});

type Coverage = { result: Array<{ url: string; functions: Array<{ ranges: Array<{ count: number }> }> }> };

/** Scrolls the timeline by `px` and waits until it has settled (the virtualizer's "scrolling" state ended). */
async function scrollBy(app: MainScreen, px: number): Promise<void> {
  await app.timeline.list.evaluate((list, by) => {
    list.scrollTop += by;
  }, px);
  await app.page.waitForTimeout(400);
}
