/**
 * Two processes writing to one journal at once: the CLI adding notes in a loop while a second
 * process (standing in for the app) saves notes in transactions that hold the write lock for a
 * while. Both must succeed; nobody may see "database is locked" (SQLITE_BUSY); the totals add up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry, Page } from '../../shared/domain/entry.ts';
import type { JournalStats } from '../../shared/domain/journal.ts';
import { cli, spawnCli } from '../../electron/core/cli/testing.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { openCore } from '../../electron/core/core.ts';
import { EntryCreateInput } from '../../shared/api/schemas.ts';
import { isId, killAll, startSaveLoop } from './child-process.ts';

afterEach(killAll);

const LOCKED = /locked|busy/i;

describe('concurrent writers', () => {
  it('the CLI and a second writer both succeed, and every note is counted', { timeout: 120_000 }, async () => {
    const dir = tempDir('outloud-concurrent-');
    // The second writer: 8 notes per transaction, each holding the write lock ~25 ms longer than it
    // needs, with 15 ms between transactions (a busy app importing in chunks).
    const writer = startSaveLoop(['--data-dir', dir, '--label', 'app', '--batch', '8', '--hold-ms', '25', '--pause-ms', '15']);
    await writer.waitForLine((l) => l === 'ready');
    await writer.waitForLine(isId);

    const cliIds: string[] = [];
    const failures: string[] = [];
    // The real binary, as a user or a script runs it, while the writer keeps writing...
    for (let i = 0; i < 3; i++) {
      const r = await spawnCli(['--data-dir', dir, '--json', 'add', `binary note ${i} #concurrent`]);
      if (r.code !== 0 || r.stderr) failures.push(`spawned add ${i}: ${r.code} ${r.stderr}`);
      else cliIds.push((JSON.parse(r.stdout) as Entry).id);
    }
    // ...and many more through the same CLI code in this process, with reads in between.
    for (let i = 0; i < 30; i++) {
      const r = await cli(dir, ['--json', 'add', `in-process note ${i} #concurrent`]);
      if (r.code !== 0 || r.stderr) failures.push(`add ${i}: ${r.code} ${r.stderr}`);
      else cliIds.push((JSON.parse(r.stdout) as Entry).id);
      if (i % 10 === 0) {
        const list = await cli(dir, ['list', '--limit', '5']);
        if (list.code !== 0 || list.stderr) failures.push(`list: ${list.code} ${list.stderr}`);
        const search = await cli(dir, ['search', 'concurrent']);
        if (search.code !== 0 || search.stderr) failures.push(`search: ${search.code} ${search.stderr}`);
      }
    }
    writer.process.stdin.end(); // tell the writer to finish its current transaction and stop
    const exit = await writer.exited;

    expect(failures).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(writer.stderr()).not.toMatch(LOCKED);
    expect(writer.stderr()).toBe('');
    const lines = writer.lines();
    const writerIds = lines.filter(isId);
    expect(lines.at(-1)).toBe(`done ${writerIds.length}`);
    // The writer kept writing while the CLI ran (several transactions, not one before and one after).
    expect(writerIds.length).toBeGreaterThan(16);

    const stats = JSON.parse((await cli(dir, ['--json', 'stats'])).stdout) as JournalStats;
    const people = stats.byKind.person ?? 0; // mentioned people the writer's notes created
    expect(stats.entries - people).toBe(cliIds.length + writerIds.length);
    expect(cliIds).toHaveLength(33);
    const tagged = JSON.parse((await cli(dir, ['--json', 'list', '--tag', 'concurrent', '--limit', '1000'])).stdout) as Page<Entry>;
    expect(tagged.items.map((e) => e.id).sort()).toEqual([...cliIds].sort());
    expect((await cli(dir, ['doctor'])).code).toBe(0);
  });

  it('doctor --repair and doctor run beside a writer saving all the while, without "locked" or "busy"', { timeout: 120_000 }, async () => {
    const dir = tempDir('outloud-concurrent-repair-');
    const core = openCore({ dataDir: dir });
    // Enough entries that the repair reads for a while before it writes (the folded text of each).
    core.services.entries.createMany(Array.from({ length: 5_000 }, (_, i) => EntryCreateInput.parse({ body: `entry ${i} about søren and the summit` })));
    core.close();
    const writer = startSaveLoop(['--data-dir', dir, '--label', 'app', '--batch', '1', '--pause-ms', '0']);
    await writer.waitForLine(isId);
    const failures: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await cli(dir, ['doctor', ...(i % 2 === 0 ? ['--repair'] : [])]);
      if (r.code !== 0 || r.stderr) failures.push(`doctor ${i}: ${r.code} ${r.stderr}`);
    }
    writer.process.stdin.end();
    expect(await writer.exited).toEqual({ code: 0, signal: null });
    expect(failures).toEqual([]);
    expect(writer.stderr()).toBe('');
    expect(writer.lines().filter(isId).length).toBeGreaterThan(6); // it kept saving meanwhile
  });
});
