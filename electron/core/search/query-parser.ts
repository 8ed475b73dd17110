/**
 * Stage 1 of search: the user's query text -> a small AST. Total: any string in, a query out; it never
 * throws. Whatever is not understood as an operator or filter is searched as literal words.
 *
 * Language (PRODUCT.md "Search"):
 *   words            ANDed                      summit agenda
 *   "exact phrase"   a phrase; "phr"* a phrase whose last word is a prefix
 *   -word, -"a b"    excluded (also NOT word)
 *   a OR b           either (binds two neighbouring items; AND between items is the default)
 *   prefix*          prefix match
 *   kind:note|bookmark|person|question (plural accepted)
 *   #tag, tag:x      tag (also nested: #project matches project/outloud)
 *   #"a b", tag:"a b"  a tag with spaces (`""` inside: one `"`; a quote without its partner: read as words)
 *   @handle, @[Full Name]  entries mentioning the person, and the person's own entry
 *   is:open|answered|closed
 *   after:YYYY[-MM[-DD]]   created on or after that local day (month, year); before: created before it
 *   after:today|yesterday|3d|2w|6m|1y   the same for a day counted back from today (shared/domain/dates.ts)
 *   site:example.com bookmarks on that site or its subdomains
 * Filters can be negated with `-` (-kind:person, -#draft, -@bob, -site:x, -is:closed; -after:d = before:d).
 * An invalid filter value (kind:foo, after:2014-13-45) is searched as words.
 */
import type { SearchFilterChip } from '../../../shared/domain/search.ts';
import { QUESTION_STATUSES, type EntryKind, type QuestionStatus } from '../../../shared/domain/entry.ts';
import { lazily, normalizeTag, personKey } from '../../../shared/domain/text.ts';
import { siteOf } from '../../../shared/domain/url.ts';
import { readPeriod, type PeriodOptions } from './date-periods.ts';
import { hasTokens, tokenize, withoutControls, type TextToken } from './text-tokens.ts';

export interface TextAtom {
  type: 'text';
  /** The literal text to search (a word, or a phrase's content). */
  text: string;
  phrase: boolean;
  prefix: boolean;
  /** The prefix was added because the user is still typing this word (`asYouType`), not typed as `*`. */
  implicitPrefix?: boolean;
  negated: boolean;
  /** Offsets of `text` in the query (for "did you mean" rewrites). */
  start: number;
  end: number;
  /** Folded tokens of `text`, offsets relative to the query. */
  tokens: TextToken[];
}

export type Filter =
  | { key: 'kind'; kind: EntryKind }
  | { key: 'tag'; tag: string }
  | { key: 'person'; name: string; personKey: string }
  | { key: 'is'; status: QuestionStatus }
  | { key: 'after' | 'before'; date: string; time: number }
  | { key: 'site'; site: string };

export type FilterAtom = { type: 'filter'; negated: boolean; start: number; end: number; filter: Filter };

export type Atom = TextAtom | FilterAtom;

/** Items of a clause are ORed; clauses are ANDed. */
export interface Clause {
  atoms: Atom[];
}

export interface ParsedQuery {
  /** The query as parsed (control characters replaced by spaces: offsets are the query's). */
  source: string;
  clauses: Clause[];
  /** The filters understood, for display as chips, each with where it was typed (`spans`). */
  chips: SearchFilterChip[];
}

type Item = { kind: 'atom'; atom: Atom } | { kind: 'op'; op: 'OR' | 'AND' | 'NOT'; start: number; end: number };

const KIND_NAMES: Record<string, EntryKind> = {
  note: 'note',
  notes: 'note',
  bookmark: 'bookmark',
  bookmarks: 'bookmark',
  person: 'person',
  people: 'person',
  persons: 'person',
  question: 'question',
  questions: 'question',
};
// Made when a query first has a tag or a person in it (lazily, shared/domain/text.ts).
const tagValueRe = lazily(() => /^#?([\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-/]*)$/u);
const handleRe = lazily(() => /^([\p{L}\p{N}_][\p{L}\p{N}_.\-]*)$/u);
const TRAILING_PUNCT_RE = /[.,;:!?)\]}'"]+$/u;
/** The opening of a quoted tag: `#"` or `tag:"` (sticky: tested at one offset). */
const QUOTED_TAG_RE = /#"|tag:"/iy;
/**
 * Items (words, filters, operators) read from one query. A longer query (a pasted paragraph) is
 * searched by its first items: ANDing more words hardly narrows it further, and SQLite limits the depth
 * of an expression.
 */
export const MAX_QUERY_ITEMS = 64;
function textAtom(source: string, start: number, end: number, opts: { phrase?: boolean; prefix?: boolean; negated?: boolean } = {}): TextAtom {
  const text = source.slice(start, end);
  return {
    type: 'text',
    text,
    phrase: opts.phrase ?? false,
    prefix: opts.prefix ?? false,
    negated: opts.negated ?? false,
    start,
    end,
    tokens: tokenize(text).map((t) => ({ term: t.term, start: t.start + start, end: t.end + start })),
  };
}

/** Reads a `key:value` / `#tag` / `@handle` word as a filter, or returns null. */
function readFilter(word: string, dates: PeriodOptions): Filter | null {
  if (word.startsWith('#')) {
    const m = tagValueRe().exec(word.replace(TRAILING_PUNCT_RE, ''));
    const tag = m ? normalizeTag(m[1]!) : '';
    return tag && !/^\d+$/.test(tag) ? { key: 'tag', tag } : null;
  }
  if (word.startsWith('@')) {
    const m = handleRe().exec(word.slice(1).replace(TRAILING_PUNCT_RE, '').replace(/[.\-]+$/, ''));
    const key = m ? personKey(m[1]!) : '';
    return key ? { key: 'person', name: m![1]!, personKey: key } : null;
  }
  const colon = word.indexOf(':');
  if (colon <= 0) return null;
  const key = word.slice(0, colon).toLowerCase();
  const value = word.slice(colon + 1);
  if (!value) return null;
  switch (key) {
    case 'kind': {
      const kind = KIND_NAMES[value.toLowerCase()];
      return kind ? { key: 'kind', kind } : null;
    }
    case 'tag': {
      const m = tagValueRe().exec(value);
      const tag = m ? normalizeTag(m[1]!) : '';
      return tag ? { key: 'tag', tag } : null;
    }
    case 'is': {
      const status = value.toLowerCase();
      return (QUESTION_STATUSES as readonly string[]).includes(status) ? { key: 'is', status: status as QuestionStatus } : null;
    }
    case 'after':
    case 'before': {
      const period = readPeriod(value, dates);
      return period === null ? null : { key, date: value, time: period.start };
    }
    case 'site': {
      const site = siteOf(value);
      return site && !/[\s"]/.test(site) ? { key: 'site', site } : null;
    }
    default:
      return null;
  }
}

function chipOf(atom: FilterAtom): SearchFilterChip {
  const f = atom.filter;
  const value =
    f.key === 'kind' ? f.kind : f.key === 'tag' ? f.tag : f.key === 'person' ? f.name : f.key === 'is' ? f.status : f.key === 'site' ? f.site : f.date;
  return { key: f.key, value, negated: atom.negated };
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);

/** Splits the query into atoms and operator words. */
function lex(source: string, dates: PeriodOptions): Item[] {
  const items: Item[] = [];
  const n = source.length;
  let i = 0;
  while (i < n && items.length < MAX_QUERY_ITEMS) {
    if (isSpace(source[i])) {
      i++;
      continue;
    }
    const wordStart = i;
    let negated = false;
    if (source[i] === '-' && i + 1 < n && !isSpace(source[i + 1])) {
      negated = true;
      i++;
    }
    // "phrase" (a quote without its partner is skipped, and what follows is read as words)
    if (source[i] === '"') {
      const close = source.indexOf('"', i + 1);
      if (close === -1) {
        i++;
        continue;
      }
      let end = close + 1;
      let prefix = false;
      while (source[end] === '*') {
        prefix = true;
        end++;
      }
      const atom = textAtom(source, i + 1, close, { phrase: true, prefix, negated });
      if (atom.tokens.length > 0) items.push({ kind: 'atom', atom });
      i = end;
      continue;
    }
    // #"tag with spaces", tag:"tag with spaces": tags are stored with their spaces; `""` inside is one
    // `"` (see quotedTag). A quote without its partner, or with no tag inside, is read as words as before.
    QUOTED_TAG_RE.lastIndex = i;
    const quotedTag = QUOTED_TAG_RE.exec(source);
    if (quotedTag) {
      const open = i + quotedTag[0].length - 1;
      let close = source.indexOf('"', open + 1);
      while (close !== -1 && source[close + 1] === '"') close = source.indexOf('"', close + 2);
      const tag = close === -1 ? '' : normalizeTag(source.slice(open + 1, close).replaceAll('""', '"'));
      // `#123` is an issue number, not a tag: so is `#"123"`.
      if (tag && !(quotedTag[0] === '#"' && /^\d+$/.test(tag))) {
        items.push({ kind: 'atom', atom: { type: 'filter', negated, start: wordStart, end: close + 1, filter: { key: 'tag', tag } } });
        i = close + 1;
        continue;
      }
    }
    // @[Full Name]
    if (source.startsWith('@[', i)) {
      const close = source.indexOf(']', i + 2);
      const name = close === -1 ? '' : source.slice(i + 2, close).trim();
      if (close !== -1 && name && !name.includes('\n') && personKey(name)) {
        items.push({ kind: 'atom', atom: { type: 'filter', negated, start: wordStart, end: close + 1, filter: { key: 'person', name, personKey: personKey(name) } } });
        i = close + 1;
        continue;
      }
    }
    let end = i;
    while (end < n && !isSpace(source[end])) end++;
    const word = source.slice(i, end);
    if (!negated && (word === 'OR' || word === 'AND' || word === 'NOT')) {
      items.push({ kind: 'op', op: word, start: i, end });
    } else {
      const filter = readFilter(word, dates);
      if (filter) {
        items.push({ kind: 'atom', atom: { type: 'filter', negated, start: wordStart, end, filter } });
      } else {
        let textEnd = end;
        while (textEnd > i && source[textEnd - 1] === '*') textEnd--;
        const atom = textAtom(source, i, textEnd, { prefix: textEnd < end, negated });
        if (atom.tokens.length > 0 && hasTokens(atom.text)) items.push({ kind: 'atom', atom });
      }
    }
    i = end;
  }
  // Cut at MAX_QUERY_ITEMS right after an operator: its operand was cut off, and the operator read as a
  // word to find ("or", "not") would find nothing. (One the user typed last stays a word, as always.)
  if (source.slice(i).trim()) while (items.at(-1)?.kind === 'op') items.pop();
  return items;
}

/** Words shorter than this are not completed as you type: a one- or two-letter prefix matches too much. */
export const AS_YOU_TYPE_MIN_LENGTH = 3;

export interface ParseOptions {
  /**
   * The user is still typing: a last plain word (no space after it) also matches longer words, so
   * `summ` finds "summit" before the word is complete.
   */
  asYouType?: boolean;
  /**
   * Where the user's days begin and end, for `after:`/`before:` (an IANA name such as
   * `Pacific/Auckland`): a browser may be in another zone than the process that searches. Unset: this
   * process's own zone.
   */
  timeZone?: string;
  /** When `after:today`, `before:3d` and the like count back from; unset: the clock. */
  now?: number;
}

export function parseQuery(input: string, options: ParseOptions = {}): ParsedQuery {
  const typed = typeof input === 'string' ? input : '';
  // Same length (each control character, each lone surrogate becomes one space): offsets into `source`
  // are offsets into what was typed.
  const source = withoutControls(typed);
  const items = lex(source, { timeZone: options.timeZone, now: options.now });
  /** Where a filter negated by `NOT` starts: at the operator, so that taking the filter out takes it too. */
  const notStart = new Map<Atom, number>();

  // Operators: `a OR b` joins neighbours, `AND` between items is the default anyway, `NOT x` negates x.
  // An operator without the operands it needs is a literal word.
  const literal = (op: Extract<Item, { kind: 'op' }>): Item => ({ kind: 'atom', atom: textAtom(source, op.start, op.end) });
  const resolved: Item[] = [];
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (item.kind === 'atom') {
      resolved.push(item);
      continue;
    }
    const prev = resolved.at(-1);
    const next = items[k + 1];
    const nextIsAtom = next?.kind === 'atom';
    if (item.op === 'NOT') {
      if (nextIsAtom && !next.atom.negated) {
        const atom = { ...next.atom, negated: true };
        if (atom.type === 'filter') notStart.set(atom, item.start);
        resolved.push({ kind: 'atom', atom });
        k++;
      } else resolved.push(literal(item));
    } else if (prev?.kind === 'atom' && (nextIsAtom || next?.kind === 'op' && next.op === 'NOT' && items[k + 2]?.kind === 'atom')) {
      if (item.op === 'OR') resolved.push(item);
      // AND between two items: the default, nothing to record.
    } else {
      resolved.push(literal(item));
    }
  }

  const clauses: Clause[] = [];
  let joinNext = false;
  for (const item of resolved) {
    if (item.kind === 'op') {
      joinNext = true;
      continue;
    }
    const last = clauses.at(-1);
    if (joinNext && last) last.atoms.push(item.atom);
    else clauses.push({ atoms: [item.atom] });
    joinNext = false;
  }

  if (options.asYouType && source.length > 0 && !isSpace(source[source.length - 1]!)) {
    const lastClause = clauses.at(-1);
    const last = lastClause?.atoms.at(-1);
    const lastToken = last?.type === 'text' ? last.tokens.at(-1) : undefined;
    if (
      lastClause &&
      last?.type === 'text' &&
      !last.phrase &&
      !last.prefix &&
      !last.negated &&
      last.end === source.length &&
      lastToken &&
      lastToken.end === source.length &&
      Array.from(lastToken.term).length >= AS_YOU_TYPE_MIN_LENGTH
    ) {
      lastClause.atoms[lastClause.atoms.length - 1] = { ...last, prefix: true, implicitPrefix: true };
    }
  }

  // One chip per filter, with a span for each place it was typed (the text as typed, which tells a
  // front end whether its query is still the one parsed).
  const chips = new Map<string, SearchFilterChip & { spans: NonNullable<SearchFilterChip['spans']> }>();
  for (const clause of clauses) {
    for (const atom of clause.atoms) {
      if (atom.type !== 'filter') continue;
      const chip = chipOf(atom);
      const id = `${chip.negated ? '-' : ''}${chip.key}:${chip.value.toLowerCase()}`;
      const start = notStart.get(atom) ?? atom.start;
      const span = { start, end: atom.end, text: typed.slice(start, atom.end) };
      const known = chips.get(id);
      if (known) known.spans.push(span);
      else chips.set(id, { ...chip, spans: [span] });
    }
  }
  return { source, clauses, chips: [...chips.values()] };
}

/** The positive words of the query (for suggestions and highlighting decisions). */
export function positiveTextAtoms(query: ParsedQuery): TextAtom[] {
  return query.clauses.flatMap((c) => c.atoms).filter((a): a is TextAtom => a.type === 'text' && !a.negated);
}
