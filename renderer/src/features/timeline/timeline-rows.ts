import type { Entry } from '../../../../shared/domain/entry.ts';
import { startOfDay } from '../../lib/format.ts';

/**
 * A row of the timeline: a day's heading (`at` is its first entry's time; the label, "Today" or a
 * date, is made when the row is shown), or an entry with the index of its day's heading.
 */
export type Row = { type: 'day'; key: string; at: number } | { type: 'entry'; key: string; entry: Entry; heading: number };

/**
 * The timeline's rows for its entries (newest first), grouped by day. An entries array that grew in
 * place since the last call (a page appended: timeline.store.ts) has only its new entries made into
 * rows, pushed onto the same `rows` array; any other array is made into a new one. So a page costs
 * the rows of that page, however many were loaded before it, and `rows` is a new array exactly when
 * rows already there may have changed (what the virtualizer's keys are memoised on).
 */
export class TimelineRows {
  rows: Row[] = [];
  private items: readonly Entry[] | null = null;
  /** Entries of `items` made into rows so far. */
  private read = 0;
  private day = -1;

  update(items: readonly Entry[]): Row[] {
    if (items !== this.items || items.length < this.read) {
      this.items = items;
      this.rows = [];
      this.read = 0;
      this.day = -1;
    }
    const rows = this.rows;
    let heading = rows.length > 0 ? headingOf(rows, rows.length - 1) : -1;
    for (let i = this.read; i < items.length; i++) {
      const entry = items[i]!;
      const at = entry.createdAt;
      const d = startOfDay(at);
      if (d !== this.day) {
        this.day = d;
        heading = rows.length;
        rows.push({ type: 'day', key: `day-${d}`, at });
      }
      rows.push({ type: 'entry', key: entry.id, entry, heading });
    }
    this.read = items.length;
    return rows;
  }
}

/** The index of the heading of the day row `index` is in (itself for a heading). */
export function headingOf(rows: readonly Row[], index: number): number {
  const row = rows[index];
  return !row ? -1 : row.type === 'day' ? index : row.heading;
}
