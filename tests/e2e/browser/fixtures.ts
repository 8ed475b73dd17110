/**
 * Fixtures for the browser-mode tests: a fresh journal folder and a fresh loopback server per test
 * (the core and the server run here, in the Playwright worker), the page opened at the server's URL
 * with its token, and a guard that records anything a hostile note could make the page do.
 *
 *   test('…', async ({ app, journal, guard }) => {
 *     const note = await journal.api('entries.create', { body: 'hello' }); // straight to the API, with the token
 *     const entry = await app.openEntry(note.id);                          // through the UI (page objects)
 *     await expect(entry.body).toHaveText('hello');
 *     await guard.expectClean();                                           // no dialog, script or foreign request
 *   });
 *
 * The page opens before a test body runs: what a test adds through the API after that reaches lists
 * already shown only after `app.reload()` (browser mode hears of changes made in its own tabs).
 * OUTLOUD_E2E_RENDERER_DIR points the server at another renderer build (e.g. a deliberately broken
 * one, to see these tests fail).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract.ts';
import type { Result } from '../../../shared/api/errors.ts';
import { openCore, type Core } from '../../../electron/core/core.ts';
import { journalFiles } from '../../../electron/core/files/journal-files.ts';
import { startHttpServer, type HttpServer } from '../../../electron/core/http/server.ts';
import { MainScreen } from './pages/MainScreen.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const rendererDir = process.env.OUTLOUD_E2E_RENDERER_DIR ?? path.join(repoRoot, 'out', 'renderer');

/** One journal behind one loopback server, as `outloud serve --data-dir DIR` would run it. */
export interface Journal {
  dataDir: string;
  core: Core;
  server: HttpServer;
  /** Calls the contract over HTTP with the bearer token, as a bookmarklet or a script would. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** Like call(), but fails the test unless the call succeeds, and returns the value. */
  api<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

/** What the page did that no note may ever make it do. Read after the page has rendered. */
export interface Guard {
  /** Native dialogs (alert, confirm, prompt, beforeunload) that opened. */
  dialogs: string[];
  /** Requests for anything but the app's own origin (they are recorded, then aborted). */
  foreignRequests: string[];
  /** New windows or tabs the page opened. */
  popups: string[];
  /** Console messages of type error (a blocked script or resource is reported there). */
  consoleErrors: string[];
  /** What the init script saw in the page: calls to alert/confirm/prompt/print, CSP violations. */
  pageEvents(): Promise<string[]>;
  /** Asserts that nothing above happened. */
  expectClean(): Promise<void>;
}

/**
 * A fresh data folder, the core on it and a loopback server in front, as `outloud serve --data-dir DIR`
 * runs them. The `journal` fixture is one of these per test; a test that needs a second journal
 * (export from one, import into another) opens it here and closes it itself.
 */
/** `importTuning`: the import's batch knobs (files/journal-import.ts), e.g. small batches to cancel one midway. */
export async function openJournal(options: { importTuning?: { batchSize?: number; singleCallLimit?: number; lockFreeMs?: number } } = {}): Promise<Journal & { close(): Promise<void> }> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`The renderer is not built (${rendererDir}): run \`npm run build\` first.`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-e2e-browser-'));
  const core = openCore({ dataDir });
  const server = await startHttpServer({ core, port: 0, rendererDir, files: journalFiles(core, { tuning: options.importTuning }) });
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> => {
    const response = await fetch(`${server.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
      body: JSON.stringify(input),
    });
    return (await response.json()) as Result<MethodOutput<M>>;
  };
  const api = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const result = await call(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  const close = async () => {
    await server.close();
    core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { dataDir, core, server, call, api, close };
}

interface Fixtures {
  journal: Journal;
  guard: Guard;
  app: MainScreen;
}

/**
 * Runs in the page before any of the app's scripts: the functions a payload would call record the
 * call instead of opening a dialog, and CSP violations (a payload that got as far as the DOM and
 * was stopped only by the policy) are recorded too.
 */
function installPageGuard(): void {
  // No DOM types in this project (tsconfig.node.json): the page's globals are typed by hand.
  interface PageGlobals {
    __xss: string[];
    document: { addEventListener(type: string, listener: (e: { violatedDirective: string; blockedURI: string }) => void): void };
  }
  const w = globalThis as unknown as PageGlobals;
  w.__xss = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    const record = (...args: unknown[]) => {
      w.__xss.push(`${name}(${args.map(String).join(', ')})`);
      return name === 'prompt' ? null : false;
    };
    Object.defineProperty(globalThis, name, { value: record, writable: false, configurable: false });
  }
  w.document.addEventListener('securitypolicyviolation', (e) => {
    w.__xss.push(`csp ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
  });
}

export const test = base.extend<Fixtures>({
  journal: async ({}, use) => {
    const journal = await openJournal();
    await use(journal);
    await journal.close();
  },

  guard: async ({ context, journal }, use) => {
    const dialogs: string[] = [];
    const foreignRequests: string[] = [];
    const popups: string[] = [];
    const consoleErrors: string[] = [];
    // The app's own pages, API and the blob: URLs it makes for downloads.
    const own = (url: string) => url.startsWith(`${journal.server.origin}/`) || url.startsWith(`blob:${journal.server.origin}/`);
    await context.addInitScript(installPageGuard);
    // Every request the page makes is recorded unless it is for the app's own origin, and is then
    // stopped, so nothing reaches the network even if a check were to miss it.
    context.on('request', (request) => {
      const url = request.url();
      // data: URLs are the app's own inline icons; anything else must be ours.
      if (!own(url) && !url.startsWith('data:')) foreignRequests.push(url);
    });
    await context.route('**/*', (route) => (own(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
    const watch = (page: Page) => {
      page.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss().catch(() => undefined);
      });
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('popup', (popup) => popups.push(popup.url()));
    };
    // The `page` fixture may exist already; pages opened later are watched as they come.
    for (const page of context.pages()) watch(page);
    context.on('page', watch);
    const pages = () => context.pages();
    const pageEvents = async () => {
      const all: string[] = [];
      for (const page of pages()) {
        // The app's own pages; a tab opened for an outside link never loaded (its request was stopped).
        if (page.isClosed() || !own(page.url())) continue;
        all.push(...(await page.evaluate(() => (globalThis as unknown as { __xss?: string[] }).__xss ?? ['guard missing'])));
      }
      return all;
    };
    await use({
      dialogs,
      foreignRequests,
      popups,
      consoleErrors,
      pageEvents,
      async expectClean() {
        expect(dialogs, 'no dialog may open').toEqual([]);
        expect(foreignRequests, 'no request may leave for another host').toEqual([]);
        expect(popups, 'no window may open').toEqual([]);
        expect(await pageEvents(), 'no payload may call alert/confirm/prompt or trip the CSP').toEqual([]);
        expect(consoleErrors, 'no errors in the console').toEqual([]);
      },
    });
  },

  app: async ({ page, journal, guard }, use) => {
    void guard; // installed before the page opens
    const app = new MainScreen(page, journal.server.origin);
    await app.open(journal.server.url);
    await use(app);
  },
});

export { expect };
export type { Page };
