/** The global quick-capture hotkey: registered at start, changeable, never lost on a refused change. */
import { globalShortcut } from 'electron';
import type { Result } from '../../shared/api/errors.ts';
import { checkAccelerator } from './trust.ts';

export class Hotkey {
  current: string;
  registered = false;
  private readonly onPress: () => void;

  constructor(accelerator: string, onPress: () => void) {
    this.current = accelerator;
    this.onPress = onPress;
  }

  /** Registers the saved hotkey; false when the OS refuses (another app holds it). */
  start(): boolean {
    this.registered = tryRegister(this.current, this.onPress);
    return this.registered;
  }

  /**
   * Switches to `next`. The new one is registered before the old one is released, so a refusal
   * leaves the old hotkey working, and the message says so.
   */
  change(next: unknown): Result<{ hotkey: string }> {
    const checked = checkAccelerator(next);
    if (!checked.ok) return { ok: false, error: { code: 'VALIDATION', message: checked.message } };
    const accelerator = checked.accelerator;
    if (accelerator === this.current && this.registered) return { ok: true, value: { hotkey: accelerator } };
    if (accelerator !== this.current && globalShortcut.isRegistered(accelerator)) {
      return { ok: false, error: { code: 'CONFLICT', message: `${accelerator} is already in use in Outloud.` } };
    }
    if (!tryRegister(accelerator, this.onPress)) {
      const keeping = this.registered ? `Keeping ${this.current}.` : `${this.current} is not active either.`;
      return {
        ok: false,
        error: { code: 'CONFLICT', message: `The system refused ${accelerator}: another app may be using it. ${keeping}` },
      };
    }
    if (this.registered && this.current !== accelerator) globalShortcut.unregister(this.current);
    this.current = accelerator;
    this.registered = true;
    return { ok: true, value: { hotkey: accelerator } };
  }

  stop(): void {
    if (this.registered) globalShortcut.unregister(this.current);
    this.registered = false;
  }
}

function tryRegister(accelerator: string, onPress: () => void): boolean {
  try {
    return globalShortcut.register(accelerator, onPress);
  } catch {
    // Electron throws on an accelerator it cannot parse.
    return false;
  }
}
