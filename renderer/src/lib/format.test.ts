import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDay, formatRelative } from './format.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('formatRelative', () => {
  // Dates are the user's local ones: London has a 23-hour day on 29 March 2026.
  beforeEach(() => {
    vi.stubEnv('TZ', 'Europe/London');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  const at = (text: string) => new Date(text).getTime();

  it('counts whole minutes and hours passed, never "60 minutes" or "24 hours"', () => {
    const now = at('2026-03-04T12:00:00');
    expect(formatRelative(now - 30_000, now)).toBe('just now');
    expect(formatRelative(now - (59 * MINUTE + 40_000), now)).toBe('59 minutes ago');
    expect(formatRelative(now - HOUR, now)).toBe('1 hour ago');
    expect(formatRelative(now - (11 * HOUR + 50 * MINUTE), now)).toBe('11 hours ago');
  });

  it('says yesterday for the day before today, as the timeline heading does', () => {
    // 25 hours back, but the calendar day before: yesterday.
    const late = at('2026-03-04T23:30:00');
    const before = at('2026-03-03T00:30:00');
    expect(formatDay(before, late)).toBe('Yesterday');
    expect(formatRelative(before, late)).toBe('yesterday');
    // Two calendar days back, though only 25 hours.
    const early = at('2026-03-04T00:30:00');
    const twoBack = at('2026-03-02T23:30:00');
    expect(formatDay(twoBack, early)).not.toBe('Yesterday');
    expect(formatRelative(twoBack, early)).toBe('2 days ago');
    // Across a DST change (29 March 2026 has 23 hours in London).
    expect(formatRelative(at('2026-03-28T10:00:00'), at('2026-03-29T12:00:00'))).toBe('yesterday');
    expect(formatRelative(at('2026-03-27T10:00:00'), at('2026-03-29T12:00:00'))).toBe('2 days ago');
  });

  it('counts weeks, calendar months and years', () => {
    const now = at('2026-03-02T12:00:00');
    expect(formatRelative(at('2026-02-24T18:00:00'), now)).toBe('6 days ago');
    expect(formatRelative(at('2026-02-23T12:00:00'), now)).toBe('1 week ago');
    // 31 January to 2 March: one calendar month has passed (not "last month", which was February).
    expect(formatRelative(at('2026-01-31T12:00:00'), now)).toBe('1 month ago');
    expect(formatRelative(at('2025-03-03T12:00:00'), now)).toBe('11 months ago');
    expect(formatRelative(at('2024-12-31T12:00:00'), at('2026-01-01T12:00:00'))).toBe('1 year ago');
  });

  it('reads a time ahead of the clock as "in …"', () => {
    const now = at('2026-03-02T12:00:00');
    expect(formatRelative(now + 5 * MINUTE, now)).toBe('in 5 minutes');
    expect(formatRelative(at('2027-03-02T12:00:00'), now)).toBe('in 1 year');
  });
});
