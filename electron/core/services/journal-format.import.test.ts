/** What journal-format.ts refuses, through a real import into a journal on disk (no mocks). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { importJournalFile } from '../files/journal-import.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { createEntriesService } from './entries.service.ts';
import { createJournalService } from './journal.service.ts';

function openJournal() {
  const dir = tempDir();
  let clock = Date.UTC(2014, 4, 1);
  const now = () => (clock += 1000);
  const databasePath = path.join(dir, 'outloud.sqlite');
  const db = openDatabase(databasePath);
  const entries = createEntriesService(db, now);
  const journal = createJournalService(db, { databasePath, now, entries });
  /** `outloud import FILE` of `text`, a small file: checked, then imported through journal.import. */
  const importText = (text: string) => {
    const file = path.join(dir, 'export.json');
    fs.writeFileSync(file, text);
    return importJournalFile(file, { journal, importWhole: async (data) => journal.importJournal({ data }) });
  };
  return { db, entries, journal, importText };
}

const exportText = (entries: string, revisions = '') =>
  `{"format":"outloud-journal","version":1,"exportedAt":1,"entries":[${entries}],"revisions":[${revisions}],"links":[]}`;
const BOOKMARK =
  '{"id":"b1","title":"T","body":"","tags":[],"createdAt":1,"updatedAt":2,"deletedAt":null,"source":"cli","sourceRef":null,"kind":"bookmark",' +
  '"bookmark":{"url":"https://a.example/","urlNormalized":"a.example","site":"a.example","excerpt":"","notes":[]}}';
const QUESTION =
  '{"id":"q1","title":"Q?","body":"q","tags":[],"createdAt":1,"updatedAt":2,"deletedAt":null,"source":"cli","sourceRef":null,"kind":"question",' +
  '"question":{"status":"open","askedBy":"","answer":"","closedAt":null}}';
const revisionText = (entryId: string, fields: string) => `{"id":1,"entryId":"${entryId}","savedAt":2,"title":"old","body":"older","tags":[],"fields":${fields}}`;

describe('an import of an export file', () => {
  it('refuses text with lone surrogates, naming the field, and stores no U+FFFD in its place', async () => {
    const j = openJournal();
    // Valid JSON escapes, each half of a UTF-16 pair alone: SQLite would have stored `a\uFFFDb`.
    const text = exportText(
      '{"id":"n1","title":"x\\udc00","body":"a\\ud800b","tags":[],"createdAt":1,"updatedAt":2,"deletedAt":null,"source":"cli","sourceRef":null,"kind":"note"}',
    );
    await expect(j.importText(text)).rejects.toThrow(
      'Not an Outloud journal export: entries[0].title: Title contains a lone surrogate (not valid text); nothing was imported',
    );
    expect(() => j.journal.importJournal({ data: JSON.parse(text) })).toThrow('entries.0.title: Title contains a lone surrogate (not valid text)');
    expect(j.journal.stats().entries).toBe(0);
    expect((await j.journal.doctor()).ok).toBe(true);
    j.db.close();
  });

  it("refuses a revision whose fields its entry's kind cannot hold; fields that fit restore to a whole entry", async () => {
    const j = openJournal();
    // Restoring such a revision made an entry that `show` crashed on and the next export refused.
    await expect(j.importText(exportText(BOOKMARK, revisionText('b1', '{"evil":1}')))).rejects.toThrow(
      'Not an Outloud journal export: revisions.0.fields.url: Invalid input: expected string, received undefined',
    );
    // A question's status the journal's CHECK constraint refuses, and fields nested past any stack.
    await expect(j.importText(exportText(QUESTION, revisionText('q1', '{"status":"pending","askedBy":"","answer":"","closedAt":null}')))).rejects.toThrow(
      /revisions\.0\.fields\.status: Invalid option/,
    );
    const deep = `{"status":"open","askedBy":${'['.repeat(50_000)}${']'.repeat(50_000)},"answer":"","closedAt":null}`;
    await expect(j.importText(exportText(QUESTION, revisionText('q1', deep)))).rejects.toThrow('revisions.0.fields.askedBy: Invalid input: expected string, received array');
    expect(j.journal.stats()).toMatchObject({ entries: 0, revisions: 0 });

    // Fields a bookmark holds (a key it does not know left out) come in, and restore to a bookmark.
    const fields = '{"url":"https://old.example/","urlNormalized":"old.example","site":"old.example","excerpt":"was","notes":["n"],"evil":1}';
    expect(await j.importText(exportText(BOOKMARK, revisionText('b1', fields)))).toMatchObject({ added: 1, errors: [] });
    const [revision] = j.entries.history({ id: 'b1' });
    const restored = j.entries.restoreRevision({ id: 'b1', revisionId: revision!.id });
    // (Its address key read again from the URL, as a save reads it, not taken from the file.)
    expect(restored).toMatchObject({ kind: 'bookmark', bookmark: { url: 'https://old.example/', urlNormalized: 'https://old.example', site: 'old.example', excerpt: 'was', notes: ['n'] } });
    expect(j.entries.get({ id: 'b1' }).entry).toEqual(restored);
    // And the journal's next export is one an import takes.
    const again = openJournal();
    expect(again.journal.importJournal({ data: JSON.parse(JSON.stringify(j.journal.exportJournal())) }).errors).toEqual([]);
    j.db.close();
    again.db.close();
  });
});
