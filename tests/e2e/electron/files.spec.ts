/**
 * Export and import through the system's file dialogs, in a real Electron: Settings' Export writes
 * the file the Save dialog picked (streamed by the core, never through the renderer), Import reads
 * the one the Open dialog picked into another journal, an import can be cancelled from the page, and a
 * cancelled dialog does nothing. The
 * dialogs are stubbed in the main process (a test cannot click a native dialog). Skipped (with the
 * reason printed) where Electron is not installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ElectronApplication, Page } from '@playwright/test';
import { openCore } from '../../../electron/core/core.ts';
import { exportJournalFile } from '../../../electron/core/files/journal-files.ts';
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import { IMPORT_UNDER_WAY, type JournalExport } from '../../../shared/domain/journal.ts';
import { expect, launchApp, skipReason, test, type RendererGlobals } from './electron-app.ts';

// page.evaluate() callbacks run in the page and cannot close over anything here, so each one casts
// the page's globalThis to this type.
type R = RendererGlobals;

test.skip(skipReason !== null, skipReason ?? '');

/** What a stubbed dialog answers: the user picks `file`, cancels, or the dialog itself fails. */
type Reply = { file: string } | { canceled: true } | { error: string };

interface DialogCall {
  dialog: 'save' | 'open';
  /** Shown over the window that asked (not app-modal with no parent). */
  overWindow: boolean;
  options: { title?: string; defaultPath?: string; properties?: string[]; filters?: Array<{ name: string; extensions: string[] }> };
}

/** The main process's record of the dialogs shown since the last stubDialogs(). */
interface DialogLog {
  __dialogCalls: DialogCall[];
}

/** Replaces the Save and Open dialogs in the main process; each call is recorded (see dialogCalls). */
async function stubDialogs(app: ElectronApplication, replies: { save?: Reply; open?: Reply }): Promise<void> {
  await app.evaluate(({ dialog, BrowserWindow }, replies) => {
    const log = globalThis as unknown as DialogLog;
    log.__dialogCalls = [];
    const answer = (which: 'save' | 'open', args: unknown[]): string | null => {
      log.__dialogCalls.push({ dialog: which, overWindow: args.length === 2 && args[0] instanceof BrowserWindow, options: args.at(-1) as DialogCall['options'] });
      const reply = replies[which];
      if (!reply) throw new Error(`No ${which} dialog was expected.`);
      if ('error' in reply) throw new Error(reply.error);
      return 'file' in reply ? reply.file : null;
    };
    dialog.showSaveDialog = async (...args: unknown[]) => {
      const file = answer('save', args);
      return { canceled: file === null, filePath: file ?? '' };
    };
    dialog.showOpenDialog = async (...args: unknown[]) => {
      const file = answer('open', args);
      return { canceled: file === null, filePaths: file === null ? [] : [file] };
    };
  }, replies);
}

function dialogCalls(app: ElectronApplication): Promise<DialogCall[]> {
  return app.evaluate(() => (globalThis as unknown as DialogLog).__dialogCalls);
}

/** The app's main window (not the hidden quick-capture one), once its page has loaded. */
async function mainWindowOf(app: ElectronApplication): Promise<Page> {
  // A window's page is about:blank until it loads, so match on the app's own URL.
  const isMain = (page: Page) => page.url().startsWith('app://outloud/') && !page.url().includes('#/capture');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const page = app.windows().find(isMain);
    if (page) {
      await expect(page.getByTestId('nav-settings')).toBeVisible();
      return page;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('No main window appeared.');
}

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page');
}

const toasts = (page: Page) => page.getByTestId('toast');
const errorToasts = (page: Page) => page.locator('[data-testid="toast"][role="alert"]');

test.describe('export and import through the file dialogs', () => {
  test('Export writes the file the Save dialog chose, and Import reads it into another journal', async ({ dataDir }, testInfo) => {
    test.setTimeout(60_000); // two launches of the app
    const file = testInfo.outputPath('outloud-export.json');

    const first = await launchApp(dataDir);
    try {
      const page = await mainWindowOf(first);
      await page.evaluate(async () => {
        const api = (globalThis as unknown as R).outloud;
        const note = await api['entries.create']({ body: 'Streamed to a file #files' });
        if (!note.ok) throw new Error(note.error.message);
        await api['entries.update']({ id: note.value.id, body: 'Streamed to a file, not through the renderer #files' });
        await api['entries.create']({ body: 'A second note for the export' });
        await api['entries.create']({ kind: 'bookmark', title: 'WOL guide', bookmark: { url: 'https://example.org/guide' } });
      });

      await stubDialogs(first, { save: { file } });
      await openSettings(page);
      await page.getByTestId('export-json').click();

      // Written beside the target and renamed into place once complete: there means whole.
      await expect.poll(() => fs.existsSync(file), { timeout: 15_000 }).toBe(true);
      await expect(toasts(page).filter({ hasText: 'Exported 3 entries' })).toBeVisible();
      await expect(errorToasts(page)).toHaveCount(0);

      const calls = await dialogCalls(first);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        dialog: 'save',
        overWindow: true,
        options: { title: 'Export the journal', filters: [{ name: 'Outloud export', extensions: ['json'] }] },
      });
      expect(path.basename(calls[0]!.options.defaultPath ?? '')).toMatch(/^outloud-export-\d{4}-\d{2}-\d{2}\.json$/);

      // The bridge tells the page how far an export has come: the items written, from 0 to all.
      await stubDialogs(first, { save: { file: testInfo.outputPath('again.json') } });
      const told = await page.evaluate(async () => {
        const shell = (globalThis as unknown as R).outloudShell!;
        const seen: Array<{ done: number; total: number }> = [];
        const stop = shell.onExportProgress((p) => seen.push(p));
        await shell.exportJournal();
        stop();
        return seen;
      });
      expect(told[0]).toEqual({ done: 0, total: told[0]!.total });
      expect(told[0]!.total).toBeGreaterThanOrEqual(4); // 3 entries and a revision
      expect(told.at(-1)).toEqual({ done: told[0]!.total, total: told[0]!.total });
    } finally {
      await first.close();
    }

    const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as JournalExport;
    expect(exported).toMatchObject({ format: 'outloud-journal', version: 1 });
    expect(exported.entries.map((e) => (e.kind === 'bookmark' ? e.title : e.body)).sort()).toEqual(
      ['A second note for the export', 'Streamed to a file, not through the renderer #files', 'WOL guide'].sort(),
    );
    expect(exported.revisions, 'the earlier version of the edited note comes along').toHaveLength(1);

    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-e2e-electron-'));
    const second = await launchApp(otherDir);
    try {
      const page = await mainWindowOf(second);
      await stubDialogs(second, { open: { file } });
      await openSettings(page);
      await page.getByTestId('import-json').click();

      const report = page.getByTestId('import-report');
      await expect(report).toContainText('3 added', { timeout: 15_000 });
      await expect(report).toContainText('0 already there');
      await expect(errorToasts(page)).toHaveCount(0);
      expect(await dialogCalls(second)).toMatchObject([
        { dialog: 'open', overWindow: true, options: { title: 'Import an Outloud export', properties: ['openFile'], filters: [{ name: 'Outloud export', extensions: ['json'] }] } },
      ]);

      // Open views refresh (the shell tells every window the journal changed): the sidebar's count.
      await expect(page.getByTestId('nav-bookmarks')).toContainText('1');
      const stats = await page.evaluate(() => (globalThis as unknown as R).outloud['journal.stats']({}));
      expect(stats).toMatchObject({ ok: true, value: { entries: 3, revisions: 1 } });
      await expect(page.getByTestId('import-progress'), 'the progress goes once the import is done').toHaveCount(0);

      // The bridge tells the page how far an import has come: the check of the file, by its name only.
      await stubDialogs(second, { open: { file } });
      const told = await page.evaluate(async () => {
        const shell = (globalThis as unknown as R).outloudShell!;
        const seen: unknown[] = [];
        const stop = shell.onImportProgress((p) => seen.push(p));
        await shell.importJournal();
        stop();
        return seen as Array<{ step: string; done: number; total: number; name: string }>;
      });
      const size = fs.statSync(file).size;
      expect(told[0]).toEqual({ step: 'checking', done: 0, total: size, name: path.basename(file) });
      expect(told.at(-1)).toMatchObject({ step: 'checking', done: size });
    } finally {
      await second.close();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  test('a cancelled dialog does nothing', async ({ app, mainPage }) => {
    await mainPage.evaluate(() => (globalThis as unknown as R).outloud['entries.create']({ body: 'Stays where it is' }));
    await stubDialogs(app, { save: { canceled: true }, open: { canceled: true } });

    // The bridge answers null for a cancelled dialog, not an error.
    expect(await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.exportJournal())).toEqual({ ok: true, value: null });
    expect(await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.importJournal())).toEqual({ ok: true, value: null });

    await openSettings(mainPage);
    await mainPage.getByTestId('export-json').click();
    await expect.poll(async () => (await dialogCalls(app)).length).toBe(3);
    await expect(mainPage.getByTestId('export-json')).toBeEnabled();
    await mainPage.getByTestId('import-json').click();
    await expect.poll(async () => (await dialogCalls(app)).map((c) => c.dialog)).toEqual(['save', 'open', 'save', 'open']);
    await expect(mainPage.getByTestId('import-json')).toBeEnabled();

    // Give a toast or a report the time to show up, were one (wrongly) coming.
    await mainPage.waitForTimeout(500);
    await expect(toasts(mainPage)).toHaveCount(0);
    await expect(mainPage.getByTestId('import-report')).toHaveCount(0);
    expect(await mainPage.evaluate(() => (globalThis as unknown as R).outloud['journal.stats']({}))).toMatchObject({ ok: true, value: { entries: 1 } });
  });

  test('an import can be cancelled from the page, keeps what came in, and runs one at a time; an export can be cancelled too', async ({ app, mainPage }, testInfo) => {
    // Over the single-call limit (5,000 items), so the worker imports it in batches.
    const file = testInfo.outputPath('large.json');
    const source = openCore({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-e2e-source-')) });
    try {
      source.services.entries.createMany(Array.from({ length: 6_000 }, (_, i) => EntryCreateInput.parse({ body: `Retro note ${i} #imports` })));
      await exportJournalFile(source.databasePath, file);
    } finally {
      source.close();
      fs.rmSync(source.dataDir, { recursive: true, force: true });
    }
    await stubDialogs(app, { open: { file } });
    const outcome = await mainPage.evaluate(async () => {
      const shell = (globalThis as unknown as R).outloudShell!;
      let second: unknown = null;
      // Cancelled as the import pass begins; a second import asked for meanwhile is refused.
      const stop = shell.onImportProgress((p) => {
        if (p.step !== 'importing' || second) return;
        second = 'asked';
        void shell.importJournal().then((r) => (second = r));
        shell.cancelImport();
      });
      const first = await shell.importJournal();
      stop();
      while (second === 'asked') await new Promise((resolve) => setTimeout(resolve, 10));
      return { first, second };
    });
    expect(outcome.first).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: expect.stringMatching(/^The import was cancelled/) } });
    expect(outcome.second).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: IMPORT_UNDER_WAY } });
    expect((await dialogCalls(app)).map((c) => c.dialog), 'the second was refused before its dialog').toEqual(['open']);
    const stats = (await mainPage.evaluate(() => (globalThis as unknown as R).outloud['journal.stats']({}))) as { ok: true; value: { entries: number } };
    const kept = stats.value.entries;
    expect(kept).toBeLessThan(6_000);

    // The same file again completes it, from Settings.
    await stubDialogs(app, { open: { file } });
    await openSettings(mainPage);
    await mainPage.getByTestId('import-json').click();
    const report = mainPage.getByTestId('import-report');
    await expect(report).toContainText(`${(6_000 - kept).toLocaleString('en')} added`, { timeout: 30_000 });
    await expect(report).toContainText(`${kept.toLocaleString('en')} already there`);
    await expect(errorToasts(mainPage)).toHaveCount(0);

    // An export of those 6,000 entries cancelled from the page as it begins: nothing is left where it was to go.
    const out = testInfo.outputPath('cancelled-export.json');
    await stubDialogs(app, { save: { file: out } });
    const exported = await mainPage.evaluate(async () => {
      const shell = (globalThis as unknown as R).outloudShell!;
      const stop = shell.onExportProgress(() => shell.cancelExport());
      const result = await shell.exportJournal();
      stop();
      return result;
    });
    expect(exported).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'The export was cancelled; nothing was written.' } });
    expect(fs.readdirSync(path.dirname(out)).filter((name) => name.includes('cancelled-export'))).toEqual([]);
  });

  test('a dialog that cannot be shown is a readable IO error', async ({ app, mainPage }) => {
    await stubDialogs(app, { save: { error: 'No file chooser portal is available' } });
    const result = await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.exportJournal());
    expect(result).toMatchObject({ ok: false, error: { code: 'IO', message: expect.stringContaining('No file chooser portal is available') } });

    await openSettings(mainPage);
    await mainPage.getByTestId('export-json').click();
    await expect(errorToasts(mainPage).filter({ hasText: 'No file chooser portal is available' })).toBeVisible();
  });
});
