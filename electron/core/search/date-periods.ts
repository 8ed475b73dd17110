/**
 * The instants a date bound covers (shared/domain/dates.ts has the forms): a calendar day, month or
 * year, or a day counted back from today, from the first millisecond of its first local day to the
 * first of the day after it. Local in `timeZone` (an IANA name: a browser may be in another zone than
 * the process that searches), else in this process's zone; "today" is the day `now` falls on there.
 */
import { TZDate } from '@date-fns/tz';
import { daysInMonth, readDateWords, type DateWords } from '../../../shared/domain/dates.ts';

export interface Period {
  /** The first millisecond. */
  start: number;
  /** The first millisecond after it. */
  end: number;
}

export interface PeriodOptions {
  timeZone?: string;
  /** The time `today`, `3d` and the like count back from; unset: the clock. */
  now?: number;
}

interface Day {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
}

/** The period `text` names, or null when it names none (see readDateWords). */
export function readPeriod(text: string, options: PeriodOptions = {}): Period | null {
  const words = readDateWords(text);
  return words ? periodOf(words, options) : null;
}

/** The period of a date as read; null for a day counted back past the year 1000. */
export function periodOf(words: DateWords, options: PeriodOptions = {}): Period | null {
  let first: Day;
  let next: Day;
  if (words.type === 'calendar') {
    first = { year: words.year, month: words.month, day: words.day };
    next = words.unit === 'day' ? addDays(first, 1) : words.unit === 'month' ? addMonths(first, 1) : { year: first.year + 1, month: 1, day: 1 };
  } else {
    const today = dayAt(options.now ?? Date.now(), options.timeZone);
    const n = words.count;
    first = words.unit === 'd' ? addDays(today, -n) : words.unit === 'w' ? addDays(today, -7 * n) : addMonths(today, words.unit === 'm' ? -n : -12 * n);
    if (first.year < 1000) return null;
    next = addDays(first, 1);
  }
  return { start: startOfDay(first, options.timeZone), end: startOfDay(next, options.timeZone) };
}

/** The calendar day `days` after `d` (before it when negative). */
function addDays(d: Day, days: number): Day {
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day + days); // setUTCFullYear: a year below 100 stays itself
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The same day `months` later (earlier when negative), or the last day of a shorter month. */
function addMonths(d: Day, months: number): Day {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** The local calendar day at `time`. A zone this runtime does not know: this process's own. */
function dayAt(time: number, timeZone: string | undefined): Day {
  const zoned = timeZone ? new TZDate(time, timeZone) : undefined;
  const d = zoned && !Number.isNaN(zoned.getFullYear()) ? zoned : new Date(time);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}

/**
 * The first millisecond of a local calendar day. A day the local clock skipped (Samoa's 30 December
 * 2011) begins where the next one does. A zone this runtime does not know (newer time zone data
 * elsewhere) gives NaN: then this process's zone.
 */
function startOfDay(d: Day, timeZone: string | undefined): number {
  const inZone = timeZone ? new TZDate(d.year, d.month - 1, d.day, timeZone).getTime() : NaN;
  return Number.isNaN(inZone) ? new Date(d.year, d.month - 1, d.day).getTime() : inZone;
}
