/**
 * Diagnosis, not a benchmark of the app: what renaming, aliasing and purging a much-mentioned person
 * costs. Builds (once, kept in DIR/template) a journal of N corpus entries of which M mention
 * `@[Ada Lovelace]` and 10 mention `@[Grace Hopper]`, then, each on a fresh copy of it, times:
 *
 *   rename     entries.update of the person's name (Ada Lovelace -> Augusta Ada King)
 *   alias      entries.update adding an alias (countess)
 *   purge      entries.purge of the person (moved to the trash first, not timed)
 *
 * for Ada (M mentions) and Grace (10 mentions), and checks each result: `journal.doctor` clean, and
 * the index's `people` column finding every mentioner by the new name and none by a name gone; then
 * times --saves notes saved one at a time after it (FTS5 merges the segments a step wrote a little at
 * each later write: none of them should wait long for it).
 *
 *   node tests/bench/diagnose-rename.ts [--n 100000] [--mentions 50000] [--dir DIR] [--rounds 1]
 *                                       [--only rename,alias,purge] [--saves 200] [--sql] [--cpu] [--before DIR]
 *
 * --before DIR also times, interleaved round by round, the core in DIR (a copy of another commit's
 * sources with node_modules linked beside them: `git archive COMMIT electron shared | tar -x -C DIR`).
 * --sql prints the SQL of each timed step by statement, --cpu its CPU profile by function (a separate
 * pass each: both slow what they watch). Timings on a shared machine are noisy: compare steps of one
 * run, and the CPU time (user + system of this process while the step ran), which other processes on
 * the machine disturb less.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore as openThisCore, type Core } from '../../electron/core/core.ts';
import { contract } from '../../shared/api/contract.ts';
import { Corpus, loadTextPool, PEOPLE, type CorpusEntry } from './corpus.ts';
import { REPO_ROOT } from './paths.ts';
import { cpuProfile, profileStatements } from './profile.ts';
import { formatTable, now, round, summarize } from './stats.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(name);

const N = Number(option('--n') ?? 100_000);
const MENTIONS = Number(option('--mentions') ?? 50_000);
const DIR = option('--dir') ?? path.join(os.tmpdir(), `outloud-rename-${N}-${MENTIONS}`);
const ROUNDS = Number(option('--rounds') ?? 1);
const ONLY = (option('--only') ?? 'rename,alias,purge').split(',');
const FEW = 10;
const SAVES = Number(option('--saves') ?? 200);
const BEFORE = option('--before');
type OpenCore = typeof openThisCore;
const openBefore: OpenCore | undefined = BEFORE
  ? ((await import(path.resolve(BEFORE, 'electron/core/core.ts'))) as { openCore: OpenCore }).openCore
  : undefined;
const parseCreate = (e: CorpusEntry | Record<string, unknown>) => contract['entries.create'].input.parse(e);

/** Builds the template journal unless it is there. */
function build(): string {
  const template = path.join(DIR, 'template');
  if (fs.existsSync(path.join(template, 'outloud.sqlite'))) return template;
  fs.mkdirSync(template, { recursive: true });
  const t0 = now();
  const core = openThisCore({ dataDir: template });
  const createMany = core.services.entries.createMany;
  createMany([
    parseCreate({ kind: 'person', body: '', person: { name: 'Ada Lovelace', role: 'Analyst' }, createdAt: Date.UTC(2019, 0, 1) }),
    parseCreate({ kind: 'person', body: '', person: { name: 'Grace Hopper', role: 'Admiral' }, createdAt: Date.UTC(2019, 0, 1) }),
  ]);
  const corpus = new Corpus(loadTextPool(path.join(REPO_ROOT, 'node_modules')), { n: N - 2 });
  const others = N - 2 - PEOPLE.length;
  const every = others / MENTIONS;
  const fewEvery = Math.floor(others / FEW);
  let ada = 0;
  for (let a = 0; a < corpus.n; a += 2_000) {
    const inputs = [];
    for (let i = a; i < Math.min(corpus.n, a + 2_000); i++) {
      const e = corpus.entry(i);
      const j = i - PEOPLE.length;
      if (j >= 0 && ada < MENTIONS && j >= Math.round(ada * every)) {
        e.body = `${e.body}\n\nWent through it with @[Ada Lovelace].`;
        ada++;
      }
      if (j >= 0 && j % fewEvery === 3 && j / fewEvery < FEW) e.body = `Asked @[Grace Hopper] first.\n\n${e.body}`;
      inputs.push(parseCreate(e));
    }
    createMany(inputs);
  }
  core.close();
  process.stdout.write(`built ${N.toLocaleString('en')} entries (${ada.toLocaleString('en')} mention Ada) in ${round((now() - t0) / 1000, 1)} s: ${template}\n`);
  return template;
}

/** A fresh copy of the template, opened. */
function fresh(template: string, label: string, openCore: OpenCore = openThisCore): Core {
  const dir = path.join(DIR, label);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(template, 'outloud.sqlite'), path.join(dir, 'outloud.sqlite'));
  return openCore({ dataDir: dir });
}

/** Live entries whose indexed `people` column holds this phrase. */
function peopleMatches(core: Core, phrase: string): number {
  return core.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM entries_fts WHERE entries_fts MATCH ?').get(`people : "${phrase}"`)!.n;
}

interface Step {
  op: string;
  person: 'Ada Lovelace' | 'Grace Hopper';
  mentions: number;
  run: (core: Core, id: string) => unknown;
  /** What the index must answer afterwards: phrase -> live entries whose people column holds it. */
  expect: (mentions: number) => Record<string, number>;
}

const STEPS: Step[] = (['Ada Lovelace', 'Grace Hopper'] as const).flatMap((person) => {
  const mentions = person === 'Ada Lovelace' ? MENTIONS : FEW;
  const surname = person.split(' ')[1]!.toLowerCase();
  return [
    {
      op: 'rename',
      person,
      mentions,
      run: (core: Core, id: string) => core.handlers['entries.update']({ id, person: { name: 'Augusta Ada King' } }),
      expect: (m: number) => ({ 'augusta ada king': m + 1, [surname]: 0 }),
    },
    {
      op: 'alias',
      person,
      mentions,
      run: (core: Core, id: string) => core.handlers['entries.update']({ id, person: { aliases: ['countess'] } }),
      expect: (m: number) => ({ countess: m + 1, [surname]: m + 1 }),
    },
    {
      op: 'purge',
      person,
      mentions,
      run: (core: Core, id: string) => core.handlers['entries.purge']({ id }),
      expect: () => ({ [surname]: 0 }),
    },
  ];
});

async function main() {
  const template = build();
  const steps = STEPS.filter((s) => ONLY.includes(s.op));
  const rows: string[][] = [];
  const versions: Array<[string, OpenCore]> = [['', openThisCore], ...(openBefore ? [['before', openBefore] as [string, OpenCore]] : [])];
  for (const step of steps) {
    const ms = new Map<string, number[]>(versions.map(([label]) => [label, []]));
    const cpu = new Map<string, number[]>(versions.map(([label]) => [label, []]));
    const saves = new Map<string, number[]>(versions.map(([label]) => [label, []]));
    const checked = new Map<string, string>();
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      for (const [label, open] of versions) {
        const core = fresh(template, 'run', open);
        const id = core.db.prepare<[string], { id: string }>("SELECT id FROM entries WHERE kind = 'person' AND title = ?").get(step.person)!.id;
        const mentioners = core.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM links WHERE to_rowid = (SELECT rowid FROM entries WHERE id = ?)').get(id)!.n;
        if (step.op === 'purge') core.handlers['entries.delete']({ id });
        const t0 = now();
        const c0 = process.cpuUsage();
        step.run(core, id);
        const c = process.cpuUsage(c0);
        ms.get(label)!.push(now() - t0);
        cpu.get(label)!.push((c.user + c.system) / 1000);
        // The saves that follow, one note each.
        for (let k = 0; k < SAVES; k++) {
          const s0 = now();
          core.handlers['entries.create'](parseCreate({ body: `Saved after the ${step.op}, note ${k}: the engine, its tables and the punched cards #after` }));
          saves.get(label)!.push(now() - s0);
        }
        if (round_ === 0) {
          const wrong = Object.entries(step.expect(mentioners)).filter(([phrase, n]) => peopleMatches(core, phrase) !== n);
          const doctor = core.handlers['journal.doctor']({}) as { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
          checked.set(label, [
            wrong.length === 0 ? 'search right' : `SEARCH WRONG: ${wrong.map(([p, n]) => `${p} ${peopleMatches(core, p)} (want ${n})`).join(', ')}`,
            doctor.ok ? 'doctor ok' : `DOCTOR: ${doctor.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
          ].join(', '));
        }
        core.close();
      }
    }
    for (const [label] of versions) {
      const times = ms.get(label)!;
      const cpus = cpu.get(label)!;
      rows.push([
        `${step.op} ${step.person}${label ? ` (${label})` : ''}`,
        String(step.mentions),
        times.map((m) => String(Math.round(m))).join(' / '),
        String(Math.round(Math.min(...times))),
        String(Math.round(Math.min(...cpus))),
        `${summarize(saves.get(label)!).p50} / ${summarize(saves.get(label)!).p99} / ${summarize(saves.get(label)!).max}`,
        checked.get(label)!,
      ]);
    }
    if (flag('--sql')) {
      const core = fresh(template, 'sql');
      const id = core.db.prepare<[string], { id: string }>("SELECT id FROM entries WHERE kind = 'person' AND title = ?").get(step.person)!.id;
      if (step.op === 'purge') core.handlers['entries.delete']({ id });
      const stop = profileStatements(core.db);
      step.run(core, id);
      const profile = stop();
      core.close();
      process.stdout.write(`\nSQL of ${step.op} ${step.person}:\n${formatTable(['statement', 'calls', 'total ms', 'µs/call'], profile.statements.slice(0, 12).map((s) => [s.sql, String(s.calls), String(s.totalMs), String(s.usPerCall)]))}\n`);
    }
    if (flag('--cpu')) {
      const core = fresh(template, 'cpu');
      const id = core.db.prepare<[string], { id: string }>("SELECT id FROM entries WHERE kind = 'person' AND title = ?").get(step.person)!.id;
      if (step.op === 'purge') core.handlers['entries.delete']({ id });
      const profile = await cpuProfile(() => step.run(core, id), REPO_ROOT, 12);
      core.close();
      process.stdout.write(`\nCPU of ${step.op} ${step.person} (${profile.totalMs} ms sampled):\n${formatTable(['function', 'self ms', '%'], profile.functions.map((f) => [f.fn, String(f.selfMs), String(f.pct)]))}\n`);
    }
  }
  for (const copy of ['run', 'sql', 'cpu']) fs.rmSync(path.join(DIR, copy), { recursive: true, force: true });
  process.stdout.write(`\n${N.toLocaleString('en')} entries, ${ROUNDS} round(s) each on a fresh copy\n${formatTable(['step', 'mentions', 'ms per round', 'best ms', 'best CPU ms', `${SAVES} saves after: p50 / p99 / max ms`, 'afterwards'], rows)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
