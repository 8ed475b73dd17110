/**
 * The contract's method names, free of schemas, for code that must stay small (the sandboxed
 * preload). `contract.ts` checks that its table has exactly these keys.
 */
export const METHOD_NAMES = [
  'entries.create',
  'entries.get',
  'entries.update',
  'entries.list',
  'entries.delete',
  'entries.restore',
  'entries.purge',
  'entries.emptyTrash',
  'entries.history',
  'entries.restoreRevision',
  'entries.facets',
  'search.query',
  'search.related',
  'people.find',
  'people.whoKnows',
  'tags.find',
  'titles.find',
  'journal.stats',
  'journal.export',
  'journal.import',
  'journal.doctor',
  'journal.backup',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as readonly string[]).includes(name);
}
