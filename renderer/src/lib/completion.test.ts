import { describe, expect, it } from 'vitest';
import { findTrigger } from './completion.ts';

describe('findTrigger', () => {
  it('finds the tag or person being typed at the caret', () => {
    expect(findTrigger('notes on #sum', 13)).toEqual({ kind: 'tag', start: 9, end: 13, query: 'sum' });
    expect(findTrigger('call @rog', 9)).toEqual({ kind: 'person', start: 5, end: 9, query: 'rog' });
    expect(findTrigger('call @[Anna B', 13)).toEqual({ kind: 'person', start: 5, end: 13, query: 'Anna B' });
    expect(findTrigger('#', 1)).toEqual({ kind: 'tag', start: 0, end: 1, query: '' });
  });

  it('stays quiet inside words, e-mail addresses and finished fragments', () => {
    expect(findTrigger('mail me@example', 15)).toBeNull();
    expect(findTrigger('issue#12', 8)).toBeNull();
    expect(findTrigger('#summit done', 12)).toBeNull();
    expect(findTrigger('#summit', 3)).toBeNull(); // caret in the middle of the word
  });
});
