/**
 * Dates as people write them where a search or a list is bounded by date (`after:`, `before:`,
 * `outloud list --since/--until`): one grammar for every front door, read here without a clock or a
 * time zone. Which instants a date covers depends on both, and is worked out by the core
 * (electron/core/search/date-periods.ts).
 *
 *   2014-05-01, 2014-05, 2014   a calendar day, month or year (years from 1000)
 *   today, yesterday            the day it is, the one before
 *   3d, 2w, 6m, 1y              the day 3 days, 2 weeks, 6 months, 1 year ago (0-9999 of each; a
 *                               month or a year back from the 31st or from 29 February lands on the
 *                               last day of a shorter month)
 *
 * Letters in any case. Nothing else: `last week` has a space (it would be two words of a query), and
 * a language of its own (`2 weeks ago`, `last friday`) would read differently in every language.
 */

export type CalendarUnit = 'day' | 'month' | 'year';
export type AgoUnit = 'd' | 'w' | 'm' | 'y';

/** A calendar date as written: a day, a month or a year. */
export interface CalendarDate {
  type: 'calendar';
  year: number;
  /** 1..12; 1 for a year. */
  month: number;
  /** 1..31; 1 for a month or a year. */
  day: number;
  unit: CalendarUnit;
}

/** A day counted back from today: `today` is 0 days ago, `yesterday` 1. */
export interface DaysAgo {
  type: 'ago';
  count: number;
  unit: AgoUnit;
}

export type DateWords = CalendarDate | DaysAgo;

const CALENDAR_RE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;
const AGO_RE = /^(\d{1,4})([dwmy])$/i;

/** Days in a month of the Gregorian calendar (`month` 1..12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * What a date bound says, or null when it is none of the forms above (or no real date: 2014-02-30,
 * 2014-13). Years before 1000 are refused: `new Date(y, m, d)` takes years 0..99 for 1900..1999.
 */
export function readDateWords(text: string): DateWords | null {
  const calendar = CALENDAR_RE.exec(text);
  if (calendar) {
    const year = Number(calendar[1]);
    const month = calendar[2] === undefined ? 1 : Number(calendar[2]);
    const day = calendar[3] === undefined ? 1 : Number(calendar[3]);
    if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    const unit: CalendarUnit = calendar[3] !== undefined ? 'day' : calendar[2] !== undefined ? 'month' : 'year';
    return { type: 'calendar', year, month, day, unit };
  }
  const word = text.toLowerCase();
  if (word === 'today') return { type: 'ago', count: 0, unit: 'd' };
  if (word === 'yesterday') return { type: 'ago', count: 1, unit: 'd' };
  const ago = AGO_RE.exec(text);
  if (!ago) return null;
  return { type: 'ago', count: Number(ago[1]), unit: ago[2]!.toLowerCase() as AgoUnit };
}

/** The forms, for messages: what to write instead of a date that is not one. */
export const DATE_FORMS_HINT = 'YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, or 3d, 2w, 6m, 1y for days, weeks, months, years ago';
