/** Filter chips of the search overlay: labels, and taking one back out of the query text. Pure. */
import { readDateWords } from '../../../../shared/domain/dates.ts';
import type { SearchFilterChip } from '../../../../shared/domain/search.ts';

type Range = { start: number; end: number };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The words the core accepts for each kind (`kind:people` is `kind:person`).
const KIND_WORDS: Record<string, string> = {
  note: 'notes?',
  bookmark: 'bookmarks?',
  person: 'person|persons|people',
  question: 'questions?',
};

/**
 * Takes one understood filter (a chip) out of the query text, every time it was typed, with the `-` or
 * `NOT` that negated it and an `OR` / `AND` that joined it to the rest.
 */
export function removeFilter(query: string, chip: SearchFilterChip): string {
  return cut(query, typedSpans(query, chip.spans) ?? typedForms(query, chip));
}

/**
 * The chip's spans, where the query still has their text: the core reports where it read each filter,
 * whatever form it was typed in. The search is asked with the query trimmed, so its offsets may be
 * shifted by the spaces the box has in front. Null when the query is no longer the one searched.
 */
function typedSpans(query: string, spans: SearchFilterChip['spans']): Range[] | null {
  if (!spans?.length) return null;
  const lead = query.length - query.trimStart().length;
  // Still a whole filter: `#kitchen` typed on to `#kitchenware` is another one.
  const whole = (start: number, end: number, text: string) =>
    query.slice(start, end) === text && end > start && !/[^\s"]/u.test(query[start - 1] ?? ' ') && (/["\]]$/u.test(text) || /\s/u.test(query[end] ?? ' '));
  for (const shift of lead > 0 ? [lead, 0] : [0]) {
    if (spans.every((s) => whole(s.start + shift, s.end + shift, s.text))) {
      return spans.map((s) => ({ start: s.start + shift, end: s.end + shift }));
    }
  }
  return null;
}

/**
 * For a query the chip did not come from (edited since): where the filter's usual forms are found in
 * it. A value with spaces is only found quoted or bracketed (`#working out loud` is the tag `working`
 * and two words).
 */
function typedForms(query: string, chip: SearchFilterChip): Range[] {
  const v = escapeRe(chip.value);
  const spaced = /\s/u.test(chip.value);
  const forms =
    chip.key === 'kind'
      ? [`kind:(?:${KIND_WORDS[chip.value] ?? v})`]
      : chip.key === 'site'
        ? [`site:"?(?:https?://)?(?:www\\.)?${v}(?:[/:?#]\\S*)?"?`]
        : spaced
          ? [`${escapeRe(chip.key)}:"${v}"`, `#"${v}"`, `@\\[${v}\\]`]
          : [`${escapeRe(chip.key)}:"?${v}"?`, `tag:#?${v}`, `#"?${v}"?`, `@\\[${v}\\]`, `@${v}`];
  // At the start of a word, negated or not, with the trailing punctuation the parser reads past (`#kitchen,`).
  const re = new RegExp(`(?<!\\S)(-|NOT\\s+)?(?:${forms.join('|')})[.,;:!?)\\]}'"/\\-]*(?=\\s|$)`, 'giu');
  const ranges: Range[] = [];
  for (const m of query.matchAll(re)) {
    const sign = m[1] ?? '';
    // Only `NOT` in capitals is the operator: `not #x` is the word "not", then #x.
    const negated = sign === '-' || sign.startsWith('NOT');
    if (negated === chip.negated) ranges.push({ start: negated ? m.index : m.index + sign.length, end: m.index + m[0].length });
  }
  return ranges;
}

const isJoin = (word: string | undefined) => word === 'OR' || word === 'AND';
/** A word as the parser reads it: a phrase, a quoted tag or `@[Full Name]` is one, spaces and all. */
const WORD_RE = /-?(?:#|tag:)?"[^"]*"|-?@\[[^\]\n]*\]|\S+/giu;
const hasWord = (text: string) => /[\p{L}\p{N}]/u.test(text);

/**
 * Cuts `ranges` out of the query, and the operators the cut left without an operand (a lone operator
 * is searched as the word "or"): an `OR` or `AND` beside a cut is dropped with it (`x #b OR y` is
 * `x y` without #b), except that of two, one stays to join what was on either side (`x OR #b OR y`
 * is `x OR y`; `x AND #b OR y`, `x AND y`), unless nothing is left on one side; a `NOT` just before
 * a cut goes too. Operators away from the cut stay as typed.
 */
function cut(query: string, ranges: Range[]): string {
  if (ranges.length === 0) return query;
  const cuts: Range[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) if (r.start >= (cuts.at(-1)?.end ?? 0)) cuts.push(r);
  // The words left, in order, with null where something was cut.
  const words: Array<(Range & { word: string }) | null> = [];
  const wordsIn = (from: number, to: number) => {
    for (const m of query.slice(from, to).matchAll(WORD_RE)) words.push({ start: from + m.index, end: from + m.index + m[0].length, word: m[0] });
  };
  let at = 0;
  for (const r of cuts) {
    wordsIn(at, r.start);
    words.push(null);
    at = r.end;
  }
  wordsIn(at, query.length);

  /** Operators kept to join the words on either side of a cut. */
  const joining = new Set<number>();
  /** Something an operator can take: a word, not another operator. */
  const operandAt = (i: number) => words[i] != null && !isJoin(words[i]!.word) && words[i]!.word !== 'NOT';
  /** An operand, or a NOT and its operand, from `i` on. */
  const operandFrom = (i: number) => {
    if (words[i]?.word !== 'NOT') return operandAt(i);
    let j = i + 1;
    while (words[j] === null) j++;
    return operandAt(j);
  };
  /** Which word beside the run of cuts between `l` and `r` (indices of the words around it) to drop, if any. */
  const toDrop = (l: number, r: number): number | null => {
    const left = words[l]?.word;
    const right = words[r]?.word;
    if (isJoin(left) && isJoin(right) && !joining.has(l) && !joining.has(r)) {
      // `x AND #b OR y` was x AND (#b OR y): x AND y.
      const drop = left === 'OR' && right === 'AND' ? l : r;
      joining.add(drop === l ? r : l);
      return drop;
    }
    if (isJoin(left) && (!joining.has(l) || !operandFrom(r))) return l;
    if (isJoin(right) && (!joining.has(r) || !operandAt(l))) return r;
    // A NOT before what was cut was a word ("not"): NOT only negates what has no `-` or NOT of its own.
    // Kept, it would negate what follows now.
    if (left === 'NOT') return l;
    return null;
  };
  const dropped: Range[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k < words.length && !changed; k++) {
      if (words[k] !== null || words[k - 1] === null) continue;
      // Punctuation alone is no word to the parser (`x OR , #b` is `x OR #b`): look past it.
      let l = k - 1;
      while (l >= 0 && (words[l] === null || !hasWord(words[l]!.word))) l--;
      let r = k;
      while (r < words.length && (words[r] === null || !hasWord(words[r]!.word))) r++;
      const drop = toDrop(l, r);
      if (drop !== null) {
        dropped.push(words[drop]!);
        words[drop] = null;
        changed = true;
      }
    }
  }

  // The spaces around each cut become one; elsewhere they stay as typed (`tag:"a  b"` is not `tag:"a b"`).
  let out = query;
  for (const r of [...cuts, ...dropped].sort((a, b) => b.start - a.start)) {
    let start = r.start;
    let end = r.end;
    while (start > 0 && /\s/u.test(out[start - 1]!)) start--;
    while (end < out.length && /\s/u.test(out[end]!)) end++;
    out = `${out.slice(0, start)} ${out.slice(end)}`;
  }
  return out.trim();
}

export function chipLabel(chip: { key: string; value: string; negated: boolean }): string {
  const value = chip.key === 'after' || chip.key === 'before' ? dateLabel(chip.value) : chip.value;
  const body = chip.key === 'tag' ? `#${value}` : chip.key === 'person' || chip.key === 'mention' ? `@${value}` : `${chip.key}: ${value}`;
  return chip.negated ? `not ${body}` : body;
}

const AGO_UNITS = { d: 'day', w: 'week', m: 'month', y: 'year' } as const;

/** A date as typed, in words where it counts back from today: `2w` is "2 weeks ago". */
function dateLabel(text: string): string {
  const date = readDateWords(text);
  if (date?.type !== 'ago') return text;
  if (date.unit === 'd' && date.count <= 1) return date.count === 0 ? 'today' : 'yesterday';
  return `${date.count} ${AGO_UNITS[date.unit]}${date.count === 1 ? '' : 's'} ago`;
}
