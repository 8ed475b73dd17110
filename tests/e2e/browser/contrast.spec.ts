/**
 * Every piece of text in the main views, light and dark, meets WCAG AA contrast against what is
 * behind it (4.5:1, or 3:1 for large text), with a journal that shows every kind of entry and state.
 */
import { expect, test, type Page } from './fixtures.ts';

/** The texts on the page below AA, described (runs in the page: computed colours, blended layers). */
function lowContrastTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgba = { r: number; g: number; b: number; a: number };
    const parse = (c: string): Rgba | null => {
      const srgb = /color\(srgb ([^)]+)\)/.exec(c);
      const parts = srgb ? srgb[1]!.split(/[ /]+/).filter(Boolean).map(Number).map((v, i) => (i < 3 ? v * 255 : v)) : /rgba?\(([^)]+)\)/.exec(c)?.[1]?.split(/[ ,/]+/).filter(Boolean).map(Number);
      return parts ? { r: parts[0]!, g: parts[1]!, b: parts[2]!, a: parts[3] ?? 1 } : null;
    };
    const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const luminance = (c: { r: number; g: number; b: number }) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const background = (el: Element) => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 0.99) break;
        }
      }
      let base = { r: 255, g: 255, b: 255 };
      for (const l of layers.reverse()) base = { r: l.r * l.a + base.r * (1 - l.a), g: l.g * l.a + base.g * (1 - l.a), b: l.b * l.a + base.b * (1 - l.a) };
      return base;
    };
    const out: string[] = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (!walker.currentNode.textContent?.trim() || !el || seen.has(el)) continue;
      seen.add(el);
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      // Decorative or disabled text is exempt from the criterion.
      if (el.closest('[aria-hidden="true"], .visually-hidden, button:disabled')) continue;
      let opacity = 1;
      for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      const fg = parse(style.color);
      if (!fg) continue;
      const bg = background(el);
      const a = fg.a * opacity;
      const seenFg = { r: fg.r * a + bg.r * (1 - a), g: fg.g * a + bg.g * (1 - a), b: fg.b * a + bg.b * (1 - a) };
      const [l1, l2] = [luminance(seenFg), luminance(bg)];
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
      if (ratio < (large ? 3 : 4.5)) out.push(`${ratio.toFixed(2)}:1 "${walker.currentNode.textContent.trim().slice(0, 30)}" (.${String(el.className).split(' ').join('.')})`);
    }
    return out;
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`text in every view meets AA contrast, ${scheme}`, async ({ app, journal, page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await journal.api('entries.create', { body: 'Drafted the agenda for the #summit with @[Ann Lee]' });
    await journal.api('entries.create', { kind: 'bookmark', bookmark: { url: 'https://example.org/wol' }, body: 'Why working out loud works #wol' });
    const open = await journal.api('entries.create', { kind: 'question', body: 'Who owns the build pipeline?' });
    const answered = await journal.api('entries.create', { kind: 'question', body: 'Where do the release notes live?' });
    await journal.api('entries.update', { id: answered.id, question: { answer: 'In the wiki', status: 'answered' } });
    await page.reload();
    const views: Array<[string, () => Promise<void>]> = [
      ['timeline', () => app.goTo('timeline')],
      ['people', () => app.goTo('people')],
      ['bookmarks', () => app.goTo('bookmarks')],
      ['questions', () => app.goTo('questions')],
      ['open question', async () => void (await app.openEntry(open.id))],
      ['answered question', async () => void (await app.openEntry(answered.id))],
    ];
    for (const [name, visit] of views) {
      await visit();
      await page.waitForLoadState('networkidle');
      expect(await lowContrastTexts(page), `${name}, ${scheme}`).toEqual([]);
    }
    await app.goTo('timeline');
    await app.search.open();
    await app.search.query('agenda');
    await expect(app.search.results).toHaveCount(1);
    expect(await lowContrastTexts(page), `search, ${scheme}`).toEqual([]);
  });
}
