/**
 * The IPC transport of the contract, plus the shell bridge. Every message is checked for its
 * sender frame (our own renderer, top frame) and its arguments are validated before anything runs:
 * contract calls by the core's own schemas (in the core host), shell calls by the schemas here.
 * Export and import to a file take no arguments at all: the path comes from the system's file
 * dialog, shown here, never from a page.
 */
import path from 'node:path';
import {
  BrowserWindow,
  app,
  clipboard,
  dialog,
  ipcMain,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
  type SaveDialogOptions,
  type WebContents,
} from 'electron';
import { z } from 'zod';
import { contract, isMethodName } from '../../shared/api/contract.ts';
import type { Result } from '../../shared/api/errors.ts';
import { IPC, type DeepLink, type ShellInfo } from '../../shared/api/shell.ts';
import { exportFileName, IMPORT_UNDER_WAY, type ExportFileReport, type ExportProgress, type ImportProgress, type ImportReport } from '../../shared/domain/journal.ts';
import type { Dispatcher } from '../core/http/server.ts';
import { clipboardUrl } from './trust.ts';
import { isTrustedSender, openExternalSafely } from './security.ts';

export interface IpcDeps {
  core: Dispatcher;
  /** The journal to and from a file, streamed by the core (the core host's exportTo / importFrom). */
  files: {
    exportTo(path: string, onProgress?: (progress: ExportProgress) => void, signal?: AbortSignal): Promise<Result<ExportFileReport>>;
    importFrom(path: string, onProgress?: (progress: ImportProgress) => void, signal?: AbortSignal): Promise<Result<ImportReport>>;
  };
  info(): ShellInfo;
  setHotkey(accelerator: string): Result<{ hotkey: string }>;
  hideCapture(): void;
  showMain(link?: DeepLink): void;
}

const refused: Result<never> = { ok: false, error: { code: 'UNAUTHORIZED', message: 'Refused: the message did not come from Outloud.' } };

const DeepLinkArg = z.object({ kind: z.literal('entry'), id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();

const EXPORT_FILTERS = [{ name: 'Outloud export', extensions: ['json'] }];

/** `outloud-export-YYYY-MM-DD.json` (the local date) in the user's Documents folder when there is one. */
function defaultExportPath(): string {
  const name = exportFileName();
  try {
    return path.join(app.getPath('documents'), name);
  } catch {
    return name; // no Documents folder known to the OS: the dialog starts in its own default folder
  }
}

/**
 * Shows a file dialog over the window that asked (app-modal when it has none) and gives back the
 * chosen path, null when the user cancelled, or an IO error when the dialog could not be shown.
 */
async function choosePath(
  sender: WebContents,
  what: string,
  show: (win: BrowserWindow | null) => Promise<string | null>,
): Promise<Result<string | null>> {
  const win = BrowserWindow.fromWebContents(sender);
  try {
    return { ok: true, value: await show(win && !win.isDestroyed() ? win : null) };
  } catch (error) {
    return { ok: false, error: { code: 'IO', message: `The ${what} dialog could not be shown: ${(error as Error)?.message ?? String(error)}` } };
  }
}

/** Sends to every window except `except` (e.g. tell the main window a quick capture was saved). */
function broadcast(channel: string, except: WebContents | null, ...args: unknown[]): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && win.webContents !== except) win.webContents.send(channel, ...args);
  }
}

export function registerIpc(deps: IpcDeps): void {
  /** The import and the export each window started (by webContents id), for that window's cancel. */
  const importsByWindow = new Map<number, AbortController>();
  const exportsByWindow = new Map<number, AbortController>();
  /** A controller for `sender`'s transfer, kept in `running` until it ends; closing the window cancels it. */
  const transfer = <T>(running: Map<number, AbortController>, sender: WebContents, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    const cancel = () => controller.abort();
    running.set(sender.id, controller);
    sender.once('destroyed', cancel);
    return run(controller.signal).finally(() => {
      if (running.get(sender.id) === controller) running.delete(sender.id);
      if (!sender.isDestroyed()) sender.off('destroyed', cancel);
    });
  };

  const handle = <A extends unknown[], R>(channel: string, run: (event: IpcMainInvokeEvent, ...args: A) => R | Promise<R>, onRefused: R) => {
    ipcMain.handle(channel, (event, ...args) => (isTrustedSender(event) ? run(event, ...(args as A)) : onRefused));
  };
  const on = (channel: string, run: (event: IpcMainEvent, ...args: unknown[]) => void) => {
    ipcMain.on(channel, (event, ...args) => {
      if (isTrustedSender(event)) run(event, ...args);
    });
  };

  handle(
    IPC.call,
    async (event, method: unknown, input: unknown): Promise<Result<unknown>> => {
      if (!isMethodName(method)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 80)}` } };
      }
      // The core host validates `input` against the method's schema before any service sees it.
      const result = await deps.core.dispatch(method, input);
      if (result.ok && contract[method].mutates) broadcast(IPC.journalChanged, event.sender, method);
      return result;
    },
    refused,
  );

  handle(IPC.shellInfo, () => deps.info(), null);

  handle(
    IPC.setHotkey,
    (_event, accelerator: unknown) => {
      const parsed = z.string().max(100).safeParse(accelerator);
      if (!parsed.success) return { ok: false, error: { code: 'VALIDATION', message: 'A shortcut is a short text, like CommandOrControl+Shift+Space.' } };
      return deps.setHotkey(parsed.data);
    },
    refused,
  );

  handle(
    IPC.openExternal,
    async (_event, url: unknown): Promise<Result<null>> => {
      if (!(await openExternalSafely(url))) {
        return { ok: false, error: { code: 'VALIDATION', message: 'Only http, https and mailto links can be opened.' } };
      }
      return { ok: true, value: null };
    },
    refused,
  );

  // No arguments from the renderer (any are ignored): the file is the one the user picks here.
  handle(
    IPC.exportJournal,
    async (event): Promise<Result<ExportFileReport | null>> => {
      const chosen = await choosePath(event.sender, 'Save', async (win) => {
        const options: SaveDialogOptions = { title: 'Export the journal', defaultPath: defaultExportPath(), filters: EXPORT_FILTERS };
        const { canceled, filePath } = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
        return canceled || !filePath ? null : filePath;
      });
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return { ok: true, value: null };
      // Its progress goes to the window that asked (Settings shows it), while that window is there.
      const sender = event.sender;
      const file = chosen.value;
      return transfer(exportsByWindow, sender, (signal) =>
        deps.files.exportTo(
          file,
          (progress) => {
            if (!sender.isDestroyed()) sender.send(IPC.exportProgress, progress);
          },
          signal,
        ),
      );
    },
    refused,
  );

  handle(
    IPC.importJournal,
    async (event): Promise<Result<ImportReport | null>> => {
      // One at a time (the core refuses a second too): said before the Open dialog, not after it. One
      // that was cancelled is finishing its batch: the core waits for it.
      if ([...importsByWindow.values()].some((c) => !c.signal.aborted)) return { ok: false, error: { code: 'CONFLICT', message: IMPORT_UNDER_WAY } };
      const chosen = await choosePath(event.sender, 'Open', async (win) => {
        const options: OpenDialogOptions = { title: 'Import an Outloud export', properties: ['openFile'], filters: EXPORT_FILTERS };
        const { canceled, filePaths } = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
        return canceled || !filePaths[0] ? null : filePaths[0];
      });
      if (!chosen.ok) return chosen;
      if (chosen.value === null) return { ok: true, value: null };
      // Its progress goes to the window that asked (Settings shows it), while that window is there.
      // That window can cancel it, and closing it cancels it, as leaving the page does in browser mode.
      const sender = event.sender;
      const file = chosen.value;
      const result = await transfer(importsByWindow, sender, (signal) =>
        deps.files.importFrom(
          file,
          (progress) => {
            if (!sender.isDestroyed()) sender.send(IPC.importProgress, progress);
          },
          signal,
        ),
      );
      // Every window refreshes, the one that asked too (this did not go through IPC.call). Also after
      // a failure: a large file goes in batches, and those committed before it stay in the journal.
      broadcast(IPC.journalChanged, null, 'journal.import');
      return result;
    },
    refused,
  );

  handle(IPC.readClipboardUrl, async () => clipboardUrl(await clipboard.readText()), null);

  on(IPC.cancelImport, (event) => importsByWindow.get(event.sender.id)?.abort());
  on(IPC.cancelExport, (event) => exportsByWindow.get(event.sender.id)?.abort());

  on(IPC.hideCapture, () => deps.hideCapture());

  on(IPC.showMain, (_event, link: unknown) => {
    if (link === undefined || link === null) return deps.showMain();
    const parsed = DeepLinkArg.safeParse(link);
    if (parsed.success) deps.showMain(parsed.data);
  });
}
