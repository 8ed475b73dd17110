import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.ts';
import { buildFuzzyIndex, FuzzyCatalog, fuzzyLookup, nearByOneEdit, typedPrefixTypo, type FuzzyItem } from './fuzzy.ts';
import { hitRate, oneTypoQueries, prefixQueries } from './fuzzy-eval.ts';

/** Markdown headings of the README files under node_modules: real labels, not invented words. */
function readmeHeadings(): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 4) walk(p, depth + 1);
      else if (e.isFile() && e.name.toLowerCase() === 'readme.md') files.push(p);
    }
  };
  walk(path.resolve('node_modules'), 0);
  const set = new Set<string>();
  for (const f of files.sort()) {
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      const m = /^#{1,4}\s+(.+)$/.exec(line);
      const h = m?.[1]?.replace(/[`*_[\]()<>]/g, '').trim();
      if (h && h.length >= 3 && h.length <= 80) set.add(h);
    }
  }
  return [...set].sort();
}

const people: FuzzyItem[] = [
  { id: 'p1', label: 'Rogier Smit', names: ['Rogier Smit', 'rsmit'], prior: 3 },
  { id: 'p2', label: 'José Ramírez', names: ['José Ramírez', 'jr'] },
  { id: 'p3', label: 'Anne-Marie Jansen', names: ['Anne-Marie Jansen'] },
  { id: 'p4', label: 'Roger Smith', names: ['Roger Smith'] },
  { id: 'p5', label: 'Harold Jarche', names: ['Harold Jarche', 'hjarche'] },
];

const ids = (hits: ReturnType<typeof fuzzyLookup>) => hits.map((h) => h.item.id);

describe('fuzzy lookup', () => {
  const index = buildFuzzyIndex(people);

  it('finds by prefix, by a typo, by alias, accents and case ignored', () => {
    expect(ids(fuzzyLookup(index, 'rog'))[0]).toMatch(/^p[14]$/);
    expect(ids(fuzzyLookup(index, 'rogeir'))[0]).toBe('p1');
    expect(ids(fuzzyLookup(index, 'harlod jarhce'))[0]).toBe('p5');
    expect(ids(fuzzyLookup(index, 'jose ramirez'))[0]).toBe('p2');
    expect(ids(fuzzyLookup(index, 'RAMÍREZ'))[0]).toBe('p2');
    const alias = fuzzyLookup(index, 'hjarche')[0]!;
    expect(alias.item.id).toBe('p5');
    expect(alias.item.names[alias.nameIndex]).toBe('hjarche');
  });

  it('prefers the exact word over a near one', () => {
    expect(ids(fuzzyLookup(index, 'smith'))[0]).toBe('p4');
    expect(ids(fuzzyLookup(index, 'smit'))[0]).toBe('p1');
  });

  it('passes lunr syntax characters through as nothing special', () => {
    for (const q of ['*', 'rog*', 'rog~2', '+rogier -smit', 'name:rogier', 'rogier^10', ':', '~', '^', '\\', '"', '']) {
      expect(() => fuzzyLookup(index, q), q).not.toThrow();
    }
    expect(ids(fuzzyLookup(index, 'name:rogier'))).toContain('p1');
    expect(fuzzyLookup(index, '*~^:')).toEqual([]);
  });

  it('finds >= 90% of one-typo queries in the top 5 on real headings', () => {
    const headings = readmeHeadings();
    expect(headings.length).toBeGreaterThan(500);
    const big = buildFuzzyIndex(headings.map((h, i) => ({ id: String(i), label: h, names: [h] })));
    // Every third query keeps the test quick; the benchmark runs them all.
    const sample = <T,>(xs: T[]) => xs.filter((_, i) => i % 3 === 0);
    const typo = hitRate(big, sample(oneTypoQueries(headings, 42)));
    const prefix = hitRate(big, sample(prefixQueries(headings)));
    expect(typo.queries).toBeGreaterThan(200);
    expect(typo.rate).toBeGreaterThanOrEqual(0.9);
    expect(prefix.rate).toBeGreaterThanOrEqual(0.9);
  });
});

describe('fuzzy catalog', () => {
  it('follows additions, renames and removals without a rebuild', () => {
    const catalog = new FuzzyCatalog();
    catalog.sync(people);
    expect(catalog.lookup('rogier')[0]?.item.id).toBe('p1');
    catalog.sync([...people.filter((p) => p.id !== 'p1'), { id: 'p1', label: 'Rogier de Vries', names: ['Rogier de Vries'] }, { id: 'p9', label: 'Luis Suarez', names: ['Luis Suarez'] }]);
    expect(catalog.lookup('suarez')[0]?.item.id).toBe('p9');
    expect(catalog.lookup('smit').map((h) => h.item.id)).not.toContain('p1');
    expect(catalog.lookup('vries')[0]?.item.id).toBe('p1');
    catalog.sync(people.filter((p) => p.id !== 'p5'));
    expect(catalog.lookup('jarche')).toEqual([]);
    expect(catalog.size).toBe(4);
  });

  it('rebuilds after many changes and still finds everything', () => {
    const catalog = new FuzzyCatalog();
    const many = Array.from({ length: 300 }, (_, i) => ({ id: `t${i}`, label: `#topic${i}`, names: [`topic${i} area${i % 7}`] }));
    catalog.sync(many.slice(0, 10));
    catalog.sync(many);
    expect(catalog.lookup('topic123')[0]?.item.id).toBe('t123');
    expect(catalog.lookup('tpoic123')[0]?.item.id).toBe('t123');
  });

  it('after a rebuild, finds items added later and drops items removed later, as a fresh catalog would', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ id: `t${i}`, label: `Weekly topic ${i}`, names: [`weekly topic ${i}`] }));
    for (const rebuild of [(c: FuzzyCatalog) => c.sync(many), (c: FuzzyCatalog) => c.apply(many, [])]) {
      const catalog = new FuzzyCatalog();
      rebuild(catalog); // more changes than the overlay holds: the index is built from the items
      catalog.apply([{ id: 'q', label: 'Quokka zebrafish memo', names: ['quokka zebrafish memo'] }], []);
      expect(catalog.lookup('quokka zebrafish')[0]?.item.id).toBe('q');
      catalog.apply([], ['t5']);
      expect(catalog.lookup('weekly topic 5').map((h) => h.item.id)).not.toContain('t5');
      const fresh = new FuzzyCatalog();
      fresh.sync([...many.filter((m) => m.id !== 't5'), { id: 'q', label: 'Quokka zebrafish memo', names: ['quokka zebrafish memo'] }]);
      for (const q of ['quokka', 'weekly topic 5', 'topic 250', 'wekly']) expect(catalog.lookup(q).map((h) => h.item.id), q).toEqual(fresh.lookup(q).map((h) => h.item.id));
    }
  });
});

describe('nearByOneEdit', () => {
  it('holds for every pair one edit apart, or a typed start one edit from a word (property)', () => {
    // A small alphabet, with a letter outside the basic plane, so that near pairs are common.
    const word = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '😀'), { minLength: 1, maxLength: 7 }).map((a) => a.join(''));
    fc.assert(
      fc.property(word, word, (q, w) => {
        if (editDistance(q, w, 1) <= 1 || typedPrefixTypo(q, w)) expect(nearByOneEdit(q, w)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('rules out words whose first two letters share nothing', () => {
    expect(nearByOneEdit('summit', 'lamp')).toBe(false);
    expect(nearByOneEdit('summit', 'usmmit')).toBe(true);
  });
});
