/** Dates and numbers for people, through Intl (the user's own locale). */

const DAY_MS = 86_400_000;

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayYearFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const dateFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const numberFmt = new Intl.NumberFormat();

export function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function formatTime(ms: number): string {
  return timeFmt.format(ms);
}

/** "Today", "Yesterday", or "Monday, 24 November" (with the year when it is not this year). */
export function formatDay(ms: number, now = Date.now()): string {
  const diffDays = Math.round((startOfDay(now) - startOfDay(ms)) / DAY_MS);
  if (diffDays === 0 || diffDays === 1) return capitalise(relFmt.format(-diffDays, 'day'));
  return new Date(ms).getFullYear() === new Date(now).getFullYear() ? dayFmt.format(ms) : dayYearFmt.format(ms);
}

export function formatDate(ms: number): string {
  return dateFmt.format(ms);
}

export function formatDateTime(ms: number): string {
  return dateTimeFmt.format(ms);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago", "yesterday", "just now". */
export function formatRelative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relFmt.format(Math.round(diff / size), unit);
  }
  return 'just now';
}

export function formatNumber(n: number): string {
  return numberFmt.format(n);
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${i === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[i]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** The platform's name for the command modifier, for hints. */
export const modKey = isMac ? '⌘' : 'Ctrl';
