import type { Migration } from './index.ts';
import { personKeys } from '../../../../shared/domain/text.ts';
import { setPersonNames } from '../entries.repo.ts';

/**
 * Person keys fold the letters search folds (`FOLDED_LETTERS` in shared/domain/text.ts: ø, ł, ß, æ
 * and the rest), so `@soren` is Søren, as `@jose` was already José. Every person's keys, trashed
 * ones too, are made again from their name and aliases.
 */
export const m0008PersonKeys: Migration = {
  version: 8,
  name: 'person-keys',
  up: '',
  run(db) {
    const people = db.prepare<[], { rowid: number; fields: string }>("SELECT rowid, fields FROM entries WHERE kind = 'person'").all();
    for (const p of people) {
      const f = JSON.parse(p.fields) as { name?: unknown; aliases?: unknown };
      const name = typeof f.name === 'string' ? f.name : '';
      const aliases = Array.isArray(f.aliases) ? f.aliases.filter((a): a is string => typeof a === 'string') : [];
      setPersonNames(db, p.rowid, personKeys({ name, aliases }));
    }
  },
};
