import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.ts';

/** Plain dynamic programming, unbounded: the reference. */
function reference(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[s.length]![t.length]!;
}

describe('edit distance', () => {
  it('counts substitutions, insertions, deletions and adjacent swaps as one edit', () => {
    expect(editDistance('summit', 'summit')).toBe(0);
    expect(editDistance('sumit', 'summit')).toBe(1);
    expect(editDistance('summut', 'summit')).toBe(1);
    expect(editDistance('smumit', 'summit')).toBe(1);
    expect(editDistance('summitt', 'summit')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('😀a', '😀b')).toBe(1);
  });

  it('stops early past the bound', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('agrees with the reference within the bound (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '😀'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        const r = reference(a, b);
        expect(editDistance(a, b, max)).toBe(r <= max ? r : max + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the reference on longer words near each other, where the band edges matter (property)', () => {
    const letters = fc.constantFrom('a', 'b', 'c', 'd');
    const word = fc.string({ unit: letters, minLength: 4, maxLength: 20 });
    // A word and the same word after up to three random edits: distances around the bound.
    const edit = fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'substitute', 'swap'), letters);
    const pair = fc.tuple(word, fc.array(edit, { maxLength: 3 })).map(([w, edits]) => {
      let v = w;
      for (const [at, kind, c] of edits) {
        const k = at % Math.max(1, v.length);
        if (kind === 'delete') v = v.slice(0, k) + v.slice(k + 1);
        else if (kind === 'insert') v = v.slice(0, k) + c + v.slice(k);
        else if (kind === 'substitute') v = v.slice(0, k) + c + v.slice(k + 1);
        else if (k + 1 < v.length) v = v.slice(0, k) + v[k + 1] + v[k] + v.slice(k + 2);
      }
      return [w, v] as const;
    });
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 3 }), ([a, b], max) => {
        const r = reference(a, b);
        expect(editDistance(a, b, max)).toBe(r <= max ? r : max + 1);
      }),
      { numRuns: 2_000 },
    );
  });
});
