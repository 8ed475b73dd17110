import type Database from 'better-sqlite3';
import { m0001Initial } from './0001-initial.ts';
import { m0002SearchFacets } from './0002-search-facets.ts';
import { m0003DateFacets } from './0003-date-facets.ts';
import { m0004TitleChanges } from './0004-title-changes.ts';
import { m0005JournalCounts } from './0005-journal-counts.ts';
import { m0006EntryOrder } from './0006-entry-order.ts';
import { m0007FoldedLetters } from './0007-folded-letters.ts';
import { m0008PersonKeys } from './0008-person-keys.ts';
import { m0009WordBreaks } from './0009-word-breaks.ts';
import { m0010StoredValues } from './0010-stored-values.ts';
import { m0011SymbolWords } from './0011-symbol-words.ts';

export interface Migration {
  /** Becomes `PRAGMA user_version` once applied. Strictly increasing, never reused. */
  version: number;
  name: string;
  /** SQL run inside the migration transaction. Never edited after release: add a new migration. */
  up: string;
  /**
   * Data changes SQL cannot express, run after `up` in the same transaction. Kept to what the
   * migration needs at its version; a later change of the same data gets its own migration.
   */
  run?: (db: Database.Database) => void;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m0001Initial, m0002SearchFacets, m0003DateFacets, m0004TitleChanges, m0005JournalCounts, m0006EntryOrder, m0007FoldedLetters, m0008PersonKeys, m0009WordBreaks, m0010StoredValues, m0011SymbolWords];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
