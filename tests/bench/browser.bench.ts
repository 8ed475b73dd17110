/**
 * Browser mode under load: the built renderer served by the loopback HTTP server over a journal of N
 * entries, driven by Playwright in Debian's Chromium. Measures
 * - timeline first paint after load: navigation start -> the first frame painted after timeline rows
 *   are in the DOM (and Chromium's first-contentful-paint, for reference);
 * - DOM nodes inside the timeline, on load and after scrolling through many pages (virtualisation);
 * - keystroke -> results painted in the search overlay (Ctrl+K): per key, from the keydown event to
 *   the first frame painted after the answer for exactly that query text reached the DOM. Its parts:
 *   keydown -> call sent, the call (`server`: the server's own share of it), answer -> painted.
 *
 * Selectors relied on (the renderer's, see renderer/src/features): `[data-testid="timeline"]`
 * (role=feed) with rows `[data-index]`; Ctrl+K opens `[data-testid="search-dialog"]` with the
 * combobox `[data-testid="search-input"]`, the results box `[data-testid="search-results"]`
 * (`data-answered`: the query the results shown answer; `aria-busy="true"` while a newer one is on
 * its way) holding results `[data-testid="search-result"]`, and a `.search-input-row .spinner` when
 * an answer is slow. Search calls go to `/api/search.query` or, once it is open, over the API socket
 * (shared/api/socket.ts): the page script below watches both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './paths.ts';
import { round, summarize, type Summary } from './stats.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';

export const CHROMIUM = '/usr/bin/chromium';

export const SELECTORS = {
  timeline: '[data-testid="timeline"]',
  timelineRow: '[data-testid="timeline"] [data-index]',
  searchDialog: '[data-testid="search-dialog"]',
  searchInput: '[data-testid="search-input"]',
  searchResult: '[data-testid="search-result"]',
  searchResults: '[data-testid="search-results"]',
  searchSpinner: '.search-input-row .spinner',
  searchApi: '/api/search.query',
} as const;

export interface BrowserBenchResult {
  n: number;
  url: string;
  timelineFirstPaint: { runs: number[]; median: number; max: number; firstContentfulPaint: number[] };
  /** Elements inside the timeline; `rowsInList` is how many rows (entries and day headings) it had loaded by the end. */
  timelineDomNodes: { onLoad: number; maxWhileScrolling: number; rowsInList: number; documentNodes: number };
  keystroke: Summary & {
    keystrokes: number;
    timedOut: number;
    queries: string[];
    /**
     * Medians and p95s of the parts: keydown -> request sent, the request (server and HTTP), response ->
     * painted; `server` is the part of the request the server spent on the call (its Server-Timing).
     */
    parts: { toRequest: Summary; request: Summary; server: Summary; toPaint: Summary };
    /** Per key: `results` rows were in the DOM in the frame measured, of the `listed` the answer has. */
    samples: Array<{ text: string; ms: number; results: number; listed: number; request: number | null; server: number | null }>;
  };
  selectors: typeof SELECTORS;
}

export type BrowserBenchOutcome = BrowserBenchResult | { skipped: string };

/** Why the browser part cannot run here, or null when it can. */
export function browserSkipReason(rendererDir: string): string | null {
  if (!fs.existsSync(path.join(REPO_ROOT, 'electron/core/http/server.ts'))) return 'electron/core/http/server.ts does not exist yet';
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) return `${path.relative(REPO_ROOT, rendererDir)}/index.html is missing: run \`npm run build\` first`;
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is not installed`;
  return null;
}

// Runs in the page before the app: marks keydowns, search calls and the timeline's first paint. A
// search call goes over the API socket once that is open, over fetch otherwise: both are watched.
// `end` is when the answer arrived (before the app reads it); `server` is the server's own time for
// the call (its Server-Timing header, or the socket answer's "timing").
const INIT_SCRIPT = `(() => {
  const b = (window.__bench = { keydowns: [], calls: [], timelineRows: null, timelinePaint: null });
  addEventListener('keydown', () => b.keydowns.push(performance.now()), true);
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let rec = null;
    if (url.includes(${JSON.stringify(SELECTORS.searchApi)}) && init && typeof init.body === 'string') {
      try { rec = { q: JSON.parse(init.body).q, start: performance.now(), end: null, server: null }; b.calls.push(rec); } catch {}
    }
    const response = await realFetch(input, init);
    if (rec) {
      rec.end = performance.now();
      const st = response.headers.get('server-timing') || '';
      let server = 0, any = false;
      for (const m of st.matchAll(/dur=([0-9.]+)/g)) { server += Number(m[1]); any = true; }
      rec.server = any ? server : null;
    }
    return response;
  };
  const RealWebSocket = window.WebSocket;
  window.WebSocket = class extends RealWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const open = (this.__benchCalls = new Map());
      // Registered before the app's own handler, so it runs first.
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        const id = /^\\{"id":(\\d+),/.exec(e.data.slice(0, 32));
        const rec = id && open.get(Number(id[1]));
        if (!rec) return;
        open.delete(rec.id);
        rec.end = performance.now();
        const t = /"timing":\\{"core":([0-9.]+),"json":([0-9.]+)\\}\\}$/.exec(e.data.slice(-80));
        rec.server = t ? Number(t[1]) + Number(t[2]) : null;
      });
    }
    send(data) {
      if (typeof data === 'string' && data.includes('"method":"search.query"')) {
        try {
          const m = JSON.parse(data);
          const rec = { id: m.id, q: m.input.q, start: performance.now(), end: null, server: null };
          b.calls.push(rec);
          this.__benchCalls.set(m.id, rec);
        } catch {}
      }
      return super.send(data);
    }
  };
  const seen = () => {
    if (b.timelineRows !== null || !document.querySelector(${JSON.stringify(SELECTORS.timelineRow)})) return;
    b.timelineRows = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { b.timelinePaint = performance.now(); }, 0));
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
})();`;

// Resolves once the answer for `expected` is in the DOM, then after the next frame is painted.
const WAIT_PAINTED = `(expected) => new Promise((resolve) => {
  const b = window.__bench;
  const t0 = b.keydowns[b.keydowns.length - 1];
  const deadline = performance.now() + 5000;
  const settled = () => {
    if (!b.calls.some((f) => f.q === expected && f.start >= t0 && f.end !== null)) return false;
    const input = document.querySelector(${JSON.stringify(SELECTORS.searchInput)});
    if (!input || input.value.trim() !== expected) return false;
    if (document.querySelector(${JSON.stringify(SELECTORS.searchSpinner)})) return false;
    // The results shown answer exactly this text, and no newer query is on its way.
    const results = document.querySelector(${JSON.stringify(SELECTORS.searchResults)});
    return !!results && results.getAttribute('data-answered') === expected && results.getAttribute('aria-busy') !== 'true';
  };
  let finished = false;
  const finish = (timedOut) => {
    if (finished) return;
    finished = true;
    observer.disconnect();
    clearInterval(timer);
    const f = b.calls.filter((x) => x.q === expected && x.start >= t0 && x.end !== null)[0];
    requestAnimationFrame(() => setTimeout(() => resolve({
      ms: performance.now() - t0,
      timedOut,
      // Rows in the DOM in that frame (the overlay renders the first screenful at once), and how many the answer has.
      results: document.querySelectorAll(${JSON.stringify(SELECTORS.searchResult)}).length,
      listed: Number(document.querySelector(${JSON.stringify(SELECTORS.searchResult)})?.getAttribute('aria-setsize') ?? 0),
      // Where the time went: keydown -> request sent, the request, response -> painted.
      toRequest: f ? f.start - t0 : null,
      request: f ? f.end - f.start : null,
      server: f ? f.server : null,
    }), 0));
  };
  const observer = new MutationObserver(() => { if (settled()) finish(false); });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  const timer = setInterval(() => { if (settled()) finish(false); else if (performance.now() > deadline) finish(true); }, 4);
  if (settled()) finish(false);
})`;

const COUNT_TIMELINE_NODES = `(() => {
  const t = document.querySelector(${JSON.stringify(SELECTORS.timeline)});
  return { nodes: t ? t.querySelectorAll('*').length + 1 : 0, rows: t ? t.querySelectorAll('[data-index]').length : 0, documentNodes: document.getElementsByTagName('*').length };
})()`;

/** Browser mode over `dataDir` in a process of its own (serve.ts), once it has printed its URL. */
export function startServer(dataDir: string, rendererDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/node'), [path.join(REPO_ROOT, 'tests/bench/serve.ts'), dataDir, rendererDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve({ child, url: (JSON.parse(line) as { url: string }).url });
      } catch (error) {
        reject(new Error(`serve.ts printed ${line.slice(0, 200)}: ${(error as Error).message}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`serve.ts exited with code ${code} before printing its URL`)));
  });
}

export async function runBrowserBench(options: {
  dataDir: string;
  n: number;
  rendererDir: string;
  typed: string[];
  loads?: number;
  /** Scroll the timeline far down to count its DOM nodes (default true). */
  scroll?: boolean;
  /** Write a Chromium performance trace of the typing to this file (diagnosis only: tracing costs time). */
  trace?: string;
  /** Called just before the first keystroke and just after the last one's results are painted (diagnosis). */
  onTyping?: (phase: 'start' | 'end') => void;
}): Promise<BrowserBenchOutcome> {
  const skip = browserSkipReason(options.rendererDir);
  if (skip) return { skipped: skip };
  const { chromium } = await import('@playwright/test');
  const { child, url } = await startServer(options.dataDir, options.rendererDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript({ content: INIT_SCRIPT });

    // Timeline first paint: a fresh page per load (the token travels in the URL fragment).
    const paints: number[] = [];
    const fcps: number[] = [];
    const loads = options.loads ?? 5;
    let page = await context.newPage();
    for (let k = 0; k < loads; k++) {
      if (k > 0) {
        await page.close();
        page = await context.newPage();
      }
      await page.goto(url, { waitUntil: 'commit' });
      // Polled with plain evaluations: the page's CSP (script-src 'self') forbids waitForFunction's eval.
      let paint: number | null = null;
      for (const deadline = Date.now() + 30_000; paint === null && Date.now() < deadline; ) {
        paint = (await page.evaluate('window.__bench ? window.__bench.timelinePaint : null')) as number | null;
        if (paint === null) await page.waitForTimeout(10);
      }
      if (paint === null) throw new Error('the timeline showed no rows within 30 s');
      paints.push(round(paint, 1));
      const fcp = (await page.evaluate(
        "performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? -1",
      )) as number;
      fcps.push(round(fcp, 1));
    }

    // DOM nodes in the timeline: on load, then while scrolling far down (pages load as the end nears).
    const onLoad = (await page.evaluate(COUNT_TIMELINE_NODES)) as { nodes: number; rows: number; documentNodes: number };
    let maxNodes = onLoad.nodes;
    let documentNodes = onLoad.documentNodes;
    for (let k = 0; k < (options.scroll === false ? 0 : 30); k++) {
      await page.evaluate(`(() => { const t = document.querySelector(${JSON.stringify(SELECTORS.timeline)}); t.scrollTop = t.scrollHeight; })()`);
      await page.waitForTimeout(120);
      const c = (await page.evaluate(COUNT_TIMELINE_NODES)) as { nodes: number; documentNodes: number };
      maxNodes = Math.max(maxNodes, c.nodes);
      documentNodes = Math.max(documentNodes, c.documentNodes);
    }
    const rowsInList = (await page.evaluate(
      `(() => { const t = document.querySelector(${JSON.stringify(SELECTORS.timeline)}); return Number(t.querySelector('[data-index]:last-child')?.getAttribute('data-index') ?? 0) + 1; })()`,
    )) as number;

    // Keystroke to results painted.
    await page.evaluate(`(() => { const t = document.querySelector(${JSON.stringify(SELECTORS.timeline)}); t.scrollTop = 0; })()`);
    await page.keyboard.press('Control+K');
    await page.locator(SELECTORS.searchInput).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator(SELECTORS.searchInput).focus();
    const samples: number[] = [];
    const parts = { toRequest: [] as number[], request: [] as number[], server: [] as number[], toPaint: [] as number[] };
    const perKey: BrowserBenchResult['keystroke']['samples'] = [];
    let timedOut = 0;
    if (options.trace) {
      await browser.startTracing(page, {
        path: options.trace,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing', 'loading', 'netlog', 'v8.execute', 'benchmark', 'cc', 'viz', 'gpu', 'disabled-by-default-devtools.timeline.stack'],
      });
    }
    options.onTyping?.('start');
    for (const text of options.typed) {
      await page.locator(SELECTORS.searchInput).fill('');
      for (let i = 1; i <= text.length; i++) {
        await page.keyboard.type(text[i - 1]!);
        const expected = text.slice(0, i).trim();
        if (!expected) continue;
        const r = (await page.evaluate(`(${WAIT_PAINTED})(${JSON.stringify(expected)})`)) as {
          ms: number;
          timedOut: boolean;
          results: number;
          listed: number;
          toRequest: number | null;
          request: number | null;
          server: number | null;
        };
        if (r.timedOut) timedOut++;
        samples.push(r.ms);
        if (r.toRequest !== null && r.request !== null) {
          parts.toRequest.push(r.toRequest);
          parts.request.push(r.request);
          parts.toPaint.push(r.ms - r.toRequest - r.request);
          if (r.server !== null) parts.server.push(r.server);
        }
        perKey.push({ text: expected, ms: round(r.ms, 1), results: r.results, listed: r.listed, request: r.request === null ? null : round(r.request, 1), server: r.server === null ? null : round(r.server, 1) });
      }
    }
    options.onTyping?.('end');
    if (options.trace) await browser.stopTracing();
    const sortedPaints = [...paints].sort((a, b) => a - b);
    return {
      n: options.n,
      url: url.replace(/#token=.*/, '#token=…'),
      timelineFirstPaint: { runs: paints, median: sortedPaints[Math.floor(paints.length / 2)]!, max: Math.max(...paints), firstContentfulPaint: fcps },
      timelineDomNodes: { onLoad: onLoad.nodes, maxWhileScrolling: maxNodes, rowsInList, documentNodes },
      keystroke: {
        ...summarize(samples),
        keystrokes: samples.length,
        timedOut,
        queries: options.typed,
        parts: { toRequest: summarize(parts.toRequest), request: summarize(parts.request), server: summarize(parts.server), toPaint: summarize(parts.toPaint) },
        samples: perKey,
      },
      selectors: SELECTORS,
    };
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}
