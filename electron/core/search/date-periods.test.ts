import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDateWords } from '../../../shared/domain/dates.ts';
import { readPeriod } from './date-periods.ts';

const HOUR = 3_600_000;
const ZONES = ['UTC', 'Europe/Amsterdam', 'America/Los_Angeles', 'Pacific/Auckland', 'Pacific/Apia', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe'];

/** The calendar day at `time` in `timeZone` as YYYY-MM-DD, by Intl (not the code under test). */
function dayIn(time: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(time);
}

/** `ymd` moved by `days` whole days on the calendar. */
function shift(ymd: string, days: number): string {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) + days * 24 * HOUR).toISOString().slice(0, 10);
}

function withZone<T>(zone: string, run: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('dates as people write them', () => {
  it('reads calendar days, months and years as local periods', () => {
    expect(readPeriod('2014-05-01')).toEqual({ start: new Date(2014, 4, 1).getTime(), end: new Date(2014, 4, 2).getTime() });
    expect(readPeriod('2014-5-1')).toEqual(readPeriod('2014-05-01'));
    expect(readPeriod('2014-05')).toEqual({ start: new Date(2014, 4, 1).getTime(), end: new Date(2014, 5, 1).getTime() });
    expect(readPeriod('2014-12')).toEqual({ start: new Date(2014, 11, 1).getTime(), end: new Date(2015, 0, 1).getTime() });
    expect(readPeriod('2014')).toEqual({ start: new Date(2014, 0, 1).getTime(), end: new Date(2015, 0, 1).getTime() });
    expect(readPeriod('2024-02-29', { timeZone: 'Asia/Kolkata' })).toEqual({ start: Date.parse('2024-02-28T18:30:00Z'), end: Date.parse('2024-02-29T18:30:00Z') });
  });

  it('counts today, yesterday and 3d, 2w, 6m, 1y back from now, in the given zone', () => {
    // 23:30 on Friday 27 November in UTC is already Saturday the 28th in Auckland (UTC+13).
    const now = Date.parse('2026-11-27T23:30:00Z');
    const day = (text: string, timeZone: string) => {
      const p = readPeriod(text, { now, timeZone });
      return p && dayIn(p.start, timeZone);
    };
    expect(day('today', 'UTC')).toBe('2026-11-27');
    expect(day('today', 'Pacific/Auckland')).toBe('2026-11-28');
    expect(day('today', 'America/Los_Angeles')).toBe('2026-11-27');
    expect(day('yesterday', 'Pacific/Auckland')).toBe('2026-11-27');
    expect(day('0d', 'UTC')).toBe('2026-11-27');
    expect(day('3d', 'UTC')).toBe('2026-11-24');
    expect(day('2w', 'UTC')).toBe('2026-11-13');
    expect(day('6m', 'UTC')).toBe('2026-05-27');
    expect(day('1y', 'UTC')).toBe('2025-11-27');
    expect(day('30d', 'UTC')).toBe('2026-10-28');
    expect(day('TODAY', 'UTC')).toBe('2026-11-27');
    expect(day('7D', 'UTC')).toBe('2026-11-20');
    expect(readPeriod('today', { now, timeZone: 'Pacific/Auckland' })).toEqual(readPeriod('2026-11-28', { timeZone: 'Pacific/Auckland' }));
  });

  it('lands a month or a year back from a longer month on the last day of the shorter one', () => {
    const on = (ymd: string, text: string) => {
      const p = readPeriod(text, { now: Date.parse(`${ymd}T12:00:00Z`), timeZone: 'UTC' });
      return p && dayIn(p.start, 'UTC');
    };
    expect(on('2026-03-31', '1m')).toBe('2026-02-28');
    expect(on('2028-03-31', '1m')).toBe('2028-02-29');
    expect(on('2026-05-31', '1m')).toBe('2026-04-30');
    expect(on('2028-02-29', '1y')).toBe('2027-02-28');
    expect(on('2028-02-29', '4y')).toBe('2024-02-29');
    expect(on('2026-01-15', '1m')).toBe('2025-12-15');
    expect(on('2026-01-15', '13m')).toBe('2024-12-15');
    expect(on('2026-03-01', '1d')).toBe('2026-02-28');
  });

  it('gives a day its local length: 23 or 25 hours where clocks change, none for a day a zone skipped', () => {
    const amsterdam = { timeZone: 'Europe/Amsterdam' };
    const length = (p: ReturnType<typeof readPeriod>) => p && (p.end - p.start) / HOUR;
    expect(length(readPeriod('2026-03-29', amsterdam))).toBe(23);
    expect(length(readPeriod('2026-10-25', amsterdam))).toBe(25);
    expect(length(readPeriod('today', { ...amsterdam, now: Date.parse('2026-03-29T12:00:00Z') }))).toBe(23);
    // Samoa went from 29 to 31 December 2011: the 30th begins, and ends, where the 31st begins.
    const apia = { timeZone: 'Pacific/Apia' };
    expect(readPeriod('2011-12-30', apia)).toEqual({ start: readPeriod('2011-12-31', apia)!.start, end: readPeriod('2011-12-31', apia)!.start });
    expect(readPeriod('2011-12-29', apia)!.end).toBe(readPeriod('2011-12-31', apia)!.start);
    withZone('Pacific/Apia', () => expect(readPeriod('2011-12-30')!.start).toBe(new Date(2011, 11, 31).getTime()));
  });

  it('uses this process zone for a zone this runtime does not know', () => {
    withZone('Asia/Kolkata', () => {
      expect(readPeriod('2026-11-27', { timeZone: 'Mars/Olympus_Mons' })).toEqual(readPeriod('2026-11-27'));
      const now = Date.parse('2026-11-27T20:00:00Z'); // already the 28th in Kolkata
      expect(readPeriod('today', { now, timeZone: 'Mars/Olympus_Mons' })).toEqual(readPeriod('2026-11-28'));
    });
  });

  it('refuses what is not one of its forms, and days before the year 1000', () => {
    const refused = ['', ' ', 'last week', 'lastweek', '7 d', '-3d', '+3d', '3h', '1.5d', '3dd', 'd', '12345d', '3days', 'tomorrow', '2014-02-30', '2014-13', '2014-00-01', '0999', '999-01-01', '2014-05-01T10:00', '٢٠١٤', '２０１４', '3ｄ'];
    expect(refused.filter((t) => readDateWords(t) !== null || readPeriod(t, { now: 0 }) !== null)).toEqual([]);
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(readDateWords('9999y')).toEqual({ type: 'ago', count: 9999, unit: 'y' });
    expect(readPeriod('9999y', { now })).toBeNull();
    expect(readPeriod('1027y', { now })).toBeNull();
    expect(dayIn(readPeriod('1026y', { now, timeZone: 'UTC' })?.start ?? NaN, 'UTC')).toBe('1000-11-27');
    expect(readPeriod('9999m', { now })).not.toBeNull(); // 833 years back: year 1193
    expect(readPeriod('9999d', { now })).not.toBeNull();
  });

  it('agrees with the calendar for any moment in any zone (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2100-01-01') }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 9999 }),
        (now, timeZone, n) => {
          const options = { now, timeZone };
          const today = readPeriod('today', options)!;
          // Today holds now, and is the calendar day Intl says it is; yesterday ends where it begins.
          expect(today.start).toBeLessThanOrEqual(now);
          expect(now).toBeLessThan(today.end);
          expect(dayIn(today.start, timeZone)).toBe(dayIn(now, timeZone));
          expect(readPeriod('yesterday', options)!.end).toBe(today.start);
          // n days back is that calendar day, written out; n weeks is 7n days.
          const back = shift(dayIn(now, timeZone), -n);
          expect(readPeriod(`${n}d`, options)).toEqual(readPeriod(back, { timeZone }));
          if (n <= 1400) expect(readPeriod(`${n}w`, options)).toEqual(readPeriod(`${7 * n}d`, options));
          // n months back: the same day of the month, or the last of a shorter month.
          const m = readPeriod(`${n % 240}m`, options)!;
          if (m.end === m.start) return; // a day the zone skipped (Samoa, 30 December 2011)
          const [y0, m0, d0] = dayIn(now, timeZone).split('-').map(Number) as [number, number, number];
          const [y1, m1, d1] = dayIn(m.start, timeZone).split('-').map(Number) as [number, number, number];
          expect(y0 * 12 + m0 - (y1 * 12 + m1)).toBe(n % 240);
          expect(d1 === d0 || (d1 < d0 && shift(dayIn(m.start, timeZone), 1).endsWith('-01'))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
