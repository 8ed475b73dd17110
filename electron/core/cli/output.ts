/**
 * Human-readable output for the terminal. Journal text is untrusted (imports, hostile notes), so
 * every piece of it is made inert before it reaches a terminal: no escape sequence from a note can
 * move the cursor, change colours or rewrite what the user sees.
 */
import type { SnippetSegment } from '../../../shared/domain/search.ts';

export interface Style {
  /** ANSI styling allowed (stdout is a terminal and NO_COLOR is unset). */
  color: boolean;
}

/** C0 controls (except tab and newline), DEL, C1 controls, and bidi overrides that can reorder text. */
const UNSAFE_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  if (code === 0x7f) return '^?';
  return '\ufffd';
}

/** Multi-line text (a body): tabs and newlines kept, every other control character made visible. */
export function safeText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_RE, visible);
}

/** One-line text (a title, a tag, a snippet): line breaks and tabs become spaces. */
export function safeLine(text: string): string {
  return safeText(text).replace(/[\t\n]+/g, ' ');
}

/** Shortens to `max` characters (code points), with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

export function bold(text: string, style: Style): string {
  return style.color ? `\u001b[1m${text}\u001b[22m` : text;
}

export function dim(text: string, style: Style): string {
  return style.color ? `\u001b[2m${text}\u001b[22m` : text;
}

/**
 * Snippet segments with the matched ranges marked: bold+inverse on a terminal, «» elsewhere. With
 * `max`, the text is shortened to `max` characters (code points, the marks not counted) as `truncate`
 * does, before it is marked: a cut never falls inside a mark or leaves one open.
 */
export function markSegments(segments: readonly SnippetSegment[], style: Style, max = Infinity): string {
  let pieces = segments.map((s) => ({ chars: [...safeLine(s.text)], match: s.match }));
  const length = pieces.reduce((n, p) => n + p.chars.length, 0);
  const cut = length > max;
  if (cut) {
    let room = Math.max(0, max - 1); // one for the ellipsis
    pieces = pieces.map((p) => {
      const chars = p.chars.slice(0, room);
      room -= chars.length;
      return { chars, match: p.match };
    });
    // As truncate does: no space before the ellipsis.
    for (let i = pieces.length - 1; i >= 0; i--) {
      const piece = pieces[i]!;
      while (piece.chars.length && /\s/.test(piece.chars[piece.chars.length - 1]!)) piece.chars.pop();
      if (piece.chars.length) break;
    }
  }
  const marked = pieces
    .map((p) => {
      const text = p.chars.join('');
      if (!p.match || !text) return text;
      return style.color ? `\u001b[1;7m${text}\u001b[22;27m` : `«${text}»`;
    })
    .join('');
  return cut ? `${marked}…` : marked;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local date and time, `YYYY-MM-DD HH:MM`. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * A whole number with thousands separators, `12,345`. Not toLocaleString: its first call loads ICU,
 * ~20 ms added to a command that otherwise answers in well under 100 ms.
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Display width of a string without ANSI sequences (one column per code point; good enough here). */
function width(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** Rows of cells aligned into columns; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], gap = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell))))
      .join(gap)
      .trimEnd(),
  );
}

/** One line, single-spaced, control characters made visible: for the one-line error on stderr. */
export function oneLine(message: string, max = 500): string {
  return truncate(safeLine(message).replace(/\s+/g, ' ').trim(), max);
}
