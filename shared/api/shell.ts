/**
 * The desktop shell bridge: the few things only the Electron shell can do (global hotkey, external
 * links through the allowlist, the capture window, deep links). Exposed by the preload as
 * `window.outloudShell`; absent in browser mode, so the renderer must treat it as optional.
 * The journal itself is only ever reached through the contract (`window.outloud`).
 */
import type { Result } from './errors.ts';
import type { ExportFileReport, ExportProgress, ImportProgress, ImportReport } from '../domain/journal.ts';

export const DEFAULT_HOTKEY = 'CommandOrControl+Shift+Space';

/** A link into the app, from `outloud://entry/<id>`. */
export type DeepLink = { kind: 'entry'; id: string };

/** Menu and tray actions the renderer carries out (their keyboard shortcuts are the renderer's own). */
export const SHELL_COMMANDS = ['new-note', 'search', 'timeline', 'people', 'bookmarks', 'questions', 'settings'] as const;
export type ShellCommand = (typeof SHELL_COMMANDS)[number];

export interface ShellInfo {
  platform: string;
  /** The hotkey in use (saved by the user or the default). */
  hotkey: string;
  /** False when the OS refused the hotkey at start (another app holds it). */
  hotkeyRegistered: boolean;
  /** The journal's folder, and why it is that one. */
  dataDir: string;
  dataDirFrom: 'flag' | 'env' | 'default';
  version: string;
}

export interface OutloudShell {
  getInfo(): Promise<ShellInfo>;
  /**
   * Changes the global hotkey. When the OS refuses it (taken by another app, or not a valid
   * accelerator) the result is an error with a readable message and the old hotkey stays.
   */
  setHotkey(accelerator: string): Promise<Result<{ hotkey: string }>>;
  /** Opens an http, https or mailto link in the user's browser or mail app; anything else is refused. */
  openExternal(url: string): Promise<Result<null>>;
  /** Hides the quick-capture window and gives focus back to the app that had it. */
  hideCapture(): void;
  /** Brings the main window forward, optionally at an entry. */
  showMain(link?: DeepLink): void;
  /**
   * Asks where to save (the system's Save dialog), then writes the whole journal there as an Outloud
   * export, streamed by the core. `null`: the user cancelled the dialog.
   */
  exportJournal(): Promise<Result<ExportFileReport | null>>;
  /** How far the export exportJournal started has come, from once the file is chosen until it ends. */
  onExportProgress(listener: (progress: ExportProgress) => void): () => void;
  /**
   * Cancels the export this window's exportJournal started: it stops before its next chunk, the chosen
   * file stays as it was, and exportJournal answers CANCELLED. Nothing when none is under way.
   */
  cancelExport(): void;
  /**
   * Asks for an Outloud export (the system's Open dialog), then imports it, streamed and in batches
   * by the core. `null`: the user cancelled the dialog.
   */
  importJournal(): Promise<Result<ImportReport | null>>;
  /** How far the import importJournal started has come, from once the file is chosen until it ends. */
  onImportProgress(listener: (progress: ImportProgress) => void): () => void;
  /**
   * Cancels the import this window's importJournal started: it stops before its next batch (what came
   * in stays) and importJournal answers CANCELLED. Nothing when none is under way.
   */
  cancelImport(): void;
  /** The clipboard's text when it is a single http(s) URL, else null (for the capture window). */
  readClipboardUrl(): Promise<string | null>;
  /** Each listener returns a function that removes it. */
  onDeepLink(listener: (link: DeepLink) => void): () => void;
  onCommand(listener: (command: ShellCommand) => void): () => void;
  /** The quick-capture window was shown (focus the text box, refresh the clipboard offer). */
  onCaptureShown(listener: () => void): () => void;
  /** Another window changed the journal (e.g. a quick capture was saved): refresh views. */
  onJournalChanged(listener: (method: string) => void): () => void;
}

/** IPC channel names, shared by the preload and the main process. */
export const IPC = {
  call: 'outloud:call',
  shellInfo: 'outloud-shell:info',
  setHotkey: 'outloud-shell:set-hotkey',
  openExternal: 'outloud-shell:open-external',
  hideCapture: 'outloud-shell:hide-capture',
  showMain: 'outloud-shell:show-main',
  readClipboardUrl: 'outloud-shell:read-clipboard-url',
  exportJournal: 'outloud-shell:export-journal',
  importJournal: 'outloud-shell:import-journal',
  importProgress: 'outloud-shell:import-progress',
  exportProgress: 'outloud-shell:export-progress',
  cancelExport: 'outloud-shell:cancel-export',
  cancelImport: 'outloud-shell:cancel-import',
  deepLink: 'outloud-shell:deep-link',
  command: 'outloud-shell:command',
  captureShown: 'outloud-shell:capture-shown',
  journalChanged: 'outloud-shell:journal-changed',
} as const;
