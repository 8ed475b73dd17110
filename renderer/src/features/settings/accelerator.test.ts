import { describe, expect, it } from 'vitest';
import { acceleratorFromEvent, describeAccelerator } from './accelerator.ts';

const press = (code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('acceleratorFromEvent', () => {
  it('maps Ctrl+Shift+Space on Linux/Windows to the default accelerator', () => {
    expect(acceleratorFromEvent(press('Space', { ctrlKey: true, shiftKey: true }), false)).toBe('CommandOrControl+Shift+Space');
  });

  it('maps Cmd on macOS to CommandOrControl and keeps Control separate', () => {
    expect(acceleratorFromEvent(press('KeyN', { metaKey: true, altKey: true }), true)).toBe('CommandOrControl+Alt+N');
    expect(acceleratorFromEvent(press('KeyN', { ctrlKey: true }), true)).toBe('Control+N');
  });

  it('refuses a key without a modifier (it would swallow typing everywhere), except function keys', () => {
    expect(acceleratorFromEvent(press('KeyA'), false)).toBeNull();
    expect(acceleratorFromEvent(press('KeyA', { shiftKey: true }), false)).toBeNull();
    expect(acceleratorFromEvent(press('F9'), false)).toBe('F9');
  });

  it('waits while only modifiers are held', () => {
    expect(acceleratorFromEvent(press('ShiftLeft', { shiftKey: true }), false)).toBeNull();
    expect(acceleratorFromEvent(press('ControlLeft', { ctrlKey: true }), false)).toBeNull();
  });

  it('names arrows, digits and punctuation the way Electron expects', () => {
    expect(acceleratorFromEvent(press('ArrowUp', { altKey: true }), false)).toBe('Alt+Up');
    expect(acceleratorFromEvent(press('Digit7', { ctrlKey: true }), false)).toBe('CommandOrControl+7');
    expect(acceleratorFromEvent(press('Period', { ctrlKey: true }), false)).toBe('CommandOrControl+.');
  });
});

describe('describeAccelerator', () => {
  it('reads naturally on each platform', () => {
    expect(describeAccelerator('CommandOrControl+Shift+Space', false)).toBe('Ctrl+Shift+Space');
    expect(describeAccelerator('CommandOrControl+Shift+Space', true)).toBe('⌘⇧Space');
  });
});
