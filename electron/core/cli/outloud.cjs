#!/usr/bin/env node
// The `outloud` command. The CLI is TypeScript (./main.ts), which Node 22 runs by stripping types;
// an older Node cannot load it, so say so in one line instead of a stack trace.
//
// It starts from the bundle `npm run build` makes of it (out/cli, see cli.rolldown.config.ts) while
// that bundle is up to date, else from the sources: a search answers in under 100 ms instead of
// ~500 ms. This file is CommonJS because Node starts a CommonJS entry a few milliseconds sooner.
'use strict';

const [major, minor] = process.versions.node.split('.').map(Number);
const canStripTypes = Boolean(process.features && process.features.typescript);
if (major < 22 || (major === 22 && minor < 12) || !canStripTypes) {
  process.stderr.write(
    `outloud: Node 22 (22.18 or newer) is needed, this is Node ${process.versions.node}; the repository pins it: use \`npm run outloud -- <args>\`\n`,
  );
  process.exit(1);
}

const fs = process.getBuiltinModule('node:fs');
const os = process.getBuiltinModule('node:os');
const path = process.getBuiltinModule('node:path');
const vm = process.getBuiltinModule('node:vm');
const { createRequire, enableCompileCache } = process.getBuiltinModule('node:module');

const root = path.resolve(__dirname, '..', '..', '..');
const bundleDir = path.join(root, 'out', 'cli');

/** The per-user cache folder (never the repository), or undefined when caching is turned off. */
function cacheDir() {
  const env = process.env;
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'Outloud', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Outloud');
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'Outloud');
}

/**
 * The bundle, when no file it was built from has changed since the build (sources.json lists them),
 * else undefined: after an edit, a `git pull` or an `npm install` the sources run until the next
 * build, so nobody runs stale code.
 */
function freshBundle() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(bundleDir, 'sources.json'), 'utf8'));
  } catch {
    return undefined; // not built
  }
  if (typeof manifest.builtAt !== 'number' || !Array.isArray(manifest.files)) return undefined;
  for (const file of manifest.files) {
    const stat = fs.statSync(path.join(root, file), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > manifest.builtAt) return undefined;
  }
  return path.join(bundleDir, 'outloud.cjs');
}

/** OUTLOUD_CLI=sources or =bundle forces the choice (benchmarks, debugging); unset: the bundle if fresh. */
function chooseBundle() {
  const choice = process.env.OUTLOUD_CLI;
  if (choice === 'sources') return undefined;
  const bundle = freshBundle();
  if (choice === 'bundle' && !bundle) {
    process.stderr.write(`outloud: OUTLOUD_CLI=bundle, but ${bundleDir} is missing or older than its sources; run \`npm run build\`\n`);
    process.exit(1);
  }
  return bundle;
}

/**
 * Runs the CommonJS bundle with a V8 code cache taken at the end of a successful run, so it holds
 * every function that run compiled, not only the top level (what Node's own compile cache keeps):
 * ~20 ms less per start. One cache per command (`search`, `add`...), each made by a run of that
 * command. V8 checks a cache against the source's length only, so each is stamped with the bundle's
 * mtime and size and this Node; one from another build is replaced.
 */
function loadBundle(file, dir) {
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const stamp = Buffer.from(`${stat.mtimeMs}:${stat.size}:${process.version}:${process.arch}\n`);
  const cacheFile = dir && path.join(dir, 'code-cache', `cli-${hash(file)}-${commandWord(process.argv.slice(2))}.bin`);
  let cachedData;
  if (cacheFile) {
    try {
      const stored = fs.readFileSync(cacheFile);
      if (stored.subarray(0, stamp.length).equals(stamp)) cachedData = stored.subarray(stamp.length);
    } catch {
      // the first run of this build
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code === 0) saveCodeCache(script, cacheFile, stamp);
    });
  }
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(file), bundleModule, file, path.dirname(file));
  return bundleModule.exports;
}

function saveCodeCache(script, cacheFile, stamp) {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const partial = `${cacheFile}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.concat([stamp, script.createCachedData()]));
    fs.renameSync(partial, cacheFile); // a reader sees the old file or the new one, never half of one
  } catch {
    // an unwritable cache folder: the next run compiles again
  }
}

/** The command of a command line (`outloud --data-dir D search q` -> search), or `none` (--help). */
function commandWord(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir') i++;
    else if (/^[a-z][a-z-]{0,23}$/.test(args[i])) return args[i];
    else if (!args[i].startsWith('-')) break;
  }
  return 'none';
}

/** FNV-1a, to name the cache file after the bundle's path (one per checkout). */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

const dir = cacheDir();
if (dir) {
  try {
    // Node's own cache: for what loads outside the bundle (serve's chunk, cli-progress) and the sources.
    enableCompileCache(path.join(dir, 'node-compile-cache'));
  } catch {
    // no usable cache folder: start without it
  }
}
const bundle = chooseBundle();
// The bundle's doctor and import reader run in threads of their own, from the files built beside it
// (cli.rolldown.config.ts).
if (bundle) {
  loadBundle(bundle, dir).main({
    doctorWorkerFile: path.join(bundleDir, 'doctor.worker.cjs'),
    importWorkerFile: path.join(bundleDir, 'journal-import.worker.cjs'),
  });
}
else import('./main.ts').then(({ main }) => main());
