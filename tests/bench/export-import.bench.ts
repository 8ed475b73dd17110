/**
 * The other bulk path through the core: `journal.export` of the journal the benchmark built, then
 * `journal.import` of that file into an empty data folder (one transaction, no per-entry savepoints).
 * Each step in its own process, so each has its own peak RSS:
 *
 *   node tests/bench/export-import.bench.ts export --data-dir DIR --file export.json --out result.json
 *   node tests/bench/export-import.bench.ts import --data-dir EMPTY_DIR --file export.json --out result.json
 */
import fs from 'node:fs';
import { openCore } from '../../electron/core/core.ts';
import type { ImportReport } from '../../shared/domain/journal.ts';
import { mb, now, peakRssMb, round } from './stats.ts';

export interface ExportStepResult {
  entries: number;
  exportMs: number;
  writeMs: number;
  fileMb: number;
  peakRssMb: number;
}

export interface ImportStepResult {
  entries: number;
  readParseMs: number;
  importMs: number;
  entriesPerSecond: number;
  entriesPerSecondWithParse: number;
  report: Omit<ImportReport, 'errors'> & { errors: number };
  peakRssMb: number;
}

function arg(argv: string[], name: string): string {
  const i = argv.indexOf(name);
  const v = i >= 0 ? argv[i + 1] : undefined;
  if (!v) throw new Error(`missing ${name}`);
  return v;
}

async function main() {
  const argv = process.argv.slice(2);
  const mode = argv[0];
  const dataDir = arg(argv, '--data-dir');
  const file = arg(argv, '--file');
  const out = arg(argv, '--out');
  const core = openCore({ dataDir });
  try {
    if (mode === 'export') {
      const t0 = now();
      const r = await core.dispatch('journal.export', {});
      if (!r.ok) throw new Error(`journal.export: ${r.error.message}`);
      const t1 = now();
      fs.writeFileSync(file, JSON.stringify(r.value));
      const t2 = now();
      const result: ExportStepResult = {
        entries: (r.value as { entries: unknown[] }).entries.length,
        exportMs: round(t1 - t0, 1),
        writeMs: round(t2 - t1, 1),
        fileMb: mb(fs.statSync(file).size),
        peakRssMb: peakRssMb(),
      };
      fs.writeFileSync(out, JSON.stringify(result));
    } else if (mode === 'import') {
      const t0 = now();
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: unknown[] };
      const t1 = now();
      const r = await core.dispatch('journal.import', { data });
      const t2 = now();
      if (!r.ok) throw new Error(`journal.import: ${r.error.message}`);
      const report = r.value as ImportReport;
      const n = data.entries.length;
      const result: ImportStepResult = {
        entries: n,
        readParseMs: round(t1 - t0, 1),
        importMs: round(t2 - t1, 1),
        entriesPerSecond: Math.round(n / ((t2 - t1) / 1000)),
        entriesPerSecondWithParse: Math.round(n / ((t2 - t0) / 1000)),
        report: { ...report, errors: report.errors.length },
        peakRssMb: peakRssMb(),
      };
      fs.writeFileSync(out, JSON.stringify(result));
    } else {
      throw new Error('usage: export-import.bench.ts export|import --data-dir DIR --file FILE --out FILE');
    }
  } finally {
    core.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`export/import bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
