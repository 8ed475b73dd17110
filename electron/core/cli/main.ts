/**
 * The `outloud` command line: the same journal as the app, through the same contract.
 *
 * `run(argv, io)` is the whole CLI as a function (tests call it in-process with their own streams);
 * `main()` binds it to the real process. Exit codes: 0 success, 2 usage error, 1 anything else, with
 * a one-line reason on stderr and never a stack trace.
 */
import fs from 'node:fs';
import { type Command, CommanderError } from 'commander';
import { OutloudError } from '../../../shared/api/errors.ts';
import { fsMessage } from '../files/fs.ts';
import { buildProgram } from './commands.ts';
import { CliError, Context, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, failure, type CliIO, type CliTuning, type OutStream } from './context.ts';

export type { CliIO, CliTuning } from './context.ts';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './context.ts';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Commander's message without its `error: ` prefix, on one line. */
function commanderMessage(error: CommanderError): string {
  const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
  if (error.code === 'commander.unknownCommand') return `${message} (outloud --help lists the commands)`;
  return message;
}

/**
 * `outloud help NAME` for a NAME that is no command: the error `outloud NAME` gives (with commander's
 * "did you mean"), from a program of its own that is given only NAME. (Commander itself shows the
 * general help as an error, as for no command at all.)
 */
function unknownHelpTopic(ctx: Context, program: Command, name: string): string {
  const fallback = `unknown command '${name}' (outloud --help lists the commands)`;
  if (program.commands.some((c) => c.name() === name || c.aliases().includes(name))) return fallback;
  const probe = buildProgram(ctx, packageVersion()).exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  try {
    probe.parse([name], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.unknownCommand') return commanderMessage(error);
  }
  return fallback;
}

/** Runs one invocation of the CLI and resolves to its exit code. Never throws. */
export async function run(argv: readonly string[], io: CliIO, tuning: CliTuning = {}): Promise<number> {
  const ctx = new Context(io, tuning);
  ctx.argv = argv;
  const program = buildProgram(ctx, packageVersion());
  // Commander's own error printing is replaced by the one-line report below; help goes to stdout.
  const output = { writeOut: (text: string) => void io.stdout.write(text), writeErr: () => {}, outputError: () => {} };
  for (const command of [program, ...program.commands]) command.exitOverride().configureOutput(output);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      if (error.code === 'commander.help') {
        const [word, name] = program.args;
        if (word === 'help' && name === 'help') {
          program.outputHelp(); // help on help: the general help, which lists `help [command]`
          return EXIT_OK;
        }
        if (word === 'help' && name !== undefined) {
          ctx.errorLine(unknownHelpTopic(ctx, program, name));
          return EXIT_USAGE;
        }
        ctx.errorLine('no command given (outloud --help lists the commands)');
        return EXIT_USAGE;
      }
      ctx.errorLine(commanderMessage(error));
      return EXIT_USAGE;
    }
    if (error instanceof CliError) {
      ctx.errorLine(error.message);
      return error.exitCode;
    }
    if (error instanceof OutloudError) {
      ctx.errorLine(error.message);
      return EXIT_FAILURE;
    }
    ctx.errorLine(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  } finally {
    try {
      ctx.close();
    } catch {
      // closing a journal that failed to open
    }
  }
}

/**
 * The real process: its argv and streams; sets the exit code. The bin (outloud.cjs) passes the
 * doctor's and the import reader's workers built beside the bundle when it runs the bundle (CliIO's
 * `doctorWorkerFile`, `importWorkerFile`).
 */
export async function main(setup: Pick<CliIO, 'doctorWorkerFile' | 'importWorkerFile'> = {}): Promise<void> {
  const stdout = processOutput(1);
  const stderr = processOutput(2);
  process.on('uncaughtException', (error) => {
    stderr.write(`outloud: unexpected error: ${String((error as Error)?.message ?? error).split('\n')[0]}\n`);
    process.exit(EXIT_FAILURE);
  });
  const code = await run(process.argv.slice(2), {
    stdout,
    stderr,
    // A getter: touching process.stdin sets up a stream, which only `add -` and `edit` need.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    ...setup,
  });
  // A terminal that failed a write the command did not hear of still fails the run.
  const exitCode = code === EXIT_OK && stdoutFailed ? EXIT_FAILURE : code;
  process.exitCode = exitCode;
  // All output went straight to its descriptor, so nothing is left to flush: end now, not after the
  // tasks V8 queued meanwhile (a young-generation GC due near the end costs 2-6 ms, measured).
  if (stdout instanceof DirectOutput && stderr instanceof DirectOutput) process.exit(exitCode);
}

/**
 * Standard output or error (fd 1 or 2). Into a pipe, a file or a device such as /dev/null, text is
 * written straight to the descriptor: setting up `process.stdout` for a pipe loads Node's stream and
 * socket modules, ~8 ms of a cold `outloud search --json | jq` that writes one string (measured). A
 * terminal gets the real stream, which knows its width.
 *
 * Output that cannot be written is a failure (exit 1, the reason on stderr): a full disk or
 * /dev/full (ENOSPC), a descriptor not open for writing (EBADF), EIO... except EPIPE, the reader
 * going away (`outloud list | head`). What cannot be written to stderr is dropped: there is nowhere
 * left to say so. (A closed stdout, `outloud list >&-`, never reaches us: Node opens /dev/null in
 * its place before any JavaScript runs.)
 */
function processOutput(fd: 1 | 2): OutStream {
  let stat: fs.Stats | undefined;
  try {
    if (process.platform !== 'win32') stat = fs.fstatSync(fd);
  } catch {
    stat = undefined; // a closed descriptor: Node's stream deals with it
  }
  if (stat && (stat.isFIFO() || stat.isFile() || stat.isSocket() || (stat.isCharacterDevice() && !isTerminal(fd)))) return new DirectOutput(fd);
  const stream = fd === 1 ? process.stdout : process.stderr;
  stream.on('error', fd === 1 ? stdoutBroken : () => {});
  return stream;
}

/** Whether a character device is a terminal (node:tty is loaded only for devices: it costs ~10 ms). */
const isTerminal = (fd: number) => process.getBuiltinModule('node:tty').isatty(fd);

/** Reasons for the errors only output meets (the others are a file's: a full disk...). */
const OUTPUT_REASONS: Readonly<Record<string, string>> = { EBADF: 'it is not open for writing', EIO: 'an input/output error' };

/** A write to stdout that failed other than by EPIPE: why, as the CLI's one-line failure. */
function outputFailure(error: unknown): CliError {
  const reason = OUTPUT_REASONS[(error as NodeJS.ErrnoException).code ?? ''];
  return failure(reason ? `Cannot write to standard output: ${reason}` : fsMessage(error, 'write to', 'standard output'));
}

let stdoutFailed = false;

/** An error of the stdout stream (a terminal): reported once, and the run fails. */
function stdoutBroken(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') readerGone();
  if (stdoutFailed) return;
  stdoutFailed = true;
  process.exitCode = EXIT_FAILURE;
  try {
    fs.writeSync(2, `outloud: ${outputFailure(error).message}\n`);
  } catch {
    // stderr is gone too
  }
}

/** Synchronous writes to a pipe, a file or a device. */
class DirectOutput implements OutStream {
  readonly isTTY = false;
  private readonly fd: 1 | 2;

  constructor(fd: 1 | 2) {
    this.fd = fd;
  }

  write(chunk: string): boolean {
    try {
      writeAll(this.fd, chunk);
    } catch (error) {
      if (this.fd === 2) return true; // a message nobody can read is dropped
      // Output nobody reads any more: stop, quietly. Any other error fails the command.
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') readerGone();
      throw outputFailure(error);
    }
    return true;
  }
}

/** `outloud list | head`: the reader went away; that is not an error of ours. */
function readerGone(): never {
  process.exit(process.exitCode ?? EXIT_OK);
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to `fd`, waiting while a non-blocking pipe is full. */
function writeAll(fd: number, text: string): void {
  let bytes = Buffer.from(text, 'utf8');
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(fs.writeSync(fd, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(PAUSE, 0, 0, 1);
    }
  }
}
