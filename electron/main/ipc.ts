/**
 * The IPC transport of the contract, plus the shell bridge. Every message is checked for its
 * sender frame (our own renderer, top frame) and its arguments are validated before anything runs:
 * contract calls by the core's own schemas (in the core host), shell calls by the schemas here.
 */
import { BrowserWindow, clipboard, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import { contract, isMethodName } from '../../shared/api/contract.ts';
import type { Result } from '../../shared/api/errors.ts';
import { IPC, type DeepLink, type ShellInfo } from '../../shared/api/shell.ts';
import type { Dispatcher } from '../core/http/server.ts';
import { clipboardUrl } from './trust.ts';
import { isTrustedSender, openExternalSafely } from './security.ts';

export interface IpcDeps {
  core: Dispatcher;
  info(): ShellInfo;
  setHotkey(accelerator: string): Result<{ hotkey: string }>;
  hideCapture(): void;
  showMain(link?: DeepLink): void;
}

const refused: Result<never> = { ok: false, error: { code: 'UNAUTHORIZED', message: 'Refused: the message did not come from Outloud.' } };

const DeepLinkArg = z.object({ kind: z.literal('entry'), id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();

/** Sends to every window except `except` (e.g. tell the main window a quick capture was saved). */
function broadcast(channel: string, except: WebContents | null, ...args: unknown[]): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && win.webContents !== except) win.webContents.send(channel, ...args);
  }
}

export function registerIpc(deps: IpcDeps): void {
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

  handle(IPC.readClipboardUrl, async () => clipboardUrl(await clipboard.readText()), null);

  on(IPC.hideCapture, () => deps.hideCapture());

  on(IPC.showMain, (_event, link: unknown) => {
    if (link === undefined || link === null) return deps.showMain();
    const parsed = DeepLinkArg.safeParse(link);
    if (parsed.success) deps.showMain(parsed.data);
  });
}
