import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATE_TERMS_MAX, dateRangeExpression, FACET_MARK, facetText } from './facets.ts';

const utc = (iso: string) => Date.parse(iso);
const shown = (text: string | null) => text?.replaceAll(FACET_MARK, '~') ?? null;
/** The facet tokens an FTS5 expression of `dateRangeExpression` names (it has no prefix queries). */
const termsOf = (expression: string) => [...expression.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);

describe('date facets', () => {
  it('gives an entry the year and the month it was created in, in UTC', () => {
    const tokens = (iso: string) => shown(facetText({ kind: 'note', status: null, site: null, tags: [], createdAt: utc(iso) }));
    expect(tokens('2024-12-31T23:30:00Z')).toBe('~knote ~d2024 ~d202412');
    expect(tokens('2025-01-01T00:10:00+01:00')).toBe('~knote ~d2024 ~d202412'); // still 2024 in UTC
    expect(tokens('1970-01-01T00:00:00Z')).toBe('~knote ~d1970 ~d197001');
    expect(tokens('9999-12-31T23:59:59Z')).toBe('~knote ~d9999 ~d999912');
    // Written before date facets (migration 0002): no date tokens.
    expect(shown(facetText({ kind: 'note', status: null, site: null, tags: [] }))).toBe('~knote');
  });

  it('turns a range into whole years and the months at its ends, within the journal', () => {
    const span = { first: utc('2020-03-10T00:00:00Z'), last: utc('2026-11-20T00:00:00Z') };
    expect(shown(dateRangeExpression(utc('2024-01-01T00:00:00Z'), utc('2025-01-01T00:00:00Z'), span))).toBe('facets : "~d2024"');
    expect(shown(dateRangeExpression(utc('2024-11-15T00:00:00Z'), utc('2025-02-03T00:00:00Z'), span))).toBe(
      'facets : ("~d202411" OR "~d202412" OR "~d202501" OR "~d202502")',
    );
    // Open ends stop at the journal's first and last month, whose years are then taken whole.
    expect(shown(dateRangeExpression(utc('2025-02-01T00:00:00Z'), Infinity, span))).toBe(
      'facets : ("~d202502" OR "~d202503" OR "~d202504" OR "~d202505" OR "~d202506" OR "~d202507" OR "~d202508" OR "~d202509" OR "~d202510" OR "~d202511" OR "~d202512" OR "~d2026")',
    );
    expect(shown(dateRangeExpression(-Infinity, utc('2021-02-01T00:00:00Z'), span))).toBe('facets : ("~d2020" OR "~d202101")');
    // `before:` is exclusive: a range ending on the first of a month does not take that month.
    expect(shown(dateRangeExpression(utc('2024-03-05T00:00:00Z'), utc('2024-04-01T00:00:00Z'), span))).toBe('facets : "~d202403"');
  });

  it('gives nothing for an empty range, one outside the journal, or one that needs too many terms', () => {
    const span = { first: utc('2000-01-15T00:00:00Z'), last: utc('2026-11-20T00:00:00Z') };
    expect(dateRangeExpression(utc('2024-05-01T00:00:00Z'), utc('2024-05-01T00:00:00Z'), span)).toBeNull();
    expect(dateRangeExpression(utc('2024-05-01T00:00:00Z'), utc('2023-05-01T00:00:00Z'), span)).toBeNull();
    expect(dateRangeExpression(utc('2030-01-01T00:00:00Z'), Infinity, span)).toBeNull();
    expect(dateRangeExpression(-Infinity, Infinity, span)).toBeNull(); // 27 whole years
    expect(DATE_TERMS_MAX).toBeLessThan(27);
    expect(dateRangeExpression(utc('2016-02-01T00:00:00Z'), Infinity, span)?.split(' OR ')).toHaveLength(11 + 10); // 2017-2026 whole
    expect(dateRangeExpression(utc('2010-02-01T00:00:00Z'), Infinity, span)).toBeNull(); // 11 months + 16 years
  });

  it('never leaves out an entry the range keeps (property)', () => {
    const time = fc.integer({ min: utc('1990-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') });
    fc.assert(
      fc.property(fc.array(time, { minLength: 2, maxLength: 30 }), time, time, (times, a, b) => {
        const span = { first: Math.min(...times), last: Math.max(...times) };
        const [from, to] = a <= b ? [a, b] : [b, a];
        const expression = dateRangeExpression(from, to, span);
        const kept = times.filter((t) => t >= from && t < to);
        // Too many terms only for a range over three years long (at most 11 + 11 months and the years between).
        if (expression === null) return kept.length === 0 || Math.min(to, span.last) - Math.max(from, span.first) > 3 * 365 * 86_400_000;
        const terms = new Set(termsOf(expression));
        return kept.every((t) => facetText({ kind: 'note', status: null, site: null, tags: [], createdAt: t }).split(' ').some((token) => terms.has(token)));
      }),
    );
  });
});
