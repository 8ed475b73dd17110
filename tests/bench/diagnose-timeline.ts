/**
 * The timeline scrolled far back, page after page, in browser mode: what each page appended costs
 * the renderer as more are loaded. For one or more built renderers against a copy of an existing
 * journal, prints at pages 2, 10, 50, 100, … (each page is TIMELINE_PAGE entries; the times are
 * medians of the ten pages up to that one, as one page on a shared machine is noisy):
 * - `wall`: scrolled to the end -> the frame painted after the next page's rows are in the list;
 * - `render`: the page's answer arrived (the API socket's message) -> that frame painted;
 * - `task`: main-thread time Chromium spent in that span (CDP Performance.getMetrics TaskDuration),
 *   which moves less than wall-clock times on a shared machine;
 * - `scroll`: main-thread time of one screenful scrolled back up through loaded rows (no page loads);
 * - the JS heap alive after a garbage collection, and the document's elements.
 *
 *   node tests/bench/diagnose-timeline.ts --journal /path/outloud.sqlite [--pages 1000]
 *        [--renderer out/renderer]... [--build DIR]... [--no-minify] [--profile-at 500]
 *
 * --build DIR       builds the renderer (as electron.vite.config.ts does) into DIR first, and measures it
 * --profile-at N    a CPU profile (CDP Profiler) of the N-th page's load, its top self times printed
 *
 * The journal file is copied once to a temporary folder (the original is never opened).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, SELECTORS, startServer } from './browser.bench.ts';
import { renderersFromArgs } from './renderer-builds.ts';
import { round } from './stats.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';

const argv = process.argv.slice(2);
const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
const journal = values('--journal')[0];
if (!journal) {
  process.stderr.write('usage: diagnose-timeline.ts --journal FILE [--pages N] [--renderer DIR]... [--build DIR]... [--profile-at N]\n');
  process.exit(2);
}
const pages = Number(values('--pages')[0] ?? 1000);
const profileAt = Number(values('--profile-at')[0] ?? 0);
const REPORT = new Set([2, 5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, pages]);

const renderers = await renderersFromArgs(argv);

// Records when each entries.list answer arrives over the API socket (before the app reads it).
const INIT_SCRIPT = `(() => {
  const b = (window.__tl = { answers: [] });
  const RealWebSocket = window.WebSocket;
  window.WebSocket = class extends RealWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const open = (this.__tlCalls = new Set());
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        const id = /^\\{"id":(\\d+),/.exec(e.data.slice(0, 32));
        if (id && open.delete(Number(id[1]))) b.answers.push(performance.now());
      });
    }
    send(data) {
      if (typeof data === 'string' && data.includes('"method":"entries.list"')) {
        try { this.__tlCalls.add(JSON.parse(data).id); } catch {}
      }
      return super.send(data);
    }
  };
})();`;

// Scrolls to the end and resolves once the next page's rows are in the list and a frame is painted.
const NEXT_PAGE = `(() => new Promise((resolve) => {
  const b = window.__tl;
  const t = document.querySelector(${JSON.stringify(SELECTORS.timeline)});
  const answers = b.answers.length;
  const t0 = performance.now();
  let finished = false;
  const check = () => {
    // The answer came and the list has taken it in (aria-busy is true from the request until then).
    if (finished || b.answers.length <= answers || t.getAttribute('aria-busy') === 'true') return;
    finished = true;
    observer.disconnect();
    clearInterval(timer);
    requestAnimationFrame(() => setTimeout(() => {
      const now = performance.now();
      resolve({ wall: now - t0, render: now - b.answers[b.answers.length - 1], nodes: document.getElementsByTagName('*').length, done: false });
    }, 0));
  };
  const observer = new MutationObserver(check);
  observer.observe(t, { attributes: true, childList: true, subtree: true });
  const timer = setInterval(() => {
    check();
    if (!finished && performance.now() - t0 > 10000) { finished = true; observer.disconnect(); clearInterval(timer); resolve({ wall: -1, render: -1, nodes: 0, done: true }); }
  }, 20);
  t.scrollTop = t.scrollHeight;
}))()`;

// One screenful back up through loaded rows, resolved after the frame that shows it is painted.
const SCROLL_UP = `(() => new Promise((resolve) => {
  const t = document.querySelector(${JSON.stringify(SELECTORS.timeline)});
  const t0 = performance.now();
  t.scrollTop = Math.max(0, t.scrollTop - t.clientHeight);
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)));
}))()`;

type Metrics = Record<string, number>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-diag-timeline-'));
fs.copyFileSync(journal, path.join(dataDir, 'outloud.sqlite'));
const { chromium } = await import('@playwright/test');
try {
  for (const rendererDir of renderers) {
    process.stdout.write(`\n${rendererDir}\n`);
    process.stdout.write('  page  entries   wall ms  render ms  task ms  scroll task ms  heap MB  DOM nodes\n');
    const { child, url } = await startServer(dataDir, rendererDir);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript({ content: INIT_SCRIPT });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async (): Promise<Metrics> => {
        const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
        return Object.fromEntries(list.map((m) => [m.name, m.value]));
      };
      await page.goto(url);
      await page.locator(SELECTORS.timelineRow).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      const walls: number[] = [];
      const renders: number[] = [];
      const tasks: number[] = [];
      for (let k = 2; k <= pages; k++) {
        if (k === profileAt) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
          await cdp.send('Profiler.start');
        }
        const before = await metrics();
        const r = (await page.evaluate(NEXT_PAGE)) as { wall: number; render: number; nodes: number; done: boolean };
        const after = await metrics();
        if (k === profileAt) {
          const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
          printProfile(profile);
        }
        if (r.done) {
          process.stdout.write(`  no further page after ${k - 1}\n`);
          break;
        }
        walls.push(r.wall);
        renders.push(r.render);
        tasks.push((after.TaskDuration! - before.TaskDuration!) * 1000);
        if (!REPORT.has(k)) continue;
        const s0 = await metrics();
        await page.evaluate(SCROLL_UP);
        const s1 = await metrics();
        await page.evaluate(`(() => { const t = document.querySelector(${JSON.stringify(SELECTORS.timeline)}); t.scrollTop = t.scrollHeight; })()`);
        await page.waitForTimeout(50);
        const scrollTask = (s1.TaskDuration! - s0.TaskDuration!) * 1000;
        // What stays alive, not what the collector has yet to take.
        await cdp.send('HeapProfiler.collectGarbage');
        const heap = (await metrics()).JSHeapUsedSize!;
        // Medians of the last pages up to this one (10 at most): a single page on a shared machine is noisy.
        const recent = (xs: number[]) => String(round(median(xs.slice(-10)), 1));
        process.stdout.write(
          `  ${String(k).padStart(4)}  ${String(k * 100).padStart(7)}  ${recent(walls).padStart(8)}  ${recent(renders).padStart(9)}  ${recent(tasks).padStart(7)}  ${String(round(scrollTask, 1)).padStart(14)}  ${String(round(heap / 1e6, 1)).padStart(7)}  ${String(r.nodes).padStart(9)}\n`,
        );
      }
      const sum = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / 1000, 1);
      process.stdout.write(`  ${walls.length} pages: ${sum(walls)} s of wall time, ${sum(renders)} s answer -> painted, ${sum(tasks)} s of main-thread tasks\n`);
    } finally {
      await browser.close();
      child.kill('SIGTERM');
    }
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** The functions that took the most self time in the profile. */
function printProfile(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  process.stdout.write('  profile of that page (self time, ms):\n');
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`    ${String(round(ms, 1)).padStart(7)}  ${name}\n`);
}
