/**
 * The `outloud` command as a bundle (`npm run build` runs this after electron-vite):
 *   out/cli/outloud.cjs          the CLI: electron/core/cli/main.ts and all it imports, one file
 *   out/cli/<name>-<hash>.cjs    what a command loads on demand (`serve`'s HTTP server)
 *   out/cli/doctor.worker.cjs    the thread `doctor` runs its checks in (electron/core/services/
 *                                doctor-thread.ts), one file of its own; the bin tells the CLI where
 *   out/cli/journal-import.worker.cjs
 *                                the thread `import` reads a large file in (electron/core/files/
 *                                journal-import-thread.ts), likewise
 *   out/cli/sources.json         the project files they were built from and when, for the freshness
 *                                check in electron/core/cli/outloud.cjs
 * Node loads one prepared file far faster than the ~70 TypeScript modules it is made from (types
 * stripped one by one), which was most of a cold `outloud search`. CommonJS because Node loads it
 * synchronously and `require`s built-in modules without building ES-module facades for them (the one
 * for node:fs alone loads its streams): measured ~12 ms less per start than the same bundle as ESM.
 * better-sqlite3's JavaScript is bundled too (~10 ms less than loading its 14 files one by one); its
 * native addon is loaded from node_modules at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, rolldown, type Plugin, type RolldownOptions } from 'rolldown';

const root = import.meta.dirname;
/** npm rewrites it on every install, so a bundle older than it may hold old dependencies. */
const INSTALL_STAMP = 'node_modules/.package-lock.json';
/** The doctor's worker bundle, beside outloud.cjs (electron/core/cli/outloud.cjs names it too). */
export const DOCTOR_WORKER_BUNDLE = 'doctor.worker.cjs';
/** The import reader's worker bundle, likewise. */
export const IMPORT_WORKER_BUNDLE = 'journal-import.worker.cjs';

const toPosix = (p: string) => p.split(path.sep).join('/');
const isProjectFile = (id: string) => path.isAbsolute(id) && !id.includes(`${path.sep}node_modules${path.sep}`);

/**
 * A module that finds files relative to itself keeps finding them: `import.meta.url` in our sources
 * (the server finds out/renderer, the CLI its package.json) and `__dirname` in CommonJS packages
 * (better-sqlite3 finds its native addon) mean the original file's location, computed from the
 * bundle's own, instead of the bundle's.
 */
function sourceLocations(outDir: string): Plugin {
  const fromBundle = (file: string) => JSON.stringify(toPosix(path.relative(outDir, file)));
  return {
    name: 'outloud-source-locations',
    transform: {
      filter: { code: /import\.meta\.url|__dirname/ },
      handler(code, id) {
        if (!path.isAbsolute(id)) return null;
        if (isProjectFile(id)) {
          return { code: code.replaceAll('import.meta.url', `new URL(${fromBundle(id)}, import.meta.url).href`), map: null };
        }
        if (code.includes('import.meta') || code.includes('__filename')) return null;
        return { code: code.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${fromBundle(path.dirname(id))})`), map: null };
      },
    },
  };
}

/**
 * Commander requires child_process when it loads, for the `git`-style subcommands in separate
 * executables that `outloud` does not have; child_process brings Node's stream and socket modules
 * (~7 ms of every start). Required when a subcommand would be spawned, which never happens here.
 */
function lazyCommanderChildProcess(): Plugin {
  const eager = "const childProcess = require('node:child_process');";
  return {
    name: 'outloud-lazy-commander-child-process',
    transform: {
      filter: { id: /[\\/]commander[\\/]lib[\\/]command\.js$/ },
      handler(code) {
        if (!code.includes(eager)) return null; // another commander: correct, only slower to start
        return { code: code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), map: null };
      },
    },
  };
}

/** The options of both bundles' output: CommonJS, ASCII only (see cliBundleOptions). */
const outputFormat = { format: 'cjs', charset: 'ascii', comments: { legal: true, annotation: true, jsdoc: false } } as const;

/**
 * Builds the threads' scripts (the doctor's, electron/core/services/doctor.worker.ts, and the import
 * reader's, electron/core/files/journal-import.worker.ts) each as one file of its own beside the CLI:
 * the thread loads it, not the CLI's bundle. Their modules go into sources.json with the CLI's
 * (`modules`), so an edit to any makes all stale.
 */
function workerBundles(outDir: string, modules: Set<string>): Plugin {
  const workers: Array<[string, string]> = [
    [path.join(root, 'electron', 'core', 'services', 'doctor.worker.ts'), DOCTOR_WORKER_BUNDLE],
    [path.join(root, 'electron', 'core', 'files', 'journal-import.worker.ts'), IMPORT_WORKER_BUNDLE],
  ];
  return {
    name: 'outloud-worker-bundles',
    async generateBundle() {
      for (const [input, fileName] of workers) {
        const bundle = await rolldown({ input, platform: 'node', plugins: [sourceLocations(outDir)], logLevel: 'warn' });
        try {
          const { output } = await bundle.generate({ ...outputFormat, codeSplitting: false });
          for (const item of output) {
            if (item.type !== 'chunk') throw new Error(`the worker bundle ${fileName} has more than one file: ${item.fileName}`);
            for (const id of item.moduleIds) modules.add(id);
            this.emitFile({ type: 'asset', fileName, source: item.code });
          }
        } finally {
          await bundle.close();
        }
      }
    },
  };
}

/** Writes sources.json: the build's start time and the files whose later change makes the bundle stale. */
function sourcesManifest(otherModules: Set<string>): Plugin {
  let builtAt = 0;
  return {
    name: 'outloud-cli-sources',
    buildStart() {
      builtAt = Date.now();
    },
    generateBundle(_options, bundle) {
      const files = new Set<string>();
      const add = (id: string) => void (isProjectFile(id) && files.add(toPosix(path.relative(root, id))));
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        for (const id of item.moduleIds) add(id);
      }
      for (const id of otherModules) add(id);
      if (fs.existsSync(path.join(root, INSTALL_STAMP))) files.add(INSTALL_STAMP);
      this.emitFile({ type: 'asset', fileName: 'sources.json', source: `${JSON.stringify({ builtAt, files: [...files].sort() }, null, 1)}\n` });
    },
  };
}

/** The build, into `outDir` (tests build into a folder of their own, at the same depth). */
export function cliBundleOptions(outDir = path.join(root, 'out', 'cli')): RolldownOptions {
  const workerModules = new Set<string>();
  return {
    input: { outloud: path.join(root, 'electron', 'core', 'cli', 'main.ts') },
    platform: 'node',
    // workerBundles before sourcesManifest: their modules are known when the manifest is written.
    plugins: [sourceLocations(outDir), lazyCommanderChildProcess(), workerBundles(outDir, workerModules), sourcesManifest(workerModules)],
    output: {
      dir: outDir,
      // ASCII only (escapes in code, and no doc comments, the one place others remain): Node then reads
      // the bundle into a one-byte string at copying speed, not UTF-8 decoded into two bytes a
      // character (~3 ms of every start, measured).
      ...outputFormat,
      entryFileNames: '[name].cjs',
      chunkFileNames: '[name]-[hash].cjs',
      cleanDir: true,
    },
  };
}

export default defineConfig(cliBundleOptions());
