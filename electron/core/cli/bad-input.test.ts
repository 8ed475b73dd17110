/**
 * Bad and hostile input on every command: a clear one-line reason, the right exit code, and no
 * change to the journal (compared through a full export and the stats before and after).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry, EntryDetail } from '../../../shared/domain/entry.ts';
import type { ImportReport, JournalExport } from '../../../shared/domain/journal.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { LATEST_VERSION } from '../db/connection.ts';
import { cli, cliJson, journalState, type CliRunOptions } from './testing.ts';

const ONE_LINE = /^outloud: [^\n]+\n$/;

// tempDir() folders are removed after each test; fixtures shared by a describe block live until afterAll.
const sharedDirs: string[] = [];
function sharedDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-bad-'));
  sharedDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of sharedDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A journal with a live note, a mentioned person and an entry in the trash. */
async function seeded(): Promise<{ dir: string; note: Entry; trashed: Entry }> {
  const dir = sharedDir();
  const note = await cliJson<Entry>(dir, ['add', 'Kick-off with @Rogier #summit']);
  const trashed = await cliJson<Entry>(dir, ['add', 'old idea']);
  await cli(dir, ['rm', trashed.id]);
  return { dir, note, trashed };
}

/** Runs a command that must fail: exit code, one line on stderr, nothing on stdout, journal unchanged. */
async function expectRefused(dir: string, args: string[], code: 1 | 2, message: RegExp, options: CliRunOptions = {}): Promise<string> {
  const before = await journalState(dir);
  const r = await cli(dir, args, options);
  expect({ args: args.map((a) => a.slice(0, 60)), code: r.code }).toEqual({ args: args.map((a) => a.slice(0, 60)), code });
  expect(r.stderr).toMatch(ONE_LINE);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
  expect(await journalState(dir)).toBe(before);
  return r.stderr;
}

function noteExport(entries: Array<Partial<Entry> & { id: string; title: string }>, extra: Partial<JournalExport> = {}): JournalExport {
  return {
    format: 'outloud-journal',
    version: 1,
    exportedAt: 1_400_000_000_000,
    entries: entries.map(
      (e, i) =>
        ({ kind: 'note', body: '', tags: [], createdAt: 1_400_000_000_000 + i, updatedAt: 1_400_000_000_000 + i, deletedAt: null, source: 'cli', sourceRef: null, ...e }) as Entry,
    ),
    revisions: [],
    links: [],
    ...extra,
  };
}

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(tempDir('outloud-files-'), name);
  fs.writeFileSync(file, content);
  return file;
}

describe('unknown, malformed and ambiguous ids', () => {
  let j: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    j = await seeded();
  });

  it.each([
    [['show', 'zzzzzzzzzzzzzzzz']],
    [['edit', 'zzzzzzzzzzzzzzzz', '--body', 'x']],
    [['rm', 'zzzzzzzzzzzzzzzz']],
    [['restore', 'zzzzzzzzzzzzzzzz']],
    [['purge', 'zzzzzzzzzzzzzzzz', '--yes']],
    [['history', 'zzzzzzzzzzzzzzzz']],
    [['history', 'zzzzzzzzzzzzzzzz', '--restore', '1']],
  ])('%j: exit 1, "No entry with id"', async (args) => {
    await expectRefused(j.dir, args, 1, /^outloud: No entry with id zzzzzzzzzzzzzzzz\n$/);
  });

  it.each([['a b'], ['../etc/passwd'], ['x'.repeat(65)], ['id\u0000nul'], ['']])('show %j: exit 2, not an id', async (id) => {
    await expectRefused(j.dir, ['show', id], 2, /Not an entry id/);
  });

  it('a prefix shorter than 4 characters is not looked up', async () => {
    await expectRefused(j.dir, ['rm', j.note.id.slice(0, 3)], 1, /needs at least 4 characters/);
  });

  it('an ambiguous prefix names the candidates and changes nothing', async () => {
    const dir = tempDir();
    const file = writeFile('two.json', JSON.stringify(noteExport([{ id: 'abcd1', title: 'one' }, { id: 'abcd2', title: 'two' }])));
    expect((await cliJson<ImportReport>(dir, ['import', file])).added).toBe(2);
    await expectRefused(dir, ['rm', 'abcd'], 1, /The id abcd is ambiguous: it matches abcd1, abcd2; give more characters/);
    expect((await cliJson<EntryDetail>(dir, ['show', 'abcd2'])).entry.title).toBe('two');
  });
});

describe('usage errors (exit 2)', () => {
  let j: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    j = await seeded();
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['unknown command', ['ad', 'x'], /unknown command 'ad'.*Did you mean add\?/],
    ['unknown option', ['add', 'x', '--tgs', 'a'], /unknown option '--tgs'/],
    ['missing argument', ['show'], /missing required argument 'id'/],
    ['too many arguments', ['show', 'a1234', 'b1234'], /too many arguments/],
    ['no command', [], /no command given/],
    ['invalid --since', ['list', '--since', 'last week'], /--since: not a valid date \(use YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, or 3d, 2w, 6m, 1y for days, weeks, months, years ago\)/],
    ['--since too far back', ['list', '--since', '9999y'], /^outloud: --since: 9999y goes back before the year 1000\n$/],
    ['invalid --until', ['list', '--until', '2014-13-01'], /--until: not a valid date/],
    ['--since that is not a day', ['list', '--since', '2014-02-30T25:99'], /--since: not a valid date/],
    ['--limit 0', ['list', '--limit', '0'], /'--limit <n>' argument '0' is invalid. give a whole number from 1 to 10,000/],
    ['--limit abc', ['search', 'x', '--limit', 'abc'], /argument 'abc' is invalid/],
    ['--limit 201 on search', ['search', 'x', '--limit', '201'], /from 1 to 200/],
    ['--limit 1e3', ['list', '--limit', '1e3'], /is invalid/],
    ['unknown kind', ['list', '--kind', 'poem'], /Allowed choices are note, bookmark, person, question/],
    ['a note without text', ['add'], /^outloud: text: a note needs some text\n$/],
    ['a note of only spaces', ['add', '   '], /text: a note needs some text/],
    ['NUL in the body', ['add', 'before\u0000after'], /text: Body contains a NUL character/],
    ['control characters in a title', ['add', 'x', '--title', 'red \u001b[31m title'], /--title: Title contains control characters/],
    ['control characters in a tag', ['add', 'x', '--tag', 'a\u0007b'], /--tag: Tag contains control characters/],
    ['an empty tag', ['add', 'x', '--tag', '##'], /--tag: Tag is empty/],
    ['a javascript: bookmark', ['add', '--bookmark', 'javascript:alert(1)'], /Not a web address: javascript:alert\(1\)/],
    ['a file: bookmark', ['add', '--bookmark', 'file:///etc/passwd'], /Not a web address/],
    ['an overlong URL', ['add', '--bookmark', `https://example.org/${'a'.repeat(9000)}`], /--bookmark: URL is too long/],
    ['an empty person name', ['add', '--person', ' '], /--person: Name is empty/],
    ['two kinds at once', ['add', 'x', '--bookmark', 'https://example.org', '--question'], /Choose one of --bookmark, --question/],
    ['a person flag without --person', ['add', 'x', '--role', 'CTO'], /--role goes with --person NAME/],
    ['an excerpt without --bookmark', ['add', 'x', '--excerpt', 'e'], /--excerpt goes with --bookmark URL/],
    ['edit with nothing to change, not in a terminal', ['edit', 'abcdefgh'], /Nothing to change: give --body, --title, --tag or a field of the entry \(see outloud edit --help\)/],
    ['an answer without --question', ['add', 'x', '--answer', 'y'], /^outloud: --answer goes with --question\n$/],
    ['a status without --question', ['add', 'x', '--status', 'open'], /^outloud: --status goes with --question\n$/],
    ['an unknown question status', ['add', 'x', '--question', '--status', 'done'], /argument 'done' is invalid\. Allowed choices are open, answered, closed/],
    ['a list --status that is no status', ['list', '--status', 'pending'], /Allowed choices are open, answered, closed/],
    ['list --status with another kind', ['list', '--kind', 'note', '--status', 'open'], /^outloud: --status is for questions, not --kind note\n$/],
    ['list --site with another kind', ['list', '--kind', 'person', '--site', 'example.org'], /^outloud: --site is for bookmarks, not --kind person\n$/],
    ['a 300-character --site', ['list', '--site', 's'.repeat(300)], /^outloud: --site: Too long for a host name \(at most 253 characters\)\n$/],
    ['tags --with an empty tag', ['tags', '--with', '##'], /^outloud: --with: Tag is empty\n$/],
    ['tags --with control characters', ['tags', '--with', 'a\u0007b'], /^outloud: --with: Tag contains control characters/],
    ['tags --with a 1 MB tag', ['tags', '--with', 't'.repeat(1024 * 1024)], /^outloud: --with: Tag is too long/],
    ['tags --limit 0', ['tags', '--limit', '0'], /argument '0' is invalid\. give a whole number from 1 to 1,000/],
    ['tags --kind poem', ['tags', '--kind', 'poem'], /Allowed choices are note, bookmark, person, question/],
    ['purge without --yes', ['purge', 'abcdefgh'], /add --yes to confirm/],
    ['history --restore abc', ['history', 'abcdefgh', '--restore', 'abc'], /'--restore <rev>' argument 'abc' is invalid/],
    ['an empty topic', ['who', ''], /topic: topic is empty/],
    ['a query over 10,000 characters', ['search', 'q'.repeat(10_001)], /query: Query is too long \(limit 10,000 characters\)/],
    ['a mistyped search option', ['search', 'summit', '--limt', '3'], /unknown option '--limt' \(to search for it, quote it: outloud search '"--limt"'\)/],
    ['export as markdown', ['export', '--format', 'markdown', '--out', '/tmp/x'], /Markdown export is not available yet; use --format json/],
    ['export as xml', ['export', '--format', 'xml', '--out', '/tmp/x'], /the only format is json/],
    ['export without --out', ['export'], /required option '--out <file>' not specified/],
    ['backup without --out', ['backup'], /required option '--out <file>' not specified/],
    ['an empty --data-dir', ['--data-dir', '', 'stats'], /--data-dir is empty/],
    ['an empty export --out', ['export', '--out', ''], /--out is empty/],
    ['an export --out of only spaces', ['export', '--out', '  '], /--out is empty/],
    ['an empty backup --out', ['backup', '--out', ''], /--out is empty/],
    ['an empty import FILE', ['import', ''], /FILE is empty/],
    ['serve on port 70000', ['serve', '--port', '70000'], /from 0 to 65,535/],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    await expectRefused(j.dir, args, 2, message);
  });

  it('a 1 MB body as an argument: a clear error and nothing written', async () => {
    await expectRefused(j.dir, ['add', 'x'.repeat(1024 * 1024)], 2, /^outloud: text: Body is too long \(limit 500,000 characters\)\n$/);
  });

  it('text on stdin that is not UTF-8 (a file saved as Latin-1): a clear error and nothing written', async () => {
    await expectRefused(j.dir, ['add', '-'], 2, /The text on stdin is not UTF-8 \(was it saved in another encoding\?\); nothing was saved/, { stdin: Buffer.from('Lunch at the café #latin1', 'latin1') });
    // A UTF-8 sequence cut off at the end of the input.
    await expectRefused(j.dir, ['add', '-'], 2, /is not UTF-8/, { stdin: Buffer.from([0x63, 0x61, 0x66, 0xc3]) });
  });

  it('UTF-8 on stdin split between chunks anywhere in a character is read whole', async () => {
    const text = 'Café with Zoë 🎉 #utf8';
    const bytes = Buffer.from(text);
    const chunks = Array.from(bytes, (b) => Buffer.from([b])); // one byte a chunk
    const r = await cli(j.dir, ['--json', 'add', '-'], { stdin: chunks });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { body: string }).body).toBe(text);
  });

  it('a 1 MB body on stdin: a clear error and nothing written', async () => {
    await expectRefused(j.dir, ['add', '-'], 2, /The text on stdin is too long \(limit 500,000 characters\); nothing was saved/, { stdin: 'y'.repeat(1024 * 1024) });
  });

  it('a 1 MB title and a 1 MB edit: clear errors and nothing written', async () => {
    await expectRefused(j.dir, ['add', 'x', '--title', 't'.repeat(1024 * 1024)], 2, /--title: Title is too long \(limit 1,000 characters\)/);
    await expectRefused(j.dir, ['edit', j.note.id, '--body', 'b'.repeat(1024 * 1024)], 2, /--body: Body is too long/);
  });
});

describe("edit flags for a kind's own fields: bad values change nothing", () => {
  let dir: string;
  let note: Entry;
  let question: Entry;
  let bookmark: Entry;
  let other: Entry;
  let person: Entry;
  beforeAll(async () => {
    ({ dir, note } = await seeded());
    question = await cliJson<Entry>(dir, ['add', '--question', 'Which region?']);
    bookmark = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.org/a']);
    other = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.org/b']);
    person = await cliJson<Entry>(dir, ['add', '--person', 'Grace Hopper']);
    await cli(dir, ['add', '--person', 'Ada Lovelace']);
  });

  it('a flag of another kind names the flag and the kind', async () => {
    await expectRefused(dir, ['edit', note.id, '--answer', 'yes'], 2, new RegExp(`^outloud: --answer is for a question, and ${note.id} is a note\\n$`));
    await expectRefused(dir, ['edit', question.id.slice(0, 12), '--url', 'https://example.org/c'], 2, new RegExp(`^outloud: --url is for a bookmark, and ${question.id.slice(0, 12)} is a question\\n$`));
    await expectRefused(dir, ['edit', bookmark.id, '--role', 'CTO', '--body', 'kept?'], 2, /--role is for a person, and \w+ is a bookmark/);
    await expectRefused(dir, ['edit', person.id, '--status', 'closed'], 2, /--status is for a question, and \w+ is a person/);
  });

  it.each<[string, () => string[], RegExp]>([
    ['an unknown status', () => ['edit', question.id, '--status', 'done'], /Allowed choices are open, answered, closed/],
    ['a 1 MB answer', () => ['edit', question.id, '--answer', 'a'.repeat(1024 * 1024)], /^outloud: --answer: Body is too long \(limit 500,000 characters\)\n$/],
    ['NUL in an answer', () => ['edit', question.id, '--answer', 'a\u0000b'], /^outloud: --answer: Body contains a NUL character/],
    ['control characters in --asked-by', () => ['edit', question.id, '--asked-by', 'x\u001b[31m'], /^outloud: --asked-by: .*control characters/],
    ['a javascript: address', () => ['edit', bookmark.id, '--url', 'javascript:alert(1)'], /Not a web address: javascript:alert\(1\)/],
    ['an overlong address', () => ['edit', bookmark.id, '--url', `https://example.org/${'a'.repeat(9000)}`], /^outloud: --url: URL is too long\n$/],
    ['an overlong topic', () => ['edit', person.id, '--topic', 't'.repeat(300)], /^outloud: --topic: Topic is too long \(limit 200 characters\)\n$/],
    ['51 contacts', () => ['edit', person.id, ...Array.from({ length: 51 }, (_, i) => ['--contact', `c${i}`]).flat()], /^outloud: --contact: At most 50 contacts\n$/],
    ['an empty name', () => ['edit', person.id, '--title', '  '], /Name is empty/],
    ['both the text and the answer from stdin', () => ['edit', question.id, '--body', '-', '--answer', '-'], /^outloud: Only one of --body and --answer can be read from stdin\n$/],
    ['both the text and the answer from stdin, on add', () => ['add', '-', '--question', '--answer', '-'], /^outloud: Only one of the text and --answer can be read from stdin\n$/],
  ])('%s: exit 2', async (_name, args, message) => {
    await expectRefused(dir, args(), 2, message, { stdin: 'from a pipe' });
  });

  it('--answers that names no live question, or a question, is refused', async () => {
    const trashed = await cliJson<Entry>(dir, ['add', '--question', 'Gone?']);
    await cli(dir, ['rm', trashed.id]);
    await expectRefused(dir, ['edit', note.id, '--answers', 'zzzzzzzzzzzz'], 1, /^outloud: --answers: No entry with id zzzzzzzzzzzz\n$/);
    await expectRefused(dir, ['edit', note.id, '--answers', 'not an id'], 2, /^outloud: --answers: Not an entry id: "not an id"\n$/);
    await expectRefused(dir, ['edit', note.id, '--answers', bookmark.id], 2, new RegExp(`^outloud: --answers: ${bookmark.id} is a bookmark, not a question\\n$`));
    await expectRefused(dir, ['edit', note.id, '--answers', trashed.id], 2, /^outloud: --answers: the question \w+ is in the trash; restore it first\n$/);
    await expectRefused(dir, ['edit', question.id, '--answers', question.id], 2, /^outloud: --answers: a question cannot be the answer to a question\n$/);
    await expectRefused(dir, ['add', '--question', 'Another?', '--answers', question.id], 2, /^outloud: --answers: a question cannot be the answer to a question\n$/);
  });

  it('an answer on stdin that is not UTF-8, or over the limit', async () => {
    await expectRefused(dir, ['edit', question.id, '--answer', '-'], 2, /^outloud: The answer on stdin is not UTF-8/, { stdin: Buffer.from('Réponse', 'latin1') });
    await expectRefused(dir, ['edit', question.id, '--answer', '-'], 2, /^outloud: The answer on stdin is too long/, { stdin: 'y'.repeat(1024 * 1024) });
  });

  it("an address another bookmark has, or another person's name as an alias: exit 1", async () => {
    await expectRefused(dir, ['edit', other.id, '--url', 'https://example.org/a'], 1, /^outloud: Another bookmark already has this address \(\w+\): nothing was saved/);
    await expectRefused(dir, ['edit', person.id, '--alias', 'Ada Lovelace'], 1, /^outloud: Ada Lovelace is already in your journal/);
  });
});

describe('failures (exit 1) that change nothing', () => {
  let j: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    j = await seeded();
  });

  it('editing or restoring a revision of an entry in the trash', async () => {
    await expectRefused(j.dir, ['edit', j.trashed.id, '--body', 'new'], 1, /in the trash; restore it before editing/);
  });

  it('purging an entry that is not in the trash', async () => {
    await expectRefused(j.dir, ['purge', j.note.id, '--yes'], 1, /Only entries in the trash can be purged/);
  });

  it('restoring a revision that does not exist', async () => {
    await expectRefused(j.dir, ['history', j.note.id, '--restore', '999'], 1, /has no revision 999/);
  });

  it('an editor that fails leaves the entry as it was', async () => {
    await expectRefused(j.dir, ['edit', j.note.id], 1, /The editor \(false\) did not finish \(exit status 1\); nothing was changed/, {
      stdinIsTTY: true,
      env: { EDITOR: 'false' },
    });
    await expectRefused(j.dir, ['edit', j.note.id], 1, /command not found/, { stdinIsTTY: true, env: { EDITOR: 'no-such-editor-outloud' } });
  });

  it('an edit in the editor that the journal refuses keeps the text in a file', async () => {
    const editor = writeFile('nul-editor.sh', '#!/bin/sh\nprintf "a\\000b" > "$1"\n');
    fs.chmodSync(editor, 0o755);
    const stderr = await expectRefused(j.dir, ['edit', j.note.id], 1, /Body contains a NUL character \(your text is kept in .*entry\.md\)/, {
      stdinIsTTY: true,
      env: { EDITOR: editor },
    });
    const kept = /kept in (.*entry\.md)\)/.exec(stderr)![1]!;
    expect(fs.readFileSync(kept, 'utf8')).toBe('a\u0000b');
    fs.rmSync(path.dirname(kept), { recursive: true, force: true });
  });

  it('an edit the editor saved in another encoding is refused, and its text kept in a file', async () => {
    const editor = writeFile('latin1-editor.sh', '#!/bin/sh\nprintf "Lunch at the caf\\351" > "$1"\n');
    fs.chmodSync(editor, 0o755);
    const stderr = await expectRefused(j.dir, ['edit', j.note.id], 1, /The edited text is not UTF-8 \(is the editor set to another encoding\?\); nothing was changed \(your text is kept in .*entry\.md\)/, {
      stdinIsTTY: true,
      env: { EDITOR: editor },
    });
    const kept = /kept in (.*entry\.md)\)/.exec(stderr)![1]!;
    expect(fs.readFileSync(kept, 'latin1')).toBe('Lunch at the café');
    fs.rmSync(path.dirname(kept), { recursive: true, force: true });
  });

  it('unwritable --out paths for export and backup', async () => {
    const folder = tempDir();
    const aFile = writeFile('plain.txt', 'not a folder');
    const journalFile = path.join(j.dir, 'outloud.sqlite');
    for (const command of ['export', 'backup']) {
      await expectRefused(j.dir, [command, '--out', folder], 1, /is a folder; give a file name/);
      await expectRefused(j.dir, [command, '--out', path.join(aFile, 'x.out')], 1, /Cannot (write|back up to) .*plain\.txt\/x\.out: /);
      await expectRefused(j.dir, [command, '--out', journalFile], 1, /is the journal itself; choose another file/);
      await expectRefused(j.dir, [command, '--out', `${journalFile}-wal`], 1, /is the journal itself/);
    }
    await expectRefused(j.dir, ['export', '--out', path.join(folder, 'missing', 'x.json')], 1, /Cannot write .*missing\/x\.json: no such file or folder/);
    await expectRefused(j.dir, ['export', '--out', '/proc/outloud-export.json'], 1, /Cannot write \/proc\/outloud-export\.json: /);
    // Node's recursive mkdir loops forever under /proc; the CLI must fail instead of hanging.
    await expectRefused(j.dir, ['backup', '--out', '/proc/outloud-x/backup.sqlite'], 1, /Cannot write \/proc\/outloud-x\/backup\.sqlite: no such file or folder/);
    expect(fs.readdirSync(folder)).toEqual([]); // no temporary file left behind
  });

  // Windows has no /dev/null or /dev/full to write to.
  it.skipIf(process.platform === 'win32')('devices as --out: export writes into them and leaves them devices, backup refuses them', async () => {
    const isDevice = (file: string) => fs.statSync(file).isCharacterDevice();
    // A full device: the write's own error, and the device is still there (a file renamed over it replaced it before).
    await expectRefused(j.dir, ['export', '--out', '/dev/full'], 1, /Cannot write \/dev\/full: /);
    expect(isDevice('/dev/full')).toBe(true);
    const r = await cli(j.dir, ['export', '--out', '/dev/null']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Exported 3 entries, 0 revisions and 1 link to \/dev\/null \(/);
    expect(isDevice('/dev/null')).toBe(true);
    for (const device of ['/dev/null', '/dev/full']) {
      await expectRefused(j.dir, ['backup', '--out', device], 1, new RegExp(`${device} is not a regular file; give a file name`));
      expect(isDevice(device)).toBe(true);
    }
  });

  it('an --out that is a link to a file writes the file and keeps the link', async () => {
    const folder = tempDir();
    const real = path.join(folder, 'real.json');
    fs.writeFileSync(real, 'old');
    const link = path.join(folder, 'link.json');
    fs.symlinkSync(real, link);
    expect((await cli(j.dir, ['export', '--out', link])).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect((JSON.parse(fs.readFileSync(real, 'utf8')) as JournalExport).entries).toHaveLength(3);
    expect((await cli(j.dir, ['backup', '--out', link])).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real).subarray(0, 16).toString()).toBe('SQLite format 3\u0000');
    expect(fs.readdirSync(folder).sort()).toEqual(['link.json', 'real.json']);
  });

  it('a --data-dir with no journal: every command that reads, or changes an entry, says so in one line and creates nothing', async () => {
    const parent = tempDir();
    const out = path.join(tempDir(), 'out');
    const readers = [
      ['search', 'summit'],
      ['show', 'abcd1234'],
      ['list'],
      ['history', 'abcd1234'],
      ['who', 'sqlite'],
      ['tags'],
      ['export', '--out', `${out}.json`],
      ['backup', '--out', `${out}.sqlite`],
      ['stats'],
      ['doctor'],
      ['edit', 'abcd1234', '--body', 'x'],
      ['rm', 'abcd1234'],
      ['restore', 'abcd1234'],
      ['purge', 'abcd1234', '--yes'],
    ];
    const mistyped = path.join(parent, 'jounral');
    for (const args of readers) {
      const r = await cli(mistyped, args);
      const said = `outloud: No journal in ${mistyped}: there is no such folder (check --data-dir, or start one there with \`outloud add\`)\n`;
      expect({ args, r }).toEqual({ args, r: { code: 1, stdout: '', stderr: said } });
    }
    // A folder without a journal file (an empty one, or another program's) is no journal either.
    const empty = path.join(parent, 'empty');
    fs.mkdirSync(empty);
    for (const args of readers) {
      const r = await cli(null, args, { env: { OUTLOUD_DATA_DIR: empty } });
      const said = `outloud: No journal in ${empty}: the folder holds no outloud.sqlite (check $OUTLOUD_DATA_DIR, or start one there with \`outloud add\`)\n`;
      expect({ args, r }).toEqual({ args, r: { code: 1, stdout: '', stderr: said } });
    }
    expect(fs.readdirSync(parent)).toEqual(['empty']);
    expect(fs.readdirSync(empty)).toEqual([]);
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
    // Input that is wrong whatever the folder is a usage error first (exit 2), and creates nothing either.
    for (const args of [['list', '--since', 'someday'], ['search', 'x'.repeat(10_001)], ['who', '']]) {
      const r = await cli(mistyped, args);
      expect({ args: args.map((a) => a.slice(0, 20)), code: r.code }).toEqual({ args: args.map((a) => a.slice(0, 20)), code: 2 });
      expect(r.stderr).not.toMatch(/No journal/);
    }
    expect(fs.readdirSync(parent)).toEqual(['empty']);
    // A command that writes starts the journal there, as before.
    expect((await cli(mistyped, ['add', 'the first note'])).code).toBe(0);
    expect((await cli(mistyped, ['search', 'first'])).code).toBe(0);
  });

  it('a --data-dir that is a file', async () => {
    const file = writeFile('not-a-dir', 'x');
    const r = await cli(file, ['stats']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/Cannot open the journal/);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('a --data-dir that cannot be created', async () => {
    for (const dir of ['/proc/outloud-journal', path.join(writeFile('file', 'x'), 'journal')]) {
      const r = await cli(dir, ['add', 'x']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toMatch(/^outloud: Cannot open the journal in .*: (no such file or folder|a part of the path is not a folder)\n$/);
    }
  });

  it('a journal file that is not a database is reported, not changed', async () => {
    const dir = tempDir();
    const garbage = crypto.randomBytes(8192);
    fs.writeFileSync(path.join(dir, 'outloud.sqlite'), garbage);
    const r = await cli(dir, ['add', 'hello']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/not a database/);
    expect(fs.readFileSync(path.join(dir, 'outloud.sqlite')).equals(garbage)).toBe(true);
  });

  it('a journal from a newer Outloud is refused with a clear message and left as it is', async () => {
    const dir = tempDir();
    await cli(dir, ['add', 'from the future']);
    const db = new Database(path.join(dir, 'outloud.sqlite'));
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const bytes = fs.readFileSync(path.join(dir, 'outloud.sqlite'));
    for (const args of [['stats'], ['add', 'x'], ['import', '/nonexistent.json']]) {
      const r = await cli(dir, args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toMatch(/written by a newer Outloud .*Update Outloud to open it/);
    }
    expect(fs.readFileSync(path.join(dir, 'outloud.sqlite')).equals(bytes)).toBe(true);
  });
});

describe('import of damaged, foreign and hostile files', () => {
  let j: Awaited<ReturnType<typeof seeded>>;
  let valid: string;
  beforeAll(async () => {
    j = await seeded();
    const source = sharedDir();
    for (let i = 0; i < 5; i++) await cli(source, ['add', `imported note ${i} about @[Person ${i}] #import`]);
    valid = path.join(sharedDir(), 'valid.json');
    expect((await cli(source, ['export', '--out', valid])).code).toBe(0);
  });

  const refuse = (file: string, message: RegExp) => expectRefused(j.dir, ['import', file], 1, message);

  it('a missing file, a folder, an empty file', async () => {
    await refuse('/nonexistent/outloud.json', /Cannot read \/nonexistent\/outloud\.json: no such file or folder/);
    await refuse(tempDir(), /is a folder, not an export file/);
    await refuse(writeFile('empty.json', ''), /Not an Outloud journal export: the file is empty; nothing was imported/);
    await refuse(writeFile('blank.json', ' \n\t '), /the file is empty/);
  });

  it('a truncated export (cut at many places) imports nothing', async () => {
    const text = fs.readFileSync(valid, 'utf8');
    for (const cut of [1, 20, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length - 3]) {
      await refuse(writeFile('cut.json', text.slice(0, cut)), /Not an Outloud journal export: .*(ends too early|not valid JSON)/);
    }
  });

  it('JSON that is not an export', async () => {
    await refuse(writeFile('object.json', '{"hello": "world"}'), /it has no "format"/);
    await refuse(writeFile('list.json', '[1, 2, 3]'), /the file holds a JSON list, not an object/);
    await refuse(writeFile('string.json', '"outloud-journal"'), /does not start with a JSON object \(it starts with '"'\)/);
    await refuse(writeFile('other.json', '{"format": "obsidian", "entries": []}'), /its "format" is "obsidian", not "outloud-journal"/);
    await refuse(writeFile('newer.json', JSON.stringify({ ...noteExport([]), version: 2 })), /made by a newer Outloud \(export version 2\)/);
    await refuse(writeFile('entries-object.json', '{"format":"outloud-journal","version":1,"exportedAt":1,"entries":{}}'), /"entries" is not a list/);
    await refuse(writeFile('dupe.json', '{"format":"outloud-journal","format":"outloud-journal"}'), /the key "format" appears twice/);
    await refuse(writeFile('trailing.json', `${JSON.stringify(noteExport([]))} {"more": 1}`), /unexpected '\{' at character .* \(expected the end of the file\)/);
    await refuse(writeFile('html.html', '<!doctype html><title>x</title>'), /does not start with a JSON object \(it starts with '<'\)/);
  });

  it('an export saved in another encoding (Latin-1, UTF-16) imports nothing, and says so', async () => {
    // What an editor that saves as Windows-1252 makes of a note with "café" in it.
    const latin1 = Buffer.from(JSON.stringify(noteExport([{ id: 'ok1', title: 'fine' }, { id: 'cafe1', title: 'café' }])), 'latin1');
    await refuse(writeFile('latin1.json', latin1), /Not an Outloud journal export: entries\[1\] is not UTF-8 text: byte 0xE9 at character \d+ cannot be read/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(valid, 'utf8'), 'utf16le')]);
    await refuse(writeFile('utf16.json', utf16), /the file is not UTF-8 text \(it starts with byte 0xFF, as UTF-16 text does\): save it as UTF-8/);
  });

  it('one bad entry among good ones imports nothing, and names the entry and field', async () => {
    const data = noteExport([
      { id: 'good1', title: 'fine' },
      { id: 'bad1', title: 'broken', kind: 'poem' as Entry['kind'] },
      { id: 'good2', title: 'fine too' },
    ]);
    await refuse(writeFile('bad-kind.json', JSON.stringify(data)), /entries\[1\]\.kind: /);
    const nul = noteExport([{ id: 'good1', title: 'fine' }, { id: 'nul1', title: 'x', body: 'a\u0000b' }]);
    await refuse(writeFile('nul.json', JSON.stringify(nul)), /entries\[1\]\.body: Body contains a NUL character/);
    const control = noteExport([{ id: 'ctl1', title: 'bell \u0007' }]);
    await refuse(writeFile('control.json', JSON.stringify(control)), /entries\[0\]\.title: Title contains control characters/);
    const badDate = noteExport([{ id: 'date1', title: 'x', createdAt: -5 }]);
    await refuse(writeFile('date.json', JSON.stringify(badDate)), /entries\[0\]\.createdAt: /);
    const badLink = { ...noteExport([{ id: 'a1', title: 'x' }]), links: [{ from: 'a1', to: 'a1', type: 'owns' }] };
    await refuse(writeFile('link.json', JSON.stringify(badLink)), /links\[0\]\.type: /);
    const hugeBody = noteExport([{ id: 'big1', title: 'x', body: 'b'.repeat(600_000) }]);
    await refuse(writeFile('huge-body.json', JSON.stringify(hugeBody)), /entries\[0\]\.body: Body is too long/);
  });

  it('the same checks hold for a file large enough to import in batches', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ id: `batch${i}`, title: `entry ${i}` }));
    const data = noteExport(entries);
    (data.entries[25] as { title: unknown }).title = 42;
    const file = writeFile('late-error.json', JSON.stringify(data));
    const before = await journalState(j.dir);
    const r = await cli(j.dir, ['import', file], { tuning: { importSingleCallLimit: 5, importBatchSize: 4 } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/entries\[25\]\.title: .*nothing was imported/);
    expect(await journalState(j.dir)).toBe(before);
  });

  it('a 50 MB file of random bytes', async () => {
    await refuse(writeFile('random.bin', crypto.randomBytes(50 * 1024 * 1024)), /Not an Outloud journal export/);
  });

  it('a 50 MB file that starts like an export and turns into garbage', async () => {
    const head = Buffer.from('{"format":"outloud-journal","version":1,"exportedAt":1,"entries":[');
    const garbage = Buffer.alloc(50 * 1024 * 1024);
    let x = 12345;
    const alphabet = Buffer.from('{}[]",:\\ abcdefXYZ0123456789\n');
    for (let i = 0; i < garbage.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      garbage[i] = alphabet[x % alphabet.length]!;
    }
    await refuse(writeFile('garbage.json', Buffer.concat([head, garbage])), /Not an Outloud journal export: entries\[0\] is not valid JSON|Not an Outloud journal export: /);
  });

  it('a 50 MB string where an entry should be', async () => {
    const file = path.join(tempDir(), 'long-string.json');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '{"format":"outloud-journal","version":1,"exportedAt":1,"entries":["');
    const block = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    await refuse(file, /entries\[0\] is larger than 32 MB/);
  });

  it('a 50 MB value under an unknown key', async () => {
    const file = path.join(tempDir(), 'big-header.json');
    fs.writeFileSync(file, `{"padding":"${'p'.repeat(50 * 1024 * 1024)}"}`);
    await refuse(file, /the value of "padding" is larger than 1 MB/);
  });

  it('imports hostile titles and bodies as plain text, shown inert', async () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[x](javascript:alert(1))',
      '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
      'javascript:/*--></title></style></textarea></script></xmp><svg/onload=\'+/"`/+/onmouseover=1/+/[*/[]/+alert(42);//\'>',
      '<form id="api"><input name="send">',
      '"; DROP TABLE entries; --',
      "' OR 1=1 --",
      'NEAR(a b) title:x ^y',
    ];
    const dir = tempDir();
    const data = noteExport(
      hostile.map((title, i) => ({ id: `hostile${i}`, title, body: `${title}\n\u001b[2J\u001b]0;pwned\u0007 terminal escape` })),
    );
    const file = writeFile('hostile.json', JSON.stringify(data));
    expect(await cliJson<ImportReport>(dir, ['import', file])).toEqual({ added: hostile.length, updated: 0, skipped: 0, revisions: 0, links: 0, leftOut: 0, errors: [] });
    for (const [i, title] of hostile.entries()) {
      const detail = await cliJson<EntryDetail>(dir, ['show', `hostile${i}`]);
      expect(detail.entry.title).toBe(title);
      const shown = await cli(dir, ['show', `hostile${i}`], { stdoutIsTTY: true });
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(title);
      // Escape sequences from a note never reach the terminal: they are shown as ^[ etc.
      expect(shown.stdout).toContain('^[[2J^[]0;pwned^G terminal escape');
      expect(shown.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
    const listed = await cli(dir, ['list', '--limit', '50']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect((await cli(dir, ['doctor'])).code).toBe(0);
    // The SQL-looking title did nothing to the database.
    expect((await cliJson<{ entries: number }>(dir, ['stats'])).entries).toBe(hostile.length);
  });

  it('search never fails on FTS5 syntax, quotes or control characters', async () => {
    for (const q of ['"unbalanced', 'NEAR(', 'title:x', '^y', 'a OR', '-', '*', 'a\u0001b', ')))(((', '@', '#', 'kind:', 'after:notadate']) {
      const r = await cli(j.dir, ['search', '--', q]);
      expect({ q, code: r.code, stderr: r.stderr }).toEqual({ q, code: 0, stderr: '' });
    }
  });
});
