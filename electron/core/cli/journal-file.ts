/**
 * Outloud's JSON export as a file: written and read as a stream, so a journal of any size passes
 * through in bounded memory, and a damaged or hostile file is refused with a clear reason.
 *
 * The writer puts one entry, revision or link per line. The reader is a small streaming scanner for
 * the export's shape (one object whose `entries`, `revisions` and `links` are arrays): it finds each
 * array element's text and hands it to JSON.parse, which does the real validation of the syntax.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JournalExport } from '../../../shared/domain/journal.ts';

export const SECTIONS = ['entries', 'revisions', 'links'] as const;
export type Section = (typeof SECTIONS)[number];

/** Largest single element (an entry with its body) the reader accepts, in characters. */
export const MAX_ITEM_CHARS = 32 * 1024 * 1024;
/** Largest top-level value that is not one of the sections. */
const MAX_HEADER_CHARS = 1024 * 1024;

/** The file is not a readable Outloud export; the message says why, in words a person can act on. */
export class JournalFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalFileError';
  }
}

export interface ScanCallbacks {
  /** A top-level value other than the three sections (format, version, exportedAt, unknown keys). */
  header?(key: string, value: unknown): void;
  /** A section's list begins (called for empty lists too). */
  section?(section: Section): void;
  item?(section: Section, index: number, value: unknown): void | Promise<void>;
  /** Bytes of the file read so far. */
  progress?(bytesRead: number): void;
}

const WS_RE = /[^ \t\n\r]/g;
const STRING_STOP_RE = /["\\]/g;
const STRUCT_STOP_RE = /[[\]{}"]/g;
const PRIMITIVE_STOP_RE = /[,\]} \t\n\r]/g;

function search(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : -1;
}

/** Collects the text of one JSON value that may span chunks; brackets are counted, strings skipped. */
class ValueCapture {
  private pieces: string[] = [];
  private length = 0;
  private depth = 0;
  private inString = false;
  private pendingEscape = false;
  private primitive = false;
  private started = false;
  private readonly limit: number;
  private readonly what: () => string;

  constructor(limit: number, what: () => string) {
    this.limit = limit;
    this.what = what;
  }

  /** Consumes from `from`; returns the index just past the value, or -1 when it goes on in the next chunk. */
  feed(chunk: string, from: number): number {
    let i = from;
    if (!this.started) {
      this.started = true;
      const c = chunk[i];
      if (c === '{' || c === '[') {
        this.depth = 1;
        i++;
      } else if (c === '"') {
        this.inString = true;
        i++;
      } else {
        this.primitive = true;
      }
    }
    let end = -1;
    while (i < chunk.length) {
      if (this.pendingEscape) {
        this.pendingEscape = false;
        i++;
        continue;
      }
      if (this.inString) {
        const stop = search(STRING_STOP_RE, chunk, i);
        if (stop < 0) {
          i = chunk.length;
          break;
        }
        if (chunk[stop] === '\\') {
          this.pendingEscape = true;
          i = stop + 1;
          continue;
        }
        this.inString = false;
        i = stop + 1;
        if (this.depth === 0) {
          end = i;
          break;
        }
      } else if (this.primitive) {
        const stop = search(PRIMITIVE_STOP_RE, chunk, i);
        if (stop < 0) {
          i = chunk.length;
          break;
        }
        end = stop;
        break;
      } else {
        const stop = search(STRUCT_STOP_RE, chunk, i);
        if (stop < 0) {
          i = chunk.length;
          break;
        }
        const c = chunk[stop];
        i = stop + 1;
        if (c === '"') this.inString = true;
        else if (c === '{' || c === '[') this.depth++;
        else if (--this.depth === 0) {
          end = i;
          break;
        }
      }
    }
    const taken = end < 0 ? chunk.length : end;
    this.length += taken - from;
    if (this.length > this.limit) {
      const mb = this.limit / 1024 / 1024;
      throw new JournalFileError(`${this.what()} is larger than ${mb >= 1 ? `${mb.toFixed(0)} MB` : `${this.limit} characters`}`);
    }
    this.pieces.push(chunk.slice(from, taken));
    return end;
  }

  text(): string {
    return this.pieces.join('');
  }
}

type State =
  | 'start'
  | 'first-key'
  | 'key'
  | 'key-text'
  | 'colon'
  | 'value'
  | 'value-text'
  | 'after-value'
  | 'array-first'
  | 'array-item'
  | 'item-text'
  | 'array-next'
  | 'done';

function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return code >= 0x20 && code < 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function parseValue(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JournalFileError(`${where} is not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
}

/**
 * Reads an export file element by element. Throws JournalFileError for anything that is not a
 * complete JSON object of the export's shape (the element values themselves are checked by the caller).
 */
export async function scanJournalFile(
  file: string,
  callbacks: ScanCallbacks,
  options: { maxItemChars?: number; chunkBytes?: number } = {},
): Promise<void> {
  const maxItemChars = options.maxItemChars ?? MAX_ITEM_CHARS;
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  let state: State = 'start';
  let offset = 0; // characters before the current chunk
  let capture: ValueCapture | undefined;
  let key = '';
  let section: Section | undefined;
  let index = 0;
  const seen = new Set<string>();
  let first = true;

  const unexpected = (c: string, at: number, expected: string): never => {
    throw new JournalFileError(`unexpected ${describeChar(c)} at character ${(offset + at).toLocaleString('en')} (expected ${expected})`);
  };
  const where = () => (section ? `${section}[${index}]` : `the value of "${key}"`);

  try {
    for await (const raw of stream) {
      let chunk = raw as string;
      if (first) {
        first = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // a byte order mark
      }
      let i = 0;
      const n = chunk.length;
      while (i < n) {
        if (state !== 'key-text' && state !== 'value-text' && state !== 'item-text') {
          i = search(WS_RE, chunk, i);
          if (i < 0) break;
        }
        const c = chunk[i]!;
        switch (state) {
          case 'start':
            if (c !== '{') {
              throw new JournalFileError(
                c === '[' ? 'the file holds a JSON list, not an object' : `the file does not start with a JSON object (it starts with ${describeChar(c)})`,
              );
            }
            i++;
            state = 'first-key';
            break;
          case 'first-key':
          case 'key':
            if (c === '}' && state === 'first-key') {
              i++;
              state = 'done';
            } else if (c === '"') {
              capture = new ValueCapture(MAX_HEADER_CHARS, () => 'a key');
              state = 'key-text';
            } else unexpected(c, i, 'a quoted key');
            break;
          case 'key-text': {
            const end = capture!.feed(chunk, i);
            if (end < 0) {
              i = n;
              break;
            }
            key = parseValue(capture!.text(), 'a key') as string;
            if (seen.has(key)) throw new JournalFileError(`the key "${key.slice(0, 40)}" appears twice`);
            seen.add(key);
            i = end;
            state = 'colon';
            break;
          }
          case 'colon':
            if (c !== ':') unexpected(c, i, "':'");
            i++;
            state = 'value';
            break;
          case 'value':
            if ((SECTIONS as readonly string[]).includes(key)) {
              if (c !== '[') throw new JournalFileError(`"${key}" is not a list`);
              section = key as Section;
              callbacks.section?.(section);
              index = 0;
              i++;
              state = 'array-first';
            } else {
              section = undefined;
              capture = new ValueCapture(MAX_HEADER_CHARS, where);
              state = 'value-text';
            }
            break;
          case 'value-text': {
            const end = capture!.feed(chunk, i);
            if (end < 0) {
              i = n;
              break;
            }
            callbacks.header?.(key, parseValue(capture!.text(), where()));
            i = end;
            state = 'after-value';
            break;
          }
          case 'after-value':
            section = undefined;
            if (c === ',') state = 'key';
            else if (c === '}') state = 'done';
            else unexpected(c, i, "',' or '}'");
            i++;
            break;
          case 'array-first':
          case 'array-item':
            if (c === ']' && state === 'array-first') {
              i++;
              state = 'after-value';
              break;
            }
            capture = new ValueCapture(maxItemChars, where);
            state = 'item-text';
            break;
          case 'item-text': {
            const end = capture!.feed(chunk, i);
            if (end < 0) {
              i = n;
              break;
            }
            const value = parseValue(capture!.text(), where());
            await callbacks.item?.(section!, index, value);
            index++;
            i = end;
            state = 'array-next';
            break;
          }
          case 'array-next':
            if (c === ',') state = 'array-item';
            else if (c === ']') state = 'after-value';
            else unexpected(c, i, `',' or ']' after ${section}[${index - 1}]`);
            i++;
            break;
          case 'done':
            unexpected(c, i, 'the end of the file');
        }
      }
      offset += n;
      callbacks.progress?.(stream.bytesRead);
    }
  } finally {
    stream.destroy();
  }
  if (state === 'start') throw new JournalFileError('the file is empty');
  if (state !== 'done') {
    throw new JournalFileError(
      `the file ends too early, in ${section ? `${section}[${index}]` : 'the middle'} (was it cut off while being copied?)`,
    );
  }
}

/** The export as text, one entry, revision or link per line; `onItem` is called after each. */
export function* journalText(data: JournalExport, onItem?: () => void): Generator<string> {
  yield `{"format":${JSON.stringify(data.format)},"version":${JSON.stringify(data.version)},"exportedAt":${JSON.stringify(data.exportedAt)}`;
  for (const section of SECTIONS) {
    const items = data[section] as readonly unknown[];
    yield `,\n${JSON.stringify(section)}:[`;
    let i = 0;
    for (const item of items) {
      yield `${i++ === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`;
      onItem?.();
    }
    yield items.length ? '\n]' : ']';
  }
  yield '}\n';
}

/**
 * Writes an export to a temporary file beside `out`, flushed to disk, then renamed into place: a
 * crash or a full disk never leaves a half-written file under the name the user asked for.
 */
export function writeJournalFile(out: string, data: JournalExport, onItem?: () => void): { path: string; bytes: number } {
  const target = path.resolve(out);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  const fd = fs.openSync(tmp, 'w');
  let bytes = 0;
  try {
    let buffer = '';
    const flush = () => {
      const b = Buffer.from(buffer, 'utf8');
      let done = 0;
      while (done < b.length) done += fs.writeSync(fd, b, done, b.length - done);
      bytes += b.length;
      buffer = '';
    };
    for (const piece of journalText(data, onItem)) {
      buffer += piece;
      if (buffer.length >= 1 << 20) flush();
    }
    flush();
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  return { path: target, bytes };
}
