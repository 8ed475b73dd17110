/**
 * Ids as people type and read them. Ids are time-ordered, so entries made close together share
 * their first characters: a short id is the shortest prefix that is unique in this journal now,
 * and an id given on the command line may be any unique prefix of at least MIN_PREFIX characters.
 */
import type { Db } from '../db/connection.ts';
import { Id } from '../../../shared/api/schemas.ts';
import { CliError, EXIT_FAILURE, usageError } from './context.ts';

export const MIN_PREFIX = 4;
export const MIN_SHORT_ID = 7;

// Ids use [A-Za-z0-9_-]; DEL sorts after all of them, so `prefix + DEL` bounds the range.
const AFTER_ID_CHARS = '\u007f';

function idsWithPrefix(db: Db, prefix: string): string[] {
  return (
    db.prepare('SELECT id FROM entries WHERE id >= ? AND id < ? ORDER BY id LIMIT 6').all(prefix, prefix + AFTER_ID_CHARS) as Array<{ id: string }>
  ).map((r) => r.id);
}

/** The full id for an id or a unique prefix of one (trashed entries included). */
export function resolveId(db: Db, text: string): string {
  const given = text.trim();
  if (!Id.safeParse(given).success) throw usageError(`Not an entry id: ${JSON.stringify(text.slice(0, 80))}`);
  if (db.prepare('SELECT 1 FROM entries WHERE id = ?').get(given)) return given;
  if (given.length < MIN_PREFIX) throw new CliError(`No entry with id ${given} (a short id needs at least ${MIN_PREFIX} characters)`, EXIT_FAILURE);
  let matches = idsWithPrefix(db, given);
  if (matches.length === 0 && given !== given.toLowerCase()) matches = idsWithPrefix(db, given.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new CliError(`No entry with id ${given}`, EXIT_FAILURE);
  const shown = matches.slice(0, 5).join(', ');
  throw new CliError(`The id ${given} is ambiguous: it matches ${shown}${matches.length > 5 ? ', …' : ''}; give more characters`, EXIT_FAILURE);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** One prefix length that makes every one of `ids` unique in the journal (so short ids line up). */
export function shortIdLength(db: Db, ids: readonly string[]): number {
  const before = db.prepare('SELECT max(id) AS id FROM entries WHERE id < ?');
  const after = db.prepare('SELECT min(id) AS id FROM entries WHERE id > ?');
  let length = MIN_SHORT_ID;
  for (const id of ids) {
    const prev = (before.get(id) as { id: string | null }).id;
    const next = (after.get(id) as { id: string | null }).id;
    const needed = Math.max(prev ? commonPrefix(id, prev) : 0, next ? commonPrefix(id, next) : 0) + 1;
    length = Math.max(length, Math.min(needed, id.length));
  }
  return length;
}

/** A function from id to its short form, for one listing. */
export function shortener(db: Db, ids: readonly string[]): (id: string) => string {
  const length = shortIdLength(db, ids);
  return (id) => id.slice(0, length);
}
