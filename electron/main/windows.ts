/** The main window (remembered size and position) and the quick-capture window (hidden until the hotkey). */
import path from 'node:path';
import { BrowserWindow, app, dialog, nativeTheme, screen, type MessageBoxSyncOptions, type WebPreferences } from 'electron';
import { IPC } from '../../shared/api/shell.ts';
import { devServerUrl } from './security.ts';
import { boundsAreVisible, centreIn, type ShellSettings } from './shell-settings.ts';
import { APP_ORIGIN } from './trust.ts';

const CAPTURE_SIZE = { width: 640, height: 360 } as const;

let quitting = false;

/** The renderer URL for a hash route ('' for the main view, 'capture' for the capture view). */
export function rendererUrl(route: string): string {
  const hash = route ? `#/${route}` : '';
  return devServerUrl ? `${devServerUrl.replace(/\/$/, '')}/${hash}` : `${APP_ORIGIN}/index.html${hash}`;
}

function webPreferences(): WebPreferences {
  return {
    preload: path.join(import.meta.dirname, '../preload/index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}

const background = () => (nativeTheme.shouldUseDarkColors ? '#17181c' : '#ffffff');

export interface MainWindowOptions {
  settings: ShellSettings;
  iconPath: string;
  /** Saves bounds when they change (debounced) and on close. */
  saveBounds(bounds: NonNullable<ShellSettings['mainWindow']>): void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = options.settings.mainWindow;
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const useSaved = saved && boundsAreVisible(saved.bounds, workAreas);
  const win = new BrowserWindow({
    ...(useSaved ? saved.bounds : { width: 1200, height: 800 }),
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Outloud',
    icon: options.iconPath,
    backgroundColor: background(),
    autoHideMenuBar: false,
    webPreferences: webPreferences(),
  });
  if (useSaved && saved.maximized) win.maximize();

  let timer: NodeJS.Timeout | undefined;
  const persist = () => {
    clearTimeout(timer);
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    const b = win.getNormalBounds();
    options.saveBounds({ bounds: { x: b.x, y: b.y, width: b.width, height: b.height }, maximized: win.isMaximized() });
  };
  const persistSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(persist, 500);
  };
  win.on('resize', persistSoon);
  win.on('move', persistSoon);
  win.on('maximize', persist);
  win.on('unmaximize', persist);
  win.on('close', (event) => {
    persist();
    // Until the app quits, closing hides: the app keeps running for the hotkey and the tray.
    if (!quitting) {
      event.preventDefault();
      win.hide();
    }
  });
  // A page with an edit not saved holds its unload (beforeunload): Electron then neither closes nor
  // reloads it, and says nothing. Ask, over the window, with the edit in view.
  win.webContents.on('will-prevent-unload', (event) => {
    showMainWindow(win);
    if (dialog.showMessageBoxSync(win, UNSAVED_EDIT_QUESTION) === DISCARD) {
      event.preventDefault(); // the unload goes on: the quit (or reload) under way completes
    } else {
      // The page has cancelled the quit under way: closing the window hides it again.
      quitting = false;
    }
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl(''));
  return win;
}

/** The answer of UNSAVED_EDIT_QUESTION that lets the page go. */
const DISCARD = 0;
const UNSAVED_EDIT_QUESTION: MessageBoxSyncOptions = {
  type: 'question',
  buttons: ['Discard the edit', 'Keep editing'],
  defaultId: 1,
  cancelId: 1,
  noLink: true,
  title: 'Unsaved edit',
  message: 'Discard the edit you have not saved?',
  detail: 'The entry you are editing has changes that are not saved yet. Keep editing to save them first.',
};

export function showMainWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

export class CaptureWindow {
  readonly win: BrowserWindow;
  private mainWasFocused = false;
  private readonly mainWindow: () => BrowserWindow | null;

  constructor(iconPath: string, mainWindow: () => BrowserWindow | null) {
    this.mainWindow = mainWindow;
    this.win = new BrowserWindow({
      ...CAPTURE_SIZE,
      show: false,
      frame: false,
      resizable: false,
      minimizable: process.platform === 'win32', // minimising is how focus returns on Windows
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      title: 'Outloud quick capture',
      icon: iconPath,
      backgroundColor: background(),
      webPreferences: webPreferences(),
    });
    this.win.setAlwaysOnTop(true, 'floating');
    if (process.platform === 'darwin') this.win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    // Clicking elsewhere puts it away; the draft stays in the hidden window.
    this.win.on('blur', () => {
      if (this.win.isVisible() && !this.win.webContents.isDevToolsOpened()) this.win.hide();
    });
    this.win.on('close', (event) => {
      // Only quitting destroys it: it must be ready the moment the hotkey is pressed.
      if (!this.win.isDestroyed() && !quitting) {
        event.preventDefault();
        this.hide();
      }
    });
    void this.win.loadURL(rendererUrl('capture'));
  }

  /** The hotkey toggles: a second press puts it away. */
  toggle(): void {
    if (this.win.isVisible() && this.win.isFocused()) this.hide();
    else this.show();
  }

  show(): void {
    const main = this.mainWindow();
    this.mainWasFocused = !!main && !main.isDestroyed() && main.isFocused();
    const display = screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
    const { x, y } = centreIn(display.workArea, CAPTURE_SIZE);
    this.win.setBounds({ x, y, ...CAPTURE_SIZE });
    if (this.win.isMinimized()) this.win.restore();
    this.win.show();
    this.win.focus();
    this.win.webContents.send(IPC.captureShown);
  }

  /** Hides it and gives focus back to whatever the user was in before. */
  hide(): void {
    if (!this.win.isVisible()) return;
    if (process.platform === 'win32') this.win.minimize();
    this.win.hide();
    if (process.platform === 'darwin' && !this.mainWasFocused) app.hide();
  }
}

/** Lets windows close for real (set on before-quit). */
export function markQuitting(): void {
  quitting = true;
}

/** Whether a quit is under way (one that an unsaved edit called off is not). */
export function isQuitting(): boolean {
  return quitting;
}
