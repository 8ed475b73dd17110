import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseText, personKey } from '../../../shared/domain/text.ts';
import { hasDerivedTitle, mentionSyntax, previewText, shortenUrls, shortUrl, titleFromText, tokenize } from './text.ts';

const joined = (text: string) =>
  tokenize(text)
    .map((t) => t.text)
    .join('');

describe('tokenize', () => {
  it('picks out tags and mentions, keeping every character of the text', () => {
    const text = 'Drafted the agenda; @Rogier will speak with @[Anna Berg] on #summit2014, see #wol/circles.';
    const tokens = tokenize(text);
    expect(joined(text)).toBe(text);
    expect(tokens.filter((t) => t.type === 'tag').map((t) => (t.type === 'tag' ? t.tag : ''))).toEqual(['summit2014', 'wol/circles']);
    expect(tokens.filter((t) => t.type === 'mention').map((t) => (t.type === 'mention' ? t.name : ''))).toEqual(['Rogier', 'Anna Berg']);
  });

  it('leaves e-mail addresses, numbers and HTML entities alone', () => {
    expect(tokenize('mail me@example.org about #1 and &#106;').every((t) => t.type === 'text')).toBe(true);
  });

  // The renderer highlights what the core stores: both must read the same tags and mentions out of
  // plain text (the core also skips URLs and code, which this generator leaves out).
  it('agrees with the core’s parseText on tags and mentions', () => {
    const alphabet = fc.constantFrom(...'ab Zé1_-./#@[] \n,;!'.split(''), '\u0301', 'İ');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 40 }), (text) => {
        const parsed = parseText(text);
        const tokens = tokenize(text);
        expect(joined(text)).toBe(text);
        const tags = [...new Set(tokens.flatMap((t) => (t.type === 'tag' ? [t.tag] : [])))];
        expect(tags).toEqual(parsed.tags);
        const keys = [...new Set(tokens.flatMap((t) => (t.type === 'mention' ? [personKey(t.name)] : [])).filter(Boolean))];
        expect(keys).toEqual(parsed.mentions.map(personKey));
      }),
      { numRuns: 500 },
    );
  });
});

describe('previewText', () => {
  it('drops Markdown markup and shortens long text', () => {
    expect(previewText('## Recap\n\nSee [the doc](https://x.example) and **this** `code`')).toBe('Recap · See the doc and this code');
    expect(previewText('word '.repeat(100), 20)).toHaveLength(20);
  });

  it('cuts long text at the end of a word, so no half tag or half word is left', () => {
    const topics = Array.from({ length: 40 }, (_, i) => `#topic${i}`).join(' ');
    for (let max = 100; max < 140; max++) {
      const preview = previewText(`Sprint topics ${topics}`, max);
      expect(preview.length).toBeLessThanOrEqual(max);
      expect(preview.endsWith('…')).toBe(true);
      const last = preview.slice(0, -1).split(' ').at(-1)!;
      expect(topics.split(' '), String(max)).toContain(last);
    }
  });

  it('shortens addresses before cutting, so an address never ends in two ellipses', () => {
    const url = `https://example.com/${'averyveryverylongpath'.repeat(20)}`;
    expect(previewText(`See ${url} for the plan`, 280, { shortenUrls: true })).toBe('See example.com/averyveryverylongpa… for the plan');
    for (let words = 40; words < 60; words++) {
      const preview = previewText(`${'word '.repeat(words)}${url}`, 280, { shortenUrls: true });
      expect(preview, String(words)).not.toMatch(/……|…\S/);
    }
  });
});

describe('titles', () => {
  it('recognises a title the core made from the text', () => {
    expect(titleFromText('## Lunch recap\nmore')).toBe('Lunch recap');
    expect(hasDerivedTitle({ title: 'Lunch recap', body: '## Lunch recap\nmore' })).toBe(true);
    expect(hasDerivedTitle({ title: 'My own title', body: 'text' })).toBe(false);
  });
});

describe('mentionSyntax', () => {
  it('writes a mention the core reads back as the same person', () => {
    for (const name of ['Rogier', 'Anna Berg', 'José-María', 'o.neil', 'Dr. No']) {
      expect(parseText(`hi ${mentionSyntax(name)} there`).mentions.map(personKey)).toEqual([personKey(name)]);
    }
  });
});

describe('shortenUrls', () => {
  it('shows an address as its site and the start of its path, keeping the text around it', () => {
    expect(shortenUrls('Read https://hbr.org/2014/11/serendipity-at-work again.')).toBe('Read hbr.org/2014/11/serendipity… again.');
    expect(shortenUrls('See https://www.example.org/ and http://example.org/a?b=1, then stop')).toBe('See example.org and example.org/a?b=1, then stop');
  });

  it('leaves text without web addresses as it is', () => {
    expect(shortenUrls('mail me@example.org about #wol, or ftp://example.org/file')).toBe('mail me@example.org about #wol, or ftp://example.org/file');
  });

  it('keeps a short path whole and cuts a long one with an ellipsis', () => {
    expect(shortUrl('https://example.org/wol')).toBe('example.org/wol');
    expect(shortUrl('https://example.org/a/very/long/path/to/somewhere')).toBe('example.org/a/very/long/path/to…');
  });
});
