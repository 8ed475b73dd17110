/**
 * The people and tag directories count mentions and uses from live entries only, reading the trash
 * or the counted rows, whichever is smaller; and the plans that keep a large trash from being read
 * once per person or per backlink.
 */
import { describe, expect, it } from 'vitest';
import { openCore } from '../core.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import type { FuzzyMatch } from '../../../shared/domain/search.ts';
import { linksTo, TRASHED_BACKLINKS_BY_LINKS_SQL, TRASHED_BACKLINKS_BY_TRASH_SQL, trashSize } from '../db/entries.repo.ts';
import { PEOPLE_SQL } from './directories.ts';

function journal() {
  const core = openCore({ dataDir: tempDir() });
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await core.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  return { core, call };
}

describe('live counts with a trash', () => {
  it('counts a person’s mentions and a tag’s uses from live entries, whether the trash is smaller or larger than them', async () => {
    const { core, call } = journal();
    const notes: Array<{ id: string }> = [];
    for (let i = 0; i < 6; i++) notes.push(await call<{ id: string }>('entries.create', { body: `Call ${i} with @[Ann Lee] #standup` }));
    const ann = (await call<FuzzyMatch[]>('people.find', { q: 'Ann Lee' }))[0]!;
    const annRowid = (core.db.prepare('SELECT rowid FROM entries WHERE id = ?').get(ann.ref.id) as { rowid: number }).rowid;
    const counts = async () => ({
      mentions: (await call<FuzzyMatch[]>('people.find', { q: 'Ann Lee' }))[0]!.count,
      uses: (await call<FuzzyMatch[]>('tags.find', { q: 'standup' }))[0]!.count,
      // The backlinks as the person page reads them, newest first; a limit of 3 takes the trashed path.
      backlinks: linksTo(core.db, annRowid, 3).map((l) => l.entry.id),
    });
    // A trash of 2, smaller than the 6 mentions and uses: read from the trash.
    for (const n of notes.slice(0, 2)) await call('entries.delete', { id: n.id });
    expect(trashSize(core.db)).toBe(2);
    expect(await counts()).toEqual({ mentions: 4, uses: 4, backlinks: [notes[5]!.id, notes[4]!.id, notes[3]!.id] });
    // A trash of 22, larger: read from the mentions and uses.
    for (let i = 0; i < 20; i++) await call('entries.delete', { id: (await call<{ id: string }>('entries.create', { body: `other ${i}` })).id });
    expect(trashSize(core.db)).toBe(22);
    expect(await counts()).toEqual({ mentions: 4, uses: 4, backlinks: [notes[5]!.id, notes[4]!.id, notes[3]!.id] });
    // The people directory's own count (its ranking prior) agrees.
    const all = await call<FuzzyMatch[]>('people.find', { q: '' });
    expect(all.find((m) => m.ref.id === ann.ref.id)?.count).toBe(4);
    core.close();
  });
});

describe('plans with a large trash', () => {
  const plan = (sql: string, ...params: unknown[]) => {
    const { core } = journal();
    try {
      return (core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail);
    } finally {
      core.close();
    }
  };

  it('reads the trash once for all people, not once per person', () => {
    const details = plan(PEOPLE_SQL);
    expect(details.filter((d) => d.includes('entries_timeline'))).toHaveLength(1);
    expect(details.join(' | ')).toMatch(/MATERIALIZE trashed/);
    expect(details.join(' | ')).toMatch(/SEARCH l USING PRIMARY KEY \(from_rowid=\? AND type=\?\)/);
  });

  it('finds a trashed entry’s backlinks by the links’ primary key, or drives from the backlinks', () => {
    expect(plan(TRASHED_BACKLINKS_BY_TRASH_SQL, { to: 1 }).join(' | ')).toMatch(/SEARCH l USING PRIMARY KEY \(from_rowid=\?\)/);
    expect(plan(TRASHED_BACKLINKS_BY_LINKS_SQL, { to: 1 }).join(' | ')).toMatch(/SEARCH l USING COVERING INDEX links_to \(to_rowid=\?\).*SEARCH e USING INTEGER PRIMARY KEY/);
  });
});
