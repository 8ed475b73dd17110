/**
 * Finds the Electron executable without triggering electron's own download (requiring 'electron'
 * does that when the binary is missing). Used by `npm start` (electron/launch.js) and the
 * Playwright _electron tests.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function electronPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, packageDir: string | null = electronPackageDir()): ElectronBinary {
  if (env.ELECTRON_EXEC_PATH) {
    return fs.existsSync(env.ELECTRON_EXEC_PATH)
      ? { found: true, path: env.ELECTRON_EXEC_PATH }
      : { found: false, reason: `ELECTRON_EXEC_PATH points to ${env.ELECTRON_EXEC_PATH}, which does not exist` };
  }
  if (!packageDir) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { found: false, reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  const relative = fs.readFileSync(pathFile, 'utf8').trim();
  const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist'), relative);
  return fs.existsSync(binary) ? { found: true, path: binary } : { found: false, reason: `the Electron binary is missing (${binary})` };
}
