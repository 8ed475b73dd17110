import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../../shared/domain/entry.ts';
import { startOfDay } from '../../lib/format.ts';
import { headingOf, TimelineRows, type Row } from './timeline-rows.ts';

const HOUR = 3_600_000;
const NOW = new Date(2026, 2, 9, 23, 30).getTime();

/** Notes newest first, `hoursApart` apart, counting entry reads of `createdAt` into `reads.n`. */
function notes(count: number, hoursApart: number, reads = { n: 0 }): Entry[] {
  return Array.from({ length: count }, (_, i) => {
    const at = NOW - i * hoursApart * HOUR;
    const entry = { id: `e${i}`, kind: 'note', title: '', body: `Note ${i}`, tags: [], deletedAt: null, source: 'typed', updatedAt: at } as unknown as Entry;
    Object.defineProperty(entry, 'createdAt', {
      enumerable: true,
      get: () => {
        reads.n++;
        return at;
      },
    });
    return entry;
  });
}

/** The rows as one would write them out: headings as their day, entries as their id and heading. */
function describeRows(rows: readonly Row[]): string[] {
  return rows.map((r, i) => (r.type === 'day' ? `day ${new Date(startOfDay(r.at)).toDateString()}` : `${r.key} under ${headingOf(rows, i)}`));
}

describe('TimelineRows', () => {
  it('groups entries under a heading per day, each entry knowing its heading', () => {
    const rows = new TimelineRows().update(notes(6, 5));
    // 23:30, 18:30, 13:30, 8:30, 3:30 on the 9th; 22:30 on the 8th.
    expect(describeRows(rows)).toEqual([
      `day ${new Date(2026, 2, 9).toDateString()}`,
      'e0 under 0',
      'e1 under 0',
      'e2 under 0',
      'e3 under 0',
      'e4 under 0',
      `day ${new Date(2026, 2, 8).toDateString()}`,
      'e5 under 6',
    ]);
    expect(headingOf(rows, 7)).toBe(6);
    expect(headingOf(rows, 6)).toBe(6);
    expect(headingOf(rows, 99)).toBe(-1);
  });

  it('extends the same rows for entries appended in place, as built at once, reading only the new entries', () => {
    const reads = { n: 0 };
    const all = notes(1_000, 1, reads);
    const items: Entry[] = [];
    const maker = new TimelineRows();
    let rows: Row[] = maker.update(items);
    // Pages of 100 hourly notes: most pages end partway through a day.
    for (let page = 0; page < 10; page++) {
      const readsBefore = reads.n;
      items.push(...all.slice(page * 100, page * 100 + 100));
      const next = maker.update(items);
      expect(reads.n - readsBefore, `page ${page + 1}`).toBe(100);
      if (page > 0) expect(next, 'the same array, grown').toBe(rows);
      rows = next;
    }
    expect(describeRows(rows)).toEqual(describeRows(new TimelineRows().update(all)));
    // No day has two headings, though pages split days.
    expect(new Set(rows.filter((r) => r.type === 'day').map((r) => r.key)).size).toBe(rows.filter((r) => r.type === 'day').length);
  });

  it('builds new rows for any other change: an entry put on top, one removed', () => {
    const items = notes(50, 2);
    const maker = new TimelineRows();
    const rows = maker.update(items);
    expect(maker.update(items), 'nothing new: the same rows').toBe(rows);

    const removed = items.filter((e) => e.id !== 'e3');
    const afterRemove = maker.update(removed);
    expect(afterRemove).not.toBe(rows);
    expect(describeRows(afterRemove)).toEqual(describeRows(new TimelineRows().update(removed)));

    const [top] = notes(1, 1);
    const added = [{ ...top!, id: 'new', createdAt: NOW + 2 * 24 * HOUR }, ...removed];
    const afterAdd = maker.update(added);
    expect(afterAdd).not.toBe(afterRemove);
    expect(afterAdd[0]).toMatchObject({ type: 'day', at: NOW + 2 * 24 * HOUR });
    expect(afterAdd[1]).toMatchObject({ type: 'entry', key: 'new', heading: 0 });
    expect(describeRows(afterAdd)).toEqual(describeRows(new TimelineRows().update(added)));
  });
});
