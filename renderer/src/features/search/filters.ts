/** Filter chips of the search overlay: labels, and taking one back out of the query text. Pure. */

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The words the core accepts for each kind (`kind:people` is `kind:person`).
const KIND_WORDS: Record<string, string> = {
  note: 'notes?',
  bookmark: 'bookmarks?',
  person: 'person|persons|people',
  question: 'questions?',
};

/** Takes one understood filter (a chip) out of the query text, whatever form it was typed in. */
export function removeFilter(query: string, chip: { key: string; value: string; negated: boolean }): string {
  const v = escapeRe(chip.value);
  const neg = chip.negated ? '-' : '';
  const kinds = KIND_WORDS[chip.value] ?? v;
  const forms =
    chip.key === 'kind'
      ? [`kind:(?:${kinds})`]
      : [`${escapeRe(chip.key)}:"?(?:www\\.)?${v}"?`, `tag:#?${v}`, `#${v}`, `@\\[${v}\\]`, `@${v}`];
  for (const form of forms) {
    const re = new RegExp(`(^|\\s)${neg}${form}(?=\\s|$)`, 'iu');
    if (re.test(query)) return query.replace(re, '$1').replace(/\s{2,}/g, ' ').trim();
  }
  return query;
}

export function chipLabel(chip: { key: string; value: string; negated: boolean }): string {
  const body = chip.key === 'tag' ? `#${chip.value}` : chip.key === 'person' || chip.key === 'mention' ? `@${chip.value}` : `${chip.key}: ${chip.value}`;
  return chip.negated ? `not ${body}` : body;
}
