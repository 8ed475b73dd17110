/**
 * The commands of `outloud`. Each one is a thin translation: arguments in, one contract call (or one
 * service call for what the contract does not carry, such as backup), a rendering out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { MethodInput } from '../../../shared/api/contract.ts';
import { conflictSubject, OutloudError } from '../../../shared/api/errors.ts';
import { FACETS_MAX, LIMITS } from '../../../shared/api/schemas.ts';
import { ENTRY_KINDS, QUESTION_STATUSES, type Entry, type QuestionStatus } from '../../../shared/domain/entry.ts';
import { normalizeTag } from '../../../shared/domain/text.ts';
import { toApiError } from '../core.ts';
import { isJournalFile } from '../db/connection.ts';
import { CliError, type CliIO, type Context, EXIT_FAILURE, failure, interruption, usageError } from './context.ts';
import { editText } from './editor.ts';
import { ensureDir, fsMessage, isFsError } from '../files/fs.ts';
import { importJournalFile } from './import-file.ts';
import { inChunks, journalText } from '../files/journal-file.ts';
import { exportJournalFile, journalFiles } from '../files/journal-files.ts';
import { formatBytes, plural, safeLine } from './output.ts';
import { progressBar } from './progress.ts';
import { displayTitle, entryRows, renderDetail, renderDoctor, renderImport, renderRevisions, renderSearch, renderStats, renderTags, renderWhoKnows } from './render.ts';
import { resolveId, shortener } from './short-ids.ts';

// ---------------------------------------------------------------------------------------------
// Argument parsers: a bad value is a usage error (exit 2) before anything is opened.

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`give a whole number from ${min} to ${max.toLocaleString('en')}`);
    }
    return n;
  };
}

function nonEmpty(what: string) {
  return (value: string): string => {
    if (!value.trim()) throw new InvalidArgumentError(`${what} is empty`);
    return value;
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function exportFormat(value: string): 'json' {
  if (value === 'json') return 'json';
  if (value === 'markdown' || value === 'md') throw new InvalidArgumentError('Markdown export is not available yet; use --format json');
  throw new InvalidArgumentError('the only format is json');
}

// ---------------------------------------------------------------------------------------------
// Files and streams.

/** Text piped to the command (`outloud add -`), refused past the longest body the journal keeps. */
async function readStdin(ctx: Context, what: string): Promise<string> {
  const limit = LIMITS.body;
  // Fatal: bytes that are not UTF-8 (a file saved as Latin-1) are refused, not saved as U+FFFD.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      ctx.io.stdin.destroy?.();
      throw usageError(`${what} on stdin is not UTF-8 (was it saved in another encoding?); nothing was saved`);
    }
  };
  let text = '';
  if (ctx.io.stdin.isTTY) ctx.io.stderr.write(`Type the text, then press ${process.platform === 'win32' ? 'Ctrl+Z and Enter' : 'Ctrl+D'} on a new line.\n`);
  for await (const chunk of ctx.io.stdin) {
    text += typeof chunk === 'string' ? chunk : decode(chunk);
    if (text.length > limit) {
      ctx.io.stdin.destroy?.();
      throw usageError(`${what} on stdin is too long (limit ${limit.toLocaleString('en')} characters); nothing was saved`);
    }
  }
  return text + decode();
}

/** Refuses an output path that is the journal itself (or its WAL files), under any name. */
function guardNotJournal(ctx: Context, target: string): void {
  if (isJournalFile(ctx.core().databasePath, target)) {
    throw failure(`${target} is the journal itself; choose another file`);
  }
}

/**
 * Where `--out FILE` writes: the file itself, or the one a symbolic link to it points at (a write
 * replaces the file, and would otherwise replace the link). A folder is refused, and so is anything
 * else that is not a file, except a pipe or a device such as /dev/stdout when `stream` allows it
 * (the export is written straight into it).
 */
function outPath(ctx: Context, out: string, suggestedName: string, stream = false): string {
  const target = path.resolve(ctx.cwd, out);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined; // not there yet (or not ours to see: the write says why)
  }
  if (stat?.isDirectory()) throw failure(`${target} is a folder; give a file name, such as ${path.join(target, suggestedName)}`);
  if (stat && !stat.isFile() && !(stream && (stat.isFIFO() || stat.isCharacterDevice()))) {
    throw failure(`${target} is not a regular file; give a file name`);
  }
  return stat?.isFile() ? fs.realpathSync(target) : target;
}

/**
 * Whether `file` is this process's own standard output under any name (`/dev/stdout`, `/dev/fd/1`,
 * `/proc/self/fd/1`, or the very pipe, terminal or file it goes to): the same file as descriptor 1.
 */
function isOwnStdout(file: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    const stdout = fs.fstatSync(1);
    const target = fs.statSync(file);
    return target.dev === stdout.dev && target.ino === stdout.ino;
  } catch {
    return false; // no stdout, or no such file
  }
}

/** `text` quoted for a POSIX shell, so a command in a message can be copied as it is. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------

interface AddOptions {
  title?: string;
  tag?: string[];
  bookmark?: string;
  excerpt?: string;
  person?: string;
  role?: string;
  org?: string;
  topic?: string[];
  alias?: string[];
  contact?: string[];
  recommendedBy?: string;
  sameName?: boolean;
  question?: boolean;
  askedBy?: string;
  answer?: string;
  status?: QuestionStatus;
  answers?: string;
}

const PERSON_ONLY = [
  ['role', '--role'],
  ['org', '--org'],
  ['topic', '--topic'],
  ['alias', '--alias'],
  ['contact', '--contact'],
  ['recommendedBy', '--recommended-by'],
  ['sameName', '--same-name'],
] as const;

async function addInput(ctx: Context, words: string[], o: AddOptions): Promise<{ input: MethodInput<'entries.create'>; fromStdin: boolean }> {
  const kinds = [o.bookmark !== undefined && '--bookmark', o.person !== undefined && '--person', o.question && '--question'].filter(Boolean);
  if (kinds.length > 1) throw usageError(`Choose one of ${kinds.join(', ')}: an entry has one kind`);
  for (const [key, flag] of PERSON_ONLY) if (o[key] !== undefined && o.person === undefined) throw usageError(`${flag} goes with --person NAME`);
  if (o.excerpt !== undefined && o.bookmark === undefined) throw usageError('--excerpt goes with --bookmark URL');
  for (const [key, flag] of QUESTION_ONLY) if (o[key] !== undefined && !o.question) throw usageError(`${flag} goes with --question`);
  if (words.length === 1 && words[0] === '-' && o.answer === '-') throw usageError('Only one of the text and --answer can be read from stdin');

  const fromStdin = words.length === 1 && words[0] === '-';
  const body = fromStdin ? await readStdin(ctx, 'The text') : words.join(' ');
  const input: MethodInput<'entries.create'> = { kind: 'note', body, source: 'cli' };
  if (o.title !== undefined) input.title = o.title;
  if (o.tag) input.tags = o.tag;
  if (o.answers !== undefined) input.answerOf = questionId(ctx, o.answers);
  if (o.bookmark !== undefined) {
    input.kind = 'bookmark';
    input.bookmark = { url: o.bookmark, ...(o.excerpt !== undefined ? { excerpt: o.excerpt } : {}) };
  } else if (o.person !== undefined) {
    input.kind = 'person';
    input.person = {
      name: o.person,
      ...(o.role !== undefined ? { role: o.role } : {}),
      ...(o.org !== undefined ? { organisation: o.org } : {}),
      ...(o.topic ? { topics: o.topic } : {}),
      ...(o.alias ? { aliases: o.alias } : {}),
      ...(o.contact ? { contacts: o.contact } : {}),
      ...(o.recommendedBy !== undefined ? { recommendedBy: o.recommendedBy } : {}),
    };
    if (o.sameName) input.allowSameName = true;
  } else if (o.question) {
    input.kind = 'question';
    const question = await questionInput(ctx, o);
    if (question) input.question = question;
  }
  return { input, fromStdin };
}

const QUESTION_ONLY = [
  ['askedBy', '--asked-by'],
  ['answer', '--answer'],
  ['status', '--status'],
] as const;

/** The question `--answers` names (an id, or a unique start of one), as a usage error when it names none. */
function questionId(ctx: Context, text: string): string {
  try {
    return resolveId(ctx.core().db, text);
  } catch (error) {
    if (error instanceof CliError) throw new CliError(`--answers: ${error.message}`, error.exitCode, error.api);
    throw error;
  }
}

/** The question fields given as flags (an --answer of "-" read from stdin), or undefined when none are. */
async function questionInput(ctx: Context, o: Pick<AddOptions, 'askedBy' | 'answer' | 'status'>): Promise<NonNullable<MethodInput<'entries.create'>['question']> | undefined> {
  if (o.askedBy === undefined && o.answer === undefined && o.status === undefined) return undefined;
  const answer = o.answer === '-' ? await readStdin(ctx, 'The answer') : o.answer;
  return {
    ...(o.askedBy !== undefined ? { askedBy: o.askedBy } : {}),
    ...(answer !== undefined ? { answer } : {}),
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
}

interface EditOptions extends Pick<AddOptions, 'title' | 'tag' | 'excerpt' | 'role' | 'org' | 'topic' | 'alias' | 'contact' | 'recommendedBy' | 'sameName' | 'askedBy' | 'answer' | 'status' | 'answers'> {
  body?: string;
  url?: string;
}

/** The flags of `edit` that change the fields of one kind of entry. */
const KIND_FLAGS = [
  ['bookmark', 'url', '--url'],
  ['bookmark', 'excerpt', '--excerpt'],
  ...PERSON_ONLY.filter(([key]) => key !== 'sameName').map(([key, flag]) => ['person', key, flag] as const),
  ...QUESTION_ONLY.map(([key, flag]) => ['question', key, flag] as const),
] as const;

/**
 * What `edit ID` with flags changes. Flags of another kind of entry than this one's are refused
 * before anything is saved, naming the flag and the kind (a note has no answer to set).
 */
async function editChange(ctx: Context, id: string, idArg: string, o: EditOptions): Promise<MethodInput<'entries.update'>> {
  const given = KIND_FLAGS.filter(([, key]) => o[key] !== undefined);
  if (o.body === '-' && o.answer === '-') throw usageError('Only one of --body and --answer can be read from stdin');
  if (given.length > 0) {
    const { kind } = (await ctx.call('entries.get', { id }, 'data')).entry;
    const wrong = given.find(([k]) => k !== kind);
    if (wrong) throw usageError(`${wrong[2]} is for a ${wrong[0]}, and ${idArg} is a ${kind}`);
  }
  const body = o.body === '-' ? await readStdin(ctx, 'The text') : o.body;
  const change: MethodInput<'entries.update'> = { id };
  if (body !== undefined) change.body = body;
  if (o.title !== undefined) change.title = o.title;
  // `--tag ''` sets none: the entry keeps only the #tags its text has.
  if (o.tag) change.tags = o.tag.filter((tag) => tag !== '');
  if (o.url !== undefined || o.excerpt !== undefined) {
    change.bookmark = { ...(o.url !== undefined ? { url: o.url } : {}), ...(o.excerpt !== undefined ? { excerpt: o.excerpt } : {}) };
  }
  if (given.some(([kind]) => kind === 'person')) {
    change.person = {
      ...(o.role !== undefined ? { role: o.role } : {}),
      ...(o.org !== undefined ? { organisation: o.org } : {}),
      ...(o.topic ? { topics: o.topic } : {}),
      ...(o.alias ? { aliases: o.alias } : {}),
      ...(o.contact ? { contacts: o.contact } : {}),
      ...(o.recommendedBy !== undefined ? { recommendedBy: o.recommendedBy } : {}),
    };
  }
  const question = await questionInput(ctx, o);
  if (question) change.question = question;
  // `--answers ''`: it answers no question any more.
  if (o.answers !== undefined) change.answerOf = o.answers === '' ? null : questionId(ctx, o.answers);
  if (o.sameName) change.allowSameName = true;
  return change;
}

/**
 * A save refused because another entry holds what it asked for (CONFLICT with that entry's id): a
 * person someone else in the journal is named as, or an address another bookmark has. Said with the
 * other entry's short id and how to reach it (for a person, `override` says how to go ahead all the
 * same); any other error as it was.
 */
async function clashFailure(ctx: Context, error: unknown, override: string): Promise<unknown> {
  const api = error instanceof CliError ? error.api : undefined;
  if (api?.code !== 'CONFLICT' || api.entryId === undefined) return error;
  const id = shortener(ctx.core().db, [api.entryId])(api.entryId);
  const other = await ctx.call('entries.get', { id: api.entryId }, 'data').catch(() => undefined);
  if (other?.entry.kind !== 'person') return failure(`${conflictSubject(api)} (${id}): nothing was saved. \`outloud show ${id}\` shows it`);
  return failure(`${conflictSubject(api)} (${id}): nothing was saved. \`outloud show ${id}\` shows them, \`outloud edit ${id}\` changes them; ${override}`);
}

function describeEntry(verb: string, entry: Entry): string {
  return `${verb} ${entry.kind} ${entry.id}: ${displayTitle(entry)}`;
}

/** ` (the answer to question ID)`, said after a save that made the entry one; '' when it did not. */
function answering(ctx: Context, questionId: string | undefined): string {
  return questionId ? ` (the answer to question ${shortener(ctx.core().db, [questionId])(questionId)})` : '';
}

/**
 * The commands that start a journal where there is none: those that add entries, and serve (the app in
 * a browser starts with an empty journal). Every other command reads, or changes an entry that must
 * be there already (edit, rm, restore, purge), and refuses a missing journal.
 */
const CREATES_JOURNAL = new Set(['add', 'import', 'serve']);

/** Builds the program for one run (commander keeps state, so never reuse one). */
export function buildProgram(ctx: Context, version: string): Command {
  const program = new Command('outloud');
  program
    .description("Outloud's journal from the command line: log work, recall it, and keep it safe.")
    .version(version, '-V, --version', 'print the version')
    .option('--data-dir <dir>', 'the data folder (default: $OUTLOUD_DATA_DIR, else the app data folder "Outloud")', nonEmpty('--data-dir'))
    .option('--json', 'print the result as JSON, for scripts')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .hook('preAction', (_program, action) => {
      const globals = action.optsWithGlobals<{ json?: boolean; dataDir?: string }>();
      ctx.json = Boolean(globals.json);
      ctx.dataDirFlag = globals.dataDir;
      ctx.createsJournal = CREATES_JOURNAL.has(action.name());
    });

  program
    .command('add')
    .description('add a note (or, with a flag, a bookmark, person or question); TEXT "-" reads it from stdin')
    .argument('[text...]', 'the text (Markdown; #tags, @mentions and URLs are recognised)')
    .option('--title <title>', 'a title (default: the first line of the text)')
    .option('--tag <tag>', 'a tag (repeatable)', collect)
    .option('--bookmark <url>', 'save a bookmark of URL; the text is a note on why it matters')
    .option('--excerpt <text>', 'an excerpt of the bookmarked page')
    .option('--person <name>', 'save a person; the text is notes about them')
    .option('--role <role>', "the person's role")
    .option('--org <organisation>', "the person's organisation")
    .option('--topic <topic>', 'a topic the person knows about (repeatable)', collect)
    .option('--alias <alias>', 'another name or @handle of the person (repeatable)', collect)
    .option('--contact <contact>', 'how to reach the person (repeatable)', collect)
    .option('--recommended-by <name>', 'who recommended the person')
    .option('--same-name', 'add the person even though someone of that name is in the journal already (someone else)')
    .option('--question', 'save a question')
    .option('--asked-by <name>', 'who asked the question')
    .option('--answer <text>', 'the answer, if it has one already ("-" reads it from stdin)')
    .addOption(new Option('--status <status>', 'the question\'s status (default: open, or answered with --answer)').choices(QUESTION_STATUSES))
    .option('--answers <id>', 'this entry answers the question ID (an open question becomes answered)')
    .action(async (words: string[], o: AddOptions) => {
      const { input, fromStdin } = await addInput(ctx, words, o);
      let entry: Entry;
      try {
        entry = await ctx.call('entries.create', input, 'args', {
          ...(fromStdin ? { body: 'the text on stdin' } : {}),
          ...(o.answer === '-' ? { 'question.answer': 'the answer on stdin' } : {}),
        });
      } catch (error) {
        throw input.kind === 'person' ? await clashFailure(ctx, error, '--same-name adds someone else of that name') : error;
      }
      ctx.print(entry, () => describeEntry('Saved', entry) + answering(ctx, input.answerOf));
    });

  program
    .command('search')
    .description('search the journal (words, "phrases", -word, OR, prefix*, kind:, #tag, @person, is:, after:, before:, site:)')
    .argument('<query...>', 'what to look for; put -- before a query that starts with -')
    .option('--limit <n>', 'at most N results', integer(1, LIMITS.list), 20)
    .allowUnknownOption()
    .action(async (words: string[], o: { limit: number }) => {
      // Unknown options are allowed so `-word` (exclude a word) reaches the query, but a mistyped
      // `--option` before any `--` is still a usage error rather than a search for it.
      const beforeDashes = ctx.argv.slice(0, ctx.argv.includes('--') ? ctx.argv.indexOf('--') : undefined);
      const stray = words.find((w) => /^--./.test(w) && beforeDashes.includes(w));
      // Quoted as a phrase, it is searched for as text (after --, it would exclude the word instead).
      if (stray) throw usageError(`unknown option '${stray}' (to search for it, quote it: outloud search ${shellQuote(`"${stray}"`)})`);
      const q = words.join(' ');
      const result = await ctx.call('search.query', { q, limit: o.limit });
      ctx.print(result, () => renderSearch(q, result, shortener(ctx.core().db, result.hits.map((h) => h.entry.id)), ctx.style));
    });

  program
    .command('show')
    .description('show an entry with its links and backlinks')
    .argument('<id>', 'the id, or a unique start of it')
    .action(async (idArg: string) => {
      const id = resolveId(ctx.core().db, idArg);
      const detail = await ctx.call('entries.get', { id });
      const ids = [detail.entry.id, ...detail.links.map((l) => l.entry.id), ...detail.backlinks.map((l) => l.entry.id)];
      ctx.print(detail, () => renderDetail(detail, shortener(ctx.core().db, ids), ctx.style));
    });

  program
    .command('list')
    .description('list entries, newest first')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(ENTRY_KINDS))
    .option('--since <date>', 'created on or after DATE: YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, or 3d, 2w, 6m, 1y ago')
    .option('--until <date>', 'created on or before DATE (the same forms; 2026-11 is through 30 November)')
    .option('--tag <tag>', 'only entries with this tag')
    .addOption(new Option('--status <status>', 'only questions with this status').choices(QUESTION_STATUSES))
    .option('--site <host>', 'only bookmarks of this site (example.com)')
    .option('--trash', 'list the trash instead')
    .option('--limit <n>', 'at most N entries', integer(1, 10_000), 20)
    .action(async (o: { kind?: Entry['kind']; since?: string; until?: string; tag?: string; status?: QuestionStatus; site?: string; trash?: boolean; limit: number }) => {
      if (o.status !== undefined && o.kind !== undefined && o.kind !== 'question') throw usageError(`--status is for questions, not --kind ${o.kind}`);
      if (o.site !== undefined && o.kind !== undefined && o.kind !== 'bookmark') throw usageError(`--site is for bookmarks, not --kind ${o.kind}`);
      const items: Entry[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Entry[]; nextCursor: string | null } = await ctx.call('entries.list', {
          ...(o.kind ? { kind: o.kind } : {}),
          ...(o.since !== undefined ? { since: o.since } : {}),
          ...(o.until !== undefined ? { until: o.until } : {}),
          ...(o.tag !== undefined ? { tag: o.tag } : {}),
          ...(o.status !== undefined ? { status: o.status } : {}),
          ...(o.site !== undefined ? { site: o.site } : {}),
          ...(o.trash ? { trashed: true } : {}),
          ...(cursor ? { cursor } : {}),
          limit: Math.min(LIMITS.list, o.limit - items.length),
        });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < o.limit);
      const value = { items, nextCursor: cursor };
      ctx.print(value, () => {
        if (items.length === 0) return o.trash ? 'The trash is empty.' : 'No entries.';
        const short = shortener(ctx.core().db, items.map((e) => e.id));
        const rows = entryRows(items, short, ctx.style, o.trash ? (e) => e.deletedAt ?? e.updatedAt : undefined);
        return cursor ? [...rows, `Showing the newest ${items.length}; --limit shows more.`] : rows;
      });
    });

  program
    .command('edit')
    .description("edit an entry: its text, title and tags, a bookmark's address, a person's details or a question's answer and status; with no flags, its text in $EDITOR (in a terminal)")
    .argument('<id>', 'the id, or a unique start of it')
    .option('--body <text>', 'the new text ("-" reads it from stdin)')
    .option('--title <title>', "the new title (a person's name)")
    .option('--tag <tag>', "set the tags to these (repeatable; --tag '' removes them, but not the text's #tags)", collect)
    .option('--url <url>', "a bookmark's new address")
    .option('--excerpt <text>', "a bookmark's excerpt")
    .option('--role <role>', "a person's role")
    .option('--org <organisation>', "a person's organisation")
    .option('--topic <topic>', "set a person's topics to these (repeatable; --topic '' removes them)", collect)
    .option('--alias <alias>', "set a person's other names to these (repeatable; --alias '' removes them)", collect)
    .option('--contact <contact>', "set a person's contacts to these (repeatable; --contact '' removes them)", collect)
    .option('--recommended-by <name>', 'who recommended the person')
    .option('--answer <text>', 'the answer to a question ("-" reads it from stdin): an open question becomes answered')
    .addOption(new Option('--status <status>', "a question's status").choices(QUESTION_STATUSES))
    .option('--asked-by <name>', 'who asked the question')
    .option('--answers <id>', "this entry answers the question ID (--answers '' : none)")
    .option('--same-name', "a person's new name or alias: keep it even though someone else has it")
    .action(async (idArg: string, o: EditOptions) => {
      const noFlags =
        o.body === undefined && o.title === undefined && o.tag === undefined && o.answers === undefined && KIND_FLAGS.every(([, key]) => o[key] === undefined);
      if (noFlags && !ctx.io.stdin.isTTY) {
        throw usageError('Nothing to change: give --body, --title, --tag or a field of the entry (see outloud edit --help), or run it in a terminal to edit the text in $EDITOR');
      }
      const id = resolveId(ctx.core().db, idArg);
      let entry: Entry;
      let answerOf: string | null | undefined;
      if (noFlags) {
        const current = (await ctx.call('entries.get', { id })).entry;
        if (current.deletedAt !== null) throw failure('This entry is in the trash; restore it before editing');
        ctx.writableCore(); // before the editor: a read-only journal would refuse the text at the end
        const session = editText(current.body, ctx.io.env);
        if (session.text === current.body) {
          session.discard();
          ctx.print(current, () => `No changes to ${current.kind} ${current.id}.`);
          return;
        }
        try {
          entry = await ctx.call('entries.update', { id, body: session.text, expectedUpdatedAt: current.updatedAt }, 'data');
        } catch (error) {
          // An emptied file holds nothing worth keeping: the edit is abandoned, as git abandons a
          // commit whose message was emptied, and the temporary folder goes.
          if (!session.text.trim()) {
            session.discard();
            throw failure(`${(error as Error).message}; the edited text was empty, so nothing was changed`);
          }
          throw failure(`${(error as Error).message} (your text is kept in ${session.file})`);
        }
        session.discard();
      } else {
        const change = await editChange(ctx, id, idArg, o);
        answerOf = change.answerOf;
        const names = {
          body: o.body === '-' ? 'the text on stdin' : '--body',
          'bookmark.url': '--url',
          'person.name': '--title',
          ...(o.answer === '-' ? { 'question.answer': 'the answer on stdin' } : {}),
        };
        try {
          entry = await ctx.call('entries.update', change, 'args', names);
        } catch (error) {
          throw await clashFailure(ctx, error, '--same-name keeps the new name all the same');
        }
      }
      ctx.print(entry, () => describeEntry('Updated', entry) + answering(ctx, answerOf ?? undefined));
    });

  program
    .command('rm')
    .description('move an entry to the trash (restore brings it back)')
    .argument('<id>', 'the id, or a unique start of it')
    .action(async (idArg: string) => {
      const entry = await ctx.call('entries.delete', { id: resolveId(ctx.core().db, idArg) });
      ctx.print(entry, () => `${describeEntry('Moved', entry)} to the trash (\`outloud restore ${entry.id}\` brings it back)`);
    });

  program
    .command('restore')
    .description('bring an entry back from the trash')
    .argument('<id>', 'the id, or a unique start of it')
    .action(async (idArg: string) => {
      const entry = await ctx.call('entries.restore', { id: resolveId(ctx.core().db, idArg) });
      ctx.print(entry, () => describeEntry('Restored', entry));
    });

  program
    .command('purge')
    .description('delete an entry in the trash for good, or with --all every one (asks first in a terminal; --yes elsewhere)')
    .argument('[id]', 'the id, or a unique start of it')
    .option('--all', 'every entry in the trash, with their histories')
    .option('--yes', 'confirm: the entries and their history are gone for good')
    .action(async (idArg: string | undefined, o: { all?: boolean; yes?: boolean }) => {
      if (o.all && idArg !== undefined) throw usageError('give an id or --all, not both');
      if (o.all) return emptyTrash(ctx, Boolean(o.yes));
      if (idArg === undefined) throw usageError("missing required argument 'id' (or --all to empty the trash)");
      if (!o.yes && !ctx.io.stdin.isTTY) throw usageError('purge deletes the entry and its history for good; add --yes to confirm (rm moves it to the trash instead)');
      const id = resolveId(ctx.core().db, idArg);
      if (!o.yes) {
        // Asked only of an entry the purge would take: a live one is refused below, as with --yes.
        const { entry } = await ctx.call('entries.get', { id }, 'data');
        const title = entry.title || entry.id;
        if (entry.deletedAt !== null && !(await confirm(ctx, `Delete “${title}” and its history for good? This cannot be undone. [y/N] `))) {
          throw failure(`Nothing was deleted; “${title}” stays in the trash`);
        }
      }
      const value = await ctx.call('entries.purge', { id });
      ctx.print(value, () => `Purged ${value.id} for good.`);
    });

  program
    .command('history')
    .description("list an entry's earlier revisions; --restore REV brings one back")
    .argument('<id>', 'the id, or a unique start of it')
    .option('--restore <rev>', 'restore revision REV (the current text becomes a revision too)', integer(1, Number.MAX_SAFE_INTEGER))
    .action(async (idArg: string, o: { restore?: number }) => {
      const id = resolveId(ctx.core().db, idArg);
      if (o.restore !== undefined) {
        const entry = await ctx.call('entries.restoreRevision', { id, revisionId: o.restore });
        ctx.print(entry, () => describeEntry(`Restored revision ${o.restore} of`, entry));
        return;
      }
      const revisions = await ctx.call('entries.history', { id });
      ctx.print(revisions, () => renderRevisions(id, revisions, ctx.style));
    });

  program
    .command('who')
    .description('who knows about TOPIC: people ranked by their topics and the entries that mention them')
    .argument('<topic...>', 'the topic')
    .option('--limit <n>', 'at most N people', integer(1, 50), 10)
    .action(async (words: string[], o: { limit: number }) => {
      const topic = words.join(' ');
      const results = await ctx.call('people.whoKnows', { topic, limit: o.limit });
      const ids = results.flatMap((r) => [r.person.id, ...r.evidence.map((e) => e.id)]);
      ctx.print(results, () => renderWhoKnows(topic, results, shortener(ctx.core().db, ids), ctx.style));
    });

  program
    .command('tags')
    .description('the tags in use, most used first, with how many entries have each (trash left out)')
    .addOption(new Option('--kind <kind>', 'only on entries of this kind').choices(ENTRY_KINDS))
    .option('--with <tag>', 'only on entries that also have this tag (the tags that go with it)')
    .option('--limit <n>', 'at most N tags', integer(1, FACETS_MAX), 50)
    .action(async (o: { kind?: Entry['kind']; with?: string; limit: number }) => {
      const beside = o.with === undefined ? undefined : normalizeTag(o.with);
      // One more than asked with --with: its own tag is on every entry counted, and is left out.
      const limit = Math.min(FACETS_MAX, o.limit + (beside ? 1 : 0));
      const all = await ctx.call('entries.facets', { by: 'tag', limit, ...(o.kind ? { kind: o.kind } : {}), ...(o.with !== undefined ? { tag: o.with } : {}) }, 'args', { tag: '--with' });
      // Every entry counted has the --with tag, so it is among them whenever any are.
      const counts = beside ? { values: all.values.filter((t) => t.value !== beside).slice(0, o.limit), distinct: Math.max(0, all.distinct - 1) } : all;
      ctx.print(counts, () => renderTags(counts, ctx.style, o.kind, beside));
    });

  program
    .command('export')
    .description('export the whole journal (trash, revisions and links included) to a file')
    .option('--format <format>', 'json (lossless; what import reads)', exportFormat, 'json')
    .requiredOption('--out <file>', 'the file to write ("-" writes to stdout)', nonEmpty('--out'))
    .action(async (o: { format: 'json'; out: string }) => {
      // `--out /dev/stdout` (or any name of our own stdout) is `--out -`: nothing else goes to stdout.
      const target = o.out === '-' || isOwnStdout(path.resolve(ctx.cwd, o.out)) ? '-' : outPath(ctx, o.out, 'outloud-export.json', true);
      if (target !== '-') guardNotJournal(ctx, target);
      // Read as it is written, in one snapshot: memory stays flat whatever the journal's size.
      const journal = ctx.core().services.journal;
      if (target === '-') {
        journal.exportStream((stream) => {
          for (const chunk of inChunks(journalText(stream))) ctx.io.stdout.write(chunk);
        });
        return;
      }
      // Ctrl+C stops it and leaves no partial file (a second one ends the process at once).
      const { signal, dispose } = interruption(ctx.io);
      const value = await ctx
        .service(() => exportJournalFile(ctx.core().databasePath, target, { progress: (total) => progressBar(ctx.io.stderr, 'Exporting', total), signal }))
        .finally(dispose);
      ctx.print(value, () =>
        `Exported ${plural(value.entries, 'entry', 'entries')}, ${plural(value.revisions, 'revision')} and ${plural(value.links, 'link')} to ${safeLine(value.path)} (${formatBytes(value.bytes)}).`,
      );
    });

  program
    .command('import')
    .description("import an Outloud JSON export; what is already here is not added twice")
    .argument('<file>', 'the export file', nonEmpty('FILE'))
    .action(async (file: string) => {
      ctx.writableCore(); // open (or refuse) the journal before reading a large file
      const report = await importJournalFile(ctx, file);
      ctx.print(report, () => renderImport(path.resolve(ctx.cwd, file), report));
    });

  program
    .command('backup')
    .description("copy the journal to FILE with SQLite's online backup (safe while the app runs)")
    .requiredOption('--out <file>', 'the backup file to write', nonEmpty('--out'))
    .action(async (o: { out: string }) => {
      const target = outPath(ctx, o.out, 'outloud-backup.sqlite');
      guardNotJournal(ctx, target);
      const core = ctx.core();
      let value: { path: string; bytes: number };
      // Ctrl+C stops it and leaves no partial file (a second one ends the process at once).
      const { signal, dispose } = interruption(ctx.io);
      try {
        ensureDir(path.dirname(target));
        value = await core.services.journal.backup(target, signal);
      } catch (error) {
        if (error instanceof OutloudError) throw failure(error.message);
        if (isFsError(error)) throw failure(fsMessage(error, 'write', target));
        throw failure(`Cannot back up to ${target}: ${toApiError(error).message.replace(/^Unexpected error: /, '')}`);
      } finally {
        dispose();
      }
      ctx.print(value, () => `Backed up the journal to ${safeLine(value.path)} (${formatBytes(value.bytes)}).`);
    });

  /** The checks `doctor --repair` mends (journal.service.ts, rebuildIndex). */
  const REPAIRED = new Set(['fts5 integrity-check', 'foreign_key_check', 'title counts', 'journal counts', 'entry order', 'folded index text']);
  program
    .command('doctor')
    .description("check the journal's health: integrity, foreign keys, full-text index, title counts")
    .option('--repair', 'rebuild the full-text index and the title counts, then check again')
    .action(async (o: { repair?: boolean }) => {
      if (o.repair) await ctx.service((core) => core.services.journal.rebuildIndex());
      const report = await ctx.call('journal.doctor', {}, 'data');
      ctx.print(report, () => renderDoctor(report, ctx.style));
      if (!report.ok) {
        const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
        const hint = !o.repair && failed.some((n) => REPAIRED.has(n)) ? ' (`outloud doctor --repair` rebuilds the index and the counts)' : '';
        throw new CliError(`the journal has problems: ${failed.join(', ')} failed${hint}`, EXIT_FAILURE);
      }
    });

  program
    .command('stats')
    .description('count the entries and show where the journal is')
    .action(async () => {
      const stats = await ctx.call('journal.stats', {}, 'data');
      ctx.print(stats, () => renderStats(stats));
    });

  program
    .command('serve')
    .description('serve the app and its API to a browser on this machine (127.0.0.1 only) until Ctrl+C')
    .option('--port <port>', 'the port (default: any free port)', integer(0, 65_535), 0)
    .action(async (o: { port: number }) => {
      const core = ctx.core();
      const { startHttpServer } = await import('../http/server.ts');
      let server: Awaited<ReturnType<typeof startHttpServer>>;
      try {
        server = await startHttpServer({ core, port: o.port, files: journalFiles(core) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw failure(code === 'EADDRINUSE' ? `Port ${o.port} is in use; choose another with --port, or omit it` : `Cannot start the server: ${(error as Error).message}`);
      }
      const url = server.url.includes('#token=') ? server.url : `${server.url.replace(/\/$/, '')}/#token=${server.token}`;
      try {
        ctx.print({ url, origin: server.origin, port: server.port, token: server.token }, () => [`Outloud is running at ${url}`, 'Press Ctrl+C to stop.']);
        await untilStopped(ctx.io);
      } finally {
        await server.close(); // also when the URL could not be printed: nobody could use it
      }
    });

  return program;
}

/**
 * `purge --all`: empties the trash. It says how many entries will go and asks in a terminal (unless
 * --yes); elsewhere (a script, a pipe) --yes is required. Only the entries counted then go: one moved
 * to the trash while the question waits for an answer stays (entries.emptyTrash, `deletedUpTo`).
 */
async function emptyTrash(ctx: Context, yes: boolean): Promise<void> {
  if (!yes && !ctx.io.stdin.isTTY) throw usageError('purge --all deletes every entry in the trash for good; add --yes to confirm');
  ctx.writableCore();
  // The newest first, then the count: an entry trashed between the two is counted, never taken unseen.
  const newest = (await ctx.call('entries.list', { trashed: true, limit: 1 }, 'data')).items[0];
  const count = (await ctx.call('journal.stats', {}, 'data')).trashed;
  if (!newest || count === 0) {
    ctx.print({ purged: 0 }, () => 'The trash is empty; nothing was deleted.');
    return;
  }
  const what = plural(count, 'entry', 'entries');
  if (!yes && !(await confirm(ctx, `Delete the ${what} in the trash for good, with their history? This cannot be undone. [y/N] `))) {
    throw failure(`Nothing was deleted; the ${what} stay in the trash`);
  }
  const value = await ctx.call('entries.emptyTrash', { deletedUpTo: newest.deletedAt ?? newest.updatedAt, expectedCount: count }, 'data');
  ctx.print(value, () => `Deleted ${plural(value.purged, 'entry', 'entries')} in the trash for good.`);
}

/** Asks on stderr and reads one line of stdin: true for y or yes (any case); anything else, or no answer, is no. */
async function confirm(ctx: Context, question: string): Promise<boolean> {
  ctx.io.stderr.write(question);
  let answer = '';
  ctx.io.stdin.setEncoding?.('utf8');
  for await (const chunk of ctx.io.stdin) {
    answer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (answer.includes('\n') || answer.length > 100) break;
  }
  if (!answer.includes('\n')) ctx.io.stderr.write('\n');
  return /^\s*y(es)?\s*$/i.test(answer.split('\n')[0]!);
}

/** Resolves when `io.stopSignal` aborts or, without one, on SIGINT or SIGTERM. */
function untilStopped(io: CliIO): Promise<void> {
  const { signal, dispose } = interruption(io);
  return new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  }).finally(dispose);
}
