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
 * How long the write lock stays free between two batches at least (reading the next batch usually
 * takes longer than this already, so it seldom adds a wait). The app's saves look for the lock every
 * millisecond or two while they wait (writeTransaction), so they get in here; the longest a save
 * waited beside an import of 100,000 entries was the length of one batch's transaction, 131-140 ms
 * against 129-141 ms with 20 ms, and the import ran 8 % faster (19,191-20,006 entries/s against
 * 17,729-18,224, five interleaved runs each). With SQLite's own waiting, which looks every 100 ms
 * once it has waited a while, 20 ms had been needed, and was not always enough (a save could miss
 * every pause of a 3-second import). `npm run bench` measures it: tests/bench/beside.ts.
 */
export const LOCK_FREE_MS = 5;

/** The size of the next batch, from the size of the last and how long its transaction took, within `bounds`. */
export function nextBatchSize(size: number, ms: number, bounds: { readonly min: number; readonly max: number }): number {
  const next = ms > 0 ? Math.round((size * BATCH_TARGET_MS) / ms) : bounds.max;
  return Math.min(bounds.max, Math.max(bounds.min, next));
}
