/**
 * The Electron main process: app lifecycle, windows, tray, hotkey, deep links and the IPC transport.
 * It only routes: the journal runs in a worker thread (electron/core/host) that owns the database,
 * so no query ever blocks the windows.
 */
import path from 'node:path';
import { Menu, app, dialog, shell, type BrowserWindow } from 'electron';
import type { Result } from '../../shared/api/errors.ts';
import { IPC, type DeepLink, type ShellCommand, type ShellInfo } from '../../shared/api/shell.ts';
import { startCoreHost, type CoreHost } from '../core/host/core-host.ts';
// Built as its own self-contained file (only node: builtins and better-sqlite3 outside it).
import coreWorkerBundle from '../core/host/core.worker.ts?modulePath';
// The same for the thread the core worker runs the doctor's checks in.
import doctorWorkerBundle from '../core/services/doctor.worker.ts?modulePath';
// And the thread a file import reads the file in, while the core worker writes.
import importWorkerBundle from '../core/files/journal-import.worker.ts?modulePath';
import { resolveDataDir } from '../core/paths.ts';
import { registerAppScheme, handleAppProtocol } from './app-protocol.ts';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, formatDeepLink, parseDeepLink } from './deep-link.ts';
import { Hotkey } from './hotkey.ts';
import { registerIpc } from './ipc.ts';
import { buildAppMenu } from './menu.ts';
import { hardenAllWebContents, hardenSession } from './security.ts';
import { loadShellSettings, saveShellSettings, type ShellSettings } from './shell-settings.ts';
import { createTray, type AppTray } from './tray.ts';
import { CaptureWindow, createMainWindow, isQuitting, markQuitting, showMainWindow } from './windows.ts';

const dataDir = resolveDataDir({ argv: process.argv });
// Chromium's profile lives with the journal: the single-instance lock is then per journal, and the
// default (no flag, no env) is exactly Electron's own userData folder for productName Outloud.
app.setPath('userData', dataDir.dir);
app.enableSandbox();
// Global shortcuts on Wayland go through the desktop portal; harmless elsewhere.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');
registerAppScheme();
hardenAllWebContents();

const launchLink = deepLinkFromArgv(process.argv);
if (!app.requestSingleInstanceLock({ deepLink: launchLink ? formatDeepLink(launchLink) : null })) {
  // Another Outloud has this journal open: it gets our deep link (second-instance) and comes forward.
  app.quit();
} else {
  run(launchLink);
}

/**
 * The worker bundles are unpacked from app.asar (electron-builder.yml asarUnpack), like
 * better-sqlite3: a worker thread then loads plain files from disk, with no asar support needed.
 */
function unpacked(file: string): string {
  return app.isPackaged ? file.replace(/\.asar([\\/])/, '.asar.unpacked$1') : file;
}

function run(initialLink: DeepLink | null): void {
  const builtDir = import.meta.dirname;
  const rendererDir = path.join(builtDir, '../renderer');
  const resources = path.join(app.getAppPath(), 'resources');
  const iconPath = path.join(resources, 'icon.png');
  const trayIconPath = path.join(resources, process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');

  // The journal's worker starts now, while Electron itself starts up: a worker thread, loading the
  // core and opening the journal take ~70 ms here, which `ready` no longer waits for afterwards.
  // Any failure, thrown at once or later, is told in `ready` below (a dialog needs the app ready).
  const coreStarting = new Promise<CoreHost>((resolve) => {
    resolve(startCoreHost({ dataDir: dataDir.dir, workerFile: unpacked(coreWorkerBundle), doctorWorkerFile: unpacked(doctorWorkerBundle), importWorkerFile: unpacked(importWorkerBundle) }));
  });
  coreStarting.catch(() => undefined); // not an unhandled rejection before `ready` hears it
  let core: CoreHost | null = null;
  let mainWindow: BrowserWindow | null = null;
  let capture: CaptureWindow | null = null;
  /**
   * The quick-capture window, made again when a quit that an unsaved edit called off had closed it
   * already (its draft is kept by the page's storage); null before start-up and while quitting.
   */
  const captureWindow = (): CaptureWindow | null => {
    if (capture?.win.isDestroyed()) capture = isQuitting() ? null : new CaptureWindow(iconPath, () => mainWindow);
    return capture;
  };
  let hotkey: Hotkey | null = null;
  let tray: AppTray | null = null;
  const settings: ShellSettings = loadShellSettings(dataDir.dir);
  let pendingLink: DeepLink | null = initialLink;
  let closingCore = false;

  const sendWhenLoaded = (win: BrowserWindow, channel: string, ...args: unknown[]) => {
    if (win.isDestroyed()) return;
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', () => win.webContents.send(channel, ...args));
    else win.webContents.send(channel, ...args);
  };

  const showMain = (link?: DeepLink | null) => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      if (link) pendingLink = link;
      return;
    }
    showMainWindow(mainWindow);
    // The preload keeps links until the renderer listens, so none is lost during start-up.
    if (link) sendWhenLoaded(mainWindow, IPC.deepLink, link);
  };

  const sendCommand = (command: ShellCommand) => {
    if (!mainWindow) return;
    showMainWindow(mainWindow);
    sendWhenLoaded(mainWindow, IPC.command, command);
  };

  const refreshMenus = () => {
    Menu.setApplicationMenu(
      buildAppMenu(
        {
          command: sendCommand,
          quickCapture: () => captureWindow()?.show(),
          showDataFolder: () => {
            if (core) shell.showItemInFolder(core.databasePath);
          },
        },
        hotkey?.current ?? settings.hotkey,
      ),
    );
    tray?.refresh();
  };

  const setHotkey = (accelerator: string): Result<{ hotkey: string }> => {
    if (!hotkey) return { ok: false, error: { code: 'INTERNAL', message: 'Outloud is still starting.' } };
    const result = hotkey.change(accelerator);
    if (result.ok) {
      settings.hotkey = result.value.hotkey;
      saveShellSettings(dataDir.dir, settings);
      refreshMenus();
    }
    return result;
  };

  const info = (): ShellInfo => ({
    platform: process.platform,
    hotkey: hotkey?.current ?? settings.hotkey,
    hotkeyRegistered: hotkey?.registered ?? false,
    dataDir: dataDir.dir,
    dataDirFrom: dataDir.from,
    version: app.getVersion(),
  });

  app.on('second-instance', (_event, argv, _cwd, additionalData) => {
    const data = additionalData as { deepLink?: unknown } | null;
    showMain(parseDeepLink(data?.deepLink) ?? deepLinkFromArgv(argv));
  });
  // macOS hands deep links over as an event, also at launch (before ready).
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) showMain(link);
  });
  app.on('activate', () => showMain());
  app.on('before-quit', () => markQuitting());
  app.on('will-quit', (event) => {
    hotkey?.stop();
    if (core && !closingCore) {
      // Close the database cleanly (WAL checkpoint) before the process goes.
      event.preventDefault();
      closingCore = true;
      void core.close().finally(() => app.quit());
    }
  });

  void app.whenReady().then(async () => {
    hardenSession();
    handleAppProtocol(rendererDir);

    try {
      core = await coreStarting;
    } catch (error) {
      dialog.showErrorBox('Outloud cannot open the journal', `${(error as Error).message}\n\nJournal folder: ${dataDir.dir}`);
      app.exit(1);
      return;
    }
    core.onExit((code) => {
      if (closingCore) return;
      dialog.showErrorBox('Outloud stopped unexpectedly', `The journal process exited (code ${code}). Outloud will close; your notes are safe in ${dataDir.dir}.`);
      app.exit(1);
    });

    mainWindow = createMainWindow({
      settings,
      iconPath,
      saveBounds: (mainWindowSettings) => {
        settings.mainWindow = mainWindowSettings;
        try {
          saveShellSettings(dataDir.dir, settings);
        } catch {
          // Window size is a nicety; never fail over it.
        }
      },
    });
    capture = new CaptureWindow(iconPath, () => mainWindow);
    hotkey = new Hotkey(settings.hotkey, () => captureWindow()?.toggle());
    hotkey.start();

    tray = createTray(
      trayIconPath,
      { quickCapture: () => captureWindow()?.show(), openMain: () => showMain(), quit: () => app.quit() },
      () => hotkey?.current ?? settings.hotkey,
    );
    refreshMenus();

    registerIpc({
      core,
      files: core,
      info,
      setHotkey,
      hideCapture: () => captureWindow()?.hide(),
      showMain: (link) => {
        captureWindow()?.hide();
        showMain(link);
      },
    });

    if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);

    if (pendingLink) {
      showMain(pendingLink);
      pendingLink = null;
    }

    if (process.env.OUTLOUD_E2E === '1') {
      // Handles for the Playwright _electron tests (tests/e2e/electron): what the hotkey and tray do.
      Object.assign(globalThis, {
        __outloudE2E: { capture: captureWindow, mainWindow: () => mainWindow, hotkey: () => hotkey, tray: () => tray, info, setHotkey },
      });
    }
  });
}
