/**
 * Diagnosis, not a benchmark of the app: what a word-only search costs, piece by piece, on a journal
 * the benchmark kept (`npm run bench -- --n 100000 --keep`). For the word-only queries of the fixed
 * set (no filters) it times, on the journal's own FTS5 index:
 *
 *   search.query                 the service, end to end
 *   ranked page as built         the statement the query builder makes (weighted bm25, tie window)
 *   ... FTS5 sorting by rank     the same page with `ORDER BY rank` and `rank MATCH` (FTS5 sorts all)
 *   ... with highlight/snippet   FTS5 marking the rows in the ranking statement (what highlight.ts replaced)
 *   marks in JS for 20 rows      highlight.ts on the page's rows
 *   count (capped)               the total the service counts when the page is full
 *
 *   node tests/bench/diagnose-search.ts JOURNAL_DIR
 */
import path from 'node:path';
import { openCore } from '../../electron/core/core.ts';
import { buildSearch, RANK_EXPRESSION, RANK_FUNCTION } from '../../electron/core/search/query-builder.ts';
import { createHighlighter, queryPhrases } from '../../electron/core/search/highlight.ts';
import { parseQuery } from '../../electron/core/search/query-parser.ts';
import { loadTextPool } from './corpus.ts';
import { REPO_ROOT } from './paths.ts';
import { buildQueries } from './queries.ts';
import { formatTable, now, summarize } from './stats.ts';

async function main() {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: diagnose-search.ts JOURNAL_DIR');
  const core = openCore({ dataDir });
  const pool = loadTextPool(path.join(REPO_ROOT, 'node_modules'));
  const words = buildQueries(pool).filter((q) => ['term', 'rare-term', 'two-terms', 'three-terms', 'prefix', 'phrase', 'or', 'not'].includes(q.category));
  const statement = (sql: string) => core.db.prepare(sql);
  const match = (q: string) => buildSearch(parseQuery(q), { limit: 20, offset: 0 }).match!;

  const marks = `highlight(entries_fts, 0, '[', ']'), snippet(entries_fts, 3, '[', ']', '…', 16)`;
  const pageRows = (q: string) =>
    (statement(`SELECT e.title, e.body FROM entries_fts f JOIN entries e ON e.rowid = f.rowid WHERE entries_fts MATCH ? ORDER BY ${RANK_EXPRESSION} LIMIT 20`)
      .all(match(q)) as Array<{ title: string; body: string }>);
  const pages = new Map(words.map((q) => [q.q, pageRows(q.q)]));
  const variants: Array<[string, (q: string) => unknown]> = [
    ['search.query (service, end to end)', (q) => core.handlers['search.query']({ q, limit: 20, offset: 0, asYouType: false, quick: false })],
    [
      'ranked page as built (weighted bm25, tie window)',
      (q) => {
        const built = buildSearch(parseQuery(q), { limit: 20, offset: 0 });
        return statement(built.hits.sql).all(...built.hits.params);
      },
    ],
    ['... FTS5 sorting by rank, LIMIT 20', (q) => statement('SELECT rowid, rank FROM entries_fts WHERE entries_fts MATCH ? AND rank MATCH ? ORDER BY rank LIMIT 20').all(match(q), RANK_FUNCTION)],
    ['... with highlight()/snippet(), LIMIT 20', (q) => statement(`SELECT rowid, ${RANK_EXPRESSION} AS r, ${marks} FROM entries_fts WHERE entries_fts MATCH ? ORDER BY r LIMIT 20`).all(match(q))],
    [
      'marks in JS for the 20 rows (highlight.ts)',
      (q) => {
        const h = createHighlighter(queryPhrases(parseQuery(q)));
        return pages.get(q)!.map((r) => [h.mark(r.title), h.snippet(r.body)]);
      },
    ],
    ['count (capped at 1,000)', (q) => statement('SELECT count(*) AS n FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT 1000)').get(match(q))],
  ];
  for (const [, run] of variants) for (const q of words) run(q.q); // warm-up
  const rows: string[][] = [];
  for (const [name, run] of variants) {
    const ms: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const q of words) {
        const t = now();
        run(q.q);
        ms.push(now() - t);
      }
    }
    const s = summarize(ms);
    rows.push([name, String(s.p50), String(s.p95), String(s.mean)]);
  }
  core.close();
  process.stdout.write(`${words.length} word-only queries x 3 on ${dataDir}\n${formatTable(['statement', 'p50 ms', 'p95 ms', 'mean ms'], rows)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
