/**
 * What every command gets: the streams, the output mode, the journal (opened on first use), and a
 * `call` that runs a contract method and turns a failed Result into a CLI error with an exit code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { contract, type Handlers, type MethodInput, type MethodName, type MethodOutput } from '../../../shared/api/contract.ts';
import { OutloudError, type ApiError } from '../../../shared/api/errors.ts';
import { dispatch, openCore, READ_ONLY_MESSAGE, toApiError, type Core } from '../core.ts';
import { DATABASE_FILE, isReadOnlyError, readOnlyReason } from '../db/connection.ts';
import { resolveDataDir, type ResolvedDataDir } from '../paths.ts';
import { ensureDir, fsMessage, isFsError } from '../files/fs.ts';
import { oneLine, type Style } from './output.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The little of a writable stream the CLI needs, so tests can pass plain collectors. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface InStream extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
  setEncoding?(encoding: BufferEncoding): unknown;
  destroy?(): unknown;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (--data-dir, --out, import files) resolve against this; default process.cwd(). */
  cwd?: string;
  /** `serve` runs until this aborts, and `import` stops at it; default: SIGINT or SIGTERM (Ctrl+C). */
  stopSignal?: AbortSignal;
  /** The doctor's worker script: the one built beside the bundle, when the bin runs it; default the sources. */
  doctorWorkerFile?: string;
  /** The import's reader script, likewise. */
  importWorkerFile?: string;
}

/**
 * The signal a long command stops at: `io.stopSignal`, else the first SIGINT or SIGTERM, whose
 * default (ending the process at once) is back for a second one. `dispose` stops listening.
 */
export function interruption(io: CliIO): { signal: AbortSignal; dispose(): void } {
  if (io.stopSignal) return { signal: io.stopSignal, dispose: () => {} };
  const controller = new AbortController();
  const dispose = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  const stop = () => {
    dispose();
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { signal: controller.signal, dispose };
}

/** Knobs for tests; the defaults are what users get. */
export interface CliTuning {
  /** Entries per transaction when importing a large file. */
  importBatchSize?: number;
  /** A file with at most this many items (entries + revisions + links) is imported in one transaction. */
  importSingleCallLimit?: number;
  /** Most links the import keeps in memory between checking the file and importing it. */
  importMaxKeptLinks?: number;
  /** Read a large file in a thread of its own, or in the command's; default: by its size (READ_APART_BYTES). */
  importReadApart?: boolean;
}

/** An error the CLI reports as one line on stderr, with the exit code it maps to. */
export class CliError extends Error {
  readonly exitCode: number;
  /** The contract's error, when a method refused (errorFromApi). */
  readonly api: ApiError | undefined;
  constructor(message: string, exitCode: number = EXIT_FAILURE, api?: ApiError) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.api = api;
  }
}

export const usageError = (message: string) => new CliError(message, EXIT_USAGE);
export const failure = (message: string) => new CliError(message, EXIT_FAILURE);

/** Where a method's input came from: the command line (a VALIDATION error is a usage error) or data. */
export type InputOrigin = 'args' | 'data';

/** Names of input fields as the user typed them on the command line. */
export type FieldNames = Readonly<Record<string, string>>;

const DEFAULT_FIELD_NAMES: FieldNames = {
  q: 'query',
  body: 'text',
  title: '--title',
  tags: '--tag',
  kind: '--kind',
  tag: '--tag',
  since: '--since',
  until: '--until',
  status: '--status',
  site: '--site',
  limit: '--limit',
  topic: 'topic',
  'bookmark.url': '--bookmark',
  'bookmark.excerpt': '--excerpt',
  'person.name': '--person',
  'person.role': '--role',
  'person.organisation': '--org',
  'person.topics': '--topic',
  'person.aliases': '--alias',
  'person.contacts': '--contact',
  'person.recommendedBy': '--recommended-by',
  'question.askedBy': '--asked-by',
  'question.answer': '--answer',
  'question.status': '--status',
  revisionId: '--restore',
  answerOf: '--answers',
};

function cliFieldName(path: string, names: FieldNames): string {
  // `tags.3` is the 4th --tag; look up the path without its list index.
  const withoutIndex = path.replace(/\.\d+(?=\.|$)/g, '');
  return names[path] ?? names[withoutIndex] ?? DEFAULT_FIELD_NAMES[path] ?? DEFAULT_FIELD_NAMES[withoutIndex] ?? path;
}

/** A failed Result as a CLI error: bad arguments are usage errors (2), everything else is 1. */
export function errorFromApi(error: ApiError, origin: InputOrigin, names: FieldNames = {}): CliError {
  if (error.code === 'VALIDATION') {
    const first = error.issues?.[0];
    const message = first ? `${first.path ? `${cliFieldName(first.path, names)}: ` : ''}${first.message}` : error.message;
    return new CliError(message, origin === 'args' ? EXIT_USAGE : EXIT_FAILURE, error);
  }
  return new CliError(error.message, EXIT_FAILURE, error);
}

/** A write refused because the journal was opened read-only (the process may not write to it). */
function readOnlyFailure(core: Core): CliError {
  const why = readOnlyReason(core.databasePath);
  return failure(`The journal at ${core.databasePath} is read-only${why ? ` (${why})` : ''}; nothing was changed`);
}

/**
 * Why there is no journal to open in `dataDir` (no such folder, or no journal file in it), or
 * undefined when there is one, or when opening it will say what is wrong (not a folder, no access).
 */
function noJournal({ dir, from }: ResolvedDataDir): string | undefined {
  const missing = (file: string) => {
    try {
      fs.statSync(file);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
  };
  const check = from === 'flag' ? 'check --data-dir, or ' : from === 'env' ? 'check $OUTLOUD_DATA_DIR, or ' : '';
  const start = `${check}start one there with \`outloud add\``;
  if (missing(dir)) return `No journal in ${dir}: there is no such folder (${start})`;
  if (missing(path.join(dir, DATABASE_FILE))) return `No journal in ${dir}: the folder holds no ${DATABASE_FILE} (${start})`;
  return undefined;
}

export class Context {
  readonly io: CliIO;
  readonly tuning: CliTuning;
  /** The arguments of this run, as given. */
  argv: readonly string[] = [];
  json = false;
  dataDirFlag: string | undefined;
  /**
   * Whether the command may start a journal where there is none (one that writes: add, import...).
   * One that only reads refuses a missing journal instead: a mistyped --data-dir is an error, not
   * an empty journal searched, exported or backed up.
   */
  createsJournal = true;
  private opened: Core | undefined;

  constructor(io: CliIO, tuning: CliTuning = {}) {
    this.io = io;
    this.tuning = tuning;
  }

  get cwd(): string {
    return this.io.cwd ?? process.cwd();
  }

  get style(): Style {
    const noColor = this.io.env.NO_COLOR;
    return { color: Boolean(this.io.stdout.isTTY) && !(noColor !== undefined && noColor !== '') };
  }

  private resolvedDataDir(): ResolvedDataDir {
    return resolveDataDir({ flag: this.dataDirFlag, argv: [], env: this.io.env as NodeJS.ProcessEnv, cwd: this.cwd });
  }

  /** The journal, opened on first use (so `--help` and usage errors never touch the database). */
  core(): Core {
    if (this.opened) return this.opened;
    const resolved = this.resolvedDataDir();
    const dataDir = resolved.dir;
    if (!this.createsJournal) {
      const why = noJournal(resolved);
      if (why) throw failure(why);
    }
    try {
      ensureDir(dataDir);
      this.opened = openCore({ dataDir, doctorWorkerFile: this.io.doctorWorkerFile, importWorkerFile: this.io.importWorkerFile });
    } catch (error) {
      if (error instanceof OutloudError) throw failure(error.message); // a journal from the future, or unopenable
      if (isFsError(error)) throw failure(fsMessage(error, 'open the journal in', dataDir));
      throw failure(`Cannot open the journal in ${dataDir}: ${toApiError(error).message.replace(/^Unexpected error: /, '')}`);
    }
    return this.opened;
  }

  close(): void {
    this.opened?.close();
    this.opened = undefined;
  }

  /**
   * The journal for a command that will write to it, refused at once when it is read-only: before
   * the command reads a large file or opens an editor for nothing.
   */
  writableCore(): Core {
    const core = this.core();
    if (core.db.readonly) throw readOnlyFailure(core);
    return core;
  }

  /** Runs a contract method; a failed Result becomes a CliError. */
  async call<M extends MethodName>(method: M, input: MethodInput<M>, origin: InputOrigin = 'args', names: FieldNames = {}): Promise<MethodOutput<M>> {
    // Input the contract refuses is a usage error whether or not there is a journal to open (a
    // mistyped --since in a mistyped folder is told as the usage error): checked before opening it.
    if (!this.opened && !contract[method].input.safeParse(input ?? {}).success) {
      const refused = await dispatch({} as Handlers, method, input);
      if (!refused.ok) throw errorFromApi(refused.error, origin, names);
    }
    const core = this.core();
    const result = await core.dispatch(method, input);
    if (result.ok) return result.value as MethodOutput<M>;
    // SQLite's refusal, as toApiError says it: said here with the journal's path and why.
    if (core.db.readonly && result.error.message === READ_ONLY_MESSAGE) throw readOnlyFailure(core);
    throw errorFromApi(result.error, origin, names);
  }

  /** Runs a service function outside the contract (backup, index rebuild) with the same error mapping. */
  async service<T>(fn: (core: Core) => T | Promise<T>): Promise<T> {
    const core = this.core();
    try {
      return await fn(core);
    } catch (error) {
      if (core.db.readonly && isReadOnlyError(error)) throw readOnlyFailure(core);
      throw errorFromApi(toApiError(error), 'data');
    }
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** `--json`: exactly the value as JSON; otherwise the human rendering. */
  print(value: unknown, human: () => string | string[]): void {
    if (this.json) {
      // JSON escapes only the C0 controls: C1 controls (U+0080-U+009F; U+009B opens an escape sequence
      // in some terminals) and the line separators are escaped too, so no text in it acts on a terminal.
      this.io.stdout.write(`${JSON.stringify(value, null, 2).replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
      return;
    }
    const text = human();
    const lines = Array.isArray(text) ? text.join('\n') : text;
    if (lines) this.out(lines);
  }

  errorLine(message: string): void {
    this.io.stderr.write(`outloud: ${oneLine(message)}\n`);
  }
}
