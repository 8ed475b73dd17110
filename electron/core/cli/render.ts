/**
 * Human renderings of the contract's values. Every piece of journal text, and every file name (which
 * may hold escape sequences too), goes through safeLine/safeText.
 */
import type { Entry, EntryDetail, EntryLink, Revision } from '../../../shared/domain/entry.ts';
import type { DoctorReport, ImportReport, JournalStats } from '../../../shared/domain/journal.ts';
import type { SearchResult, WhoKnowsResult } from '../../../shared/domain/search.ts';
import { bold, dim, formatBytes, formatCount, formatDate, markSegments, plural, safeLine, safeText, table, truncate, type Style } from './output.ts';

export type Short = (id: string) => string;

const TITLE_MAX = 100;

export function displayTitle(entry: Pick<Entry, 'title'>): string {
  return truncate(safeLine(entry.title).trim(), TITLE_MAX) || '(untitled)';
}

function tagText(tags: readonly string[]): string {
  return tags.map((t) => `#${safeLine(t)}`).join(' ');
}

/** One row per entry: short id, date, kind, title and tags. */
export function entryRows(entries: readonly Entry[], short: Short, style: Style, date: (e: Entry) => number = (e) => e.createdAt): string[] {
  return table(
    entries.map((e) => {
      const tags = e.tags.length ? `  ${dim(tagText(e.tags), style)}` : '';
      return [bold(short(e.id), style), dim(formatDate(date(e)), style), kindText(e), `${displayTitle(e)}${tags}`];
    }),
  );
}

/** The kind of an entry as a list shows it: a question with its status (`question, open`). */
export function kindText(e: Entry): string {
  return e.kind === 'question' ? `question, ${e.question.status}` : e.kind;
}

/**
 * Tags with how many entries have each, most used first; said so when the list was cut. `kind` and
 * `beside` (the tag of `--with`, left out of the list) say what was counted when nothing was.
 */
export function renderTags(counts: { values: ReadonlyArray<{ value: string; count: number }>; distinct: number }, style: Style, kind?: string, beside?: string): string[] {
  if (counts.values.length === 0) {
    const entries = kind === 'person' ? 'people' : kind ? `${kind}s` : 'entries';
    return [beside === undefined ? `No ${entries} have tags.` : `No ${entries} tagged #${safeLine(beside)} have other tags.`];
  }
  const rows = table(counts.values.map((t) => [`#${safeLine(t.value)}`, dim(formatCount(t.count), style)]));
  if (counts.distinct > counts.values.length) rows.push(`The ${counts.values.length} most used of ${formatCount(counts.distinct)} tags; --limit shows more.`);
  return rows;
}

function linkRows(links: readonly EntryLink[], short: Short): string[] {
  return table(
    links.map((l) => ['  ' + l.type, l.entry.kind, short(l.entry.id), `${displayTitle(l.entry)}${l.entry.deleted ? ' (in the trash)' : ''}`]),
  );
}

function kindFields(entry: Entry): Array<[string, string]> {
  const list = (values: readonly string[]) => values.map(safeLine).join(', ');
  switch (entry.kind) {
    case 'bookmark': {
      const b = entry.bookmark;
      const rows: Array<[string, string]> = [
        ['URL', safeLine(b.url)],
        ['Site', safeLine(b.site)],
      ];
      if (b.excerpt) rows.push(['Excerpt', truncate(safeLine(b.excerpt), 300)]);
      if (b.notes.length > 1) rows.push(['Notes', plural(b.notes.length, 'note')]);
      return rows;
    }
    case 'person': {
      const p = entry.person;
      const rows: Array<[string, string]> = [['Name', safeLine(p.name)]];
      if (p.aliases.length) rows.push(['Aliases', list(p.aliases)]);
      if (p.role) rows.push(['Role', safeLine(p.role)]);
      if (p.organisation) rows.push(['Organisation', safeLine(p.organisation)]);
      if (p.topics.length) rows.push(['Topics', list(p.topics)]);
      if (p.contacts.length) rows.push(['Contacts', list(p.contacts)]);
      if (p.recommendedBy) rows.push(['Recommended by', safeLine(p.recommendedBy)]);
      return rows;
    }
    case 'question': {
      const q = entry.question;
      const rows: Array<[string, string]> = [['Status', q.status]];
      if (q.askedBy) rows.push(['Asked by', safeLine(q.askedBy)]);
      if (q.closedAt) rows.push(['Closed', formatDate(q.closedAt)]);
      return rows;
    }
    default:
      return [];
  }
}

export function renderDetail(detail: EntryDetail, short: Short, style: Style): string[] {
  const e = detail.entry;
  const lines: string[] = [`${bold(`${e.kind} ${e.id}`, style)}${e.deletedAt ? `  (in the trash since ${formatDate(e.deletedAt)}; \`outloud restore ${short(e.id)}\` brings it back)` : ''}`];
  const fields: Array<[string, string]> = [
    ['Title', safeLine(e.title) || '(untitled)'],
    ['Created', formatDate(e.createdAt)],
  ];
  // When the text was last saved over another (a move to the trash and back is no edit).
  if (detail.editedAt !== null) fields.push(['Edited', formatDate(detail.editedAt)]);
  fields.push(['Source', safeLine(e.sourceRef ? `${e.source} (${e.sourceRef})` : e.source)]);
  if (e.tags.length) fields.push(['Tags', tagText(e.tags)]);
  fields.push(...kindFields(e));
  lines.push(...table(fields.map(([k, v]) => [dim(k, style), v])));
  if (e.body.trim()) lines.push('', safeText(e.body.trimEnd()));
  if (e.kind === 'question' && e.question.answer.trim()) lines.push('', bold('Answer', style), safeText(e.question.answer.trimEnd()));
  if (detail.links.length) lines.push('', bold('Links', style), ...linkRows(detail.links, short));
  if (detail.backlinks.length) lines.push('', bold('Backlinks', style), ...linkRows(detail.backlinks, short));
  if (detail.revisionCount) lines.push('', `${plural(detail.revisionCount, 'earlier revision')} (\`outloud history ${short(e.id)}\`)`);
  return lines;
}

export function renderSearch(query: string, result: SearchResult, short: Short, style: Style): string[] {
  if (result.hits.length === 0) {
    const lines = [`No entries match ${JSON.stringify(safeLine(query))}.`];
    if (result.suggestions.length) lines.push(`Did you mean: ${result.suggestions.map((s) => safeLine(s)).join(', ')}?`);
    return lines;
  }
  const rows = table(
    result.hits.map((h) => [
      bold(short(h.entry.id), style),
      dim(formatDate(h.entry.createdAt), style),
      kindText(h.entry),
      markSegments(h.titleSegments.length ? h.titleSegments : [{ text: displayTitle(h.entry), match: false }], style, 400),
    ]),
  );
  const indent = ' '.repeat(short(result.hits[0]!.entry.id).length + 2);
  const lines: string[] = [];
  result.hits.forEach((h, i) => {
    lines.push(rows[i]!);
    const snippet = markSegments(h.snippet, style).trim();
    // A note's title is often its first line; do not print the same text twice.
    const sameAsTitle = safeLine(h.snippet.map((x) => x.text).join('')).trim() === safeLine(h.entry.title).trim();
    if (snippet && !sameAsTitle) lines.push(`${indent}${snippet}`);
  });
  const total = `${formatCount(result.total)}${result.totalCapped ? '+' : ''}`;
  if (result.total > result.hits.length) lines.push(dim(`${result.hits.length} of ${total} matches (--limit shows more)`, style));
  return lines;
}

export function renderRevisions(id: string, revisions: readonly Revision[], style: Style): string[] {
  if (revisions.length === 0) return [`No earlier revisions of ${id}.`];
  const rows = revisions.map((r) => {
    const body = truncate(safeLine(r.body).trim(), 60);
    return [bold(String(r.id), style), dim(formatDate(r.savedAt), style), `${truncate(safeLine(r.title), 60) || '(untitled)'}${body && body !== r.title ? dim(`  ${body}`, style) : ''}`];
  });
  return [`Revisions of ${id}, newest first (\`outloud history ${id} --restore REV\` brings one back):`, ...table([[dim('REV', style), dim('REPLACED', style), dim('TITLE', style)], ...rows])];
}

export function renderWhoKnows(topic: string, results: readonly WhoKnowsResult[], short: Short, style: Style): string[] {
  if (results.length === 0) return [`Nobody in the journal is linked to ${JSON.stringify(safeLine(topic))} yet.`];
  const lines: string[] = [];
  for (const r of results) {
    const why: string[] = [];
    if (r.profileTopics.length) why.push(`topics: ${r.profileTopics.map(safeLine).join(', ')}`);
    if (r.evidence.length) why.push(plural(r.evidence.length, 'entry', 'entries'));
    lines.push(`${bold(short(r.person.id), style)}  ${displayTitle(r.person)}${why.length ? dim(`  (${why.join('; ')})`, style) : ''}`);
    for (const e of r.evidence.slice(0, 3)) lines.push(`    ${dim(short(e.id), style)}  ${e.kind}  ${displayTitle(e)}`);
    if (r.evidence.length > 3) lines.push(dim(`    … and ${r.evidence.length - 3} more`, style));
  }
  return lines;
}

const KIND_PLURAL: Record<string, string> = { note: 'notes', bookmark: 'bookmarks', person: 'people', question: 'questions' };

export function renderStats(stats: JournalStats): string[] {
  const kinds = Object.entries(stats.byKind)
    .map(([k, n]) => `${formatCount(n)} ${n === 1 ? k : (KIND_PLURAL[k] ?? `${k}s`)}`)
    .join(', ');
  return table([
    ['Entries', `${formatCount(stats.entries)}${kinds ? ` (${kinds})` : ''}`],
    ['In the trash', formatCount(stats.trashed)],
    ['Revisions', formatCount(stats.revisions)],
    ['Database', `${safeLine(stats.databasePath)} (${formatBytes(stats.databaseBytes)}, schema ${stats.schemaVersion})`],
  ]);
}

export function renderDoctor(report: DoctorReport, style: Style): string[] {
  const rows = table(report.checks.map((c) => [c.ok ? 'ok' : bold('FAIL', style), c.name, safeLine(c.detail)]));
  return [...rows, report.ok ? 'The journal is healthy.' : 'The journal has problems (see FAIL above).'];
}

export function renderImport(file: string, report: ImportReport): string[] {
  const lines = [
    `Imported ${safeLine(file)}: ${formatCount(report.added)} added, ${formatCount(report.updated)} updated, ${formatCount(report.skipped)} already here; ` +
      `${plural(report.revisions, 'revision', 'revisions')} and ${plural(report.links, 'link', 'links')} added.`,
  ];
  if (report.leftOut > 0) {
    lines.push(`${plural(report.leftOut, 'revision or link', 'revisions and links')} of entries the file does not hold left out.`);
  }
  if (report.errors.length) {
    lines.push(`${plural(report.errors.length, 'entry', 'entries')} not imported:`);
    for (const e of report.errors.slice(0, 20)) lines.push(`  ${safeLine(e.ref)}: ${safeLine(e.message)}`);
    if (report.errors.length > 20) lines.push(`  … and ${report.errors.length - 20} more (--json lists them all)`);
  }
  return lines;
}
