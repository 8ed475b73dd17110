/**
 * The pace of long writes done in batches (an import, emptying the trash): each batch one short
 * transaction, the write lock left free a moment between two, and each batch after the first sized
 * from how long the last one took, on a fast machine as on a slow one.
 */

/**
 * How long one batch's transaction should hold the journal's write lock: a note the app saves
 * meanwhile waits about this long. As few transactions as that allows: each commit writes out a
 * segment of the full-text index and waits for the disk.
 */
export const BATCH_TARGET_MS = 200;

/**
 * How long the write lock stays free between two batches at least. Another process saving one note at
 * a time all through an import of 20,000 entries waited at most 140-240 ms for a save with 20 ms
 * (110-120 ms with 30, for 4% less speed); with a 10 ms pause after each commit and the batch read
 * after it, 340-940 ms: SQLite's busy handler polls only every 25-100 ms once it has waited a while
 * (tests/bench/diagnose-import.ts --beside measures it; measured again later, 115-340 ms, median 139 of
 * nine runs, and 119-341 ms beside an import of 100,000; `npm run bench` has it as a row).
 */
export const LOCK_FREE_MS = 20;

/** The size of the next batch, from the size of the last and how long its transaction took, within `bounds`. */
export function nextBatchSize(size: number, ms: number, bounds: { readonly min: number; readonly max: number }): number {
  const next = ms > 0 ? Math.round((size * BATCH_TARGET_MS) / ms) : bounds.max;
  return Math.min(bounds.max, Math.max(bounds.min, next));
}
