/**
 * electron-vite build of the desktop app:
 *   out/main/index.js        the main process (ESM), plus out/main/chunks/core.worker-<hash>.mjs,
 *                            the worker thread that owns the database (electron/core/host),
 *                            bundled on its own through the `?modulePath` import in index.ts
 *   out/preload/index.cjs    the sandboxed preload: one CommonJS file, dependencies bundled in
 *   out/renderer/            the React renderer (also what `outloud serve` serves in browser mode)
 * better-sqlite3 stays external (a native module, loaded from node_modules at run time).
 */
import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'electron-vite';

const root = import.meta.dirname;
const rendererHtml = path.join(root, 'renderer', 'index.html');

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
        external: ['better-sqlite3'],
        // .mjs: the core worker is loaded from app.asar.unpacked, where no package.json says "module".
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
