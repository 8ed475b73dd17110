/**
 * The shell's own small settings (window bounds, hotkey), kept in a JSON file in the data folder
 * next to the journal. Node only (no Electron) so it is tested in plain Node. Journal data never
 * goes here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HOTKEY } from '../../shared/api/shell.ts';

export const SHELL_SETTINGS_FILE = 'shell-settings.json';

const Bounds = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(150).max(20_000),
});
export type Bounds = z.infer<typeof Bounds>;

const ShellSettings = z.object({
  mainWindow: z.object({ bounds: Bounds, maximized: z.boolean().default(false) }).optional(),
  hotkey: z.string().min(1).max(100).default(DEFAULT_HOTKEY),
});
export type ShellSettings = z.infer<typeof ShellSettings>;

export function defaultShellSettings(): ShellSettings {
  return { hotkey: DEFAULT_HOTKEY };
}

/** Reads the settings; a missing, unreadable or malformed file gives the defaults (never throws). */
export function loadShellSettings(dataDir: string): ShellSettings {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dataDir, SHELL_SETTINGS_FILE), 'utf8')) as unknown;
    const parsed = ShellSettings.safeParse(raw);
    if (parsed.success) return parsed.data;
    // Keep what is valid, field by field, rather than losing the hotkey over a bad window size.
    const partial = (raw ?? {}) as Record<string, unknown>;
    const settings = defaultShellSettings();
    const hotkey = ShellSettings.shape.hotkey.safeParse(partial.hotkey);
    if (hotkey.success) settings.hotkey = hotkey.data;
    const mainWindow = ShellSettings.shape.mainWindow.safeParse(partial.mainWindow);
    if (mainWindow.success && mainWindow.data) settings.mainWindow = mainWindow.data;
    return settings;
  } catch {
    return defaultShellSettings();
  }
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves half a file. */
export function saveShellSettings(dataDir: string, settings: ShellSettings): void {
  const valid = ShellSettings.parse(settings);
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SHELL_SETTINGS_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Remembered bounds are only reused when enough of the window (100×50 px of its title area) is on
 * one of the current displays: a monitor unplugged since must not leave the window off-screen.
 */
export function boundsAreVisible(bounds: Rect, workAreas: readonly Rect[]): boolean {
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, 50) };
  return workAreas.some((area) => {
    const w = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
    const h = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
    return w >= Math.min(100, bounds.width) && h >= Math.min(30, titleBar.height);
  });
}

/** Centres a window of `size` in a display's work area (for the capture window, on the cursor's display). */
export function centreIn(area: Rect, size: { width: number; height: number }): { x: number; y: number } {
  return {
    x: Math.round(area.x + (area.width - size.width) / 2),
    // A little above the middle, where a command palette sits.
    y: Math.round(area.y + Math.max(0, (area.height - size.height) / 3)),
  };
}
