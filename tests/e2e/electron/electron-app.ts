/**
 * Fixtures for the desktop shell tests: the Electron binary (or the reason it is missing), a fresh
 * data folder per test, and the launched app with its main and quick-capture windows.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import type { BrowserWindow, Menu } from 'electron';
import type { OutloudApi } from '../../../shared/api/contract.ts';
import type { OutloudShell } from '../../../shared/api/shell.ts';
import { findElectronBinary } from '../../../electron/electron-binary.ts';

export const appRoot = path.resolve(import.meta.dirname, '../../..');
const builtMain = path.join(appRoot, 'out', 'main', 'index.js');

const binary = findElectronBinary();

/** Why the shell tests cannot run here, or null when they can. */
export const skipReason: string | null = !binary.found
  ? `Electron shell tests skipped: ${binary.reason}. They run where Electron is installed.`
  : !fs.existsSync(builtMain)
    ? 'Electron shell tests skipped: the app is not built (run `npm run build`).'
    : null;

if (skipReason) console.log(skipReason);

/** Arguments every launch needs: the app folder, the journal, and no OS sandbox when run as root (CI containers). */
export function launchArgs(dataDir: string, ...extra: string[]): string[] {
  const root = process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return [...root, appRoot, '--data-dir', dataDir, ...extra];
}

export async function launchApp(dataDir: string): Promise<ElectronApplication> {
  if (!binary.found) throw new Error(skipReason ?? 'no Electron');
  return _electron.launch({
    executablePath: binary.path,
    args: launchArgs(dataDir),
    env: { ...process.env, OUTLOUD_E2E: '1' } as Record<string, string>,
  });
}

/** Starts a second Electron process on the same journal and resolves with its exit code. */
export function runSecondInstance(dataDir: string, ...extra: string[]): Promise<number | null> {
  if (!binary.found) throw new Error(skipReason ?? 'no Electron');
  return new Promise((resolve, reject) => {
    const child = spawn(binary.path, launchArgs(dataDir, ...extra), { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('The second instance did not exit: the single-instance lock is not working.'));
    }, 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function windowWithRoute(app: ElectronApplication, capture: boolean): Promise<Page> {
  const matches = (page: Page) => page.url().includes('#/capture') === capture;
  for (let attempt = 0; attempt < 50; attempt++) {
    const found = app.windows().find(matches);
    if (found) return found;
    await app.waitForEvent('window', { timeout: 10_000 }).catch(() => undefined);
  }
  throw new Error(`No ${capture ? 'capture' : 'main'} window appeared.`);
}

interface Fixtures {
  dataDir: string;
  app: ElectronApplication;
  mainPage: Page;
  capturePage: Page;
}

export const test = base.extend<Fixtures>({
  dataDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-e2e-electron-'));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  app: async ({ dataDir }, use) => {
    const app = await launchApp(dataDir);
    await use(app);
    await app.close();
  },
  mainPage: async ({ app }, use) => {
    const page = await windowWithRoute(app, false);
    await page.waitForLoadState('domcontentloaded');
    await use(page);
  },
  capturePage: async ({ app }, use) => {
    const page = await windowWithRoute(app, true);
    await page.waitForLoadState('domcontentloaded');
    await use(page);
  },
});

export { expect } from '@playwright/test';

/** The main-process handles the app exposes under OUTLOUD_E2E=1 (electron/main/index.ts). */
export interface E2EHandles {
  capture(): { win: BrowserWindow; show(): void; hide(): void; toggle(): void } | null;
  mainWindow(): BrowserWindow | null;
  hotkey(): { current: string; registered: boolean } | null;
  tray(): { menu(): Menu } | null;
}
/** The renderer's globals from the preload (tsconfig.node has no DOM types, so pages are typed through this). */
export interface RendererGlobals {
  outloud: OutloudApi;
  outloudShell?: OutloudShell;
  __links?: unknown[];
  __inline?: boolean;
  location: { href: string };
}

// Use inside app.evaluate() callbacks, which run in the main process and cannot close over imports:
//   await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()?.show())
export interface E2EGlobal {
  __outloudE2E: E2EHandles;
}
