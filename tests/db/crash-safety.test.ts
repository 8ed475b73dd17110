/**
 * Crash safety: a process saving notes in a loop is killed with SIGKILL at random moments, many
 * times, on the same journal. Every note whose save had returned (its id was printed) must be
 * there afterwards, and the journal must pass every doctor check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EntryDetail } from '../../shared/domain/entry.ts';
import type { DoctorReport } from '../../shared/domain/journal.ts';
import { openCore } from '../../electron/core/core.ts';
import { cli } from '../../electron/core/cli/testing.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { isId, killAll, startSaveLoop } from './child-process.ts';

afterEach(killAll);

const ROUNDS = 16;

// Deterministic "random" moments, so a failure can be replayed.
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('crash safety', () => {
  it(`keeps every saved note through ${ROUNDS} SIGKILLs at random moments`, { timeout: 120_000 }, async () => {
    const dir = tempDir('outloud-crash-');
    const rand = random(20140501);
    const saved = new Set<string>();
    const killedBeforeReady: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const child = startSaveLoop(['--data-dir', dir, '--label', `r${round}`, '--batch', round % 3 === 2 ? '5' : '1']);
      if (round % 6 === 0) {
        // Anywhere from process start: while opening, migrating (round 0 creates the schema), or saving.
        await sleep(Math.floor(rand() * 700));
      } else {
        await child.waitForLine((l) => l === 'ready');
        await sleep(5 + Math.floor(rand() * 150));
      }
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      expect(exit.signal).toBe('SIGKILL');
      const lines = child.lines();
      if (!lines.includes('ready')) killedBeforeReady.push(round);
      for (const line of lines) if (isId(line)) saved.add(line);
    }
    // The loop did save between kills (otherwise this test would prove nothing).
    expect(saved.size).toBeGreaterThan(ROUNDS);

    const core = openCore({ dataDir: dir });
    try {
      const missing: string[] = [];
      for (const id of saved) {
        const r = await core.dispatch('entries.get', { id });
        if (!r.ok) missing.push(id);
        else expect((r.value as EntryDetail).entry.kind).toBe('note');
      }
      expect(missing).toEqual([]);
      const doctor = await core.dispatch('journal.doctor', {});
      expect(doctor.ok && (doctor.value as DoctorReport)).toMatchObject({ ok: true });
      // What was saved is also found by search (the index survived the kills with the rows).
      for (const id of [...saved].filter((_, i) => i % Math.ceil(saved.size / 8) === 0)) {
        const entry = ((await core.dispatch('entries.get', { id })) as { value: EntryDetail }).value.entry;
        const words = /^(r\d+ note \d+)/.exec(entry.body)![1]!;
        const found = await core.dispatch('search.query', { q: `"${words}"`, limit: 5 });
        expect(found.ok && (found.value as { hits: Array<{ entry: { id: string } }> }).hits.map((h) => h.entry.id)).toContain(id);
      }
    } finally {
      core.close();
    }
    const doctor = await cli(dir, ['doctor']);
    expect(doctor).toMatchObject({ code: 0, stderr: '' });
  });
});
