import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnippetSegment } from '../../../shared/domain/search.ts';
import { createHighlighter, leadText, queryPhrases, SNIPPET_WORDS } from './highlight.ts';
import { parseQuery } from './query-parser.ts';

const marked = (segments: SnippetSegment[]) => segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join('');
const forQuery = (q: string) => createHighlighter(queryPhrases(parseQuery(q)));

describe('highlight: marks what the query matched', () => {
  it('marks words case- and accent-insensitively, as the index folds them', () => {
    expect(marked(forQuery('jose summit').mark('Met José at the SUMMIT, then José again'))).toBe('Met [José] at the [SUMMIT], then [José] again');
  });

  it('marks a phrase only where its words follow each other', () => {
    expect(marked(forQuery('"out loud"').mark('out of the loop, working out loud, loud out'))).toBe('out of the loop, working [out loud], loud out');
  });

  it('marks every word a prefix starts, and the last word of a phrase as a prefix', () => {
    expect(marked(forQuery('summ*').mark('summit and summary, not sum'))).toBe('[summit] and [summary], not sum');
    expect(marked(forQuery('"working out"*').mark('working outside, working out loud'))).toBe('[working outside], [working out] loud');
  });

  it('never marks excluded words, and marks both sides of an OR', () => {
    expect(marked(forQuery('summit -agenda').mark('summit agenda'))).toBe('[summit] agenda');
    expect(marked(forQuery('lunch OR dinner').mark('lunch then dinner'))).toBe('[lunch] then [dinner]');
  });

  it('marks nothing for filters', () => {
    expect(forQuery('kind:note #summit @anne').mark('summit with anne')).toEqual([{ text: 'summit with anne', match: false }]);
  });

  it('keeps HTML and any other characters as plain text: segments are data', () => {
    expect(forQuery('target').mark('<img src=x onerror=alert(1)> \ue000 target')).toEqual([
      { text: '<img src=x onerror=alert(1)> \ue000 ', match: false },
      { text: 'target', match: true },
    ]);
  });
});

describe('highlight: snippets', () => {
  const words = (n: number, w = 'filler') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');

  it('returns a short text whole, whitespace folded', () => {
    expect(marked(forQuery('needle').snippet('a\n\nneedle   here'))).toBe('a [needle] here');
  });

  it('cuts a long text around the match, with ellipses where text was left out', () => {
    const text = `${words(100)} the needle is here ${words(100)}`;
    const snippet = marked(forQuery('needle').snippet(text));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('[needle]');
    expect(snippet.replace(/…/g, '').trim().split(/\s+/)).toHaveLength(SNIPPET_WORDS);
  });

  it('prefers the window where the most different words of the query meet', () => {
    const text = `alpha ${words(40)} alpha beta gamma ${words(40)} alpha`;
    expect(marked(forQuery('alpha beta gamma').snippet(text))).toContain('[alpha] [beta] [gamma]');
  });

  it('starts at the beginning when nothing in the text matched (the match was elsewhere)', () => {
    const snippet = marked(forQuery('elsewhere').snippet(words(40)));
    expect(snippet.startsWith('filler0 filler1')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('answers any text and any query without throwing, and never invents text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 400 }), (q, text) => {
        const h = forQuery(q);
        const all = h.mark(text).map((s) => s.text).join('');
        expect(all).toBe(text);
        const snippet = h.snippet(text).map((s) => s.text).join('').replace(/…/g, ' ');
        for (const word of snippet.split(/\s+/).filter(Boolean)) expect(text.replace(/\s+/g, ' ')).toContain(word);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a lead text at a word boundary', () => {
    expect(leadText('short\n\ntext')).toBe('short text');
    const long = leadText('word '.repeat(100), 40);
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(41);
  });
});
