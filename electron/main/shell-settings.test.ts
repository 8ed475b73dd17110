import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { DEFAULT_HOTKEY } from '../../shared/api/shell.ts';
import { SHELL_SETTINGS_FILE, boundsAreVisible, centreIn, loadShellSettings, saveShellSettings } from './shell-settings.ts';


describe('shell settings file', () => {
  it('gives the default hotkey when there is no file', () => {
    expect(loadShellSettings(tempDir())).toEqual({ hotkey: DEFAULT_HOTKEY });
  });

  it('remembers window bounds and the hotkey across launches', () => {
    const dir = tempDir();
    saveShellSettings(dir, { hotkey: 'Alt+Shift+O', mainWindow: { bounds: { x: 40, y: 60, width: 1280, height: 800 }, maximized: true } });
    expect(loadShellSettings(dir)).toEqual({ hotkey: 'Alt+Shift+O', mainWindow: { bounds: { x: 40, y: 60, width: 1280, height: 800 }, maximized: true } });
    expect(fs.readdirSync(dir)).toEqual([SHELL_SETTINGS_FILE]);
  });

  it('falls back to defaults on a corrupt file and keeps the valid fields of a damaged one', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SHELL_SETTINGS_FILE), '{"hotkey": "Alt+');
    expect(loadShellSettings(dir)).toEqual({ hotkey: DEFAULT_HOTKEY });
    fs.writeFileSync(path.join(dir, SHELL_SETTINGS_FILE), JSON.stringify({ hotkey: 'Alt+K', mainWindow: { bounds: { x: 'left' } } }));
    expect(loadShellSettings(dir)).toEqual({ hotkey: 'Alt+K' });
  });

  it('refuses to save nonsense', () => {
    expect(() => saveShellSettings(tempDir(), { hotkey: '' })).toThrow();
  });
});

describe('window placement', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 900 };
  const external = { x: 1440, y: 0, width: 2560, height: 1440 };

  it('reuses bounds that are on a display, even a second one', () => {
    expect(boundsAreVisible({ x: 100, y: 100, width: 1200, height: 800 }, [laptop])).toBe(true);
    expect(boundsAreVisible({ x: 2000, y: 200, width: 1200, height: 800 }, [laptop, external])).toBe(true);
  });

  it('drops bounds left on a display that is gone', () => {
    expect(boundsAreVisible({ x: 2000, y: 200, width: 1200, height: 800 }, [laptop])).toBe(false);
    expect(boundsAreVisible({ x: -1190, y: 10, width: 1200, height: 800 }, [laptop])).toBe(false);
  });

  it('centres the capture window horizontally in the display, a little above the middle', () => {
    expect(centreIn(external, { width: 640, height: 300 })).toEqual({ x: 1440 + 960, y: 380 });
    expect(centreIn(laptop, { width: 640, height: 300 })).toEqual({ x: 400, y: 200 });
  });
});
