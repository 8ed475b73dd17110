import { m0001Initial } from './0001-initial.ts';

export interface Migration {
  /** Becomes `PRAGMA user_version` once applied. Strictly increasing, never reused. */
  version: number;
  name: string;
  /** SQL run inside the migration transaction. Never edited after release: add a new migration. */
  up: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m0001Initial];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
