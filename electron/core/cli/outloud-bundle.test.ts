/**
 * The CLI bundle (cli.rolldown.config.ts) and the bin's choice of it: the bundle answers like the
 * sources, and the bin runs it only while no file it was built from has changed, so an edited
 * checkout never runs stale code.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { cliBundleOptions, DOCTOR_WORKER_BUNDLE, IMPORT_WORKER_BUNDLE } from '../../../cli.rolldown.config.ts';
import type { Entry } from '../../../shared/domain/entry.ts';
import type { DoctorReport, ImportReport, JournalExport } from '../../../shared/domain/journal.ts';
import type { SearchResult } from '../../../shared/domain/search.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { writeJournalFile } from '../files/journal-file.ts';
import { READ_APART_BYTES } from '../files/journal-import.ts';
import { BIN, NODE, REPO_ROOT } from './testing.ts';

const MINUTE = 60_000;

/**
 * A checkout in miniature: the real bin, a main.ts and a "bundle" that say which one ran, and a
 * manifest listing the sources the bundle was "built" from a minute after they were last changed.
 */
function miniCheckout() {
  const root = tempDir();
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('electron/core/cli/outloud.cjs', fs.readFileSync(BIN, 'utf8'));
  write('electron/core/cli/main.ts', "export async function main(): Promise<void> {\n  process.stdout.write('sources\\n');\n}\n");
  write('shared/lib.ts', 'export const x = 1;\n');
  write('out/cli/outloud.cjs', "exports.main = async () => {\n  if (process.argv.includes('fail')) process.exitCode = 2;\n  else process.stdout.write('bundle\\n');\n};\n");
  const builtAt = Date.now();
  write('out/cli/sources.json', JSON.stringify({ builtAt, files: ['electron/core/cli/main.ts', 'shared/lib.ts'] }));
  const before = new Date(builtAt - MINUTE);
  for (const file of ['electron/core/cli/main.ts', 'shared/lib.ts']) fs.utimesSync(path.join(root, file), before, before);
  const cache = tempDir();
  const run = (env: Record<string, string> = {}, args: string[] = []) => {
    const r = spawnSync(NODE, [path.join(root, 'electron/core/cli/outloud.cjs'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, OUTLOUD_CLI: '', NODE_COMPILE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '', XDG_CACHE_HOME: cache, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { root, cache, run, write };
}

describe('the outloud bin', () => {
  it('runs the bundle while no source changed since the build, from a code cache per command after its first run', () => {
    const { cache, run } = miniCheckout();
    const cached = () => fs.readdirSync(path.join(cache, 'Outloud', 'code-cache')).map((f) => f.replace(/^cli-[0-9a-f]{8}-/, '')).sort();
    expect(run({}, ['--data-dir', 'search', 'search', 'words'])).toEqual({ code: 0, stdout: 'bundle\n', stderr: '' });
    expect(cached()).toEqual(['search.bin']);
    expect(run({}, ['--json', 'list'])).toEqual({ code: 0, stdout: 'bundle\n', stderr: '' });
    expect(run({}, ['--version'])).toEqual({ code: 0, stdout: 'bundle\n', stderr: '' });
    expect(run({}, ['serach', 'fail']).code).toBe(2); // a failed run (a mistyped command) leaves no cache
    expect(cached()).toEqual(['list.bin', 'none.bin', 'search.bin']);
    expect(run({}, ['search', 'again'])).toEqual({ code: 0, stdout: 'bundle\n', stderr: '' });
  });

  it('runs the sources once a source changed or went, or when there is no build', () => {
    const { root, run } = miniCheckout();
    const lib = path.join(root, 'shared/lib.ts');
    const later = new Date(Date.now() + MINUTE);
    fs.utimesSync(lib, later, later); // edited after the build
    expect(run().stdout).toBe('sources\n');
    fs.rmSync(lib);
    expect(run().stdout).toBe('sources\n');
    fs.writeFileSync(lib, '');
    fs.utimesSync(lib, new Date(0), new Date(0));
    expect(run().stdout).toBe('bundle\n');
    fs.rmSync(path.join(root, 'out/cli/sources.json'));
    expect(run().stdout).toBe('sources\n');
  });

  it('OUTLOUD_CLI=sources forces the sources; OUTLOUD_CLI=bundle refuses a stale bundle in one line', () => {
    const { root, run } = miniCheckout();
    expect(run({ OUTLOUD_CLI: 'sources' }).stdout).toBe('sources\n');
    expect(run({ OUTLOUD_CLI: 'bundle' }).stdout).toBe('bundle\n');
    const later = new Date(Date.now() + MINUTE);
    fs.utimesSync(path.join(root, 'electron/core/cli/main.ts'), later, later);
    const refused = run({ OUTLOUD_CLI: 'bundle' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^outloud: OUTLOUD_CLI=bundle, but .* is missing or older than its sources; run `npm run build`\n$/);
  });

  it('never runs a rebuilt bundle with the code cache of the one before, even one of the same length', () => {
    const { root, run, write } = miniCheckout();
    expect(run().stdout).toBe('bundle\n');
    // V8 checks a code cache against the source's length only; the bin must tell the builds apart.
    const bundle = path.join(root, 'out/cli/outloud.cjs');
    const rebuilt = fs.readFileSync(bundle, 'utf8').replace("'bundle", "'BUNDLE");
    write('out/cli/outloud.cjs', rebuilt);
    const later = new Date(Date.now() + MINUTE);
    fs.utimesSync(bundle, later, later);
    expect(run().stdout).toBe('BUNDLE\n');
    expect(run().stdout).toBe('BUNDLE\n');
  });

  it("tells the bundle where the doctor's and the import reader's workers built beside it are", () => {
    const { root, run, write } = miniCheckout();
    write('out/cli/outloud.cjs', "exports.main = async (setup) => {\n  process.stdout.write(JSON.stringify(setup) + '\\n');\n};\n");
    fs.utimesSync(path.join(root, 'out/cli/sources.json'), new Date(), new Date());
    expect(JSON.parse(run().stdout)).toEqual({
      doctorWorkerFile: path.join(root, 'out', 'cli', DOCTOR_WORKER_BUNDLE),
      importWorkerFile: path.join(root, 'out', 'cli', IMPORT_WORKER_BUNDLE),
    });
  });

  it('without a usable cache folder still runs, just without the cache', () => {
    const { root, run } = miniCheckout();
    const notAFolder = path.join(root, 'shared/lib.ts');
    expect(run({ XDG_CACHE_HOME: notAFolder })).toEqual({ code: 0, stdout: 'bundle\n', stderr: '' });
    expect(run({ NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ code: 0, stdout: 'bundle\n', stderr: '' });
  });
});

describe('the CLI bundle', () => {
  it("answers like the sources: version, add, search, doctor and a large import (in their own workers' bundles), and serve finds the built renderer", async () => {
    // Built beside out/cli (same depth), so paths relative to the sources resolve the same way.
    const outDir = path.join(REPO_ROOT, 'out', `cli-test-${process.pid}`);
    try {
      const options = cliBundleOptions(outDir);
      await build({ ...options, output: Array.isArray(options.output) ? options.output[0] : options.output, logLevel: 'silent' });
      const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'sources.json'), 'utf8')) as { files: string[] };
      expect(manifest.files).toContain('electron/core/cli/main.ts');
      expect(manifest.files).toContain('electron/core/core.ts');
      // The doctor's worker, built beside it: an edit to what only it holds makes the bundle stale too.
      expect(fs.existsSync(path.join(outDir, DOCTOR_WORKER_BUNDLE))).toBe(true);
      expect(manifest.files).toEqual(expect.arrayContaining(['electron/core/services/doctor.worker.ts', 'electron/core/services/doctor-checks.ts']));
      // And the import reader's.
      expect(fs.existsSync(path.join(outDir, IMPORT_WORKER_BUNDLE))).toBe(true);
      expect(manifest.files).toEqual(expect.arrayContaining(['electron/core/files/journal-import.worker.ts', 'electron/core/services/entry-columns.ts']));
      // The core runs from the main bundle, the one file the bin keeps a V8 code cache for: a value a
      // chunk loaded on demand imports from the core would move it into a shared chunk instead.
      const main = fs.readFileSync(path.join(outDir, 'outloud.cjs'), 'utf8');
      for (const module of ['electron/core/core.ts', 'electron/core/search/search.service.ts', 'electron/core/db/entries.repo.ts']) {
        expect(main, `${module} in outloud.cjs`).toContain(`// ${module}\n`);
      }

      const runner = path.join(outDir, 'run.cjs');
      // As the bin runs it (electron/core/cli/outloud.cjs).
      fs.writeFileSync(
        runner,
        `const { join } = require('node:path');\nrequire('./outloud.cjs').main({ doctorWorkerFile: join(__dirname, ${JSON.stringify(DOCTOR_WORKER_BUNDLE)}), importWorkerFile: join(__dirname, ${JSON.stringify(IMPORT_WORKER_BUNDLE)}) });\n`,
      );
      const cli = (args: string[]) => spawnSync(NODE, [runner, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(cli(['--version']).stdout.trim()).toBe(pkg.version);

      const dir = tempDir();
      const added = cli(['--data-dir', dir, '--json', 'add', 'Bundled note about #tooling']);
      expect(added.stderr).toBe('');
      expect((JSON.parse(added.stdout) as Entry).tags).toEqual(['tooling']);
      const found = JSON.parse(cli(['--data-dir', dir, '--json', 'search', 'bundled']).stdout) as SearchResult;
      expect(found.hits.map((h) => h.entry.body)).toEqual(['Bundled note about #tooling']);
      const doctor = cli(['--data-dir', dir, '--json', 'doctor']);
      expect(doctor.stderr).toBe('');
      expect((JSON.parse(doctor.stdout) as DoctorReport).ok).toBe(true);

      // A file large enough to be read in the reader's thread, in batches.
      const n = 7_000;
      const entries = Array.from({ length: n }, (_, i) => ({
        id: `note${i}`, kind: 'note' as const, title: '', body: `Imported note ${i} about #bundles ${'and more words '.repeat(36)}`, tags: [],
        createdAt: 1_600_000_000_000 + i, updatedAt: 1_600_000_000_000 + i, deletedAt: null, source: 'cli', sourceRef: null,
      }));
      const file = path.join(tempDir(), 'large.json');
      await writeJournalFile(file, { format: 'outloud-journal', version: 1, exportedAt: 1, entries, revisions: [], links: [] } as JournalExport);
      expect(fs.statSync(file).size).toBeGreaterThan(READ_APART_BYTES);
      const into = tempDir();
      const imported = cli(['--data-dir', into, '--json', 'import', file]);
      expect(imported.stderr).toBe('');
      expect(JSON.parse(imported.stdout) as ImportReport).toMatchObject({ added: n, errors: [] });
      expect((JSON.parse(cli(['--data-dir', into, '--json', 'stats']).stdout) as { entries: number }).entries).toBe(n);
      expect((JSON.parse(cli(['--data-dir', into, '--json', 'search', 'imported note 6999']).stdout) as SearchResult).hits[0]?.entry.id).toBe('note6999');

      const child = spawn(NODE, [runner, '--data-dir', dir, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => {
            out += d;
            if (out.includes('\n')) resolve(out.split('\n')[0]!);
          });
          child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
        });
        const url = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(line)?.[1];
        expect(url).toBeDefined();
        const page = await fetch(`${url}/`);
        const rendererBuilt = fs.existsSync(path.join(REPO_ROOT, 'out/renderer/index.html'));
        expect(page.status).toBe(rendererBuilt ? 200 : 404);
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});
