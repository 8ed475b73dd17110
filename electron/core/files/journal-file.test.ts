/** The export file reader and writer: any chunking of the file reads the same; damage is named. */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JournalExport } from '../../../shared/domain/journal.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { firstInvalidUtf8, JournalFileError, journalText, scanJournalFile, writeJournalFile, type Section } from './journal-file.ts';

interface Scanned {
  headers: Record<string, unknown>;
  /** The same, as [key, value] pairs in file order (a key such as "__proto__" stays a plain key). */
  headerList: Array<[string, unknown]>;
  sections: Section[];
  items: Record<Section, unknown[]>;
}

async function scan(file: string, chunkBytes?: number, maxItemChars?: number): Promise<Scanned> {
  const out: Scanned = { headers: {}, headerList: [], sections: [], items: { entries: [], revisions: [], links: [] } };
  await scanJournalFile(
    file,
    {
      header: (key, value) => {
        out.headerList.push([key, value]);
        Object.defineProperty(out.headers, key, { value, enumerable: true, configurable: true, writable: true });
      },
      section: (section) => out.sections.push(section),
      item: (section, index, value) => {
        expect(index).toBe(out.items[section].length);
        out.items[section].push(value);
      },
    },
    { chunkBytes, maxItemBytes: maxItemChars },
  );
  return out;
}

async function scanError(file: string, chunkBytes?: number, maxItemChars?: number): Promise<string> {
  try {
    await scan(file, chunkBytes, maxItemChars);
  } catch (error) {
    expect(error).toBeInstanceOf(JournalFileError);
    return (error as Error).message;
  }
  throw new Error('expected the scan to fail');
}

const tricky: JournalExport = {
  format: 'outloud-journal',
  version: 1,
  exportedAt: 1_400_000_000_000,
  entries: [
    {
      id: 'a1',
      kind: 'note',
      title: 'quotes " and \\ backslashes \\\\" ] } [ {',
      body: 'ünïcödé ✓ 𝄞 emoji 🎉, "nested": [1, {"x": "]"}], trailing backslash \\',
      tags: ['a', 'b'],
      createdAt: 1,
      updatedAt: 2,
      deletedAt: null,
      source: 'cli',
      sourceRef: null,
    },
    { id: 'a2', kind: 'note', title: '', body: '\n\t\r', tags: [], createdAt: 3, updatedAt: 3, deletedAt: 5, source: 'import:x', sourceRef: '\\"' },
  ],
  revisions: [{ id: 1, entryId: 'a1', savedAt: 2, title: 'old "title"', body: '\\', tags: [], fields: { nested: { deep: ['}'] } } }],
  links: [{ from: 'a1', to: 'a2', type: 'refers-to' }],
};

describe('scanJournalFile', () => {
  it('reads what writeJournalFile wrote, for every chunk size down to one byte', async () => {
    const file = path.join(tempDir(), 'export.json');
    await writeJournalFile(file, tricky);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(tricky);
    for (const chunkBytes of [1, 2, 3, 7, 64, 1 << 20]) {
      const scanned = await scan(file, chunkBytes);
      expect(scanned.headers).toEqual({ format: 'outloud-journal', version: 1, exportedAt: 1_400_000_000_000 });
      expect(scanned.sections).toEqual(['entries', 'revisions', 'links']);
      expect(scanned.items).toEqual({ entries: tricky.entries, revisions: tricky.revisions, links: tricky.links });
    }
  });

  it('reads any JSON layout of the same object: pretty-printed, reordered keys, extra keys, BOM', async () => {
    const dir = tempDir();
    const { entries, revisions, links, ...head } = tricky;
    const layouts = [
      JSON.stringify(tricky, null, 2),
      JSON.stringify({ links, extra: { ignored: [1, 2, { a: '}' }] }, revisions, ...head, entries }),
      `\ufeff${JSON.stringify(tricky)}`,
      ` \n\t${JSON.stringify(tricky, null, '\t')}\n\n`,
    ];
    for (const [i, text] of layouts.entries()) {
      const file = path.join(dir, `layout-${i}.json`);
      fs.writeFileSync(file, text);
      for (const chunkBytes of [1, 4, 1 << 20]) {
        const scanned = await scan(file, chunkBytes);
        expect(scanned.items).toEqual({ entries, revisions, links });
        expect(scanned.headers).toMatchObject(head);
      }
    }
  });

  it('passes a "__proto__" key on as a plain key, polluting nothing', async () => {
    const file = path.join(tempDir(), 'proto.json');
    fs.writeFileSync(file, '{"__proto__": {"polluted": true}, "entries": [{"__proto__": {"polluted": true}}]}');
    const scanned = await scan(file, 5);
    expect(scanned.headerList).toEqual([['__proto__', { polluted: true }]]);
    expect(Object.getOwnPropertyNames(scanned.items.entries[0])).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads empty sections', async () => {
    const file = path.join(tempDir(), 'empty.json');
    await writeJournalFile(file, { ...tricky, entries: [], revisions: [], links: [] });
    const scanned = await scan(file, 3);
    expect(scanned.sections).toEqual(['entries', 'revisions', 'links']);
    expect(scanned.items).toEqual({ entries: [], revisions: [], links: [] });
  });

  it('agrees with JSON.parse on random objects of the export shape, at random chunk sizes', async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 6 }),
        fc.array(fc.jsonValue(), { maxLength: 3 }),
        fc.dictionary(fc.string().filter((k) => !['entries', 'revisions', 'links'].includes(k)), fc.jsonValue(), { maxKeys: 3 }),
        fc.integer({ min: 1, max: 40 }),
        async (entries, links, extra, chunkBytes) => {
          const object = { ...extra, entries, links, revisions: [] as unknown[] };
          const file = path.join(dir, `random-${n++}.json`);
          fs.writeFileSync(file, JSON.stringify(object, null, n % 2 ? 1 : 0));
          const scanned = await scan(file, chunkBytes);
          // Through a JSON round trip, as -0 becomes 0 in the file.
          expect(scanned.items).toEqual(JSON.parse(JSON.stringify({ entries, revisions: [], links })));
          expect(scanned.headerList).toEqual(Object.entries(JSON.parse(JSON.stringify(extra)) as object));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses every truncation of a valid file', async () => {
    const dir = tempDir();
    const text = [...journalText(tricky)].join('');
    for (let cut = 0; cut < text.length - 1; cut++) {
      const file = path.join(dir, `cut-${cut}.json`);
      fs.writeFileSync(file, text.slice(0, cut));
      // Small chunks now and then put the cut and the chunk boundaries in every relation.
      const message = await scanError(file, cut % 11 === 0 ? 1 + (cut % 7) : undefined);
      expect(message).toMatch(/the file is empty|ends too early|is not valid JSON|unexpected/);
    }
  });

  it('names what is wrong and where', async () => {
    const dir = tempDir();
    const cases: Array<[string, RegExp]> = [
      ['[]', /a JSON list, not an object/],
      ['nope', /does not start with a JSON object \(it starts with 'n'\)/],
      ['\u0000{}', /it starts with U\+0000/],
      ['{"entries": {}}', /"entries" is not a list/],
      ['{"entries": [1 2]}', /unexpected '2' at character 15 \(expected ',' or '\]' after entries\[0\]\)/],
      ['{"entries": [{"a": }]}', /entries\[0\] is not valid JSON/],
      ['{"entries": [1,]}', /entries\[1\] is not valid JSON/],
      ['{"a": 1 "b": 2}', /unexpected '"' at character 8 \(expected ',' or '\}'\)/],
      ['{"a" 1}', /unexpected '1' .*expected ':'/],
      ['{a: 1}', /unexpected 'a' at character 1 \(expected a quoted key\)/],
      ['{"a": 1, "a": 2}', /the key "a" appears twice/],
      ['{"a": tru}', /the value of "a" is not valid JSON/],
      ['{} []', /unexpected '\[' .*expected the end of the file/],
      ['{"entries": [', /ends too early, in entries\[0\]/],
      ['{"entries": ["abc', /ends too early, in entries\[0\]/],
      ['{"format": "outloud-jou', /ends too early/],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      const file = path.join(dir, `case-${i}.json`);
      fs.writeFileSync(file, text);
      expect(await scanError(file)).toMatch(message);
      expect(await scanError(file, 1)).toMatch(message);
    }
  });

  it('reads elements that share a line, or lines that only look like one element, as JSON.parse does', async () => {
    const dir = tempDir();
    const a = { id: 'a', body: 'ends with a brace }' };
    const b = { id: 'b', body: '{"looks": "like an element"},' };
    const layouts = [
      `{"entries":[\n${JSON.stringify(a)}, ${JSON.stringify(b)},\n${JSON.stringify(a)}\n]}`,
      `{"entries":[\n${JSON.stringify(a)}\n,\n${JSON.stringify(b)}]}\n`,
      `{"entries":[${JSON.stringify(a)},${JSON.stringify(b)}]}\n`,
      `{"entries":[\n${JSON.stringify(b)} ,\n${JSON.stringify(a)}\r\n]}`,
    ];
    for (const [i, text] of layouts.entries()) {
      const file = path.join(dir, `lines-${i}.json`);
      fs.writeFileSync(file, text);
      const want = (JSON.parse(text) as { entries: unknown[] }).entries;
      for (const chunkBytes of [3, 1 << 20]) expect((await scan(file, chunkBytes)).items.entries, `${i}/${chunkBytes}`).toEqual(want);
    }
  });

  it("tells each element's size in bytes of the file, on a line of its own or not, whatever the chunks", async () => {
    const dir = tempDir();
    const a = { id: 'a', body: 'café ☕ 𝐛' }; // 2-, 3- and 4-byte characters
    const b = { id: 'b', nested: { list: [1, 2, { deep: '}' }] } };
    const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
    const pretty = JSON.stringify(b, null, 2);
    const layouts: Array<[string, number[]]> = [
      [`{"entries":[\n${JSON.stringify(a)},\n${JSON.stringify(b)}\n]}`, [bytes(a), bytes(b)]],
      [`{"entries":[${JSON.stringify(a)},${JSON.stringify(b)}]}`, [bytes(a), bytes(b)]],
      [`{"entries":[\n${pretty},\n${JSON.stringify(a)}\n]}`, [Buffer.byteLength(pretty), bytes(a)]],
    ];
    for (const [i, [text, want]] of layouts.entries()) {
      const file = path.join(dir, `sizes-${i}.json`);
      fs.writeFileSync(file, text);
      for (const chunkBytes of [1, 5, 1 << 20]) {
        const sizes: number[] = [];
        await scanJournalFile(file, { item: (_s, _i, _v, size) => void sizes.push(size) }, { chunkBytes });
        expect(sizes, `${i}/${chunkBytes}`).toEqual(want);
      }
    }
  });

  it('names the place of a fault in characters, not bytes, after text beyond ASCII', async () => {
    const file = path.join(tempDir(), 'accents.json');
    fs.writeFileSync(file, '{"entries": ["ünïcödé 🎉", 1 2]}');
    for (const chunkBytes of [1, 5, 1 << 20]) {
      expect(await scanError(file, chunkBytes)).toBe("unexpected '2' at character 29 (expected ',' or ']' after entries[1])");
    }
    fs.writeFileSync(file, '{"é": 1} ü');
    expect(await scanError(file)).toBe('unexpected U+00FC at character 9 (expected the end of the file)');
  });

  it('refuses bytes that are not UTF-8, naming the element and the character, instead of reading them as U+FFFD', async () => {
    const dir = tempDir();
    const good = Buffer.from(`{"entries": [\n${JSON.stringify({ id: 'a', body: 'ü ok' })},\n`);
    // Each a broken UTF-8 sequence inside the second element's body: a lone continuation byte, a lead
    // byte cut short, an overlong "/", an encoded surrogate, a code point past U+10FFFF, Latin-1 "é".
    const broken = [[0x80], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe9, 0x74, 0xe9]];
    for (const [i, bytes] of broken.entries()) {
      const file = path.join(dir, `broken-${i}.json`);
      const bad = Buffer.concat([Buffer.from('{"id": "b", "body": "caf'), Buffer.from(bytes), Buffer.from('"}')]);
      // In the writer's layout (one element a line), and in the bracket-by-bracket path of a one-line file.
      for (const [layout, text] of [
        ['lines', Buffer.concat([good, bad, Buffer.from('\n]}\n')])],
        ['one line', Buffer.concat([good.subarray(0, good.length - 2), Buffer.from(', '), bad, Buffer.from(']}')])],
      ] as const) {
        fs.writeFileSync(file, text);
        // The character the broken byte is at: the text before it, as an editor counts characters.
        const at = text.subarray(0, text.indexOf(bad) + bad.indexOf(Buffer.from(bytes))).toString('utf8').length;
        for (const chunkBytes of [1, 7, 1 << 20]) {
          expect(await scanError(file, chunkBytes), `${i} ${layout} ${chunkBytes}`).toBe(
            `entries[1] is not UTF-8 text: byte 0x${bytes[0]!.toString(16).toUpperCase()} at character ${at} cannot be read (was the file saved in another encoding?)`,
          );
        }
      }
    }
    // Keys and header values are read the same way.
    fs.writeFileSync(path.join(dir, 'key.json'), Buffer.concat([Buffer.from('{"a'), Buffer.from([0xff]), Buffer.from('": 1}')]));
    expect(await scanError(path.join(dir, 'key.json'))).toMatch(/^a key is not UTF-8 text: byte 0xFF at character 3 /);
    fs.writeFileSync(path.join(dir, 'header.json'), Buffer.concat([Buffer.from('{"format": "x'), Buffer.from([0xfe]), Buffer.from('"}')]));
    expect(await scanError(path.join(dir, 'header.json'))).toMatch(/^the value of "format" is not UTF-8 text: byte 0xFE at character 13 /);
    // A file saved as UTF-16 (with its byte order mark), little- and big-endian.
    for (const [name, bom] of [['le', [0xff, 0xfe]], ['be', [0xfe, 0xff]]] as const) {
      const file = path.join(dir, `utf16-${name}.json`);
      const text = Buffer.from('{"entries": []}', 'utf16le');
      if (name === 'be') text.swap16();
      fs.writeFileSync(file, Buffer.concat([Buffer.from(bom), text]));
      for (const chunkBytes of [1, 1 << 20]) expect(await scanError(file, chunkBytes)).toMatch(/^the file is not UTF-8 text \(it starts with byte 0xF[EF], as UTF-16 text does\)/);
    }
  });

  it('finds the first byte that is not UTF-8 where Node does, on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const at = firstInvalidUtf8(bytes);
        const buf = Buffer.from(bytes);
        expect(at < 0).toBe(isUtf8(buf));
        // Everything before it is UTF-8; the sequence starting there is not.
        if (at >= 0) {
          expect(isUtf8(buf.subarray(0, at))).toBe(true);
          expect(new TextDecoder().decode(buf.subarray(at, at + 4)).startsWith('\ufffd')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses an element larger than the limit without reading the rest', async () => {
    const file = path.join(tempDir(), 'big.json');
    fs.writeFileSync(file, `{"entries": [{"body": "${'x'.repeat(5000)}"}, 1]}`);
    expect(await scanError(file, 64, 1000)).toBe('entries[0] is larger than 1000 bytes');
    expect((await scan(file, 64, 10_000)).items.entries).toHaveLength(2);
  });
});

describe('writeJournalFile', () => {
  it('replaces the target only when complete, leaving no temporary file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.json');
    fs.writeFileSync(file, 'previous');
    const written = await writeJournalFile(file, tricky);
    expect(written).toEqual({ path: file, bytes: fs.statSync(file).size });
    expect(fs.readdirSync(dir)).toEqual(['out.json']);
  });

  it.skipIf(process.platform === 'win32')('keeps the permission bits of the file it replaces; a new file gets the default ones', async () => {
    const dir = tempDir();
    const existing = path.join(dir, 'private.json');
    fs.writeFileSync(existing, 'previous');
    for (const mode of [0o600, 0o640, 0o444]) {
      fs.chmodSync(existing, mode);
      await writeJournalFile(existing, tricky);
      expect(fs.statSync(existing).mode & 0o777).toBe(mode);
      expect(JSON.parse(fs.readFileSync(existing, 'utf8'))).toEqual(tricky);
    }
    const fresh = path.join(dir, 'new.json');
    const umask = process.umask();
    await writeJournalFile(fresh, tricky);
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o666 & ~umask);
    expect(fs.readdirSync(dir).sort()).toEqual(['new.json', 'private.json']);
  });

  it('fails cleanly when the folder does not exist, writing nothing', async () => {
    const dir = tempDir();
    await expect(writeJournalFile(path.join(dir, 'missing', 'out.json'), tricky)).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
