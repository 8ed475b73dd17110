/**
 * electron-vite build of the desktop app:
 *   out/main/index.js        the main process (ESM), plus out/main/chunks/core.worker-<hash>.cjs,
 *                            the worker thread that owns the database (electron/core/host), and
 *                            out/main/chunks/doctor.worker-<hash>.cjs, the thread it runs the doctor's
 *                            checks in (electron/core/services/doctor-thread.ts), and
 *                            out/main/chunks/journal-import.worker-<hash>.cjs, the thread a file import
 *                            reads in (electron/core/files/journal-import-thread.ts): each bundled on its
 *                            own through a `?modulePath` import in index.ts, as CommonJS with
 *                            better-sqlite3's JavaScript inside (see coreWorkerBundle)
 *   out/preload/index.cjs    the sandboxed preload: one CommonJS file, dependencies bundled in
 *   out/renderer/            the React renderer (also what `outloud serve` serves in browser mode)
 * better-sqlite3's native addon is loaded from node_modules at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;
const rendererHtml = path.join(root, 'renderer', 'index.html');
const coreWorkerEntry = path.join(root, 'electron', 'core', 'host', 'core.worker.ts');
const doctorWorkerEntry = path.join(root, 'electron', 'core', 'services', 'doctor.worker.ts');
const importWorkerEntry = path.join(root, 'electron', 'core', 'files', 'journal-import.worker.ts');
const workerEntries = [coreWorkerEntry, doctorWorkerEntry, importWorkerEntry];

/**
 * The core worker's own build (electron-vite runs it, nested in the main build, for the `?modulePath`
 * import) made CommonJS, with better-sqlite3's JavaScript bundled in. A worker thread boots Node's
 * internals without the start-up snapshot, so an ES-module entry costs it the whole ES-module loader,
 * and an external better-sqlite3 its resolution and the CommonJS loader besides: ready ~40 ms sooner
 * than as an ES module (measured), and CommonJS is what core-host.ts starts with a V8 code cache.
 * better-sqlite3 finds its addon from `__dirname`, rewritten to mean its own folder: out/main/chunks ->
 * node_modules is the same step in a checkout and in app.asar.unpacked (electron-builder.yml unpacks
 * both). The doctor's worker, which the core worker starts, is built the same way.
 */
export function coreWorkerBundle(): Plugin {
  // Nesting depth of the worker's build: its hooks run while the main build waits in `load`.
  let inWorkerBuild = 0;
  const chunksDir = path.join(root, 'out', 'main', 'chunks');
  const toPosix = (p: string) => p.split(path.sep).join('/');
  const isWorker = (input: unknown) =>
    workerEntries.some((entry) => input === entry || (Array.isArray(input) && input.length === 1 && input[0] === entry));
  return {
    name: 'outloud-core-worker-bundle',
    apply: 'build',
    options(options) {
      if (!isWorker(options.input)) return null;
      inWorkerBuild++;
      const external = options.external;
      return {
        ...options,
        external: (id, importer, isResolved) => {
          if (id === 'better-sqlite3' || id.includes(`${path.sep}node_modules${path.sep}better-sqlite3${path.sep}`)) return false;
          if (typeof external === 'function') return external(id, importer, isResolved);
          return Array.isArray(external) ? external.some((e) => (typeof e === 'string' ? e === id : e.test(id))) : false;
        },
      };
    },
    outputOptions(output) {
      if (!inWorkerBuild) return null;
      return {
        ...output,
        format: 'cjs',
        entryFileNames: 'chunks/[name]-[hash].cjs',
        chunkFileNames: 'chunks/[name]-[hash].cjs',
        // ASCII only, as the CLI bundle (cli.rolldown.config.ts): read into a one-byte string, ~3 ms sooner.
        charset: 'ascii',
        comments: { legal: true, annotation: true, jsdoc: false },
      };
    },
    transform(code, id) {
      if (!inWorkerBuild || !id.includes(`${path.sep}node_modules${path.sep}better-sqlite3${path.sep}`) || !/\b__dirname\b/.test(code)) return null;
      const fromBundle = JSON.stringify(toPosix(path.relative(chunksDir, path.dirname(id))));
      return { code: code.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${fromBundle})`), map: null };
    },
    generateBundle() {
      if (inWorkerBuild) inWorkerBuild--;
    },
    // A failed worker build never reaches generateBundle; the main build after it must not turn CommonJS.
    buildEnd(error) {
      if (error && inWorkerBuild) inWorkerBuild--;
    },
    renderError() {
      if (inWorkerBuild) inWorkerBuild--;
    },
  };
}

const config: UserConfig = {
  main: {
    build: {
      outDir: path.join(root, 'out', 'main'),
      // Bundle everything but the native module, so the packaged app does not depend on how each
      // package resolves at run time.
      externalizeDeps: false,
      rolldownOptions: {
        input: {
          index: path.join(root, 'electron', 'main', 'index.ts'),
        },
        plugins: [coreWorkerBundle()],
        external: ['better-sqlite3'],
        // .mjs: a chunk may be loaded from app.asar.unpacked, where no package.json says "module" (the
        // core worker's own build is CommonJS, .cjs: coreWorkerBundle).
        output: { chunkFileNames: 'chunks/[name]-[hash].mjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: path.join(root, 'out', 'preload'),
      // A sandboxed preload cannot require anything but 'electron': bundle every dependency.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: path.join(root, 'electron', 'preload', 'index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
};

if (fs.existsSync(rendererHtml)) {
  config.renderer = {
    root: path.join(root, 'renderer'),
    base: './',
    plugins: [
      react(),
      {
        // Vite's dev server injects inline scripts (React Refresh) that the production CSP forbids;
        // drop the meta CSP in `electron-vite dev` only. Built files keep it.
        name: 'outloud-dev-csp',
        apply: 'serve',
        transformIndexHtml: (html: string) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
      },
    ],
    build: {
      outDir: path.join(root, 'out', 'renderer'),
      minify: true,
      emptyOutDir: true,
      rolldownOptions: { input: { index: rendererHtml } },
    },
  };
} else {
  console.warn('electron.vite.config.ts: renderer/index.html does not exist yet; building main and preload only.');
}

export default defineConfig(config);
