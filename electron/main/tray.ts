/** Tray icon and menu: Quick capture, Open Outloud, Quit. */
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  quickCapture(): void;
  openMain(): void;
  quit(): void;
}

export interface AppTray {
  tray: Tray;
  /** The current context menu (the end-to-end tests read and click its items). */
  menu(): Menu;
  /** Rebuilds the menu, e.g. after the hotkey changed. */
  refresh(): void;
}

export function createTray(iconPath: string, actions: TrayActions, hotkey: () => string): AppTray {
  const image = nativeImage.createFromPath(iconPath);
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  tray.setToolTip('Outloud');
  let menu: Menu;
  const refresh = () => {
    menu = Menu.buildFromTemplate([
      // The hotkey is shown, not registered here: the global shortcut already handles it.
      { id: 'quick-capture', label: 'Quick capture', accelerator: hotkey(), registerAccelerator: false, click: () => actions.quickCapture() },
      { id: 'open', label: 'Open Outloud', click: () => actions.openMain() },
      { type: 'separator' },
      { id: 'quit', label: 'Quit Outloud', click: () => actions.quit() },
    ]);
    tray.setContextMenu(menu);
  };
  refresh();
  // Windows and most Linux trays: a click on the icon opens the app (the menu is on right-click).
  if (process.platform !== 'darwin') tray.on('click', () => actions.openMain());
  return { tray, menu: () => menu, refresh };
}
