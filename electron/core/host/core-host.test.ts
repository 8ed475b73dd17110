import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { DATABASE_FILE } from '../db/connection.ts';
import { CoreHostStartError, startCoreHost, type CoreHost } from './core-host.ts';

const hosts: CoreHost[] = [];

async function start(dataDir = tempDir()): Promise<CoreHost> {
  const host = await startCoreHost({ dataDir });
  hosts.push(host);
  return host;
}

// Registered before the temp-dir cleanup runs (hooks run in reverse): close, then delete.
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

describe('core host (worker thread that owns the database)', () => {
  it('creates an entry and reads it back through messages', async () => {
    const dataDir = tempDir();
    const host = await start(dataDir);
    expect(host.databasePath).toBe(path.join(dataDir, DATABASE_FILE));
    const created = await host.dispatch('entries.create', { body: 'Quick capture from the hotkey #capture', source: 'capture' });
    expect(created.ok).toBe(true);
    const id = (created as { ok: true; value: { id: string } }).value.id;
    const read = await host.dispatch('entries.get', { id });
    expect(read).toMatchObject({ ok: true, value: { entry: { id, source: 'capture', tags: ['capture'] } } });

    // The file on disk has it: another connection (as the CLI would open) sees the entry.
    const db = new Database(host.databasePath, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM entries WHERE id = ?').get(id)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('validates input with the contract and names unknown methods', async () => {
    const host = await start();
    const invalid = await host.dispatch('entries.create', { body: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unknown = await host.dispatch('shell.exec', { cmd: 'rm -rf /' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const uncloneable = await host.dispatch('entries.create', { body: 'x', extra: () => 1 });
    expect(uncloneable).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('keeps order: calls sent together are answered in the order sent', async () => {
    const host = await start();
    const bodies = Array.from({ length: 20 }, (_, i) => `note number ${i}`);
    const results = await Promise.all(bodies.map((body) => host.dispatch('entries.create', { body })));
    expect(results.every((r) => r.ok)).toBe(true);
    const listed = await host.dispatch('entries.list', { limit: 50 });
    expect(listed.ok).toBe(true);
    const items = (listed as { ok: true; value: { items: Array<{ body: string }> } }).value.items;
    expect(items.map((e) => e.body).sort()).toEqual([...bodies].sort());
  });

  it('answers calls after close with an error instead of hanging', async () => {
    const host = await start();
    await host.close();
    const after = await host.dispatch('journal.stats', {});
    expect(after).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await host.close(); // closing twice is harmless
  });

  it('refuses to start on a journal from a newer Outloud, with the core error code', async () => {
    const dataDir = tempDir();
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.pragma('user_version = 9999');
    db.close();
    const failure = await startCoreHost({ dataDir }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CoreHostStartError);
    expect((failure as CoreHostStartError).code).toBe('DB_FROM_FUTURE');
  });
});
