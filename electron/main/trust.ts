/**
 * Who the main process trusts, as pure functions (no Electron) so they are tested in plain Node:
 * which frames may call the contract over IPC, which links may leave the app, which hotkeys are sane.
 */

/** The renderer is served from `app://outloud/` (a privileged custom scheme, not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'outloud';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * True when `frameUrl` is our renderer: `app://outloud/...`, or in development the electron-vite
 * dev server's origin. Anything else (a navigated-away frame, an iframe from elsewhere, about:blank,
 * a file: URL) is refused.
 */
export function isTrustedRendererUrl(frameUrl: string | undefined | null, devServerUrl?: string): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:`) return url.host === APP_HOST && !url.username && !url.password;
  if (devServerUrl) {
    try {
      const dev = new URL(devServerUrl);
      return (dev.protocol === 'http:' || dev.protocol === 'https:') && url.origin === dev.origin;
    } catch {
      return false;
    }
  }
  return false;
}

const EXTERNAL_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Links allowed to leave the app through shell.openExternal: http, https and mailto only. */
export function isAllowedExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 8_192) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (!EXTERNAL_PROTOCOLS.has(url.protocol)) return false;
  // `https://bank.example@evil.example/` style links hide where they go; a note never needs them.
  if (url.username || url.password) return false;
  if (url.protocol !== 'mailto:' && !url.hostname) return false;
  return true;
}

/** The clipboard's text when it is exactly one http(s) URL (offered as a bookmark in quick capture). */
export function clipboardUrl(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed || /\s/.test(trimmed) || !/^https?:\/\//i.test(trimmed)) return null;
  return isAllowedExternalUrl(trimmed) ? trimmed : null;
}

const MODIFIERS = new Set([
  'command', 'cmd', 'control', 'ctrl', 'commandorcontrol', 'cmdorctrl', 'alt', 'option', 'altgr', 'shift', 'super', 'meta',
]);
const KEYS = new Set([
  ...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''),
  ...Array.from({ length: 24 }, (_, i) => `f${i + 1}`),
  ')', '!', '@', '#', '$', '%', '^', '&', '*', '(', ':', ';', '+', '=', '<', ',', '_', '-', '>', '.', '?', '/', '~', '`', '{', ']', '[', '|', '\\', '}', '"', "'",
  'plus', 'space', 'tab', 'capslock', 'numlock', 'scrolllock', 'backspace', 'delete', 'insert', 'return', 'enter',
  'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown', 'escape', 'esc', 'printscreen',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9', 'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
]);

/**
 * Checks the shape of an Electron accelerator before asking the OS: known modifiers and one key,
 * and at least one modifier unless the key is a function key (a bare letter as a global hotkey
 * would swallow that letter in every app).
 */
export function checkAccelerator(raw: unknown): { ok: true; accelerator: string } | { ok: false; message: string } {
  if (typeof raw !== 'string' || !raw.trim()) return { ok: false, message: 'Enter a shortcut, for example CommandOrControl+Shift+Space.' };
  if (raw.length > 100) return { ok: false, message: 'That shortcut is too long.' };
  const accelerator = raw.trim();
  // "Plus" is the key +; split on + that is not itself the last key.
  const parts = accelerator.endsWith('++') ? [...accelerator.slice(0, -2).split('+'), '+'] : accelerator.split('+');
  const key = parts.at(-1)?.trim().toLowerCase() ?? '';
  const modifiers = parts.slice(0, -1).map((p) => p.trim().toLowerCase());
  if (!KEYS.has(key)) return { ok: false, message: `"${accelerator}" does not end with a key Outloud knows.` };
  const unknown = modifiers.find((m) => !MODIFIERS.has(m));
  if (unknown !== undefined) return { ok: false, message: `"${unknown || '+'}" is not a modifier key (use CommandOrControl, Alt, Shift or Super).` };
  if (new Set(modifiers).size !== modifiers.length) return { ok: false, message: 'A modifier is repeated in that shortcut.' };
  if (modifiers.length === 0 && !/^f\d+$/.test(key)) {
    return { ok: false, message: 'A global shortcut needs a modifier key (CommandOrControl, Alt, Shift or Super).' };
  }
  return { ok: true, accelerator };
}
