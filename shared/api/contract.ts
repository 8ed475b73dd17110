/**
 * The one API contract. Each method maps to a zod input schema and an output type; the IPC transport,
 * the loopback HTTP transport, the preload and the CLI are all derived from this table.
 */
import type { z } from 'zod';
import type { Entry, EntryDetail, Page, Revision } from '../domain/entry.ts';
import type { FuzzyMatch, SearchResult, WhoKnowsResult } from '../domain/search.ts';
import type { DoctorReport, ImportReport, JournalExport, JournalStats } from '../domain/journal.ts';
import type { Result } from './errors.ts';
import * as S from './schemas.ts';
import { METHOD_NAMES, isMethodName, type MethodName } from './methods.ts';

export { METHOD_NAMES, isMethodName, type MethodName };

interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type only. */
  output?: O;
  /** True when the method changes the journal (the HTTP transport only accepts these as POST). */
  mutates: boolean;
}

const query = <O>() => <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input, mutates: false });
const command = <O>() => <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input, mutates: true });

export const contract = {
  'entries.create': command<Entry>()(S.EntryCreateInput),
  'entries.get': query<EntryDetail>()(S.IdInput),
  'entries.update': command<Entry>()(S.EntryUpdateInput),
  'entries.list': query<Page<Entry>>()(S.EntryListInput),
  'entries.delete': command<Entry>()(S.IdInput),
  'entries.restore': command<Entry>()(S.IdInput),
  'entries.purge': command<{ id: string }>()(S.IdInput),
  /**
   * Purges every entry in the trash up to a time, as entries.purge does one (revisions, links, tags
   * with them), in short transactions: how many went. Refused (CONFLICT) when the trash holds more
   * than the person was told of.
   */
  'entries.emptyTrash': command<{ purged: number }>()(S.EmptyTrashInput),
  'entries.history': query<Revision[]>()(S.IdInput),
  'entries.restoreRevision': command<Entry>()(S.RevisionRestoreInput),
  /** How many live entries of a kind have each value of a field: every one counted, not a page of them. */
  'entries.facets': query<FacetCounts>()(S.EntryFacetsInput),
  'search.query': query<SearchResult>()(S.SearchQueryInput),
  'search.related': query<SearchResult>()(S.RelatedInput),
  'people.find': query<FuzzyMatch[]>()(S.FuzzyInput),
  'people.whoKnows': query<WhoKnowsResult[]>()(S.WhoKnowsInput),
  'tags.find': query<FuzzyMatch[]>()(S.FuzzyInput),
  'titles.find': query<FuzzyMatch[]>()(S.FuzzyInput),
  'journal.stats': query<JournalStats>()(S.EmptyInput),
  'journal.export': query<JournalExport>()(S.ExportInput),
  'journal.import': command<ImportReport>()(S.ImportJsonInput),
  'journal.doctor': query<DoctorReport>()(S.EmptyInput),
  /** A copy of the journal in `<data folder>/backups/`; the caller never chooses a path. */
  'journal.backup': command<{ path: string; bytes: number }>()(S.EmptyInput),
} as const satisfies Record<MethodName, MethodSpec<z.ZodType, unknown>>;

/** entries.facets: the most common values first (ties by value), at most `limit`; `distinct` counts every value. */
export interface FacetCounts {
  values: Array<{ value: string; count: number }>;
  distinct: number;
}

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = NonNullable<Contract[M]['output']>;


/** What a front end calls: every method, returning a result envelope. */
export type OutloudApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };

/** What the core implements: parsed input in, value out (errors thrown as OutloudError). */
export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>> };
