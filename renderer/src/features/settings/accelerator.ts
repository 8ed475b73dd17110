/** Turns a key press into an Electron accelerator string, e.g. `CommandOrControl+Shift+Space`. */

const NAMED: Record<string, string> = {
  Space: 'Space',
  Enter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  Backquote: '`',
};

export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** The accelerator for a key press, or null while only modifiers are down or without a modifier. */
export function acceleratorFromEvent(e: KeyPress, mac: boolean): string | null {
  let key: string | undefined;
  if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3);
  else if (/^Digit\d$/.test(e.code)) key = e.code.slice(5);
  else if (/^F([1-9]|1\d|2[0-4])$/.test(e.code)) key = e.code;
  else if (/^Numpad\d$/.test(e.code)) key = `num${e.code.slice(6)}`;
  else key = NAMED[e.code];
  if (!key) return null;
  const parts: string[] = [];
  const command = mac ? e.metaKey : e.ctrlKey;
  if (command) parts.push('CommandOrControl');
  if (mac && e.ctrlKey) parts.push('Control');
  if (!mac && e.metaKey) parts.push('Super');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey) parts.push('Shift');
  const hasModifier = parts.some((p) => p !== 'Shift');
  if (!hasModifier && !/^F\d+$/.test(key)) return null;
  return [...parts, key].join('+');
}

/** How an accelerator reads on this platform: `Ctrl+Shift+Space` or `⌘⇧Space`. */
export function describeAccelerator(accelerator: string, mac: boolean): string {
  const parts = accelerator.split('+').map((p) => {
    switch (p) {
      case 'CommandOrControl':
      case 'CmdOrCtrl':
        return mac ? '⌘' : 'Ctrl';
      case 'Command':
      case 'Cmd':
        return '⌘';
      case 'Control':
      case 'Ctrl':
        return mac ? '⌃' : 'Ctrl';
      case 'Alt':
      case 'Option':
        return mac ? '⌥' : 'Alt';
      case 'Shift':
        return mac ? '⇧' : 'Shift';
      case 'Super':
      case 'Meta':
        return mac ? '⌘' : 'Super';
      default:
        return p;
    }
  });
  return mac ? parts.join('') : parts.join('+');
}
