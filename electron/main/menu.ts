/**
 * The application menu: standard roles plus the app's own commands, each sent to the renderer
 * (onCommand). Desktop-style shortcuts (Ctrl/Cmd+N, +1…4, +,) are registered here; Ctrl/Cmd+K is
 * only shown, because the renderer handles it itself in both Electron and browser mode.
 */
import { Menu, app, type MenuItemConstructorOptions } from 'electron';
import type { ShellCommand } from '../../shared/api/shell.ts';

export interface MenuActions {
  command(command: ShellCommand): void;
  quickCapture(): void;
  showDataFolder(): void;
}

export function buildAppMenu(actions: MenuActions, hotkey: string): Menu {
  const mac = process.platform === 'darwin';
  const cmd = (label: string, command: ShellCommand, accelerator: string, registerAccelerator = true): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator,
    click: () => actions.command(command),
  });
  const settings = cmd(mac ? 'Settings…' : 'Settings', 'settings', 'CommandOrControl+,');

  const template: MenuItemConstructorOptions[] = [
    ...(mac
      ? [
          {
            role: 'appMenu',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              settings,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: 'File',
      submenu: [
        cmd('New note', 'new-note', 'CommandOrControl+N'),
        { label: 'Quick capture', accelerator: hotkey, registerAccelerator: false, click: () => actions.quickCapture() },
        { type: 'separator' },
        ...(mac ? [] : [settings, { type: 'separator' } satisfies MenuItemConstructorOptions]),
        { label: 'Show journal folder', click: () => actions.showDataFolder() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        cmd('Search', 'search', 'CommandOrControl+K', false),
        { type: 'separator' },
        cmd('Timeline', 'timeline', 'CommandOrControl+1'),
        cmd('People', 'people', 'CommandOrControl+2'),
        cmd('Bookmarks', 'bookmarks', 'CommandOrControl+3'),
        cmd('Questions', 'questions', 'CommandOrControl+4'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] satisfies MenuItemConstructorOptions[]),
      ],
    },
    { role: 'windowMenu' },
    ...(mac ? [] : [{ role: 'help', submenu: [{ role: 'about' }] } satisfies MenuItemConstructorOptions]),
  ];
  return Menu.buildFromTemplate(template);
}
