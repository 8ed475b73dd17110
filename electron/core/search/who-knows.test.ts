import { describe, expect, it } from 'vitest';
import { parseQuery } from './query-parser.ts';
import type { PersonRecord } from './directories.ts';
import { FUZZY_WEIGHT, PROFILE_WEIGHT, scoreWhoKnows, topicMatch } from './who-knows.ts';

const person = (rowid: number, name: string, topics: string[] = [], mentions = 0): PersonRecord => ({
  rowid,
  id: `p${rowid}`,
  title: name,
  name,
  aliases: [],
  topics,
  mentions,
});

describe('who knows: profile topics', () => {
  it('scores the same words highest, then a broader topic, then a narrower one', () => {
    const words = ['social', 'networks'];
    expect(topicMatch(words, 'Social Networks')).toBe(1);
    expect(topicMatch(words, 'enterprise social networks')).toBe(0.75);
    expect(topicMatch(['enterprise', 'social', 'networks'], 'social networks')).toBe(0.5);
    expect(topicMatch(words, 'gardening')).toBe(0);
    expect(topicMatch(['kubernetes'], 'Kubernets')).toBe(1); // one typo in a long word
    expect(topicMatch(['java'], 'jave')).toBe(0); // not in a short one
  });

  it('never takes a difference in digits for a typo', () => {
    expect(topicMatch(['python3'], 'python2')).toBe(0);
    expect(topicMatch(['topic3'], 'topic0')).toBe(0);
    expect(topicMatch(['python3'], 'pyth0n3')).toBe(0); // a letter turned digit
    expect(topicMatch(['python3'], 'python')).toBe(0); // a digit dropped
    expect(topicMatch(['python3'], 'pyhton3')).toBe(1); // letters swapped, the digit kept: a typo
  });
});

describe('who knows: exact before fuzzy', () => {
  const rank = (topic: string, people: PersonRecord[]) =>
    scoreWhoKnows({ parsed: parseQuery(topic), entries: [], mentions: [], people: new Map(people.map((p) => [p.id, p])), ranked: true }).map((r) => [r.person.name, r.score]);

  it('ranks the person whose topic is the one asked for above one whose topic is a typo of it', () => {
    // Alphabetical order would put the typo first: only the score may decide.
    expect(rank('kubernetes', [person(1, 'Alice', ['Kubernets']), person(2, 'Bob', ['kubernetes'])])).toEqual([
      ['Bob', PROFILE_WEIGHT],
      ['Alice', PROFILE_WEIGHT * FUZZY_WEIGHT],
    ]);
  });

  it('ranks even the weakest exact match (a narrower topic) above the strongest fuzzy one', () => {
    expect(rank('enterprise kubernetes', [person(1, 'Alice', ['enterprise kubernets']), person(2, 'Bob', ['kubernetes'])]).map(([name]) => name)).toEqual(['Bob', 'Alice']);
  });

  it('tells C++, C# and C apart (and F#, one letter from C# as the index writes them)', () => {
    const people = [person(1, 'Alice', ['C#']), person(2, 'Bob', ['C++']), person(3, 'Cleo', ['C']), person(4, 'Dan', ['F#', 'c++ templates'])];
    expect(rank('C++', people)).toEqual([['Bob', PROFILE_WEIGHT], ['Dan', PROFILE_WEIGHT * 0.75]]);
    expect(rank('c#', people)).toEqual([['Alice', PROFILE_WEIGHT]]);
    expect(rank('C', people)).toEqual([['Cleo', PROFILE_WEIGHT]]);
    expect(rank('f#', people)).toEqual([['Dan', PROFILE_WEIGHT]]);
  });

  it('does not list a person whose topic differs from the one asked for only in a digit', () => {
    expect(rank('python3', [person(1, 'Alice', ['python2']), person(2, 'Bob', ['python3'])])).toEqual([['Bob', PROFILE_WEIGHT]]);
  });
});

describe('who knows: scoring', () => {
  const people = new Map([person(1, 'Profile Only', ['kubernetes']), person(2, 'Specialist', [], 2), person(3, 'Generalist', [], 20)].map((p) => [p.id, p]));
  const entries = [
    { rowid: 10, rank: -4 },
    { rowid: 11, rank: -4 },
    { rowid: 12, rank: -2 },
    { rowid: 13, rank: -2 },
  ];
  const mentions = [
    { entry: 10, person: 2 },
    { entry: 11, person: 2 },
    { entry: 10, person: 3 },
    { entry: 11, person: 3 },
    { entry: 12, person: 99 }, // not a live person
  ];

  it('ranks a profile match above co-occurrence, and a specialist above someone mentioned everywhere', () => {
    const r = scoreWhoKnows({ parsed: parseQuery('kubernetes'), entries, mentions, people, ranked: true });
    expect(r.map((x) => x.person.name)).toEqual(['Profile Only', 'Specialist', 'Generalist']);
    expect(r[0]!.score).toBe(PROFILE_WEIGHT);
    expect(r[1]!.score).toBeCloseTo(2); // two best-ranked entries, all of their mentions
    expect(r[2]!.score).toBeCloseTo(2 * (0.75 + 0.25 * 0.1));
    expect(r[1]!.evidence).toEqual([11, 10]);
  });

  it('weighs each entry by its relevance relative to the best match', () => {
    const r = scoreWhoKnows({ parsed: parseQuery('x'), entries, mentions: [{ entry: 12, person: 2 }], people, ranked: true });
    expect(r.find((x) => x.person.name === 'Specialist')!.score).toBeCloseTo(0.5 * (0.75 + 0.25 * 0.5));
  });
});
