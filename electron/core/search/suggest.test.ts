import { describe, expect, it } from 'vitest';
import { candidateRanges } from './suggest.ts';
import { draftTerms } from './related.ts';
import { openCore } from '../core.ts';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';

describe('did-you-mean candidate ranges', () => {
  it('reads narrow three-letter ranges first, then two, then one, then every first letter', () => {
    const tiers = candidateRanges('sumit');
    expect(tiers[0]).toEqual(['sum', 'sui', 'smi', 'umi', 'usm', 'smu']);
    expect(tiers[1]).toEqual(['su']);
    expect(tiers[2]).toEqual(['s']);
    expect(tiers[3]).toContain('os'); // a missing first letter: "(o)bservability"
    expect(tiers[3]).toContain('xu'); // a wrong first letter
  });

  it('covers every single edit of a word with one of its ranges', () => {
    const word = 'observability';
    const ranges = candidateRanges(word).flat();
    const edits = [
      'bservability', // missing first letter
      'pbservability', // wrong first letter
      'oservability', // missing second
      'obsrvability', // missing later
      'boservability', // swapped first two
      'xobservability', // extra first
      'oxbservability', // extra second
      'observabilty',
    ];
    for (const typo of edits) {
      const covering = candidateRanges(typo).flat();
      expect(covering.some((p) => word.startsWith(p)), typo).toBe(true);
    }
    expect(ranges.some((p) => word.startsWith(p))).toBe(true);
  });

  it('has no Latin last resort for other scripts', () => {
    expect(candidateRanges('привет')).toHaveLength(3);
  });
});

describe("related: a draft's candidate terms", () => {
  it('drops stopwords, short words, numbers and URLs; counts repeats', () => {
    const terms = draftTerms('The summit and the summit agenda, 2014: see https://example.com/agenda-page on it');
    expect(terms).toEqual([
      { term: 'summit', tf: 2 },
      { term: 'agenda', tf: 1 },
      { term: 'see', tf: 1 },
    ]);
  });
});

describe('suggestions after a save', () => {
  it('offers a word saved after an earlier search for its misspelling', async () => {
    const core = openCore({ dataDir: tempDir() });
    await core.dispatch('entries.create', { body: 'Lunch with the team' });
    const search = (q: string) => core.handlers['search.query']({ q, limit: 20, offset: 0, asYouType: false, quick: false });
    expect((await search('agnda')).suggestions).toEqual([]);
    await core.dispatch('entries.create', { body: 'Drafted the agenda for the summit' });
    expect((await search('agnda')).suggestions).toEqual(['agenda']);
    core.close();
  });
});
