import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCore, type Core } from './core.ts';
import { METHOD_NAMES } from '../../shared/api/contract.ts';
import { writeDoctorJournal } from '../../tests/helpers/doctor-journal.ts';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { DATABASE_FILE } from './db/connection.ts';

function snapshot(core: Core) {
  const exported = core.services.journal.exportJournal();
  return { ...exported, exportedAt: 0 };
}

const HOSTILE_VALUES: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1e308,
  Number.NaN,
  true,
  '',
  'x'.repeat(1_048_576),
  'a\u0000b',
  '\u0001\u0002\u001b[31m',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  [],
  [1, 2],
  {},
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
  '2014-13-45',
  'not-a-date',
];

describe('core dispatch', () => {
  it('answers an unknown method with UNKNOWN_METHOD and never throws', async () => {
    const core = openCore({ dataDir: tempDir() });
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'entries', '', 42, null]) {
      const result = await core.dispatch(name as string, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    core.close();
  });

  it('refuses malformed and hostile input for every method with a clear error and no change', async () => {
    const core = openCore({ dataDir: tempDir() });
    await core.dispatch('entries.create', { body: 'existing note #x @Ann' });
    const before = snapshot(core);
    const createdIds: string[] = [];
    for (const method of METHOD_NAMES) {
      for (const value of HOSTILE_VALUES) {
        const inputs = [value, { id: value }, { q: value }, { body: value, kind: 'note' }, { data: value }, { topic: value }, { text: value }, { kind: value, body: 'x' }, { id: 'nope', revisionId: value }, { kind: 'bookmark', by: value }, { kind: 'bookmark', by: 'tag', tag: value, limit: value }, { kind: 'person', order: value, cursor: value }, { since: value, until: value }, { kind: 'person', person: { name: 'Zed Hostile' }, allowSameName: value }];
        for (const input of inputs) {
          const result = await core.dispatch(method, input);
          if (result.ok) {
            // The only write these inputs may make is a note whose body is a valid string.
            if (method === 'entries.create') createdIds.push((result.value as { id: string }).id);
            else expect(['entries.create', 'entries.update', 'entries.delete', 'entries.restore', 'entries.purge', 'entries.emptyTrash', 'entries.restoreRevision', 'journal.import']).not.toContain(method);
          } else {
            expect(result.error.message.length).toBeGreaterThan(0);
            expect(result.error.message.length).toBeLessThan(500);
            expect(['VALIDATION', 'NOT_FOUND', 'CONFLICT']).toContain(result.error.code);
          }
        }
      }
    }
    const after = snapshot(core);
    expect(after.entries.filter((e) => !createdIds.includes(e.id))).toEqual(before.entries);
    expect(after.revisions).toEqual(before.revisions);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    core.close();
  });

  it('refuses a 1 MB body, a NUL in a title and an invalid date without writing', async () => {
    const core = openCore({ dataDir: tempDir() });
    const before = snapshot(core);
    const cases: Array<[string, unknown, RegExp]> = [
      ['entries.create', { body: 'x'.repeat(1_048_576) }, /Body is too long/],
      ['entries.create', { title: 'a\u0000b', body: 'x' }, /control characters/],
      ['entries.create', { body: 'x', createdAt: -5 }, /createdAt/],
      ['entries.list', { since: '2014-02-31x' }, /valid date/],
      ['entries.list', { until: '99999999999999999999d' }, /valid date/],
      ['entries.list', { since: '9999y' }, /since: 9999y goes back before the year 1000/],
      ['entries.list', { since: 'todays' }, /since: not a valid date/],
      ['entries.get', { id: 'no-such-id' }, /No entry/],
      ['entries.update', { id: 'no-such-id', body: 'x' }, /No entry/],
      ['entries.create', { kind: 'bookmark', bookmark: { url: 'javascript:alert(1)' } }, /Not a web address/],
      ['entries.create', { kind: 'spaceship', body: 'x' }, /kind/],
      ['entries.create', { body: 'x', extra: 1 }, /Unrecognized key/i],
      ['search.query', { q: 'x'.repeat(10_001) }, /Query is too long/],
    ];
    for (const [method, input, message] of cases) {
      const result = await core.dispatch(method, input);
      expect(result.ok, `${method} ${JSON.stringify(input).slice(0, 60)}`).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(snapshot(core)).toEqual(before);
    core.close();
  });

  it('refuses bad input to entries.emptyTrash (wrong types, extra fields, huge input) and deletes nothing', async () => {
    const core = openCore({ dataDir: tempDir() });
    for (const body of ['one to keep', 'two to keep']) {
      const created = await core.dispatch('entries.create', { body });
      if (created.ok) await core.dispatch('entries.delete', { id: (created.value as { id: string }).id });
    }
    const before = snapshot(core);
    expect(before.entries.filter((e) => e.deletedAt !== null)).toHaveLength(2);
    const all = 253_402_300_799_000; // the last time a journal holds: every entry in the trash, were the input taken
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /deletedUpTo/],
      [{}, /deletedUpTo/],
      [{ deletedUpTo: all }, /expectedCount/],
      [{ expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: String(all), expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: '2014-05-01', expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: all, expectedCount: '2' }, /expectedCount/],
      [{ deletedUpTo: all, expectedCount: 2.5 }, /expectedCount/],
      [{ deletedUpTo: all, expectedCount: -1 }, /expectedCount/],
      [{ deletedUpTo: all, expectedCount: 1e308 }, /expectedCount/],
      [{ deletedUpTo: all, expectedCount: Number.NaN }, /expectedCount/],
      [{ deletedUpTo: all, expectedCount: Number.POSITIVE_INFINITY }, /expectedCount/],
      [{ deletedUpTo: all + 1, expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: -1, expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: 1.5, expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: null, expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: [all], expectedCount: [2] }, /deletedUpTo/],
      [{ deletedUpTo: { valueOf: () => all }, expectedCount: 2 }, /deletedUpTo/],
      [{ deletedUpTo: all, expectedCount: 2, ids: ['x'] }, /Unrecognized key/i],
      [{ deletedUpTo: all, expectedCount: 2, all: true }, /Unrecognized key/i],
      [{ deletedUpTo: all, expectedCount: 2, ['k'.repeat(1_048_576)]: 1 }, /Unrecognized key/i],
      [{ deletedUpTo: all, expectedCount: 2, ...Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])) }, /Unrecognized key/i],
      [{ deletedUpTo: 'x'.repeat(1_048_576), expectedCount: 2 }, /deletedUpTo/],
      [[all, 2], /expected object/i],
      ['empty the trash', /expected object/i],
    ];
    for (const [input, message] of cases) {
      const result = await core.dispatch('entries.emptyTrash', input);
      expect(result.ok, JSON.stringify(input)?.slice(0, 80)).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('VALIDATION');
      expect(result.error.message).toMatch(message);
      expect(JSON.stringify(result.error).length).toBeLessThan(20 * 600);
    }
    expect(snapshot(core)).toEqual(before);
    // The same journal empties when asked with what was shown.
    expect(await core.dispatch('entries.emptyTrash', { deletedUpTo: all, expectedCount: 2 })).toEqual({ ok: true, value: { purged: 2 } });
    core.close();
  });

  it('says a validation error back in a bounded size, however many or long the bad keys are', async () => {
    const core = openCore({ dataDir: tempDir() });
    const manyKeys = Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`k${i}`, 1]));
    for (const input of [{ body: 'x', ...manyKeys }, { body: 'x', ['y'.repeat(7_000_000)]: 1 }, { tags: Array.from({ length: 5_000 }, () => '') }]) {
      const result = await core.dispatch('entries.create', input);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('VALIDATION');
      expect(JSON.stringify(result.error).length).toBeLessThan(20 * 600);
      expect(result.error.issues!.length).toBeLessThanOrEqual(20);
    }
    expect(core.services.journal.stats().entries).toBe(0);
    core.close();
  });

  it('survives any JSON value as input to any method', async () => {
    const core = openCore({ dataDir: tempDir() });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHOD_NAMES.filter((m) => m !== 'journal.import')), fc.jsonValue(), async (method, input) => {
        const result = await core.dispatch(method, input);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.error.code).not.toBe('INTERNAL');
      }),
      { numRuns: 300 },
    );
    core.close();
  });
});

describe('closing the core', () => {
  it('while its doctor runs (`outloud serve` stopped): the call answers CANCELLED, and the thread and its connection end', async () => {
    const dataDir = tempDir();
    writeDoctorJournal(dataDir, { entries: 10_000 });
    const core = openCore({ dataDir });
    const doctor = core.dispatch('journal.doctor', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    core.close();
    expect(await doctor).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'The journal was closed before its check was done.' } });
    expect(await core.dispatch('journal.doctor', {})).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    // The last connection to close takes the -wal file with it: the doctor's too has closed.
    await expect.poll(() => fs.existsSync(path.join(dataDir, `${DATABASE_FILE}-wal`)), { timeout: 5_000 }).toBe(false);
  });
});
