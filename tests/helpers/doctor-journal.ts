/**
 * A journal for the doctor's tests, written and closed in `dataDir`: `entries` notes (enough that the
 * checks take a while), and with `damaged` the damage a program with SQLite's checks off leaves
 * behind: an entry whose text changed behind the full-text index's back, and a revision of an entry
 * that is gone.
 */
import { openCore } from '../../electron/core/core.ts';
import { EntryCreateInput } from '../../shared/api/schemas.ts';

/** The rowid of the entry the broken revision belongs to: far from those the tests' saves are given. */
const GONE_ROWID = 1_000_000_000;
const WORDS = ['summit', 'agenda', 'sqlite', 'index', 'review', 'draft', 'release', 'team', 'network', 'question'];

export function writeDoctorJournal(dataDir: string, options: { entries: number; damaged?: boolean }): void {
  const core = openCore({ dataDir });
  try {
    const inputs = Array.from({ length: options.entries }, (_, i) =>
      EntryCreateInput.parse({ body: `Note ${i}: ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} with @Ann #${WORDS[(i * 3) % WORDS.length]}` }),
    );
    core.services.entries.createMany(inputs);
    if (options.damaged) {
      const { db } = core;
      db.exec("UPDATE entries SET body = 'words the index never saw' WHERE rowid = (SELECT min(rowid) FROM entries)");
      db.pragma('foreign_keys = OFF');
      db.prepare("INSERT INTO revisions (entry_rowid, saved_at, title, body, tags, fields) VALUES (?, 1, '', 'of an entry that is gone', '[]', '{}')").run(GONE_ROWID);
      db.pragma('foreign_keys = ON');
    }
  } finally {
    core.close();
  }
}

/** What the doctor's report must say of a journal written with `damaged`. */
export const DAMAGE_FOUND = [
  { name: 'fts5 integrity-check', ok: false },
  { name: 'foreign_key_check', ok: false, detail: '1 rows point at missing entries (run `outloud doctor --repair` to remove them)' },
];
