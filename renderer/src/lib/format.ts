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

const countFmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'always' });

/** Whole calendar months from `a` to `b` (b later), counting a month only once its day is reached. */
function monthsBetween(a: Date, b: Date): number {
  const months = (b.getFullYear() - a.getFullYear()) * 12 + (b.getMonth() - a.getMonth());
  return b.getDate() < a.getDate() ? months - 1 : months;
}

/**
 * "just now", "5 minutes ago", "3 hours ago", then by the calendar: "yesterday" (the day before
 * today, as the timeline's headings say), "3 days ago", "2 weeks ago", "4 months ago", "2 years ago".
 * Each count is of whole units passed (59 minutes stays "59 minutes ago" until the hour). A time
 * ahead of the clock (a save on a machine whose clock ran ahead) reads "in …" the same way.
 */
export function formatRelative(ms: number, now = Date.now()): string {
  const ahead = ms > now;
  const [from, to] = ahead ? [ms, now] : [now, ms];
  const sign = ahead ? 1 : -1;
  const elapsed = from - to;
  if (elapsed < 60_000) return 'just now';
  if (elapsed < 3_600_000) return relFmt.format(sign * Math.floor(elapsed / 60_000), 'minute');
  const days = Math.round((startOfDay(from) - startOfDay(to)) / DAY_MS);
  if (elapsed < DAY_MS && days <= 1) return relFmt.format(sign * Math.floor(elapsed / 3_600_000), 'hour');
  if (days === 1) return relFmt.format(sign, 'day');
  if (days < 7) return countFmt.format(sign * days, 'day');
  const months = monthsBetween(new Date(to), new Date(from));
  if (months < 1) return countFmt.format(sign * Math.floor(days / 7), 'week');
  if (months < 12) return countFmt.format(sign * months, 'month');
  return countFmt.format(sign * Math.floor(months / 12), 'year');
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
