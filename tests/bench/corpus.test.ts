import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract.ts';
import { parseText } from '../../shared/domain/text.ts';
import { Corpus, extractMarkdown, loadTextPool, mulberry32, PEOPLE, stripInline, TAG_VOCABULARY } from './corpus.ts';
import { oneTypo, prefixQuery, TYPO_KINDS } from './fuzzy.bench.ts';
import { REPO_ROOT } from './paths.ts';
import { buildQueries } from './queries.ts';

const pool = loadTextPool(path.join(REPO_ROOT, 'node_modules'));

describe('README text pool', () => {
  it('keeps prose paragraphs and headings and drops code, tables, badges and HTML', () => {
    const md = [
      '# My Package',
      '',
      '[![build](https://img.shields.io/badge.svg)](https://ci.example.com/build)',
      '',
      'This package parses **configuration files** and reports every problem it finds, with the line and',
      'column, so that you can fix them quickly. See [the guide](https://example.com/guide) for details.',
      '',
      '```js',
      'const x = require("my-package"); // this is code, not prose, and must not be kept as a paragraph',
      '```',
      '',
      '| option | description of the option that is long enough to look like prose otherwise |',
      '| ------ | ---------------------------------------------------------------------------- |',
      '',
      '<div align="center"><img src="logo.png"></div>',
      '',
      '## Installation',
    ].join('\n');
    const x = extractMarkdown(md);
    expect(x.headings).toEqual(['My Package', 'Installation']);
    expect(x.paragraphs).toEqual([
      'This package parses configuration files and reports every problem it finds, with the line and column, so that you can fix them quickly. See the guide for details.',
    ]);
    expect(x.urls).toContain('https://example.com/guide');
    expect(x.urls).not.toContain('https://img.shields.io/badge.svg');
  });

  it('removes stray @ and # so that mentions and tags come only from the fixed lists', () => {
    expect(stripInline('Install @babel/core and see issue #123 or `@types/node`.')).toBe('Install babel/core and see issue 123 or types/node.');
  });

  it('reads enough real text from node_modules', () => {
    expect(pool.files).toBeGreaterThan(100);
    expect(pool.paragraphs.length).toBeGreaterThan(1000);
    expect(pool.headings.length).toBeGreaterThan(500);
    expect(new Set(pool.paragraphs).size).toBe(pool.paragraphs.length);
  });
});

describe('corpus', () => {
  it('is deterministic: the same seed gives the same entries, in any order of generation', () => {
    const a = new Corpus(pool, { n: 5_000, seed: 3 });
    const b = new Corpus(pool, { n: 5_000, seed: 3 });
    // Entry i depends on (seed, i) only: generating from the last to the first gives the same entries.
    const backwards = Array.from({ length: 5_000 }, (_, k) => b.entry(4_999 - k)).reverse();
    expect([...a.entries()]).toEqual(backwards);
    expect(new Corpus(pool, { n: 5_000, seed: 4 }).entry(100)).not.toEqual(a.entry(100));
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('produces valid entries.create input with tags, mentions, bookmarks and questions', () => {
    const corpus = new Corpus(pool, { n: 3_000 });
    const entries = [...corpus.entries()];
    for (const e of entries) expect(contract['entries.create'].input.safeParse(e).success).toBe(true);
    const kinds = new Map<string, number>();
    for (const e of entries) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    expect(kinds.get('person')).toBe(PEOPLE.length);
    expect(kinds.get('bookmark')).toBeGreaterThan(150);
    expect(kinds.get('question')).toBeGreaterThan(100);
    const parsed = entries.filter((e) => e.kind === 'note').map((e) => parseText(e.body));
    const tags = new Set(parsed.flatMap((p) => p.tags));
    const mentions = parsed.flatMap((p) => p.mentions);
    expect([...tags].every((t) => (TAG_VOCABULARY as readonly string[]).includes(t))).toBe(true);
    expect(mentions.length).toBeGreaterThan(200);
    const names = new Set(PEOPLE.flatMap((p) => [p.name.toLowerCase(), p.handle]));
    expect(mentions.every((m) => names.has(m.toLowerCase()))).toBe(true);
    // Entry times move forward with the index, across the corpus's six years.
    expect(entries.at(-1)!.createdAt).toBeGreaterThan(entries[0]!.createdAt);
  });
});

describe('query set', () => {
  it('has at least 200 distinct queries of every kind, each with a bare FTS5 form', () => {
    const queries = buildQueries(pool);
    expect(queries.length).toBeGreaterThanOrEqual(200);
    expect(new Set(queries.map((q) => q.q)).size).toBe(queries.length);
    const categories = new Set(queries.map((q) => q.category));
    for (const c of ['term', 'prefix', 'phrase', 'kind', 'tag', 'date', 'site', 'person', 'is']) expect(categories).toContain(c);
    for (const q of queries) expect(q.bare).toMatch(/^"/);
    expect(buildQueries(pool)).toEqual(queries);
  });
});

describe('typo variants', () => {
  it('makes one edit of each kind in a word of four or more letters', () => {
    const rng = mulberry32(5);
    for (const kind of TYPO_KINDS) {
      const typo = oneTypo('Running tests', kind, rng)!;
      expect(typo.toLowerCase()).not.toBe('running tests');
      const delta = typo.length - 'Running tests'.length;
      expect(delta).toBe(kind === 'deletion' ? -1 : kind === 'insertion' ? 1 : 0);
    }
    expect(oneTypo('API', 'deletion', rng)).toBeNull();
    expect(prefixQuery('Installation guide')).toBe('Installatio');
  });
});
