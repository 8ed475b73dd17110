/**
 * End-to-end tests. Two projects:
 *   electron  tests/e2e/electron  the desktop shell through Playwright's _electron (they skip, with
 *                                 the reason printed, where the Electron binary is not installed)
 *   browser   tests/e2e/browser   browser mode (`outloud serve`) in Chromium
 * Both need `npm run build` first (out/), which `npm test` does.
 */
import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

/** Chromium flags for machines without a GPU, network or sandbox privileges (CI containers). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// The system Chromium when there is one (Debian's /usr/bin/chromium); otherwise Playwright's own.
const chromiumPath = process.env.OUTLOUD_CHROMIUM ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  outputDir: 'test-results',
  projects: [
    {
      name: 'electron',
      testDir: 'tests/e2e/electron',
      // One Electron app at a time: they share the global shortcut and the tray.
      workers: 1,
    },
    {
      name: 'browser',
      testDir: 'tests/e2e/browser',
      use: {
        browserName: 'chromium',
        headless: true,
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS },
        trace: 'retain-on-failure',
        screenshot: 'only-on-failure',
      },
    },
  ],
});
