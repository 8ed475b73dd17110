/**
 * Profiling aids for the benchmark: per-statement SQL timing (by wrapping `db.prepare` on one
 * connection) and a CPU profile of the current thread through the inspector, summarised by self time.
 * Used on a separate pass, never on the measured one, because wrapping adds overhead.
 */
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { round } from './stats.ts';

export interface StatementProfile {
  sql: string;
  calls: number;
  totalMs: number;
  usPerCall: number;
}

export interface SqlProfile {
  prepareCalls: number;
  prepareMs: number;
  statements: StatementProfile[];
}

const now = () => performance.now();
const shortSqlCache = new Map<string, string>();
const shortSql = (sql: string) => {
  let short = shortSqlCache.get(sql);
  if (short === undefined) shortSqlCache.set(sql, (short = sql.replace(/\s+/g, ' ').trim().slice(0, 110)));
  return short;
};

/**
 * Times every run/get/all/iterate of statements on `db`, by SQL text, by wrapping the Statement
 * prototype (the repository caches prepared statements, so wrapping `prepare` would miss them), and
 * counts `prepare` calls. Returns a function that restores everything and returns the profile.
 */
export function profileStatements(db: Database.Database): () => SqlProfile {
  const originalPrepare = db.prepare;
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  const methods = ['run', 'get', 'all', 'iterate'] as const;
  const originals = methods.map((m) => proto[m]!);
  const bySql = new Map<string, { calls: number; ms: number }>();
  let prepareCalls = 0;
  let prepareMs = 0;
  // Nested timing (a statement whose trigger runs no JS) is flat; only the outermost call is counted.
  let depth = 0;
  methods.forEach((method, k) => {
    const fn = originals[k]!;
    proto[method] = function (this: Database.Statement, ...args: unknown[]) {
      if (this.database !== db || depth > 0) return fn.apply(this, args);
      depth++;
      const t = now();
      try {
        return fn.apply(this, args);
      } finally {
        const ms = now() - t;
        depth--;
        const sql = shortSql(this.source);
        const s = bySql.get(sql) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += ms;
        bySql.set(sql, s);
      }
    };
  });
  db.prepare = function prepare(this: Database.Database, source: string) {
    const t0 = now();
    try {
      return originalPrepare.call(this, source);
    } finally {
      prepareMs += now() - t0;
      prepareCalls++;
    }
  } as typeof db.prepare;
  return () => {
    db.prepare = originalPrepare;
    methods.forEach((method, k) => {
      proto[method] = originals[k]!;
    });
    const statements = [...bySql.entries()]
      .map(([sql, s]) => ({ sql, calls: s.calls, totalMs: round(s.ms, 1), usPerCall: round((s.ms / s.calls) * 1000, 1) }))
      .sort((a, b) => b.totalMs - a.totalMs);
    return { prepareCalls, prepareMs: round(prepareMs, 1), statements };
  };
}

export interface CpuProfileSummary {
  /** Sampled CPU time, without the profilers' own (`overheadMs`). */
  totalMs: number;
  overheadMs: number;
  /** Self time by function. */
  functions: Array<{ fn: string; selfMs: number; pct: number }>;
  /** Self time by source file (node_modules packages grouped by package). */
  files: Array<{ file: string; selfMs: number; pct: number }>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function fileLabel(url: string, repoRoot: string): string {
  if (!url) return '(native / SQLite)';
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (file.startsWith('node:')) return file;
  return path.relative(repoRoot, file) || file;
}

/** Samples the CPU while `work` runs (it may be async) and summarises self time. */
export async function cpuProfile(work: () => unknown, repoRoot: string, top = 15): Promise<CpuProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
    const fnSelf = new Map<string, number>();
    const fileSelf = new Map<string, number>();
    let total = 0;
    let overhead = 0;
    const isOverhead = (file: string) => file === 'node:inspector' || file === 'tests/bench/profile.ts';
    profile.samples.forEach((id, k) => {
      const dt = (profile.timeDeltas[k] ?? 0) / 1000;
      const node = nodeById.get(id);
      if (!node) return;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)') return;
      const file = fileLabel(url, repoRoot);
      if (isOverhead(file)) {
        overhead += dt;
        return;
      }
      total += dt;
      const fn = `${functionName || '(anonymous)'} ${url ? `${file}:${lineNumber + 1}` : file}`;
      fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + dt);
      fileSelf.set(file, (fileSelf.get(file) ?? 0) + dt);
    });
    const rank = (m: Map<string, number>) =>
      [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => ({ k, selfMs: round(ms, 1), pct: round((100 * ms) / total, 1) }));
    return {
      totalMs: round(total, 1),
      overheadMs: round(overhead, 1),
      functions: rank(fnSelf).map(({ k, selfMs, pct }) => ({ fn: k, selfMs, pct })),
      files: rank(fileSelf).map(({ k, selfMs, pct }) => ({ file: k, selfMs, pct })),
    };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
