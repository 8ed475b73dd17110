/** Every command's happy path, in-process against a real journal in a temporary folder. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Entry, EntryDetail, Page, PersonEntry, QuestionEntry, Revision } from '../../../shared/domain/entry.ts';
import type { DoctorReport, ImportReport, JournalExport, JournalStats } from '../../../shared/domain/journal.ts';
import type { SearchResult, WhoKnowsResult } from '../../../shared/domain/search.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { openCore } from '../core.ts';
import { EntryCreateInput } from '../../../shared/api/schemas.ts';
import { cli, cliJson, journalState } from './testing.ts';

const journal = () => tempDir('outloud-cli-');

/** A folder with a journal that holds nothing yet (a command that only reads refuses a missing one). */
function emptyJournal(): string {
  const dir = journal();
  openCore({ dataDir: dir }).close();
  return dir;
}

async function addNote(dir: string, text: string, ...flags: string[]): Promise<Entry> {
  return cliJson<Entry>(dir, ['add', text, ...flags]);
}

describe('outloud add', () => {
  it('saves a note from the arguments, recognising tags and mentions', async () => {
    const dir = journal();
    const r = await cli(dir, ['add', 'Drafted the agenda for the summit; @Rogier will speak', '#summit2014', '--tag', 'Planning']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Saved note [0-9a-z]{16}: Drafted the agenda for the summit; @Rogier will speak #summit2014\n$/);
    const id = /Saved note (\S+):/.exec(r.stdout)![1]!;
    const detail = await cliJson<EntryDetail>(dir, ['show', id]);
    expect(detail.entry).toMatchObject({ kind: 'note', source: 'cli', body: 'Drafted the agenda for the summit; @Rogier will speak #summit2014' });
    expect(detail.entry.tags.sort()).toEqual(['planning', 'summit2014']);
    expect(detail.links).toEqual([expect.objectContaining({ type: 'mentions', entry: expect.objectContaining({ kind: 'person', title: 'Rogier' }) })]);
  });

  it('--json prints exactly the saved entry', async () => {
    const dir = journal();
    const entry = await addNote(dir, 'Plain note', '--title', 'A title');
    expect(entry).toMatchObject({ kind: 'note', title: 'A title', body: 'Plain note', source: 'cli', deletedAt: null });
    expect(Object.keys(entry).sort()).toEqual(['body', 'createdAt', 'deletedAt', 'id', 'kind', 'source', 'sourceRef', 'tags', 'title', 'updatedAt']);
  });

  it('reads the text from stdin when TEXT is -', async () => {
    const dir = journal();
    const entry = await cliJson<Entry>(dir, ['add', '-'], { stdin: 'first line\n\nsecond paragraph with #piped\n' });
    expect(entry.body).toBe('first line\n\nsecond paragraph with #piped\n');
    expect(entry.title).toBe('first line');
    expect(entry.tags).toEqual(['piped']);
  });

  it('saves a bookmark, and the same URL again is the same bookmark with both notes', async () => {
    const dir = journal();
    const first = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://Example.org/post?utm_source=x', 'why it matters', '--tag', 'web', '--title', 'A post']);
    expect(first).toMatchObject({ kind: 'bookmark', title: 'A post', tags: ['web'] });
    const again = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.org/post', 'second thought']);
    expect(again.id).toBe(first.id);
    expect(again.kind === 'bookmark' && again.bookmark.notes).toEqual(['why it matters', 'second thought']);
  });

  it('saves a person with role, organisation, topics, aliases and who recommended them', async () => {
    const dir = journal();
    const r = await cli(dir, [
      'add',
      '--person',
      'Ada Lovelace',
      '--role',
      'Engineer',
      '--org',
      'Analytical Engines',
      '--topic',
      'math',
      '--topic',
      'engines',
      '--alias',
      'ada',
      '--contact',
      'ada@example.org',
      '--recommended-by',
      'Charles',
      'Met at the summit',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Saved person \S+: Ada Lovelace\n$/);
    const list = await cliJson<Page<Entry>>(dir, ['list', '--kind', 'person']);
    const ada = list.items.find((e) => e.title === 'Ada Lovelace');
    expect(ada?.kind === 'person' && ada.person).toEqual({
      name: 'Ada Lovelace',
      aliases: ['ada'],
      role: 'Engineer',
      organisation: 'Analytical Engines',
      contacts: ['ada@example.org'],
      topics: ['math', 'engines'],
      recommendedBy: 'Charles',
    });
    expect(list.items.map((e) => e.title)).toContain('Charles');
  });

  it('refuses a person already in the journal, says how to reach them, and adds someone else of that name with --same-name', async () => {
    const dir = journal();
    const ada = await cliJson<Entry>(dir, ['add', '--person', 'Ada Lovelace', '--role', 'Analyst']);
    const again = await cli(dir, ['add', '--person', 'ada lovelace', '--topic', 'engines']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    const id = /\(([0-9a-z]+)\)/.exec(again.stderr)?.[1] ?? '';
    expect(ada.id.startsWith(id) && id.length >= 4).toBe(true);
    expect(again.stderr).toBe(
      `outloud: Ada Lovelace is already in your journal (${id}): nothing was saved. \`outloud show ${id}\` shows them, \`outloud edit ${id}\` changes them; --same-name adds someone else of that name\n`,
    );
    expect((await cliJson<EntryDetail>(dir, ['show', id])).entry.id).toBe(ada.id);
    expect((await cliJson<Page<Entry>>(dir, ['list', '--kind', 'person'])).items).toHaveLength(1);
    const other = await cliJson<Entry>(dir, ['add', '--person', 'Ada Lovelace', '--same-name', '--org', 'Elsewhere']);
    expect(other.id).not.toBe(ada.id);
    expect((await cliJson<Page<Entry>>(dir, ['list', '--kind', 'person'])).items.map((e) => e.id).sort()).toEqual([ada.id, other.id].sort());
    // As an alias, her name is taken too; --same-name goes with --person only.
    expect((await cli(dir, ['add', '--person', 'Augusta King', '--alias', 'Ada Lovelace'])).stderr).toMatch(/^outloud: Ada Lovelace is already in your journal/);
    expect(await cli(dir, ['add', '--same-name', 'a note'])).toMatchObject({ code: 2, stderr: 'outloud: --same-name goes with --person NAME\n' });
    // Renaming someone else to her name: refused the same way, or kept with --same-name.
    const grace = await cliJson<Entry>(dir, ['add', '--person', 'Grace Hopper']);
    const renamed = await cli(dir, ['edit', grace.id, '--title', 'Ada Lovelace']);
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toMatch(/^outloud: Ada Lovelace is already in your journal \(\w+\): nothing was saved\. .*; --same-name keeps the new name all the same\n$/);
    expect((await cliJson<EntryDetail>(dir, ['show', grace.id])).entry.title).toBe('Grace Hopper');
    expect((await cliJson<Entry>(dir, ['edit', grace.id, '--title', 'Ada Lovelace', '--same-name'])).title).toBe('Ada Lovelace');
  });

  it('saves a question', async () => {
    const dir = journal();
    const q = await cliJson<Entry>(dir, ['add', '--question', 'How do we publish to Mastodon?', '--asked-by', 'Mia']);
    expect(q.kind === 'question' && q.question).toMatchObject({ status: 'open', askedBy: 'Mia' });
  });
});

describe('outloud show / list', () => {
  it('shows an entry by its full id or a unique prefix, with backlinks', async () => {
    const dir = journal();
    const note = await addNote(dir, 'Lunch with @[Grace Hopper] about #compilers');
    const person = (await cliJson<Page<Entry>>(dir, ['list', '--kind', 'person'])).items[0]!;
    const full = await cli(dir, ['show', person.id]);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain(`person ${person.id}`);
    expect(full.stdout).toMatch(/Backlinks\n\s+mentions\s+note\s+\S+\s+Lunch with @Grace Hopper about #compilers/);
    const byPrefix = await cliJson<EntryDetail>(dir, ['show', note.id.slice(0, 12)]);
    expect(byPrefix.entry.id).toBe(note.id);
    expect(byPrefix.links[0]?.entry.id).toBe(person.id);
    const upper = await cliJson<EntryDetail>(dir, ['show', note.id.toUpperCase()]);
    expect(upper.entry.id).toBe(note.id);
  });

  it('shows when the text was edited, and no edit for a move to the trash and back', async () => {
    const dir = journal();
    const note = await addNote(dir, 'first text');
    await cli(dir, ['rm', note.id]);
    await cli(dir, ['restore', note.id]);
    const restored = await cli(dir, ['show', note.id]);
    expect(restored.stdout).toMatch(/Created /);
    expect(restored.stdout).not.toMatch(/Edited|Updated/);
    expect((await cliJson<EntryDetail>(dir, ['show', note.id])).editedAt).toBeNull();
    const edited = await cliJson<Entry>(dir, ['edit', note.id, '--body', 'second text']);
    const shown = await cli(dir, ['show', note.id]);
    expect(shown.stdout).toMatch(/Edited\s+\d{4}-\d\d-\d\d \d\d:\d\d/);
    expect((await cliJson<EntryDetail>(dir, ['show', note.id])).editedAt).toBe(edited.updatedAt);
  });

  it('lists newest first, aligned, with short ids that show resolves', async () => {
    const dir = journal();
    const a = await addNote(dir, 'first #alpha');
    const b = await addNote(dir, 'second');
    const r = await cli(dir, ['list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^(\S+) {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}note {2}second$/);
    expect(lines[1]).toMatch(/^\S+ {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}note {2}first #alpha {2}#alpha$/);
    const shortB = lines[0]!.split(' ')[0]!;
    expect(shortB.length).toBeLessThan(b.id.length);
    expect(b.id.startsWith(shortB)).toBe(true);
    expect((await cliJson<EntryDetail>(dir, ['show', shortB])).entry.id).toBe(b.id);
    expect((await cliJson<Page<Entry>>(dir, ['list', '--tag', 'alpha'])).items.map((e) => e.id)).toEqual([a.id]);
  });

  it('filters by kind and by date, and pages past 200 entries with --limit', async () => {
    const dir = journal();
    const core = openCore({ dataDir: dir });
    const day = (d: string) => new Date(`${d}T12:00:00`).getTime();
    for (let i = 0; i < 230; i++) {
      const r = await core.dispatch('entries.create', { body: `note ${i}`, createdAt: day('2014-05-01') + i });
      expect(r.ok).toBe(true);
    }
    await core.dispatch('entries.create', { body: 'later', createdAt: day('2014-06-10') });
    await core.dispatch('entries.create', { kind: 'question', body: 'asked', createdAt: day('2014-06-11') });
    core.close();

    const june = await cliJson<Page<Entry>>(dir, ['list', '--since', '2014-06-01']);
    expect(june.items.map((e) => e.body)).toEqual(['asked', 'later']);
    const may = await cliJson<Page<Entry>>(dir, ['list', '--until', '2014-05-31', '--limit', '3']);
    expect(may.items.map((e) => e.body)).toEqual(['note 229', 'note 228', 'note 227']);
    expect(may.nextCursor).not.toBeNull();
    const questions = await cliJson<Page<Entry>>(dir, ['list', '--kind', 'question']);
    expect(questions.items.map((e) => e.body)).toEqual(['asked']);
    const all = await cliJson<Page<Entry>>(dir, ['list', '--limit', '1000']);
    expect(all.items).toHaveLength(232);
    expect(new Set(all.items.map((e) => e.id)).size).toBe(232);
    expect(all.nextCursor).toBeNull();
    const human = await cli(dir, ['list', '--limit', '5']);
    expect(human.stdout.trimEnd().split('\n')).toHaveLength(6);
    expect(human.stdout).toContain('Showing the newest 5; --limit shows more.');
  });

  it('lists by dates as people write them: a month, and days counted back from today', async () => {
    const dir = emptyJournal();
    const core = openCore({ dataDir: dir });
    const now = Date.now();
    const DAY = 86_400_000;
    for (const [body, createdAt] of [['ten days ago', now - 10 * DAY], ['three days ago', now - 3 * DAY], ['now', now], ['in 2014', new Date(2014, 4, 10, 12).getTime()]] as const) {
      expect((await core.dispatch('entries.create', { body, createdAt })).ok).toBe(true);
    }
    core.close();
    const bodies = async (...args: string[]) => (await cliJson<Page<Entry>>(dir, ['list', ...args])).items.map((e) => e.body);
    expect(await bodies('--since', '7d')).toEqual(['now', 'three days ago']);
    expect(await bodies('--since', '7d', '--until', '2d')).toEqual(['three days ago']);
    expect(await bodies('--since', '2w', '--until', '1w')).toEqual(['ten days ago']);
    expect(await bodies('--since', 'yesterday')).toEqual(['now']);
    expect(await bodies('--since', '2014-05', '--until', '2014')).toEqual(['in 2014']);
    const refused = await cli(dir, ['list', '--since', 'last-week']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('outloud: --since: not a valid date (use YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, or 3d, 2w, 6m, 1y for days, weeks, months, years ago)\n');
  });

  it('says so when there is nothing to list', async () => {
    const dir = emptyJournal();
    expect(await cli(dir, ['list'])).toMatchObject({ code: 0, stdout: 'No entries.\n' });
    expect(await cli(dir, ['list', '--trash'])).toMatchObject({ code: 0, stdout: 'The trash is empty.\n' });
  });
});

describe('outloud search / who', () => {
  it('finds entries and marks the matches with «» when stdout is not a terminal', async () => {
    const dir = journal();
    const hit = await addNote(dir, 'Drafted the agenda for the summit');
    await addNote(dir, 'Lunch with the team');
    const result = await cliJson<SearchResult>(dir, ['search', 'agenda']);
    expect(result.hits.map((h) => h.entry.id)).toEqual([hit.id]);
    const human = await cli(dir, ['search', 'agenda']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('«');
    expect(human.stdout).toMatch(/«agenda»/i);
    expect(human.stdout).not.toContain('\u001b[');
  });

  it('marks matches with ANSI bold/inverse on a terminal, and not when NO_COLOR is set', async () => {
    const dir = journal();
    await addNote(dir, 'Drafted the agenda for the summit');
    const tty = await cli(dir, ['search', 'agenda'], { stdoutIsTTY: true });
    expect(tty.stdout).toContain('\u001b[1;7m');
    expect(tty.stdout).not.toContain('«');
    const noColor = await cli(dir, ['search', 'agenda'], { stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(noColor.stdout).toContain('«');
  });

  it('shortens a long title on a terminal before marking it: every mark is closed, whatever the cut', async () => {
    const dir = journal();
    // The cut (400 characters) falls before, inside and just after the marked word "needle".
    for (const words of [195, 196, 197, 198, 199, 200]) await addNote(dir, 'just a body', '--title', `${'w '.repeat(words)}needle zz`);
    const r = await cli(dir, ['search', 'needle', '--limit', '50'], { stdoutIsTTY: true });
    expect(r.code).toBe(0);
    const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
    const titles = r.stdout.split('\n').filter((line) => line.includes('w w w'));
    expect(titles).toHaveLength(6);
    for (const line of titles) {
      // Marks open bold+inverse and close it, in pairs: none is left open at the end of a line.
      const marks = line.match(/\u001b\[(?:1;7|22;27)m/g) ?? [];
      expect(marks.join('')).toBe('\u001b[1;7m\u001b[22;27m'.repeat(Math.ceil(marks.length / 2)));
      expect([...plain(line).slice(plain(line).indexOf('w w'))].length).toBeLessThanOrEqual(400);
    }
    const endings = titles.map((line) => line.slice(line.lastIndexOf('w') + 1)).sort();
    expect(endings).toEqual(
      [
        ' \u001b[1;7mneedle\u001b[22;27m zz', // 195 words: 399 characters, not cut
        ' \u001b[1;7mneedle\u001b[22;27m…',
        ' \u001b[1;7mneedl\u001b[22;27m…',
        ' \u001b[1;7mnee\u001b[22;27m…',
        ' \u001b[1;7mn\u001b[22;27m…',
        '…', // 200 words: cut before the word
      ].sort(),
    );
  });

  it('a stray --option names a quoted query that searches for it as text, not -- (which would exclude it)', async () => {
    const dir = journal();
    const watch = await addNote(dir, 'run it with --watch to follow');
    const r = await cli(dir, ['search', '--watch']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    const hint = /\(to search for it, quote it: outloud search (.+)\)\n$/.exec(r.stderr);
    expect(hint?.[1]).toBe(`'"--watch"'`);
    // What the hint says to type, as a POSIX shell passes it on: finds the entry with "--watch".
    const typed = spawnSync('sh', ['-c', `printf '%s\\n' ${hint![1]}`], { encoding: 'utf8' }).stdout.trimEnd();
    const found = await cliJson<SearchResult>(dir, ['search', typed]);
    expect(found.hits.map((h) => h.entry.id)).toContain(watch.id);
    // What the old hint said (-- before it) excludes the word instead.
    const dashed = await cliJson<SearchResult>(dir, ['search', '--', '--watch']);
    expect(dashed.hits.map((h) => h.entry.id)).not.toContain(watch.id);
    // A word with a quote of its own is quoted so that it survives the shell too.
    const quoted = await cli(dir, ['search', "--it's"]);
    const hint2 = /quote it: outloud search (.+)\)\n$/.exec(quoted.stderr)![1]!;
    expect(spawnSync('sh', ['-c', `printf '%s' ${hint2}`], { encoding: 'utf8' }).stdout).toBe(`"--it's"`);
  });

  it('passes -word (exclude) through to the query, and joins several words', async () => {
    const dir = journal();
    const keep = await addNote(dir, 'summit agenda draft');
    await addNote(dir, 'summit lunch menu');
    const both = await cliJson<SearchResult>(dir, ['search', 'summit']);
    expect(both.hits).toHaveLength(2);
    const excluded = await cliJson<SearchResult>(dir, ['search', 'summit', '-lunch']);
    expect(excluded.hits.map((h) => h.entry.id)).toEqual([keep.id]);
    const dashed = await cliJson<SearchResult>(dir, ['search', '--limit', '5', '--', 'summit', '-lunch']);
    expect(dashed.hits.map((h) => h.entry.id)).toEqual([keep.id]);
  });

  it('says how many matches there are beyond the page, with a + when it stopped counting', async () => {
    const dir = journal();
    const core = openCore({ dataDir: dir });
    try {
      core.services.entries.createMany(Array.from({ length: 1_001 }, (_, i) => EntryCreateInput.parse({ body: `heron ${i}`, createdAt: 1_400_000_000_000 + i })));
    } finally {
      core.close();
    }
    expect((await cli(dir, ['search', 'heron', '--limit', '3'])).stdout).toMatch(/\n3 of 1,000\+ matches \(--limit shows more\)\n$/);
    expect((await cli(dir, ['search', '"heron 7"', '--limit', '3'])).stdout).not.toContain('matches (--limit');
    expect((await cli(dir, ['search', 'heron', '1000', 'OR', '999', 'OR', '998', 'OR', '997', '--limit', '3'])).stdout).toMatch(/\n3 of 4 matches \(--limit shows more\)\n$/);
  });

  it('says when nothing matches, with exit 0', async () => {
    const dir = journal();
    await addNote(dir, 'Drafted the agenda');
    const r = await cli(dir, ['search', 'zyxwvut']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No entries match "zyxwvut"\./);
  });

  it('who TOPIC ranks the people who know about it', async () => {
    const dir = journal();
    const ada = await cliJson<Entry>(dir, ['add', '--person', 'Ada Lovelace', '--topic', 'mathematics']);
    await addNote(dir, 'Asked @[Grace Hopper] about compilers and mathematics');
    const results = await cliJson<WhoKnowsResult[]>(dir, ['who', 'mathematics']);
    expect(results.map((r) => r.person.id)).toContain(ada.id);
    const human = await cli(dir, ['who', 'mathematics']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Ada Lovelace');
  });

  it('who TOPIC puts the person with that exact topic first, and not one whose topic differs in a digit', async () => {
    const dir = journal();
    await cli(dir, ['add', '--person', 'Alice', '--topic', 'python2']);
    await cli(dir, ['add', '--person', 'Bob', '--topic', 'python3']);
    await cli(dir, ['add', '--person', 'Ann', '--topic', 'pyhton3']); // a typo of it: listed, after Bob
    const names = (await cliJson<WhoKnowsResult[]>(dir, ['who', 'python3'])).map((r) => r.person.title);
    expect(names).toEqual(['Bob', 'Ann']);
  });
});

describe('outloud edit / rm / restore / purge / history', () => {
  it('edits body, title and tags, keeping the old version as a revision', async () => {
    const dir = journal();
    const note = await addNote(dir, 'first version #a');
    const edited = await cliJson<Entry>(dir, ['edit', note.id, '--body', 'second version', '--tag', 'b', '--tag', 'c']);
    expect(edited).toMatchObject({ id: note.id, body: 'second version', tags: ['b', 'c'] });
    const titled = await cli(dir, ['edit', note.id.slice(0, 12), '--title', 'New title']);
    expect(titled).toMatchObject({ code: 0, stdout: `Updated note ${note.id}: New title\n` });
    const history = await cliJson<Revision[]>(dir, ['history', note.id]);
    expect(history.map((r) => r.body)).toEqual(['second version', 'first version #a']);
    const human = await cli(dir, ['history', note.id]);
    expect(human.stdout).toMatch(/REV\s+REPLACED\s+TITLE/);
    expect(human.stdout).toContain('first version #a');
  });

  it("edit --tag '' removes the tags given before and keeps the text's #tags", async () => {
    const dir = journal();
    const note = await addNote(dir, 'Fixed the build #ci', '--tag', 'infra', '--tag', 'urgent');
    expect(note.tags).toEqual(['infra', 'urgent', 'ci']);
    expect((await cliJson<Entry>(dir, ['edit', note.id, '--tag', ''])).tags).toEqual(['ci']);
    expect((await cliJson<Entry>(dir, ['edit', note.id, '--tag', '', '--tag', 'later'])).tags).toEqual(['later', 'ci']);
  });

  it('edit --body - reads the new text from stdin', async () => {
    const dir = journal();
    const note = await addNote(dir, 'old');
    const edited = await cliJson<Entry>(dir, ['edit', note.id, '--body', '-'], { stdin: 'new from a pipe' });
    expect(edited.body).toBe('new from a pipe');
  });

  it('opens $EDITOR on the body when no flag is given in a terminal', async () => {
    const dir = journal();
    const note = await addNote(dir, 'draft text');
    const editor = path.join(tempDir(), 'fake-editor.sh');
    fs.writeFileSync(editor, '#!/bin/sh\nprintf "edited in the editor\\n" > "$1"\n', { mode: 0o755 });
    const r = await cli(dir, ['--json', 'edit', note.id], { stdinIsTTY: true, env: { EDITOR: editor } });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Entry).body).toBe('edited in the editor');
    // An editor that saves the text unchanged changes nothing.
    const same = path.join(tempDir(), 'same-editor.sh');
    fs.writeFileSync(same, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const before = await journalState(dir);
    const r2 = await cli(dir, ['edit', note.id], { stdinIsTTY: true, env: { VISUAL: same } });
    expect(r2).toMatchObject({ code: 0, stdout: `No changes to note ${note.id}.\n` });
    expect(await journalState(dir)).toBe(before);
  });

  it('an editor that removes the file changes nothing, says so, and leaves no temporary folder', async () => {
    const dir = journal();
    const note = await addNote(dir, 'draft text');
    const tools = tempDir();
    const editor = path.join(tools, 'removing-editor.sh');
    const seen = path.join(tools, 'seen'); // where the editor notes the file it was given
    fs.writeFileSync(editor, `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\nrm -f "$1"\n`, { mode: 0o755 });
    const before = await journalState(dir);
    const r = await cli(dir, ['edit', note.id], { stdinIsTTY: true, env: { EDITOR: editor } });
    expect(r).toEqual({ code: 1, stdout: '', stderr: `outloud: The editor (${editor}) removed the file it was editing; nothing was changed\n` });
    expect(await journalState(dir)).toBe(before);
    const edited = fs.readFileSync(seen, 'utf8');
    expect(path.basename(path.dirname(edited))).toMatch(/^outloud-edit-/);
    expect(fs.existsSync(path.dirname(edited))).toBe(false);
  });

  it('an editor that empties a note abandons the edit and leaves no temporary folder; a bookmark may lose its notes', async () => {
    const dir = journal();
    const note = await addNote(dir, 'draft text');
    const tools = tempDir();
    const editor = path.join(tools, 'emptying-editor.sh');
    const seen = path.join(tools, 'seen');
    fs.writeFileSync(editor, `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n: > "$1"\n`, { mode: 0o755 });
    const before = await journalState(dir);
    const r = await cli(dir, ['edit', note.id], { stdinIsTTY: true, env: { EDITOR: editor } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^outloud: .*an entry needs some text.*; the edited text was empty, so nothing was changed\n$/);
    expect(r.stderr).not.toContain('kept in');
    expect(await journalState(dir)).toBe(before);
    expect(fs.existsSync(path.dirname(fs.readFileSync(seen, 'utf8')))).toBe(false);

    const bookmark = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.com/x', 'why it matters']);
    const b = await cliJson<Entry>(dir, ['edit', bookmark.id], { stdinIsTTY: true, env: { EDITOR: editor } });
    expect(b.body).toBe('');
    expect(fs.existsSync(path.dirname(fs.readFileSync(seen, 'utf8')))).toBe(false);
  });

  it('moves to the trash, restores, and purges once confirmed: --yes, or yes in a terminal', async () => {
    const dir = journal();
    const note = await addNote(dir, 'to be trashed');
    const rm = await cli(dir, ['rm', note.id]);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain('to the trash');
    expect((await cliJson<Page<Entry>>(dir, ['list'])).items).toHaveLength(0);
    const trash = await cliJson<Page<Entry>>(dir, ['list', '--trash']);
    expect(trash.items.map((e) => e.id)).toEqual([note.id]);
    expect((await cli(dir, ['show', note.id])).stdout).toContain('in the trash since');

    expect((await cliJson<Entry>(dir, ['restore', note.id])).deletedAt).toBeNull();
    expect((await cliJson<Page<Entry>>(dir, ['list'])).items).toHaveLength(1);

    await cli(dir, ['rm', note.id]);
    // Off a terminal only with --yes; in one it asks, and anything but yes keeps the entry.
    expect(await cli(dir, ['purge', note.id])).toMatchObject({ code: 2, stderr: expect.stringContaining('add --yes to confirm') });
    const declined = await cli(dir, ['purge', note.id], { stdin: 'n\n', stdinIsTTY: true });
    expect(declined).toEqual({ code: 1, stdout: '', stderr: 'Delete “to be trashed” and its history for good? This cannot be undone. [y/N] outloud: Nothing was deleted; “to be trashed” stays in the trash\n' });
    expect((await cli(dir, ['show', note.id])).code).toBe(0);
    const purged = await cliJson<{ id: string }>(dir, ['purge', note.id, '--yes']);
    expect(purged).toEqual({ id: note.id });
    expect((await cli(dir, ['show', note.id])).code).toBe(1);

    // Asked in a terminal, yes purges; a live entry is refused without asking.
    const other = await addNote(dir, 'also to be trashed');
    expect(await cli(dir, ['purge', other.id], { stdin: 'y\n', stdinIsTTY: true })).toMatchObject({ code: 1, stderr: expect.stringMatching(/^outloud: Only entries in the trash can be purged/) });
    await cli(dir, ['rm', other.id]);
    expect(await cli(dir, ['purge', other.id], { stdin: 'yes\n', stdinIsTTY: true })).toMatchObject({ code: 0, stdout: `Purged ${other.id} for good.\n` });
    expect((await cli(dir, ['show', other.id])).code).toBe(1);
  });

  it('purge --all empties the trash: asks in a terminal, needs --yes elsewhere, says how many with --json', async () => {
    const dir = journal();
    const kept = await addNote(dir, 'a note that stays');
    const trashed = [];
    for (const text of ['first to go', 'second to go', 'third to go']) {
      const note = await addNote(dir, text);
      await cli(dir, ['rm', note.id]);
      trashed.push(note);
    }
    const before = await journalState(dir);
    // Not in a terminal: refused without --yes (a usage error), nothing deleted.
    expect(await cli(dir, ['purge', '--all'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'outloud: purge --all deletes every entry in the trash for good; add --yes to confirm\n',
    });
    // In a terminal: asked, and anything but yes keeps them (exit 1).
    for (const answer of ['n\n', '\n', 'yes please\n', '']) {
      const declined = await cli(dir, ['purge', '--all'], { stdin: answer, stdinIsTTY: true });
      expect(declined.code).toBe(1);
      expect(declined.stdout).toBe('');
      expect(declined.stderr).toMatch(/^Delete the 3 entries in the trash for good, with their history\? This cannot be undone\. \[y\/N\] \n?outloud: Nothing was deleted; the 3 entries stay in the trash\n$/);
    }
    expect(await journalState(dir)).toBe(before);
    // Usage errors: an id and --all, or neither.
    expect(await cli(dir, ['purge', trashed[0]!.id, '--all', '--yes'])).toMatchObject({ code: 2, stderr: 'outloud: give an id or --all, not both\n' });
    expect(await cli(dir, ['purge'])).toMatchObject({ code: 2, stderr: "outloud: missing required argument 'id' (or --all to empty the trash)\n" });
    expect(await journalState(dir)).toBe(before);

    // y in a terminal deletes them, and says how many.
    const confirmed = await cli(dir, ['purge', '--all'], { stdin: 'Y\n', stdinIsTTY: true });
    expect(confirmed).toMatchObject({ code: 0, stdout: 'Deleted 3 entries in the trash for good.\n' });
    for (const note of trashed) expect((await cli(dir, ['show', note.id])).code).toBe(1);
    expect((await cliJson<Page<Entry>>(dir, ['list'])).items.map((e) => e.id)).toEqual([kept.id]);

    // --yes --json, in a script: nothing asked; then an empty trash is no error.
    const again = await addNote(dir, 'another to go');
    await cli(dir, ['rm', again.id]);
    const json = await cli(dir, ['--json', 'purge', '--all', '--yes']);
    expect(json).toEqual({ code: 0, stdout: '{\n  "purged": 1\n}\n', stderr: '' });
    expect(await cli(dir, ['purge', '--all', '--yes'])).toEqual({ code: 0, stdout: 'The trash is empty; nothing was deleted.\n', stderr: '' });
    expect(await cliJson(dir, ['purge', '--all', '--yes'])).toEqual({ purged: 0 });
    expect((await cliJson<JournalStats>(dir, ['stats'])).trashed).toBe(0);
    // A folder with no journal is refused, not given an empty one.
    const nowhere = path.join(journal(), 'missing');
    expect(await cli(nowhere, ['purge', '--all', '--yes'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^outloud: No journal in .*missing/) });
  });

  it('history --restore REV brings an earlier revision back', async () => {
    const dir = journal();
    const note = await addNote(dir, 'version one');
    await cli(dir, ['edit', note.id, '--body', 'version two']);
    const [rev] = await cliJson<Revision[]>(dir, ['history', note.id]);
    const restored = await cliJson<Entry>(dir, ['history', note.id, '--restore', String(rev!.id)]);
    expect(restored.body).toBe('version one');
    expect((await cliJson<Revision[]>(dir, ['history', note.id])).map((r) => r.body)).toEqual(['version two', 'version one']);
  });
});

describe("outloud edit: a bookmark's address, a person's details, a question's answer and status", () => {
  it('answers a question, closes it, and opens it again; list and search show its status', async () => {
    const dir = journal();
    const q = await cliJson<Entry>(dir, ['add', '--question', 'How do we rotate the signing key?', '--asked-by', 'Ada']);
    expect(q).toMatchObject({ kind: 'question', question: { status: 'open', askedBy: 'Ada', answer: '' } });

    const answered = await cli(dir, ['edit', q.id, '--answer', 'With the runbook in ops/keys.md']);
    expect(answered).toEqual({ code: 0, stdout: `Updated question ${q.id}: How do we rotate the signing key?\n`, stderr: '' });
    const shown = (await cli(dir, ['show', q.id])).stdout;
    expect(shown).toMatch(/^Status\s+answered$/m);
    expect(shown).toMatch(/^Answer\nWith the runbook in ops\/keys\.md$/m);
    expect((await cli(dir, ['list'])).stdout).toMatch(/^\w{4,}\s+\S+ \S+\s+question, answered\s+How do we rotate the signing key\?$/m);

    const closed = await cliJson<Entry>(dir, ['edit', q.id, '--status', 'closed']);
    expect(closed).toMatchObject({ question: { status: 'closed', answer: 'With the runbook in ops/keys.md' } });
    expect((await cliJson<SearchResult>(dir, ['search', 'is:closed', 'signing'])).hits.map((h) => h.entry.id)).toEqual([q.id]);
    // A closed question stays closed when its answer is cleared; reopened, it is open with none.
    expect(await cliJson<Entry>(dir, ['edit', q.id, '--answer', ''])).toMatchObject({ question: { status: 'closed', answer: '' } });
    expect(await cliJson<Entry>(dir, ['edit', q.id, '--status', 'open', '--asked-by', 'Grace'])).toMatchObject({ question: { status: 'open', askedBy: 'Grace' } });
    // Each change kept the one before as a revision.
    expect((await cliJson<Revision[]>(dir, ['history', q.id])).length).toBe(4);
  });

  it('--answer - reads the answer from stdin; add --question takes --answer and --status', async () => {
    const dir = journal();
    const q = await cliJson<Entry>(dir, ['add', '--question', 'Which region for the replica?']);
    const edited = await cliJson<QuestionEntry>(dir, ['edit', q.id, '--answer', '-'], { stdin: 'eu-west-1, beside the primary\n' });
    expect(edited.question).toMatchObject({ status: 'answered', answer: 'eu-west-1, beside the primary\n' });
    expect(await cliJson<Entry>(dir, ['add', '--question', 'Who owns the pager?', '--answer', 'Team Blue'])).toMatchObject({ question: { status: 'answered', answer: 'Team Blue' } });
    expect(await cliJson<Entry>(dir, ['add', '--question', 'Old question', '--status', 'closed'])).toMatchObject({ question: { status: 'closed', answer: '' } });
    const piped = await cliJson<QuestionEntry>(dir, ['add', '--question', 'Why is the build slow?', '--answer', '-'], { stdin: 'The cache key changed' });
    expect(piped.question.answer).toBe('The cache key changed');
  });

  it("moves a bookmark to a new address: its site and a title that was the address follow, and notes citing it refer to it", async () => {
    const dir = journal();
    const bookmark = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.org/old-page', 'why it matters']);
    const citing = await addNote(dir, 'Read https://docs.example.com/new-page?utm_source=mail before Monday');
    const moved = await cliJson<Entry>(dir, ['edit', bookmark.id, '--url', 'https://www.docs.example.com/new-page/', '--excerpt', 'The new page']);
    expect(moved).toMatchObject({
      title: 'https://www.docs.example.com/new-page/',
      bookmark: { url: 'https://www.docs.example.com/new-page/', site: 'docs.example.com', excerpt: 'The new page', urlNormalized: 'https://docs.example.com/new-page' },
    });
    const detail = await cliJson<EntryDetail>(dir, ['show', bookmark.id]);
    expect(detail.backlinks).toEqual([expect.objectContaining({ type: 'refers-to', entry: expect.objectContaining({ id: citing.id }) })]);
    expect((await cliJson<Page<Entry>>(dir, ['list', '--site', 'docs.example.com'])).items.map((e) => e.id)).toEqual([bookmark.id]);
    expect((await cliJson<Page<Entry>>(dir, ['list', '--site', 'example.org'])).items).toEqual([]);
  });

  it("a bookmark moved to an address another bookmark has is refused, naming that bookmark", async () => {
    const dir = journal();
    const first = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.org/a']);
    const second = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.org/b']);
    const before = await journalState(dir);
    const r = await cli(dir, ['edit', second.id, '--url', 'https://www.example.org/a/']);
    const short = /\((\w+)\): nothing was saved/.exec(r.stderr)?.[1] ?? '';
    expect(first.id.startsWith(short) && short.length >= 4).toBe(true);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `outloud: Another bookmark already has this address (${short}): nothing was saved. \`outloud show ${short}\` shows it\n` });
    expect(await journalState(dir)).toBe(before);
  });

  it("sets a person's other names, role, organisation, topics and contacts; mentions of a new alias reach them", async () => {
    const dir = journal();
    const grace = await cliJson<Entry>(dir, ['add', '--person', 'Grace Hopper', '--role', 'Rear admiral']);
    const edited = await cliJson<PersonEntry>(dir, [
      'edit', grace.id, '--alias', 'Amazing Grace', '--alias', '@grace', '--org', 'US Navy', '--topic', 'COBOL', '--topic', 'compilers', '--contact', 'grace@example.org', '--recommended-by', 'Ada',
    ]);
    expect(edited.person).toEqual({ name: 'Grace Hopper', aliases: ['Amazing Grace', 'grace'], role: 'Rear admiral', organisation: 'US Navy', contacts: ['grace@example.org'], topics: ['COBOL', 'compilers'], recommendedBy: 'Ada' });
    const note = await addNote(dir, 'Asked @grace about the linker');
    expect((await cliJson<EntryDetail>(dir, ['show', note.id])).links).toEqual([expect.objectContaining({ type: 'mentions', entry: expect.objectContaining({ id: grace.id }) })]);
    expect((await cliJson<WhoKnowsResult[]>(dir, ['who', 'COBOL'])).map((r) => r.person.id)).toEqual([grace.id]);
    // An empty value removes them all; what was not given stays.
    const cleared = await cliJson<PersonEntry>(dir, ['edit', grace.id, '--alias', '', '--topic', '']);
    expect(cleared.person).toMatchObject({ aliases: [], topics: [], role: 'Rear admiral', contacts: ['grace@example.org'] });
  });

  it("a person given another person's name as an alias is refused; --same-name keeps it", async () => {
    const dir = journal();
    const ada = await cliJson<Entry>(dir, ['add', '--person', 'Ada Lovelace']);
    const grace = await cliJson<Entry>(dir, ['add', '--person', 'Grace Hopper']);
    const r = await cli(dir, ['edit', grace.id, '--alias', 'ada lovelace']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^outloud: Ada Lovelace is already in your journal \((\w+)\): nothing was saved\. `outloud show \1` shows them, `outloud edit \1` changes them; --same-name keeps the new name all the same\n$/);
    expect(ada.id.startsWith(/\((\w+)\)/.exec(r.stderr)![1]!)).toBe(true);
    expect((await cliJson<PersonEntry>(dir, ['edit', grace.id, '--alias', 'ada lovelace', '--same-name'])).person.aliases).toEqual(['ada lovelace']);
  });

  it('add --answers and edit --answers make an entry the answer to a question; --answers \'\' takes it back', async () => {
    const dir = journal();
    const q = await cliJson<QuestionEntry>(dir, ['add', '--question', 'Can the workshop take 30 people?']);
    const r = await cli(dir, ['add', 'The venue says the second room seats 30', '--answers', q.id.slice(0, 8)]);
    expect(r.stdout).toMatch(/^Saved note (\w+): The venue says the second room seats 30 \(the answer to question \w+\)\n$/);
    const noteId = /^Saved note (\w+)/.exec(r.stdout)![1]!;
    const question = await cliJson<EntryDetail>(dir, ['show', q.id]);
    expect(question.entry).toMatchObject({ question: { status: 'answered' } });
    expect(question.backlinks).toEqual([expect.objectContaining({ type: 'answer-of', entry: expect.objectContaining({ id: noteId }) })]);
    expect((await cli(dir, ['show', noteId])).stdout).toMatch(/^Links\n {2}answer-of\s+question\s+\w+\s+Can the workshop take 30 people\?$/m);

    const other = await cliJson<QuestionEntry>(dir, ['add', '--question', 'Who brings the projector?']);
    const bookmark = await cliJson<Entry>(dir, ['add', '--bookmark', 'https://example.org/projectors']);
    expect((await cli(dir, ['edit', bookmark.id, '--answers', other.id])).stdout).toMatch(/ \(the answer to question \w+\)\n$/);
    expect((await cliJson<EntryDetail>(dir, ['show', other.id])).entry).toMatchObject({ question: { status: 'answered' } });
    await cli(dir, ['edit', bookmark.id, '--answers', '']);
    expect((await cliJson<EntryDetail>(dir, ['show', bookmark.id])).links).toEqual([]);
  });

  it('lists questions by status', async () => {
    const dir = journal();
    const open = await cliJson<Entry>(dir, ['add', '--question', 'Open one']);
    const answered = await cliJson<Entry>(dir, ['add', '--question', 'Answered one', '--answer', 'yes']);
    await addNote(dir, 'a note');
    expect((await cliJson<Page<Entry>>(dir, ['list', '--status', 'open'])).items.map((e) => e.id)).toEqual([open.id]);
    expect((await cliJson<Page<Entry>>(dir, ['list', '--status', 'answered', '--kind', 'question'])).items.map((e) => e.id)).toEqual([answered.id]);
    expect((await cliJson<Page<Entry>>(dir, ['list', '--status', 'closed'])).items).toEqual([]);
  });
});

describe('outloud tags', () => {
  it('lists the tags in use with their counts, most used first; --kind and --with narrow them, --limit cuts them', async () => {
    const dir = journal();
    await addNote(dir, 'Agenda drafted #summit2014 #planning');
    await addNote(dir, 'Venue booked #summit2014 #venue');
    await addNote(dir, 'Speakers confirmed #summit2014 #planning');
    await cli(dir, ['add', '--bookmark', 'https://example.org/venue', '--tag', 'venue']);
    const trashed = await addNote(dir, 'Old plan #summit2014 #draft');
    await cli(dir, ['rm', trashed.id]);

    const r = await cli(dir, ['tags']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: '#summit2014  3\n#planning    2\n#venue       2\n' });
    expect(await cliJson(dir, ['tags', '--kind', 'bookmark'])).toEqual({ values: [{ value: 'venue', count: 1 }], distinct: 1 });
    // The tags that go with #summit2014, itself left out; the tag is read as typed (#, case).
    expect((await cli(dir, ['tags', '--with', '#Summit2014'])).stdout).toBe('#planning  2\n#venue     1\n');
    expect(await cliJson(dir, ['tags', '--with', 'summit2014', '--limit', '1'])).toEqual({ values: [{ value: 'planning', count: 2 }], distinct: 2 });
    expect((await cli(dir, ['tags', '--limit', '1'])).stdout).toBe('#summit2014  3\nThe 1 most used of 3 tags; --limit shows more.\n');
    expect((await cli(dir, ['tags', '--kind', 'person'])).stdout).toBe('No people have tags.\n');
    expect((await cli(dir, ['tags', '--with', 'nowhere'])).stdout).toBe('No entries tagged #nowhere have other tags.\n');
  });
});

describe('outloud export / import / backup', () => {
  /**
   * Six entries (a mentioned person among them), one revision, one in the trash, two links (the
   * mention, and the kick-off note referring to the agenda bookmarked after it).
   */
  async function sampleJournal(dir: string) {
    await addNote(dir, 'Kick-off with @Rogier #summit2014 https://example.org/agenda');
    await cli(dir, ['add', '--bookmark', 'https://example.org/agenda', 'the agenda']);
    const edited = await addNote(dir, 'first draft');
    await cli(dir, ['edit', edited.id, '--body', 'second draft']);
    const trashed = await addNote(dir, 'trashed note');
    await cli(dir, ['rm', trashed.id]);
    await cli(dir, ['add', '--question', 'Who knows about FTS5?']);
  }

  it('exports to a file and imports it into an empty journal losslessly; a second import adds nothing', async () => {
    const a = journal();
    await sampleJournal(a);
    const out = path.join(tempDir(), 'journal.json');
    const exported = await cli(a, ['export', '--format', 'json', '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^Exported 6 entries, 1 revision and 2 links to .*journal\.json \(.+\)\.\n$/);
    const file = JSON.parse(fs.readFileSync(out, 'utf8')) as JournalExport;
    expect(file).toMatchObject({ format: 'outloud-journal', version: 1 });
    expect(file.entries).toHaveLength(6);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['journal.json']); // no temporary file left

    const b = journal();
    const report = await cliJson<ImportReport>(b, ['import', out]);
    expect(report).toEqual({ added: 6, updated: 0, skipped: 0, revisions: 1, links: 2, leftOut: 0, errors: [] });
    expect(await journalState(b)).toBe(await journalState(a));

    const again = await cli(b, ['import', out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`Imported ${out}: 0 added, 0 updated, 6 already here; 0 revisions and 0 links added.\n`);
    expect(await journalState(b)).toBe(await journalState(a));

    // A file with history for an entry it does not hold (b's own note): the import says it left it out.
    const mine = (await cliJson<{ id: string }>(b, ['add', 'my own note'])).id;
    const planted = path.join(tempDir(), 'planted.json');
    fs.writeFileSync(planted, JSON.stringify({ ...file, revisions: [{ id: 99, entryId: mine, savedAt: 1, title: '', body: 'planted', tags: [], fields: {} }] }));
    const said = await cli(b, ['import', planted]);
    expect(said.stdout).toBe(
      `Imported ${planted}: 0 added, 0 updated, 6 already here; 0 revisions and 0 links added.\n1 revision or link of entries the file does not hold left out.\n`,
    );
    expect(await cliJson<unknown[]>(b, ['history', mine])).toEqual([]);
  });

  it('imports a large file in several short transactions with the same result', async () => {
    const a = journal();
    await sampleJournal(a);
    const core = openCore({ dataDir: a });
    for (let i = 0; i < 40; i++) await core.dispatch('entries.create', { body: `bulk ${i} mentions @[Person ${i % 7}] #bulk` });
    core.close();
    const out = path.join(tempDir(), 'big.json');
    expect((await cli(a, ['export', '--out', out])).code).toBe(0);

    const b = journal();
    const report = await cliJson<ImportReport>(b, ['import', out], { tuning: { importSingleCallLimit: 10, importBatchSize: 7 } });
    expect(report.added).toBe(JSON.parse(fs.readFileSync(out, 'utf8')).entries.length);
    expect(report.errors).toEqual([]);
    expect(await journalState(b)).toBe(await journalState(a));
    // Links that arrive in a later batch than their entry still put the person's name in the
    // entry's indexed people text, as a one-transaction import does.
    const indexedPeople = (dir: string) => {
      const db = new Database(path.join(dir, 'outloud.sqlite'), { readonly: true });
      const rows = db.prepare(`SELECT e.id FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH 'people:"person 3"' ORDER BY e.id`).all();
      db.close();
      return rows;
    };
    expect(indexedPeople(b).length).toBeGreaterThan(1);
    expect(indexedPeople(b)).toEqual(indexedPeople(a));
  });

  it('export --out - writes the export to stdout', async () => {
    const dir = journal();
    await addNote(dir, 'to stdout');
    const r = await cli(dir, ['export', '--out', '-']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as JournalExport;
    expect(data.entries.map((e) => e.body)).toEqual(['to stdout']);
  });

  it('export --json prints the file report', async () => {
    const dir = journal();
    await addNote(dir, 'x');
    const out = path.join(tempDir(), 'e.json');
    const value = await cliJson<Record<string, unknown>>(dir, ['export', '--out', out]);
    expect(value).toEqual({ path: out, bytes: fs.statSync(out).size, entries: 1, revisions: 0, links: 0 });
  });

  it('--json escapes C1 controls and line separators too, so the same text comes back and none reaches a terminal raw', async () => {
    const dir = journal();
    const body = 'csi \u009b31m red, nel \u0085, ls \u2028 ps \u2029 end';
    const note = await cliJson<{ id: string; body: string }>(dir, ['add', body]);
    expect(note.body).toBe(body);
    for (const args of [['show', note.id], ['search', 'csi'], ['list']]) {
      const r = await cli(dir, ['--json', ...args]);
      expect(r.stdout, args.join(' ')).not.toMatch(/[\u0080-\u009f\u2028\u2029]/);
      expect(r.stdout, args.join(' ')).toContain('\\u009b31m red');
    }
  });

  it('prints the file names in its summaries inert: an escape sequence in a name never reaches the terminal', async () => {
    const dir = journal();
    await addNote(dir, 'x');
    const folder = tempDir();
    const name = 'evil\u001b]0;pwned\u0007\u001b[2J\u009b31m.json';
    const out = path.join(folder, name);
    const exported = await cli(dir, ['export', '--out', out]);
    const backedUp = await cli(dir, ['backup', '--out', path.join(folder, `${name}.sqlite`)]);
    const imported = await cli(journal(), ['import', out]);
    const evilDir = path.join(tempDir(), name);
    await addNote(evilDir, 'in a folder with an escape in its name');
    const stats = await cli(evilDir, ['stats']);
    for (const r of [exported, backedUp, imported, stats]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(r.stdout).toContain('evil^[]0;pwned^G^[[2J\ufffd31m.json');
    }
  });

  it('backup --out FOLDER suggests a .sqlite file name in that folder', async () => {
    const dir = journal();
    await addNote(dir, 'x');
    const folder = tempDir();
    const r = await cli(dir, ['backup', '--out', folder]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `outloud: ${folder} is a folder; give a file name, such as ${path.join(folder, 'outloud-backup.sqlite')}\n` });
    expect((await cli(dir, ['export', '--out', folder])).stderr).toContain(path.join(folder, 'outloud-export.json'));
  });

  it('backs up the journal to a consistent SQLite file', async () => {
    const dir = journal();
    await sampleJournal(dir);
    const out = path.join(tempDir(), 'nested', 'backup.sqlite');
    const r = await cli(dir, ['backup', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Backed up the journal to .*backup\.sqlite \(.+\)\.\n$/);
    const copy = new Database(out, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 6 });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    const value = await cliJson<{ path: string; bytes: number }>(dir, ['backup', '--out', out]);
    expect(value).toEqual({ path: out, bytes: fs.statSync(out).size });
  });
});

describe('outloud doctor / stats / serve / help', () => {
  it('doctor reports a healthy journal', async () => {
    const dir = journal();
    await addNote(dir, 'healthy');
    const r = await cli(dir, ['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok\s+integrity_check/);
    expect(r.stdout).toMatch(/ok\s+foreign_key_check/);
    expect(r.stdout).toMatch(/ok\s+fts5 integrity-check/);
    const report = await cliJson<DoctorReport>(dir, ['doctor']);
    expect(report.ok).toBe(true);
  });

  it('doctor finds a damaged full-text index (exit 1), and --repair rebuilds it', async () => {
    const dir = journal();
    await addNote(dir, 'indexed words');
    const raw = new Database(path.join(dir, 'outloud.sqlite'));
    // Index a row that the content does not have: the index and the entries now disagree.
    raw.prepare("INSERT INTO entries_fts (rowid, title, tags, people, body) VALUES (999, 'ghost', '', '', 'phantom')").run();
    raw.close();
    const broken = await cli(dir, ['doctor']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FAIL\s+fts5 integrity-check/);
    expect(broken.stderr).toBe('outloud: the journal has problems: fts5 integrity-check failed (`outloud doctor --repair` rebuilds the index and the counts)\n');
    const repaired = await cli(dir, ['doctor', '--repair']);
    expect(repaired).toMatchObject({ code: 0, stderr: '' });
    expect(repaired.stdout).toContain('The journal is healthy.');
    expect((await cliJson<SearchResult>(dir, ['search', 'indexed'])).hits).toHaveLength(1);
  });

  it('doctor finds title counts that disagree with the entries, and --repair counts them again', async () => {
    const dir = journal();
    await addNote(dir, 'Weekly sync');
    await addNote(dir, 'Weekly sync');
    const raw = new Database(path.join(dir, 'outloud.sqlite'));
    raw.prepare("UPDATE entry_titles SET uses = 5 WHERE title = 'Weekly sync'").run();
    raw.prepare("INSERT INTO entry_titles (title, uses, newest) VALUES ('Ghost title', 1, NULL)").run();
    raw.close();
    const broken = await cli(dir, ['doctor']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FAIL\s+title counts\s+2 titles counted wrong/);
    expect(broken.stderr).toContain('title counts failed (`outloud doctor --repair`');
    const repaired = await cli(dir, ['doctor', '--repair']);
    expect(repaired).toMatchObject({ code: 0, stderr: '' });
    const titles = new Database(path.join(dir, 'outloud.sqlite'), { readonly: true });
    expect(titles.prepare('SELECT title, uses FROM entry_titles').all()).toEqual([{ title: 'Weekly sync', uses: 2 }]);
    titles.close();
  });

  it('stats counts entries by kind', async () => {
    const dir = journal();
    await addNote(dir, 'one');
    await cli(dir, ['add', '--question', 'two?']);
    const stats = await cliJson<JournalStats>(dir, ['stats']);
    expect(stats).toMatchObject({ entries: 2, byKind: { note: 1, question: 1 }, trashed: 0, databasePath: path.join(dir, 'outloud.sqlite') });
    const human = await cli(dir, ['stats']);
    expect(human.stdout).toMatch(/^Entries\s+2 \(1 note, 0 bookmarks, 0 people, 1 question\)/);
  });

  it('serve starts the loopback server, answers the API with the token, and stops cleanly', async () => {
    const dir = journal();
    await addNote(dir, 'served');
    const stop = new AbortController();
    let announced: (line: string) => void;
    const line = new Promise<string>((resolve) => (announced = resolve));
    let out = '';
    const running = cli(dir, ['serve'], { stopSignal: stop.signal, onStdout: (t) => ((out += t), out.includes('\n') && announced(out)) });
    const first = await line;
    const m = /^Outloud is running at (http:\/\/127\.0\.0\.1:(\d+))\/#token=([\w-]+)\n/.exec(first);
    expect(m).not.toBeNull();
    const [, origin, , token] = m!;
    const res = await fetch(`${origin}/api/journal.stats`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, value: { entries: 1 } });
    const refused = await fetch(`${origin}/api/journal.stats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    stop.abort();
    expect(await running).toMatchObject({ code: 0, stderr: '' });
    await expect(fetch(`${origin}/api/journal.stats`, { method: 'POST' })).rejects.toThrow();
  });

  it('--help and --version exit 0 on stdout; help COMMAND shows its options', async () => {
    const help = await cli(null, ['--help']);
    expect(help.code).toBe(0);
    for (const c of ['add', 'search', 'show', 'list', 'edit', 'rm', 'restore', 'purge', 'history', 'who', 'export', 'import', 'backup', 'doctor', 'stats', 'serve']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    const version = await cli(null, ['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${JSON.parse(fs.readFileSync('package.json', 'utf8')).version}\n` });
    const addHelp = await cli(null, ['help', 'add']);
    expect(addHelp.code).toBe(0);
    expect(addHelp.stdout).toContain('--bookmark <url>');
    expect(addHelp.stdout).toContain('--data-dir <dir>');
  });

  it('help NAME for a NAME that is no command says so (exit 2), as outloud NAME does', async () => {
    for (const name of ['nope', 'serch']) {
      const direct = await cli(null, [name]);
      const help = await cli(null, ['help', name]);
      expect(help).toEqual({ code: 2, stdout: '', stderr: direct.stderr });
      expect(help.stderr).toMatch(new RegExp(`^outloud: unknown command '${name}'`));
    }
    expect((await cli(null, ['help', 'serch'])).stderr).toContain('Did you mean search?');
    const helpHelp = await cli(null, ['help', 'help']);
    expect(helpHelp.code).toBe(0);
    expect(helpHelp.stdout).toMatch(/^Usage: outloud /);
  });

  it('finds the journal through OUTLOUD_DATA_DIR when there is no --data-dir', async () => {
    const dir = journal();
    await addNote(dir, 'found by env');
    const r = await cli(null, ['--json', 'stats'], { env: { OUTLOUD_DATA_DIR: dir } });
    expect(JSON.parse(r.stdout)).toMatchObject({ entries: 1, databasePath: path.join(dir, 'outloud.sqlite') });
    const other = emptyJournal();
    const flagWins = await cli(null, ['--json', 'stats', '--data-dir', other], { env: { OUTLOUD_DATA_DIR: dir } });
    expect(JSON.parse(flagWins.stdout)).toMatchObject({ entries: 0, databasePath: path.join(other, 'outloud.sqlite') });
  });
});
