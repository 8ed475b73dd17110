import fc from 'fast-check';
import { LinkifyIt } from 'linkify-it';
import { describe, expect, it } from 'vitest';
import { markdownToPlain } from './plain-text.ts';
import { isWritableTag, normalizeTag, parseText, personKey, shortened, titleFromText, webAddresses } from './text.ts';

describe('parseText', () => {
  it('finds tags, mentions and URLs in a work note', () => {
    expect(parseText('Drafted the agenda for the summit; @Rogier will speak on working out loud #summit2014')).toEqual({
      tags: ['summit2014'],
      mentions: ['Rogier'],
      urls: [],
    });
  });

  it('reads @[Full Name] mentions and nested tags', () => {
    expect(parseText('Met @[Jane van Dijk] about #projects/outloud and #WOL.').tags).toEqual(['projects/outloud', 'wol']);
    expect(parseText('Met @[Jane van Dijk] today').mentions).toEqual(['Jane van Dijk']);
  });

  it('does not read e-mail addresses, URL fragments, headings, entities or code as tags or mentions', () => {
    const parsed = parseText('# Heading\nmail ann@example.com, see https://example.com/page#section and &#106; `#notag @nobody`\n#1 issue');
    expect(parsed.tags).toEqual([]);
    expect(parsed.mentions).toEqual([]);
    expect(parsed.urls).toEqual(['https://example.com/page#section']);
  });

  it('keeps one of each, case-insensitively, in order of appearance', () => {
    const parsed = parseText('#B #a #b @Ann @ann @Bob');
    expect(parsed.tags).toEqual(['b', 'a']);
    expect(parsed.mentions).toEqual(['Ann', 'Bob']);
  });

  it('ignores URLs other than http(s)', () => {
    expect(parseText('javascript:alert(1) file:///etc/passwd ftp://x.y').urls).toEqual([]);
  });

  it('never throws and returns bounded, trimmed values for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const parsed = parseText(text);
        for (const tag of parsed.tags) {
          expect(tag.length).toBeGreaterThan(0);
          expect(tag.length).toBeLessThanOrEqual(64);
          expect(tag).toBe(tag.toLowerCase());
        }
        for (const m of parsed.mentions) expect(m.length).toBeLessThanOrEqual(100);
        expect(new Set(parsed.tags).size).toBe(parsed.tags.length);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the http(s) addresses linkify-it finds in the whole text, for any text (property)', () => {
    const linkify = new LinkifyIt({ fuzzyLink: false, fuzzyEmail: false });
    const unit = fc.constantFrom('http', 'HTTPS', 'https', ':', '//', 'ftp:', 'mailto:', 'example.com', 'a.b', '/x', '#f', ' ', '\n', '(', ')', 'é', '@');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const expected = (linkify.match(text) ?? []).filter((m) => /^https?:/i.test(m.url)).map((m) => ({ from: m.index, to: m.lastIndex, url: m.url }));
        expect(webAddresses(text)).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
    expect(webAddresses('see HTTPS://Example.com/a and http://b.org.').map((a) => a.url)).toEqual(['HTTPS://Example.com/a', 'http://b.org']);
  });

  it('makes a title of the first line with text in it, as markdownToPlain reads that line (property)', () => {
    expect(titleFromText(' \n\t\n  **Plan** the   offsite \nsecond line')).toBe('Plan the offsite');
    expect(titleFromText('\n \n')).toBe('');
    const unit = fc.constantFrom('a', 'word', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '**', '_', '`', '# ', '- ', '[x](y)', '\u0007', '😀');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
        const expected = shortened(markdownToPlain(line.replace(/[\u0000-\u001f\u007f]+/g, ' ')).replace(/\s+/g, ' ').trim(), 120);
        expect(titleFromText(text)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('cuts tags, mentions and titles at their limits without splitting a character in two', () => {
    expect(parseText(`#${'a'.repeat(63)}😀`).tags).toEqual(['a'.repeat(63)]);
    expect(normalizeTag(`${'b'.repeat(63)}😀x`)).toBe('b'.repeat(63));
    expect(parseText(`@[${'c'.repeat(99)}😀]`).mentions).toEqual(['c'.repeat(99)]);
    expect(titleFromText(`${'d'.repeat(118)}😀 and more`)).toBe(`${'d'.repeat(118)}…`);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '😀', '#', '@', ' ', '[', ']', '\n'), maxLength: 400 }), (text) => {
        const parsed = parseText(text);
        for (const value of [...parsed.tags, ...parsed.mentions, titleFromText(text)]) expect(value.isWellFormed(), JSON.stringify(value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('normalises a stored tag to itself, so an export brings every tag back as it was (property)', () => {
    expect(normalizeTag('a -')).toBe('a');
    expect(normalizeTag('# wol')).toBe('wol');
    expect(normalizeTag(`${'x'.repeat(63)} y`)).toBe('x'.repeat(63));
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('a', 'É', '#', '-', '/', ' ', '\t', '\u0301', 'İ', 'ß', '😀'), fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 80 }), (raw) => {
        const tag = normalizeTag(raw);
        expect(normalizeTag(tag), JSON.stringify(raw)).toBe(tag);
        expect(tag, JSON.stringify(raw)).not.toMatch(/^[\s#]|[\s\-/]$/u);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads a tag the same whichever way its accents were typed, and keeps combining marks', () => {
    const composed = 'café';
    const decomposed = 'cafe\u0301';
    expect(parseText(`#${composed} #${decomposed}`).tags).toEqual([composed]);
    expect(normalizeTag(`#${decomposed.toUpperCase()}`)).toBe(composed);
    expect(parseText('#हिंदी notes').tags).toEqual(['हिंदी']);
  });

  it('finds every tag that is written into otherwise plain text', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), fc.array(word, { maxLength: 5 }), (tags, words) => {
        const text = [...words, ...tags.map((t) => `#${t}`)].join(' ');
        expect(parseText(text).tags).toEqual([...new Set(tags)]);
      }),
    );
  });
});

describe('personKey', () => {
  it('ignores case, accents and separators', () => {
    expect(personKey('José  Ramírez')).toBe('jose ramirez');
    expect(personKey('jose_ramirez')).toBe('jose ramirez');
  });
});

describe('isWritableTag', () => {
  it('is true exactly for the stored tags that #tag in a note reads back as themselves (property)', () => {
    const chars = ['a', 'z', 'é', '1', '_', '-', '/', ' ', '+', '.', 'ß', '中', '\u0301', '#'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 12 }), (raw) => {
        const tag = normalizeTag(raw);
        if (!tag) return;
        const readBack = parseText(`note #${tag} end`).tags;
        expect(isWritableTag(tag), JSON.stringify(tag)).toBe(readBack.length === 1 && readBack[0] === tag);
      }),
      { numRuns: 2_000 },
    );
    expect(isWritableTag('working out loud')).toBe(false);
    expect(isWritableTag('project/outloud')).toBe(true);
  });
});
