/**
 * Outloud's JSON export as a file: written and read as a stream, so a journal of any size passes
 * through in bounded memory, and a damaged or hostile file is refused with a clear reason.
 *
 * The writer puts one entry, revision or link per line. The reader is a small streaming scanner for
 * the export's shape (one object whose `entries`, `revisions` and `links` are arrays): it finds each
 * array element's text and hands it to JSON.parse, which does the real validation of the syntax. In
 * a file of the writer's layout it takes each element's line as it is, trusting JSON.parse for all of
 * it; any other layout (pretty-printed, minified) is scanned bracket by bracket.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { JournalExport } from '../../../shared/domain/journal.ts';

export const SECTIONS = ['entries', 'revisions', 'links'] as const;
export type Section = (typeof SECTIONS)[number];

/** Largest single element (an entry with its body) the reader accepts, in bytes of the file. */
export const MAX_ITEM_BYTES = 32 * 1024 * 1024;
/** Largest top-level value that is not one of the sections. */
const MAX_HEADER_BYTES = 1024 * 1024;

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
  /** A section's list ends. */
  sectionEnd?(section: Section): void | Promise<void>;
  /** An element of a section, and how many bytes of the file it took. */
  item?(section: Section, index: number, value: unknown, bytes: number): void | Promise<void>;
  /** Bytes of the file read so far. */
  progress?(bytesRead: number): void;
}

// The reader works on the file's bytes: JSON's structure is ASCII, and no byte of a multi-byte UTF-8
// character is an ASCII byte. Each element's bytes are decoded on their own, so an element that is
// ASCII (most are) becomes a one-byte string, which JSON.parse reads faster than the two-byte string a
// whole decoded chunk becomes as soon as it holds one non-ASCII character.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(buf: Buffer, i: number): number {
  while (i < buf.length && isSpace(buf[i]!)) i++;
  return i;
}

function sizeText(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 1 ? `${mb.toFixed(0)} MB` : `${bytes} bytes`;
}

/** Collects the bytes of one JSON value that may span chunks; brackets are counted, strings skipped. */
class ValueCapture {
  private pieces: Buffer[] = [];
  private length = 0;
  private depth = 0;
  private inString = false;
  private pendingEscape = false;
  private primitive = false;
  private started = false;
  private readonly limit: number;
  private readonly what: () => string;
  /** Where the value starts in the file, in bytes. */
  readonly start: number;

  constructor(limit: number, what: () => string, start: number) {
    this.limit = limit;
    this.what = what;
    this.start = start;
  }

  /** Consumes from `from`; returns the index just past the value, or -1 when it goes on in the next chunk. */
  feed(buf: Buffer, from: number): number {
    let i = from;
    const n = buf.length;
    if (!this.started) {
      this.started = true;
      const c = buf[i];
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth = 1;
        i++;
      } else if (c === QUOTE) {
        this.inString = true;
        i++;
      } else {
        this.primitive = true;
      }
    }
    let end = -1;
    while (i < n) {
      if (this.inString) {
        if (this.pendingEscape) {
          this.pendingEscape = false;
          i++;
          continue;
        }
        let c = buf[i]!;
        while (c !== QUOTE && c !== BACKSLASH && ++i < n) c = buf[i]!;
        if (i >= n) break;
        i++;
        if (c === BACKSLASH) {
          this.pendingEscape = true;
          continue;
        }
        this.inString = false;
        if (this.depth === 0) {
          end = i;
          break;
        }
      } else if (this.primitive) {
        const c = buf[i]!;
        if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || isSpace(c)) {
          end = i;
          break;
        }
        i++;
      } else {
        const c = buf[i++]!;
        if (c === QUOTE) this.inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
        else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --this.depth === 0) {
          end = i;
          break;
        }
      }
    }
    const taken = end < 0 ? n : end;
    this.length += taken - from;
    if (this.length > this.limit) throw new JournalFileError(`${this.what()} is larger than ${sizeText(this.limit)}`);
    // The reader reuses its buffer for the next chunk: a value that goes on keeps a copy of this part.
    // One that ends here is decoded (see `utf8Text`) before the next read.
    this.pieces.push(end < 0 ? Buffer.from(buf.subarray(from, taken)) : buf.subarray(from, taken));
    return end;
  }

  /** How many bytes the value has so far. */
  get size(): number {
    return this.length;
  }

  /** The value's bytes (decoded by the caller, see `utf8Text`). */
  bytes(): Buffer {
    return this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.length);
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

/** The character at byte `i`, for a message: 'x' when printable ASCII, else its code point. */
function describeChar(buf: Buffer, i: number): string {
  const c = buf[i]!;
  const code = c < 0x80 ? c : (buf.toString('utf8', i, Math.min(buf.length, i + 4)).codePointAt(0) ?? 0xfffd);
  return code >= 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** How many characters (UTF-16 code units, as an editor counts) the file's first `byteOffset` bytes hold. */
function characterOffset(file: string, byteOffset: number, skipBytes: number): number {
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(Math.min(1 << 20, Math.max(1, byteOffset)));
  let fd: number | undefined;
  let chars = 0;
  try {
    fd = fs.openSync(file, 'r');
    let pos = skipBytes;
    while (pos < byteOffset) {
      const got = fs.readSync(fd, buf, 0, Math.min(buf.length, byteOffset - pos), pos);
      if (got <= 0) break;
      chars += decoder.write(buf.subarray(0, got)).length;
      pos += got;
    }
    return chars + decoder.end().length;
  } catch {
    return byteOffset - skipBytes; // the file went away: bytes are the next best thing
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Where the first byte that cannot be part of UTF-8 text is in `bytes`: a stray continuation byte,
 * a lead byte without its continuations, an overlong form, a surrogate or a code point past U+10FFFF.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // The second byte's range depends on the first (RFC 3629, section 4).
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const b = bytes[i + k];
      if (b === undefined || b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

function parseValue(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JournalFileError(`${where} is not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
}

/** Parsing an element that did not turn out to be one whole line; see `lineItem`. */
const NOT_A_LINE = Symbol('not a line');

/**
 * Reads an export file element by element. Throws JournalFileError for anything that is not a
 * complete JSON object of the export's shape (the element values themselves are checked by the caller).
 */
export async function scanJournalFile(
  file: string,
  callbacks: ScanCallbacks,
  options: { maxItemBytes?: number; chunkBytes?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const maxItemBytes = options.maxItemBytes ?? MAX_ITEM_BYTES;
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  // One buffer, read into again and again: memory stays flat however large the file.
  const block = Buffer.allocUnsafe(chunkBytes);
  let bytesRead = 0;
  let state: State = 'start';
  let offset = 0; // bytes before the current chunk
  let bom = 0;
  let capture: ValueCapture | undefined;
  let key = '';
  let section: Section | undefined;
  let index = 0;
  const seen = new Set<string>();
  // Whether to try each element as one line first: what writeJournalFile writes. Any other layout
  // turns it off at the first element that is not a whole line.
  let lines = true;
  let newlineAt = -1; // the next newline in the current chunk at or after the element (-2: none)

  const unexpected = (buf: Buffer, at: number, expected: string): never => {
    const where = characterOffset(file, offset + at, bom);
    throw new JournalFileError(`unexpected ${describeChar(buf, at)} at character ${where.toLocaleString('en')} (expected ${expected})`);
  };
  const where = () => (section ? `${section}[${index}]` : `the value of "${key}"`);
  /** The text of a value's bytes, which start at byte `start` of the file; refused when they are not UTF-8. */
  const utf8Text = (bytes: Buffer, start: number, what: string): string => {
    if (!isUtf8(bytes)) {
      const bad = firstInvalidUtf8(bytes);
      const at = characterOffset(file, start + bad, bom);
      throw new JournalFileError(
        `${what} is not UTF-8 text: byte 0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')} at character ${at.toLocaleString('en')} ` +
          'cannot be read (was the file saved in another encoding?)',
      );
    }
    return bytes.toString('utf8');
  };
  /** The value `capture` holds, read as UTF-8 and parsed; `what` names it in an error. */
  const captured = (what: string): unknown => parseValue(utf8Text(capture!.bytes(), capture!.start, what), what);

  /**
   * The element starting at `i` when it is exactly the rest of its line (less a trailing comma):
   * if that text parses as JSON, the value that starts at `i` ends there, so no byte of it needs
   * looking at here; JSON.parse checks them all anyway.
   */
  const lineItem = (buf: Buffer, i: number): { value: unknown; end: number } | typeof NOT_A_LINE => {
    if (newlineAt === -2) return NOT_A_LINE;
    if (newlineAt < i) newlineAt = buf.indexOf(NEWLINE, i);
    if (newlineAt < 0) {
      newlineAt = -2;
      return NOT_A_LINE;
    }
    let end = newlineAt;
    while (end > i && isSpace(buf[end - 1]!)) end--;
    if (buf[end - 1] === COMMA) end--;
    if (end - i < 2 || buf[end - 1] !== CLOSE_BRACE || end - i > maxItemBytes) return NOT_A_LINE;
    const bytes = buf.subarray(i, end);
    // Bytes that are not UTF-8 are left to the element's own capture, whose error names the element.
    if (!isUtf8(bytes)) return NOT_A_LINE;
    try {
      return { value: JSON.parse(bytes.toString('utf8')), end };
    } catch {
      lines = false;
      return NOT_A_LINE;
    }
  };

  const handle = await fs.promises.open(file, 'r');
  try {
    for (;;) {
      // Stopped between chunks: the signal's reason is thrown (the caller tells a cancel apart by it).
      options.signal?.throwIfAborted();
      const got = (await handle.read(block, 0, chunkBytes, null)).bytesRead;
      if (got === 0) break;
      bytesRead += got;
      const buf = got === chunkBytes ? block : block.subarray(0, got);
      let i = 0;
      const n = buf.length;
      newlineAt = -1;
      while (i < n) {
        if (state !== 'key-text' && state !== 'value-text' && state !== 'item-text') {
          i = skipSpace(buf, i);
          if (i >= n) break;
        }
        const c = buf[i]!;
        switch (state) {
          case 'start':
            // A byte order mark (EF BB BF) at the very start is skipped, even split across chunks.
            if (offset + i === bom && bom < 3 && c === BYTE_ORDER_MARK[bom]) {
              bom++;
              i++;
              break;
            }
            if (bom > 0 && bom < 3) throw new JournalFileError('the file does not start with a JSON object (it starts with U+FFFD)');
            // FF FE / FE FF: a byte order mark of UTF-16, as some editors save "Unicode" text. Never UTF-8.
            if (offset + i === 0 && (c === 0xff || c === 0xfe)) {
              throw new JournalFileError(`the file is not UTF-8 text (it starts with byte 0x${c.toString(16).toUpperCase()}, as UTF-16 text does): save it as UTF-8 and try again`);
            }
            if (c !== OPEN_BRACE) {
              throw new JournalFileError(
                c === OPEN_BRACKET ? 'the file holds a JSON list, not an object' : `the file does not start with a JSON object (it starts with ${describeChar(buf, i)})`,
              );
            }
            i++;
            state = 'first-key';
            break;
          case 'first-key':
          case 'key':
            if (c === CLOSE_BRACE && state === 'first-key') {
              i++;
              state = 'done';
            } else if (c === QUOTE) {
              capture = new ValueCapture(MAX_HEADER_BYTES, () => 'a key', offset + i);
              state = 'key-text';
            } else unexpected(buf, i, 'a quoted key');
            break;
          case 'key-text': {
            const end = capture!.feed(buf, i);
            if (end < 0) {
              i = n;
              break;
            }
            key = captured('a key') as string;
            if (seen.has(key)) throw new JournalFileError(`the key "${key.slice(0, 40)}" appears twice`);
            seen.add(key);
            i = end;
            state = 'colon';
            break;
          }
          case 'colon':
            if (c !== COLON) unexpected(buf, i, "':'");
            i++;
            state = 'value';
            break;
          case 'value':
            if ((SECTIONS as readonly string[]).includes(key)) {
              if (c !== OPEN_BRACKET) throw new JournalFileError(`"${key}" is not a list`);
              section = key as Section;
              callbacks.section?.(section);
              index = 0;
              i++;
              state = 'array-first';
            } else {
              section = undefined;
              capture = new ValueCapture(MAX_HEADER_BYTES, where, offset + i);
              state = 'value-text';
            }
            break;
          case 'value-text': {
            const end = capture!.feed(buf, i);
            if (end < 0) {
              i = n;
              break;
            }
            callbacks.header?.(key, captured(where()));
            i = end;
            state = 'after-value';
            break;
          }
          case 'after-value':
            section = undefined;
            if (c === COMMA) state = 'key';
            else if (c === CLOSE_BRACE) state = 'done';
            else unexpected(buf, i, "',' or '}'");
            i++;
            break;
          case 'array-first':
          case 'array-item': {
            if (c === CLOSE_BRACKET && state === 'array-first') {
              i++;
              state = 'after-value';
              const ended = callbacks.sectionEnd?.(section!);
              if (ended) await ended;
              break;
            }
            const line = lines && c === OPEN_BRACE ? lineItem(buf, i) : NOT_A_LINE;
            if (line !== NOT_A_LINE) {
              const done = callbacks.item?.(section!, index, line.value, line.end - i);
              if (done) await done;
              index++;
              i = line.end;
              state = 'array-next';
              break;
            }
            capture = new ValueCapture(maxItemBytes, where, offset + i);
            state = 'item-text';
            break;
          }
          case 'item-text': {
            const end = capture!.feed(buf, i);
            if (end < 0) {
              i = n;
              break;
            }
            const value = captured(where());
            const bytes = capture!.size;
            capture = undefined;
            const done = callbacks.item?.(section!, index, value, bytes);
            if (done) await done;
            index++;
            i = end;
            state = 'array-next';
            break;
          }
          case 'array-next':
            if (c === COMMA) state = 'array-item';
            else if (c === CLOSE_BRACKET) {
              state = 'after-value';
              const ended = callbacks.sectionEnd?.(section!);
              if (ended) await ended;
            } else unexpected(buf, i, `',' or ']' after ${section}[${index - 1}]`);
            i++;
            break;
          case 'done':
            unexpected(buf, i, 'the end of the file');
        }
      }
      offset += n;
      callbacks.progress?.(bytesRead);
    }
  } finally {
    await handle.close();
  }
  if (state === 'start') throw new JournalFileError('the file is empty');
  if (state !== 'done') {
    throw new JournalFileError(
      `the file ends too early, in ${section ? `${section}[${index}]` : 'the middle'} (was it cut off while being copied?)`,
    );
  }
}

/** What an export file is written from: an export in memory, or one read as it is written (journal.service exportStream). */
export type JournalSource = Pick<JournalExport, 'format' | 'version' | 'exportedAt'> & Record<Section, Iterable<unknown>>;

/** The export as text, one entry, revision or link per line; `onItem` is called after each. */
export function* journalText(data: JournalSource, onItem?: (section: Section) => void): Generator<string> {
  yield `{"format":${JSON.stringify(data.format)},"version":${JSON.stringify(data.version)},"exportedAt":${JSON.stringify(data.exportedAt)}`;
  for (const section of SECTIONS) {
    yield `,\n${JSON.stringify(section)}:[`;
    let i = 0;
    for (const item of data[section]) {
      yield `${i++ === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`;
      onItem?.(section);
    }
    yield i ? '\n]' : ']';
  }
  yield '}\n';
}

/** The pieces joined into chunks of about a megabyte: one write each instead of one per line. */
export function* inChunks(pieces: Iterable<string>, size = 1 << 20): Generator<string> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/**
 * Writes an export to a temporary file beside `out`, flushed to disk, then renamed into place: a
 * crash or a full disk never leaves a half-written file under the name the user asked for. The file
 * it replaces keeps its permission bits (a private `chmod 600` export stays private); a new one gets
 * the usual ones. A pipe or a device (`/dev/stdout`) is written straight into: renaming a file over
 * it would replace it.
 * Asynchronous a chunk (~1 MB) at a time: a process that writes a large export keeps answering
 * meanwhile, as long as `data` is not read from a connection it uses for anything else.
 */
export async function writeJournalFile(
  out: string,
  data: JournalSource,
  onItem?: (section: Section) => void,
  signal?: AbortSignal,
): Promise<{ path: string; bytes: number }> {
  const target = path.resolve(out);
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  const direct = existing !== undefined && (existing.isFIFO() || existing.isCharacterDevice());
  const tmp = direct ? target : path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  // Over an existing file: created private (no one else can open it meanwhile), then given the
  // target's bits before any byte is written. A new file gets the default (0o666 less the umask).
  const keepMode = !direct && existing !== undefined;
  const file = await fs.promises.open(tmp, 'w', keepMode ? 0o600 : 0o666);
  let bytes = 0;
  try {
    if (keepMode) await file.chmod(existing.mode & 0o777);
    for (const chunk of inChunks(journalText(data, onItem))) {
      // Stopped between chunks: the partial file goes (below), the target stays as it was.
      signal?.throwIfAborted();
      const b = Buffer.from(chunk, 'utf8');
      let done = 0;
      while (done < b.length) done += (await file.write(b, done, b.length - done)).bytesWritten;
      bytes += b.length;
    }
    if (!direct) await file.sync();
  } catch (error) {
    await file.close();
    if (!direct) fs.rmSync(tmp, { force: true });
    throw error;
  }
  await file.close();
  if (direct) return { path: target, bytes };
  try {
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  return { path: target, bytes };
}
