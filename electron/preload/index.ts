/**
 * The preload: exposes exactly the contract's methods as `window.outloud` (built from METHOD_NAMES,
 * checked against OutloudApi) and the small shell bridge as `window.outloudShell`. No logic, never
 * the raw ipcRenderer. Runs sandboxed, so it is bundled to one CommonJS file.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { MethodInput, MethodOutput, OutloudApi } from '../../shared/api/contract.ts';
import { METHOD_NAMES, type MethodName } from '../../shared/api/methods.ts';
import type { Result } from '../../shared/api/errors.ts';
import type { ExportProgress, ImportProgress } from '../../shared/domain/journal.ts';
import { IPC, SHELL_COMMANDS, type DeepLink, type OutloudShell, type ShellCommand } from '../../shared/api/shell.ts';

type Invokers = { [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };

const api = Object.freeze(
  Object.fromEntries(METHOD_NAMES.map((method) => [method, (input: unknown) => ipcRenderer.invoke(IPC.call, method, input)])),
) as Invokers satisfies OutloudApi;

/** Subscribes to a main-process event without handing the renderer the IPC event object. */
function subscribe<T>(channel: string, accept: (value: unknown) => value is T, listener: (value: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, value: unknown) => {
    if (accept(value)) listener(value);
  };
  ipcRenderer.on(channel, wrapped);
  return () => void ipcRenderer.removeListener(channel, wrapped);
}

const isDeepLink = (v: unknown): v is DeepLink =>
  typeof v === 'object' && v !== null && (v as DeepLink).kind === 'entry' && typeof (v as DeepLink).id === 'string';
const isCommand = (v: unknown): v is ShellCommand => (SHELL_COMMANDS as readonly unknown[]).includes(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isImportProgress = (v: unknown): v is ImportProgress => {
  const p = v as ImportProgress | null;
  return typeof p === 'object' && p !== null && (p.step === 'checking' || p.step === 'importing') && Number.isFinite(p.done) && Number.isFinite(p.total) && typeof p.name === 'string';
};
const isExportProgress = (v: unknown): v is ExportProgress => {
  const p = v as ExportProgress | null;
  return typeof p === 'object' && p !== null && Number.isFinite(p.done) && Number.isFinite(p.total);
};
const always = (_v: unknown): _v is undefined => true;

// Deep links can arrive before the renderer has mounted its listener (a cold start from a link):
// keep them until someone listens.
const earlyLinks: DeepLink[] = [];
const linkListeners = new Set<(link: DeepLink) => void>();
ipcRenderer.on(IPC.deepLink, (_event, value: unknown) => {
  if (!isDeepLink(value)) return;
  if (linkListeners.size === 0) earlyLinks.push(value);
  for (const listener of linkListeners) listener(value);
});

const shellBridge: OutloudShell = {
  getInfo: () => ipcRenderer.invoke(IPC.shellInfo),
  setHotkey: (accelerator) => ipcRenderer.invoke(IPC.setHotkey, accelerator),
  openExternal: (url) => ipcRenderer.invoke(IPC.openExternal, url),
  hideCapture: () => ipcRenderer.send(IPC.hideCapture),
  showMain: (link) => ipcRenderer.send(IPC.showMain, link),
  // No arguments: the main process asks the user for the file with the system's dialog.
  exportJournal: () => ipcRenderer.invoke(IPC.exportJournal),
  onExportProgress: (listener) => subscribe(IPC.exportProgress, isExportProgress, listener),
  cancelExport: () => ipcRenderer.send(IPC.cancelExport),
  importJournal: () => ipcRenderer.invoke(IPC.importJournal),
  onImportProgress: (listener) => subscribe(IPC.importProgress, isImportProgress, listener),
  cancelImport: () => ipcRenderer.send(IPC.cancelImport),
  readClipboardUrl: () => ipcRenderer.invoke(IPC.readClipboardUrl),
  onDeepLink: (listener) => {
    linkListeners.add(listener);
    for (const link of earlyLinks.splice(0)) listener(link);
    return () => void linkListeners.delete(listener);
  },
  onCommand: (listener) => subscribe(IPC.command, isCommand, listener),
  onCaptureShown: (listener) => subscribe(IPC.captureShown, always, () => listener()),
  onJournalChanged: (listener) => subscribe(IPC.journalChanged, isString, listener),
};

contextBridge.exposeInMainWorld('outloud', api);
contextBridge.exposeInMainWorld('outloudShell', Object.freeze(shellBridge));
