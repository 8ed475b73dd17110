/**
 * The search overlay's filter chips, across the two layers that make and use them: the core's parser
 * reports where each filter was typed (`spans`), and the renderer's `removeFilter` cuts it out. Taking
 * a chip out of any query must take that filter out, leave every other filter, and leave no operator
 * behind as a word to search for ("OR" alone is searched as a word).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../electron/core/search/query-parser.ts';
import { removeFilter } from '../../renderer/src/features/search/filters.ts';
import type { SearchFilterChip } from '../../shared/domain/search.ts';

const idOf = (c: SearchFilterChip) => `${c.negated ? '-' : ''}${c.key}:${c.value.toLowerCase()}`;
/** Operators read as words to search for: `OR`, `AND` or `NOT` without what they need. */
const literalOperators = (q: string) =>
  parseQuery(q).clauses.flatMap((c) => c.atoms).filter((a) => a.type === 'text' && /^(OR|AND|NOT)$/.test(a.text)).length;

const PIECES = ['OR', 'AND', 'NOT', 'x', 'y', '#b', '-#b', 'tag:B', '#"a b"', 'tag:"A b"', '-tag:"a b"', 'kind:note', 'site:https://www.ex.org/p', '@rog.', '@[Ann B]', '#c,', 'NOT #c', 'not', '"p q"', '-x'];

describe('filter chips: made by the core, taken out by the search overlay', () => {
  it('taking a chip out removes that filter, keeps the others, and leaves no operator to be searched as a word', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 10 }), fc.constantFrom(' ', '  '), (pieces, sep) => {
        const q = pieces.join(sep);
        const chips = parseQuery(q).chips;
        for (const chip of chips) {
          const out = removeFilter(q, chip);
          const left = parseQuery(out).chips.map(idOf);
          const what = `${JSON.stringify(q)} without ${idOf(chip)}: ${JSON.stringify(out)}`;
          expect(left, what).not.toContain(idOf(chip));
          for (const other of chips) if (idOf(other) !== idOf(chip)) expect(left, what).toContain(idOf(other));
          expect(literalOperators(out), what).toBeLessThanOrEqual(literalOperators(q));
          // The search box sends the query trimmed: the same chip, from a box with spaces around it.
          expect(removeFilter(`  ${q} `, chip), what).toBe(out);
        }
      }),
      { numRuns: 1_500 },
    );
  });
});
