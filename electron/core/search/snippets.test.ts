import { describe, expect, it } from 'vitest';
import { leadText, pickMarkers, toSegments } from './snippets.ts';

describe('snippet segments', () => {
  const m = { open: '\ue000', close: '\ue001' };

  it('splits marked text into plain and matched segments', () => {
    expect(toSegments('…the \ue000summit\ue001 agenda \ue000summit\ue001', m)).toEqual([
      { text: '…the ', match: false },
      { text: 'summit', match: true },
      { text: ' agenda ', match: false },
      { text: 'summit', match: true },
    ]);
  });

  it('merges adjacent matches and drops empty segments', () => {
    expect(toSegments('\ue000out\ue001\ue000 \ue001\ue000loud\ue001', m)).toEqual([{ text: 'out loud', match: true }]);
    expect(toSegments('', m)).toEqual([]);
  });

  it('keeps HTML as text: segments are data', () => {
    expect(toSegments('<img onerror=x> \ue000<b>\ue001', m)).toEqual([
      { text: '<img onerror=x> ', match: false },
      { text: '<b>', match: true },
    ]);
  });

  it('picks markers that do not occur in the row, so user text containing them is not mis-marked', () => {
    const body = 'a note that quotes \ue000 and \ue001 and \ue002';
    const picked = pickMarkers('title', body);
    expect(body.includes(picked.open) || body.includes(picked.close)).toBe(false);
    expect(picked.open).not.toBe(picked.close);
    const marked = `quotes \ue000 and ${picked.open}x${picked.close}`;
    expect(toSegments(marked, picked)).toEqual([
      { text: 'quotes \ue000 and ', match: false },
      { text: 'x', match: true },
    ]);
  });

  it('cuts a lead text at a word boundary', () => {
    expect(leadText('short\n\ntext')).toBe('short text');
    const long = leadText('word '.repeat(100), 40);
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(41);
  });
});
