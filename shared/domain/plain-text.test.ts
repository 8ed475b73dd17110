import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownToPlain } from './plain-text.ts';

describe('markdownToPlain', () => {
  it('drops the markup a person typed and keeps what they read', () => {
    expect(markdownToPlain('## Summit agenda, third draft\nWent through the **agenda** with @[Rogier Schouten].')).toBe(
      'Summit agenda, third draft · Went through the agenda with @Rogier Schouten.',
    );
    expect(markdownToPlain('Read *Working out loud* and _the book_ by ~~someone~~ `Bryce`')).toBe('Read Working out loud and the book by someone Bryce');
    expect(markdownToPlain('See [the post](https://example.com/a_b_c) and ![a chart](chart.png)')).toBe('See the post and a chart');
  });

  it('keeps link addresses when asked (a search snippet shows every word matched)', () => {
    expect(markdownToPlain('See [the post](https://example.com/passwd) and ![a chart](chart.png)', { keepLinkTargets: true })).toBe(
      'See the post (https://example.com/passwd) and a chart (chart.png)',
    );
  });

  it('keeps mentions as typed when asked (a front end that renders them itself)', () => {
    expect(markdownToPlain('**Lunch** with @[Rogier Schouten]', { keepMentions: true })).toBe('Lunch with @[Rogier Schouten]');
  });

  it('sets headings, list items and paragraphs apart, and joins wrapped lines with a space', () => {
    expect(markdownToPlain('# Plan\n- first step\n- [x] second step\n1. numbered\n> quoted')).toBe('Plan · first step · second step · numbered · quoted');
    expect(markdownToPlain('One paragraph\nwrapped here.\n\nAnother one')).toBe('One paragraph wrapped here. Another one');
    expect(markdownToPlain('Intro\n\nNext paragraph')).toBe('Intro · Next paragraph');
  });

  it('keeps apart the words of two marked spans that touch', () => {
    // Found by the property below: the spans were unwrapped into one word ("0A").
    expect(markdownToPlain('`0```A```')).toBe('0 A `');
    expect(markdownToPlain('`run``stop`')).toBe('run stop');
    expect(markdownToPlain('**bold****more**')).toBe('bold more');
    expect(markdownToPlain('(**bold**)')).toBe('(bold)');
  });

  it('leaves one space between words and none at either end, whatever whitespace it was given (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(' ', '  ', '\t', '\n', '\n\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '# ', '- ', '**', '`', '_', 'word', 'x'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }).map((a) => a.join('')), (text) => {
        const plain = markdownToPlain(text);
        expect(plain).toBe(plain.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps code and identifiers whole', () => {
    expect(markdownToPlain('```js\nconst snake_case_name = a*b*c;\n```\nafter')).toBe('const snake_case_name = a*b*c; after');
    expect(markdownToPlain('use my_var_name and 2*3*4')).toBe('use my_var_name and 2*3*4');
  });

  it('never drops or reorders a word (property, text without links; a numbered item loses its number, a fence its language)', () => {
    const wordsOf = (s: string) => (s.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !/^\d+$/.test(w));
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('# ', '## ', '- ', '* ', '> ', '1. ', '**', '__', '*', '_', '~~', '`', '```', '\n', '\n\n', '@[', ']', ' ', 'word', 'snake_case'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((a) => a.join('')), (text) => {
        fc.pre(!text.includes('](') && !text.includes('!['));
        // A code fence's language name (```js) is not text.
        expect(wordsOf(markdownToPlain(text))).toEqual(wordsOf(text.replace(/^\s{0,3}(```|~~~).*$/gm, '')));
      }),
      { numRuns: 1000 },
    );
  });
});
