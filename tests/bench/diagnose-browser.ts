/**
 * The browser part of the benchmark alone, for working on keystroke -> results painted: runs
 * browser.bench.ts's keystroke measurement against a copy of an existing journal, for one or more
 * built renderers, interleaved over several rounds, and prints the medians.
 *
 *   node tests/bench/diagnose-browser.ts --journal /path/outloud.sqlite [--n 100000] [--rounds 3]
 *        [--renderer out/renderer] [--renderer /tmp/other-build] [--build /tmp/other-build]
 *        [--no-minify] [--full] [--keys] [--trace /tmp/trace.json]
 *
 * --build DIR   builds the renderer (as electron.vite.config.ts does) into DIR first, and measures it
 *               (--no-minify: readable names in profiles)
 * --full        the timeline's figures too (5 loads, scrolling), as `npm run bench` measures them
 * --keys        every keystroke's time, request and server share
 * --trace FILE  a Chromium trace of the typing per run (FILE-<round>-<renderer>.json); tracing slows it
 *
 * Each run also prints the CPU time per keystroke of the processes it started, by process and, for
 * Chromium's renderer, by thread: on a shared machine it moves less than the wall-clock times.
 * The journal file is copied once to a temporary folder (the original is never opened).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBrowserBench, type BrowserBenchResult } from './browser.bench.ts';
import { loadTextPool } from './corpus.ts';
import { REPO_ROOT } from './paths.ts';
import { renderersFromArgs } from './renderer-builds.ts';
import { buildQueries } from './queries.ts';
import { round } from './stats.ts';

const argv = process.argv.slice(2);
const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
const journal = values('--journal')[0];
if (!journal) {
  process.stderr.write('usage: diagnose-browser.ts --journal FILE [--n N] [--rounds R] [--renderer DIR]... [--build DIR]...\n');
  process.exit(2);
}
const n = Number(values('--n')[0] ?? 100_000);
const rounds = Number(values('--rounds')[0] ?? 3);
const trace = values('--trace')[0];
const full = argv.includes('--full');

const renderers = await renderersFromArgs(argv);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-diag-browser-'));
fs.copyFileSync(journal, path.join(dataDir, 'outloud.sqlite'));

const queries = buildQueries(loadTextPool(path.join(REPO_ROOT, 'node_modules')));
const typed = [...queries.filter((q) => q.category === 'term').slice(0, 8), ...queries.filter((q) => q.category === 'two-terms').slice(0, 4)].map((q) => q.q);
process.stdout.write(`typed: ${typed.join(' | ')}\n`);

/** CPU time (ms) of this process's descendants, by process kind and, for Chromium, by thread name. */
function cpuOfDescendants(): Map<string, number> {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = pid, guard = 0; p > 1 && guard < 50; p = parent.get(p) ?? 0, guard++) if (p === process.pid) return pid !== process.pid;
    return false;
  };
  const out = new Map<string, number>();
  const tick = 1000 / 100; // USER_HZ
  for (const pid of parent.keys()) {
    if (!mine(pid)) continue;
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const kind = cmd.includes('serve.ts') ? 'server' : cmd.includes('chromium') ? (/--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser') : null;
    if (!kind) continue;
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ms = (Number(f[11]) + Number(f[12])) * tick;
        const name = kind === 'renderer' || kind === 'browser' ? `${kind}/${comm}` : kind;
        out.set(name, (out.get(name) ?? 0) + ms);
      } catch {
        // gone
      }
    }
  }
  return out;
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runs = new Map<string, BrowserBenchResult['keystroke'][]>(renderers.map((r) => [r, []]));
try {
  for (let k = 0; k < rounds; k++) {
    for (const rendererDir of renderers) {
      let before = new Map<string, number>();
      const cpu = new Map<string, number>();
      const onTyping = (phase: 'start' | 'end') => {
        if (phase === 'start') before = cpuOfDescendants();
        else for (const [k, v] of cpuOfDescendants()) cpu.set(k, v - (before.get(k) ?? 0));
      };
      const r = await runBrowserBench({
        dataDir,
        n,
        rendererDir,
        typed,
        // The keystrokes only, unless asked for the timeline's figures too.
        ...(full ? {} : { loads: 1, scroll: false }),
        trace: trace ? path.resolve(`${trace.replace(/\.json$/, '')}-${k}-${path.basename(rendererDir)}.json`) : undefined,
        onTyping,
      });
      if (!('keystroke' in r)) throw new Error(r.skipped);
      if (full) {
        process.stdout.write(
          `  timeline first paint ${r.timelineFirstPaint.runs.join(', ')} ms (median ${r.timelineFirstPaint.median}); DOM nodes ${r.timelineDomNodes.onLoad} on load, ${r.timelineDomNodes.maxWhileScrolling} max\n`,
        );
      }
      const ks = r.keystroke;
      runs.get(rendererDir)!.push(ks);
      const p = ks.parts;
      const perKey = (ms: number) => round(ms / ks.keystrokes, 1);
      const total = [...cpu.values()].reduce((a, b) => a + b, 0);
      process.stdout.write(
        `  cpu per keystroke: total ${perKey(total)} ms | ${[...cpu.entries()].filter(([, v]) => v >= 10).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${perKey(v)}`).join(', ')}\n`,
      );
      if (argv.includes('--keys')) for (const x of ks.samples) process.stdout.write(`  ${x.text.padEnd(14)} ${x.ms} request ${x.request} server ${x.server} results ${x.results}/${x.listed}\n`);
      process.stdout.write(
        `round ${k + 1} ${path.basename(rendererDir)}: p50 ${ks.p50} p95 ${ks.p95} max ${ks.max} (${ks.keystrokes} keys, ${ks.timedOut} timed out) | ` +
          `toRequest ${p.toRequest.p50}/${p.toRequest.p95} request ${p.request.p50}/${p.request.p95} server ${p.server.p50}/${p.server.p95} toPaint ${p.toPaint.p50}/${p.toPaint.p95}\n`,
      );
    }
  }
  for (const [rendererDir, list] of runs) {
    const m = (f: (k: BrowserBenchResult['keystroke']) => number) => round(med(list.map(f)), 1);
    process.stdout.write(
      `\nmedian of ${list.length} runs, ${rendererDir}: p50 ${m((k) => k.p50)} p95 ${m((k) => k.p95)} | toRequest ${m((k) => k.parts.toRequest.p50)}/${m((k) => k.parts.toRequest.p95)} ` +
        `request ${m((k) => k.parts.request.p50)}/${m((k) => k.parts.request.p95)} server ${m((k) => k.parts.server.p50)}/${m((k) => k.parts.server.p95)} toPaint ${m((k) => k.parts.toPaint.p50)}/${m((k) => k.parts.toPaint.p95)}\n`,
    );
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
